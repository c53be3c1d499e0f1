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
  // say puts the outcome in the page's live region, as a changed button
  // label is not reliably read out.
  function say(text) {
    var s = document.getElementById("search-status");
    if (s) s.textContent = text;
  }
  var keys = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "\u2318C" : "Ctrl+C";
  // select leaves the text selected for the reader to copy by hand: the
  // quoted message, or the link in a read-only field next to the button.
  function select(b) {
    var fig = b.closest("figure");
    var q = fig && fig.querySelector("blockquote");
    if (q) {
      window.getSelection().selectAllChildren(q);
      return;
    }
    var f = b.nextElementSibling;
    if (!f || f.tagName !== "INPUT") {
      f = document.createElement("input");
      f.readOnly = true;
      f.className = "copy-field";
      f.setAttribute("aria-label", "Link to this page");
      f.value = b.getAttribute("data-copy");
      b.parentNode.insertBefore(f, b.nextSibling);
    }
    f.focus();
    f.select();
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-copy]");
    if (!b) return;
    var label = b.getAttribute("data-label") || b.textContent;
    b.setAttribute("data-label", label);
    copy(b.getAttribute("data-copy")).then(function () {
      b.textContent = "Copied";
      say("Copied to the clipboard");
    }, function () {
      select(b);
      b.textContent = "Selected: press " + keys;
      say("Could not copy; the text is selected, press " + keys + " to copy it");
    });
    setTimeout(function () { b.textContent = label; }, 2000);
  });
})();
