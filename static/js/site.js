// Progressive enhancement only: every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // htmx gives focus back to a control with the same id; if that control is gone (a facet value
  // that disappeared), keep the keyboard user inside the results instead of at the page top.
  if (event.detail.target.id === "search-form" && !event.detail.target.contains(document.activeElement)) {
    const heading = document.getElementById("results-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
});
