// Lesson video and audio: hls.js (vendored) where the browser has Media Source
// Extensions, native HLS where it has not (iPhone), the MP4/M4A file otherwise.
// Resumes where the learner stopped and reports watched time to the server.
// Nothing of the stream or of hls.js is fetched before the learner presses
// play: a lesson opened on mobile data costs its text and a poster only.

const csrf = () =>
  (document.cookie.match(/(?:^|; )csrftoken=([^;]*)/) || [])[1] || "";

function loadHlsJs(src) {
  if (window.Hls) return Promise.resolve(window.Hls);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.Hls);
    script.onerror = reject;
    document.head.append(script);
  });
}

async function attach(el, box) {
  const mse = window.MediaSource || window.ManagedMediaSource;
  if (mse) {
    try {
      const Hls = await loadHlsJs(box.dataset.hlsjs);
      if (Hls.isSupported()) {
        const hls = new Hls({ startLevel: 0, capLevelToPlayerSize: true });
        hls.loadSource(box.dataset.hls);
        hls.attachMedia(el);
        box.dataset.engine = "hls.js";
        return;
      }
    } catch (error) {
      console.warn("hls.js unavailable", error);
    }
  }
  if (el.canPlayType("application/vnd.apple.mpegurl")) {
    el.src = box.dataset.hls;
    box.dataset.engine = "native";
    return;
  }
  el.src = box.dataset.fallback;
  box.dataset.engine = "file";
}

function setup(box) {
  const el = box.querySelector("video, audio");

  let watched = 0;
  let last = null;
  let timer = null;

  el.addEventListener("loadedmetadata", () => {
    // Read now, not at setup: the page state sets it after the page loads.
    const start = Number(box.dataset.position) || 0;
    if (start > 0 && start < el.duration - 3) el.currentTime = start;
  }, { once: true });
  el.addEventListener("timeupdate", () => {
    const now = el.currentTime;
    if (last !== null && !el.seeking) {
      const step = now - last;
      if (step > 0 && step < 2) watched += step;
    }
    last = now;
  });
  el.addEventListener("seeking", () => { last = null; });

  // One report in flight at a time, in order: the server credits at most the
  // time since the previous report, so two racing reports would lose time.
  let queue = Promise.resolve();
  const post = () => {
    const body = {
      media_id: Number(box.dataset.media),
      lesson_id: Number(box.dataset.lesson),
      position: el.currentTime || 0,
      watched,
    };
    watched = 0;
    return fetch(box.dataset.heartbeatUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && data.lesson_completed) {
          box.querySelector("[data-player-done]").hidden = false;
        }
      })
      .catch(() => {});
  };
  const send = () => {
    queue = queue.then(post);
  };
  const stop = () => {
    if (timer === null) return;
    clearInterval(timer);
    timer = null;
    send();
  };
  el.addEventListener("play", () => {
    if (timer === null) {
      send();
      timer = setInterval(send, (Number(box.dataset.interval) || 20) * 1000);
    }
  });
  el.addEventListener("pause", stop);
  el.addEventListener("ended", stop);
  window.addEventListener("pagehide", stop);

  // The <source> children are the page's way to play without this script;
  // with it, they would start the MP4 download on play, before the stream.
  for (const source of el.querySelectorAll("source")) source.remove();
  let attached = null;
  const attachOnFirstPlay = () => {
    if (attached) return;
    attached = attach(el, box).then(() => el.play()).catch(() => {});
  };
  el.addEventListener("play", attachOnFirstPlay);
  el.addEventListener("click", attachOnFirstPlay);
}

for (const box of document.querySelectorAll("[data-player]:not([data-engine])")) {
  box.dataset.engine = "";
  setup(box);
}
