/* After a failed submit: the error summary at the top of the form
   (templates/includes/form_errors.html) links to each invalid field, and the
   first invalid field gets the focus, scrolled into view, so a phone does not
   show the top of the page while the error sits screens below. */
(function () {
  "use strict";

  var INVALID = '[aria-invalid="true"], .is-invalid';

  function show(element) {
    if (!element) {
      return;
    }
    if (!element.hasAttribute("tabindex") && element.tabIndex < 0) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "center", behavior: "instant" });
  }

  // The summary lists the fields in the form's order; the page may lay them
  // out in another: list them as the user meets them.
  function inPageOrder(summary) {
    var list = summary.querySelector("ul");
    if (!list) {
      return;
    }
    var items = Array.prototype.slice.call(list.children);
    function target(item) {
      var link = item.querySelector("a[href^='#']");
      return link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    }
    items
      .map(function (item, index) {
        return { item: item, target: target(item), index: index };
      })
      .sort(function (a, b) {
        if (!a.target || !b.target || a.target === b.target) {
          return a.target ? (b.target ? a.index - b.index : 1) : b.target ? -1 : a.index - b.index;
        }
        return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      })
      .forEach(function (entry) {
        list.appendChild(entry.item);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    var scope = summary.closest("form") || document;
    inPageOrder(summary);
    show(scope.querySelector(INVALID) || summary);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target) {
      event.preventDefault();
      show(target);
    }
  });
})();
