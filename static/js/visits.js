/* Visits pages. Served as a file: no inline scripts (Content-Security-Policy).

   <form data-geolocation> holds hidden inputs [data-latitude] and
   [data-longitude]; when the user allows it, the browser's position fills
   them. The form never waits for it: without a position it is sent as is. */
(function () {
  "use strict";

  function locate(form) {
    var lat = form.querySelector("[data-latitude]");
    var lng = form.querySelector("[data-longitude]");
    var status = form.querySelector("[data-geolocation-status]");
    if (!lat || !lng || !("geolocation" in navigator)) {
      return;
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        if (status) {
          status.hidden = false;
        }
      },
      function () {
        /* Refused or unavailable: the visit is recorded without a location. */
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  }

  // On the page, and on what htmx swaps in (the week page changes in place).
  document.addEventListener("htmx:load", function (event) {
    if (event.target.querySelectorAll) {
      event.target.querySelectorAll("form[data-geolocation]").forEach(locate);
    }
  });

  // The work log form: the day for a daily log, the week for a weekly summary.
  function showLogKind() {
    var kind = document.querySelector("select[name=kind]");
    var parts = document.querySelectorAll("[data-log-kind]");
    if (!kind || !parts.length) {
      return;
    }
    parts.forEach(function (part) {
      part.hidden = part.dataset.logKind !== kind.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name=kind]")) {
      showLogKind();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showLogKind();
    document.querySelectorAll("form[data-geolocation]").forEach(locate);

    // A checklist item's note opens when it is ticked (it stays usable either way).
    document.querySelectorAll("[data-checklist-item]").forEach(function (item) {
      var box = item.querySelector("input[type=checkbox]");
      if (!box) {
        return;
      }
      var sync = function () {
        item.classList.toggle("is-done", box.checked);
      };
      box.addEventListener("change", sync);
      sync();
    });
  });
})();
