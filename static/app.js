/*
 * errref search interface, on every page (classic script, deferred). It
 * fetches search.js and search-index.json the first time the box is used,
 * shows results as you type in #results, keeps the query and filters in
 * the address (?q=, ?category=…), and on the home page builds filter chips
 * in #filters that also narrow the server-rendered list. Everything it
 * writes is built from DOM nodes and text, never parsed as HTML.
 */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var input = doc.getElementById("q");
  var results = doc.getElementById("results");
  if (!input || !results || !window.history || !window.fetch) return;
  var base = root.getAttribute("data-base") || "/";
  // The new-code issue form, to which a code the site lacks is added.
  var newCode = root.getAttribute("data-new-code") || "";
  var main = doc.getElementById("main") || doc.querySelector("main");
  var filtersEl = doc.getElementById("filters");
  var status = doc.getElementById("search-status");
  // The filters, their names and the labels of their values come from the
  // page (#facet-labels), as the server wrote them: an entry without a
  // value names a filter, in order; one with a value labels that value.
  var FACETS = [], FACET_NAMES = {}, LABELS = {};
  Array.prototype.forEach.call(doc.querySelectorAll("#facet-labels li"), function (li) {
    var f = li.getAttribute("data-facet"), v = li.getAttribute("data-value");
    if (v === null) {
      FACETS.push(f);
      FACET_NAMES[f] = li.textContent;
      LABELS[f] = LABELS[f] || { order: [], text: {} };
    } else if (LABELS[f]) {
      LABELS[f].order.push(v);
      LABELS[f].text[v] = li.textContent;
    }
  });
  var LIMIT = 30;
  // A pasted dialog is a few hundred characters; a whole log pasted by
  // mistake is cut here rather than tokenized on every keystroke.
  var MAX_QUERY = 2000;
  // After search fails to load, typing retries, but not more often.
  var RETRY_MS = 5000;

  var searcher = null, loading = null, failed = false, failedAt = 0;
  var parts = {}; // name -> the fetch of a part of a split index
  var filters = {}; // facet -> selected values
  var hits = [], active = -1, announceTimer = 0, lastQuery = "";
  // pushNext makes the next change of the query a new step of the
  // history; later keystrokes of the same search replace it.
  var pushNext = true;
  var filtersHome = filtersEl ? { parent: filtersEl.parentNode, next: filtersEl.nextSibling } : null;
  var rows = Array.prototype.slice.call(doc.querySelectorAll("li.row[data-slug]"));
  // A home page that lists only some codes of each category names in
  // data-rows the file holding the rows of all of them (home-rows.json):
  // the filters count those, and the first filter turned on puts them in
  // the list, so that filtering finds every code. Should the file fail to
  // load, the filters work on the rows shown.
  var groupsEl = doc.querySelector(".groups[data-rows]");
  var countRows = rows; // the rows the filters count
  var allRows = null; // category -> its rows, once fetched
  var rowsLoading = null, showingAll = false;
  var chips = {}; // facet -> value -> {button, count}

  var hint = doc.getElementById("q-hint");
  if (hint) hint.textContent += " Results appear as you type; the arrow keys move through them. Press slash to come back to this box.";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // script loads search.js once: a classic script from this site, as the
  // Content-Security-Policy requires. It holds the searcher and the filter
  // rule (errref.passes), which the list's filters use too.
  var scriptLoading = null;
  function script() {
    if (window.errref && window.errref.createSearcher) return Promise.resolve();
    if (scriptLoading) return scriptLoading;
    scriptLoading = new Promise(function (resolve, reject) {
      var s = doc.createElement("script");
      s.src = base + "search.js";
      s.onload = resolve;
      s.onerror = function () { scriptLoading = null; reject(new Error("search.js did not load")); };
      doc.head.appendChild(s);
    });
    return scriptLoading;
  }

  // load fetches the searcher once.
  function load() {
    if (loading) return loading;
    var index = fetch(base + "search-index.json").then(function (r) {
      if (!r.ok) throw new Error("search-index.json: HTTP " + r.status);
      return r.json();
    });
    loading = Promise.all([script(), index]).then(function (v) {
      searcher = window.errref.createSearcher(v[1]);
      failed = false;
      return searcher;
    });
    loading.catch(function () {
      loading = null;
      failed = true;
      failedAt = Date.now();
      update();
    });
    return loading;
  }

  // The address: ?q= and one parameter per filter, values comma separated.
  function readURL() {
    var p = new URLSearchParams(location.search);
    filters = {};
    FACETS.forEach(function (f) {
      var v = p.get(f);
      if (v) filters[f] = v.split(",").filter(Boolean);
    });
    input.value = p.get("q") || "";
  }

  function writeURL(push) {
    var p = new URLSearchParams(location.search);
    var q = input.value;
    if (q.trim()) p.set("q", q); else p.delete("q");
    FACETS.forEach(function (f) {
      if (filters[f] && filters[f].length) p.set(f, filters[f].join(",")); else p.delete(f);
    });
    var s = p.toString();
    var url = location.pathname + (s ? "?" + s : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function anyFilter() {
    return FACETS.some(function (f) { return filters[f] && filters[f].length > 0; });
  }

  // rowValues lists a server-rendered row's values of filter f.
  function rowValues(row, f) {
    var v = row.getAttribute(f === "platform" ? "data-platforms" : "data-" + f) || "";
    return v.split(" ").filter(Boolean);
  }

  // rowPasses applies search.js's filter rule (errref.passes) to a row,
  // skipping one filter for the counts of that filter. Until search.js
  // has loaded no filter applies: update loads it first whenever one is
  // on.
  function rowPasses(row, skip) {
    if (!window.errref || !window.errref.passes) return true;
    return window.errref.passes(function (f) { return rowValues(row, f); }, filters, skip);
  }

  // filterList narrows the server-rendered list in place. Rows are hidden
  // with an inline display (CSSOM, which the CSP allows) because the
  // style sheet's display for rows would override the hidden attribute.
  function filterList() {
    rows.forEach(function (row) { row.style.display = rowPasses(row, null) ? "" : "none"; });
    Array.prototype.forEach.call(doc.querySelectorAll(".group"), function (g) {
      var list = Array.prototype.slice.call(g.querySelectorAll("li.row[data-slug]"));
      var shown = list.some(function (r) { return r.style.display !== "none"; });
      g.style.display = shown || list.length === 0 ? "" : "none";
    });
  }

  // fetchRows fetches the rows of every code (see groupsEl) and makes the
  // filters count them.
  function fetchRows() {
    rowsLoading = fetch(groupsEl.getAttribute("data-rows")).then(function (r) {
      if (!r.ok) throw new Error("home rows: HTTP " + r.status);
      return r.json();
    }).then(function (m) {
      allRows = {};
      var list = [];
      Object.keys(m).forEach(function (id) {
        var t = doc.createElement("template");
        t.innerHTML = m[id];
        allRows[id] = Array.prototype.slice.call(t.content.querySelectorAll("li.row[data-slug]"));
        list = list.concat(allRows[id]);
      });
      countRows = list;
    }, function () {
      groupsEl = null;
    });
    return rowsLoading;
  }

  // showAllRows puts the row of every code in its category's list.
  function showAllRows() {
    showingAll = true;
    rows = [];
    Array.prototype.forEach.call(groupsEl.querySelectorAll(".group[data-category]"), function (g) {
      var list = allRows[g.getAttribute("data-category")] || [];
      var ul = g.querySelector("ul.rows"), more = g.querySelector(".more");
      ul.textContent = "";
      list.forEach(function (li) { ul.appendChild(li); });
      rows = rows.concat(list);
      if (more) more.hidden = true;
    });
  }

  function listCounts() {
    var out = {};
    FACETS.forEach(function (f) {
      out[f] = {};
      countRows.forEach(function (row) {
        if (!rowPasses(row, f)) return;
        rowValues(row, f).forEach(function (v) { out[f][v] = (out[f][v] || 0) + 1; });
      });
    });
    return out;
  }

  // buildChips makes one toggle button per filter value found in the list,
  // in the order of site.yaml, labelled from #facet-labels.
  function buildChips() {
    if (!filtersEl || countRows.length === 0) return;
    var present = listCounts();
    // A disclosure keeps the chips out of the way on a phone, where they
    // would push the results below the fold; wide screens open it.
    var box = el("details", "facets");
    box.open = !window.matchMedia || window.matchMedia("(min-width: 40rem)").matches;
    var summary = el("summary", null, "Filters");
    summary.id = "filters-summary";
    box.appendChild(summary);
    FACETS.forEach(function (f) {
      var values = LABELS[f].order.filter(function (v) { return present[f][v]; });
      Object.keys(present[f]).sort().forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
      if (values.length < 2) return;
      var group = el("div", "facet");
      group.setAttribute("role", "group");
      var head = el("span", "facet-name", FACET_NAMES[f] + ":");
      head.id = "facet-" + f;
      group.setAttribute("aria-labelledby", head.id);
      group.appendChild(head);
      chips[f] = {};
      values.forEach(function (v) {
        var b = el("button", "chip");
        b.type = "button";
        b.value = v;
        b.setAttribute("data-facet", f);
        b.setAttribute("aria-pressed", "false");
        var tick = el("span", "chip-on", "");
        tick.setAttribute("aria-hidden", "true");
        b.appendChild(tick);
        b.appendChild(doc.createTextNode(LABELS[f].text[v] || v));
        b.appendChild(doc.createTextNode(" "));
        var n = el("span", "n", "0");
        b.appendChild(n);
        group.appendChild(doc.createTextNode(" "));
        group.appendChild(b);
        chips[f][v] = { button: b, count: n, tick: tick };
      });
      box.appendChild(group);
    });
    var clear = el("button", "chip-clear", "Clear filters");
    clear.type = "button";
    clear.hidden = true;
    clear.id = "filters-clear";
    box.appendChild(clear);
    filtersEl.appendChild(box);
    filtersEl.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button");
      if (!b) return;
      if (b.id === "filters-clear") {
        filters = {};
      } else {
        var f = b.getAttribute("data-facet"), v = b.value, cur = filters[f] || [];
        var i = cur.indexOf(v);
        if (i >= 0) cur.splice(i, 1); else cur.push(v);
        filters[f] = cur;
      }
      writeURL(true);
      pushNext = true;
      update();
    });
  }

  function showCounts(counts) {
    FACETS.forEach(function (f) {
      if (!chips[f]) return;
      Object.keys(chips[f]).forEach(function (v) {
        var c = chips[f][v], on = (filters[f] || []).indexOf(v) >= 0;
        c.count.textContent = String((counts[f] && counts[f][v]) || 0);
        c.button.setAttribute("aria-pressed", on ? "true" : "false");
        // The state shows as text too, not only through the style sheet.
        c.tick.textContent = on ? "\u2713 " : "";
      });
    });
    var n = 0;
    FACETS.forEach(function (f) { n += (filters[f] || []).length; });
    var clear = doc.getElementById("filters-clear");
    if (clear) clear.hidden = n === 0;
    var summary = doc.getElementById("filters-summary");
    if (summary) summary.textContent = n === 0 ? "Filters" : "Filters (" + n + " on)";
  }

  // highlight appends text to parent with the ranges in <mark>.
  function highlight(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      if (r[0] > at) parent.appendChild(doc.createTextNode(text.slice(at, r[0])));
      parent.appendChild(el("mark", null, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) parent.appendChild(doc.createTextNode(text.slice(at)));
  }

  // searching hides the page under the results, so that results appear in
  // one place and the page does not shift under them as they change.
  function setSearching(on) {
    if (main) main.hidden = on;
    if (filtersEl && filtersHome) {
      if (on && filtersEl.parentNode !== results) results.insertBefore(filtersEl, results.firstChild);
      if (!on && filtersEl.parentNode !== filtersHome.parent) filtersHome.parent.insertBefore(filtersEl, filtersHome.next);
    }
    if (!on) {
      results.style.minHeight = "";
      Array.prototype.slice.call(results.childNodes).forEach(function (n) {
        if (n !== filtersEl) results.removeChild(n);
      });
    }
  }

  function announce(text) {
    if (!status) return;
    clearTimeout(announceTimer);
    // Wait for a pause in typing so screen readers are not flooded.
    announceTimer = setTimeout(function () { status.textContent = text; }, 500);
  }

  function setActive(i) {
    var opts = results.querySelectorAll("[role=option]");
    if (i < -1) i = -1;
    if (i >= opts.length) i = opts.length - 1;
    active = i;
    Array.prototype.forEach.call(opts, function (o, k) {
      o.setAttribute("aria-selected", k === i ? "true" : "false");
    });
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      if (opts[i].scrollIntoView) opts[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function renderResults(q) {
    hits = searcher.search(q, { filters: filters, limit: LIMIT });
    var total = searcher.count(q, { filters: filters });
    var mark = searcher.highlighter(q);
    // Keep the height reached while this query is typed (see below), but
    // not across a different query.
    var keep = q.indexOf(lastQuery) === 0 ? results.offsetHeight : 0;
    lastQuery = q;
    setSearching(true);
    Array.prototype.slice.call(results.childNodes).forEach(function (n) {
      if (n !== filtersEl) results.removeChild(n);
    });
    var box = el("div", "hits");
    // The page under the results is hidden, and its heading with it.
    box.appendChild(el("h1", "vh", "Search results for \u201c" + q.trim() + "\u201d"));
    var unknown = searcher.unknown(q);
    if (unknown.length > 0) box.appendChild(noPage(unknown, hits.length > 0));
    var count = total === 0 ? "No code matches" :
      plural(total, "code matches", "codes match") + (total > hits.length ? ", the best " + hits.length + " shown" : "");
    box.appendChild(el("p", "hits-count", count));
    if (hits.length > 0) {
      var list = el("ul", "rows hit-list");
      list.id = "search-list";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Search results");
      hits.forEach(function (h, i) {
        var d = searcher.doc(h.slug) || {};
        var li = el("li", "row hit");
        li.setAttribute("role", "none");
        var a = el("a", "row-link");
        a.href = base + "codes/" + encodeURIComponent(h.slug) + "/";
        a.id = "hit-" + i;
        a.tabIndex = -1;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        var code = el("code", "code");
        highlight(code, h.code, mark(h.code));
        var title = el("span", "row-title");
        highlight(title, h.title, mark(h.title));
        a.appendChild(code);
        a.appendChild(doc.createTextNode(" "));
        a.appendChild(title);
        a.appendChild(doc.createTextNode(" "));
        a.appendChild(el("span", "sev sev-" + h.severity, (LABELS.severity && LABELS.severity.text[h.severity]) || h.severity));
        if (d.message) {
          var msg = el("span", "hit-msg");
          highlight(msg, d.message, mark(d.message));
          a.appendChild(msg);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
    } else {
      box.appendChild(emptyState(q));
    }
    results.appendChild(box);
    // Keep the height reached while this query is typed: a shorter list
    // does not pull the footer up and down under the reader's eyes.
    results.style.minHeight = Math.max(keep, 0) + "px";
    input.setAttribute("aria-expanded", hits.length > 0 ? "true" : "false");
    if (hits.length > 0) input.setAttribute("aria-controls", "search-list");
    else input.removeAttribute("aria-controls");
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (filtersEl) showCounts(searcher.facets(q, { filters: filters }));
    announce((unknown.length > 0 ? "errref has no page for " + unknown.join(" or ") + ". " : "") +
      (total === 0 ? "No code matches. Check the spelling." : plural(total, "code matches", "codes match") + "; use the arrow keys to choose one"));
  }

  // noPage says first that the reference has no page for a code the query
  // names, and offers the new-code form filled in with it.
  function noPage(codes, closest) {
    var box = el("div", "empty no-page");
    var p = el("p"), strong = el("strong", null, "errref has no page for ");
    codes.forEach(function (c, i) {
      if (i > 0) strong.appendChild(doc.createTextNode(" or "));
      strong.appendChild(el("code", null, c));
    });
    strong.appendChild(doc.createTextNode("."));
    p.appendChild(strong);
    box.appendChild(p);
    var more = el("p");
    if (newCode) {
      var a = el("a", null, "tell us about it");
      a.href = newCode + "&code=" + encodeURIComponent(codes[0]) + "&title=" + encodeURIComponent("New code: " + codes[0]);
      more.appendChild(doc.createTextNode("If the app showed you this code, "));
      more.appendChild(a);
      more.appendChild(doc.createTextNode(" so that it can be added. "));
    }
    more.appendChild(doc.createTextNode(closest ? "The closest codes are below." : "No code is close to it."));
    box.appendChild(more);
    return box;
  }

  function emptyState(q) {
    var box = el("div", "empty");
    var p = el("p");
    p.appendChild(el("strong", null, "No code matches \u201c" + q.trim() + "\u201d."));
    box.appendChild(p);
    box.appendChild(el("p", null, "Check the spelling, or type the code exactly as the app shows it, for example accounts:4. You can also paste the whole message, including the code at its end."));
    if (anyFilter() && searcher && searcher.search(q, {}).length > 0) {
      box.appendChild(el("p", null, "Some codes match without the filters: clear them to see those."));
    }
    box.appendChild(otherWays());
    return box;
  }

  // otherWays is a paragraph of the ways to a code that need no search.
  function otherWays() {
    var p = el("p"), all = el("a", null, "See every code"), browse = el("a", null, "browse by category, platform and severity");
    all.href = base;
    browse.href = base + "browse/";
    p.appendChild(all);
    p.appendChild(doc.createTextNode(", or "));
    p.appendChild(browse);
    p.appendChild(doc.createTextNode("."));
    return p;
  }

  // renderFailure keeps the page in view (it may be the code the reader
  // came for) and offers the ways to a code that need no search.
  function renderFailure() {
    setSearching(false);
    var box = el("div", "empty");
    box.appendChild(el("p", null, "Search could not load; typing again retries it."));
    box.appendChild(otherWays());
    results.appendChild(box);
    announce("Search could not load.");
  }

  function renderMessage(text) {
    setSearching(true);
    Array.prototype.slice.call(results.childNodes).forEach(function (n) {
      if (n !== filtersEl) results.removeChild(n);
    });
    var box = el("div", "hits");
    box.appendChild(el("h1", "vh", "Search"));
    box.appendChild(el("p", "hits-count", text));
    results.appendChild(box);
    announce(text);
  }

  // update shows what the box and the filters select.
  function update() {
    if (anyFilter() && !(window.errref && window.errref.passes)) {
      // The filter rule is search.js's: load it, then show.
      script().then(update, function () {});
      return;
    }
    if (groupsEl && anyFilter() && !showingAll) {
      if (allRows) {
        showAllRows();
      } else {
        rowsLoading.then(update);
        return;
      }
    }
    var q = input.value.slice(0, MAX_QUERY);
    filterList();
    if (!q.trim()) {
      hits = [];
      active = -1;
      lastQuery = "";
      // Nothing left to announce: a count due for the old query would
      // now be wrong.
      clearTimeout(announceTimer);
      if (status) status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      input.removeAttribute("aria-controls");
      setSearching(false);
      if (filtersEl) showCounts(listCounts());
      return;
    }
    if (searcher) {
      show(q);
      return;
    }
    if (failed && !loading && Date.now() - failedAt < RETRY_MS) {
      renderFailure();
      return;
    }
    renderMessage("Loading search\u2026");
    load().then(function () {
      if (input.value.slice(0, MAX_QUERY) === q) show(q);
    }, function () {});
  }

  // show renders the results of q once the searcher has the parts of a
  // split index that they need (search.js: need and add); a single index
  // needs none.
  function show(q) {
    var names = searcher.need(q, { limit: LIMIT, filters: filters });
    if (names.length === 0) return renderResults(q);
    Promise.all(names.map(function (name) {
      // Keystrokes in a row ask for the same parts: fetch each once.
      return parts[name] || (parts[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name + ": HTTP " + r.status);
        return r.json();
      }).then(function (data) { searcher.add(name, data); }, function (err) {
        delete parts[name];
        throw err;
      }));
    })).then(function () {
      if (input.value.slice(0, MAX_QUERY) === q) show(q);
    }, renderFailure);
  }

  var leaving = false;

  function go(i) {
    var opts = results.querySelectorAll("[role=option]");
    if (!opts[i]) return;
    leaving = true;
    location.href = opts[i].href;
  }

  // Enter submits the form too (some key sequences fire the submission
  // even when keydown was cancelled): a chosen result or the results
  // already on the home page win over the plain GET.
  if (input.form) {
    input.form.addEventListener("submit", function (e) {
      if (leaving) {
        e.preventDefault();
      } else if (active >= 0) {
        e.preventDefault();
        go(active);
      } else if (filtersEl && input.value.trim()) {
        e.preventDefault();
        pushNext = true;
      }
    });
  }

  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", function () {
    writeURL(pushNext);
    pushNext = false;
    update();
  });
  input.addEventListener("keydown", function (e) {
    var n = results.querySelectorAll("[role=option]").length;
    switch (e.key) {
      case "ArrowDown":
      case "Down":
        if (n === 0) return;
        e.preventDefault();
        setActive(Math.min(active + 1, n - 1));
        break;
      case "ArrowUp":
      case "Up":
        if (n === 0) return;
        e.preventDefault();
        setActive(active - 1);
        break;
      case "Enter":
        // Enter that confirms an input method's composition is not ours.
        if (e.isComposing || e.keyCode === 229) return;
        if (active >= 0) {
          e.preventDefault();
          go(active);
        } else if (filtersEl && input.value.trim()) {
          // On the home page the results are already here: keep them; the
          // next change starts a new step of the history.
          e.preventDefault();
          pushNext = true;
        }
        break;
      case "Escape":
      case "Esc":
        if (active >= 0) {
          setActive(-1);
        } else if (input.value) {
          input.value = "";
          writeURL(true);
          pushNext = true;
          update();
        } else {
          input.blur();
        }
        e.preventDefault();
        break;
    }
  });
  results.addEventListener("mousemove", function (e) {
    var a = e.target.closest && e.target.closest("[role=option]");
    if (!a) return;
    var opts = Array.prototype.slice.call(results.querySelectorAll("[role=option]"));
    var i = opts.indexOf(a);
    if (i !== active) setActive(i);
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  window.addEventListener("popstate", function () {
    readURL();
    pushNext = true;
    update();
  });

  readURL();
  if (groupsEl) {
    // The chips wait for the rows they count; a search does not.
    fetchRows().then(function () {
      buildChips();
      update();
    });
  } else {
    buildChips();
  }
  update();
})();
