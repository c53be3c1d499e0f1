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
	"sync"
	"sync/atomic"
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

// TestPageBudget measures what every HTML page costs at first paint: the
// gzipped HTML plus each style sheet and script it loads (search.js,
// search-index.json and slugs.json are fetched later, only when needed, so
// they are not counted). It fails past the budget, on the real corpus and
// on 10,000 generated codes.
func TestPageBudget(t *testing.T) {
	t.Run("real", func(t *testing.T) {
		site := loadRealSite(t)
		checkPageBudget(t, site, renderReal(t, site, "https://example.org/repo/"))
	})
	t.Run("synthetic-10000", func(t *testing.T) {
		site, files := synthetic10000(t)
		checkPageBudget(t, site, files)
	})
}

// synthetic10000 renders syntheticSite(10000) once for the tests that need
// a large site (with a stub search index: no page loads it).
var synthetic10000 = func() func(t *testing.T) (*Site, map[string][]byte) {
	var (
		mu    sync.Mutex
		site  *Site
		files map[string][]byte
	)
	return func(t *testing.T) (*Site, map[string][]byte) {
		t.Helper()
		if testing.Short() {
			t.Skip("renders 10,000 codes; skipped with -short")
		}
		mu.Lock()
		defer mu.Unlock()
		if files == nil {
			s := syntheticSite(t, 10000)
			f, err := Render(s, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}")})
			if err != nil {
				t.Fatal(err)
			}
			site, files = s, f
		}
		return site, files
	}
}()

func checkPageBudget(t *testing.T, site *Site, files map[string][]byte) {
	t.Helper()
	var gzMu sync.Mutex
	gz := map[string]int{}
	gzipped := func(name string) int {
		gzMu.Lock()
		n, ok := gz[name]
		gzMu.Unlock()
		if !ok {
			n = gzipSize(files[name])
			gzMu.Lock()
			gz[name] = n
			gzMu.Unlock()
		}
		return n
	}
	type cost struct {
		page          string
		html, css, js int
	}
	total := func(c cost) int { return c.html + c.css + c.js }
	var pages []string
	for name := range files {
		if strings.HasSuffix(name, ".html") {
			pages = append(pages, name)
		}
	}
	sort.Strings(pages)
	costs := make([]cost, len(pages))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(pages); i = int(next.Add(1) - 1) {
				page := pages[i]
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
				costs[i] = c
			}
		}()
	}
	wg.Wait()
	over := 0
	largest := map[string]cost{} // by kind of page
	for _, c := range costs {
		if total(c) > pageBudget {
			if over++; over <= 10 {
				t.Errorf("%s: %d bytes gzipped at first paint (HTML %d, CSS %d, JS %d), over the %d-byte budget",
					c.page, total(c), c.html, c.css, c.js, pageBudget)
			}
		}
		kind := strings.SplitN(c.page, "/", 2)[0]
		if total(c) > total(largest[kind]) {
			largest[kind] = c
		}
	}
	if over > 10 {
		t.Errorf("… %d pages over the budget in all", over)
	}
	t.Logf("%d codes, %d pages; budget %d bytes gzipped per page (HTML+CSS+JS at first paint)", len(site.Codes), len(pages), pageBudget)
	for _, kind := range sortedKeys(largest) {
		c := largest[kind]
		t.Logf("largest %s: %d bytes (HTML %d, CSS %d, JS %d)", c.page, total(c), c.html, c.css, c.js)
	}
	for _, name := range []string{"search.js", "search-index.json", "slugs.json"} {
		t.Logf("fetched when needed, not counted: %s %d bytes gzipped", name, gzipped(name))
	}
}

// TestThreeClicks checks that without JavaScript every code's page is at
// most three links away from the home page, following only links of the
// pages themselves (home, listings and their pages, code pages), on the
// real corpus and on 10,000 generated codes.
func TestThreeClicks(t *testing.T) {
	check := func(t *testing.T, site *Site, files map[string][]byte) {
		const base = "/repo/"
		depth := map[string]int{"index.html": 0}
		frontier := []string{"index.html"}
		for d := 1; d <= 3; d++ {
			var next []string
			for _, page := range frontier {
				for _, e := range parseHTML(t, page, files[page]) {
					href, ok := strings.CutPrefix(e.attrs["href"], base)
					if e.tag != "a" || !ok {
						continue
					}
					href, _, _ = strings.Cut(href, "#")
					name := href + "index.html"
					if !strings.HasSuffix(href, "/") && href != "" {
						name = href
					}
					if _, seen := depth[name]; seen || !strings.HasSuffix(name, ".html") {
						continue
					}
					if _, ok := files[name]; !ok {
						continue
					}
					depth[name] = d
					next = append(next, name)
				}
			}
			frontier = next
		}
		far := 0
		for _, c := range site.Codes {
			if _, ok := depth["codes/"+c.Slug+"/index.html"]; !ok {
				if far++; far <= 5 {
					t.Errorf("%s is more than three clicks from the home page", c.Code)
				}
			}
		}
		if far > 5 {
			t.Errorf("… %d codes in all are more than three clicks away", far)
		}
		t.Logf("%d codes, all within three clicks; %d pages reached", len(site.Codes), len(depth))
	}
	t.Run("real", func(t *testing.T) {
		site := loadRealSite(t)
		check(t, site, renderReal(t, site, "https://example.org/repo/"))
	})
	t.Run("synthetic-10000", func(t *testing.T) {
		site, files := synthetic10000(t)
		check(t, site, files)
	})
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
