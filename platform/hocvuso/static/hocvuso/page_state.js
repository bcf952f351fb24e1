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

load();
// Back to this page from the next one: the browser may show it from memory,
// with the progress of before.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) load();
});
// Something on the page changed the learner's state (a content package
// completed the lesson): show the new progress and buttons.
document.addEventListener("hocvuso:state-stale", () => load());
