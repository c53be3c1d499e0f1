package errref

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// codeWithWorkaround is a code with one more optional field, added as
// ARCHITECTURE.md's worked example adds it: one struct field with its
// tags, nothing else.
type codeWithWorkaround struct {
	Code
	Workaround string `yaml:"workaround" field:"max=600,markdown" doc:"a stopgap that helps until the cause is fixed"`
}

// TestOneEditAddsAField shows that the table of fields is the one place a
// field is described: the field added above is decoded with its
// position, checked (length, Markdown, invisible characters), put in
// order by fmt, offered by new, written by the API and described by the
// JSON Schema, with no other change. (Showing it on the page is its
// template's job.)
func TestOneEditAddsAField(t *testing.T) {
	if CodeFields.Field("workaround") != nil {
		t.Fatal("the table of fields now has workaround; give this test's example field (and ARCHITECTURE.md's) a name the table does not have")
	}
	table := TableOf(reflect.TypeFor[codeWithWorkaround]())
	if got, want := table.Names(), append(CodeFields.Names(), "workaround"); !slices.Equal(got, want) {
		t.Fatalf("table = %v, want %v", got, want)
	}
	base, err := os.ReadFile("codes/accounts-4.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The new key written first, out of order, with raw HTML in it.
	src := strings.Replace(string(base), "code:", "workaround: Use the web player, <b>for now</b>.\ncode:", 1)

	var plus codeWithWorkaround
	plus.File = "codes/accounts-4.yaml"
	probs, ok := decodeFile(plus.File, []byte(src), table, &plus.Code, reflect.ValueOf(&plus).Elem())
	if !ok || len(probs) > 0 {
		t.Fatalf("decoding: %v", probs)
	}
	if plus.Workaround != "Use the web player, <b>for now</b>." || plus.Pos["workaround"].Line != 2 {
		t.Errorf("workaround = %q at %v", plus.Workaround, plus.Pos["workaround"])
	}
	// The same file with the table of today's code: the key is unknown.
	if _, probs := DecodeCode(plus.File, []byte(src)); len(probs) != 1 || probs[0].Rule != "ERR002" {
		t.Errorf("without the field, problems = %v; want one ERR002", probs)
	}

	v := &validator{in: &Input{Config: loadRealSite(t).Config}}
	v.fields(&plus.Code, "", table, reflect.ValueOf(&plus).Elem())
	if len(v.probs) != 1 || v.probs[0].Rule != "ERR010" || v.probs[0].Field != "workaround" || v.probs[0].Line != 2 {
		t.Errorf("check: %v; want one ERR010 on workaround, line 2", v.probs)
	}

	out, probs := format(plus.File, []byte(src), table)
	if out == nil {
		t.Fatal(probs)
	}
	if !regexp.MustCompile(`\nreviewed: [0-9-]+\nworkaround: Use the web player, <b>for now</b>.\n$`).Match(out) {
		t.Errorf("fmt does not put workaround last:\n%s", out)
	}

	if skel := skeleton(table, "x:1", "2026-12-01", nil); !strings.Contains(string(skel), "\nworkaround: \"\" # a stopgap that helps until the cause is fixed\n") {
		t.Errorf("new does not offer workaround:\n%s", skel)
	}

	rec, err := marshalJSON(recordObj(table, reflect.ValueOf(plus)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(rec), `,"workaround":"Use the web player, <b>for now</b>."}`) {
		t.Errorf("the API record ends %s", rec[max(0, len(rec)-80):])
	}

	var sch struct {
		Properties map[string]struct {
			Description string `json:"description"`
			MaxLength   int    `json:"maxLength"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(schema(table, nil), &sch); err != nil {
		t.Fatal(err)
	}
	if p := sch.Properties["workaround"]; p.MaxLength != 600 || p.Description == "" {
		t.Errorf("schema of workaround = %+v", p)
	}
}

// TestTableTags checks the tags of the table: every required field says
// what to write, every field says what it is, and a misspelt option or a
// key given twice is caught when the table is read.
func TestTableTags(t *testing.T) {
	var walk func(prefix string, tb Table)
	walk = func(prefix string, tb Table) {
		for _, f := range tb {
			if f.Doc == "" {
				t.Errorf("%s%s has no doc", prefix, f.Name)
			}
			if f.Kind == Records {
				walk(prefix+f.Name+".", f.Fields)
			}
		}
	}
	walk("", CodeFields)
	type misspelt struct {
		X string `yaml:"x" field:"requird"`
	}
	type twice struct {
		Code
		Source string `yaml:"sources"`
	}
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[misspelt](): `unknown option "requird"`,
		// A field added under a key the table already has would be
		// decoded into both and written twice by fmt.
		reflect.TypeFor[twice](): `two fields named "sources"`,
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), want) {
					t.Errorf("TableOf(%s) panics with %v, want %q", typ, r, want)
				}
			}()
			TableOf(typ)
		}()
	}
}

// TestDocsListEveryField checks the two documents that describe a code
// file for people against the table: CONTRIBUTING.md's field table and
// the example in build.go's package comment list fields of the table, in
// its order, every required one among them, required as it says.
func TestDocsListEveryField(t *testing.T) {
	doc, err := os.ReadFile("CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (yes|no) \\|")
	var names []string
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		names = append(names, m[1])
		if f := CodeFields.Field(m[1]); f != nil && f.Required != (m[2] == "yes") {
			t.Errorf("CONTRIBUTING.md says %s is required: %s; the table says %v", m[1], m[2], f.Required)
		}
	}
	checkFieldList(t, "CONTRIBUTING.md's field table", names)

	src, err := os.ReadFile("build.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`(?m)^//\t(?:# )?([a-z_]+):`)
	names = nil
	for _, m := range key.FindAllStringSubmatch(string(src), -1) {
		names = append(names, m[1])
	}
	checkFieldList(t, "build.go's package comment", names)
}

// checkFieldList checks that names are fields of the table, in its order,
// with every required field among them.
func checkFieldList(t *testing.T, where string, names []string) {
	t.Helper()
	at := 0
	for _, n := range names {
		f := CodeFields.Field(n)
		if f == nil {
			t.Errorf("%s lists %q, which is no field", where, n)
			continue
		}
		i := slices.Index(CodeFields.Names(), n)
		if i < at {
			t.Errorf("%s lists %q out of the table's order %v", where, n, CodeFields.Names())
		}
		at = i
	}
	for _, f := range CodeFields {
		if f.Required && !slices.Contains(names, f.Name) {
			t.Errorf("%s leaves out the required field %q", where, f.Name)
		}
	}
}

// TestDocumentsCitedExist checks that no file of the repository points at
// a document it does not hold: a clone must be able to follow every
// Markdown file a comment or a page names.
func TestDocumentsCitedExist(t *testing.T) {
	cite := regexp.MustCompile(`(?:^|[^A-Za-z0-9_./:-])([A-Z][A-Za-z0-9_-]*\.md)\b`)
	exts := map[string]bool{".go": true, ".js": true, ".css": true, ".html": true, ".md": true, ".yml": true, ".yaml": true, ".txtar": true, "": true}
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".github" && d.Name() != ".ci" || d.Name() == "public") {
				return filepath.SkipDir
			}
			return nil
		}
		if !exts[filepath.Ext(p)] {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range cite.FindAllStringSubmatch(string(data), -1) {
			if _, err := os.Stat(m[1]); err != nil {
				t.Errorf("%s cites %s, which the repository does not hold", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
