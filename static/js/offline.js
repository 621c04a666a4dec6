/* The installable app on the page: registers the service worker (static/js/sw.js,
   served at /sw.js), asks it to keep the manager's pages ready for use without
   signal (<meta name="crm-offline" content="/visits/today/ ...">, with the static
   files this page loaded), says when the page is shown without a connection, and
   on logging out deletes what was kept (a shared phone). The customer cards'
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

  var logout = document.querySelector('form[action$="/accounts/logout/"]');
  if (logout && "serviceWorker" in navigator) {
    logout.addEventListener("submit", function (event) {
      if (logout.getAttribute("data-cleared") === "true") {
        return;
      }
      event.preventDefault();
      var submit = function () {
        logout.setAttribute("data-cleared", "true");
        logout.submit();
      };
      navigator.serviceWorker.getRegistration().then(function (registration) {
        if (!registration || !registration.active) {
          submit();
          return;
        }
        send({ type: "clear" }).then(submit, submit);
      }, submit);
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
