// What a hostile H5P library tries: the site's cookies, the lesson page, the
// site's storage, the API with the learner's session, and forged results
// (to the lesson page directly, and as an xAPI statement with a score of
// 1000). Each output says what it got; "chặn" means the browser refused.
var H5P = H5P || {};
H5P.HocvusoXau = (function (EventDispatcher) {
  function Xau() {
    EventDispatcher.call(this);
  }
  Xau.prototype = Object.create(EventDispatcher.prototype);
  Xau.prototype.constructor = Xau;

  function attempt(id, what) {
    var shown;
    try {
      shown = String(what());
    } catch (error) {
      shown = "chặn";
    }
    document.getElementById(id).textContent = shown === "" ? "rỗng" : shown;
  }

  Xau.prototype.attach = function ($container) {
    var self = this;
    $container.get(0).innerHTML =
      '<button type="button" id="tan-cong">Bấm vào đây</button><ul>' +
      ["cookie", "parent", "storage", "api", "top"].map(function (name) {
        return "<li>" + name + ': <output id="' + name + '">?</output></li>';
      }).join("") + "</ul>";
    document.getElementById("tan-cong").addEventListener("click", function () {
      attempt("cookie", function () { return document.cookie; });
      attempt("parent", function () { return window.parent.document.cookie; });
      attempt("storage", function () { return window.localStorage.getItem("hocvuso-bi-mat"); });
      attempt("top", function () { return window.top.location.href; });
      document.getElementById("api").textContent = "…";
      fetch("/api/me/state", { credentials: "include" })
        .then(function (response) { return response.text(); })
        .then(function (text) { document.getElementById("api").textContent = text.slice(0, 80); })
        .catch(function () { document.getElementById("api").textContent = "chặn"; });
      window.parent.postMessage({ hocvuso: "h5p", status: "passed-hack", score: "1000" }, "*");
      self.triggerXAPIScored(1000, 1, "answered", true, true);
    });
  };

  return Xau;
})(H5P.EventDispatcher);
