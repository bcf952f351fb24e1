// Training-day dashboard: replace the table's numbers with each message the
// server pushes (aggregated counts every few seconds). Without JS the page
// still shows the numbers and a "reload" link.
const table = document.getElementById("live");
if (table && "WebSocket" in window) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const keys = ["active", "testing", "submitted", "completed"];
  const render = (data) => {
    const cells = (row) =>
      keys.map((k) => `<td class="num">${Number(row[k])}</td>`).join("");
    const esc = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    table.tBodies[0].innerHTML = data.rows
      .map((r) => `<tr><th>${esc(r.name)}</th>${cells(r)}</tr>`)
      .join("");
    table.tFoot.rows[0].innerHTML =
      table.tFoot.rows[0].cells[0].outerHTML + cells(data.total);
    document.getElementById("live-at").textContent = data.at;
  };
  const connect = () => {
    const ws = new WebSocket(scheme + "//" + location.host + table.dataset.ws);
    ws.onmessage = (e) => render(JSON.parse(e.data));
    ws.onclose = (e) => { if (e.code !== 4403) setTimeout(connect, 10000); };
  };
  connect();
}
