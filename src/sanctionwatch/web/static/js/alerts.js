// The alerts inbox: selecting rows (with "select all on this page"), keeping the filter form
// in step with the address after a count, a column header or the pager changed the view,
// clearing the triage forms after a decision was recorded, and opening every evidence list
// before printing. No inline script: the CSP allows only this file.
"use strict";

(function () {
  function boxes() {
    return Array.from(document.querySelectorAll("#alert-table .alert-select"));
  }

  function updateSelection() {
    const all = boxes();
    const chosen = all.filter((box) => box.checked);
    const selectAll = document.getElementById("select-all");
    if (selectAll) {
      selectAll.checked = all.length > 0 && chosen.length === all.length;
      selectAll.indeterminate = chosen.length > 0 && chosen.length < all.length;
    }
    for (const box of all) {
      const row = box.closest("tr");
      if (row) row.classList.toggle("selected", box.checked);
    }
    const count = document.getElementById("selected-count");
    if (count) {
      count.textContent = chosen.length === 0
        ? "No alert selected."
        : `${chosen.length} alert${chosen.length === 1 ? "" : "s"} selected: ` +
          chosen.map((box) => box.value).join(", ") + ".";
    }
  }

  // The form shows what the address says (a count, a header or the pager changed the view).
  function syncFilters() {
    const form = document.getElementById("alert-filters");
    if (!form) return;
    const params = new URLSearchParams(window.location.search);
    const defaults = { sort: "created", order: "desc" };
    for (const field of form.querySelectorAll("select, input[name]")) {
      const wanted = params.get(field.name) ?? defaults[field.name] ?? "";
      if (field.value === wanted) continue;
      if (field.tagName === "SELECT" && !Array.from(field.options).some((o) => o.value === wanted)) {
        field.add(new Option(wanted, wanted));
      }
      field.value = wanted;
    }
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement)) return;
    if (target.id === "select-all") {
      for (const box of boxes()) box.checked = target.checked;
      updateSelection();
    } else if (target.classList.contains("alert-select")) {
      updateSelection();
    }
  });

  document.addEventListener("htmx:afterSettle", updateSelection);
  document.addEventListener("htmx:pushedIntoHistory", syncFilters);
  window.addEventListener("popstate", syncFilters);

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.classList.contains("triage-form") &&
        event.detail.successful) {
      form.reset();
    }
  });

  window.addEventListener("beforeprint", () => {
    for (const details of document.querySelectorAll("#alert-table details")) details.open = true;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateSelection);
  } else {
    updateSelection();
  }
})();
