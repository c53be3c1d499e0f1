package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/errref/errref"
)

func init() {
	commands["new"] = command{
		summary: "write codes/<slug>.yaml, a skeleton for a new code with every field explained",
		run:     runNew,
	}
}

func runNew(e *env, args []string) error {
	fs := newFlags(e, "new", "CODE")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("give exactly one code, as the app shows it, e.g. errref new \"accounts:12\"")
	}
	code := strings.TrimSpace(fs.Arg(0))
	slug := errref.Slug(code)
	if slug == "" {
		return usagef("%q has no letters or digits; give the code as the app shows it", code)
	}
	if strings.ContainsAny(code, "\n\r") {
		return usagef("the code must be on one line")
	}
	rel := filepath.Join(errref.CodesDir, slug+".yaml")
	path := filepath.Join(*dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("%s already exists; edit it instead, or pick another code", filepath.ToSlash(rel))
	}
	if err != nil {
		return err
	}
	_, werr := f.Write(errref.Skeleton(code, time.Now().Format(time.DateOnly)))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return werr
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.ToSlash(rel))
	fmt.Fprintf(e.stdout, "next: fill in every field (the comments say how), then run errref check and errref serve to see the page\n")
	return nil
}
