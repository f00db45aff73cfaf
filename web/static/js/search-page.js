// The search page, quicker: links and GET forms inside #search-app are fetched and the page is
// swapped in place, with the URL pushed to the history so the back button walks the searches.
// Without this script every control is still a plain link or GET form (the server renders the
// same page for the same URL); with it, nothing is reloaded but #search-app.
(() => {
  "use strict";

  const app = document.getElementById("search-app");
  if (!app || !window.fetch || !window.history || !window.DOMParser) return;
  const announcer = document.getElementById("search-announcer");
  const searchPath = new URL(app.querySelector("form[role=search]").action).pathname;
  let inFlight = null;

  app.classList.add("js-ready");
  history.replaceState({ search: true }, "", location.href);
  mountMap();

  // ---- what is handled here --------------------------------------------------------------

  function isSearchUrl(url) {
    return url.origin === location.origin && url.pathname === searchPath;
  }

  app.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (!isSearchUrl(url)) return;
    event.preventDefault();
    go(url.href);
  });

  app.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || (form.method || "get").toLowerCase() !== "get") return;
    const url = new URL(form.action, location.href);
    if (!isSearchUrl(url)) return;
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    url.search = new URLSearchParams(data).toString();
    go(url.href);
  });

  app.addEventListener("change", (event) => {
    const form = event.target.closest("form[data-submit-on-change]");
    if (form) form.requestSubmit();
  });

  window.addEventListener("popstate", (event) => {
    if (event.state && event.state.search) go(location.href, { push: false });
  });

  // Other scripts (the map's "search this area") navigate through this too.
  app.addEventListener("search:navigate", (event) => go(event.detail.url));

  // ---- fetching and swapping -------------------------------------------------------------

  async function go(href, { push = true } = {}) {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    app.setAttribute("aria-busy", "true");
    let response;
    let html;
    try {
      response = await fetch(href, {
        signal: controller.signal,
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      html = await response.text();
    } catch (error) {
      if (controller.signal.aborted) return;
      location.assign(href); // the network failed: let the browser try and show what happens
      return;
    } finally {
      if (inFlight === controller) inFlight = null;
    }
    app.removeAttribute("aria-busy");
    // 200 and 400 (a message beside a field) are search pages; anything else is shown whole.
    const fresh = (response.ok || response.status === 400) ? parse(html) : null;
    if (!fresh) {
      location.assign(href);
      return;
    }
    if (push) history.pushState({ search: true }, "", response.url || href);
    swap(fresh.app);
    document.title = fresh.title;
    announce();
  }

  function parse(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const fresh = doc.getElementById("search-app");
    return fresh ? { app: fresh, title: doc.title } : null;
  }

  function swap(fresh) {
    const focus = focusKey();
    closeFilters();
    const keptMap = window.SearchMap && window.SearchMap.detach();
    app.replaceChildren(...fresh.childNodes);
    app.dataset.view = fresh.dataset.view;
    const placeholder = app.querySelector("#search-map");
    if (placeholder && keptMap) {
      window.SearchMap.reattach(placeholder);
    } else {
      if (keptMap) window.SearchMap.destroy();
      mountMap();
    }
    const title = document.getElementById("results-title");
    if (focus !== null) restoreFocus(focus, title);
    if (title && title.getBoundingClientRect().top < 0) title.scrollIntoView({ block: "start" });
  }

  // Keyboard users keep their place: the control they used is focused again on the new page
  // (a facet value by its key, a field by its id); else the results' heading is.
  function focusKey() {
    const active = document.activeElement;
    if (!active || !app.contains(active)) return null;
    return active.dataset.focusKey ? `[data-focus-key="${CSS.escape(active.dataset.focusKey)}"]`
      : active.id ? `#${CSS.escape(active.id)}` : "";
  }

  function restoreFocus(selector, fallback) {
    const target = (selector && app.querySelector(selector)) || fallback;
    if (target) target.focus({ preventScroll: true });
  }

  function mountMap() {
    const element = app.querySelector("#search-map");
    if (element && window.SearchMap) window.SearchMap.mount(element);
  }

  // On phones the filters are a panel over the page: close it (and its backdrop) before its
  // contents are replaced.
  function closeFilters() {
    const panel = document.getElementById("search-filters");
    const Offcanvas = window.bootstrap && window.bootstrap.Offcanvas;
    if (!panel || !Offcanvas) return;
    const instance = Offcanvas.getInstance(panel);
    if (instance) instance.dispose();
    document.querySelectorAll(".offcanvas-backdrop").forEach((node) => node.remove());
    document.body.style.removeProperty("overflow");
    document.body.style.removeProperty("padding-right");
  }

  function announce() {
    const title = document.getElementById("results-title");
    if (announcer && title) announcer.textContent = title.textContent.replace(/\s+/g, " ").trim();
  }
})();
