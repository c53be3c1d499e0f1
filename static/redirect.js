// Redirect pages for renamed codes: the meta refresh drops the #fragment
// of an old link (#h-fix, say); this keeps it, and replaces the history
// entry so Back does not return to the redirect.
(function () {
  var link = document.querySelector('link[rel="canonical"]');
  if (link && link.href) location.replace(link.href + location.hash);
})();
