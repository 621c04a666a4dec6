/* The home page's KPI charts (Chart.js 4, vendored). The data comes from
   <script type="application/json" id="kpi-chart-data"> written by json_script;
   every <canvas data-kpi-chart="key"> draws chart "key". Each chart's numbers
   are also in a table on the page, for screen readers and for copying. */
(function () {
  "use strict";

  var source = document.getElementById("kpi-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#adb5bd"];
  var lang = document.documentElement.lang || undefined;
  var whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  function format(unit, value) {
    if (value === null || value === undefined) {
      return "—";
    }
    if (unit === "percent" || unit === "rate") {
      return decimal.format(value) + "%";
    }
    if (unit === "index") {
      return decimal.format(value);
    }
    return whole.format(value);
  }

  document.querySelectorAll("canvas[data-kpi-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.kpiChart];
    if (!chart || !chart.labels.length) {
      return;
    }
    var box = canvas.parentElement;
    if (chart.horizontal) {
      // A bar per series and label: the box grows with the rows, not the bars' thinness.
      var bars = Math.max(chart.series.length, 1);
      // The legend (one line a series on a phone) comes on top of the bars.
      var legend = bars > 1 ? 22 * bars : 0;
      box.style.height = Math.max(160, chart.labels.length * (10 * bars + 18) + 60 + legend) + "px";
    }
    var percentScale = chart.unit === "percent" || chart.unit === "index";
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        callback: function (value) {
          return format(chart.unit, value);
        },
      },
    };
    if (percentScale) {
      valueAxis.max = 100;
    }
    if (chart.unit === "count") {
      valueAxis.ticks.precision = 0;
    }
    var mixed = chart.series.some(function (series) {
      return series.kind === "line";
    });
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          var color = colors[index % colors.length];
          var line = series.kind === "line" || chart.type === "line";
          return {
            type: series.kind === "line" ? "line" : undefined,
            label: series.label,
            data: series.data,
            backgroundColor: series.colors || (line ? color : color),
            borderColor: series.kind === "line" ? "#dc3545" : color,
            borderDash: series.kind === "line" ? [6, 4] : undefined,
            pointRadius: series.kind === "line" ? 0 : 3,
            spanGaps: true,
            fill: false,
            order: series.kind === "line" ? 0 : 1,
          };
        }),
      },
      options: {
        indexAxis: chart.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: {
            display: chart.series.length > 1 || mixed,
            position: "bottom",
            labels: { boxWidth: 12 },
          },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = chart.horizontal ? context.parsed.x : context.parsed.y;
                return context.dataset.label + ": " + format(chart.unit, value);
              },
            },
          },
        },
        scales: chart.horizontal ? { x: valueAxis } : { y: valueAxis },
      },
    });
  });
})();
