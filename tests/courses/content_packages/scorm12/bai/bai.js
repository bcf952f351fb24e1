// A one-question SCORM 1.2 lesson: finds the LMS's API the way authoring
// tools do (this window, then its parents), and on an answer reports the
// score and "passed" or "failed", commits and finishes.
function findApi(win) {
  for (let i = 0; win && i < 10; i += 1) {
    try {
      if (win.API) return win.API;
    } catch (error) {
      // A parent of another origin: keep climbing is useless.
      return null;
    }
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}

const api = findApi(window);
const result = document.getElementById("ket-qua");
if (!api || api.LMSInitialize("") !== "true") {
  result.textContent = "Không tìm thấy LMS.";
} else {
  api.LMSSetValue("cmi.core.lesson_status", "incomplete");
  for (const button of document.querySelectorAll("[data-answer]")) {
    button.addEventListener("click", () => {
      const score = button.dataset.answer;
      api.LMSSetValue("cmi.core.score.raw", score);
      api.LMSSetValue("cmi.core.lesson_status", score === "100" ? "passed" : "failed");
      api.LMSCommit("");
      if (score === "100") api.LMSFinish("");
      result.textContent = score === "100" ? "Đúng! Đã gửi kết quả." : "Chưa đúng, thử lại.";
    });
  }
}
