/*
 * Sending the registers saved on the device: by the page (when it opens, when the
 * connection returns, on "Invia ora") and by the service worker (background sync).
 *
 * Registers go one at a time, in the order saved, each on its own: a register the server
 * refuses (4xx) stays on the device with the server's message and the next one is sent
 * all the same; a conflict (409) stays with the link to the comparison page. Only a lost
 * connection or a lost login stops the round, and the registers wait for the next.
 * Each register carries its one-time token: sent twice, it is saved once.
 */
(function (scope) {
  "use strict";

  var running = null;

  function getJSON(url) {
    return scope
      .fetch(url, {
        credentials: "same-origin",
        redirect: "manual",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.type === "opaqueredirect" || !response.ok || type.indexOf("json") === -1) {
          var error = new Error("signed-out");
          error.signedOut = response.type === "opaqueredirect" || response.status === 403 || response.status === 404;
          throw error;
        }
        return response.json();
      });
  }

  // Fetch the week's copy and keep it; drop the conflicts decided since.
  function refresh(dataUrl) {
    return getJSON(dataUrl).then(function (data) {
      data.fetchedAt = new Date().toISOString();
      var open = {};
      (data.open_conflicts || []).forEach(function (id) {
        open[id] = true;
      });
      return scope.QStore.setMeta("set", data)
        .then(function () {
          return scope.QStore.outbox();
        })
        .then(function (items) {
          return Promise.all(
            items
              .filter(function (item) {
                return item.status === "conflict" && !open[item.conflictId];
              })
              .map(function (item) {
                return scope.QStore.remove(item.seq);
              })
          );
        })
        .then(function () {
          return data;
        });
    });
  }

  function body(item) {
    return JSON.stringify({
      version: item.version,
      token: item.token,
      head_count: item.head_count,
      people: item.people,
      saved_at: item.saved_at,
    });
  }

  // The device copy takes the register just saved and its new version, so that the next
  // change made on this device starts from it (even if the copy cannot be fetched now).
  function remember(item, version) {
    return scope.QStore.getMeta("set").then(function (set) {
      var sessions = (set && set.sessions) || [];
      sessions.forEach(function (session) {
        if (session.id === item.sessionId && version) {
          session.version = version;
          session.register = item.people;
          session.head_count = item.head_count;
          session.state = "held";
        }
      });
      return set ? scope.QStore.setMeta("set", set) : null;
    });
  }

  function sendOne(item, csrf) {
    return scope
      .fetch(item.submitUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf,
        },
        body: body(item),
      })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 403) {
          return { stop: "signed-out" };
        }
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            if (response.ok) {
              return scope.QStore.remove(item.seq)
                .then(function () {
                  return remember(item, data.version);
                })
                .then(function () {
                  return { sent: true };
                });
            }
            item.message = data.error || String(response.status);
            if (response.status === 409) {
              item.status = "conflict";
              item.conflictUrl = data.conflict_url;
              item.conflictId = data.conflict;
            } else if (response.status >= 500) {
              item.status = "pending";
              item.retry = true;
            } else {
              item.status = "refused";
            }
            return scope.QStore.update(item).then(function () {
              return item.status === "pending" ? { retry: true } : { refused: true };
            });
          });
      }, function () {
        return { stop: "offline" };
      });
  }

  function sendAll(dataUrl) {
    if (running) {
      return running;
    }
    // One round at a time, also between the page and the service worker (Web Locks):
    // the second finds the registers the first has sent gone, or answered.
    var locks = scope.navigator && scope.navigator.locks;
    var work = locks
      ? locks.request("quartieri-offline-sync", function () {
          return round(dataUrl);
        })
      : round(dataUrl);
    running = work.then(
      function (outcome) {
        running = null;
        return outcome;
      },
      function (error) {
        running = null;
        throw error;
      }
    );
    return running;
  }

  // Every register waiting, in order. Resolves to {sent, refused, retry, stopped}: retry
  // counts the registers a server error (5xx) left waiting.
  function round(dataUrl) {
    var outcome = { sent: 0, refused: 0, retry: 0, stopped: null };
    return scope.QStore.outbox()
      .then(function (items) {
        var waiting = items.filter(function (item) {
          return item.status === "pending";
        });
        if (!waiting.length) {
          return null;
        }
        // A fresh copy first: it carries the CSRF token of this login.
        return refresh(dataUrl).then(
          function (data) {
            var chain = Promise.resolve();
            waiting.forEach(function (item) {
              chain = chain.then(function () {
                if (outcome.stopped) {
                  return null;
                }
                return sendOne(item, data.csrf_token).then(function (result) {
                  if (result.stop) {
                    outcome.stopped = result.stop;
                  } else if (result.sent) {
                    outcome.sent += 1;
                  } else if (result.retry) {
                    outcome.retry += 1;
                  } else {
                    outcome.refused += 1;
                  }
                });
              });
            });
            return chain.then(function () {
              return outcome.sent ? refresh(dataUrl).catch(function () {}) : null;
            });
          },
          function (error) {
            outcome.stopped = error.signedOut ? "signed-out" : "offline";
          }
        );
      })
      .then(function () {
        return outcome;
      });
  }

  scope.QSync = { refresh: refresh, sendAll: sendAll };
})(self);
