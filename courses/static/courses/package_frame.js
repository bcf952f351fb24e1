// What every runtime in a content package's sandboxed frame shares
// (scorm_api.js, scorm2004_api.js, h5p_player.js): where the learner left
// off, which the lesson page (package.js) hands over in the frame address's
// fragment before the package's own scripts run; the rule for text the
// platform can store; and the one way results leave the frame, a
// postMessage to the lesson page, which checks them again.
(function () {
  "use strict";

  var RESUME_PREFIX = "#hocvuso-resume=";

  function savedState() {
    var hash = window.location.hash;
    if (hash.indexOf(RESUME_PREFIX) !== 0) return null;
    try {
      // The package's own scripts (some route by the fragment) never see it.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } catch (error) {
      // Kept in the address then; the saved state is read all the same.
    }
    try {
      var saved = JSON.parse(decodeURIComponent(hash.slice(RESUME_PREFIX.length)));
      return saved && typeof saved === "object" ? saved : null;
    } catch (error) {
      return null;
    }
  }

  window.HocvusoPackageFrame = {
    saved: savedState(),
    // The database cannot keep NUL or a lone surrogate: such a value is
    // refused when the package writes it, so the package hears of it.
    storable: function (value) {
      if (value.indexOf("\u0000") >= 0) return false;
      try {
        encodeURIComponent(value);
        return true;
      } catch (error) {
        return false;
      }
    },
    report: function (message) {
      window.parent.postMessage(message, "*");
    },
  };
})();
