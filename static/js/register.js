/*
 * The attendance register: narrow the rows by name as one types, add the people a search
 * finds in the project (or everyone) without leaving the page, so nothing ticked is lost;
 * tick all the visible people or none, count the ticked ones, and disable the save button
 * after the first click. Progressive enhancement only: without this file the search
 * reloads the page with the people found, and the form saves the same way (the server
 * ignores a second submission of the same form anyway).
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-register]");
  if (!form) {
    return;
  }
  var rows = [];
  var list = form.querySelector("[data-register-list]");
  var finder = document.querySelector("[data-register-find]");
  var search = document.querySelector("[data-register-search]");
  var status = document.querySelector("[data-register-find-status]");
  var everyone = document.querySelector("[data-register-everyone]");
  var counter = form.querySelector("[data-register-count]");

  function fold(text) {
    // Case- and accent-insensitive: "nicolo" finds "Nicolò".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function box(row) {
    return row.querySelector("input[type=checkbox]");
  }

  function collect() {
    rows = Array.prototype.slice.call(form.querySelectorAll("[data-register-row]"));
    rows.forEach(function (row) {
      row.setAttribute("data-key", fold(row.getAttribute("data-name") || ""));
    });
  }

  function narrow() {
    var words = search ? fold(search.value).split(/\s+/).filter(Boolean) : [];
    rows.forEach(function (row) {
      var key = row.getAttribute("data-key");
      row.hidden = !words.every(function (word) {
        return key.indexOf(word) !== -1;
      });
    });
  }

  // Ask the server for the register page with a search (or everyone) and add the rows it
  // lists that are not on this page yet, unticked; what is ticked here stays as it is.
  function fetchRows(url) {
    if (status) {
      status.textContent = status.getAttribute("data-loading") || "";
    }
    return window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var shown = {};
        rows.forEach(function (row) {
          shown[box(row).value] = true;
        });
        var empty = list.querySelector("[data-register-empty]");
        page.querySelectorAll("[data-register-row]").forEach(function (row) {
          if (!shown[box(row).value]) {
            box(row).checked = false;
            row.classList.remove("is-checked");
            list.appendChild(document.importNode(row, true));
            if (empty) {
              empty.remove();
              empty = null;
            }
          }
        });
        var found = page.querySelector("[data-register-find-status]");
        if (status && found) {
          status.textContent = found.textContent;
        }
        collect();
        narrow();
        refresh();
      })
      .catch(function () {
        window.location.assign(url); // the page without this script does the same
      });
  }

  function refresh() {
    var ticked = 0;
    rows.forEach(function (row) {
      var checked = box(row).checked;
      row.classList.toggle("is-checked", checked);
      if (checked) {
        ticked += 1;
      }
    });
    if (counter) {
      counter.textContent = String(ticked);
    }
  }

  function tickVisible(value) {
    rows.forEach(function (row) {
      if (!row.hidden) {
        box(row).checked = value;
      }
    });
    refresh();
  }

  if (search) {
    search.addEventListener("input", narrow);
  }
  if (finder && list && window.fetch && window.DOMParser) {
    finder.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams(new FormData(finder));
      fetchRows(window.location.pathname + "?" + params.toString());
    });
    if (everyone) {
      everyone.addEventListener("click", function (event) {
        event.preventDefault();
        if (search) {
          search.value = "";
        }
        fetchRows(everyone.href).then(function () {
          everyone.hidden = true;
        });
      });
    }
  }
  var all = form.querySelector("[data-register-all]");
  var none = form.querySelector("[data-register-none]");
  if (all) {
    all.addEventListener("click", function () {
      tickVisible(true);
    });
  }
  if (none) {
    none.addEventListener("click", function () {
      tickVisible(false);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "present") {
      refresh();
    }
  });
  form.addEventListener("submit", function () {
    var button = form.querySelector("[data-register-submit]");
    if (button) {
      // After the browser has taken the click: a disabled button would not be submitted.
      window.setTimeout(function () {
        button.disabled = true;
      }, 0);
    }
  });
  collect();
  refresh();
})();
