package errref

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/errref/errref/internal/synth"
)

// syntheticSite returns the model of syntheticFS(n).
func syntheticSite(tb testing.TB, n int) *Site {
	tb.Helper()
	site, probs, err := LoadSite(syntheticFS(tb, n))
	if err != nil {
		tb.Fatalf("the generated site has problems:\n%s", probs.Error())
	}
	return site
}

// BenchmarkRender renders the real corpus and 10,000 generated codes (the
// build's budgets are in ARCHITECTURE.md).
func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		site func() *Site
	}{
		{"real", func() *Site { return loadRealSite(b) }},
		{"synthetic-10000", func() *Site { return syntheticSite(b, 10000) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			site := bc.site()
			opts := RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}")}
			b.ReportAllocs()
			var size int
			for b.Loop() {
				files, err := Render(site, opts)
				if err != nil {
					b.Fatal(err)
				}
				size = 0
				for _, f := range files {
					size += len(f)
				}
			}
			b.ReportMetric(float64(len(site.Codes)), "codes")
			b.ReportMetric(float64(size), "output-bytes")
		})
	}
}

// pageBudget is ARCHITECTURE.md's limit for one page at first paint, gzipped:
// HTML, CSS and JS in one round trip.
const pageBudget = 14 * 1024

// TestPageBudget measures what the home page and every code page cost at
// first paint: the gzipped HTML plus each style sheet and script it loads
// (search.js and search-index.json are fetched only when search is used,
// so they are not counted). It fails past the budget.
func TestPageBudget(t *testing.T) {
	site := loadRealSite(t)
	base := "https://example.org/repo/"
	files := renderReal(t, site, base)
	gz := map[string]int{}
	gzipped := func(name string) int {
		if n, ok := gz[name]; ok {
			return n
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(files[name])
		w.Close()
		gz[name] = buf.Len()
		return buf.Len()
	}
	type cost struct {
		page          string
		html, css, js int
	}
	measure := func(page string) cost {
		c := cost{page: page, html: gzipped(page)}
		for _, e := range parseHTML(t, page, files[page]) {
			var ref string
			switch {
			case e.tag == "link" && e.attrs["rel"] == "stylesheet":
				ref = e.attrs["href"]
			case e.tag == "script" && e.attrs["src"] != "":
				ref = e.attrs["src"]
			default:
				continue
			}
			name := strings.TrimPrefix(ref, "/repo/")
			if _, ok := files[name]; !ok {
				t.Errorf("%s loads %s, which was not rendered", page, ref)
				continue
			}
			if strings.HasSuffix(name, ".css") {
				c.css += gzipped(name)
			} else {
				c.js += gzipped(name)
			}
		}
		return c
	}
	total := func(c cost) int { return c.html + c.css + c.js }

	home := measure("index.html")
	var codes []cost
	for _, c := range site.Codes {
		codes = append(codes, measure("codes/"+c.Slug+"/index.html"))
	}
	sort.Slice(codes, func(i, j int) bool { return total(codes[i]) < total(codes[j]) })
	for _, c := range append([]cost{home}, codes...) {
		if total(c) > pageBudget {
			t.Errorf("%s: %d bytes gzipped at first paint (HTML %d, CSS %d, JS %d), over the %d-byte budget",
				c.page, total(c), c.html, c.css, c.js, pageBudget)
		}
	}
	t.Logf("budget %d bytes gzipped per page (HTML+CSS+JS at first paint)", pageBudget)
	t.Logf("home page: %d bytes (HTML %d, CSS %d, JS %d)", total(home), home.html, home.css, home.js)
	if len(codes) > 0 {
		med, big := codes[len(codes)/2], codes[len(codes)-1]
		t.Logf("code pages (%d): smallest %d, median %d, largest %d bytes (%s: HTML %d, CSS %d, JS %d)",
			len(codes), total(codes[0]), total(med), total(big), big.page, big.html, big.css, big.js)
	}
	for _, name := range []string{"search.js", "search-index.json"} {
		t.Logf("fetched on first search, not counted: %s %d bytes gzipped", name, gzipped(name))
	}
}

// syntheticFS is a site folder of n generated codes (package synth, which
// the side-by-side benchmark under bench/ also uses) with the real
// site.yaml.
func syntheticFS(tb testing.TB, n int) fstest.MapFS {
	tb.Helper()
	siteYAML, err := os.ReadFile("site.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	files, err := synth.Errref(siteYAML, n)
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// BenchmarkBuild is errref build end to end, on the real corpus and on
// 10,000 generated codes: load, validate, model, index, render and write
// to disk (the budgets are in ARCHITECTURE.md).
func BenchmarkBuild(b *testing.B) {
	for _, bc := range []struct {
		name string
		fsys func() fs.FS
	}{
		{"real", func() fs.FS { return os.DirFS(".") }},
		{"synthetic-10000", func() fs.FS { return syntheticFS(b, 10000) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			fsys := bc.fsys()
			out := filepath.Join(b.TempDir(), "public")
			b.ReportAllocs()
			var res *Result
			for b.Loop() {
				var err error
				res, err = Build(fsys, BuildOptions{BaseURL: "https://example.org/repo/"})
				if err != nil {
					b.Fatal(err)
				}
				if err := Write(out, res.Files); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Site.Codes)), "codes")
			b.ReportMetric(float64(len(res.Files)), "files")
		})
	}
}

// TestSyntheticSiteBuilds keeps the benchmark's input honest: the
// generated folder loads, validates without errors and builds every code.
func TestSyntheticSiteBuilds(t *testing.T) {
	res, err := Build(syntheticFS(t, 50), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Site.Codes) != 50 {
		t.Fatalf("built %d codes, want 50", len(res.Site.Codes))
	}
	for _, c := range res.Site.Codes {
		if _, ok := res.Files["codes/"+c.Slug+"/index.html"]; !ok {
			t.Errorf("no page for %s", c.Code)
		}
	}
}
