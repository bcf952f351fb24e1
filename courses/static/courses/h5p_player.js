// Plays an H5P package's folder (this page's own folder) with h5p-standalone,
// inside the package's sandboxed frame, and tells the lesson page the results
// H5P reports as xAPI statements, in the words SCORM 1.2 uses for a package's
// status ("passed", "failed", "completed", "incomplete") and a 0–100 score.
// The lesson page (package.js) checks them again, and the server after it.
// The content's own state (getCurrentState) goes with each result as the
// saved state, and comes back from the last visit as H5P's previous state.
// Loaded after package_frame.js and before h5p-standalone's main.bundle.js
// (courses/h5p_player.html).
(function () {
  "use strict";

  var script = document.currentScript;
  var frame = window.HocvusoPackageFrame;
  var SUSPEND_DATA_MAX = 64000;

  // The sandbox has no storage: reading window.localStorage throws, and
  // h5p-standalone and H5P's core read it. They get a store that lasts this
  // sitting, which is all the sandbox allows anyway.
  function MemoryStorage() {
    var items = {};
    return {
      get length() { return Object.keys(items).length; },
      key: function (n) { return Object.keys(items)[n] || null; },
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(items, k) ? items[k] : null; },
      setItem: function (k, v) { items[String(k)] = String(v); },
      removeItem: function (k) { delete items[k]; },
      clear: function () { items = {}; },
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try {
      window[name].length;
    } catch (error) {
      Object.defineProperty(window, name, { value: new MemoryStorage(), configurable: true });
    }
  });

  // The score as 0–100 ("" when the statement has none), or null when it is
  // not a score xAPI allows (scaled outside -1..1, raw outside min..max):
  // such a statement is not passed on at all. A negative score counts 0.
  function score(result) {
    var given = result && result.score;
    if (!given) return "";
    var scaled = given.scaled;
    if (typeof scaled !== "number") {
      var min = typeof given.min === "number" ? given.min : 0;
      if (typeof given.raw !== "number" || typeof given.max !== "number") return "";
      if (!(given.max > min) || given.raw < min || given.raw > given.max) return null;
      scaled = (given.raw - min) / (given.max - min);
    }
    if (!isFinite(scaled) || scaled < -1 || scaled > 1) return null;
    return String(Math.round(Math.max(scaled, 0) * 10000) / 100);
  }

  function status(verb, result) {
    if (result && result.success === true) return "passed";
    if (result && result.success === false) return "failed";
    if (/\/completed$/.test(verb) || (result && result.completion === true)) return "completed";
    return "incomplete";
  }

  function currentState() {
    var instance = (H5P.instances || [])[0];
    if (!instance || typeof instance.getCurrentState !== "function") return undefined;
    try {
      var state = JSON.stringify(instance.getCurrentState());
      return typeof state === "string" && state.length <= SUSPEND_DATA_MAX &&
        frame.storable(state) ? state : undefined;
    } catch (error) {
      return undefined;
    }
  }

  function forward(event) {
    var statement = event && event.data && event.data.statement;
    if (!statement || !statement.verb) return;
    var context = statement.context && statement.context.contextActivities;
    // A question inside a bigger content reports to its parent; the content
    // as a whole reports for the package.
    if (context && context.parent) return;
    var verb = String(statement.verb.id || "");
    if (!/\/(answered|completed|passed|failed|attempted)$/.test(verb)) return;
    var points = score(statement.result);
    if (points === null) return;
    frame.report({
      hocvuso: "h5p",
      status: /\/attempted$/.test(verb) ? "incomplete" : status(verb, statement.result),
      score: points,
      suspend_data: currentState(),
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var options = {
      id: script.dataset.contentId,
      h5pJsonPath: ".",
      frameJs: script.dataset.frameJs,
      frameCss: script.dataset.frameCss,
      // In this page, not in another frame: the sandbox already holds it.
      embedType: "div",
      frame: false,
      icon: false,
      copyright: false,
      export: false,
      embed: false,
      fullScreen: false,
      // H5P's own messages in the learner's language (courses/h5p_texts.py).
      translations: JSON.parse(document.getElementById("h5p-texts").textContent),
    };
    var saved = frame.saved;
    if (saved && typeof saved.suspend_data === "string" && saved.suspend_data) {
      // H5P's core gives a content its previous state only when saving is
      // on; it then tries to post the state to a server it has none of
      // ("Not signed in."), which is harmless: the state leaves with results.
      options.saveFreq = 3600;
      options.contentUserData = [{ state: saved.suspend_data }];
    }
    new H5PStandalone.H5P(document.getElementById("h5p"), options).then(function () {
      H5P.externalDispatcher.on("xAPI", forward);
    });
  });
})();
