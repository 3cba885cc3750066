{% load static %}/*
 * Quartieri's service worker (docs/offline.md), served at /sw.js by
 * beneficiaries/registers/offline_views.py so that its scope is the whole portal.
 *
 * - It keeps the offline registers' page and the files it needs.
 * - Pages: from the network; without a connection, from the cache: the offline registers'
 *   page stands in for any page, so going offline never shows the login page or the
 *   browser's error. The page is stored only when it really came (not a redirect to the
 *   login page).
 * - Static files: from the cache, else the network (and kept).
 * - Data (the week's copy, the registers sent) is never cached here: it lives in
 *   IndexedDB (store.js), which the logout empties.
 * - Background sync "registri": sends the registers saved on the device (sync.js).
 */
"use strict";

importScripts("{{ store_js }}", "{{ sync_js }}");

var CACHE = "quartieri-offline-shell-v1";
var APP_URL = "{{ app_url }}";
var DATA_URL = "{% url 'offline:data' %}";
var SHELL = [{% for url in shell %}"{{ url }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

function keepPage(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(
        SHELL.map(function (url) {
          return fetch(url, { credentials: "same-origin" }).then(
            function (response) {
              if (keepPage(response)) {
                return cache.put(url, response);
              }
              return null;
            },
            function () {
              return null;
            }
          );
        })
      );
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (name) {
          return name !== CACHE;
        }).map(function (name) {
          return caches["delete"](name);
        })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).then(
        function (response) {
          if (url.pathname === APP_URL && keepPage(response)) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) {
              cache.put(APP_URL, copy);
            });
          }
          return response;
        },
        function () {
          return caches.match(APP_URL).then(function (cached) {
            return cached || Response.error();
          });
        }
      )
    );
    return;
  }
  if (url.pathname.indexOf("{% get_static_prefix %}") === 0) {
    event.respondWith(
      caches.match(request).then(function (cached) {
        return (
          cached ||
          fetch(request).then(function (response) {
            if (keepPage(response)) {
              var copy = response.clone();
              caches.open(CACHE).then(function (cache) {
                cache.put(request, copy);
              });
            }
            return response;
          })
        );
      })
    );
  }
});

function tellPages(outcome) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) {
      page.postMessage({ type: "synced", outcome: outcome });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "registri") {
    event.waitUntil(self.QSync.sendAll(DATA_URL).then(tellPages));
  }
});
