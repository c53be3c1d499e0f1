package errref

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestRules checks each rule against its fixture: testdata/rules/<RULE>.txtar
// holds code files (and, when the rule is about it, a site.yaml) and, in the
// section "want", the exact lines errref check prints for them. Run with
// -update to rewrite the want sections after a deliberate change; the
// checks that a fixture triggers its rule and no other still apply then,
// and a fixture that fails them is not rewritten.
func TestRules(t *testing.T) {
	site, err := os.ReadFile("testdata/rules/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	if len(files) == 0 {
		t.Fatal("no fixtures under testdata/rules")
	}
	covered := map[string]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{"site.yaml": {Data: site}, "codes": {Mode: os.ModeDir | 0o755}}
			wantIdx := -1
			for i, f := range ar.Files {
				if f.Name == "want" {
					wantIdx = i
					continue
				}
				// txtar adds a final newline; an empty section stays empty.
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
			if wantIdx < 0 {
				t.Fatalf("%s has no want section", file)
			}
			probs := check(t, fsys)
			var got bytes.Buffer
			for _, p := range probs {
				got.WriteString(p.String() + "\n")
				covered[p.Rule] = true
				if name != "OK" && !strings.HasPrefix(p.Rule, name) {
					// Every fixture is about one rule; other rules firing
					// means the fixture tests more than it says.
					t.Errorf("fixture for %s also reports %s", name, p)
				}
			}
			if name != "OK" && !slices.ContainsFunc(probs, func(p Problem) bool { return p.Rule == name }) {
				t.Errorf("fixture %s does not trigger rule %s", file, name)
			}
			if *update && !t.Failed() {
				ar.Files[wantIdx].Data = got.Bytes()
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(ar.Files[wantIdx].Data); got.String() != want && !*update {
				t.Errorf("problems differ from %s (run go test -run TestRules -update to accept)\n--- got\n%s--- want\n%s", file, got.String(), want)
			}
		})
	}
	for _, r := range Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no fixture that triggers it", r.ID)
		}
	}
}

// check runs the stages errref check runs: Load, Check and NewSite, then
// the search guard on input without errors.
func check(t *testing.T, fsys fstest.MapFS) Problems {
	t.Helper()
	site, probs, _ := LoadSite(fsys)
	if site != nil {
		guard, err := SearchGuard(site)
		if err != nil {
			t.Fatal(err)
		}
		probs = append(probs, guard...)
		probs.Sort()
	}
	return probs
}

// TestRealCorpus checks that the published codes have no errors.
func TestRealCorpus(t *testing.T) {
	in, probs := Load(os.DirFS("."))
	probs = append(probs, Check(in)...)
	for _, p := range probs {
		if p.IsError() {
			t.Error(p)
		}
	}
	if len(in.Codes) < 62 {
		t.Errorf("the corpus has %d codes; the reference documents at least 62", len(in.Codes))
	}
}

// TestBrokenFileIsNotMissing checks that a code file that cannot be read
// is reported once, in its own file, and not a second time as a missing
// related code in every file that links to it; a related code with no
// file at all is still reported.
func TestBrokenFileIsNotMissing(t *testing.T) {
	site, err := os.ReadFile("testdata/rules/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	code := func(c, related string) string {
		return "code: \"" + c + "\"\ntitle: T\nseverity: error\ncategory: login\nplatforms: [windows]\nhandling: retry\n" +
			"message: \"M " + c + "\"\nchain:\n  - step: A\n    state: critical\ncauses:\n  - C.\nresolution:\n  - R.\n" +
			"related: [" + related + "]\nsources:\n  - url: https://example.org/r\n    title: R\nadded: 2026-11-22\nreviewed: 2026-11-22\n"
	}
	fsys := fstest.MapFS{
		"site.yaml":         {Data: site},
		"codes/auth-1.yaml": {Data: []byte(code("auth:1", `"auth:2", "auth:3"`))},
		"codes/auth-2.yaml": {Data: []byte("code: \"auth:2\"\ntitle: [unclosed\n")},
		"codes/auth-4.yaml": {Data: []byte(code("auth:4", `"auth:1"`))},
	}
	in, probs := Load(fsys)
	probs = append(probs, Check(in)...)
	var got []string
	for _, p := range probs {
		if p.IsError() {
			got = append(got, p.File+" "+p.Rule+" "+p.Field)
		}
	}
	want := []string{"codes/auth-1.yaml ERR007 related[1]", "codes/auth-2.yaml ERR012 "}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s\nall problems:\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), probs)
	}
}

// TestBrokenSiteYAMLIsNotRepeated checks that a site.yaml without its
// vocabularies is reported there, first, and not once for every code
// whose category or platform it can no longer check.
func TestBrokenSiteYAMLIsNotRepeated(t *testing.T) {
	fsys := fstest.MapFS{"site.yaml": {Data: []byte("title: t\nbase_url: https://example.org/\ncategories: login\n")}}
	real, err := os.ReadDir("codes")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range real {
		data, err := os.ReadFile(filepath.Join("codes", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fsys["codes/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	in, probs := Load(fsys)
	probs = append(probs, Check(in)...)
	probs.Sort()
	if len(probs) == 0 || probs[0].File != ConfigFile {
		t.Fatalf("site.yaml's problems should come first; got %v", probs)
	}
	for _, p := range probs {
		if p.File != ConfigFile {
			t.Errorf("a broken site.yaml also gives %s", p)
		}
	}
}
