package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
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
	if err := checkNewCode(code); err != nil {
		return err
	}
	slug := rules.Slug(code)
	if _, err := os.Stat(filepath.Join(*dir, errref.ConfigFile)); err != nil {
		return fmt.Errorf("no %s in %s; run errref new in the folder that holds site.yaml and codes/, or pass -dir", errref.ConfigFile, *dir)
	}
	// A code that is already on the site under another name (an alias,
	// an old slug) gets its page edited, not a second page.
	in, _ := errref.Load(os.DirFS(*dir))
	for _, c := range in.Codes {
		for _, other := range append(append([]string{}, c.Aliases...), c.OldSlugs...) {
			if rules.Slug(other) == slug && c.Slug != slug {
				return fmt.Errorf("%s is already covered by %s (as %q); edit that file instead", code, c.File, other)
			}
		}
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
	_, werr := f.Write(errref.Skeleton(code, time.Now().Format(time.DateOnly), &in.Config))
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

func invisible(r rune) bool { return errref.InvisibleName(r) != "" }

// checkNewCode refuses a code that could not pass errref check, before a
// file is named after it.
func checkNewCode(code string) error {
	switch {
	case !utf8.ValidString(code):
		return usagef("the code is not valid UTF-8 text; copy it again from the app")
	case strings.IndexFunc(code, invisible) >= 0:
		c, _ := utf8.DecodeRuneInString(code[strings.IndexFunc(code, invisible):])
		return usagef("the code contains %s (U+%04X), which no reader can see; type the code as the app shows it", errref.InvisibleName(c), c)
	case utf8.RuneCountInString(code) > errref.MaxCodeLen:
		return usagef("the code is %d characters long; codes are at most %d (is this the message rather than the code?)", utf8.RuneCountInString(code), errref.MaxCodeLen)
	case rules.Slug(code) == "":
		return usagef("%q has no ASCII letters or digits, so it cannot name a file or a page; give the code as the app shows it, e.g. errref new \"accounts:12\"", code)
	case rules.CodeShape(code) != "":
		// The same rule as check's ERR020, so new never writes a file
		// that check refuses.
		return usagef("%q %s; give the code as the app shows it: %s (check reports this as ERR020)", code, rules.CodeShape(code), rules.CodeShapeHint)
	}
	return nil
}
