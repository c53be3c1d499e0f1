// 404.html: when the missing path looks like an error code (/auth:1,
// /AUTH-1, /codes/auth:1, /repo/auth:1), send the reader to its page. The
// slug map is slugs.json, fetched only here: on a large site it weighs
// more than a page may.
(function () {
  var root = document.documentElement, base = root.getAttribute("data-base") || "/";

  // The same rule as the Go function Slug: runs of anything but ASCII
  // letters and digits become one dash, then lower case.
  function slug(s) {
    return s.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase();
  }
  var p = location.pathname;
  try { p = decodeURIComponent(p); } catch (e) {}
  if (p.indexOf(base) === 0) p = p.slice(base.length);
  p = p.replace(/^\/+/, "").replace(/\/(index\.html?)?$/i, "").replace(/^codes\//i, "");
  var parts = p.split("/"), tries = [p, parts[parts.length - 1]];

  function notFound() {
    var status = document.getElementById("nf-status");
    if (status && p && p !== "404.html") {
      status.textContent = "No page or error code matches “" + p + "”. Search for it above, or browse the list.";
    }
  }
  if (!window.fetch) return;
  fetch(base + "slugs.json").then(function (r) {
    if (!r.ok) throw new Error("slugs.json: HTTP " + r.status);
    return r.json();
  }).then(function (map) {
    for (var i = 0; i < tries.length; i++) {
      var s = slug(tries[i]);
      if (s && Object.prototype.hasOwnProperty.call(map, s)) {
        location.replace(base + "codes/" + map[s] + "/");
        return;
      }
    }
    notFound();
  }, notFound);
})();
