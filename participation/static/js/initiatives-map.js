/* The map of initiatives: Leaflet with marker clustering, fed by one compact JSON request.
   Works without tiles (no internet): markers, clusters and popups do not depend on them.
   Without JavaScript the page shows the same initiatives as a list. */
(function () {
  "use strict";

  var BRUSSELS = [50.8467, 4.3525];

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

  function clusterIcon(clusterLabel) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 50 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + count + '</span><span class="visually-hidden"> ' + clusterLabel + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    };
  }

  function init(element) {
    if (!window.L || !L.markerClusterGroup) {
      return;
    }
    var data = element.dataset;
    element.innerHTML = "";
    var map = window.participationMap(element, { zoomControl: false }).setView(BRUSSELS, 12);
    L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);

    var cluster = L.markerClusterGroup({ iconCreateFunction: clusterIcon(data.clusterLabel), showCoverageOnHover: false });
    map.addLayer(cluster);

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

    fetch(data.markersUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (payload) {
        var markers = payload.markers.map(function (item) {
          var url = payload.base_url + item[0] + "-" + item[4] + "/";
          var marker = L.marker([item[1], item[2]], { title: item[3], alt: item[3], keyboard: true });
          marker.bindPopup(popupContent(item[3], url, data.openLabel));
          return marker;
        });
        cluster.addLayers(markers);
        element.dataset.markerCount = String(markers.length);
        if (markers.length) {
          map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 15 });
        }
        element.classList.add("map--ready");
      })
      .catch(function () {
        element.insertAdjacentHTML("beforeend", '<p class="map__error">' + data.errorLabel + "</p>");
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("initiative-map");
    if (element) {
      init(element);
    }
  });
})();
