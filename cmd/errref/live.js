// errref serve: reload the page after each rebuild, and show the problems
// of a failed build over the page until they are fixed. Served only by the
// development server; never part of a published build.
(function () {
  "use strict";
  var overlay = null;

  function show(problems) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!problems.length) return;
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.id = "errref-problems";
    var s = overlay.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "2147483647";
    s.maxHeight = "50vh"; s.overflow = "auto"; s.padding = "1rem 1.25rem";
    s.background = "#2b0b0b"; s.color = "#ffe9e9"; s.font = "14px/1.5 ui-monospace, monospace";
    s.borderTop = "4px solid #ff5c5c";
    var h = document.createElement("strong");
    h.textContent = "Build failed: the page shows the last good build. Fix these and save:";
    overlay.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.margin = "0.5rem 0 0"; ul.style.paddingLeft = "1.25rem";
    problems.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = (p.Location ? p.Location + ": " : "") + (p.Rule ? p.Rule + " " : "") +
        (p.Field ? p.Field + ": " : "") + p.Message;
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function check() {
    fetch("/_errref/problems", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) { show(d.problems || []); })
      .catch(function () {});
  }

  var src = new EventSource("/_errref/events");
  src.addEventListener("hello", check);
  src.addEventListener("build", function () {
    fetch("/_errref/problems", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.problems && d.problems.length) show(d.problems);
        else location.reload();
      })
      .catch(function () { location.reload(); });
  });
})();
