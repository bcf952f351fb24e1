// SCORM 1.2 runtime (window.API) for a content package. It runs inside the
// package's sandboxed frame (an opaque origin: no cookies, no session, no
// access to the lesson page), put there by courses/package_views.py as the
// launch page's first script. It keeps the cmi values of this sitting and,
// on LMSCommit and LMSFinish, tells the lesson page the status and score
// with the saved state (cmi.suspend_data, the lesson location), by
// postMessage (package_frame.js); the lesson page (package.js) checks and
// records them, and on the next visit hands them back.
(function () {
  "use strict";

  // package_frame.js, put in before this script.
  var frame = window.HocvusoPackageFrame;

  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
  var EXITS = ["time-out", "suspend", "logout", ""];
  var ERRORS = {
    "0": "No error",
    "101": "General exception",
    "201": "Invalid argument error",
    "202": "Element cannot have children",
    "203": "Element not an array - cannot have count",
    "301": "Not initialized",
    "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword",
    "403": "Element is read only",
    "404": "Element is write only",
    "405": "Incorrect data type",
  };
  var values = {
    "cmi.core.student_id": "",
    "cmi.core.student_name": "",
    "cmi.core.lesson_location": "",
    "cmi.core.credit": "credit",
    "cmi.core.lesson_status": "not attempted",
    "cmi.core.entry": "ab-initio",
    "cmi.core.score.raw": "",
    "cmi.core.score.min": "",
    "cmi.core.score.max": "",
    "cmi.core.total_time": "0000:00:00.00",
    "cmi.core.lesson_mode": "normal",
    "cmi.core.exit": "",
    "cmi.core.session_time": "",
    "cmi.suspend_data": "",
    "cmi.launch_data": "",
    "cmi.comments": "",
    "cmi.comments_from_lms": "",
    "cmi.student_data.mastery_score": "",
  };
  var CHILDREN = {
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max",
    "cmi.objectives._count": "0",
    "cmi.interactions._count": "0",
  };
  var READ_ONLY = [
    "cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit",
    "cmi.core.entry", "cmi.core.total_time", "cmi.core.lesson_mode",
    "cmi.launch_data", "cmi.comments_from_lms", "cmi.student_data.mastery_score",
  ];
  var WRITE_ONLY = ["cmi.core.exit", "cmi.core.session_time"];
  var MAX_CHARS = { "cmi.core.lesson_location": 255, "cmi.suspend_data": 4096, "cmi.comments": 4096 };
  var DECIMAL = /^-?\d{1,3}(\.\d{1,6})?$/;
  var TIMESPAN = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

  var state = "new";
  var lastError = "0";
  // Interactions and objectives are accepted and kept for the sitting only.
  var extra = {};

  var saved = frame.saved;
  if (saved) {
    // Only what this runtime would have accepted from the package itself.
    if (typeof saved.suspend_data === "string" && saved.suspend_data.length <= MAX_CHARS["cmi.suspend_data"]) {
      values["cmi.suspend_data"] = saved.suspend_data;
    }
    if (typeof saved.location === "string" && saved.location.length <= MAX_CHARS["cmi.core.lesson_location"]) {
      values["cmi.core.lesson_location"] = saved.location;
    }
    if (STATUSES.indexOf(saved.status) >= 0) values["cmi.core.lesson_status"] = saved.status;
    if (typeof saved.score === "number" && validScore(String(saved.score))) {
      values["cmi.core.score.raw"] = String(saved.score);
    }
    values["cmi.core.entry"] = "resume";
  }

  function fail(code) { lastError = code; return "false"; }
  function ok(result) { lastError = "0"; return result; }

  function report(kind) {
    frame.report({
      hocvuso: "scorm-1.2",
      kind: kind,
      status: values["cmi.core.lesson_status"],
      score: values["cmi.core.score.raw"],
      suspend_data: values["cmi.suspend_data"],
      location: values["cmi.core.lesson_location"],
    });
  }


  function validScore(value) {
    return value === "" || (DECIMAL.test(value) && Number(value) >= 0 && Number(value) <= 100);
  }

  function setValue(element, value) {
    if (element in CHILDREN || /\._(children|count)$/.test(element)) return fail("402");
    if (READ_ONLY.indexOf(element) >= 0) return fail("403");
    if (/^cmi\.(interactions|objectives)\.\d{1,3}\.[a-z_.0-9]{1,60}$/.test(element)) {
      if (value.length > 4096 || Object.keys(extra).length > 2000) return fail("405");
      extra[element] = value;
      return ok("true");
    }
    if (!(element in values)) return fail("201");
    if (!frame.storable(value)) return fail("405");
    if (element === "cmi.core.lesson_status") {
      if (STATUSES.indexOf(value) < 0 || value === "not attempted") return fail("405");
    } else if (/^cmi\.core\.score\.(raw|min|max)$/.test(element)) {
      if (!validScore(value)) return fail("405");
    } else if (element === "cmi.core.exit") {
      if (EXITS.indexOf(value) < 0) return fail("405");
    } else if (element === "cmi.core.session_time") {
      if (!TIMESPAN.test(value)) return fail("405");
    } else if (value.length > (MAX_CHARS[element] || 4096)) {
      return fail("405");
    }
    values[element] = value;
    return ok("true");
  }

  function getValue(element) {
    if (element in CHILDREN) return ok(CHILDREN[element]);
    if (element in extra) return ok(extra[element]);
    if (WRITE_ONLY.indexOf(element) >= 0) { lastError = "404"; return ""; }
    if (!(element in values)) { lastError = "201"; return ""; }
    return ok(values[element]);
  }

  function running() {
    if (state !== "running") { lastError = "301"; return false; }
    return true;
  }

  window.API = {
    LMSInitialize: function (arg) {
      if (String(arg) !== "") return fail("201");
      if (state !== "new") return fail("101");
      state = "running";
      report("initialize");
      return ok("true");
    },
    LMSFinish: function (arg) {
      if (String(arg) !== "") return fail("201");
      if (!running()) return "false";
      state = "finished";
      report("finish");
      return ok("true");
    },
    LMSGetValue: function (element) {
      if (!running()) return "";
      return getValue(String(element));
    },
    LMSSetValue: function (element, value) {
      if (!running()) return "false";
      return setValue(String(element), String(value));
    },
    LMSCommit: function (arg) {
      if (String(arg) !== "") return fail("201");
      if (!running()) return "false";
      report("commit");
      return ok("true");
    },
    LMSGetLastError: function () { return lastError; },
    LMSGetErrorString: function (code) { return ERRORS[String(code)] || ""; },
    LMSGetDiagnostic: function (code) { return ERRORS[String(code || lastError)] || ""; },
  };
})();
