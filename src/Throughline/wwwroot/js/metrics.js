// Metrics trends: draws one Chart.js chart per metric from the series the server put in #metrics-series.
// Without JavaScript the charts stay hidden and the tables under them hold the same values.
(function () {
  const source = document.getElementById("metrics-series");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const blue = "#0072b2";
  // A dashed vertical line where a new operating model took effect (data.modelChanges: the slice index and a label).
  const modelChanges = {
    id: "modelChanges",
    afterDatasetsDraw: function (chart) {
      const ctx = chart.ctx, x = chart.scales.x, area = chart.chartArea;
      for (const change of data.modelChanges || []) {
        const at = x.getPixelForValue(change.index);
        ctx.save();
        ctx.strokeStyle = "#d55e00";
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(at, area.top);
        ctx.lineTo(at, area.bottom);
        ctx.stroke();
        ctx.fillStyle = "#d55e00";
        ctx.font = "11px sans-serif";
        ctx.fillText(change.label, at + 3, area.top + 11);
        ctx.restore();
      }
    },
  };
  for (const canvas of document.querySelectorAll("canvas[data-series]")) {
    const series = data.series.find(function (s) { return s.id === canvas.dataset.series; });
    if (!series) continue;
    canvas.parentElement.hidden = false;
    const bars = series.id === "deploymentFrequency";
    new Chart(canvas, {
      type: bars ? "bar" : "line",
      plugins: [modelChanges],
      data: {
        labels: data.labels,
        datasets: [{ label: series.label, data: series.values, borderColor: blue, backgroundColor: bars ? blue : "rgba(0,114,178,.15)", pointRadius: 2, spanGaps: false }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return c.parsed.y === null ? "no data" : c.parsed.y + " " + series.unit; } } } },
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, title: { display: true, text: series.unit } } },
      },
    });
  }
})();
