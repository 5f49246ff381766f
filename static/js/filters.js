// On a phone, the filters start folded away so the results come first; the "Filters"
// summary opens them. Without JavaScript they simply stay open.
(function () {
  if (window.matchMedia("(max-width: 50rem)").matches) {
    document.querySelectorAll("details.filter-panel").forEach(function (panel) {
      panel.open = false;
    });
  }
})();
