// The bell's unread count stays current without reloading the page: it is asked for again every
// minute while the page is in view, and whenever the page comes back into view.
(() => {
  const bell = document.querySelector("[data-testid='notification-bell']");
  if (!bell) return;
  const badge = bell.querySelector("[data-testid='notification-count']");
  const icon = bell.querySelector(".bi");
  const EVERY_MS = 60000;

  function show(unread, text) {
    badge.textContent = unread ? text : "";
    badge.classList.toggle("d-none", !unread);
    icon.classList.toggle("bi-bell-fill", unread > 0);
    icon.classList.toggle("bi-bell", unread === 0);
    bell.setAttribute("aria-label", unread ? `Notifications, ${unread} unread` : "Notifications");
  }

  async function refresh() {
    try {
      const response = await fetch(bell.dataset.unreadUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || !response.headers.get("Content-Type")?.includes("json")) return;
      const data = await response.json();
      show(data.unread, data.badge);
    } catch {
      // Offline or the server is restarting: keep the last count; the next refresh tries again.
    }
  }

  setInterval(() => { if (document.visibilityState === "visible") refresh(); }, EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
})();
