package errref

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"testing/fstest"
)

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteReplacesTheWholeTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := Write(dir, map[string][]byte{"index.html": []byte("one"), "old/gone.html": []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, map[string][]byte{"index.html": []byte("two"), "codes/a/index.html": []byte("a")}); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	want := map[string]string{"index.html": "two", "codes/a/index.html": "a"}
	if len(got) != len(want) || got["index.html"] != "two" || got["codes/a/index.html"] != "a" {
		t.Errorf("tree after second write = %v, want %v", got, want)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".public.new-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

// TestWriteFailureKeepsPreviousTree makes the write fail midway, after
// some files are written, and checks nothing of it reaches the output.
func TestWriteFailureKeepsPreviousTree(t *testing.T) {
	for name, files := range map[string]map[string][]byte{
		// "a" sorts before "a/b": the second file cannot be created
		// because the first is a file where a folder is needed.
		"file in the way": {"a": []byte("file"), "a/b": []byte("x"), "index.html": []byte("new")},
		"outside":         {"index.html": []byte("new"), "../escape.html": []byte("x")},
		"absolute":        {"/etc/x": []byte("x")},
	} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "public")
			before := map[string][]byte{"index.html": []byte("old"), "codes/x/index.html": []byte("x")}
			if err := Write(dir, before); err != nil {
				t.Fatal(err)
			}
			if err := Write(dir, files); err == nil {
				t.Fatal("Write succeeded; want an error")
			}
			got := readTree(t, dir)
			if len(got) != 2 || got["index.html"] != "old" || got["codes/x/index.html"] != "x" {
				t.Errorf("previous tree changed: %v", got)
			}
			entries, _ := os.ReadDir(parent)
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("folder holds %v; want only public", names)
			}
			if _, err := os.Stat(filepath.Join(parent, "escape.html")); err == nil {
				t.Error("a file was written outside the output folder")
			}
		})
	}
}

// TestBuildIsDeterministic builds the real corpus twice and compares every
// byte of every file, the search index included.
func TestBuildIsDeterministic(t *testing.T) {
	a, err := Build(os.DirFS("."), BuildOptions{BaseURL: "https://example.org/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(os.DirFS("."), BuildOptions{BaseURL: "https://example.org/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
	}
	names := make([]string, 0, len(a.Files))
	for name := range a.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !bytes.Equal(a.Files[name], b.Files[name]) {
			t.Errorf("%s differs between two builds of the same input", name)
		}
	}
	for _, want := range []string{"index.html", "search-index.json", "codes/accounts-4/index.html", "sitemap.xml", "card.png", "codes/accounts-4/card.png"} {
		if len(a.Files[want]) == 0 {
			t.Errorf("%s is missing or empty", want)
		}
	}
}

// TestBuildStopsOnErrors checks that a build with errors renders nothing
// and returns every problem.
func TestBuildStopsOnErrors(t *testing.T) {
	site, err := os.ReadFile("testdata/rules/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"site.yaml":         {Data: site},
		"codes/auth-1.yaml": {Data: []byte("code: \"auth:1\"\nseverity: fatl\n")},
	}
	res, err := Build(fsys, BuildOptions{})
	var be *BuildError
	if !errors.As(err, &be) || res != nil {
		t.Fatalf("Build = %v, %v; want a *BuildError", res, err)
	}
	if !be.Problems.HasErrors() || len(be.Problems) < 5 {
		t.Errorf("problems = %v; want every missing field and the bad severity", be.Problems)
	}
	if _, err := Build(os.DirFS("."), BuildOptions{BaseURL: "ftp://example.org/"}); err == nil {
		t.Error("an ftp base URL was accepted")
	}
}

// TestWriteRemovesLeftovers: what killed builds left beside the output
// folder is gone after the next Write, and an old tree with no output
// folder in its place (a build killed between the two renames where the
// system cannot exchange folders) is put back first.
func TestWriteRemovesLeftovers(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "public")
	for _, p := range []string{".public.new-1/codes/a/index.html", ".public.new-2.old/index.html", ".public.old-3/index.html", "other/keep.txt"} {
		p = filepath.Join(parent, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("left"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := cleanLeftovers(parent, "public"); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir); len(got) != 1 || got["index.html"] != "left" {
		t.Errorf("public/ after cleaning = %v; want the old tree put back", got)
	}
	if err := Write(dir, map[string][]byte{"index.html": []byte("new")}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "other" || names[1] != "public" {
		t.Errorf("folder holds %v; want only other and public", names)
	}
	if got := readTree(t, dir); len(got) != 1 || got["index.html"] != "new" {
		t.Errorf("public/ = %v", got)
	}
}
