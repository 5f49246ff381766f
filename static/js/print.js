// A "Print this page" button where JavaScript runs (the browser's own Print works everywhere).
(function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
