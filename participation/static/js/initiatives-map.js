/* The map of initiatives: Leaflet asks the server for the view it shows (bounding box and zoom level, with the
   page's filters) each time the view changes; the server groups the initiatives on a grid (clusters) and sends the
   few that stand alone as markers. Works without tiles (no internet): markers, clusters and popups do not depend on
   them. Without JavaScript the page shows the same initiatives as a list. */
(function () {
  "use strict";

  var BRUSSELS = [50.8467, 4.3525];
  var WAIT_MS = 150;

  function popupContent(title, url, openLabel) {
    var wrapper = document.createElement("div");
    var heading = document.createElement("p");
    heading.className = "map-popup__title";
    heading.textContent = title;
    var link = document.createElement("a");
    link.href = url;
    link.textContent = openLabel;
    link.className = "map-popup__link";
    wrapper.appendChild(heading);
    wrapper.appendChild(link);
    return wrapper;
  }

  function clusterMarker(item, data, map) {
    var count = item[2];
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var label = data.clusterLabel.replace("{count}", count);
    var icon = L.divIcon({
      html: "<div><span>" + count + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
    });
    var marker = L.marker([item[0], item[1]], { icon: icon, title: label, alt: label, keyboard: true });
    marker.on("click", function () {
      map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    return marker;
  }

  function init(element) {
    if (!window.L) {
      return;
    }
    var data = element.dataset;
    element.innerHTML = "";
    var map = window.participationMap(element, { zoomControl: false }).setView(BRUSSELS, 12);
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    var pending = null;
    var timer = null;

    map.on("popupopen", function (event) {
      var container = event.popup.getElement();
      var close = container && container.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.closeLabel);
        close.setAttribute("title", data.closeLabel);
      }
      var link = container && container.querySelector("a.map-popup__link");
      if (link) {
        link.focus();
      }
      if (container && !container.dataset.escapeHandled) {
        container.dataset.escapeHandled = "true";
        container.addEventListener("keydown", function (keyEvent) {
          if (keyEvent.key === "Escape") {
            map.closePopup();
          }
        });
      }
    });
    map.on("popupclose", function (event) {
      var source = event.popup._source;
      var icon = source && source.getElement && source.getElement();
      if (icon) {
        icon.focus();
      }
    });

    function viewUrl() {
      // The view widened to whole grid cells (the server's cells are 64 pixels wide at this zoom): a small move asks
      // for the same address, which the server and the browser may already hold.
      var bounds = map.getBounds();
      var step = 360 / Math.pow(2, map.getZoom()) / 4;
      var box = [
        Math.floor(bounds.getWest() / step) * step,
        Math.floor(bounds.getSouth() / step) * step,
        Math.ceil(bounds.getEast() / step) * step,
        Math.ceil(bounds.getNorth() / step) * step,
      ].map(function (value) {
        return value.toFixed(6);
      });
      var separator = data.markersUrl.indexOf("?") === -1 ? "?" : "&";
      return data.markersUrl + separator + "bbox=" + box.join(",") + "&zoom=" + map.getZoom();
    }

    function show(payload) {
      var focused = element.contains(document.activeElement);
      layer.clearLayers();
      payload.clusters.forEach(function (item) {
        layer.addLayer(clusterMarker(item, data, map));
      });
      payload.markers.forEach(function (item) {
        var url = payload.base_url + item[0] + "-" + item[4] + "/";
        var marker = L.marker([item[1], item[2]], { title: item[3], alt: item[3], keyboard: true });
        marker.bindPopup(popupContent(item[3], url, data.openLabel));
        layer.addLayer(marker);
      });
      element.dataset.markerCount = String(payload.markers.length);
      element.dataset.clusterCount = String(payload.clusters.length);
      element.dataset.total = String(payload.total);
      element.classList.add("map--ready");
      if (focused && !element.contains(document.activeElement)) {
        element.focus();
      }
    }

    function load() {
      if (pending) {
        pending.abort();
      }
      pending = window.AbortController ? new AbortController() : null;
      fetch(viewUrl(), { headers: { Accept: "application/json" }, signal: pending ? pending.signal : undefined })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(show)
        .catch(function (error) {
          if (error.name !== "AbortError" && !element.querySelector(".map__error")) {
            element.insertAdjacentHTML("beforeend", '<p class="map__error">' + data.errorLabel + "</p>");
          }
        });
    }

    map.on("moveend", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, WAIT_MS);
    });
    // The selection's bounds: fitting them moves the map, which asks for the view (one request).
    var bounds = data.bounds ? data.bounds.split(",").map(Number) : null;
    if (bounds) {
      map.fitBounds(
        [
          [bounds[0], bounds[1]],
          [bounds[2], bounds[3]],
        ],
        { padding: [20, 20], maxZoom: 15 },
      );
    } else {
      load();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("initiative-map");
    if (element) {
      init(element);
    }
  });
})();
