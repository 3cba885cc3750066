/*
 * The device copy of the offline register (docs/offline.md), in IndexedDB. Used by the
 * page (app.js) and by the service worker (sync.js). No library: a few promises around
 * the IndexedDB API.
 *
 * Database "quartieri-offline", two object stores:
 *   meta   - key "set": the week's sessions and names (from /registri-offline/dati.json),
 *            with "fetchedAt"; key "csrf": the token for the next POST.
 *   outbox - the registers saved on the device, in the order saved (key "seq"); each
 *            {seq, sessionId, submitUrl, title, version, token, head_count, people,
 *             saved_at, status: "pending" | "refused" | "conflict", message, conflictUrl,
 *             conflictId}.
 * The logout's Clear-Site-Data header deletes it all; QStore.destroy() does the same.
 */
(function (scope) {
  "use strict";

  var NAME = "quartieri-offline";
  var VERSION = 1;
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (opening) {
      return opening;
    }
    opening = new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("meta")) {
          db.createObjectStore("meta");
        }
        if (!db.objectStoreNames.contains("outbox")) {
          var outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          outbox.createIndex("session", "sessionId", { unique: false });
        }
      };
      req.onsuccess = function () {
        var db = req.result;
        // Let a deletion (logout) proceed: close, and open again on the next call.
        db.onversionchange = function () {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = function () {
        opening = null;
        reject(req.error);
      };
    });
    return opening;
  }

  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        Promise.resolve(work(tx.objectStore(storeName))).then(function (value) {
          result = value;
        }, reject);
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
        tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  var QStore = {
    getMeta: function (key) {
      return run("meta", "readonly", function (store) {
        return request(store.get(key));
      });
    },
    setMeta: function (key, value) {
      return run("meta", "readwrite", function (store) {
        return request(store.put(value, key));
      });
    },
    outbox: function () {
      return run("outbox", "readonly", function (store) {
        return request(store.getAll());
      }).then(function (items) {
        return items.sort(function (a, b) {
          return a.seq - b.seq;
        });
      });
    },
    // Save a register: it replaces the one of the same session not yet sent (in its
    // place in the queue), or joins the end of the queue.
    saveRegister: function (item) {
      return run("outbox", "readwrite", function (store) {
        return request(store.index("session").getAll(item.sessionId)).then(function (old) {
          if (old.length) {
            item.seq = old[0].seq;
          }
          return request(store.put(item));
        });
      });
    },
    update: function (item) {
      return run("outbox", "readwrite", function (store) {
        return request(store.put(item));
      });
    },
    remove: function (seq) {
      return run("outbox", "readwrite", function (store) {
        return request(store["delete"](seq));
      });
    },
    destroy: function () {
      return new Promise(function (resolve) {
        var req = scope.indexedDB.deleteDatabase(NAME);
        req.onsuccess = req.onerror = req.onblocked = function () {
          resolve();
        };
      });
    },
    NAME: NAME,
  };

  scope.QStore = QStore;
})(self);
