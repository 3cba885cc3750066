// Progress of a report being generated: polls its status URL and reloads the page when done.
(function () {
  "use strict";
  document.querySelectorAll(".report-progress[data-status-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var value = box.querySelector(".report-progress-value");
    function poll() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          bar.value = state.progress;
          value.textContent = state.progress + "%";
          if (state.done) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
