// Command bench times errref against Hugo on the same generated site.
//
//	go run ./bench -n 10000 -runs 5
//
// It generates n codes with package internal/synth, writes them as an
// errref site folder and as a Hugo site (one Markdown file per code,
// taxonomies for the five facets, templates shaped like errref's pages,
// listings split into pages of errref's size and a home page listing as
// many codes per category), builds each once so that
// both later build into an existing output folder, then times the two
// builds alternately (errref first in odd rounds, Hugo first in even ones)
// and prints each round's wall-time ratio, the medians, the spread and the
// peak memory of each. Without hugo on the PATH it times errref alone.
// With -real it also times errref on the repository's own codes.
//
// Run it from the repository root: it builds ./cmd/errref first. Timings
// on a shared machine vary; compare ratios measured in one run, not
// figures from different runs.
package main

import (
	"bytes"
	"compress/gzip"
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
	"github.com/errref/errref/internal/synth"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", 10000, "number of generated `codes`")
	runs := flag.Int("runs", 3, "timed builds of each generator, alternating")
	dir := flag.String("dir", "", "work `folder` for the generated sites (default: a temporary one, removed afterwards)")
	hugo := flag.String("hugo", "hugo", "Hugo `command`; \"\" times errref alone")
	real := flag.Bool("real", false, "also time errref on the repository's own codes/")
	flag.Parse()

	work := *dir
	if work == "" {
		tmp, err := os.MkdirTemp("", "errref-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		work = tmp
	}
	siteYAML, err := os.ReadFile("site.yaml")
	if err != nil {
		return fmt.Errorf("%w (run bench from the repository root)", err)
	}
	bin := filepath.Join(work, "errref")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/errref").CombinedOutput(); err != nil {
		return fmt.Errorf("building errref: %v\n%s", err, out)
	}

	errrefDir := filepath.Join(work, "errref-site")
	files, err := synth.Errref(siteYAML, *n)
	if err != nil {
		return err
	}
	if err := writeTree(errrefDir, files); err != nil {
		return err
	}
	gens := []*generator{{name: "errref", dir: errrefDir, cmd: []string{bin, "build", "-dir", errrefDir}}}

	if *hugo != "" {
		if path, err := exec.LookPath(*hugo); err != nil {
			fmt.Printf("no %s on the PATH: timing errref alone\n", *hugo)
		} else {
			hugoDir := filepath.Join(work, "hugo-site")
			files, err := hugoSite(siteYAML, *n)
			if err != nil {
				return err
			}
			if err := writeTree(hugoDir, files); err != nil {
				return err
			}
			gens = append(gens, &generator{name: "hugo", dir: hugoDir, cmd: []string{path, "--minify", "--quiet", "-s", hugoDir}})
		}
	}

	fmt.Printf("%d generated codes, %d timed builds each, after one untimed build\n", *n, *runs)
	for _, g := range gens {
		if _, err := g.build(); err != nil {
			return err
		}
	}
	for i := range *runs {
		order := gens
		if i%2 == 1 {
			order = slices.Clone(gens)
			slices.Reverse(order)
		}
		for _, g := range order {
			m, err := g.build()
			if err != nil {
				return err
			}
			g.runs = append(g.runs, m)
		}
		if len(gens) == 2 {
			fmt.Printf("round %d: errref %v, hugo %v, ratio %.2f\n", i+1,
				gens[0].runs[i].wall.Round(time.Millisecond), gens[1].runs[i].wall.Round(time.Millisecond),
				gens[0].runs[i].wall.Seconds()/gens[1].runs[i].wall.Seconds())
		}
	}

	fmt.Println()
	fmt.Printf("%-8s %12s %12s %12s %12s %10s %14s\n", "", "wall median", "wall min", "wall max", "CPU median", "peak RSS", "home gzipped")
	for _, g := range gens {
		home, gz := homeBytes(g.dir)
		fmt.Printf("%-8s %12v %12v %12v %12v %7d MB %8d bytes (%d raw)\n", g.name,
			median(g.walls()).Round(time.Millisecond), slices.Min(g.walls()).Round(time.Millisecond),
			slices.Max(g.walls()).Round(time.Millisecond), median(g.cpus()).Round(time.Millisecond),
			g.peakRSS()>>20, gz, home)
	}
	if len(gens) == 2 {
		var ratios []float64
		for i := range *runs {
			ratios = append(ratios, gens[0].runs[i].wall.Seconds()/gens[1].runs[i].wall.Seconds())
		}
		slices.Sort(ratios)
		fmt.Printf("errref/hugo wall ratio: median %.2f (min %.2f, max %.2f over %d rounds)\n",
			medianF(ratios), ratios[0], ratios[len(ratios)-1], len(ratios))
	}

	if *real {
		g := &generator{name: "real", dir: ".", cmd: []string{bin, "build", "-o", filepath.Join(work, "real-public")}}
		for i := range *runs + 1 {
			m, err := g.build()
			if err != nil {
				return err
			}
			if i > 0 {
				g.runs = append(g.runs, m)
			}
		}
		fmt.Printf("errref on the repository's codes/: wall median %v (min %v, max %v), peak RSS %d MB\n",
			median(g.walls()).Round(time.Millisecond), slices.Min(g.walls()).Round(time.Millisecond),
			slices.Max(g.walls()).Round(time.Millisecond), g.peakRSS()>>20)
	}
	return nil
}

// generator is one site builder and what its timed builds measured.
type generator struct {
	name string
	dir  string
	cmd  []string
	runs []measure
}

type measure struct {
	wall, cpu time.Duration
	rss       int64 // peak resident set, bytes
}

func (g *generator) build() (measure, error) {
	cmd := exec.Command(g.cmd[0], g.cmd[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measure{}, fmt.Errorf("%s: %v\n%s", strings.Join(g.cmd, " "), err, out.Bytes())
	}
	st := cmd.ProcessState
	return measure{wall: wall, cpu: st.UserTime() + st.SystemTime(), rss: peakRSS(st)}, nil
}

func (g *generator) walls() []time.Duration {
	var ds []time.Duration
	for _, m := range g.runs {
		ds = append(ds, m.wall)
	}
	return ds
}

func (g *generator) cpus() []time.Duration {
	var ds []time.Duration
	for _, m := range g.runs {
		ds = append(ds, m.cpu)
	}
	return ds
}

func (g *generator) peakRSS() int64 {
	var peak int64
	for _, m := range g.runs {
		peak = max(peak, m.rss)
	}
	return peak
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianF(s []float64) float64 {
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// homeBytes returns the size of the built home page, raw and gzipped.
func homeBytes(dir string) (raw, gz int) {
	b, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil {
		return 0, 0
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return len(b), buf.Len()
}

// writeTree writes files (slash paths) under dir.
func writeTree(dir string, files map[string][]byte) error {
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

//go:embed all:hugo
var hugoFiles embed.FS

// hugoSite returns the Hugo twin of synth.Errref(siteYAML, n): the same
// codes as content/codes/<slug>.md, the layouts under bench/hugo and
// errref's static files.
func hugoSite(siteYAML []byte, n int) (map[string][]byte, error) {
	v, err := synth.ParseVocab(siteYAML)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	err = fs.WalkDir(hugoFiles, "hugo", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := hugoFiles.ReadFile(p)
		files[strings.TrimPrefix(p, "hugo/")] = b
		return err
	})
	if err != nil {
		return nil, err
	}
	static, err := os.ReadDir("static")
	if err != nil {
		return nil, err
	}
	for _, e := range static {
		b, err := os.ReadFile(filepath.Join("static", e.Name()))
		if err != nil {
			return nil, err
		}
		files["static/"+e.Name()] = b
	}
	files["hugo.toml"] = hugoConfig(v)

	codes := synth.Codes(v, n)
	byMessage := map[string][]string{}
	for _, c := range codes {
		byMessage[c.Message] = append(byMessage[c.Message], c.Slug)
	}
	for _, c := range codes {
		var same []string
		for _, s := range byMessage[c.Message] {
			if s != c.Slug {
				same = append(same, s)
			}
		}
		files["content/codes/"+c.Slug+".md"] = hugoPage(c, same)
	}
	return files, nil
}

func hugoConfig(v *synth.Vocab) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "baseURL = %q\ntitle = \"errref\"\nlanguageCode = \"en\"\npaginate = %d\n", "https://example.org/repo/", errref.ListingPageSize)
	b.WriteString("\n[taxonomies]\ncategory = \"category\"\nsubsystem = \"subsystem\"\nplatform = \"platform\"\nseverity = \"severity\"\nhandling = \"handling\"\n")
	b.WriteString("\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n")
	fmt.Fprintf(&b, "\n[params]\ntagline = \"Spotify desktop error codes, explained and fixed\"\ndescription = \"What each Spotify desktop error code means.\"\nrepository = \"https://github.com/errref/errref\"\nhomePerCategory = %d\n", errref.HomeTopCodes)
	table := func(name string, ts []synth.Term) {
		fmt.Fprintf(&b, "\n[params.%s]\n", name)
		for _, t := range ts {
			fmt.Fprintf(&b, "%q = %q\n", t.ID, t.Label)
		}
	}
	table("categories", v.Categories)
	table("platforms", v.Platforms)
	table("severities", []synth.Term{{ID: "fatal", Label: "Fatal"}, {ID: "error", Label: "Error"}, {ID: "warn", Label: "Warning"}, {ID: "info", Label: "Info"}})
	var hs []synth.Term
	for _, h := range synth.Handlings {
		hs = append(hs, synth.Term{ID: h, Label: h})
	}
	table("handlings", hs)
	return []byte(b.String())
}

// hugoPage is one code as a Hugo page: the facts in front matter, the
// causes, steps and note as Markdown.
func hugoPage(c *synth.Code, same []string) []byte {
	var b strings.Builder
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	list := func(ss []string) string {
		qs := make([]string, len(ss))
		for i, s := range ss {
			qs[i] = q(s)
		}
		return "[" + strings.Join(qs, ", ") + "]"
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\ncode: %s\ndate: %s\n", q(c.Title), q(c.Code), c.Added)
	fmt.Fprintf(&b, "description: %s\n", q("“"+c.Message+"”"))
	fmt.Fprintf(&b, "category: [%s]\nsubsystem: [%s]\nplatform: %s\nseverity: [%s]\nhandling: [%s]\n",
		q(c.Category), q(c.Subsystem), list(c.Platforms), q(c.Severity), q(c.Handling))
	fmt.Fprintf(&b, "message: %s\nalso: %s\n", q(c.Message), list(c.Aliases))
	b.WriteString("chain:\n")
	for _, s := range c.Chain {
		fmt.Fprintf(&b, "  - step: %s\n", q(s.Step))
		if s.Detail != "" {
			fmt.Fprintf(&b, "    detail: %s\n", q(s.Detail))
		}
		if s.State != "" {
			fmt.Fprintf(&b, "    state: %s\n", q(s.State))
		}
	}
	var rel []string
	for _, r := range c.Related {
		rel = append(rel, rules.Slug(r))
	}
	fmt.Fprintf(&b, "related_codes: %s\nsame_message: %s\n", list(rel), list(same))
	b.WriteString("---\n\n## Causes {#h-causes}\n\n")
	for _, s := range c.Causes {
		b.WriteString("- " + s + "\n")
	}
	b.WriteString("\n## How to fix it {#h-fix}\n\n")
	for i, s := range c.Resolution {
		fmt.Fprintf(&b, "%d. %s\n", i+1, s)
	}
	if c.Note != "" {
		b.WriteString("\n## Note {#h-note}\n\n" + c.Note)
	}
	return []byte(b.String())
}
