// Training-day dashboard: replace the table's numbers with each update.
// Updates come over a websocket; where none can be opened (a proxy without
// websockets, an old browser) or it drops, the page asks for the numbers
// every few seconds instead and says so. Without JS the page still shows
// the numbers and a "reload" link.
const table = document.getElementById("live");
if (table) {
  const keys = ["active", "testing", "submitted", "completed"];
  const seconds = Number(table.dataset.interval) || 5;
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const cells = (row) => keys.map((k) => `<td class="num">${Number(row[k])}</td>`).join("");
  const render = (data) => {
    const total = table.tBodies[0].rows[0];
    total.innerHTML = total.cells[0].outerHTML + cells(data.total);
    table.tBodies[1].innerHTML = data.rows
      .map((r) => `<tr><th scope="row">${esc(r.name)}</th>${cells(r)}</tr>`)
      .join("");
    document.getElementById("live-at").textContent = data.at;
  };
  let poller = null;
  const poll = () => {
    if (poller) return;
    const mode = document.getElementById("live-mode");
    mode.textContent = mode.dataset.polling;
    mode.hidden = false;
    const once = () =>
      fetch(table.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((data) => data && render(data))
        .catch(() => {});
    poller = setInterval(once, seconds * 1000);
    once();
  };
  const connect = () => {
    if (!("WebSocket" in window)) return poll();
    let opened = false;
    let ws;
    try {
      ws = new WebSocket((location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + table.dataset.ws);
    } catch (e) {
      return poll();
    }
    ws.onopen = () => {
      opened = true;
      if (poller) {
        clearInterval(poller);
        poller = null;
        document.getElementById("live-mode").hidden = true;
      }
    };
    ws.onmessage = (e) => render(JSON.parse(e.data));
    ws.onclose = (e) => {
      if (e.code === 4403) return;
      poll();
      if (opened) setTimeout(connect, 30000);
    };
  };
  connect();
}
