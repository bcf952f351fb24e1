// Small page actions that used to be inline on* handlers: the
// Content-Security-Policy runs scripts from files only.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
for (const input of document.querySelectorAll("[data-select-on-focus]")) {
  input.addEventListener("focus", () => input.select());
  input.addEventListener("click", () => input.select());
}
// Share a certificate: the phone's own share sheet (Zalo, Facebook…) where
// there is one, otherwise the link is copied and the learner told so.
for (const button of document.querySelectorAll("[data-share-url]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const url = button.dataset.shareUrl;
    const status = document.querySelector("[data-share-status]");
    if (navigator.share) {
      try {
        await navigator.share({ title: button.dataset.shareTitle, url });
        return;
      } catch (error) {
        if (error.name === "AbortError") return; // the learner closed the sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      document.querySelector("[data-select-on-focus]")?.select(); // to copy by hand
    }
  });
}
