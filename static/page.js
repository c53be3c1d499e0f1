// Copy controls on code pages. A button with data-copy puts its text on
// the clipboard (the message, the page's link, the reply in Markdown or
// plain text) and announces its data-copied; a link to a part of the page
// (a.self) goes there and copies its address. The buttons stay hidden
// without scripts (.needs-js).
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
  // label is not reliably read out. The region is emptied first and the
  // text set a moment later, so that copying the same thing twice is
  // announced twice: a screen reader may skip a region whose text stays.
  var saying;
  function say(text) {
    var s = document.getElementById("search-status");
    if (!s) return;
    s.textContent = "";
    clearTimeout(saying);
    saying = setTimeout(function () { s.textContent = text; }, 100);
  }
  // linkName is what a link to a part of the page links to, as its hidden
  // label says ("Link to step 3"); a section's names the section.
  function linkName(a) {
    var name = a.textContent.replace(/^#/, "");
    var h = a.parentNode.querySelector("h2");
    return h && a.parentNode.classList.contains("hd") ? "Link to the section \u201c" + h.textContent + "\u201d" : name;
  }
  var keys = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "\u2318C" : "Ctrl+C";
  // select leaves the text selected for the reader to copy by hand: the
  // quoted message, or the text in a read-only field after the control
  // (a box of several lines for a reply).
  function select(el, text, name) {
    var fig = el.closest("figure");
    var q = fig && fig.querySelector("blockquote");
    if (q) {
      window.getSelection().selectAllChildren(q);
      return;
    }
    var f = el.nextElementSibling;
    if (!f || !f.classList.contains("copy-field")) {
      var lines = text.split("\n").length;
      f = document.createElement(lines > 1 ? "textarea" : "input");
      if (lines > 1) f.rows = Math.min(lines, 12);
      f.readOnly = true;
      f.className = "copy-field";
      f.setAttribute("aria-label", name);
      f.value = text;
      el.parentNode.insertBefore(f, el.nextSibling);
    }
    f.focus();
    f.select();
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.self");
    if (a) {
      // The link still goes to its part of the page (the address bar has
      // it, the part is highlighted); the copy is the page's own address
      // with the part's id, whatever address this page was opened at.
      var canon = document.querySelector('link[rel="canonical"]');
      var url = (canon ? canon.href : location.href.split("#")[0]) + a.getAttribute("href");
      var name = linkName(a);
      copy(url).then(function () {
        say(name + " copied");
      }, function () {
        select(a, url, name);
        say("Could not copy; the link is selected, press " + keys + " to copy it");
      });
      return;
    }
    var b = e.target.closest && e.target.closest("button[data-copy]");
    if (!b) return;
    var label = b.getAttribute("data-label") || b.textContent;
    b.setAttribute("data-label", label);
    var text = b.getAttribute("data-copy");
    copy(text).then(function () {
      b.textContent = "Copied";
      say(b.getAttribute("data-copied") || "Copied");
    }, function () {
      select(b, text, b.getAttribute("data-field") || "Link to this page");
      b.textContent = "Selected: press " + keys;
      say("Could not copy; the text is selected, press " + keys + " to copy it");
    });
    setTimeout(function () { b.textContent = label; }, 2000);
  });
})();
