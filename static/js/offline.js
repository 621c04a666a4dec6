/* The installable app on the page: registers the service worker (static/js/sw.js,
   served at /sw.js), asks it to keep the manager's pages ready for use without
   signal (<meta name="crm-offline" content="/visits/today/ ...">, with the static
   files this page loaded), says when the page is shown without a connection, and
   on logging out (a shared phone) warns about anything not sent yet, then deletes
   what was kept: the pages, the field visits' queue and the forms' unsaved input. The customer cards'
   search box filters the cards ([data-card-filter]). */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="crm-offline"]');

  function send(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(); };
        registration.active.postMessage(message, [channel.port2]);
        setTimeout(resolve, 10000);
      });
    });
  }

  function staticFiles() {
    return performance.getEntriesByType("resource").map(function (entry) {
      return entry.name;
    }).filter(function (name) {
      return name.indexOf(location.origin + "/static/") === 0;
    });
  }

  function banner() {
    var existing = document.getElementById("offline-banner");
    var kept = document.querySelector('meta[name="crm-kept"]');
    if (navigator.onLine && !kept) {
      if (existing) {
        existing.remove();
      }
      return;
    }
    if (existing) {
      return;
    }
    var box = document.createElement("div");
    box.id = "offline-banner";
    box.className = "alert alert-warning rounded-0 mb-0 py-2 small text-center";
    box.setAttribute("role", "status");
    box.setAttribute("data-testid", "offline-banner");
    box.textContent = document.documentElement.lang === "en"
      ? "No connection: this page is the copy kept on this phone."
      : "无网络连接：显示的是本机保存的页面。";
    document.body.insertBefore(box, document.body.firstChild);
  }

  if ("serviceWorker" in navigator && meta) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      var pages = (meta.getAttribute("content") || "").split(/\s+/).filter(Boolean);
      if (navigator.onLine) {
        send({ type: "warm", urls: pages.concat([location.pathname + location.search], staticFiles()) })
          .then(function () {
            document.documentElement.setAttribute("data-offline-ready", "true");
          });
      }
    }).catch(function () { /* no service worker: the pages work online as before */ });
  }

  window.addEventListener("online", banner);
  window.addEventListener("offline", banner);
  banner();

  // What the phone keeps of the user: the field visits' queue (IndexedDB), the
  // forms' unsaved input (autosave.js, localStorage) and the pages (the worker).
  function unsent() {
    if (!window.indexedDB || !indexedDB.databases) {
      return Promise.resolve(0);
    }
    return indexedDB.databases().then(function (databases) {
      if (!databases.some(function (db) { return db.name === "crm-field"; })) {
        return 0;
      }
      return new Promise(function (resolve) {
        var request = indexedDB.open("crm-field");
        request.onsuccess = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("queue")) {
            db.close();
            resolve(0);
            return;
          }
          var count = db.transaction("queue").objectStore("queue").count();
          count.onsuccess = function () { db.close(); resolve(count.result); };
          count.onerror = function () { db.close(); resolve(0); };
        };
        request.onerror = function () { resolve(0); };
      });
    }, function () { return 0; });
  }

  function forget() {
    Object.keys(localStorage).forEach(function (key) {
      if (key.indexOf("autosave:") === 0) {
        localStorage.removeItem(key);
      }
    });
    var steps = [];
    if (window.indexedDB) {
      steps.push(new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase("crm-field");
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    if ("serviceWorker" in navigator) {
      steps.push(navigator.serviceWorker.getRegistration().then(function (registration) {
        return registration && registration.active ? send({ type: "clear" }) : null;
      }));
    }
    return Promise.all(steps);
  }

  var logout = document.querySelector('form[action$="/accounts/logout/"]');
  if (logout) {
    logout.addEventListener("submit", function (event) {
      if (logout.getAttribute("data-cleared") === "true") {
        return;
      }
      event.preventDefault();
      var submit = function () {
        logout.setAttribute("data-cleared", "true");
        logout.submit();
      };
      unsent().then(function (count) {
        var unsaved = Object.keys(localStorage).filter(function (key) {
          return key.indexOf("autosave:") === 0;
        }).length;
        if (count || unsaved) {
          var question = document.documentElement.lang === "en"
            ? "Not sent yet from this phone: " + count + " field visit steps and " + unsaved +
              " unsaved forms. Logging out deletes them. Log out anyway?"
            : "本机还有未发送的内容：" + count + " 个拜访操作、" + unsaved +
              " 个未保存的表单。退出登录会删除它们。仍要退出吗？";
          if (!window.confirm(question)) {
            return;
          }
        }
        forget().then(submit, submit);
      }, function () { forget().then(submit, submit); });
    });
  }

  var filter = document.querySelector("[data-card-filter]");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      document.querySelectorAll("[data-card]").forEach(function (card) {
        var text = (card.getAttribute("data-text") || "").toLowerCase();
        card.classList.toggle("d-none", words !== "" && text.indexOf(words) === -1);
      });
    });
  }
})();
