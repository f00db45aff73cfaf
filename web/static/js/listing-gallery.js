// The photo gallery of a listing page: clicking a thumbnail shows that photo as the main one.
(() => {
  const main = document.getElementById("gallery-main");
  if (!main) return;
  document.addEventListener("click", (event) => {
    const thumb = event.target.closest("[data-gallery-src]");
    if (!thumb) return;
    main.src = thumb.dataset.gallerySrc;
    main.alt = thumb.dataset.galleryAlt || main.alt;
    main.removeAttribute("width");
    main.removeAttribute("height");
    document.querySelectorAll("[data-gallery-src].active").forEach((el) => el.classList.remove("active"));
    thumb.classList.add("active");
  });
})();
