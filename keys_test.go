package errref

import (
	"bytes"
	"testing"
	"testing/fstest"
)

// TestKeysFollowEdits checks what errref serve relies on: after an edit,
// every output whose key did not change has the same bytes as before. It
// edits a generated site step by step in the ways that reach other pages
// (a title shown in rows, a message shared and no longer shared, a
// category, related codes, a code named in Markdown, a code added and one
// removed, a label in site.yaml) and compares every output of the plans
// before and after each step; keys must also change where the edit shows.
func TestKeysFollowEdits(t *testing.T) {
	fsys := syntheticFS(t, 40)
	edit := func(name, old, new string) func(t *testing.T) {
		return func(t *testing.T) {
			t.Helper()
			f := fsys[name]
			if f == nil || !bytes.Contains(f.Data, []byte(old)) {
				t.Fatalf("%s does not contain %q", name, old)
			}
			fsys[name] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1)}
		}
	}
	site, _, err := LoadSite(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, b, c3 := site.Codes[3], site.Codes[7], site.Codes[11]
	// A code no other code names as related can go without breaking them.
	named := map[*Code]bool{}
	for _, rel := range site.Related {
		for _, o := range rel {
			named[o] = true
		}
	}
	var gone *Code
	for _, c := range site.Codes {
		if !named[c] && c != a && c != b && c != c3 {
			gone = c
		}
	}
	msgOf := func(c *Code) string { return c.Message }
	steps := []struct {
		name  string
		apply func(t *testing.T)
		shows string // a path whose key must change
		all   bool   // every key may change
	}{
		{"title", edit(a.File, "title: "+a.Title, "title: An edited title"), "codes/" + a.Slug + "/index.html", false},
		{"shared message", edit(b.File, "message: "+msgOf(b), "message: "+msgOf(c3)), "codes/" + c3.Slug + "/index.html", false},
		{"message no longer shared", edit(b.File, "message: "+msgOf(c3), "message: A message of its own."), "codes/" + c3.Slug + "/index.html", false},
		{"category", edit(a.File, "category: "+a.Category, "category: web-api"), "category/web-api/index.html", false},
		{"related", edit(b.File, "related: [", "related: ["+`"`+c3.Code+`", `), "codes/" + b.Slug + "/index.html", false},
		{"named in Markdown", edit(c3.File, "  - Restart the app.", "  - Restart the app, then see `auth:999`."), "codes/" + c3.Slug + "/index.html", false},
		{"code added", func(t *testing.T) {
			data := bytes.Replace(fsys[a.File].Data, []byte("code: "+a.Code), []byte("code: auth:999"), 1)
			data = bytes.Replace(data, []byte("aliases: ["+a.Aliases[0]), []byte("aliases: [error 999"), 1)
			data = bytes.Replace(data, []byte("message: "+a.Message), []byte("message: Another message."), 1)
			fsys["codes/auth-999.yaml"] = &fstest.MapFile{Data: data}
		}, "codes/" + c3.Slug + "/index.html", false},
		{"code removed", func(t *testing.T) { delete(fsys, gone.File) }, "index.html", false},
		{"site.yaml label", edit("site.yaml", "label: Sign-in and account", "label: Signing in"), "index.html", true},
	}
	prev := planAndMake(t, fsys)
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.apply(t)
			next := planAndMake(t, fsys)
			same, changed := 0, 0
			for path, o := range next {
				p, ok := prev[path]
				if !ok || o.key == "" || p.key != o.key {
					changed++
					continue
				}
				same++
				if !bytes.Equal(p.data, o.data) {
					t.Errorf("%s: key %s unchanged but the bytes changed", path, o.key)
				}
			}
			if o, p := next[s.shows], prev[s.shows]; o.key == "" || o.key == p.key {
				t.Errorf("%s: key %q did not change (was %q)", s.shows, o.key, p.key)
			}
			if same == 0 && !s.all {
				t.Error("no output kept its key: the test proves nothing")
			}
			t.Logf("%d outputs kept their key, %d did not", same, changed)
			prev = next
		})
	}
}

type madeOutput struct {
	key  string
	data []byte
}

func planAndMake(t *testing.T, fsys fstest.MapFS) map[string]madeOutput {
	t.Helper()
	site, probs, err := LoadSite(fsys)
	if err != nil {
		t.Fatalf("%v\n%s", err, probs.Error())
	}
	outs, err := Plan(site, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}")})
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]madeOutput{}
	for _, o := range outs {
		data, err := o.Make()
		if err != nil {
			t.Fatal(err)
		}
		made[o.Path] = madeOutput{o.Key, data}
	}
	return made
}
