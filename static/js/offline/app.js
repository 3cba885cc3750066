/*
 * The offline registers' page (docs/offline.md): the week's sessions and their registers
 * drawn from the device copy (store.js), filled without a connection, saved on the
 * device and sent by sync.js when the connection returns. Registers the server refused
 * stay listed with its message; a conflict links to the page that compares the versions.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-offline-app]");
  if (!root || !window.indexedDB) {
    return;
  }
  var T = JSON.parse(document.getElementById("q-offline-strings").textContent);
  var DATA_URL = root.getAttribute("data-data-url");
  var $ = function (name) {
    return root.querySelector("[data-offline-" + name + "]");
  };
  var state = { set: null, outbox: [], current: null, signedOut: false };
  var RETRY_MS = 10000;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key];
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function decimal(text) {
    var value = Number(String(text).trim().replace(",", "."));
    return isFinite(value) ? value : NaN;
  }

  function shownHours(value) {
    return Number(value).toFixed(2).replace(".", ",");
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // ---- Status line ---------------------------------------------------------------

  function showStatus(extra) {
    var parts = [navigator.onLine ? T.online : T.offline];
    if (state.signedOut) {
      parts.push(T.signed_out);
    }
    if (state.set && state.set.fetchedAt) {
      var when = new Date(state.set.fetchedAt);
      parts.push(fill(T.copy_of, { when: when.toLocaleDateString("it-IT") + " " + when.toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit" }) }));
    } else if (!state.set) {
      parts.push(T.no_copy);
    }
    if (extra) {
      parts.push(extra);
    }
    $("status").textContent = parts.join(" ");
  }

  // ---- Lists ---------------------------------------------------------------------

  function pendingFor(sessionId) {
    for (var i = 0; i < state.outbox.length; i++) {
      if (state.outbox[i].sessionId === sessionId) {
        return state.outbox[i];
      }
    }
    return null;
  }

  function statusText(item) {
    if (item.status === "conflict") {
      return T.conflict;
    }
    if (item.status === "refused") {
      return T.refused;
    }
    return item.retry ? T.retry : T.pending;
  }

  function renderOutbox() {
    var list = $("outbox");
    list.textContent = "";
    state.outbox.forEach(function (item) {
      var li = el("li", { "class": "q-offline-item is-" + item.status, "data-outbox-item": item.sessionId });
      li.appendChild(el("strong", {}, item.title));
      li.appendChild(document.createTextNode(" — "));
      li.appendChild(el("span", { "data-outbox-status": "" }, statusText(item)));
      if (item.message && item.status !== "pending") {
        li.appendChild(el("span", { "class": "d-block", "data-outbox-message": "" }, item.message));
      }
      if (item.status === "conflict" && item.conflictUrl) {
        li.appendChild(el("a", { href: item.conflictUrl, "class": "d-block", "data-outbox-conflict": "" }, T.compare));
      }
      var button = el("button", { type: "button", "class": "btn btn-link p-0 d-block", "data-open": item.sessionId, "aria-label": T.open + ": " + item.title }, T.open);
      li.appendChild(button);
      list.appendChild(li);
    });
    $("outbox-section").hidden = !state.outbox.length;
  }

  function renderSessions() {
    var list = $("sessions");
    list.textContent = "";
    var sessions = (state.set && state.set.sessions) || [];
    if (state.set && state.set.week) {
      $("week").textContent = state.set.week.start + " – " + state.set.week.end;
    }
    if (!sessions.length && state.set) {
      list.appendChild(el("li", {}, T.no_sessions));
    }
    sessions.forEach(function (s) {
      var li = el("li", { "class": "q-offline-session" });
      var button = el("button", { type: "button", "class": "btn btn-outline-primary q-offline-open", "data-open": s.id, "data-session": s.id });
      button.appendChild(el("span", { "class": "q-offline-when" }, s.day + " " + s.start + "–" + s.end));
      button.appendChild(el("span", { "class": "q-offline-what" }, s.activity + (s.place ? " · " + s.place : "")));
      var item = pendingFor(s.id);
      var badge = item ? statusText(item) : s.validated ? T.validated : s.state === "held" ? T.held : T.planned;
      button.appendChild(el("span", { "class": "q-offline-badge", "data-session-status": "" }, badge));
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  function render() {
    renderOutbox();
    renderSessions();
    showStatus();
  }

  function reload() {
    return Promise.all([QStore.getMeta("set"), QStore.outbox()]).then(function (values) {
      state.set = values[0] || null;
      state.outbox = values[1];
      render();
    });
  }

  // ---- The register of one session -----------------------------------------------

  function findSession(id) {
    var sessions = (state.set && state.set.sessions) || [];
    for (var i = 0; i < sessions.length; i++) {
      if (sessions[i].id === id) {
        return sessions[i];
      }
    }
    return null;
  }

  function peopleOf(session) {
    var byId = {};
    ((state.set.people || {})[String(session.project_id)] || []).forEach(function (p) {
      byId[p.id] = p;
    });
    return byId;
  }

  function row(session, person, checked, hours, usual) {
    var li = el("li", { "class": "q-register-row" + (checked ? " is-checked" : ""), "data-register-row": "", "data-person": person.id, "data-name": person.name });
    var id = "q-offline-present-" + person.id;
    var box = el("input", { type: "checkbox", "class": "q-register-check", id: id, value: person.id });
    box.checked = checked;
    li.appendChild(box);
    var label = el("label", { "class": "q-register-name", "for": id }, person.name);
    if (usual) {
      label.appendChild(document.createTextNode(" "));
      label.appendChild(el("span", { "class": "badge bg-light text-dark" }, T.usual));
    }
    li.appendChild(label);
    var span = el("span", { "class": "q-register-hours" });
    var hoursId = "q-offline-hours-" + person.id;
    span.appendChild(el("label", { "class": "visually-hidden", "for": hoursId }, fill(T.hours_of, { name: person.name })));
    var input = el("input", { type: "text", id: hoursId, inputmode: "decimal", size: "4", "class": "form-control", "data-hours": "" });
    input.value = shownHours(hours || session.hours);
    span.appendChild(input);
    span.appendChild(el("span", { "aria-hidden": "true", "class": "small" }, T.hours));
    li.appendChild(span);
    return li;
  }

  function count() {
    $("count").textContent = String(root.querySelectorAll("[data-offline-rows] input[type=checkbox]:checked").length);
  }

  function openSession(id) {
    var session = findSession(id);
    if (!session) {
      return;
    }
    state.current = session;
    var item = pendingFor(id);
    var people = peopleOf(session);
    var usual = {};
    session.usual.forEach(function (pid) {
      usual[pid] = true;
    });
    var ticked = {};
    var headCount = session.head_count;
    if (item) {
      Object.keys(item.people).forEach(function (pid) {
        ticked[pid] = item.people[pid];
      });
      headCount = item.head_count;
    } else if (Object.keys(session.register).length || session.state !== "planned") {
      ticked = session.register;
    } else {
      session.usual.forEach(function (pid) {
        ticked[pid] = session.hours;
      });
    }
    // Rows: on the register (or ticked on the device), then the usual participants.
    var ids = Object.keys(ticked).map(Number);
    session.usual.forEach(function (pid) {
      if (ids.indexOf(pid) === -1) {
        ids.push(pid);
      }
    });
    var rows = $("rows");
    rows.textContent = "";
    ids.forEach(function (pid) {
      var person = people[pid] || { id: pid, name: "#" + pid };
      rows.appendChild(row(session, person, ticked[pid] !== undefined, ticked[pid], usual[pid]));
    });
    $("head-count").value = String(headCount);
    $("search").value = "";
    $("search-status").textContent = "";
    $("form-error").hidden = true;
    $("editor-title").textContent = session.activity;
    $("editor-when").textContent = session.day + ", " + session.start + "–" + session.end + (session.place ? ", " + session.place : "") + " · " + session.project_title;
    var note = $("editor-note");
    var readOnly = session.validated;
    note.hidden = true;
    if (session.validated) {
      note.textContent = T.validated_note;
      note.hidden = false;
    } else if (new Date(session.starts_at) > new Date()) {
      note.textContent = T.not_started;
      note.hidden = false;
      readOnly = true;
    }
    $("save").disabled = readOnly;
    count();
    $("editor").hidden = false;
    $("sessions-section").hidden = true;
    $("outbox-section").hidden = true;
    $("editor-title").focus();
  }

  function closeEditor() {
    var id = state.current ? state.current.id : null;
    state.current = null;
    $("editor").hidden = true;
    $("sessions-section").hidden = false;
    render();
    // Back where the operator was: the session's button in the list.
    var button = id && root.querySelector("[data-session='" + id + "']");
    if (button) {
      button.focus();
    }
  }

  function search() {
    var session = state.current;
    var words = fold($("search").value).split(/\s+/).filter(Boolean);
    var rows = root.querySelectorAll("[data-offline-rows] [data-register-row]");
    var shown = {};
    Array.prototype.forEach.call(rows, function (li) {
      var key = fold(li.getAttribute("data-name"));
      li.hidden = !words.every(function (w) {
        return key.indexOf(w) !== -1;
      });
      shown[li.getAttribute("data-person")] = true;
    });
    if (!words.length) {
      $("search-status").textContent = "";
      return;
    }
    // People of the pool not listed yet join the list, unticked.
    var people = peopleOf(session);
    var added = 0;
    Object.keys(people).forEach(function (pid) {
      var person = people[pid];
      var key = fold(person.name);
      if (!shown[pid] && added < 50 && words.every(function (w) {
        return key.indexOf(w) !== -1;
      })) {
        $("rows").appendChild(row(session, person, false, null, false));
        added += 1;
      }
    });
    var visible = root.querySelectorAll("[data-offline-rows] [data-register-row]:not([hidden])").length;
    $("search-status").textContent = visible ? fill(T.found, { n: visible }) : T.found_none;
  }

  function collect(session) {
    var people = {};
    var error = null;
    var limit = decimal(session.hours);
    Array.prototype.forEach.call(root.querySelectorAll("[data-offline-rows] [data-register-row]"), function (li) {
      var box = li.querySelector("input[type=checkbox]");
      if (!box.checked) {
        return;
      }
      var input = li.querySelector("[data-hours]");
      var raw = input.value.trim();
      var hours = raw ? decimal(raw) : limit;
      if (!(hours > 0) || hours > limit) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
        error = error || fill(T.bad_hours, { name: li.getAttribute("data-name"), h: shownHours(limit) });
        return;
      }
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-invalid");
      people[li.getAttribute("data-person")] = hours.toFixed(2);
    });
    var headCount = $("head-count").value.trim() || "0";
    if (!/^\d+$/.test(headCount) || Number(headCount) > 10000) {
      error = error || T.bad_head_count;
    }
    return { people: people, head_count: Number(headCount), error: error };
  }

  function save(event) {
    event.preventDefault();
    var session = state.current;
    if (!session || $("save").disabled) {
      return;
    }
    var data = collect(session);
    if (data.error) {
      $("form-error").textContent = data.error;
      $("form-error").className = "mb-2 alert alert-danger";
      $("form-error").hidden = false;
      return;
    }
    var previous = pendingFor(session.id);
    var item = {
      sessionId: session.id,
      submitUrl: session.submit_url,
      title: session.activity + ", " + session.day + " " + session.start,
      // The version this device had: the one of the register saved before, if any.
      version: previous ? previous.version : session.version,
      token: uuid(),
      head_count: data.head_count,
      people: data.people,
      saved_at: new Date().toISOString(),
      status: "pending",
    };
    QStore.saveRegister(item)
      .then(reload)
      .then(function () {
        closeEditor();
        showStatus(T.saved);
        askForSync();
        if (navigator.onLine) {
          send();
        }
      });
  }

  // ---- Sending -------------------------------------------------------------------

  function askForSync() {
    if (navigator.serviceWorker && window.SyncManager) {
      navigator.serviceWorker.ready
        .then(function (registration) {
          return registration.sync.register("registri");
        })
        .catch(function () {});
    }
  }

  function send() {
    showStatus(T.sending);
    return QSync.sendAll(DATA_URL).then(function (outcome) {
      state.signedOut = outcome.stopped === "signed-out";
      // A server error (or a busy server) leaves registers waiting: try again shortly.
      if (outcome.retry || (outcome.stopped === "offline" && navigator.onLine)) {
        window.setTimeout(function () {
          if (navigator.onLine) {
            send();
          }
        }, RETRY_MS);
      }
      return reload().then(function () {
        if (outcome.sent) {
          showStatus(fill(T.sent, { n: outcome.sent }));
        }
        root.setAttribute("data-synced", String(Date.now()));
      });
    }, function () {
      return reload();
    });
  }

  function refresh() {
    return QSync.refresh(DATA_URL).then(
      function () {
        state.signedOut = false;
        return reload();
      },
      function (error) {
        state.signedOut = Boolean(error && error.signedOut);
        showStatus();
      }
    );
  }

  // ---- Events --------------------------------------------------------------------

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-open]");
    if (target) {
      openSession(Number(target.getAttribute("data-open")));
    }
  });
  root.addEventListener("change", function (event) {
    if (event.target.matches("[data-offline-rows] input[type=checkbox]")) {
      event.target.closest("[data-register-row]").classList.toggle("is-checked", event.target.checked);
      count();
    }
  });
  $("search").addEventListener("input", search);
  $("form").addEventListener("submit", save);
  $("close").addEventListener("click", closeEditor);
  $("send").addEventListener("click", send);
  $("refresh").addEventListener("click", refresh);
  window.addEventListener("online", function () {
    refresh().then(send);
  });
  window.addEventListener("offline", function () {
    showStatus();
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") {
        reload();
      }
    });
    navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
  }

  // Logging out deletes the device copy (the server's Clear-Site-Data does it too): ask
  // first when registers are still waiting to be sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("q-logout-form") || form.hasAttribute("data-checked")) {
      return;
    }
    event.preventDefault();
    var waiting = state.outbox.filter(function (item) {
      return item.status !== "conflict";
    }).length;
    if (waiting && !window.confirm(T.logout_pending)) {
      return;
    }
    form.setAttribute("data-checked", "");
    QStore.destroy().then(function () {
      form.submit();
    });
  }, true);

  reload().then(function () {
    if (navigator.onLine) {
      return refresh().then(send);
    }
    return null;
  }).then(function () {
    root.setAttribute("data-ready", "true");
  });
})();
