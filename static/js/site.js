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

// Print buttons on the shortlist and the comparison (print.css gives a clean document).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
