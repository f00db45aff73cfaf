// The post / edit form: show the condition only for goods and vehicles, call the price a salary
// for jobs, grey the price out when the item is free, and warn early about too many or too big
// photos. The server checks all of it again; this only saves a round trip.
(() => {
  const form = document.getElementById("listing-form");
  if (!form) return;
  const category = form.querySelector("#category_id");
  const ids = (name) => new Set((category.dataset[name] || "").split(",").filter(Boolean));
  const conditionIds = ids("conditionIds");
  const salaryIds = ids("salaryIds");
  const conditionGroup = document.getElementById("condition-group");
  const freeGroup = document.getElementById("free-group");
  const free = form.querySelector("#free");
  const price = form.querySelector("#price");
  const priceLabel = document.getElementById("price-label");

  function update() {
    const chosen = category.value;
    const salary = salaryIds.has(chosen);
    conditionGroup.classList.toggle("d-none", Boolean(chosen) && !conditionIds.has(chosen));
    freeGroup.classList.toggle("d-none", salary);
    if (salary) free.checked = false;
    priceLabel.textContent = salary ? priceLabel.dataset.salaryLabel : priceLabel.dataset.priceLabel;
    price.disabled = free.checked;
    if (free.checked) price.value = "";
  }
  category.addEventListener("change", update);
  free.addEventListener("change", update);
  update();

  const photos = form.querySelector("#photos");
  const warning = document.getElementById("photos-warning");
  photos.addEventListener("change", () => {
    const max = Number.parseInt(photos.dataset.max, 10);
    const maxBytes = Number.parseInt(photos.dataset.maxMb, 10) * 1024 * 1024;
    const files = Array.from(photos.files);
    const problems = [];
    if (files.length > max) problems.push(`You can add ${max} photo(s) at most.`);
    const big = files.filter((file) => file.size > maxBytes).map((file) => file.name);
    if (big.length) problems.push(`Too large: ${big.join(", ")}.`);
    warning.textContent = problems.join(" ");
    warning.classList.toggle("d-none", problems.length === 0);
  });
})();
