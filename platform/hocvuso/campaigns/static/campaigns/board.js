// On a campaign day the board asks for itself again every `data-refresh`
// seconds and swaps the new figures in, so a screen left open in a hall
// follows the day without anyone reloading it. No refresh on a failed request:
// the figures on screen stay until the next one succeeds.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var seconds = parseInt(board.getAttribute("data-refresh"), 10);
  if (!(seconds > 0)) return;
  function refresh() {
    if (document.hidden) return;
    fetch(window.location.href, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("board");
        var current = document.getElementById("board");
        if (fresh && current) current.replaceWith(fresh);
      })
      .catch(function () {});
  }
  window.setInterval(refresh, seconds * 1000);
})();
