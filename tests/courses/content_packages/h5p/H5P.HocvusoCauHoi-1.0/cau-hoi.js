// A one-question H5P content type, written for the tests: it reports each
// answer as H5P content types do, an xAPI "answered" statement with a score
// and success, through H5P's own event dispatcher, and keeps the last answer
// as its state (getCurrentState), shown again on the next visit.
var H5P = H5P || {};
H5P.HocvusoCauHoi = (function (EventDispatcher) {
  function CauHoi(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = params;
    this.contentId = contentId;
    this.state = (extras && extras.previousState) || {};
  }
  CauHoi.prototype = Object.create(EventDispatcher.prototype);
  CauHoi.prototype.constructor = CauHoi;

  CauHoi.prototype.attach = function ($container) {
    var self = this;
    var root = document.createElement("div");
    root.className = "hocvuso-cau-hoi";
    var question = document.createElement("p");
    question.textContent = this.params.question;
    root.appendChild(question);
    var result = document.createElement("p");
    result.id = "ket-qua";
    if (this.state.chosen) {
      var before = document.createElement("p");
      before.id = "lan-truoc";
      before.textContent = "Lần trước bạn chọn: " + this.state.chosen;
      root.appendChild(before);
    }
    this.params.answers.forEach(function (answer) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = answer.text;
      button.addEventListener("click", function () {
        self.state = { chosen: answer.text };
        self.triggerXAPIScored(answer.correct ? 1 : 0, 1, "answered", true, answer.correct);
        result.textContent = answer.correct ? "Đúng! Đã gửi kết quả." : "Chưa đúng, thử lại.";
      });
      root.appendChild(button);
    });
    root.appendChild(result);
    $container.get(0).appendChild(root);
  };

  CauHoi.prototype.getCurrentState = function () {
    return this.state;
  };

  return CauHoi;
})(H5P.EventDispatcher);
