/* The set-up shared by every map of the site (the map of initiatives, the location of an initiative or an event,
   the pin of "share an initiative"): a labelled region, the configured tiles and no zoom by scrolling. Every map
   works without tiles. The element carries data-label, data-tile-url and data-tile-attribution. */
window.participationMap = function (element, options) {
  "use strict";
  var data = element.dataset;
  element.setAttribute("role", "region");
  element.setAttribute("aria-label", data.label);
  var map = L.map(element, Object.assign({ scrollWheelZoom: false }, options || {}));
  L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 19 }).addTo(map);
  return map;
};
