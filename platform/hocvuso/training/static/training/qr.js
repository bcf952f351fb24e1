// The trainer's QR page: a new QR (a new signed token) every few seconds,
// and the spoken code and the number present with it. No library: the
// server draws the SVG.
const img = document.getElementById("checkin-qr");
if (img) {
  const every = Number(img.dataset.refresh) || 10000;
  const code = document.getElementById("checkin-code");
  const present = document.getElementById("checkin-present");
  setInterval(async () => {
    img.src = `${img.dataset.src}?r=${Date.now()}`;
    try {
      const response = await fetch(img.dataset.state, { credentials: "same-origin" });
      if (!response.ok) return;
      const state = await response.json();
      code.textContent = state.code;
      present.textContent = state.present;
    } catch {
      // offline for a moment: the next round tries again
    }
  }, every);
}
