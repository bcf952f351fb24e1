// A content package in a lesson: the package plays in a sandboxed frame of
// its own origin; its runtime (scorm_api.js, scorm2004_api.js or the H5P
// player, h5p_player.js) posts its status and score here, in SCORM 1.2's
// words. Only messages from that frame count, only that vocabulary and a
// 0–100 score are sent on, and the server checks them again.

const RUNTIMES = ["scorm-1.2", "scorm-2004", "h5p"];
const STATUSES = ["not attempted", "browsed", "incomplete", "failed", "completed", "passed"];
const csrf = () =>
  (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";

// SCORM 2004's limits; a 1.2 runtime keeps to its smaller ones.
const SUSPEND_DATA_MAX = 64000;
const LOCATION_MAX = 1000;
// The runtimes read where the learner left off from the frame address's
// fragment (package_frame.js) before the package's own scripts run.
const RESUME_PREFIX = "#hocvuso-resume=";

function storable(value) {
  if (value.includes("\u0000")) return false;
  try {
    encodeURIComponent(value); // throws on a lone surrogate
    return true;
  } catch {
    return false;
  }
}

const savedText = (value, max) =>
  typeof value === "string" && value.length <= max && storable(value) ? value : undefined;

function reading(data) {
  if (!data || typeof data !== "object" || !RUNTIMES.includes(data.hocvuso)) return null;
  if (typeof data.status !== "string" || !STATUSES.includes(data.status)) return null;
  let score = null;
  if (typeof data.score === "string" && data.score !== "" && data.score.length < 16) {
    score = Number(data.score);
    if (!Number.isFinite(score) || score < 0 || score > 100) score = null;
  }
  return {
    status: data.status,
    score,
    suspend_data: savedText(data.suspend_data, SUSPEND_DATA_MAX),
    location: savedText(data.location, LOCATION_MAX),
  };
}

// Where this learner left the package: status, score and saved state, or
// null (not started, not logged in, offline: the package starts afresh).
async function resumeState(box) {
  const query = new URLSearchParams({
    package_id: box.dataset.package,
    lesson_id: box.dataset.lesson,
  });
  try {
    const response = await fetch(`${box.dataset.resumeUrl}?${query}`, {
      credentials: "same-origin",
    });
    // Read either way: Chromium keeps a request with an unread body in flight.
    const data = await response.json();
    return response.ok ? data : null;
  } catch {
    return null;
  }
}

async function launch(box, frame) {
  const resume = await resumeState(box);
  frame.src = resume
    ? box.dataset.launch + RESUME_PREFIX + encodeURIComponent(JSON.stringify(resume))
    : box.dataset.launch;
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
      suspend_data: value.suspend_data,
      location: value.location,
    });
    if (body === last) return;
    last = body;
    queue = queue.then(() => send(body));
  });
  launch(box, frame);
}

for (const box of document.querySelectorAll("[data-package-player]")) setup(box);
