// Live board: the server says when the timeline changed; the board section is fetched again and swapped in.
// Without JavaScript the page still shows the board as of its loading.
(function () {
  const board = document.getElementById("board");
  const status = document.getElementById("live-status");
  if (!board || !window.EventSource) return;
  let pending = false;
  async function refresh() {
    if (pending) return;
    pending = true;
    try {
      const response = await fetch(board.dataset.fragment, { headers: { "Accept": "text/html" } });
      if (response.ok) {
        board.innerHTML = await response.text();
        if (status) status.textContent = "Updated " + new Date().toISOString().substring(11, 19) + " UTC (live)";
      }
    } finally {
      pending = false;
    }
  }
  const events = new EventSource("/api/board/events");
  events.addEventListener("changed", refresh);
  events.onerror = function () { if (status) status.textContent = "Live updates paused; retrying…"; };
})();
