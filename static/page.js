// Copy buttons on code pages: each button with data-copy puts its text on
// the clipboard. The buttons stay hidden without scripts (.needs-js).
(function () {
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Fallback for plain-http previews: a hidden textarea and execCommand.
    return new Promise(function (resolve, reject) {
      var t = document.createElement("textarea");
      t.value = text;
      t.setAttribute("readonly", "");
      t.className = "vh";
      document.body.appendChild(t);
      t.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) {}
      document.body.removeChild(t);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-copy]");
    if (!b) return;
    var label = b.getAttribute("data-label") || b.textContent;
    b.setAttribute("data-label", label);
    copy(b.getAttribute("data-copy")).then(function () {
      b.textContent = "Copied";
    }, function () {
      b.textContent = "Press Ctrl+C to copy";
    });
    setTimeout(function () { b.textContent = label; }, 2000);
  });
})();
