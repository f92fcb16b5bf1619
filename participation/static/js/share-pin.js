/* "Share an initiative", step "Where": a map to place the pin by clicking or dragging. It fills the latitude and
   longitude fields, which stay the way to give the position with the keyboard or without JavaScript. The map works
   without tiles (the pin and the Region's outline of communes are enough to check a position). */
(function () {
  "use strict";
  var BOUNDS = [[50.76, 4.24], [50.92, 4.48]];
  var CENTRE = [50.8467, 4.3525];

  function inRegion(point) {
    return point.lat >= BOUNDS[0][0] && point.lat <= BOUNDS[1][0] && point.lng >= BOUNDS[0][1] && point.lng <= BOUNDS[1][1];
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("pin-map");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    var status = document.getElementById("pin-status");
    if (!element || !latitude || !longitude || !window.L) {
      return;
    }
    element.hidden = false;
    var data = element.dataset;
    // The map is there: its hint replaces the one written for people without it.
    var hint = document.getElementById("pin-hint");
    var mapHint = document.getElementById("pin-hint-map");
    if (hint && mapHint) {
      hint.hidden = true;
      mapHint.hidden = false;
    }
    element.setAttribute("aria-describedby", "pin-hint-map");
    var map = window.participationMap(element);
    L.rectangle(BOUNDS, { color: "#1d4f91", weight: 1, fill: false, interactive: false }).addTo(map);
    var marker = null;

    function show(point, fromMap) {
      if (!marker) {
        marker = L.marker(point, { draggable: true, title: data.markerLabel, alt: data.markerLabel, keyboard: false });
        marker.on("dragend", function () {
          show(marker.getLatLng(), true);
        });
        marker.addTo(map);
      } else {
        marker.setLatLng(point);
      }
      if (fromMap) {
        latitude.value = point.lat.toFixed(6);
        longitude.value = point.lng.toFixed(6);
      }
      status.textContent = inRegion(point) ? "" : data.outside;
    }

    function fromFields() {
      var lat = parseFloat(String(latitude.value).replace(",", "."));
      var lng = parseFloat(String(longitude.value).replace(",", "."));
      if (!isNaN(lat) && !isNaN(lng)) {
        show(L.latLng(lat, lng), false);
        return true;
      }
      return false;
    }

    map.setView(CENTRE, 12);
    if (fromFields()) {
      map.setView(marker.getLatLng(), 15);
    }
    map.on("click", function (event) {
      show(event.latlng, true);
    });
    latitude.addEventListener("change", fromFields);
    longitude.addEventListener("change", fromFields);
  });
})();
