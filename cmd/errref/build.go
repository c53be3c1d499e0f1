package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/errref/errref"
)

func init() {
	commands["build"] = command{
		summary: "render the site into a folder (public/ by default)",
		run:     runBuild,
	}
}

func runBuild(e *env, args []string) error {
	fs := newFlags(e, "build", "")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	out := fs.String("o", "public", "output `folder`, relative to -dir; replaced as a whole once the build succeeds")
	baseURL := fs.String("base-url", "", "absolute `URL` the site is served at (default: base_url in site.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q; build takes no arguments (use -dir and -o)", fs.Arg(0))
	}
	if *baseURL != "" {
		if err := errref.CheckBaseURL(*baseURL); err != nil {
			return usagef("base URL %v", err)
		}
	}
	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(*dir, outDir)
	}
	if err := checkOutDir(*dir, outDir); err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(errref.BuildMemoryLimit)
	}
	start := time.Now()
	// The files go to disk as they are made, into a folder that takes
	// outDir's place only once all are written.
	res, err := errref.BuildTo(outDir, os.DirFS(*dir), errref.BuildOptions{BaseURL: *baseURL, Assets: sourceAssets(*dir)})
	var be *errref.BuildError
	if errors.As(err, &be) {
		for _, p := range underDir(*dir, be.Problems) {
			fmt.Fprintln(e.stdout, p.String())
		}
		n, _ := be.Problems.Count()
		fmt.Fprintf(e.stderr, "build stopped: %s; %s left as it was\n", plural(n, "error"), *out)
		return errProblems
	}
	if err != nil {
		return err
	}
	for _, p := range underDir(*dir, res.Problems) {
		fmt.Fprintln(e.stdout, p.String())
	}
	fmt.Fprintf(e.stderr, "built %s: %d codes, %d files in %s\n", outDir, len(res.Site.Codes), res.Count, time.Since(start).Round(time.Millisecond))
	return nil
}

// checkOutDir refuses an output folder whose replacement would destroy
// something that is not a build: the site folder itself or a folder that
// holds it, the sources inside it, or a folder with other files in it.
// errref.Write replaces the output folder as a whole, so a slip such as
// "-o ." must stop here, before anything is written.
func checkOutDir(siteDir, outDir string) error {
	site, err := realPath(siteDir)
	if err != nil {
		return err
	}
	out, err := realPath(outDir)
	if err != nil {
		return err
	}
	if within(site, out) {
		return usagef("output folder %s holds the site folder %s; build replaces its output folder as a whole, so give it a folder of its own (the default is public)", outDir, siteDir)
	}
	for _, src := range []string{"codes", "templates", "static", ".git", ".github"} {
		if within(out, filepath.Join(site, src)) {
			return usagef("output folder %s is inside the site's %s/ folder; build replaces its output folder as a whole, so give it a folder of its own (the default is public)", outDir, src)
		}
	}
	fi, err := os.Stat(outDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return usagef("output folder %s is a file; give build a folder (the default is public)", outDir)
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(outDir, "search-index.json")); err != nil {
		return usagef("output folder %s already holds files that are not an errref build (it has no search-index.json); build replaces its output folder as a whole, so empty it or choose another folder", outDir)
	}
	return nil
}

// realPath returns path made absolute with symbolic links resolved, as
// far as it exists, so that two spellings of one folder compare equal.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// within reports whether path is dir or lies inside it; both are clean
// absolute paths.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

// sourceAssets returns the site folder's own templates and static files
// when it has them (a checkout of the repository), so that edits to them
// take effect without recompiling; otherwise nil, the embedded copy.
func sourceAssets(dir string) iofs.FS {
	for _, d := range []string{"templates", "static"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			return nil
		}
	}
	return os.DirFS(dir)
}
