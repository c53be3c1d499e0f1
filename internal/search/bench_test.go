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
	"testing"

	"github.com/dop251/goja"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/search"
)

// searchBudget is ARCHITECTURE.md's limit for the first search of the
// real corpus: search-index.json and search.js as the site serves them,
// gzipped.
const searchBudget = 25_000

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
		t.Errorf("search-index.json and search.js of the real corpus are %d bytes gzipped, over the %d budget", gi+gj, searchBudget)
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

// keystrokeScript types messages into search.js in Node a letter at a
// time, doing for each keystroke what the page does (search, highlight
// the hits shown, count the facets, name unknown codes), and prints the
// median and 95th percentile of the CPU time per keystroke, in
// microseconds, after one round to warm up. CPU time, not wall time: the
// machine may be busy with other work.
const keystrokeScript = `
const fs = require("fs"), vm = require("vm");
vm.runInThisContext(fs.readFileSync(%q, "utf8"));
const s = globalThis.errref.createSearcher(JSON.parse(fs.readFileSync(%q, "utf8")));
const msgs = %s, rounds = %d, cpu = [];
for (let r = 0; r <= rounds; r++) {
  for (const m of msgs) {
    for (let i = 1; i <= m.length; i++) {
      const q = m.slice(0, i), c0 = process.cpuUsage();
      const hits = s.search(q, {filters: {}}).slice(0, 30), mark = s.highlighter(q);
      for (const h of hits) { mark(h.code); mark(h.title); const d = s.doc(h.slug); if (d.message) mark(d.message); }
      s.facets(q, {filters: {}});
      s.unknown(q);
      const c = process.cpuUsage(c0);
      if (r > 0) cpu.push(c.user + c.system);
    }
  }
}
cpu.sort((a, b) => a - b);
console.log(cpu[Math.floor(cpu.length / 2)], cpu[Math.floor(cpu.length * 0.95)]);
`

// keystrokeMessages are the texts typed: 120 characters each, one of the
// corpus's messages with its code and one a reader's sentence.
var keystrokeMessages = []string{
	"The installer is unable to install Spotify because the files to write to are in use by another process. (Error code: 18)",
	"Spotify can't play this track in your region. If you have the file on your computer you can import it, says the app!!",
}

// BenchmarkKeystrokeNode reports the CPU time per keystroke of typing a
// 120-character message letter by letter in Node (p50 and p95, µs).
func BenchmarkKeystrokeNode(b *testing.B) {
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node not on PATH")
	}
	for _, c := range corpora {
		b.Run(c, func(b *testing.B) {
			idx := filepath.Join(b.TempDir(), "index.json")
			if err := os.WriteFile(idx, benchIndex(b, c), 0o644); err != nil {
				b.Fatal(err)
			}
			script := fmt.Sprintf(keystrokeScript, mustAbs(b, searchJSPath), idx, jsStrings(keystrokeMessages), max(1, b.N))
			out, err := exec.Command(node, "-e", script).CombinedOutput()
			if err != nil {
				b.Fatalf("node: %v\n%s", err, out)
			}
			var p50, p95 float64
			if _, err := fmt.Sscan(string(out), &p50, &p95); err != nil {
				b.Fatalf("node printed %q", out)
			}
			b.ReportMetric(p50, "p50-µs/key")
			b.ReportMetric(p95, "p95-µs/key")
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
