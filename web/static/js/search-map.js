// The map view of the search page (Leaflet, from the site's own static files).
//
// Zoomed in (MARKER_ZOOM and closer), the results on this page are pins with a popup card (the
// card itself, taken from the list below the map). Zoomed out, the map shows the engine's
// clusters for the whole search: a bubble per map cell with how many listings it holds,
// fetched from /api/v1/search/clusters for the zoom level; their counts add up to the total.
// Moving the map offers "Search this area", which searches the visible box (`bbox`).
//
// Map tiles come from the tile server when it can be reached; without it the map keeps a
// plain background and the pins and bubbles still show, since they are drawn by the page.
//
// search-page.js owns the page: it mounts the map, and when it swaps the page in place it
// detaches the live map first and reattaches it in the new page, so the view is kept.
window.SearchMap = (() => {
  "use strict";

  const MARKER_ZOOM = 9;
  const MAX_ZOOM = 18;
  const MILES = 1609.344; // metres
  const USA = { center: [39.8, -98.6], zoom: 4 };
  const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

  let map = null;
  let element = null;
  let pins = null;
  let bubbles = null;
  let areaButton = null;
  let movedByUs = false;
  let requestedBox = null; // the bbox "Search this area" asked for: the view already shows it
  let clusterCache = new Map();
  let clusterRequest = null;

  function mount(target) {
    if (typeof window.L === "undefined") return;
    element = target;
    map = L.map(element, { maxZoom: MAX_ZOOM, worldCopyJump: true });
    L.tileLayer(TILES, { maxZoom: MAX_ZOOM, attribution: ATTRIBUTION }).addTo(map);
    pins = L.layerGroup();
    bubbles = L.layerGroup();
    areaButton = makeAreaButton();
    element.parentElement.appendChild(areaButton);
    map.on("moveend", onMoved);
    fit();
    element.classList.add("is-ready");
  }

  function detach() {
    if (!map) return false;
    element.remove();
    areaButton.remove();
    return true;
  }

  function reattach(placeholder) {
    const changedView = viewKey(placeholder) !== viewKey(element);
    for (const name of ["clustersUrl", "areaUrl", "total", "bbox", "lat", "lon", "radiusMi"]) {
      if (placeholder.dataset[name] === undefined) delete element.dataset[name];
      else element.dataset[name] = placeholder.dataset[name];
    }
    placeholder.replaceWith(element);
    element.parentElement.appendChild(areaButton);
    clusterCache = new Map();
    // A container of another size moves the map to keep its centre; that moveend comes at
    // once, inside invalidateSize, and is not the person's doing.
    const before = movedByUs;
    movedByUs = true;
    map.invalidateSize();
    movedByUs = before;
    const asked = element.dataset.bbox && element.dataset.bbox === requestedBox;
    requestedBox = null;
    areaButton.hidden = true;
    if (changedView && !asked) fit();
    else draw();
  }

  function destroy() {
    if (!map) return;
    if (clusterRequest) clusterRequest.abort();
    map.remove();
    areaButton.remove();
    map = element = pins = bubbles = areaButton = null;
  }

  // ---- the view --------------------------------------------------------------------------

  function viewKey(node) {
    const data = node.dataset;
    return [data.bbox, data.lat, data.lon, data.radiusMi].join("|");
  }

  function fit() {
    // Our own move ends with one moveend, after its animation (Leaflet fires one even when the
    // view does not change). This handler runs after onMoved, which was registered first.
    movedByUs = true;
    map.once("moveend", () => { movedByUs = false; });
    const data = element.dataset;
    const points = hits().map((hit) => hit.latLng);
    if (data.bbox) {
      const [west, south, east, north] = data.bbox.split(",").map(Number);
      map.fitBounds([[south, west], [north, east < west ? east + 360 : east]]);
    } else if (data.lat !== undefined) {
      const centre = L.latLng(Number(data.lat), Number(data.lon));
      map.fitBounds(centre.toBounds(2 * Number(data.radiusMi) * MILES));
    } else if (points.length) {
      map.fitBounds(L.latLngBounds(points), { maxZoom: 12, padding: [30, 30] });
    } else {
      map.setView(USA.center, USA.zoom);
    }
    draw();
  }

  function onMoved() {
    if (!movedByUs) areaButton.hidden = false;
    draw();
  }

  function draw() {
    if (map.getZoom() >= MARKER_ZOOM) {
      bubbles.remove();
      drawPins();
    } else {
      pins.remove();
      drawClusters(map.getZoom());
    }
    element.dataset.showing = map.getZoom() >= MARKER_ZOOM ? "pins" : "clusters";
    element.dataset.zoom = String(map.getZoom());
  }

  // ---- pins: this page's results ---------------------------------------------------------

  function hits() {
    return Array.from(document.querySelectorAll(".search-hit[data-lat]")).map((node) => ({
      node,
      latLng: L.latLng(Number(node.dataset.lat), Number(node.dataset.lon)),
    }));
  }

  // Listings at one place (a ZIP code's centre) share one pin, whose popup shows every card.
  function drawPins() {
    pins.clearLayers();
    const places = new Map();
    for (const hit of hits()) {
      const key = `${hit.latLng.lat},${hit.latLng.lng}`;
      if (!places.has(key)) places.set(key, { latLng: hit.latLng, cards: [] });
      const card = hit.node.querySelector(".listing-card");
      if (card) places.get(key).cards.push(card);
    }
    for (const place of places.values()) {
      const names = place.cards.map(cardTitle);
      const name = names.length === 1 ? names[0] : `${names.length} listings: ${names.join("; ")}`;
      const marker = L.marker(place.latLng, { title: name, alt: name, keyboard: true });
      marker.bindPopup(() => popup(place.cards), { minWidth: 200, maxWidth: 240 });
      pins.addLayer(marker);
    }
    pins.addTo(map);
  }

  function cardTitle(card) {
    const link = card.querySelector("a.stretched-link");
    return link ? link.textContent.trim() : "Listing";
  }

  function popup(cards) {
    const box = document.createElement("div");
    box.className = "map-popup";
    for (const card of cards) {
      const copy = card.cloneNode(true);
      copy.querySelectorAll("form, .card-favorite").forEach((node) => node.remove());
      copy.classList.remove("h-100");
      box.appendChild(copy);
    }
    return box;
  }

  // ---- bubbles: the engine's clusters ----------------------------------------------------

  async function drawClusters(zoom) {
    const url = new URL(element.dataset.clustersUrl, location.href);
    url.searchParams.set("zoom", String(zoom));
    let answer = clusterCache.get(url.href);
    if (!answer) {
      if (clusterRequest) clusterRequest.abort();
      const controller = new AbortController();
      clusterRequest = controller;
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`clusters: HTTP ${response.status}`);
        answer = await response.json();
      } catch (error) {
        if (!controller.signal.aborted) element.dataset.clusterError = String(error);
        return;
      } finally {
        if (clusterRequest === controller) clusterRequest = null;
      }
      clusterCache.set(url.href, answer);
    }
    if (!map || map.getZoom() !== zoom) return; // the map moved on while we waited
    bubbles.clearLayers();
    for (const cluster of answer.clusters) bubbles.addLayer(bubble(cluster));
    bubbles.addTo(map);
    element.dataset.clusterTotal = String(answer.clusters.reduce((sum, c) => sum + c.count, 0));
  }

  function bubble(cluster) {
    const size = cluster.count < 10 ? 34 : cluster.count < 100 ? 42 : cluster.count < 1000 ? 50 : 58;
    const label = `${cluster.count.toLocaleString()} listing${cluster.count === 1 ? "" : "s"} here: zoom in`;
    const icon = L.divIcon({
      className: "",
      html: `<span class="map-cluster" data-count="${cluster.count}">${cluster.count.toLocaleString()}</span>`,
      iconSize: [size, size],
    });
    const marker = L.marker([cluster.lat, cluster.lon], { icon, title: label, alt: label, keyboard: true });
    marker.on("click", () => {
      const { west, south, east, north } = cluster.bounds;
      map.fitBounds([[south, west], [north, east]], { maxZoom: Math.max(map.getZoom() + 1, MARKER_ZOOM) });
    });
    return marker;
  }

  // ---- "Search this area" ----------------------------------------------------------------

  function makeAreaButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-sm shadow map-area-button";
    button.textContent = "Search this area";
    button.hidden = true;
    button.addEventListener("click", searchArea);
    return button;
  }

  function searchArea() {
    // Finish a pan still under way (a popup making room for itself) before reading the view:
    // its moveend would otherwise come after the results and offer this button again.
    map.stop();
    const box = visibleBox();
    requestedBox = box;
    const url = new URL(element.dataset.areaUrl, location.href);
    url.searchParams.set("bbox", box);
    const app = document.getElementById("search-app");
    app.dispatchEvent(new CustomEvent("search:navigate", { detail: { url: url.href } }));
  }

  // The view as west,south,east,north within the contract's ranges (a view wider than the
  // world is the whole world; one across the antimeridian has west > east).
  function visibleBox() {
    const bounds = map.getBounds();
    const round = (value) => Math.round(value * 1e4) / 1e4;
    const south = round(Math.max(-90, bounds.getSouth()));
    const north = round(Math.min(90, bounds.getNorth()));
    let west = -180;
    let east = 180;
    if (bounds.getEast() - bounds.getWest() < 360) {
      west = round(L.Util.wrapNum(bounds.getWest(), [-180, 180], true));
      east = round(L.Util.wrapNum(bounds.getEast(), [-180, 180], true));
    }
    return [west, south, east, north].join(",");
  }

  return { mount, detach, reattach, destroy };
})();
