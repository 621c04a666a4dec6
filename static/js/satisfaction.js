/* The satisfaction index trend (Chart.js 4, vendored). Data from
   <script type="application/json" id="satisfaction-trend-data"> (json_script);
   the same numbers are in the table below the chart. */
(function () {
  "use strict";

  var source = document.getElementById("satisfaction-trend-data");
  var canvas = document.querySelector("canvas[data-satisfaction-trend]");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {
          data: data.values,
          borderColor: "#0d6efd",
          backgroundColor: "rgba(13,110,253,.15)",
          spanGaps: true,
          fill: true,
          tension: 0.25,
          pointRadius: 4,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            afterLabel: function (item) {
              return "n = " + data.answers[item.dataIndex];
            },
          },
        },
      },
      scales: { y: { min: 0, max: 100 } },
    },
  });
})();
