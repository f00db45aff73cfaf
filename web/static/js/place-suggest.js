// Suggestions for the place box of the search page: ZIP codes and cities from
// /api/v1/places, offered through the input's <datalist> (the browser's own, keyboard-ready
// list). Without this script the box takes a typed ZIP code or "City, ST" just the same.
(() => {
  "use strict";

  const DELAY_MS = 150;
  let timer = null;
  let request = null;

  document.addEventListener("input", (event) => {
    const input = event.target.closest("input[data-place-suggest]");
    if (!input || !input.dataset.placeSuggest || !input.list) return;
    clearTimeout(timer);
    timer = setTimeout(() => suggest(input), DELAY_MS);
  });

  async function suggest(input) {
    const text = input.value.trim();
    if (text.length < 2) return;
    if (request) request.abort();
    const controller = new AbortController();
    request = controller;
    const url = new URL(input.dataset.placeSuggest, location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      show(input.list, await response.json());
    } catch (error) {
      // Aborted by a newer keystroke, or offline: the box still takes what is typed.
    } finally {
      if (request === controller) request = null;
    }
  }

  function show(list, answer) {
    const options = (answer.places || []).map((place) => {
      const option = document.createElement("option");
      option.value = place.value;
      option.label = place.label;
      return option;
    });
    list.replaceChildren(...options);
  }
})();
