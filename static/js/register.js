/*
 * The attendance register: search by name, tick all the visible people or none, count the
 * ticked ones, and disable the save button after the first click. Progressive
 * enhancement only: without this file the form shows every row and saves the same way
 * (and the server ignores a second submission of the same form anyway).
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-register]");
  if (!form) {
    return;
  }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-register-row]"));
  var search = form.querySelector("[data-register-search]");
  var counter = form.querySelector("[data-register-count]");

  function fold(text) {
    // Case- and accent-insensitive: "nicolo" finds "Nicolò".
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  rows.forEach(function (row) {
    row.setAttribute("data-key", fold(row.getAttribute("data-name") || ""));
  });

  function box(row) {
    return row.querySelector("input[type=checkbox]");
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

  var tools = form.querySelector("[data-register-tools]");
  if (tools) {
    tools.hidden = false;
  }
  if (search) {
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var key = row.getAttribute("data-key");
        row.hidden = !words.every(function (word) {
          return key.indexOf(word) !== -1;
        });
      });
    });
    // Enter in the search box must not submit the register.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
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
  refresh();
})();
