package errref

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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

// BenchmarkBuild is errref build end to end as the command runs it
// (BuildTo under BuildMemoryLimit): load, validate, model, index, render
// and write into an existing output folder, on the real corpus and on
// 1,000 and 10,000 generated codes. Beside the time per build it reports
// the peak resident memory of the process during the timed builds
// (peak-MB, Linux only) and the size of the home page, raw and gzipped.
// ARCHITECTURE.md budgets the real corpus at 100 ms and 10,000 codes at
// 500 MB and 0.7× Hugo's time (go run ./bench compares the two).
func BenchmarkBuild(b *testing.B) {
	for _, bc := range []struct {
		name string
		fsys func() fs.FS
	}{
		{"real", func() fs.FS { return os.DirFS(".") }},
		{"synthetic-1000", func() fs.FS { return syntheticFS(b, 1000) }},
		{"synthetic-10000", func() fs.FS { return syntheticFS(b, 10000) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			fsys := bc.fsys()
			out := filepath.Join(b.TempDir(), "public")
			opts := BuildOptions{BaseURL: "https://example.org/repo/"}
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(BuildMemoryLimit))
			// The timed builds replace an existing folder, as errref
			// build usually does.
			if _, err := BuildTo(out, fsys, opts); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			peak := resetPeakRSS()
			var res *Result
			for b.Loop() {
				var err error
				if res, err = BuildTo(out, fsys, opts); err != nil {
					b.Fatal(err)
				}
			}
			if peak != nil {
				b.ReportMetric(float64(peak())/(1<<20), "peak-MB")
			}
			home, err := os.ReadFile(filepath.Join(out, "index.html"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(res.Site.Codes)), "codes")
			b.ReportMetric(float64(res.Count), "files")
			b.ReportMetric(float64(len(home)), "home-bytes")
			b.ReportMetric(float64(gzipSize(home)), "home-gzip-bytes")
		})
	}
}

// resetPeakRSS resets the process's peak resident set (Linux: VmHWM, by
// writing 5 to /proc/self/clear_refs) and returns a function that reads
// it in bytes; nil where that is not possible.
func resetPeakRSS() func() int64 {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return nil
	}
	return func() int64 {
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb)
				return kb << 10
			}
		}
		return 0
	}
}

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
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
