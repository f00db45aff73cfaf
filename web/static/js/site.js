// Small behaviours shared by every page. Pages keep their own scripts in static/js as well:
// the Content Security Policy allows no inline script.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => {
    const original = button.innerHTML;
    button.textContent = "Copied";
    setTimeout(() => { button.innerHTML = original; }, 1500);
  });
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
