/* The small map of an initiative's detail page: one marker, no tiles needed to show it. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("initiative-location");
    if (!element || !window.L) {
      return;
    }
    var data = element.dataset;
    var point = [parseFloat(data.latitude), parseFloat(data.longitude)];
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", data.label);
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false, dragging: false, keyboard: false });
    map.setView(point, 15);
    L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 19 }).addTo(map);
    L.marker(point, { title: data.markerLabel, alt: data.markerLabel, keyboard: false, interactive: false }).addTo(map);
  });
})();
