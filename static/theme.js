// Runs in <head>, before the page is painted, so a stored theme choice
// applies without a flash of the other theme. The toggle cycles
// system → light → dark and is remembered in localStorage.
(function () {
  var root = document.documentElement, key = "errref-theme", stored = null;
  try { stored = localStorage.getItem(key); } catch (e) {}
  if (stored === "light" || stored === "dark") root.setAttribute("data-theme", stored);
  // Marks that scripts run, which shows the controls that need them.
  root.setAttribute("data-js", "");

  var next = { system: "light", light: "dark", dark: "system" };
  function current() { return root.getAttribute("data-theme") || "system"; }
  // The visible text is the accessible name: "Theme: dark".
  function label(button) {
    button.textContent = "Theme: " + current();
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("#theme-toggle");
    if (!button) return;
    var t = next[current()];
    try {
      if (t === "system") localStorage.removeItem(key); else localStorage.setItem(key, t);
    } catch (e2) {}
    if (t === "system") root.removeAttribute("data-theme"); else root.setAttribute("data-theme", t);
    label(button);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (button) label(button);
  });
})();
