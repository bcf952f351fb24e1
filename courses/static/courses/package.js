// A content package in a lesson: the package plays in a sandboxed frame of
// its own origin; its SCORM runtime (scorm_api.js) posts its status and score
// here. Only messages from that frame count, only the SCORM vocabulary and a
// 0–100 score are sent on, and the server checks them again.

const STATUSES = ["not attempted", "browsed", "incomplete", "failed", "completed", "passed"];
const csrf = () =>
  (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";

function reading(data) {
  if (!data || typeof data !== "object" || data.hocvuso !== "scorm-1.2") return null;
  if (typeof data.status !== "string" || !STATUSES.includes(data.status)) return null;
  let score = null;
  if (typeof data.score === "string" && data.score !== "" && data.score.length < 16) {
    score = Number(data.score);
    if (!Number.isFinite(score) || score < 0 || score > 100) score = null;
  }
  return { status: data.status, score };
}

function setup(box) {
  const frame = box.querySelector("iframe");
  const done = box.querySelector("[data-package-done]");
  const note = box.querySelector("[data-package-saved]");
  let last = "";
  let queue = Promise.resolve();

  const send = (body) =>
    fetch(box.dataset.reportUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body,
    })
      .then(async (response) => {
        const data = await response.json().catch(() => ({}));
        if (response.ok) {
          note.hidden = true;
          if (data.lesson_completed && done.hidden) {
            done.hidden = false;
            // The progress bar and the lesson's buttons (page_state.js).
            document.dispatchEvent(new Event("hocvuso:state-stale"));
          }
        } else {
          note.textContent = response.status === 401
            ? box.dataset.loginNote
            : data.detail || box.dataset.errorNote;
          note.hidden = false;
        }
      })
      .catch(() => {
        note.textContent = box.dataset.errorNote;
        note.hidden = false;
      });

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow) return;
    const value = reading(event.data);
    if (!value || value.status === "not attempted") return;
    const body = JSON.stringify({
      package_id: Number(box.dataset.package),
      lesson_id: Number(box.dataset.lesson),
      status: value.status,
      score: value.score,
    });
    if (body === last) return;
    last = body;
    queue = queue.then(() => send(body));
  });
}

for (const box of document.querySelectorAll("[data-package-player]")) setup(box);
