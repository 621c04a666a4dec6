/* Charts of the report pages (Chart.js 4, vendored). The data comes from a
   <script type="application/json" id="report-chart-data"> written by
   json_script; every <canvas data-chart="name"> draws chart "name". */
(function () {
  "use strict";

  var source = document.getElementById("report-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colors = ["#0d6efd", "#adb5bd", "#fd7e14", "#198754"];
  var formatter = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 0,
  });

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.dataset.chart];
    if (!chart || !chart.labels.length) {
      canvas.closest("[data-chart-box]") && canvas.closest("[data-chart-box]").classList.add("d-none");
      return;
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: colors[index % colors.length],
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: chart.series.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + formatter.format(context.parsed.y);
              },
            },
          },
        },
        scales: {
          y: {
            beginAtZero: true,
            ticks: {
              callback: function (value) {
                return formatter.format(value);
              },
            },
          },
        },
      },
    });
  });
})();
