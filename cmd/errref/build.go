package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"net/url"
	"os"
	"path/filepath"
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
	out := fs.String("o", "public", "output `folder`; replaced as a whole once the build succeeds")
	baseURL := fs.String("base-url", "", "absolute `URL` the site is served at (default: base_url in site.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q; build takes no arguments (use -dir and -o)", fs.Arg(0))
	}
	if *baseURL != "" {
		if u, err := url.Parse(*baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("base URL %q is not an absolute http(s) URL; write it in full, e.g. https://owner.github.io/repo/", *baseURL)
		}
	}
	start := time.Now()
	res, err := errref.Build(os.DirFS(*dir), errref.BuildOptions{BaseURL: *baseURL, Assets: sourceAssets(*dir)})
	var be *errref.BuildError
	if errors.As(err, &be) {
		for _, p := range be.Problems {
			fmt.Fprintln(e.stdout, p.String())
		}
		n, _ := be.Problems.Count()
		fmt.Fprintf(e.stderr, "build stopped: %s; %s left as it was\n", plural(n, "error"), *out)
		return errProblems
	}
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(*dir, outDir)
	}
	if err := errref.Write(outDir, res.Files); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "built %s: %d codes, %d files in %s\n", outDir, len(res.Site.Codes), len(res.Files), time.Since(start).Round(time.Millisecond))
	return nil
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
