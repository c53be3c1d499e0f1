package search_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dop251/goja"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/search"
)

// searchBudget is ARCHITECTURE.md's limit for the first search of the
// real corpus: search-index.json and search.js as the site serves them,
// gzipped. It was 25,000 for 62 codes; ARCHITECTURE.md says why it grew
// with the 22 codes of issue 14 rather than the index losing the causes,
// chain and steps that rank symptom queries.
const searchBudget = 30_000

// benchQueries mix what people type: codes, words, a prefix, a typo, a
// sentence and a pasted message.
var benchQueries = []string{
	"accounts:54", "firewall", "fire", "pasword", "spotify won't log in",
	"A firewall may be blocking Spotify. (Error code: accounts:103)",
	"installer error 18", "xqzv",
}

func gzipSize(t testing.TB, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestSearchSizes builds the real site as errref build does and holds
// what its first search downloads to the budget.
func TestSearchSizes(t *testing.T) {
	res, err := errref.Build(os.DirFS(root), errref.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	index, js := res.Files["search-index.json"], res.Files["search.js"]
	if len(index) == 0 || len(js) == 0 {
		t.Fatal("the build has no search-index.json or search.js")
	}
	gi, gj := gzipSize(t, index), gzipSize(t, js)
	t.Logf("real corpus (%d codes): search-index.json %d bytes, %d gzipped; search.js %d bytes, %d gzipped; together %d (budget %d)",
		len(res.Site.Codes), len(index), gi, len(js), gj, gi+gj, searchBudget)
	if gi+gj > searchBudget {
		t.Errorf("search-index.json and search.js of the real corpus are %d bytes gzipped, over the %d budget; each code adds about %d bytes of index (see Export and Layouts in go doc ./internal/search for what the index holds)",
			gi+gj, searchBudget, gi/max(1, len(res.Site.Codes)))
	}
}

func TestSearchIndexDeterministic(t *testing.T) {
	site := realSite(t)
	var prev []byte
	for i := 0; i < 3; i++ {
		ix, err := errref.Index(site)
		if err != nil {
			t.Fatal(err)
		}
		data, err := ix.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		if prev != nil && !bytes.Equal(prev, data) {
			t.Fatal("two builds of the same site gave different search-index.json")
		}
		prev = data
	}
}

func benchIndex(b *testing.B, corpus string) []byte {
	b.Helper()
	if corpus == "real" {
		data, err := realIndex()
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	data, _, err := genIndex(5000)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

var corpora = []string{"real", "gen5000"}

func BenchmarkSearchGo(b *testing.B) {
	for _, c := range corpora {
		b.Run(c, func(b *testing.B) {
			s, err := search.NewSearcher(benchIndex(b, c))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				s.Search(benchQueries[i%len(benchQueries)], search.Options{Limit: 20})
			}
		})
	}
}

func BenchmarkSearchGoja(b *testing.B) {
	for _, c := range corpora {
		b.Run(c, func(b *testing.B) {
			js := newJSSearcher(b, benchIndex(b, c))
			opts := js.opts(search.Options{Limit: 20})
			qs := make([]goja.Value, len(benchQueries))
			for i, q := range benchQueries {
				qs[i] = js.vm.ToValue(q)
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := js.search(goja.Undefined(), qs[i%len(qs)], opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchNode times search.js in V8, the engine of most browsers:
// node runs the loop and reports its own time per search.
func BenchmarkSearchNode(b *testing.B) {
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node not on PATH")
	}
	for _, c := range corpora {
		b.Run(c, func(b *testing.B) {
			dir := b.TempDir()
			idx := filepath.Join(dir, "index.json")
			if err := os.WriteFile(idx, benchIndex(b, c), 0o644); err != nil {
				b.Fatal(err)
			}
			script := fmt.Sprintf(`
const fs = require("fs"), vm = require("vm");
vm.runInThisContext(fs.readFileSync(%q, "utf8"));
const s = globalThis.errref.createSearcher(JSON.parse(fs.readFileSync(%q, "utf8")));
const qs = %s, n = %d;
for (const q of qs) s.search(q, {limit: 20});
const t0 = process.hrtime.bigint();
for (let i = 0; i < n; i++) s.search(qs[i %% qs.length], {limit: 20});
console.log(String(process.hrtime.bigint() - t0));
`, mustAbs(b, searchJSPath), idx, jsStrings(benchQueries), b.N)
			out, err := exec.Command(node, "-e", script).CombinedOutput()
			if err != nil {
				b.Fatalf("node: %v\n%s", err, out)
			}
			ns, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				b.Fatalf("node printed %q", out)
			}
			b.ReportMetric(ns/float64(b.N), "node-ns/op")
		})
	}
}

// scaleHarness runs search.js in Node over an index in either layout,
// reading the files of the index from a folder as the page fetches them,
// and prints what a benchmark asks for (see scaleConfig).
const scaleHarness = `
const fs = require("fs"), vm = require("vm"), path = require("path");
const cfg = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
vm.runInThisContext(fs.readFileSync(cfg.searchJS, "utf8"));
const text = {};
for (const name of cfg.names) text[name] = fs.readFileSync(path.join(cfg.dir, name), "utf8");
const cpu = () => { const c = process.cpuUsage(); return c.user + c.system; };
function open() { return globalThis.errref.createSearcher(JSON.parse(text["search-index.json"])); }
// keystroke does what the page does for one query: load the parts it
// needs, search, highlight the hits shown, count facets, name unknown codes.
function keystroke(s, q, fetched) {
  for (let names; (names = s.need(q, {limit: 30})).length > 0;) {
    for (const name of names) { fetched.add(name); s.add(name, JSON.parse(text[name])); }
  }
  const hits = s.search(q, {filters: {}, limit: 30}), mark = s.highlighter(q);
  s.count(q, {filters: {}});
  for (const h of hits) { mark(h.code); mark(h.title); const d = s.doc(h.slug); if (d.message) mark(d.message); }
  s.facets(q, {filters: {}});
  s.unknown(q);
}
const pct = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)];
if (cfg.mode === "ready") {
  const t = [];
  for (let i = 0; i < cfg.rounds; i++) { const c0 = cpu(); open(); t.push(cpu() - c0); }
  console.log(pct(t, 0.5));
} else if (cfg.mode === "first") {
  // Bytes of the first search: search.js, search-index.json and the parts
  // the query needs, gzipped as the site serves them.
  const out = [];
  for (const q of cfg.queries) {
    const s = open(), fetched = new Set(["search-index.json"]);
    keystroke(s, q, fetched);
    let bytes = cfg.gz["search.js"];
    for (const name of fetched) bytes += cfg.gz[name];
    out.push(bytes);
    if (process.env.ERRREF_BENCH_VERBOSE) console.error(JSON.stringify(q).slice(0, 40), bytes, "B,", fetched.size, "files; search.js", cfg.gz["search.js"], "B, search-index.json", cfg.gz["search-index.json"], "B");
  }
  console.log(Math.max(...out));
} else {
  const t = [];
  for (let r = 0; r <= cfg.rounds; r++) {
    const s = open(), fetched = new Set();
    for (const m of cfg.queries) {
      for (let i = 1; i <= m.length; i++) {
        const c0 = cpu();
        keystroke(s, m.slice(0, i), fetched);
        if (r > 0) t.push(cpu() - c0);
      }
    }
  }
  console.log(pct(t, 0.5), pct(t, 0.95));
}
`

// scaleConfig is what scaleHarness reads.
type scaleConfig struct {
	SearchJS string         `json:"searchJS"`
	Dir      string         `json:"dir"`
	Names    []string       `json:"names"`
	GZ       map[string]int `json:"gz"`
	Mode     string         `json:"mode"`
	Rounds   int            `json:"rounds"`
	Queries  []string       `json:"queries"`
}

// scaleCorpus is a corpus of one of the sizes of the benchmarks: the real
// corpus ("real") or a generated one, its index as the site serves it
// (the layout chosen by size), and messages of its own to type.
type scaleCorpus struct {
	files    map[string][]byte
	messages []string
}

var scaleCorpora sync.Map // name -> *scaleCorpus

var scaleSizes = []string{"real", "1000", "10000"}

func getScaleCorpus(b *testing.B, name string) *scaleCorpus {
	b.Helper()
	if c, ok := scaleCorpora.Load(name); ok {
		return c.(*scaleCorpus)
	}
	var site *errref.Site
	if name == "real" {
		site = realSite(b)
	} else {
		n, _ := strconv.Atoi(name)
		site = genCorpus(n)
	}
	ix, err := errref.Index(site)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	files, err := ix.Files()
	if err != nil {
		b.Fatal(err)
	}
	// Two messages of the corpus, 120 characters each when long enough.
	var msgs []string
	for _, c := range site.Codes {
		if m := c.Message; len(m) >= 60 {
			if len(m) > 120 {
				m = m[:120]
			}
			msgs = append(msgs, m)
			if len(msgs) == 2 {
				break
			}
		}
	}
	c := &scaleCorpus{files: files, messages: msgs}
	scaleCorpora.Store(name, c)
	return c
}

// runHarness writes the corpus's files to a folder and runs scaleHarness.
func runHarness(b *testing.B, c *scaleCorpus, mode string, rounds int, queries []string) []float64 {
	b.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node not on PATH")
	}
	dir := b.TempDir()
	_, split := c.files["search/t0.json"]
	cfg := scaleConfig{SearchJS: searchJSMinified(b, split), Dir: dir, GZ: map[string]int{}, Mode: mode, Rounds: rounds, Queries: queries}
	for name, data := range c.files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		cfg.Names = append(cfg.Names, name)
		cfg.GZ[name] = gzipSize(b, data)
	}
	js, err := os.ReadFile(cfg.SearchJS)
	if err != nil {
		b.Fatal(err)
	}
	cfg.GZ["search.js"] = gzipSize(b, js)
	cfgData, err := json.Marshal(cfg)
	if err != nil {
		b.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgPath, cfgData, 0o644); err != nil {
		b.Fatal(err)
	}
	// One thread: the CPU time is the page's main thread's, garbage
	// collection included, not helpers' that a busy machine shares.
	cmd := exec.Command(node, "--single-threaded", "-e", scaleHarness, cfgPath)
	if os.Getenv("ERRREF_BENCH_VERBOSE") != "" {
		cmd.Stderr = os.Stderr
	}
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			out = append(out, ee.Stderr...)
		}
		b.Fatalf("node: %v\n%s", err, out)
	}
	var nums []float64
	for _, f := range strings.Fields(string(out)) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			b.Fatalf("node printed %q", out)
		}
		nums = append(nums, v)
	}
	return nums
}

// searchJSMinified writes search.js as a site serves it, minified, and
// returns its path: with the split layout's code when split is true (a
// large corpus), without it otherwise (see WholeScript).
var searchJSMinified = func() func(testing.TB, bool) string {
	var mu sync.Mutex
	paths := map[bool]string{}
	return func(t testing.TB, split bool) string {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if p, ok := paths[split]; ok {
			return p
		}
		site, _, err := errref.LoadSite(os.DirFS(root))
		if err != nil {
			t.Fatal(err)
		}
		opts := errref.RenderOptions{BaseURL: "https://example.org/", SearchIndex: []byte("{}")}
		if split {
			opts.SearchParts = map[string][]byte{"search/t0.json": []byte("{}")}
		}
		files, err := errref.Render(site, opts)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.CreateTemp("", "search-*.js")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(files["search.js"]); err != nil {
			t.Fatal(err)
		}
		paths[split] = f.Name()
		return f.Name()
	}
}()

// BenchmarkSearcherReady reports the CPU time Node takes to make the
// searcher from search-index.json (parsing it included) on the real
// corpus and at 1,000 and 10,000 codes: the median of the runs, in ms.
func BenchmarkSearcherReady(b *testing.B) {
	for _, name := range scaleSizes {
		b.Run(name, func(b *testing.B) {
			c := getScaleCorpus(b, name)
			v := runHarness(b, c, "ready", max(3, b.N), nil)
			b.ReportMetric(v[0]/1000, "ready-ms")
		})
	}
}

// BenchmarkFirstSearch reports the bytes, gzipped, that the first search
// downloads: search.js, search-index.json and, in the split layout, the
// parts that the query and its first 30 hits need; the largest of a few
// queries of the corpus.
func BenchmarkFirstSearch(b *testing.B) {
	for _, name := range scaleSizes {
		b.Run(name, func(b *testing.B) {
			c := getScaleCorpus(b, name)
			qs := append([]string{"firewall", "connection timeout", "install"}, c.messages...)
			v := runHarness(b, c, "first", 1, qs)
			b.ReportMetric(v[0], "first-search-B")
			b.ReportMetric(float64(len(c.files)), "files")
		})
	}
}

// BenchmarkKeystrokeNode reports the CPU time per keystroke of typing two
// of the corpus's messages (120 characters) letter by letter in Node,
// doing what the page does (loading the parts a split index needs,
// searching, highlighting, counting facets, naming unknown codes): p50 and
// p95 in µs, after a first round that warms up.
func BenchmarkKeystrokeNode(b *testing.B) {
	for _, name := range scaleSizes {
		b.Run(name, func(b *testing.B) {
			c := getScaleCorpus(b, name)
			// Fresh searchers typing anew; fewer rounds for the larger
			// corpora, whose keystrokes take longer.
			rounds := map[string]int{"real": 20, "1000": 10, "10000": 4}[name]
			v := runHarness(b, c, "keys", rounds, c.messages)
			b.ReportMetric(v[0], "p50-µs/key")
			b.ReportMetric(v[1], "p95-µs/key")
		})
	}
}

func BenchmarkNewSearchIndex(b *testing.B) {
	for _, c := range []struct {
		name string
		site func() *errref.Site
	}{
		{"real", func() *errref.Site { return realSite(b) }},
		{"gen5000", func() *errref.Site { return genCorpus(5000) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			site := c.site()
			for b.Loop() {
				ix, err := errref.Index(site)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ix.JSON(); err != nil {
					b.Fatal(err)
				}
				ix.Close()
			}
		})
	}
}

func mustAbs(t testing.TB, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// jsStrings writes ss as a JavaScript array literal.
func jsStrings(ss []string) string {
	b, _ := json.Marshal(ss) // a []string always marshals
	return string(b)
}
