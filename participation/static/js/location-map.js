/* A small map with one marker: the location of an initiative or an event (no tiles needed to show it). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("location-map");
    if (!element || !window.L) {
      return;
    }
    var data = element.dataset;
    var point = [parseFloat(data.latitude), parseFloat(data.longitude)];
    var map = window.participationMap(element, { zoomControl: false, dragging: false, keyboard: false });
    map.setView(point, 15);
    L.marker(point, { title: data.markerLabel, alt: data.markerLabel, keyboard: false, interactive: false }).addTo(map);
  });
})();
