/*
 * errref search: the ranking model of package internal/search (go doc
 * ./internal/search), step for step, over search-index.json. A classic
 * script without dependencies (ES2017): it defines
 * globalThis.errref.createSearcher(index), where index is the parsed JSON.
 * It runs in browsers, Node and goja; the Go tests check that it returns
 * the same hits and scores as the Go searcher.
 */
(function (root) {
  "use strict";

  // Character classes of the word-boundary rules (see internal/rules and internal/search/analysis.go).
  var OTHER = 0, LETTER = 1, DIGIT = 2, EXTEND = 3, MIDLETTER = 4,
    MIDNUMLET = 5, MIDNUM = 6, KATAKANA = 7, IDEO = 8;

  var MIDLETTER_CPS = [0xB7, 0x387, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A];
  var MIDNUMLET_CPS = [0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E];
  var MIDNUM_CPS = [0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B];
  var EXTEND_CPS = [0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F];

  function runeClass(r) {
    if ((r >= 0x61 && r <= 0x7A) || (r >= 0x41 && r <= 0x5A)) return LETTER;
    if (r >= 0x30 && r <= 0x39) return DIGIT;
    if (r === 0x5F) return EXTEND;
    if (r === 0x3A) return MIDLETTER;
    if (r === 0x2E || r === 0x27) return MIDNUMLET;
    if (r === 0x2C || r === 0x3B) return MIDNUM;
    if (r < 0x80) return OTHER;
    if (MIDLETTER_CPS.indexOf(r) >= 0) return MIDLETTER;
    if (MIDNUMLET_CPS.indexOf(r) >= 0) return MIDNUMLET;
    if (MIDNUM_CPS.indexOf(r) >= 0) return MIDNUM;
    if (EXTEND_CPS.indexOf(r) >= 0) return EXTEND;
    if (r === 0xAA || r === 0xB5 || r === 0xBA) return LETTER;
    if (r === 0xD7 || r === 0xF7) return OTHER;
    if ((r >= 0xC0 && r <= 0x52F) || (r >= 0x1E00 && r <= 0x1FFF)) return LETTER;
    if (r >= 0x30A0 && r <= 0x30FF) return KATAKANA;
    if ((r >= 0x3040 && r <= 0x309F) || (r >= 0x3400 && r <= 0x4DBF) || (r >= 0x4E00 && r <= 0x9FFF)) return IDEO;
    return OTHER;
  }

  function wordRune(r) {
    var c = runeClass(r);
    return c === LETTER || c === DIGIT || c === KATAKANA || c === IDEO;
  }

  // U+0130 is kept: its lower case is two code points.
  function lowerRune(r) {
    if (r < 0x80) return r >= 0x41 && r <= 0x5A ? r + 32 : r;
    if (r === 0x130) return r;
    var s = String.fromCodePoint(r).toLowerCase();
    var l = s.codePointAt(0);
    return s.length === (l > 0xFFFF ? 2 : 1) ? l : r;
  }

  function spaceRune(r) {
    switch (r) {
      case 0x20: case 0x09: case 0x0A: case 0x0D: case 0x0C: case 0x0B:
      case 0xA0: case 0x202F: case 0x205F: case 0x3000:
        return true;
    }
    return r >= 0x2000 && r <= 0x200A;
  }

  // codePoints returns the code points of s and their UTF-16 offsets (one
  // more offset than code points: the end).
  function codePoints(s) {
    var cps = [], offs = [];
    for (var i = 0; i < s.length;) {
      var c = s.codePointAt(i);
      cps.push(c);
      offs.push(i);
      i += c > 0xFFFF ? 2 : 1;
    }
    offs.push(s.length);
    return { cps: cps, offs: offs };
  }

  function fromCps(cps) {
    var out = "";
    for (var i = 0; i < cps.length; i++) out += String.fromCodePoint(cps[i]);
    return out;
  }

  function joins(p, d) {
    switch (p) {
      case LETTER: case DIGIT:
        return d === LETTER || d === DIGIT || d === EXTEND;
      case EXTEND:
        return d === LETTER || d === DIGIT || d === EXTEND || d === KATAKANA;
      case KATAKANA:
        return d === KATAKANA || d === EXTEND;
    }
    return false;
  }

  // tokenize splits s into lower-cased words with 1-based positions and
  // UTF-16 offsets, as tokenizeWords in internal/search/analysis.go.
  function tokenize(s) {
    var cp = codePoints(s), rs = cp.cps, offs = cp.offs, n = rs.length;
    var cls = new Array(n);
    for (var k = 0; k < n; k++) cls[k] = runeClass(rs[k]);
    var out = [], pos = 0;
    for (var i = 0; i < n;) {
      var c = cls[i];
      if (c === IDEO) {
        pos++;
        out.push({ word: String.fromCodePoint(lowerRune(rs[i])), pos: pos, start: offs[i], end: offs[i + 1] });
        i++;
        continue;
      }
      if (c !== LETTER && c !== DIGIT && c !== EXTEND && c !== KATAKANA) {
        i++;
        continue;
      }
      var j = i + 1;
      while (j < n) {
        var p = cls[j - 1], d = cls[j];
        if (joins(p, d)) {
          j++;
          continue;
        }
        if (j + 1 < n) {
          var e = cls[j + 1];
          if (p === LETTER && (d === MIDLETTER || d === MIDNUMLET) && e === LETTER) {
            j += 2;
            continue;
          }
          if (p === DIGIT && (d === MIDNUM || d === MIDNUMLET) && e === DIGIT) {
            j += 2;
            continue;
          }
        }
        break;
      }
      var w = "";
      for (var q = i; q < j; q++) w += String.fromCodePoint(lowerRune(rs[q]));
      pos++;
      out.push({ word: w, pos: pos, start: offs[i], end: offs[j] });
      i = j;
    }
    return out;
  }

  function trimNonWord(rs) {
    var i = 0, j = rs.length;
    while (i < j && !wordRune(rs[i])) i++;
    while (j > i && !wordRune(rs[j - 1])) j--;
    return rs.slice(i, j);
  }

  function splitRunes(rs, sep) {
    var out = [], start = 0;
    for (var i = 0; i <= rs.length; i++) {
      if (i === rs.length || sep(rs[i])) {
        var p = trimNonWord(rs.slice(start, i));
        if (p.length > 0) out.push(p);
        start = i + 1;
      }
    }
    return out;
  }

  var MAX_RANGE = 32;

  function isDigit(r) { return r >= 0x30 && r <= 0x39; }

  function numericRange(rs) {
    var j = rs.length, i = j;
    while (i > 0 && isDigit(rs[i - 1])) i--;
    if (i === j || j - i > 6 || i === 0) return null;
    var d = rs[i - 1];
    if (d !== 0x2D && d !== 0x2013 && d !== 0x2014 && d !== 0x2212) return null;
    var k = i - 1, m = k;
    while (m > 0 && isDigit(rs[m - 1])) m--;
    if (m === k || k - m > 6) return null;
    var lo = parseInt(fromCps(rs.slice(m, k)), 10);
    var hi = parseInt(fromCps(rs.slice(i, j)), 10);
    if (hi <= lo || hi - lo > MAX_RANGE) return null;
    return { prefix: fromCps(rs.slice(0, m)), lo: lo, hi: hi };
  }

  function isNumber(s) {
    if (s === "") return false;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    return true;
  }

  function letters(s) {
    if (s === "") return false;
    var rs = codePoints(s).cps;
    for (var i = 0; i < rs.length; i++) if (runeClass(rs[i]) !== LETTER) return false;
    return true;
  }

  // plainWord: letters, or letters and digits, without a separator.
  function plainWord(rs) {
    var letter = false;
    for (var i = 0; i < rs.length; i++) {
      if (!wordRune(rs[i])) return false;
      if (runeClass(rs[i]) !== DIGIT) letter = true;
    }
    return letter;
  }

  function httpStatus(n) {
    return n.length === 3 && n >= "100" && n <= "599";
  }

  // codeTokens analyzes a code as the errref_code analyzer does (see
  // codeTokens in internal/search/analysis.go).
  function codeTokens(s) {
    var out = [], seen = new Set(), chunk = [], prevHTTP = false;
    function add(t) {
      if (t === "" || seen.has(t)) return;
      seen.add(t);
      out.push(t);
    }
    function flush() {
      var whole = trimNonWord(chunk);
      var signed = chunk.length > 0 && (chunk[0] === 0x2D || chunk[0] === 0x2212) && whole.length === chunk.length - 1;
      chunk = [];
      if (whole.length === 0) {
        prevHTTP = false;
        return;
      }
      var w = fromCps(whole), isHTTP = prevHTTP;
      prevHTTP = w === "http";
      if (isNumber(w) && signed) {
        add("-" + w);
        return;
      }
      if (isNumber(w)) {
        add(w);
        if (isHTTP && httpStatus(w)) add("http:" + w);
        return;
      }
      if (plainWord(whole)) return;
      add(w);
      var r = numericRange(whole), n;
      if (r) {
        for (n = r.lo; n <= r.hi; n++) add(r.prefix + String(n));
        for (n = r.lo; n <= r.hi; n++) add(String(n));
      }
      splitRunes(whole, function (c) { return !wordRune(c) && c !== 0x5F && c !== 0x2E; })
        .forEach(function (p) { if (!plainWord(p)) add(fromCps(p)); });
      // Not the numbers of "127.0.0.1", which a '.' joins.
      splitRunes(whole, function (c) { return !wordRune(c) && c !== 0x2E; })
        .forEach(function (p) { var t = fromCps(p); if (isNumber(t)) add(t); });
    }
    var rs = codePoints(s).cps;
    for (var i = 0; i < rs.length; i++) {
      if (spaceRune(rs[i])) flush();
      else chunk.push(lowerRune(rs[i]));
    }
    flush();
    return out;
  }

  // keysOf is rules.CodeKeys: the key, the key without the filler word,
  // and the keys of a range's members.
  function keysOf(s) {
    var keys = [codeKey(s)];
    if (/code/i.test(s)) {
      var k2 = codeKey(dropFiller(s));
      if (k2 !== keys[0]) keys.push(k2);
    }
    // Only a code that ends in digits, a dash and digits is a range.
    if (!/[0-9][-\u2013\u2014\u2212][0-9]+[^0-9]*$/.test(s)) return keys;
    var cps = codePoints(s).cps, f = [], cur = [];
    cps.concat([0x20]).forEach(function (c) {
      if (spaceRune(c)) {
        if (cur.length) f.push(cur);
        cur = [];
      } else cur.push(c);
    });
    if (f.length === 0) return keys;
    var r = numericRange(trimNonWord(f[f.length - 1]));
    if (r) {
      var head = f.slice(0, -1).map(fromCps).join(" ");
      for (var v = r.lo; v <= r.hi; v++) keys.push(codeKey(head + " " + r.prefix + String(v)));
    }
    return keys;
  }

  // dropFiller is rules.DropFiller.
  function dropFiller(s) {
    var cps = codePoints(s).cps, out = "", first = true;
    for (var i = 0; i < cps.length;) {
      if (!wordRune(cps[i]) && cps[i] !== 0x5F) {
        out += String.fromCodePoint(cps[i++]);
        continue;
      }
      var j = i;
      while (j < cps.length && (wordRune(cps[j]) || cps[j] === 0x5F)) j++;
      var w = fromCps(cps.slice(i, j));
      if (first || w.toLowerCase() !== FILLER) out += w;
      first = false;
      i = j;
    }
    return out;
  }

  function codeKey(s) {
    // ASCII, as most codes are: letters and digits, lower-cased.
    var i, c, out = "";
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c >= 0x80) break;
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A)) out += s.charAt(i);
      else if (c >= 0x41 && c <= 0x5A) out += String.fromCharCode(c + 32);
    }
    if (i === s.length) return out;
    var rs = codePoints(s).cps;
    out = "";
    for (var i = 0; i < rs.length; i++) {
      if (wordRune(rs[i])) out += String.fromCodePoint(lowerRune(rs[i]));
    }
    return out;
  }

  function hasLetter(key) {
    var rs = codePoints(key).cps;
    for (var i = 0; i < rs.length; i++) {
      var c = runeClass(rs[i]);
      if (c === LETTER || c === KATAKANA || c === IDEO) return true;
    }
    return false;
  }

  function runeCount(s) { return codePoints(s).cps.length; }

  // prevCp returns the UTF-16 index of the code point before index i of s.
  function prevCp(s, i) {
    var c = s.charCodeAt(i - 1);
    return i >= 2 && c >= 0xDC00 && c <= 0xDFFF ? i - 2 : i - 1;
  }

  function lastCp(s) { return prevCp(s, s.length); }

  // editDistanceMax: optimal string alignment distance, or maxd+1 when it
  // exceeds maxd.
  var editPrev2 = [], editPrev = [], editCur = [];

  function editDistanceMax(a, b, maxd) {
    var la = a.length, lb = b.length, i, j;
    if (Math.abs(la - lb) > maxd) return maxd + 1;
    var prev2 = editPrev2, prev = editPrev, cur = editCur;
    for (j = 0; j <= lb; j++) prev[j] = j;
    for (i = 1; i <= la; i++) {
      cur[0] = i;
      var rowMin = cur[0];
      for (j = 1; j <= lb; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > maxd) return maxd + 1;
      var t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[lb] > maxd ? maxd + 1 : prev[lb];
  }

  function round6(x) {
    return Math.floor(x * 1e6 + 0.5) / 1e6;
  }

  var FACETS = ["category", "platform", "severity", "handling"];
  var DOC_SLUG = 0, DOC_CODE = 1, DOC_TITLE = 2, DOC_SEVERITY = 3, DOC_CATEGORY = 4,
    DOC_PLATFORMS = 5, DOC_HANDLING = 6, DOC_MESSAGE = 7;
  var POS_SHIFT = 1024;
  // How a word reached a document, from the weakest reason up.
  var BY_WORDS = 0, BY_PREFIX = 1, BY_TYPO = 2;
  // The word a code's key may leave out after its first word (see
  // rules.Filler).
  var FILLER = "code";

  // searchSorted returns the first index of the sorted list at or after k.
  function searchSorted(list, k) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < k) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // identifierShaped: an error name's shape (see identifierShaped in
  // internal/search/searcher.go).
  function identifierShaped(w, afterError) {
    var parts = w.split("_"), i, j, c;
    if (parts.length >= 2) {
      var upper = true, lower = true;
      for (i = 0; i < parts.length; i++) {
        var p = parts[i];
        if (p === "") return false;
        var cps = codePoints(p).cps;
        for (j = 0; j < cps.length; j++) {
          c = cps[j];
          if (c >= 0x41 && c <= 0x5A) lower = false;
          else if (c >= 0x61 && c <= 0x7A) upper = false;
          else if (!(c >= 0x30 && c <= 0x39)) return false;
        }
      }
      if (upper && hasLetter(w)) return true;
      return lower && afterError && hasLetter(w);
    }
    // kSpErrorFailed, SpCallbackError: the prefix k or Sp, then two or
    // more capitalised parts.
    var start;
    if (w.length >= 4 && w.charCodeAt(0) === 0x6B) start = 1;
    else if (w.length >= 5 && w.slice(0, 2) === "Sp") start = 2;
    else return false;
    var caps = 0;
    for (i = start; i < w.length; i++) {
      c = w.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5A) caps++;
      else if ((c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)) {
        if (i === start) return false;
      } else return false;
    }
    return caps >= 2;
  }

  // splitNumber splits a key that ends in a number: "auth73" is auth, 73.
  function splitNumber(k) {
    var i = k.length;
    while (i > 0 && isDigit(k.charCodeAt(i - 1))) i--;
    if (i === k.length || k.length - i > 9 || !hasLetter(k.slice(0, i))) return null;
    return { family: k.slice(0, i), n: parseInt(k.slice(i), 10) };
  }

  function toMap(obj) {
    var m = new Map();
    if (obj) Object.keys(obj).forEach(function (k) { m.set(k, obj[k]); });
    return m;
  }

  // The packed form of search-index.json (see internal/search/wire.go).
  var WIRE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var WIRE_VAL = new Int8Array(128).fill(-1);
  for (var wi = 0; wi < 64; wi++) WIRE_VAL[WIRE.charCodeAt(wi)] = wi;

  function readNums(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charCodeAt(i), c = ch < 128 ? WIRE_VAL[ch] : -1;
      if (c < 0 || shift > 30) throw new Error("errref: bad search index");
      v += (c & 31) * Math.pow(2, shift);
      if (c < 32) {
        out.push(v);
        v = 0;
        shift = 0;
      } else shift += 5;
    }
    if (shift !== 0) throw new Error("errref: bad search index");
    return out;
  }

  // slugOf is rules.Slug: ASCII letters and digits, lower-cased, other
  // runs one '-'.
  function slugOf(code) {
    var out = "", dash = false;
    for (var i = 0; i < code.length; i++) {
      var c = code.charCodeAt(i);
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)) {
        if (dash && out.length > 0) out += "-";
        dash = false;
        out += String.fromCharCode(c >= 0x41 && c <= 0x5A ? c + 32 : c);
      } else dash = true;
    }
    return out;
  }

  // readWire unpacks the vocabulary, the lexicon, the postings and the
  // document rows (see decodeWire).
  // readLines reads front-coded lines (see frontCode): for each, fn gets
  // the word and the tab separated fields after it.
  function readLines(text, fn) {
    var prev = "";
    if (text) text.split("\n").forEach(function (line) {
      var parts = line.slice(1).split("\t");
      prev = prev.slice(0, WIRE_VAL[line.charCodeAt(0)]) + parts[0];
      fn(prev, parts);
    });
  }

  // stemOf reads a word's analysis (see stemSpec).
  function stemOf(w, spec) {
    if (spec.charAt(0) === "=") return spec.slice(1);
    return spec === "" ? "" : w.slice(0, w.length - WIRE_VAL[spec.charCodeAt(0)]) + spec.slice(1);
  }

  function readSyn(list) {
    var syn = new Map();
    (list || []).forEach(function (e) {
      var bar = e.indexOf("|"), v = e.slice(0, bar);
      e.slice(bar + 1).split(" ").forEach(function (k) { if (k) syn.set(k, v); });
    });
    return syn;
  }

  function readWire(index) {
    var vocab = [], lex = new Map();
    readLines(index.vocab, function (w, parts) {
      vocab.push(w);
      if (parts.length > 1) lex.set(w, stemOf(w, parts[1]));
    });
    var fields = index.fields.map(function (wf) {
      var nums = readNums(wf.postings), post = new Map(), id = -1;
      for (var i = 0; i < nums.length;) {
        id += nums[i];
        var cnt = nums[i + 1];
        post.set(vocab[id], nums.slice(i + 2, i + 2 + cnt));
        i += 2 + cnt;
      }
      return { name: wf.name, boost: wf.boost, code: wf.code, pos: wf.pos, postings: post };
    });
    var docs = index.docs.map(function (r) {
      return [r.length > DOC_MESSAGE ? r[DOC_MESSAGE] : slugOf(r[0])].concat(r.slice(0, DOC_MESSAGE));
    });
    return { lex: lex, fields: fields, docs: docs, syn: readSyn(index.syn) };
  }

  //<split>
  // readBase unpacks search-index.json of the split layout (see
  // splitFiles): the lexicon, the words that are terms, and the document
  // rows without their title and message, which the document parts hold.
  function readBase(index) {
    var lex = new Map(), words = new Set(), codes = [];
    readLines(index.words, function (w, parts) {
      if (parts.length !== 2) words.add(w);
      if (parts.length > 1) lex.set(w, stemOf(w, parts[1]));
    });
    readLines(index.codes, function (c) { codes.push(c); });
    var fv = index.facetValues, nums = readNums(index.facets), slugs = index.slugs || {};
    var docs = codes.map(function (c, d) {
      var v = nums[d], ix = [0, 0, 0, 0];
      for (var fi = 3; fi >= 0; fi--) {
        ix[fi] = v % fv[fi].length;
        v = Math.floor(v / fv[fi].length);
      }
      return [slugs[d] || slugOf(c), c, "", fv[2][ix[2]], fv[0][ix[0]], fv[1][ix[1]], fv[3][ix[3]], ""];
    });
    return { lex: lex, words: words, fields: index.fields, docs: docs, syn: readSyn(index.syn) };
  }
  //</split>

  function createSearcher(index) {
    if (!index || index.version !== 3) throw new Error("errref: unsupported search index");
    var split = index.layout === "split";
    var wire = split ? readBase(index) : readWire(index);
    var P = index.params, n = wire.docs.length, nf = n;
    var docs = wire.docs;
    var facets = docs.map(function (d) {
      return [[d[DOC_CATEGORY]], d[DOC_PLATFORMS].split(" ").filter(Boolean), [d[DOC_SEVERITY]], [d[DOC_HANDLING]]];
    });
    var stems = wire.lex;
    // The keys of the codes, worked out from the rows (see decodeWire).
    var codes = new Map(), aliases = toMap(index.aliases), syn = wire.syn;
    docs.forEach(function (d, i) {
      keysOf(d[DOC_CODE]).forEach(function (k) {
        if (k === "" || !hasLetter(k)) return;
        if (!codes.has(k)) codes.set(k, []);
        var ds = codes.get(k);
        if (ds[ds.length - 1] !== i) ds.push(i);
      });
    });
    var codeKeys = Array.from(codes.keys()).sort();
    var allKeys = codeKeys.concat(Array.from(aliases.keys()).filter(function (k) { return !codes.has(k); })).sort();
    // Families: keys that end in a number, without it (see NewSearcher).
    var families = new Map();
    allKeys.forEach(function (k) {
      var sn = splitNumber(k);
      if (!sn) return;
      if (!families.has(sn.family)) families.set(sn.family, []);
      (codes.get(k) || []).forEach(function (d) { families.get(sn.family).push({ doc: d, n: sn.n }); });
    });
    var generic = new Set(P.generic), labels = new Set(P.labels), httpWords = new Set(P.httpWords);
    // Scratch for one code field (see exact), kept between searches.
    var fx = new Float64Array(n), fxMark = new Int32Array(n), stampNext = 0;
    var terms = new Set();
    var k1 = P.k1, b = P.b;

    var fields = wire.fields.map(function (ef) {
      var f = { boost: ef.boost, code: !!ef.code, pos: !!ef.pos, norm: new Array(n).fill(0), terms: new Map(), vlen: null };
      if (split) {
        // The postings come with the parts (see add).
        f.avg = ef.total / nf;
        f.vlen = new Array(n);
        return f;
      }
      // The length of a field is the sum of its term frequencies.
      var lens = new Array(n).fill(0), total = 0, l;
      ef.postings.forEach(function (raw, t) {
        var p = readPosting(raw, f.pos);
        f.terms.set(t, p);
        terms.add(t);
        for (var j = 0; j < p.docs.length; j++) lens[p.docs[j]] += p.tfs[j];
      });
      for (l = 0; l < n; l++) total += lens[l];
      var avg = total / nf;
      for (l = 0; l < n; l++) {
        if (avg > 0) f.norm[l] = k1 * (1 - b + b * lens[l] / avg);
      }
      if (f.pos) {
        // Per document, per value: its tokens.
        f.vlen = [];
        for (l = 0; l < n; l++) f.vlen.push([]);
        f.terms.forEach(function (p) {
          for (var j = 0; j < p.docs.length; j++) {
            var vl = f.vlen[p.docs[j]];
            for (var q = 0; q < p.pos[j].length; q++) {
              var arr = Math.floor(p.pos[j][q] / POS_SHIFT);
              while (vl.length <= arr) vl.push(0);
              vl[arr]++;
            }
          }
        });
      }
      return f;
    });

    function readPosting(raw, withPos) {
      var p = { docs: [], tfs: [], w: null, pos: withPos ? [] : null };
      var d = -1;
      for (var i = 0; i < raw.length;) {
        var v = raw[i++];
        d += v >> 2;
        var tf = (v & 3) + 1;
        if (tf === 4) tf = raw[i++];
        p.docs.push(d);
        p.tfs.push(tf);
        if (withPos) {
          var ps = new Array(tf), last = 0;
          for (var k = 0; k < tf; k++) {
            last += raw[i + k];
            ps[k] = last;
          }
          p.pos.push(ps);
          i += tf;
        }
      }
      return p;
    }

    // The split layout: which parts are loaded, and which a search was
    // missing (see need).
    var loaded = new Set(), missing = new Set(), missed = 0;

    // termOf returns a term's postings in field f; in the split layout it
    // notes the part of a term not loaded yet.
    function termOf(f, t) {
      if (split) {
        if (index.termParts.length === 0) return undefined;
        var i = searchSorted(index.termParts, t);
        if (i >= index.termParts.length || index.termParts[i] !== t) i--;
        var name = "search/t" + Math.max(i, 0) + ".json";
        if (!loaded.has(name)) {
          missing.add(name);
          missed++;
          return undefined;
        }
      }
      return f.terms.get(t);
    }

    // The split layout's add and need (see below). errref build leaves
    // their code out of search.js when a site's index is whole (the lines
    // between the split markers, see search.WholeScript): need then lists
    // nothing.
    var need = function () { return []; };
    var add = function () { throw new Error("errref: the search index is whole"); };
    //<split>
    // add takes a part of the split layout, as parsed JSON.
    add = function (name, data) {
      if (loaded.has(name)) return;
      loaded.add(name);
      var m = /^search\/([td])(\d+)\.json$/.exec(name), j, d;
      if (!m) throw new Error("errref: unknown search part " + name);
      if (m[1] === "d") {
        for (j = 0; j < data.length; j++) {
          d = docs[+m[2] * index.docPart + j];
          d[DOC_TITLE] = data[j][0];
          d[DOC_MESSAGE] = data[j][1];
        }
        return;
      }
      var ts = [];
      readLines(data.terms, function (t) { ts.push(t); });
      fields.forEach(function (f, fi) {
        var nums = readNums(data.postings[fi]), id = -1;
        for (var i = 0; i < nums.length;) {
          id += nums[i];
          var df = nums[i + 1], end = i + 3 + nums[i + 2];
          var idf = round6(Math.log(1 + (nf - df + 0.5) / (df + 0.5)));
          // At most one document per two numbers: typed arrays, cut to
          // size at the end.
          var most = (end - i - 3) >> 1, e = 0;
          var docs = new Int32Array(most), tfs = new Int32Array(most), w = new Float64Array(most);
          var p = { pos: f.pos ? [] : null };
          for (i += 3, d = -1; i < end; e++) {
            var v = nums[i++], tf = (v & 3) + 1;
            d += v >> 2;
            if (tf === 4) tf = nums[i++];
            var norm = f.avg > 0 ? k1 * (1 - b + b * nums[i++] / f.avg) : (i++, 0);
            docs[e] = d;
            tfs[e] = tf;
            w[e] = f.boost * ((idf * (tf * (k1 + 1))) / (tf + norm));
            if (f.pos) {
              var nv = nums[i++];
              // A document's value lengths are the same in every posting.
              if (!f.vlen[d]) f.vlen[d] = nums.slice(i, i + nv);
              i += nv;
              var ps = [], last = 0;
              for (j = 0; j < tf; j++) ps.push(last += nums[i++]);
              p.pos.push(ps);
            }
          }
          p.docs = docs.subarray(0, e);
          p.tfs = tfs.subarray(0, e);
          p.w = w.subarray(0, e);
          f.terms.set(ts[id], p);
        }
      });
      // What was worked out without this part may change.
      memo = { query: null };
      codeTerms = cached(codeTermsOf);
      synCache = cached(synOf);
      words.forEach(function (x) { x.terms = null; });
    };

    // need lists the parts of the split layout that a search for query
    // lacks: first the term parts its words need, then, once those are
    // loaded, the document parts of its first limit hits (0: all). Load
    // each with add and ask again, until it lists nothing.
    need = function (query, opts) {
      if (!split) return [];
      opts = opts || {};
      query = String(query || "");
      missing = new Set();
      // First the terms the words and their expansions look up, without
      // scoring; then a search, which may look up more.
      var mm = analyzed(query);
      mm.a.words.forEach(function (w) {
        if (w.stop) return;
        [w].concat(expansions(w)).forEach(function (x) {
          fields.forEach(function (f) { (f.code ? x.code : x.en).forEach(function (t) { termOf(f, t); }); });
        });
      });
      if (missing.size > 0) return Array.from(missing).sort();
      var res = run(query);
      if (missing.size > 0) return Array.from(missing).sort();
      var out = new Set();
      ranked(res, opts.filters, opts.limit > 0 ? opts.limit : 0).forEach(function (r) {
        var name = "search/d" + Math.floor(r.doc / index.docPart) + ".json";
        if (!loaded.has(name)) out.add(name);
      });
      return Array.from(out).sort();
    };
    //</split>

    function group(f, t) {
      if (f.code && stems.has(t)) {
        var v = stems.get(t);
        if (v !== "" && v.indexOf(" ") < 0) return v;
      }
      return t;
    }

    // weigh: boost*bm25 per posting; df counts documents with the word in
    // any field (see Searcher.weigh). The split layout sends df.
    if (!split) (function weigh() {
      var groups = new Map(), order = [];
      fields.forEach(function (f, fi) {
        f.terms.forEach(function (p, t) {
          var g = group(f, t);
          if (!groups.has(g)) {
            groups.set(g, []);
            order.push(g);
          }
          groups.get(g).push([fi, t]);
        });
      });
      var mark = new Int32Array(n);
      order.forEach(function (g, stamp) {
        var df = 0, list = groups.get(g), i, j;
        for (i = 0; i < list.length; i++) {
          var ds = fields[list[i][0]].terms.get(list[i][1]).docs;
          for (j = 0; j < ds.length; j++) {
            if (mark[ds[j]] !== stamp + 1) {
              mark[ds[j]] = stamp + 1;
              df++;
            }
          }
        }
        var idf = round6(Math.log(1 + (nf - df + 0.5) / (df + 0.5)));
        for (i = 0; i < list.length; i++) {
          var f = fields[list[i][0]], p = f.terms.get(list[i][1]);
          p.w = new Array(p.docs.length);
          for (j = 0; j < p.docs.length; j++) {
            var tf = p.tfs[j];
            var bm = (idf * (tf * (k1 + 1))) / (tf + f.norm[p.docs[j]]);
            p.w[j] = f.boost * bm;
          }
        }
      });
    })();

    // Expansion targets: every listed word, every term that is a word on
    // its own, and every word with synonyms (see internal/search/searcher.go).
    var words = (function () {
      var seen = new Set();
      stems.forEach(function (v, w) { seen.add(w); });
      // The split layout lists only words.
      if (split) wire.words.forEach(function (w) { seen.add(w); });
      [split ? [] : terms, syn].forEach(function (m) {
        m.forEach(function (v, t) {
          if (seen.has(t)) return;
          var ws = tokenize(t);
          if (ws.length === 1 && ws[0].word === t) seen.add(t);
        });
      });
      return Array.from(seen).sort().map(function (w) {
        // cps: the code points, worked out when needed (see cpsOf).
        return { word: w, cps: null, ascii: /^[\x00-\x7f]*$/.test(w), terms: null };
      });
    })();

    function cpsOf(x) {
      return x.cps || (x.cps = codePoints(x.word).cps);
    }

    function lenOf(x) {
      return x.ascii ? x.word.length : cpsOf(x).length;
    }

    // wordTerms analyzes an expansion target the first time it is used
    // (null for a stop word), which keeps createSearcher quick.
    function wordTerms(x) {
      if (x.terms === null) {
        var lk = lookup(x.word);
        x.terms = lk.en.length === 0 && isStop(x.word) ? false : { en: lk.en, code: codeTerms(x.word) };
        if (x.terms) x.terms.syn = synonyms(x.word, x.terms.en, x.terms.code);
      }
      return x.terms || null;
    }

    function isStop(t) {
      return stems.has(t) && stems.get(t) === "";
    }

    // lookup returns {en, known} (see Searcher.lookup).
    // cached keeps what a function of one word gave, for the words of
    // the queries typed and the texts highlighted; it is emptied when it
    // grows large. Callers never change what it returns.
    function cached(fn) {
      var m = new Map();
      return function (w) {
        var v = m.get(w);
        if (v === undefined) {
          if (m.size > 20000) m.clear();
          v = fn(w);
          m.set(w, v);
        }
        return v;
      };
    }

    var lookup = cached(lookupWord);

    function lookupWord(w) {
      var cands = [w];
      var w2 = w.replace(/[\u2018\u2019\uff07]/g, "'");
      if (w2 !== w) cands.push(w2);
      if (w2.length >= 2 && w2.slice(-2) === "'s") cands.push(w2.slice(0, -2));
      for (var i = 0; i < cands.length; i++) {
        var c = cands[i];
        if (stems.has(c)) {
          var t = stems.get(c);
          return { en: t === "" ? [] : t.split(" "), known: true };
        }
        if ((split ? wire.words : terms).has(c)) return { en: [c], known: true };
      }
      return { en: [], known: false };
    }

    // synonyms returns S(w) (see Searcher.synonyms).
    function synOf(k) {
      var i = k.indexOf("\u0000");
      var w = k.slice(0, i), code = k.slice(i + 1);
      return synonymsOf(w, lookup(w).en, code === "" ? [] : code.split(" "));
    }
    var synCache = cached(synOf);

    function synonyms(w, en, code) {
      return synCache(w + "\u0000" + code.join(" "));
    }

    function synonymsOf(w, en, code) {
      var set = new Set();
      [w].concat(en).forEach(function (k) {
        if (syn.has(k)) syn.get(k).split(" ").forEach(function (x) { if (x) set.add(x); });
      });
      if (set.size === 0) return [];
      var key = function (e, c) { return e.join(" ") + "|" + c.join(" "); };
      var seen = new Set([key(en, code)]), out = [];
      Array.from(set).sort().forEach(function (x) {
        var xen = lookup(x).en, xcode = codeTerms(x), k = key(xen, xcode);
        if (seen.has(k) || (xen.length === 0 && xcode.length === 0)) return;
        seen.add(k);
        out.push({ en: xen, code: xcode });
      });
      return out;
    }

    function codeTerm(t) {
      for (var i = 0; i < fields.length; i++) {
        if (fields[i].code && termOf(fields[i], t)) return true;
      }
      return false;
    }

    function codeTermsOf(w) {
      return codeTokensOf(w).filter(codeTerm);
    }
    var codeTerms = cached(codeTermsOf);
    var codeTokensOf = cached(codeTokens);

    function hasProse(t) {
      for (var i = 0; i < fields.length; i++) {
        if (!fields[i].code && termOf(fields[i], t)) return true;
      }
      return false;
    }

    // joinHyphenated reads "wi-fi" as wifi (see Searcher.joinHyphenated).
    function joinHyphenated(query, toks) {
      for (var i = 0; i + 1 < toks.length; i++) {
        var a = toks[i], b = toks[i + 1];
        if (b.start !== a.end + 1 || query.charCodeAt(a.end) !== 0x2D ||
            (known(a.word) && known(b.word)) || !known(a.word + b.word)) continue;
        toks[i] = { word: a.word + b.word, pos: a.pos, start: a.start, end: b.end };
        toks.splice(i + 1, 1);
        for (var k = i + 1; k < toks.length; k++) toks[k] = { word: toks[k].word, pos: toks[k].pos - 1, start: toks[k].start, end: toks[k].end };
      }
      return toks;
    }

    function known(w) {
      if (lookup(w).known) return true;
      return (syn.get(w) || "") !== "" || codeTerms(w).length > 0;
    }

    // chunkClass: 0 text, 1 path (its words name no code), 2 URL or
    // e-mail address (its words are ignored); see chunkClass in Go.
    function chunkClass(c) {
      var l = c.toLowerCase();
      var cps = codePoints(l).cps, i = 0;
      while (i < cps.length && !wordRune(cps[i])) i++;
      if (l.indexOf("://") >= 0 || fromCps(cps.slice(i)).startsWith("www.")) return 2;
      var at = l.indexOf("@");
      if (at > 0 && l.indexOf(".", at + 1) >= 0) return 2;
      if (l.indexOf("/") >= 0 || l.indexOf("\\") >= 0) return 1;
      return 0;
    }

    function analyze(query) {
      var toks = tokenize(query);
      var typing = toks.length > 0;
      if (query.length > 0 && spaceRune(query.codePointAt(lastCp(query)))) typing = false;
      if (toks.length > P.maxWords) {
        toks = toks.slice(0, P.maxWords);
        typing = false;
      }
      toks = joinHyphenated(query, toks);
      var meaningful = false; // a meaningful word came before
      var chunkEnd = -1, cls = 0;
      var out = toks.map(function (t, i) {
        if (t.start >= chunkEnd) {
          var a = t.start, bb = t.end;
          while (a > 0) {
            var pa = prevCp(query, a);
            if (spaceRune(query.codePointAt(pa))) break;
            a = pa;
          }
          while (bb < query.length) {
            var c = query.codePointAt(bb);
            if (spaceRune(c)) break;
            bb += c > 0xFFFF ? 2 : 1;
          }
          chunkEnd = bb;
          cls = chunkClass(query.slice(a, bb));
        }
        var lk = lookup(t.word);
        var w = { word: t.word, pos: t.pos, start: t.start, end: t.end, key: codeKey(t.word), en: lk.en, code: [], hit: false, prefix: false, typo: false, nocode: false };
        // A sentence ends before it: no code run crosses it.
        w.brk = i > 0 && /[.!?;]/.test(query.slice(toks[i - 1].end, t.start));
        w.stop = lk.known && lk.en.length === 0;
        if (cls === 2) {
          w.stop = true;
          w.nocode = true;
          w.en = [];
        } else if (cls === 1) {
          w.nocode = true;
        } else if (t.word.indexOf(".") >= 0 && !codeTerm(t.word)) {
          w.nocode = true;
        }
        if (!w.stop && !w.nocode) {
          w.code = codeTerms(t.word);
          if (isNumber(t.word)) w.code = numberTerms(query, toks, i, w.code);
        }
        if (w.nocode) w.key = "";
        for (var e = 0; e < w.en.length; e++) {
          if (hasProse(w.en[e])) w.hit = true;
        }
        if (w.code.length > 0) w.hit = true;
        w.syn = w.stop ? [] : synonyms(t.word, w.en, w.code);
        if (w.syn.length > 0) w.hit = true;
        var cnt = runeCount(t.word);
        w.prefix = typing && i === toks.length - 1 && cnt >= P.minPrefix && !w.stop &&
          (cnt >= P.minPrefixAfter || !w.hit || !meaningful);
        if (!w.stop) meaningful = true;
        w.typo = !w.stop && !w.hit && cnt >= P.minTypo;
        w.order = w.en;
        return w;
      });
      // In a long paste a word that matches nothing is noise, not a typo.
      var m = 0;
      out.forEach(function (w) { if (!w.stop) m++; });
      if (m > P.typoWords) out.forEach(function (w) { w.typo = false; });
      return { words: out, typing: typing };
    }

    // The last query's analysis and results: the interface asks for the
    // hits, their highlights, the facet counts and the unknown codes of
    // one query in turn.
    var memo = { query: null };
    function analyzed(query) {
      if (memo.query !== query || memo.partial) {
        var m0 = missed;
        memo = { query: query, a: analyze(query), res: null, runs: null };
        // Worked out without some parts of the split layout: not kept.
        memo.partial = missed > m0;
      }
      return memo;
    }

    // numberTerms reads a signed number or an HTTP status (see
    // Searcher.numberTerms).
    function numberTerms(query, toks, i, ts) {
      var t = toks[i];
      if (t.start > 0) {
        var p = prevCp(query, t.start), r = query.codePointAt(p);
        if (r === 0x2D || r === 0x2212) {
          if (p === 0 || spaceRune(query.codePointAt(prevCp(query, p)))) {
            return codeTerm("-" + t.word) ? ["-" + t.word] : ts;
          }
        }
      }
      if (httpStatus(t.word) && codeTerm("http:" + t.word)) {
        for (var k = i - 1; k >= 0 && k >= i - P.httpSpan; k--) {
          if (httpWords.has(toks[k].word)) return ["http:" + t.word];
        }
      }
      return ts;
    }

    // exact adds exact(w, d) into acc; the code fields count as one, by
    // their best (see Searcher.exact).
    function exact(en, code, acc, mark, stamp) {
      var touched = [];
      for (var fi = 0; fi < fields.length; fi++) {
        var f = fields[fi], ti, j, d, p;
        if (f.code) {
          var fs = ++stampNext, ft = [];
          for (ti = 0; ti < code.length; ti++) {
            p = termOf(f, code[ti]);
            if (!p) continue;
            for (j = 0; j < p.docs.length; j++) {
              d = p.docs[j];
              if (fxMark[d] !== fs) {
                fxMark[d] = fs;
                fx[d] = 0;
                ft.push(d);
              }
              fx[d] += p.w[j];
            }
          }
          for (j = 0; j < ft.length; j++) {
            d = ft[j];
            if (mark[d] !== stamp) {
              mark[d] = stamp;
              acc[d] = 0;
              touched.push(d);
            }
            if (fx[d] > acc[d]) acc[d] = fx[d];
          }
          continue;
        }
        for (ti = 0; ti < en.length; ti++) {
          p = termOf(f, en[ti]);
          if (!p) continue;
          for (j = 0; j < p.docs.length; j++) {
            d = p.docs[j];
            if (mark[d] !== stamp) {
              mark[d] = stamp;
              acc[d] = 0;
              touched.push(d);
            }
            acc[d] += p.w[j];
          }
        }
      }
      return touched;
    }

    // byLen: rune count -> indexes of words, ascending.
    var byLen = new Map(), wordList = words.map(function (x) { return x.word; });
    words.forEach(function (x, i) {
      var l = lenOf(x);
      if (!byLen.has(l)) byLen.set(l, []);
      byLen.get(l).push(i);
    });

    // expansions lists the words a query word also matches (see
    // Searcher.expansions), once per analysed word.
    function expansions(w) {
      if (w.xs) return w.xs;
      // One expansion per synonym: the best counts, never the sum.
      var out = w.syn.map(function (x) { return { en: x.en, code: x.code, factor: P.synonym, by: BY_WORDS }; });
      // A word of letters only reaches no code through its expansions.
      var plain = letters(w.word);
      function target(i, factor, by) {
        var tm = wordTerms(words[i]);
        out.push({ en: tm.en, code: plain ? [] : tm.code, factor: factor, prefix: by === BY_PREFIX, by: by });
        // The target's synonyms come with it.
        for (var si = 0; si < tm.syn.length; si++) {
          out.push({ en: tm.syn[si].en, code: plain ? [] : tm.syn[si].code, factor: factor * P.synonym, by: by });
        }
      }
      var prefixed = false, i;
      if (w.prefix) {
        for (i = searchSorted(wordList, w.word); i < words.length && words[i].word.startsWith(w.word); i++) {
          if (words[i].word === w.word || lenOf(words[i]) < 2 || !wordTerms(words[i])) continue;
          target(i, P.prefix, BY_PREFIX);
          prefixed = true;
        }
      }
      if (w.typo && !prefixed) {
        var wr = codePoints(w.word).cps;
        var maxd = wr.length >= P.longTypo ? 2 : 1;
        for (var l = Math.max(2, wr.length - maxd); l <= wr.length + maxd; l++) {
          var list = byLen.get(l) || [];
          for (var k = 0; k < list.length; k++) {
            i = list[k];
            if (words[i].word === w.word) continue;
            var dist = editDistanceMax(wr, cpsOf(words[i]), maxd);
            if (dist > 2 || (dist === 2 && maxd < 2) || !wordTerms(words[i])) continue;
            target(i, dist === 1 ? P.typo1 : P.typo2, BY_TYPO);
          }
        }
      }
      w.xs = out;
      return out;
    }

    // merged gathers the positions of postings per document; a document
    // of one posting keeps that posting's own list.
    function merged(ps) {
      var out = new Map();
      ps.forEach(function (p) {
        for (var j = 0; j < p.docs.length; j++) {
          var d = p.docs[j], a = out.get(d);
          out.set(d, a ? a.concat(p.pos[j]) : p.pos[j]);
        }
      });
      return out;
    }

    // forEachPos calls fn with positions and document, posting by posting:
    // a document of several postings comes once for each.
    function forEachPos(x, fn) {
      (x.one ? [x.one] : x.list).forEach(function (p) {
        for (var j = 0; j < p.docs.length; j++) fn(p.pos[j], p.docs[j]);
      });
    }

    // lookupBy returns a function from a document to its positions of
    // at(i); for one posting through an index kept between calls, valid
    // until the next call.
    var ixMark = null, ixJ = null, ixStamp = 0;
    function lookupBy(x) {
      if (!x.one) {
        if (!x.map) x.map = merged(x.list);
        return function (d) { return x.map.get(d); };
      }
      if (!ixMark) {
        ixMark = new Int32Array(n);
        ixJ = new Int32Array(n);
      }
      var p = x.one, st = ++ixStamp;
      for (var j = 0; j < p.docs.length; j++) {
        ixMark[p.docs[j]] = st;
        ixJ[p.docs[j]] = j;
      }
      return function (d) { return ixMark[d] === st ? p.pos[ixJ[d]] : undefined; };
    }

    // Tiers (see internal/search/searcher.go): higher always ranks first.
    var TIER_PHRASE = 1, TIER_CODE_PREFIX = 2, TIER_EXACT = 2;

    function raise(sc, tier) {
      if (sc.tier < tier) sc.tier = tier;
    }

    var stopWords = [];
    stems.forEach(function (v, t) { if (v === "") stopWords.push(t); });
    function beginsStopWord(w) {
      for (var i = 0; i < stopWords.length; i++) {
        var t = stopWords[i];
        if (t.length > w.length && t.startsWith(w)) return true;
      }
      return false;
    }

    function orderBonus(ws, typing, acc) {
      var mw = ws.filter(function (w) { return !w.stop; });
      var npairs = mw.length - 1;
      if (npairs < 1) return;
      // The words before one being typed that may become a stop word are
      // enough for the tier (see Searcher.orderBonus).
      var last = ws[ws.length - 1];
      var headPairs = typing && last.prefix && beginsStopWord(last.word) ? npairs - 1 : npairs;
      fields.forEach(function (f) {
        if (!f.pos) return;
        // Per document (perStart in internal/search/searcher.go): the
        // pairs matched (k) and, per start, the pairs matched there, those
        // before the word being typed, and the value.
        // Each word's positions: its one posting, or the postings of its
        // terms (and, when needed, merged by document).
        var pos = mw.map(function () { return null; });
        function at(i) {
          if (!pos[i]) {
            var ps = [];
            mw[i].order.forEach(function (t) {
              var p = termOf(f, t);
              if (p) ps.push(p);
            });
            pos[i] = ps.length === 1 ? { one: ps[0], size: ps[0].docs.length } : { list: ps, size: ps.length, map: null };
          }
          return pos[i];
        }
        // record notes that pair i matches in document d, with the first
        // word at start st, in value arr. A document's first start is kept
        // in arrays indexed by document (most have one), others in extra.
        if (!cMark) {
          cMark = new Int32Array(n);
          cK = new Int32Array(n);
          cLast = new Int32Array(n);
          cSt = new Int32Array(n);
          cCnt = new Int32Array(n);
          cHead = new Int32Array(n);
          cArr = new Int32Array(n);
          cPair = new Int32Array(n);
        }
        var cst = ++cStamp, docsHit = [], extra = new Map();
        function record(i, d, st, arr) {
          if (cMark[d] !== cst) {
            cMark[d] = cst;
            cK[d] = cCnt[d] = cHead[d] = 0;
            cLast[d] = cPair[d] = -1;
            cSt[d] = st;
            cArr[d] = arr;
            docsHit.push(d);
          }
          if (cLast[d] !== i) {
            cLast[d] = i;
            cK[d]++;
          }
          if (cSt[d] === st) {
            cArr[d] = arr;
            if (cPair[d] !== i) {
              cPair[d] = i;
              cCnt[d]++;
              if (i < headPairs) cHead[d]++;
            }
            return;
          }
          var e = extra.get(d), x = 0;
          if (!e) extra.set(d, e = []);
          while (x < e.length && e[x].st !== st) x++;
          if (x === e.length) e.push({ st: st, cnt: 0, head: 0, arr: arr, pair: -1 });
          var en = e[x];
          en.arr = arr;
          if (en.pair !== i) {
            en.pair = i;
            en.cnt++;
            if (i < headPairs) en.head++;
          }
        }
        for (var i = 0; i < npairs; i++) {
          var a = mw[i], bw = mw[i + 1], delta = bw.pos - a.pos, offset = a.pos - mw[0].pos;
          var pa = at(i);
          if (pa.size === 0) continue;
          var pb = at(i + 1);
          // Walk one side and look the other up through an index: the
          // word being typed, with all its prefix targets, is walked.
          var walkB = !pb.one && pa.one, get = lookupBy(walkB ? pa : pb);
          forEachPos(walkB ? pb : pa, function (ps, d) {
            var qs = get(d);
            if (!qs || qs.length === 0) return;
            for (var k = 0; k < ps.length; k++) {
              var p = walkB ? ps[k] - delta : ps[k], arr = Math.floor(p / POS_SHIFT);
              if ((walkB ? qs.indexOf(p) : qs.indexOf(p + delta)) < 0 || Math.floor((p + delta) / POS_SHIFT) !== arr) continue;
              record(i, d, p - offset, arr);
            }
          });
        }
        var bonus = f.boost * P.phrase;
        docsHit.forEach(function (d) {
          var sc = acc.get(d);
          if (!sc) return;
          sc.base += bonus * cK[d];
          var vl = f.vlen[d];
          // The query's words in the value, or the whole value quoted.
          function phrase(cnt, head, arr) {
            var quoted = vl && arr < vl.length ? vl[arr] >= 2 && cnt >= vl[arr] - 1 : false;
            if (cnt === npairs || (headPairs > 0 && head === headPairs) || quoted) raise(sc, TIER_PHRASE);
          }
          phrase(cCnt[d], cHead[d], cArr[d]);
          (extra.get(d) || []).forEach(function (en) { phrase(en.cnt, en.head, en.arr); });
        });
      });
    }
    var cMark = null, cK, cLast, cSt, cCnt, cHead, cArr, cPair, cStamp = 0;

    function codeBonus(ws, typing, get) {
      var i, j, k, t;
      function mark(list, tier, alias) {
        if (!list) return;
        for (var q = 0; q < list.length; q++) {
          var sc = get(list[q]);
          if (sc.tier < tier) {
            sc.tier = tier;
            sc.alias = alias;
          }
        }
      }
      for (i = 0; i < ws.length; i++) {
        if (ws[i].nocode) continue;
        // The label before a run counts with it ("Error code:").
        var label = 0;
        for (k = i - 1; k >= 0 && !ws[k + 1].brk && !ws[k].nocode && labels.has(ws[k].word); k--) label++;
        var full = "", short = "";
        for (j = i; j < ws.length && j < i + P.maxSpan && !ws[j].nocode && (j === i || !ws[j].brk); j++) {
          full += ws[j].key;
          if (j === i || ws[j].word !== FILLER) short += ws[j].key;
          var tier = TIER_EXACT + label + j - i + 1;
          var ks = short === full ? [full] : [full, short];
          for (t = 0; t < ks.length; t++) {
            if (!hasLetter(ks[t])) continue;
            mark(codes.get(ks[t]), tier, false);
            mark(aliases.get(ks[t]), tier, true);
          }
        }
      }
      if (!typing) return;
      k = "";
      for (i = 0; i < ws.length; i++) k += ws[i].key;
      if (runeCount(k) < P.minCodePrefix || !hasLetter(k)) return;
      for (t = searchSorted(codeKeys, k); t < codeKeys.length; t++) {
        var key = codeKeys[t];
        if (!key.startsWith(k)) break;
        if (key !== k) mark(codes.get(key), TIER_CODE_PREFIX, false);
      }
    }

    // runKeys: the keys of words i..j, in full and without the filler word.
    function runKeys(ws, i, j) {
      var full = "", short = "";
      for (var k = i; k <= j; k++) {
        full += ws[k].key;
        if (k === i || ws[k].word !== FILLER) short += ws[k].key;
      }
      return [full, short];
    }

    function isKey(k) { return codes.has(k) || aliases.has(k); }

    function keyPrefix(k) {
      var i = searchSorted(allKeys, k);
      return k !== "" && i < allKeys.length && allKeys[i].startsWith(k);
    }

    // unknownRuns finds the code-shaped strings of the query that name no
    // code or alias of the site (see Searcher.unknownRuns).
    function unknownRuns(query, ws, typing) {
      var out = [], last = ws.length - 1;
      for (var i = 0; i < ws.length; i++) {
        var w = ws[i], rk, k;
        // A number in parentheses of its own ("(159)") is a count, not
        // a code's number.
        if (isNumber(w.word) && !w.nocode && i > 0 &&
            !(w.start > 0 && query.charAt(w.start - 1) === "(" && query.charAt(w.end) === ")")) {
          // The longest family before the number, and whether any run
          // before it names a code of the site with it.
          var fam = "", j = -1, known = false;
          for (k = i - 1; k >= 0 && k > i - P.maxSpan && !ws[k].nocode && !ws[k + 1].brk; k--) {
            rk = runKeys(ws, k, i - 1);
            var f = families.has(rk[1]) ? rk[1] : rk[0];
            if (!families.has(f)) continue;
            fam = f;
            j = k;
            rk = runKeys(ws, k, i);
            if (isKey(rk[0]) || isKey(rk[1]) ||
                (generic.has(f) && (codeTerm(w.word) || codeTerm("http:" + w.word))) ||
                (f === "http" && codeTerm("http:" + w.word))) known = true;
          }
          if (j < 0 && query.slice(ws[i - 1].end, w.start) === ":" && letters(ws[i - 1].word) && !ws[i - 1].nocode) {
            fam = ws[i - 1].key;
            j = i - 1;
          }
          if (j < 0 || known) continue;
          rk = runKeys(ws, j, i);
          if (typing && i === last && (keyPrefix(rk[0]) || keyPrefix(rk[1]))) continue;
          out.push({ start: ws[j].start, end: w.end, family: generic.has(fam) ? "" : fam, n: parseInt(w.word, 10) });
          continue;
        }
        if (w.stop) continue;
        var raw = query.slice(w.start, w.end), parts = raw.split("."), off = 0;
        for (var pi = 0; pi < parts.length; pi++) {
          var part = parts[pi];
          var after = i > 0 && ws[i - 1].word === "error" && off === 0 && /[:=]/.test(query.slice(ws[i - 1].end, w.start));
          if (identifierShaped(part, after)) {
            k = codeKey(part);
            if (!isKey(k) && !keyPrefix(k)) out.push({ start: w.start + off, end: w.start + off + part.length, family: "", n: 0 });
          }
          off += part.length + 1;
        }
      }
      // An error domain of Spotify's SDKs and its code, as an NSError
      // prints them ("com.spotify.sdk.login Code=3").
      var re = /\bcom\.spotify(?:\.[a-z0-9_]+)+[ \t]+code[ \t]*[=:]?[ \t]*-?[0-9]{1,9}\b/gi, m;
      while ((m = re.exec(query)) !== null) {
        var kf = codeKey(m[0]), ks = codeKey(m[0].replace(/[ \t]+code[ \t]*[=:]?[ \t]*/i, " "));
        if (isKey(kf) || isKey(ks) || keyPrefix(kf) || keyPrefix(ks)) continue;
        out.push({ start: m.index, end: m.index + m[0].length, family: "", n: 0 });
      }
      out.sort(function (a, b) { return a.start - b.start; });
      return out;
    }

    // unknown lists the code-shaped strings of the query, as written, that
    // the site has no page for.
    function unknownOf(query, mm) {
      if (!mm.runs) mm.runs = unknownRuns(query, mm.a.words, mm.a.typing);
      return mm.runs;
    }

    function unknown(query) {
      query = String(query || "");
      var seen = new Set(), out = [];
      unknownOf(query, analyzed(query)).forEach(function (u) {
        var t = query.slice(u.start, u.end), k = codeKey(t);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(t);
        }
      });
      return out;
    }

    // nearBonus: the codes of an unknown code's family, the closest
    // numbers first (see Searcher.nearBonus).
    function nearBonus(runs, get) {
      runs.forEach(function (u) {
        if (u.family === "") return;
        (families.get(u.family) || []).forEach(function (m) {
          get(m.doc).base += P.near / (1 + Math.abs(m.n - u.n));
        });
      });
    }

    // run scores every document and returns [{doc, score, match}] best
    // first, before filters (see Searcher.run).
    function run(query) {
      var mm = analyzed(query);
      if (!mm.res) {
        var m0 = missed;
        mm.res = score(query, mm);
        if (missed > m0) mm.partial = true;
      }
      return mm.res;
    }

    // Scratch arrays, valid where their mark is the current stamp, kept
    // between searches.
    var wsc = new Float64Array(n), wsMark = new Int32Array(n), wby = new Int8Array(n);
    var ex = new Float64Array(n), exMark = new Int32Array(n), stamp = 0;

    function score(query, mm) {
      var a = mm.a, ws = a.words;
      var meaningful = 0, i;
      for (i = 0; i < ws.length; i++) if (!ws[i].stop) meaningful++;
      if (meaningful === 0) return [];
      var acc = newAcc();
      var get = acc.add;
      var m = 0, rare = 0;
      for (i = 0; i < ws.length; i++) {
        var w = ws[i];
        if (w.stop) continue;
        stamp++;
        var wordStamp = stamp;
        var touched = exact(w.en, w.code, wsc, wsMark, wordStamp), j;
        for (j = 0; j < touched.length; j++) wby[touched[j]] = BY_WORDS;
        var isCommon = 2 * touched.length > n;
        var xs = expansions(w);
        for (var xi = 0; xi < xs.length; xi++) {
          var x = xs[xi];
          if (x.prefix) {
            if (w.order === w.en) w.order = w.en.slice();
            for (var oi = 0; oi < x.en.length; oi++) w.order.push(x.en[oi]);
          }
          stamp++;
          var tx = exact(x.en, x.code, ex, exMark, stamp);
          for (var ti = 0; ti < tx.length; ti++) {
            var d = tx[ti];
            var v = x.factor * ex[d];
            if (wsMark[d] !== wordStamp) {
              wsMark[d] = wordStamp;
              wsc[d] = 0;
              touched.push(d);
            }
            if (v > wsc[d]) {
              wsc[d] = v;
              wby[d] = x.by;
            }
          }
        }
        var found = false;
        for (j = 0; j < touched.length; j++) {
          var dd = touched[j];
          if (wsc[dd] > 0) {
            found = true;
            var sc = get(dd);
            sc.base += wsc[dd];
            sc.matched++;
            if (!isCommon) sc.matchedRare++;
            if (wby[dd] > sc.by) sc.by = wby[dd];
          }
        }
        // A word found nowhere counts neither for nor against a code.
        if (found) {
          m++;
          if (!isCommon) rare++;
        }
      }
      orderBonus(ws, a.typing, acc);
      nearBonus(unknownOf(query, mm), get);
      codeBonus(ws, a.typing, get);
      if (rare > 0) {
        m = rare;
        acc.forEach(function (sc) { sc.matched = sc.matchedRare; });
      }
      var need = Math.min(Math.floor((m + 1) / 2), P.maxNeed);
      var maxBase = 0;
      acc.forEach(function (sc) { if (sc.base > maxBase) maxBase = sc.base; });
      var big = 1 + maxBase;
      var res = [];
      acc.forEach(function (sc, d) {
        if (sc.tier === 0 && (m === 0 || sc.matched < need || sc.base <= 0)) return;
        var score = sc.base;
        if (sc.tier > 0) score += sc.tier * big;
        res.push({ doc: d, score: score, match: matchOf(sc) });
      });
      return res;
    }

    // Hits rank by score, then by document (natural order of the code).
    function cmp(x, y) {
      if (x.score !== y.score) return x.score > y.score ? -1 : 1;
      return x.doc - y.doc;
    }

    // ranked returns the results that pass the filters, best first, at
    // most limit of them (0: all). A few of many are taken with a heap
    // rather than by sorting them all: every keystroke asks for 30.
    function ranked(res, filters, limit) {
      var list = [], i;
      for (i = 0; i < res.length; i++) if (pass(res[i].doc, filters, -1)) list.push(res[i]);
      if (!limit || list.length <= 4 * limit || !heapOK) return list.sort(cmp).slice(0, limit || list.length);
      //<split>
      var heap = list.slice(0, limit);
      // The worst of the best at the top.
      heap.sort(function (x, y) { return cmp(y, x); });
      function down(j) {
        for (;;) {
          var l = 2 * j + 1, r = l + 1, w = j;
          if (l < heap.length && cmp(heap[l], heap[w]) > 0) w = l;
          if (r < heap.length && cmp(heap[r], heap[w]) > 0) w = r;
          if (w === j) return;
          var t = heap[j];
          heap[j] = heap[w];
          heap[w] = t;
          j = w;
        }
      }
      for (i = limit; i < list.length; i++) {
        if (cmp(list[i], heap[0]) < 0) {
          heap[0] = list[i];
          down(0);
        }
      }
      return heap.sort(cmp);
      //</split>
    }
    // The heap is the split layout's: a whole index is small enough to sort.
    var heapOK = false;
    //<split>
    heapOK = true;
    //</split>

    // newAcc returns the running scores of one search: a document's score
    // object, kept between searches and reset when first used (many
    // documents at 10,000 codes: no allocation per document and search).
    var pool = null, poolMark = null, poolStamp = 0;
    function newAcc() {
      if (!pool) {
        pool = [];
        for (var d = 0; d < n; d++) pool.push({ base: 0, matched: 0, matchedRare: 0, tier: 0, alias: false, by: BY_WORDS });
        poolMark = new Int32Array(n);
      }
      var stampNow = ++poolStamp, list = [];
      return {
        get: function (d) { return poolMark[d] === stampNow ? pool[d] : undefined; },
        add: function (d) {
          var sc = pool[d];
          if (poolMark[d] !== stampNow) {
            poolMark[d] = stampNow;
            sc.base = 0;
            sc.matched = sc.matchedRare = sc.tier = 0;
            sc.alias = false;
            sc.by = BY_WORDS;
            list.push(d);
          }
          return sc;
        },
        forEach: function (fn) {
          for (var i = 0; i < list.length; i++) fn(pool[list[i]], list[i]);
        }
      };
    }

    // matchOf names why a document matched (see scored.match).
    function matchOf(sc) {
      if (sc.tier > TIER_EXACT) return sc.alias ? "alias" : "code";
      if (sc.tier === TIER_CODE_PREFIX) return "prefix";
      if (sc.tier === TIER_PHRASE) return "phrase";
      if (sc.by === BY_TYPO) return "typo";
      if (sc.by === BY_PREFIX) return "prefix";
      return "words";
    }

    function pass(d, filters, skip) {
      // No filter selected: every code passes (the common case, checked
      // without making a function for each of thousands of hits).
      if (!filters) return true;
      for (var k = 0; k < FACETS.length; k++) {
        var sel = filters[FACETS[k]];
        if (k !== skip && sel && sel.length) break;
      }
      if (k === FACETS.length) return true;
      return passes(function (f) { return facets[d][FACETS.indexOf(f)]; }, filters, skip < 0 ? "" : FACETS[skip]);
    }

    // count is the number of hits of search(query, opts) without limit.
    function count(query, opts) {
      opts = opts || {};
      var res = run(String(query || "")), k = 0;
      for (var i = 0; i < res.length; i++) if (pass(res[i].doc, opts.filters, -1)) k++;
      return k;
    }

    function search(query, opts) {
      opts = opts || {};
      return ranked(run(String(query || "")), opts.filters, opts.limit > 0 ? opts.limit : 0).map(function (r) {
        var d = docs[r.doc];
        return { slug: d[DOC_SLUG], code: d[DOC_CODE], title: d[DOC_TITLE], severity: d[DOC_SEVERITY], score: r.score, match: r.match };
      });
    }

    // The values of each facet, and each document's as their indexes,
    // worked out when first counted.
    var facetValues = null, facetIx = null;

    function facetCounts(query, opts) {
      if (!facetIx) {
        facetValues = FACETS.map(function () { return []; });
        facetIx = facets.map(function (fs) {
          return fs.map(function (vs, fi) {
            return vs.map(function (v) {
              var k = facetValues[fi].indexOf(v);
              if (k < 0) k = facetValues[fi].push(v) - 1;
              return k;
            });
          });
        });
      }
      opts = opts || {};
      query = String(query || "");
      var filtered = false, counts = FACETS.map(function (name, fi) {
        if (opts.filters && opts.filters[name] && opts.filters[name].length) filtered = true;
        return new Int32Array(facetValues[fi].length);
      });
      function count(d) {
        for (var fi = 0; fi < FACETS.length; fi++) {
          if (filtered && !pass(d, opts.filters, fi)) continue;
          var ix = facetIx[d][fi], c = counts[fi];
          for (var i = 0; i < ix.length; i++) c[ix[i]]++;
        }
      }
      // An empty query counts every code; punctuation alone counts none.
      if (codePoints(query).cps.every(spaceRune)) {
        for (var d = 0; d < n; d++) count(d);
      } else {
        var res = run(query);
        for (var r = 0; r < res.length; r++) count(res[r].doc);
      }
      var out = {};
      FACETS.forEach(function (name, fi) {
        out[name] = {};
        facetValues[fi].forEach(function (v, k) { out[name][v] = counts[fi][k]; });
      });
      return out;
    }

    // highlighter returns a function that, for a text, lists the [start,
    // end) UTF-16 ranges of its words that the query matches, exactly or
    // by expansion.
    function highlighter(query) {
      var want = new Set();
      analyzed(String(query || "")).a.words.forEach(function (w) {
        if (w.stop) return;
        w.en.forEach(function (t) { want.add("e:" + t); });
        w.code.forEach(function (t) { want.add("c:" + t); });
        expansions(w).forEach(function (x) {
          x.en.forEach(function (t) { want.add("e:" + t); });
          x.code.forEach(function (t) { want.add("c:" + t); });
        });
      });
      return function (text) {
        var out = [];
        if (want.size === 0) return out;
        textKeys(String(text || "")).forEach(function (tok) {
          for (var i = 0; i < tok.keys.length; i++) {
            if (want.has(tok.keys[i])) {
              out.push([tok.start, tok.end]);
              break;
            }
          }
        });
        return out;
      };
    }

    // textKeys lists, once per text, its words with the terms that
    // highlight them.
    var textKeys = cached(function (text) {
      return tokenize(text).map(function (tok) {
        var keys = lookup(tok.word).en.map(function (t) { return "e:" + t; });
        if (!isStop(tok.word)) codeTokensOf(tok.word).forEach(function (t) { keys.push("c:" + t); });
        return { start: tok.start, end: tok.end, keys: keys };
      });
    });

    var bySlug = new Map();
    docs.forEach(function (d) { bySlug.set(d[DOC_SLUG], d); });

    // doc returns what the index holds of a code, for the interface.
    function doc(slug) {
      var d = bySlug.get(slug);
      if (!d) return null;
      return {
        slug: d[DOC_SLUG], code: d[DOC_CODE], title: d[DOC_TITLE], severity: d[DOC_SEVERITY],
        category: d[DOC_CATEGORY], platforms: d[DOC_PLATFORMS].split(" ").filter(Boolean),
        handling: d[DOC_HANDLING], message: d[DOC_MESSAGE]
      };
    }

    return {
      search: search,
      count: count,
      unknown: unknown,
      need: need,
      add: add,
      facets: facetCounts,
      highlighter: highlighter,
      doc: doc,
      size: n
    };
  }

  // passes is the filter rule, its one copy in JavaScript (the Go
  // searcher's is in internal/search): a code passes when, for every
  // filter with values selected other than skip, one of its values
  // (values(filter), a list) is among them. app.js applies it to the rows
  // of the page too.
  function passes(values, filters, skip) {
    if (!filters) return true;
    for (var fi = 0; fi < FACETS.length; fi++) {
      var f = FACETS[fi], allowed = filters[f];
      if (f === skip || !allowed || allowed.length === 0) continue;
      var vals = values(f) || [], ok = false;
      for (var i = 0; i < vals.length; i++) {
        if (allowed.indexOf(vals[i]) >= 0) ok = true;
      }
      if (!ok) return false;
    }
    return true;
  }

  var ns = root.errref || (root.errref = {});
  ns.createSearcher = createSearcher;
  ns.passes = passes;
})(typeof globalThis !== "undefined" ? globalThis : this);
