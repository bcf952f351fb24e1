// SCORM 2004 runtime (window.API_1484_11) for a content package. Like the
// SCORM 1.2 runtime (scorm_api.js), it runs inside the package's sandboxed
// frame, put there by courses/package_views.py as the launch page's first
// script; it keeps the cmi values of this sitting and, on Commit and
// Terminate, tells the lesson page the result in SCORM 1.2's words (success
// first: "passed"/"failed", then "completed"/"incomplete") with a 0–100
// score and the saved state (cmi.suspend_data, cmi.location), by
// postMessage (package_frame.js); the lesson page (package.js) checks and
// records it, and on the next visit hands the saved state back.
(function () {
  "use strict";

  // package_frame.js, put in before this script.
  var frame = window.HocvusoPackageFrame;

  var ERRORS = {
    "0": "No Error",
    "101": "General Exception",
    "103": "Already Initialized",
    "104": "Content Instance Terminated",
    "112": "Termination Before Initialization",
    "113": "Termination After Termination",
    "122": "Retrieve Data Before Initialization",
    "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization",
    "133": "Store Data After Termination",
    "142": "Commit Before Initialization",
    "143": "Commit After Termination",
    "201": "General Argument Error",
    "401": "Undefined Data Model Element",
    "403": "Data Model Element Value Not Initialized",
    "404": "Data Model Element Is Read Only",
    "405": "Data Model Element Is Write Only",
    "406": "Data Model Element Type Mismatch",
    "407": "Data Model Element Value Out Of Range",
  };
  var REAL = /^-?\d{1,9}(\.\d{1,7})?$/;
  var DURATION = /^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$/;
  // element: [initial value, rule]; a rule is a list of allowed words, a
  // range [min, max] of reals, a length limit, or "ro" (read only).
  var MODEL = {
    "cmi._version": ["1.0", "ro"],
    "cmi.completion_status": ["unknown", ["completed", "incomplete", "not attempted", "unknown"]],
    "cmi.success_status": ["unknown", ["passed", "failed", "unknown"]],
    "cmi.score.scaled": [null, [-1, 1]],
    "cmi.score.raw": [null, [-1e9, 1e9]],
    "cmi.score.min": [null, [-1e9, 1e9]],
    "cmi.score.max": [null, [-1e9, 1e9]],
    "cmi.progress_measure": [null, [0, 1]],
    "cmi.location": ["", 1000],
    "cmi.suspend_data": ["", 64000],
    "cmi.exit": [null, ["time-out", "suspend", "logout", "normal", ""]],
    "cmi.session_time": [null, "duration"],
    "cmi.learner_id": ["", "ro"],
    "cmi.learner_name": ["", "ro"],
    "cmi.credit": ["credit", "ro"],
    "cmi.entry": ["ab-initio", "ro"],
    "cmi.mode": ["normal", "ro"],
    "cmi.total_time": ["PT0S", "ro"],
    "cmi.launch_data": ["", "ro"],
    "cmi.completion_threshold": [null, "ro"],
    "cmi.scaled_passing_score": [null, "ro"],
    "cmi.max_time_allowed": [null, "ro"],
    "cmi.time_limit_action": ["continue,no message", "ro"],
    "adl.nav.request": ["_none_", 4000],
  };
  var WRITE_ONLY = ["cmi.exit", "cmi.session_time"];
  // Interactions, objectives, comments and preferences are accepted and
  // kept for the sitting only.
  var KEPT = /^(cmi\.(interactions|objectives|comments_from_learner)\.\d{1,3}\.[a-z_.0-9]{1,60}|cmi\.learner_preference\.[a-z_]{1,30})$/;
  var COUNTED = /^cmi\.(interactions|objectives|comments_from_learner|comments_from_lms)\._count$/;

  var values = {};
  Object.keys(MODEL).forEach(function (key) { values[key] = MODEL[key][0]; });
  var extra = {};
  var state = "new";
  var lastError = "0";

  // The last visit's result, in SCORM 1.2's words, put back in 2004's.
  var BACK = {
    passed: ["completed", "passed"],
    failed: [null, "failed"],
    completed: ["completed", null],
    incomplete: ["incomplete", null],
  };
  var saved = frame.saved;
  if (saved) {
    if (typeof saved.suspend_data === "string" && saved.suspend_data.length <= 64000) {
      values["cmi.suspend_data"] = saved.suspend_data;
    }
    if (typeof saved.location === "string" && saved.location.length <= 1000) {
      values["cmi.location"] = saved.location;
    }
    var back = BACK[saved.status];
    if (back && back[0]) values["cmi.completion_status"] = back[0];
    if (back && back[1]) values["cmi.success_status"] = back[1];
    if (typeof saved.score === "number" && saved.score >= 0 && saved.score <= 100) {
      values["cmi.score.scaled"] = String(saved.score / 100);
    }
    values["cmi.entry"] = "resume";
  }

  function fail(code, result) { lastError = code; return result; }
  function ok(result) { lastError = "0"; return result; }

  function score() {
    var scaled = values["cmi.score.scaled"];
    if (scaled !== null) return String(Math.round(Math.max(Number(scaled), 0) * 10000) / 100);
    var raw = values["cmi.score.raw"];
    var min = values["cmi.score.min"] === null ? 0 : Number(values["cmi.score.min"]);
    var max = values["cmi.score.max"] === null ? 100 : Number(values["cmi.score.max"]);
    if (raw === null || !(max > min) || Number(raw) < min || Number(raw) > max) return "";
    return String(Math.round((Number(raw) - min) / (max - min) * 10000) / 100);
  }

  function status() {
    var success = values["cmi.success_status"];
    if (success === "passed" || success === "failed") return success;
    var completion = values["cmi.completion_status"];
    if (completion === "completed" || completion === "incomplete") return completion;
    return "not attempted";
  }

  function report(kind) {
    frame.report({
      hocvuso: "scorm-2004",
      kind: kind,
      status: status(),
      score: score(),
      suspend_data: values["cmi.suspend_data"],
      location: values["cmi.location"],
    });
  }

  function checked(element, value) {
    var rule = MODEL[element][1];
    if (rule === "ro") return "404";
    if (rule === "duration") return DURATION.test(value) && value !== "P" && value !== "PT" ? "0" : "406";
    if (typeof rule === "number") return value.length <= rule ? "0" : "406";
    if (typeof rule[0] === "number") {
      if (!REAL.test(value)) return "406";
      return Number(value) >= rule[0] && Number(value) <= rule[1] ? "0" : "407";
    }
    return rule.indexOf(value) >= 0 ? "0" : "406";
  }

  function setValue(element, value) {
    if (KEPT.test(element)) {
      if (value.length > 4096 || Object.keys(extra).length > 2000) return fail("406", "false");
      extra[element] = value;
      return ok("true");
    }
    if (COUNTED.test(element) || /\._(children|count|version)$/.test(element)) return fail("404", "false");
    if (!(element in MODEL)) return fail("401", "false");
    if (!frame.storable(value)) return fail("406", "false");
    var code = checked(element, value);
    if (code !== "0") return fail(code, "false");
    values[element] = value;
    return ok("true");
  }

  function getValue(element) {
    if (COUNTED.test(element)) return ok("0");
    if (element in extra) return ok(extra[element]);
    if (WRITE_ONLY.indexOf(element) >= 0) return fail("405", "");
    if (!(element in MODEL)) return fail("401", "");
    if (values[element] === null) return fail("403", "");
    return ok(values[element]);
  }

  function guard(before, after) {
    if (state === "new") return fail(before, false);
    if (state === "terminated") return fail(after, false);
    return true;
  }

  window.API_1484_11 = {
    Initialize: function (arg) {
      if (String(arg) !== "") return fail("201", "false");
      if (state === "running") return fail("103", "false");
      if (state === "terminated") return fail("104", "false");
      state = "running";
      report("initialize");
      return ok("true");
    },
    Terminate: function (arg) {
      if (String(arg) !== "") return fail("201", "false");
      if (!guard("112", "113")) return "false";
      state = "terminated";
      report("terminate");
      return ok("true");
    },
    GetValue: function (element) {
      if (!guard("122", "123")) return "";
      return getValue(String(element));
    },
    SetValue: function (element, value) {
      if (!guard("132", "133")) return "false";
      return setValue(String(element), String(value));
    },
    Commit: function (arg) {
      if (String(arg) !== "") return fail("201", "false");
      if (!guard("142", "143")) return "false";
      report("commit");
      return ok("true");
    },
    GetLastError: function () { return lastError; },
    GetErrorString: function (code) { return ERRORS[String(code)] || ""; },
    GetDiagnostic: function (code) { return ERRORS[String(code || lastError)] || ""; },
  };
})();
