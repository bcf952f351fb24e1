// The timed quiz on a phone. The page works without this script (all
// questions, one submit button); the script adds one question per screen,
// autosave with retry, the server-synced countdown, offline safety and
// automatic submission. Answers live in localStorage until the server has
// acknowledged them, and the full set is sent again on submit.

const pageAsServed = `<!doctype html>\n${document.documentElement.outerHTML}`;
const root = document.querySelector("[data-attempt]");
const attemptId = root.dataset.attempt;
const api = root.dataset.api;
const resultUrl = root.dataset.resultUrl;
const text = JSON.parse(document.getElementById("quiz-text").textContent);
const csrf = document.querySelector("[data-form] input[name=csrfmiddlewaretoken]").value;
const questions = [...root.querySelectorAll("fieldset[data-q]")];
const storeKey = `hocvuso:attempt:${attemptId}`;

// --- State kept on the phone --------------------------------------------------
const serverTime = Date.parse(root.dataset.serverTime);
const stored = JSON.parse(localStorage.getItem(storeKey) || "null");
// A page older than the one the phone last saw is a copy from the offline
// cache: its server time and deadline are stale, so the clock keeps the
// offset and deadline measured on the freshest page.
const state = stored && stored.serverTime >= serverTime ? stored : {
  answers: stored ? stored.answers : {},
  seq: stored ? stored.seq : 0,
  offset: serverTime - Date.now(),
  serverTime,
  deadline: Date.parse(root.dataset.deadline),
  current: stored ? stored.current : 0,
};
const save = () => localStorage.setItem(storeKey, JSON.stringify(state));
const now = () => Date.now() + state.offset;

function chosenIn(fieldset) {
  return [...fieldset.querySelectorAll("input:checked")].map((i) => Number(i.value));
}

// The phone's answers win over the page: the page may be an old copy the
// service worker kept for an offline reload.
for (const fieldset of questions) {
  const local = state.answers[fieldset.dataset.q];
  if (local) {
    for (const input of fieldset.querySelectorAll("input")) {
      input.checked = local.choice_ids.includes(Number(input.value));
    }
  }
}
save();

// --- One question per screen ----------------------------------------------------
const nav = root.querySelector("[data-nav]");
const prev = root.querySelector("[data-prev]");
const next = root.querySelector("[data-next]");
root.classList.add("is-enhanced");
nav.hidden = prev.hidden = next.hidden = false;

function show(index) {
  state.current = Math.max(0, Math.min(questions.length - 1, index));
  questions.forEach((q, i) => { q.hidden = i !== state.current; });
  prev.disabled = state.current === 0;
  next.disabled = state.current === questions.length - 1;
  refreshNav();
  save();
}

function refreshNav() {
  for (const button of nav.querySelectorAll("button")) {
    const fieldset = questions[Number(button.dataset.goto)];
    button.classList.toggle("answered", chosenIn(fieldset).length > 0);
    button.classList.toggle("current", Number(button.dataset.goto) === state.current);
    const pending = state.answers[fieldset.dataset.q] && !state.answers[fieldset.dataset.q].acked;
    button.classList.toggle("pending", Boolean(pending));
  }
}

nav.addEventListener("click", (e) => {
  const button = e.target.closest("button[data-goto]");
  if (button) show(Number(button.dataset.goto));
});
prev.addEventListener("click", () => show(state.current - 1));
next.addEventListener("click", () => show(state.current + 1));

// --- Autosave with retry and back-off ---------------------------------------------
const offlineBanner = root.querySelector("[data-offline]");
let retryDelay = 1000;
let sending = false;
let retryTimer = null;

function setOffline(offline) {
  offlineBanner.hidden = !offline;
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => ({}));
  return { response, data };
}

// A new personal-data notice came into force during the test: agree to it,
// then come back here; the answers wait on the phone, unsent.
function consentFirst(data) {
  const next = encodeURIComponent(window.location.pathname);
  window.location.assign(`${data.consent_url}?next=${next}`);
}

function adoptDeadline(deadline, serverNow) {
  if (serverNow) state.offset = Date.parse(serverNow) - Date.now();
  const newDeadline = Date.parse(deadline);
  if (newDeadline > state.deadline + 1000) warn(text.extra_time);
  state.deadline = newDeadline;
  save();
}

async function flush() {
  if (sending || finished) return;
  sending = true;
  try {
    for (const [qid, answer] of Object.entries(state.answers)) {
      if (answer.acked) continue;
      const { response, data } = await call("PUT", `${api}/answers/${qid}`,
        { choice_ids: answer.choice_ids, seq: answer.seq });
      if (response.ok) {
        if (state.answers[qid].seq === answer.seq) state.answers[qid].acked = true;
        adoptDeadline(data.deadline, data.server_time);
      } else if (response.status === 409) {
        // The attempt is closed (submitted elsewhere or time is up).
        warn(data.detail);
        window.location.assign(resultUrl);
        return;
      } else if (response.status === 403 && data.consent_url) {
        consentFirst(data);
        return;
      } else if (response.status >= 500 || response.status === 429) {
        throw new Error(`HTTP ${response.status}`);
      } else {
        warn(data.detail || String(response.status));
        state.answers[qid].acked = true; // refused for good: do not loop on it
      }
    }
    setOffline(false);
    retryDelay = 1000;
  } catch {
    setOffline(true);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  } finally {
    sending = false;
    save();
    refreshNav();
  }
  if (Object.values(state.answers).some((a) => !a.acked) && !retryTimer) flush();
}

root.querySelector("[data-form]").addEventListener("change", (e) => {
  const fieldset = e.target.closest("fieldset[data-q]");
  if (!fieldset) return;
  // Sequence numbers only grow, also across reloads and clock changes.
  state.seq = Math.max(state.seq + 1, Date.now());
  state.answers[fieldset.dataset.q] = { choice_ids: chosenIn(fieldset), seq: state.seq, acked: false };
  save();
  refreshNav();
  flush();
});

window.addEventListener("online", () => { retryDelay = 1000; flush(); });
window.addEventListener("offline", () => setOffline(true));

// --- Countdown synced from the server ----------------------------------------------------
const timer = root.querySelector("[data-timer]");
const warning = root.querySelector("[data-warning]");
let warned5 = false;
let warned1 = false;
let finished = false;

function warn(message) {
  warning.textContent = message;
  warning.hidden = false;
}

function tick() {
  const left = Math.max(0, Math.round((state.deadline - now()) / 1000));
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, "0");
  timer.textContent = `${minutes}:${seconds}`;
  timer.parentElement.classList.toggle("is-low", left <= 60);
  if (left <= 300 && left > 60 && !warned5) { warned5 = true; warn(text.five_minutes); }
  if (left <= 60 && left > 0 && !warned1) { warned1 = true; warn(text.one_minute); }
  if (left === 0 && !finished) timeUp();
}

// At the common deadline of a provincial exam thousands of phones would
// submit in the same second. The answers are fixed now, and the server takes
// the submit until the end of its grace period and dates the attempt at the
// deadline, so each phone waits a random part of the spread first.
function timeUp() {
  warn(text.time_up);
  const answers = answerSet();
  for (const fieldset of questions) fieldset.disabled = true;
  const spread = Number(root.dataset.submitSpread || 0) * 1000;
  setTimeout(() => submit(answers), Math.random() * spread);
  finished = true;
}
setInterval(tick, 1000);
tick();

// --- Submit: confirmation, full answer set, retry until accepted ---------------------------
const dialog = root.querySelector("[data-confirm]");
root.querySelector("[data-form]").addEventListener("submit", (e) => {
  e.preventDefault();
  const missing = questions
    .map((q, i) => (chosenIn(q).length ? null : i + 1))
    .filter((n) => n !== null);
  dialog.querySelector("[data-unanswered]").textContent = missing.length
    ? text.unanswered.replace("%s", missing.join(", "))
    : text.all_answered;
  dialog.showModal();
});
dialog.addEventListener("close", () => {
  if (dialog.returnValue === "submit") submit();
});

function answerSet() {
  return questions.map((q) => {
    const local = state.answers[q.dataset.q];
    return { question_id: Number(q.dataset.q), choice_ids: chosenIn(q), seq: local ? local.seq : 0 };
  }).filter((a) => a.seq > 0 || a.choice_ids.length);
}

async function submit(answers = null) {
  if (answers === null) {
    if (finished) return;
    finished = true;
    answers = answerSet();
    warn(text.submitting);
  }
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      const { response, data } = await call("POST", `${api}/submit`, { answers });
      if (response.status === 403 && data.consent_url) {
        consentFirst(data);
        return;
      }
      if (response.ok || response.status === 409) {
        localStorage.removeItem(storeKey);
        window.location.assign(resultUrl);
        return;
      }
      if (response.status < 500) { window.location.assign(resultUrl); return; }
    } catch {
      setOffline(true);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

// --- Extra time pushed live; the autosave response carries it too -------------------------
function listen(delay = 1000) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let socket;
  try {
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.ws}`);
  } catch {
    return;
  }
  socket.addEventListener("message", (e) => {
    const message = JSON.parse(e.data);
    if (message.type === "deadline") adoptDeadline(message.deadline);
  });
  socket.addEventListener("open", () => { delay = 1000; });
  socket.addEventListener("close", () => {
    if (!finished) setTimeout(() => listen(Math.min(delay * 2, 60000)), delay);
  });
}
listen();

// --- Reloading without a network: the service worker keeps this page ------------------------
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(root.dataset.sw).catch(() => {});
  // A page the worker served is in its cache already. The very first one
  // came before the worker: keep it as it arrived (captured above, before
  // this script changed it) instead of asking the server for it again, which
  // would double the requests at an exam's start and leave a copy whose
  // server time is newer than the clock measured here.
  if (!navigator.serviceWorker.controller) {
    const files = [...document.querySelectorAll("link[rel=stylesheet], script[src]")]
      .map((el) => el.href || el.src);
    caches.open("hocvuso-quiz-v1").then((cache) => Promise.all([
      cache.put(location.href, new Response(pageAsServed,
        { headers: { "Content-Type": "text/html; charset=utf-8" } })),
      cache.addAll(files),
    ])).catch(() => {});
  }
}

show(state.current);
flush();
