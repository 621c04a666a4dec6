/* The CRM's service worker: what a manager opened online opens again without signal.

   - Static files (hashed names, never changed) come from the cache first.
   - Pages come from the network; when it fails (no signal, a basement), the copy
     kept the last time the page was opened online is shown, or the offline page.
   - The pages to keep ready (today, the week, the customer cards) are fetched
     when a page asks for it ("warm" message from offline.js), as are the static
     files the page loaded.
   - Nothing under /api/, /accounts/, /admin/ or the exports and files is kept;
     "clear" (logging out on a shared phone) deletes everything kept. */
"use strict";

var VERSION = "v2";
var PAGES = "crm-pages-" + VERSION;
var STATIC = "crm-static-" + VERSION;
var OFFLINE_URL = "/offline/";
var NEVER = [/^\/api\//, /^\/accounts\//, /^\/admin\//, /^\/exports\//, /^\/media\//, /\/pdf\/$/, /\.png$/];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(PAGES).then(function (cache) {
      return cache.add(new Request(OFFLINE_URL, { credentials: "same-origin" }));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("crm-") === 0 && name !== PAGES && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function kept(url) {
  if (url.origin !== self.location.origin) {
    return false;
  }
  return !NEVER.some(function (pattern) { return pattern.test(url.pathname); });
}

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  });
}

function marked(response) {
  // The page says it is the kept copy (offline.js shows so): a mark in its head.
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(html.replace("<head>", '<head><meta name="crm-kept" content="1">'), {
      status: response.status,
      headers: headers
    });
  });
}

function fromCache(request) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (hit) {
      return hit || cache.match(OFFLINE_URL, { ignoreVary: true });
    });
  }).then(function (response) {
    return response ? marked(response) : Response.error();
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (!kept(url)) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.open(STATIC).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok) {
              cache.put(request, response.clone());
            }
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate" || (request.headers.get("accept") || "").indexOf("text/html") !== -1) {
    event.respondWith(fromNetwork(request).catch(function () { return fromCache(request); }));
  }
});

function warm(urls) {
  return Promise.all(urls.map(function (href) {
    var url = new URL(href, self.location.origin);
    if (!kept(url)) {
      return null;
    }
    var isStatic = url.pathname.indexOf("/static/") === 0;
    return caches.open(isStatic ? STATIC : PAGES).then(function (cache) {
      if (isStatic) {
        return cache.match(url.href).then(function (hit) {
          return hit || cache.add(url.href);
        });
      }
      // Not following a redirect: a page of an ended session leads to the login page,
      // whose answer would set a new CSRF cookie under the login form being filled in.
      return fetch(url.href, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (!response.ok || response.redirected) {
          return null;
        }
        return response.clone().text().then(function (html) {
          // The page's own static files, so that it works when opened offline.
          var files = [];
          html.replace(/(?:src|href)="(\/static\/[^"]+)"/g, function (_match, path) {
            files.push(path);
            return _match;
          });
          return cache.put(url.href, response).then(function () {
            return caches.open(STATIC).then(function (statics) {
              return Promise.all(files.map(function (path) {
                return statics.match(path).then(function (hit) {
                  return hit || statics.add(path).catch(function () { return null; });
                });
              }));
            });
          });
        });
      });
    }).catch(function () { return null; });
  }));
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = event.ports && event.ports[0];
  var done = function () {
    if (reply) {
      reply.postMessage({ done: data.type });
    }
  };
  if (data.type === "warm") {
    event.waitUntil(warm(data.urls || []).then(done, done));
  } else if (data.type === "clear") {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("crm-") === 0;
        }).map(function (name) { return caches.delete(name); }));
      }).then(done, done)
    );
  }
});
