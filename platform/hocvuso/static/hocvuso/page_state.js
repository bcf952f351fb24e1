// The personal part of a page that is the same for every reader (cached by
// nginx or a CDN): the header's links, messages, progress, the learner's
// buttons and the form token come from one small request (core/page_state.py).
const script = document.currentScript;
const pageId = script.dataset.pageId;
let csrf = "";

// The form token is read from its cookie when a form is sent: another request
// of this page (an image, a second tab) may have set a newer cookie than the
// one the page state came with, and Django takes the cookie's own value.
const csrfCookie = () =>
  (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";
document.addEventListener("submit", (event) => {
  for (const input of event.target.querySelectorAll("input[data-csrf]")) {
    input.value = csrfCookie() || csrf;
  }
});

function apply(state) {
  if (state.redirect) {
    window.location.replace(state.redirect);
    return;
  }
  for (const [name, html] of Object.entries(state.parts)) {
    for (const place of document.querySelectorAll(`[data-state-part="${name}"]`)) {
      place.innerHTML = html;
    }
  }
  csrf = state.csrf;
  for (const button of document.querySelectorAll("[data-state-pending]")) {
    button.disabled = false;
    delete button.dataset.statePending;
  }
  const positions = state.data.media_positions || {};
  for (const box of document.querySelectorAll("[data-player][data-media]")) {
    const position = positions[box.dataset.media];
    if (position) box.dataset.position = String(position);
  }
}

// A phone on a weak signal loses requests: the state is asked again a few
// times, further apart, before the page is left as it is (its buttons wait).
const RETRY_AFTER_MS = [1000, 2000, 4000];

// True when the state is in place or nothing better can come of asking again.
async function loadOnce() {
  const response = await fetch(`/api/me/state?page=${encodeURIComponent(pageId)}`, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  if (response.redirected && !response.url.includes("/api/")) {
    // A middleware sent the reader elsewhere first (a password to change).
    window.location.replace(response.url);
    return true;
  }
  if (response.ok) {
    apply(await response.json());
    return true;
  }
  return response.status < 500 && response.status !== 429;
}

async function load() {
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (await loadOnce()) return;
    } catch {
      // Offline, or the connection dropped: ask again below.
    }
    if (attempt >= RETRY_AFTER_MS.length) return;
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS[attempt]));
  }
}

// "Hoàn thành bài học" (a form marked data-state-next) is sent by fetch: the
// answer says where to go and brings that page's state, handed to the next
// page here so that the phone makes one request per lesson, not two
// (courses/views.py: lesson_mark_done). Without this script the form posts
// as any form does.
const HANDED_KEY = "hocvuso:page-state";
const HANDED_FOR_MS = 60_000;

function hand(page, state) {
  try {
    sessionStorage.setItem(HANDED_KEY, JSON.stringify({ page, state, at: Date.now() }));
  } catch {
    // No storage (a private window's quota): the next page asks for its state.
  }
}

function handed() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(HANDED_KEY) || "null");
    sessionStorage.removeItem(HANDED_KEY);
    if (kept && String(kept.page) === pageId && Date.now() - kept.at < HANDED_FOR_MS) {
      return kept.state;
    }
  } catch {
    // Storage refused or a damaged entry: ask for the state instead.
  }
  return null;
}

async function sendAndGo(form) {
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.startsWith("application/json")) {
      const answer = await response.json();
      if (answer.state) hand(answer.page, answer.state);
      window.location.assign(answer.location);
      return;
    }
    if (response.redirected) {
      // Sent to log in, or to change a printed password, first.
      window.location.assign(response.url);
      return;
    }
  } catch {
    // Offline, or the connection dropped: the form as it is, below.
  }
  // Marking a lesson done twice keeps the first time: sending again is safe.
  form.submit();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-state-next") || event.defaultPrevented) return;
  event.preventDefault();
  sendAndGo(form);
});

const handedState = handed();
if (handedState) apply(handedState);
else load();
// Back to this page from the next one: the browser may show it from memory,
// with the progress of before.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) load();
});
// Something on the page changed the learner's state (a content package
// completed the lesson): show the new progress and buttons.
document.addEventListener("hocvuso:state-stale", () => load());
