// Progressive enhancement only: every page works without this file.

// Keep shared search URLs clean: leave out parameters the form sends empty (no words, the
// default sort order).
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get") {
    return;
  }
  for (const [name, value] of Array.from(event.detail.formData.entries())) {
    if (value === "") {
      event.detail.formData.delete(name);
    }
  }
});
// The sort list applies with its button, not on change: arrow keys move through a closed list
// option by option, and each would load the results again. Stopped before htmx's trigger on
// the form sees it.
document.addEventListener(
  "change",
  (event) => {
    if (event.target.id === "search-sort") {
      event.stopPropagation();
    }
  },
  true,
);
document.addEventListener("htmx:afterSwap", (event) => {
  // htmx gives focus back to a control with the same id; if that control is gone (a facet value
  // that disappeared), keep the keyboard user inside the results instead of at the page top.
  // With an outerHTML swap the event's target is the old, detached form: look up the new one.
  const form = document.getElementById("search-form");
  if (event.detail.target.id === "search-form" && form && !form.contains(document.activeElement)) {
    const heading = document.getElementById("results-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
});

// Printouts carry today's date, even from a page the cache made earlier.
window.addEventListener("beforeprint", () => {
  for (const element of document.querySelectorAll("[data-print-date]")) {
    const today = new Date();
    element.textContent = today.toLocaleDateString(document.documentElement.lang, { dateStyle: "long" });
    element.setAttribute("datetime", today.toISOString().slice(0, 10));
  }
});

// Print buttons on the shortlist and the comparison (print.css gives a clean document).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
