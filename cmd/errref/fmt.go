package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/errref/errref"
)

func init() {
	commands["fmt"] = command{
		summary: "rewrite codes/*.yaml in canonical key order and quoting; -check lists files that need it",
		run:     runFmt,
	}
}

func runFmt(e *env, args []string) error {
	fs := newFlags(e, "fmt", "[FILE.yaml ...]")
	dir := fs.String("dir", ".", "site `folder` holding codes/")
	check := fs.Bool("check", false, "change nothing; list the files that are not canonical and exit 1 if there are any")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files := fs.Args()
	for _, f := range files {
		// The canonical form is a code file's; site.yaml or a workflow
		// rewritten by it would be mangled.
		if filepath.Ext(f) != ".yaml" || filepath.Base(filepath.Dir(f)) != errref.CodesDir {
			return usagef("%s is not a code file; errref fmt formats codes/*.yaml only", f)
		}
	}
	if len(files) == 0 {
		codes := filepath.Join(*dir, errref.CodesDir)
		if fi, err := os.Stat(codes); err != nil || !fi.IsDir() {
			return fmt.Errorf("no %s/ folder in %s; run errref fmt in the folder that holds site.yaml and codes/, or pass -dir", errref.CodesDir, *dir)
		}
		matches, err := filepath.Glob(filepath.Join(*dir, errref.CodesDir, "*.yaml"))
		if err != nil {
			return err
		}
		files = matches
	}
	sort.Strings(files)
	var changed, broken int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			// Go on with the others; the summary counts this one.
			fmt.Fprintf(e.stderr, "%s: cannot read it: %v\n", filepath.ToSlash(f), errors.Unwrap(err))
			broken++
			continue
		}
		out, probs := errref.Format(filepath.ToSlash(f), data)
		if out == nil {
			for _, p := range probs {
				fmt.Fprintln(e.stderr, p.String())
			}
			broken++
			continue
		}
		if bytes.Equal(out, data) {
			continue
		}
		changed++
		if *check {
			fmt.Fprintln(e.stdout, filepath.ToSlash(f))
			continue
		}
		if err := writeFileAtomic(f, out); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "formatted %s\n", filepath.ToSlash(f))
	}
	if broken > 0 {
		if broken == 1 {
			fmt.Fprintln(e.stderr, "1 file could not be read as YAML and was left as it is; fix it and run errref fmt again")
		} else {
			fmt.Fprintf(e.stderr, "%d files could not be read as YAML and were left as they are; fix them and run errref fmt again\n", broken)
		}
		return errProblems
	}
	if *check && changed > 0 {
		if changed == 1 {
			fmt.Fprintln(e.stderr, "1 file is not in canonical form; run errref fmt to rewrite it")
		} else {
			fmt.Fprintf(e.stderr, "%d files are not in canonical form; run errref fmt to rewrite them\n", changed)
		}
		return errProblems
	}
	return nil
}

// writeFileAtomic replaces a file by renaming a finished temporary file
// over it, so an interrupted run never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fmt-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		if fi, err := os.Stat(path); err == nil {
			werr = os.Chmod(tmp.Name(), fi.Mode().Perm())
		}
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
