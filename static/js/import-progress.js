// Follows a background import on its page: asks the job's progress every second and moves the
// bar; once the job is done, reloads the page, which then shows the preview or the result.
// Without JavaScript the page reloads itself (<noscript> refresh) and has a "Refresh" link.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) {
    return;
  }
  var bar = section.querySelector("progress");
  var text = section.querySelector(".import-progress-text");
  var heading = section.querySelector("h2");
  var template = section.getAttribute("data-rows-text");

  function show(progress) {
    if (progress.rows_total !== null) {
      bar.max = Math.max(progress.rows_total, 1);
      bar.value = progress.rows_done;
      text.textContent = template
        .replace("{done}", progress.rows_done.toLocaleString())
        .replace("{total}", progress.rows_total.toLocaleString());
    }
    heading.textContent = progress.state_label;
  }

  function ask() {
    fetch(section.getAttribute("data-progress-url"), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (progress) {
        show(progress);
        if (progress.working) {
          window.setTimeout(ask, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(ask, 3000);
      });
  }

  window.setTimeout(ask, 500);
})();
