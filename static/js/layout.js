/* Lists as stacked cards on phones: every cell of a table.table-cards gets its
   column's name in data-label (layout.css shows it before the value). Runs on
   the page and again on what htmx swaps in. */
(function () {
  "use strict";

  function headerNames(table) {
    var names = [];
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) {
      return names;
    }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var span = cell.colSpan || 1;
      var text = (cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i += 1) {
        names.push(text);
      }
    });
    return names;
  }

  function label(root) {
    var tables = root.querySelectorAll ? root.querySelectorAll("table.table-cards") : [];
    Array.prototype.forEach.call(tables, function (table) {
      var names = headerNames(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
              cell.setAttribute("data-label", names[column] || "");
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  label(document);
  document.addEventListener("htmx:load", function (event) {
    label(event.target);
  });
})();
