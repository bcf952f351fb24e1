// What a hostile package tries: the site's cookies, the lesson page, the
// site's storage, the API with the learner's session, and forged results.
// Each output says what it got; "chặn" means the browser refused.
function attempt(id, what) {
  let shown;
  try {
    shown = String(what());
  } catch (error) {
    shown = "chặn";
  }
  document.getElementById(id).textContent = shown === "" ? "rỗng" : shown;
}

document.getElementById("tan-cong").addEventListener("click", () => {
  attempt("cookie", () => document.cookie);
  attempt("parent", () => window.parent.document.cookie);
  attempt("storage", () => window.localStorage.length);
  attempt("top", () => window.top.location.href);
  document.getElementById("api").textContent = "…";
  fetch("/api/me/state", { credentials: "include" })
    .then((response) => response.text())
    .then((text) => { document.getElementById("api").textContent = text.slice(0, 80); })
    .catch(() => { document.getElementById("api").textContent = "chặn"; });
  // Forged results straight to the lesson page, past the runtime's checks.
  window.parent.postMessage({ hocvuso: "scorm-1.2", status: "passed-hack", score: "1000" }, "*");
  window.API.LMSInitialize("");
  window.API.LMSSetValue("cmi.core.score.raw", "1000");
  window.API.LMSSetValue("cmi.core.lesson_status", "hacked");
  window.API.LMSCommit("");
});
