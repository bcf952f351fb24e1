// Small page actions that used to be inline on* handlers: the
// Content-Security-Policy runs scripts from files only.
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
for (const input of document.querySelectorAll("[data-select-on-focus]")) {
  input.addEventListener("focus", () => input.select());
  input.addEventListener("click", () => input.select());
}
