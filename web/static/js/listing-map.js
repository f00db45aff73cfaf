// The small map on a listing page: the approximate area around the listing's coordinates.
// Reads data-lat / data-lon from #listing-map. If Leaflet did not load or the tiles cannot be
// reached (offline, blocked), the page stays as it is: the map is a nicety, never a requirement.
(() => {
  const element = document.getElementById("listing-map");
  if (!element || typeof window.L === "undefined") return;
  const lat = Number.parseFloat(element.dataset.lat);
  const lon = Number.parseFloat(element.dataset.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
  try {
    const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 12);
    L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    }).addTo(map);
    // A circle, not a pin: the coordinates are a ZIP or city centre, never the seller's door.
    L.circle([lat, lon], { radius: 1500, color: "#0d6efd", weight: 2, fillOpacity: 0.15 }).addTo(map);
    element.classList.add("is-ready");
  } catch (error) {
    element.classList.add("d-none");
  }
})();
