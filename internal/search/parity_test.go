package search_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/search"
)

// jsSearcher runs static/search.js in goja over an index.
type jsSearcher struct {
	vm      *goja.Runtime
	search  goja.Callable
	facets  goja.Callable
	unknown goja.Callable
	// The split layout: its files, and the searcher's need and add.
	files     map[string][]byte
	need, add goja.Callable
	loads     int // parts added
}

func newJSSearcher(t testing.TB, index []byte) *jsSearcher {
	return newJSSearcherFiles(t, map[string][]byte{"search-index.json": index})
}

// newJSSearcherFiles runs search.js over the files of an index in either
// layout; in the split layout every call first loads the parts the query
// needs, as app.js does.
func newJSSearcherFiles(t testing.TB, files map[string][]byte) *jsSearcher {
	t.Helper()
	src, err := os.ReadFile(searchJSPath)
	if err != nil {
		t.Fatal(err)
	}
	return newJSSearcherScript(t, src, files)
}

// newJSSearcherScript is newJSSearcherFiles with another search.js.
func newJSSearcherScript(t testing.TB, src []byte, files map[string][]byte) *jsSearcher {
	t.Helper()
	index := files["search-index.json"]
	vm := goja.New()
	if _, err := vm.RunScript("search.js", string(src)); err != nil {
		t.Fatalf("search.js: %v", err)
	}
	if err := vm.Set("indexJSON", string(index)); err != nil {
		t.Fatal(err)
	}
	obj, err := vm.RunString(`globalThis.errref.createSearcher(JSON.parse(indexJSON))`)
	if err != nil {
		t.Fatalf("createSearcher: %v", err)
	}
	o := obj.ToObject(vm)
	js := &jsSearcher{vm: vm}
	var ok bool
	if js.search, ok = goja.AssertFunction(o.Get("search")); !ok {
		t.Fatal("search is not a function")
	}
	if js.facets, ok = goja.AssertFunction(o.Get("facets")); !ok {
		t.Fatal("facets is not a function")
	}
	if js.unknown, ok = goja.AssertFunction(o.Get("unknown")); !ok {
		t.Fatal("unknown is not a function")
	}
	if len(files) > 1 {
		js.files = files
		if js.need, ok = goja.AssertFunction(o.Get("need")); !ok {
			t.Fatal("need is not a function")
		}
		if js.add, ok = goja.AssertFunction(o.Get("add")); !ok {
			t.Fatal("add is not a function")
		}
	}
	return js
}

// load adds the parts the query needs for its hits under o, until need
// lists nothing.
func (js *jsSearcher) load(t testing.TB, q string, o search.Options) {
	t.Helper()
	if js.files == nil {
		return
	}
	for round := 0; ; round++ {
		v, err := js.need(goja.Undefined(), js.vm.ToValue(q), js.opts(o))
		if err != nil {
			t.Fatalf("need(%q): %v", q, err)
		}
		var names []string
		if err := js.vm.ExportTo(v, &names); err != nil {
			t.Fatal(err)
		}
		if len(names) == 0 {
			return
		}
		if round > 5 {
			t.Fatalf("need(%q) still lists %v after %d rounds", q, names, round)
		}
		for _, name := range names {
			data, ok := js.files[name]
			if !ok {
				t.Fatalf("need(%q) lists %s, which the index does not have", q, name)
			}
			parsed, err := js.vm.RunString("(" + string(data) + ")")
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if _, err := js.add(goja.Undefined(), js.vm.ToValue(name), parsed); err != nil {
				t.Fatalf("add(%s): %v", name, err)
			}
			js.loads++
		}
	}
}

func (js *jsSearcher) opts(o search.Options) goja.Value {
	m := map[string]any{}
	if o.Limit > 0 {
		m["limit"] = o.Limit
	}
	if o.Filters != nil {
		f := map[string]any{}
		for k, vs := range o.Filters {
			a := make([]any, len(vs))
			for i, v := range vs {
				a[i] = v
			}
			f[k] = a
		}
		m["filters"] = f
	}
	return js.vm.ToValue(m)
}

func (js *jsSearcher) Search(t testing.TB, q string, o search.Options) []search.Hit {
	t.Helper()
	js.load(t, q, o)
	v, err := js.search(goja.Undefined(), js.vm.ToValue(q), js.opts(o))
	if err != nil {
		t.Fatalf("search(%q): %v", q, err)
	}
	var hits []search.Hit
	decodeJS(t, v, &hits)
	return hits
}

func (js *jsSearcher) Unknown(t testing.TB, q string) []string {
	t.Helper()
	js.load(t, q, search.Options{Limit: 1})
	v, err := js.unknown(goja.Undefined(), js.vm.ToValue(q))
	if err != nil {
		t.Fatalf("unknown(%q): %v", q, err)
	}
	var out []string
	decodeJS(t, v, &out)
	return out
}

func (js *jsSearcher) Facets(t testing.TB, q string, o search.Options) map[string]map[string]int {
	t.Helper()
	js.load(t, q, o)
	v, err := js.facets(goja.Undefined(), js.vm.ToValue(q), js.opts(o))
	if err != nil {
		t.Fatalf("facets(%q): %v", q, err)
	}
	var out map[string]map[string]int
	decodeJS(t, v, &out)
	return out
}

// parityQueries builds the queries both searchers must agree on: every
// code and alias in several spellings, every title word, prefixes, typos,
// pasted messages, random word pairs and nonsense.
func parityQueries(site *errref.Site, maxEach int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	var qs []string
	add := func(q string) { qs = append(qs, q) }
	sample := func(list []string) []string {
		if len(list) <= maxEach {
			return list
		}
		out := make([]string, maxEach)
		for i := range out {
			out[i] = list[r.IntN(len(list))]
		}
		return out
	}
	var codes, aliases, messages []string
	wordSet := map[string]bool{}
	for _, c := range site.Codes {
		codes = append(codes, c.Code)
		aliases = append(aliases, c.Aliases...)
		messages = append(messages, c.Messages()...)
		for _, w := range search.Words(c.Title) {
			wordSet[w] = true
		}
		for _, m := range c.Messages() {
			for _, w := range search.Words(m) {
				wordSet[w] = true
			}
		}
	}
	var words []string
	for w := range wordSet {
		words = append(words, w)
	}
	sort.Strings(words)
	for _, c := range sample(codes) {
		add(c)
		add(strings.ToUpper(c))
		add(strings.NewReplacer(":", " ", "_", " ").Replace(c))
		add(strings.NewReplacer(":", "-").Replace(c) + " ")
		add(strings.NewReplacer(":", "").Replace(c))
		if len(c) > 3 {
			add(c[:len(c)-1])
		}
	}
	for _, a := range sample(aliases) {
		add(a)
	}
	for _, w := range sample(words) {
		add(w)
		add(w + " ")
		for k := 2; k < len(w) && k < 6; k++ {
			add(w[:k])
		}
		if len(w) >= 4 {
			i := r.IntN(len(w) - 1)
			b := []byte(w)
			b[i], b[i+1] = b[i+1], b[i]
			add(string(b))
			add(w[:i] + w[i+1:])
			add(w[:i] + "x" + w[i+1:])
		}
	}
	for _, m := range sample(messages) {
		add(m)
		add(strings.ToLower(m) + " ")
		ws := strings.Fields(m)
		if len(ws) > 3 {
			add(strings.Join(ws[:len(ws)/2], " "))
		}
		// Typed a letter at a time: cut inside a word, and just after
		// the first letters of a word that may become a stop word.
		for k := 2; k < len(ws) && k < 7; k++ {
			typed := strings.Join(ws[:k], " ")
			if n := len(ws[k]); n > 2 {
				add(typed + " " + ws[k][:n/2+1])
			}
			add(typed + " th")
		}
	}
	for i, c := range site.Codes {
		if c.Message != "" && i < maxEach {
			add(c.Message + " (Error code: " + c.Code + ")")
		}
	}
	for i := 0; i < maxEach && len(words) > 1; i++ {
		add(words[r.IntN(len(words))] + " " + words[r.IntN(len(words))])
		add("spotify " + words[r.IntN(len(words))] + " not working")
	}
	for _, q := range []string{"", " ", "xqzv", "xqzv blorf", "qwrtzp mnbvc", "zzzz", "the", "the of and", "a", "!!!", "spotify", "spotify won't log in", "can’t play this song", "spotify's firewall", "in", "Ünïcödé straße", "日本語 テスト", "ΣΊΣΥΦΟΣ", "İstanbul"} {
		add(q)
	}
	// Real text: codes the site lacks, addresses, paths, numbers and
	// statuses, error names, and long pastes of several messages.
	for _, c := range sample(codes) {
		key := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '7'
			}
			return r
		}, c)
		add(key)
		add("Error code: " + key + " ")
		add("https://open.spotify.com/" + c + " and " + c)
		add(`{"error": {"status": 403, "message": "` + c + `"}}`)
	}
	for _, q := range []string{
		"auth:74", "auth:7", "accounts:999 ", "Error 410", "error code 503", "HTTP 410", "HTTP 403 ", "status: 404",
		"error code 3", "error -3", "installer -3 ", "com.spotify.installer −3", "−3", "- 3", "x-3",
		"open.spotify.com", "api.spotify.com/v1/me/player 404", "user@example.com login", "C:\\Users\\me\\AppData\\Spotify",
		"www.spotify.com/download", "Spotify 1.2.50.335 on Windows 10", "INTERNAL_ERROR", "kSpErrorFailed", "SpCallbackError", "SpotifyError", "couldn't decode error: (42) [x]", "Error Domain=com.spotify.sdk.login Code=3 x", "com.spotify.Client 1.2.3", "error: login_region_mismatch",
		"ErrorType.OTHER_PERMANENT: 10", "NO_ACTIVE_DEVICE", "INVALID_CLIENT: Invalid redirect URI", "foo:12", "03T08:50:06",
	} {
		add(q)
	}
	for i := 0; i+3 < len(messages) && i < maxEach; i += 3 {
		add("I tried everything, then it says " + messages[i] + " and later " + messages[i+1] + " " + strings.Repeat("xqzv ", i%5) + messages[i+2])
	}
	// Every synonym word, alone, finished, mistyped, typed and in a
	// sentence: most are not in the corpus, so only Syn finds them.
	for _, g := range search.SynonymGroups {
		for _, w := range g {
			add(w)
			add(w + " ")
			add(w + "x ")
			add("spotify " + w + " not working")
		}
	}
	return qs
}

func checkParity(t *testing.T, s *search.Searcher, js *jsSearcher, queries []string) {
	t.Helper()
	bad := 0
	for _, q := range queries {
		goHits := s.Search(q, search.Options{})
		jsHits := js.Search(t, q, search.Options{})
		msg := diffHits(goHits, jsHits)
		if gu, ju := s.Unknown(q), js.Unknown(t, q); msg == "" && !slices.Equal(gu, ju) {
			msg = fmt.Sprintf("unknown: Go %q, JS %q", gu, ju)
		}
		if msg != "" {
			bad++
			if bad <= 10 {
				t.Errorf("query %q: %s", q, msg)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d queries differ", bad, len(queries))
	}
}

func diffHits(a, b []search.Hit) string {
	if len(a) != len(b) {
		return fmt.Sprintf("Go has %d hits, JS %d (Go %v, JS %v)", len(a), len(b), slugs(a), slugs(b))
	}
	for i := range a {
		if a[i].Slug != b[i].Slug || a[i].Code != b[i].Code || a[i].Title != b[i].Title || a[i].Severity != b[i].Severity {
			return fmt.Sprintf("hit %d: Go %s, JS %s (Go %v, JS %v)", i, a[i].Slug, b[i].Slug, slugs(a), slugs(b))
		}
		if a[i].Match != b[i].Match {
			return fmt.Sprintf("hit %d (%s): Go match %q, JS %q", i, a[i].Slug, a[i].Match, b[i].Match)
		}
		if math.Abs(a[i].Score-b[i].Score) > 1e-9 {
			return fmt.Sprintf("hit %d (%s): Go score %.15g, JS %.15g", i, a[i].Slug, a[i].Score, b[i].Score)
		}
	}
	return ""
}

func slugs(hs []search.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Slug
	}
	return out
}

func TestParityRealCorpus(t *testing.T) {
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	s := realSearcher(t)
	js := newJSSearcher(t, data)
	site := realSite(t)
	each := 100
	if testing.Short() {
		each = 30
	}
	qs := parityQueries(site, each, 1)
	if len(qs) < 300 {
		t.Fatalf("only %d queries", len(qs))
	}
	t.Logf("%d queries", len(qs))
	checkParity(t, s, js, qs)
	// And search.js as a site with a whole index serves it.
	src, err := os.ReadFile(searchJSPath)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := search.WholeScript(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) >= len(src) {
		t.Fatalf("WholeScript left %d of %d bytes", len(whole), len(src))
	}
	checkParity(t, s, newJSSearcherScript(t, whole, map[string][]byte{"search-index.json": data}), qs)
}

// TestParityRealQueries checks both searchers on every query of the
// evaluation set, as pasted and while typed.
func TestParityRealQueries(t *testing.T) {
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, q := range loadEvalQueries(t) {
		qs = append(qs, q.Query, q.Query+" ")
		if r := []rune(q.Query); len(r) > 12 {
			qs = append(qs, string(r[:len(r)/2]))
		}
	}
	checkParity(t, realSearcher(t), newJSSearcher(t, data), qs)
}

// splitFiles returns the index of site in the split layout.
func splitFiles(t testing.TB, site *errref.Site) map[string][]byte {
	t.Helper()
	ix, err := errref.Index(site)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	files, err := ix.SplitFiles()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestParitySplitLayout checks search.js over the split layout, loading
// parts as a query needs them, against the Go searcher of the single
// layout: the same hits, scores, match and unknown codes, on the real
// corpus (generated and real queries, with filters and facets) and on a
// generated one.
func TestParitySplitLayout(t *testing.T) {
	site := realSite(t)
	files := splitFiles(t, site)
	if len(files) < 4 {
		t.Fatalf("the split layout has %d files", len(files))
	}
	s := realSearcher(t)
	js := newJSSearcherFiles(t, files)
	qs := parityQueries(site, 30, 5)
	for _, q := range loadEvalQueries(t) {
		qs = append(qs, q.Query)
	}
	checkParity(t, s, js, qs)
	if js.loads == 0 {
		t.Error("no part was loaded: the test does not exercise the split layout")
	}
	for _, o := range []search.Options{{Limit: 3}, {Filters: map[string][]string{"category": {"network"}, "platform": {"macos"}}}} {
		for _, q := range []string{"firewall", "accounts:54", "install", "xqzv"} {
			if msg := diffHits(s.Search(q, o), js.Search(t, q, o)); msg != "" {
				t.Errorf("search %q %+v: %s", q, o, msg)
			}
			if gf, jf := s.Facets(q, o), js.Facets(t, q, o); !reflect.DeepEqual(gf, jf) {
				t.Errorf("facets %q %+v:\nGo %v\nJS %v", q, o, gf, jf)
			}
		}
	}
	// A fresh searcher, query by query: each loads only what it needs.
	n := 200
	if testing.Short() {
		n = 100
	}
	data, gen, err := genIndex(n * 5)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := search.NewSearcher(data)
	if err != nil {
		t.Fatal(err)
	}
	gjs := newJSSearcherFiles(t, splitFiles(t, gen))
	checkParity(t, gs, gjs, parityQueries(gen, 15, 6))
}

func TestParityGeneratedCorpus(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 200
	}
	data, site, err := genIndex(n)
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		t.Fatal(err)
	}
	js := newJSSearcher(t, data)
	qs := parityQueries(site, 25, 2)
	if len(qs) < 300 {
		t.Fatalf("only %d queries", len(qs))
	}
	t.Logf("%d queries over %d codes", len(qs), n)
	checkParity(t, s, js, qs)
}

func TestParityFiltersAndFacets(t *testing.T) {
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	s := realSearcher(t)
	js := newJSSearcher(t, data)
	opts := []search.Options{
		{},
		{Limit: 3},
		{Filters: map[string][]string{"category": {"network"}}},
		{Filters: map[string][]string{"platform": {"macos"}}},
		{Filters: map[string][]string{"severity": {"fatal", "warn"}, "handling": {"fix-setup"}}},
		{Limit: 2, Filters: map[string][]string{"category": {"login", "network"}, "platform": {"windows"}}},
	}
	for _, q := range []string{"", "  ", "?!", "\u2014", "firewall", "spotify", "accounts:54", "install", "premium account", "xqzv", "wi-fi", "soun"} {
		for _, o := range opts {
			if msg := diffHits(s.Search(q, o), js.Search(t, q, o)); msg != "" {
				t.Errorf("search %q %+v: %s", q, o, msg)
			}
			gf, jf := s.Facets(q, o), js.Facets(t, q, o)
			if !reflect.DeepEqual(gf, jf) {
				t.Errorf("facets %q %+v:\nGo %v\nJS %v", q, o, gf, jf)
			}
		}
	}
}

// TestParityNode runs search.js in Node (V8), when node is installed, over
// the real corpus and checks it against the Go searcher like goja.
func TestParityNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not on PATH; CI must have it")
		}
		t.Skip("node not on PATH")
	}
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	idx := filepath.Join(dir, "index.json")
	if err := os.WriteFile(idx, data, 0o644); err != nil {
		t.Fatal(err)
	}
	qs := parityQueries(realSite(t), 40, 3)
	qfile := filepath.Join(dir, "queries.json")
	qdata, err := json.Marshal(qs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(qfile, qdata, 0o644); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`
const fs = require("fs"), vm = require("vm");
vm.runInThisContext(fs.readFileSync(%q, "utf8"), {filename: "search.js"});
const s = globalThis.errref.createSearcher(JSON.parse(fs.readFileSync(%q, "utf8")));
const qs = JSON.parse(fs.readFileSync(%q, "utf8"));
process.stdout.write(JSON.stringify(qs.map(q => s.search(q, {}))));
`, mustAbs(t, searchJSPath), idx, qfile)
	out, err := exec.Command(node, "-e", script).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got [][]search.Hit
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if len(got) != len(qs) {
		t.Fatalf("node answered %d of %d queries", len(got), len(qs))
	}
	s := realSearcher(t)
	bad := 0
	for i, q := range qs {
		if msg := diffHits(s.Search(q, search.Options{}), got[i]); msg != "" {
			bad++
			if bad <= 10 {
				t.Errorf("query %q: %s", q, msg)
			}
		}
	}
	t.Logf("%d queries, %d differ", len(qs), bad)
}

// TestWholeScript checks how search.js loses its split-layout code, and
// that without it a split index is refused rather than half read.
func TestWholeScript(t *testing.T) {
	for in, want := range map[string]string{
		"a\n//<split>\nb\n//</split>\nc\n":    "a\nc\n",
		"a\n  //<split>\n  b\n  //</split>\n": "a\n",
		"a\nb\n":                              "a\nb\n",
	} {
		got, err := search.WholeScript([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("WholeScript(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"//<split>\na\n", "a\n//</split>\n", "//<split>\n//<split>\n//</split>\n"} {
		if _, err := search.WholeScript([]byte(bad)); err == nil {
			t.Errorf("WholeScript(%q) accepted unbalanced markers", bad)
		}
	}
	src, err := os.ReadFile(searchJSPath)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := search.WholeScript(src)
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	if _, err := vm.RunScript("search.js", string(whole)); err != nil {
		t.Fatal(err)
	}
	files := splitFiles(t, realSite(t))
	if err := vm.Set("base", string(files["search-index.json"])); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(`globalThis.errref.createSearcher(JSON.parse(base))`); err == nil {
		t.Error("search.js without its split-layout code took a split index")
	}
}

// decodeJS decodes a value search.js returned into out, through JSON as
// the page would see it.
func decodeJS(t testing.TB, v goja.Value, out any) {
	t.Helper()
	data, err := json.Marshal(v.Export())
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatal(err)
	}
}
