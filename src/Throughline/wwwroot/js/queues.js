// Queues over time: one line per stage, from the series the server put in #queue-series.
// Without JavaScript the chart stays hidden and the table under it holds the same values.
(function () {
  const source = document.getElementById("queue-series");
  const canvas = document.getElementById("queue-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  if (!data.labels || data.labels.length === 0) return;
  // Okabe-Ito: distinguishable with every common colour vision deficiency.
  const colours = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
  canvas.parentElement.hidden = false;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], pointRadius: 1 };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: true, position: "bottom" } },
      scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true, title: { display: true, text: "changes waiting" } } },
    },
  });
})();
