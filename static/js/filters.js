// The filter panel, made easier where JavaScript runs (without it, everything still works:
// the panel is open and "Apply filters" reloads the list).
(function () {
  // On a phone, the filters start folded away so the results come first; the "Filters"
  // summary at the top opens them.
  if (window.matchMedia("(max-width: 50rem)").matches) {
    document.querySelectorAll("details.filter-panel").forEach(function (panel) {
      panel.open = false;
    });
  }

  var form = document.querySelector("form.filters");
  if (!form) return;
  var button = form.querySelector("button[data-label-other]");

  // After filtering, the new count is read out: focus goes to it, as to a page's heading.
  if (sessionStorage.getItem("filtered") === "1") {
    sessionStorage.removeItem("filtered");
    var count = document.querySelector(".result-count");
    if (count) {
      count.setAttribute("tabindex", "-1");
      count.focus();
    }
  }
  // The address carries only the filters chosen (?state=WA, not ?q=&state=WA&kind=&sort=…), so
  // that it reads well when shared: empty fields are left out of the submission, and given back
  // to the form if the reader returns to this page.
  var emptied = [];
  form.addEventListener("submit", function () {
    sessionStorage.setItem("filtered", "1");
    form.querySelectorAll("input[name], select[name]").forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio" || field.value !== "" || field.disabled) return;
      field.disabled = true;
      emptied.push(field);
    });
  });
  window.addEventListener("pageshow", function () {
    emptied.forEach(function (field) { field.disabled = false; });
    emptied = [];
  });

  // While filters are being chosen, the button says how many results they give ("Show 41
  // results"), from the list's own JSON (one row is enough: it carries the count).
  if (!button || !window.fetch) return;
  var timer = null;
  var asked = 0;
  function label(count) {
    if (count === 0) return button.dataset.labelNone;
    if (count === 1) return button.dataset.labelOne;
    return button.dataset.labelOther.replace("{count}", count.toLocaleString());
  }
  function update() {
    var params = new URLSearchParams(new FormData(form));
    params.set("format", "json");
    params.set("page_size", "1");
    var mine = ++asked;
    fetch(window.location.pathname + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (mine === asked && data && typeof data.count === "number") button.textContent = label(data.count);
      })
      .catch(function () {});
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  });
})();
