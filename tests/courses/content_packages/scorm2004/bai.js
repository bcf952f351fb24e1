// A one-question SCORM 2004 lesson: finds API_1484_11 the way authoring
// tools do, reports the scaled score with "passed" or "failed" and
// "completed", keeps a note in cmi.suspend_data (shown again when the
// learner comes back), commits and terminates.
function findApi(win) {
  for (let i = 0; win && i < 10; i += 1) {
    try {
      if (win.API_1484_11) return win.API_1484_11;
    } catch (error) {
      return null;
    }
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}

const api = findApi(window);
const result = document.getElementById("ket-qua");
if (!api || api.Initialize("") !== "true") {
  result.textContent = "Không tìm thấy LMS.";
} else {
  if (api.GetValue("cmi.entry") === "resume") {
    document.getElementById("lan-truoc").textContent =
      "Lần trước: " + api.GetValue("cmi.suspend_data");
  }
  if (api.GetValue("cmi.completion_status") !== "completed") {
    api.SetValue("cmi.completion_status", "incomplete");
  }
  for (const button of document.querySelectorAll("[data-answer]")) {
    button.addEventListener("click", () => {
      const right = button.dataset.answer === "1";
      api.SetValue("cmi.score.scaled", right ? "1" : "0");
      api.SetValue("cmi.success_status", right ? "passed" : "failed");
      api.SetValue("cmi.suspend_data", right ? "đã trả lời đúng" : "đã trả lời sai");
      if (right) api.SetValue("cmi.completion_status", "completed");
      api.Commit("");
      if (right) api.Terminate("");
      result.textContent = right ? "Đúng! Đã gửi kết quả." : "Chưa đúng, thử lại.";
    });
  }
}
