package errref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dop251/goja"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// compileSchema compiles the schema of a code file for cfg with format
// assertions on, as an editor applies "format": "date".
func compileSchema(t *testing.T, cfg *Config) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema(cfg)))
	if err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("code.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("code.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// yamlToJSON converts a parsed YAML file to the value an editor checks
// against the schema: YAML 1.2's core types, as yaml-language-server reads
// them (a date such as 2026-11-22 is a string).
func yamlToJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return yamlToJSON(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := yamlToJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := yamlToJSON(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			return strconv.ParseBool(strings.ToLower(n.Value))
		case "!!int", "!!float":
			return json.Number(n.Value), nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func validateYAML(sch *jsonschema.Schema, data []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return err
	}
	v, err := yamlToJSON(&n)
	if err != nil {
		return err
	}
	return sch.Validate(v)
}

// TestSchemaFile checks that the schema the repository holds (and every
// code file names in its first line) is the one the table of fields and
// site.yaml give today. Run with -update to rewrite it.
func TestSchemaFile(t *testing.T) {
	want := Schema(&loadRealSite(t).Config)
	got, err := os.ReadFile(SchemaFile)
	if *update {
		if err := os.MkdirAll(filepath.Dir(SchemaFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(SchemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is not what the table of fields and site.yaml give (%v); run go test -run TestSchemaFile -update and commit it", SchemaFile, err)
	}
	// The site publishes the same bytes at the same path.
	files := renderReal(t, loadRealSite(t), "https://example.org/repo/")
	if !bytes.Equal(files[SchemaFile], want) {
		t.Errorf("the site does not publish the schema at %s", SchemaFile)
	}
}

// TestSchemaAcceptsCorpus validates every real code file against the
// schema, as an editor would while it is being written.
func TestSchemaAcceptsCorpus(t *testing.T) {
	sch := compileSchema(t, &loadRealSite(t).Config)
	files, _ := filepath.Glob(filepath.Join(CodesDir, "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no code files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(SchemaModeline+"\n")) {
			t.Errorf("%s: the first line is not %q", f, SchemaModeline)
		}
		if err := validateYAML(sch, data); err != nil {
			t.Errorf("%s: the schema refuses it: %v", f, err)
		}
	}
}

// schemaExpresses reports whether the schema can see problem p on its
// own: a rule about one field's value, not about other files, Markdown,
// today's date or the order of two dates.
func schemaExpresses(p Problem) bool {
	switch p.Rule {
	case "ERR001":
		return !strings.Contains(p.Msg, "alt_messages is set but message is not")
	case "ERR002", "ERR003", "ERR004", "ERR009", "ERR011", "ERR017", "ERR018", "ERR020":
		return true
	case "ERR005":
		return strings.HasPrefix(p.Field, "old_slugs[")
	case "ERR006":
		return strings.HasPrefix(p.Field, "platforms[")
	case "ERR008":
		return strings.Contains(p.Msg, "is not a date")
	case "ERR014":
		return strings.Contains(p.Msg, "it must be a mapping")
	case "ERR016":
		// An invisible character, or white space around exact text;
		// not a no-break space there, which Go's \S counts as visible
		// and JavaScript's does not.
		return !strings.Contains(p.Msg, `\u00a0`)
	}
	return false
}

// TestSchemaAgreesWithCheck runs the schema over every fixture of
// testdata/rules: a code file with a problem the schema can express must
// be refused, and a file check finds no error in, or only errors the
// schema cannot see, must be accepted (the schema is never stricter than
// check). Files that are not YAML mappings at all are check's alone.
func TestSchemaAgreesWithCheck(t *testing.T) {
	siteData, err := os.ReadFile("testdata/rules/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfgFS = fstest.MapFS{"site.yaml": {Data: siteData}, "codes/x.yaml": {Data: []byte("code: x\n")}}
	in, _ := Load(cfgFS)
	sch := compileSchema(t, &in.Config)
	fixtures, _ := filepath.Glob("testdata/rules/*.txtar")
	refused, accepted := 0, 0
	for _, file := range fixtures {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{"site.yaml": {Data: siteData}}
		for _, f := range ar.Files {
			if f.Name != "want" {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
		byFile := map[string]Problems{}
		for _, p := range check(t, fsys) {
			byFile[p.File] = append(byFile[p.File], p)
		}
		for _, f := range ar.Files {
			if dir, name := filepath.Split(f.Name); dir != CodesDir+"/" || filepath.Ext(name) != ".yaml" {
				continue // not read as a code
			}
			probs := byFile[f.Name]
			unreadable, expressed := false, []string{}
			for _, p := range probs {
				switch {
				case schemaExpresses(p):
					expressed = append(expressed, p.String())
				case p.Rule == "ERR012" || p.Rule == "ERR013" || p.Rule == "ERR014":
					unreadable = true
				}
			}
			if unreadable {
				continue
			}
			err := validateYAML(sch, f.Data)
			switch {
			case len(expressed) > 0 && err == nil:
				t.Errorf("%s %s: the schema accepts it, but check reports what a schema can say:\n\t%s", filepath.Base(file), f.Name, strings.Join(expressed, "\n\t"))
			case len(expressed) > 0:
				refused++
				// Each such problem is one the schema itself points at:
				// at its field, or at the mapping that lacks it or holds
				// an unknown key.
				at := schemaErrorPlaces(err)
				for _, p := range probs {
					if ptr := fieldPointer(p.Field); schemaExpresses(p) && !at[ptr] && !at[parentPointer(ptr)] {
						t.Errorf("%s %s: the schema refuses the file, but not at %s (%q) where check says:\n\t%s\nschema errors at: %v", filepath.Base(file), f.Name, p.Field, ptr, p, at)
					}
				}
			case err != nil:
				t.Errorf("%s %s: the schema refuses it (%v), but check reports no problem the schema could see: %v", filepath.Base(file), f.Name, err, probs)
			default:
				accepted++
			}
		}
	}
	if refused == 0 || accepted == 0 {
		t.Errorf("%d fixture files refused, %d accepted; the fixtures should exercise both", refused, accepted)
	}
}

// TestSchemaPatternsAreECMAScript compiles every pattern of the schema as
// JavaScript does: editors run them in JavaScript, this test's validator
// in Go, and the schema must mean the same to both.
func TestSchemaPatternsAreECMAScript(t *testing.T) {
	var doc any
	if err := json.Unmarshal(Schema(&loadRealSite(t).Config), &doc); err != nil {
		t.Fatal(err)
	}
	var patterns []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				if s, ok := c.(string); ok && k == "pattern" {
					patterns = append(patterns, s)
				}
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	if len(patterns) < 5 {
		t.Fatalf("only %d patterns in the schema", len(patterns))
	}
	vm := goja.New()
	for _, p := range patterns {
		if err := vm.Set("p", p); err != nil {
			t.Fatal(err)
		}
		if _, err := vm.RunString(`new RegExp(p, "u"); new RegExp(p)`); err != nil {
			t.Errorf("pattern %q is not an ECMAScript regular expression: %v", p, err)
		}
	}
}

// schemaErrorPlaces returns the instance locations (JSON pointers) of
// every error and cause the validator reports.
func schemaErrorPlaces(err error) map[string]bool {
	at := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		at["/"+strings.Join(e.InstanceLocation, "/")] = true
		for _, c := range e.Causes {
			walk(c)
		}
	}
	if ve, ok := err.(*jsonschema.ValidationError); ok {
		walk(ve)
	}
	return at
}

// fieldPointer turns a problem's field ("chain[1].step") into a JSON
// pointer ("/chain/1/step"); "" (the whole file) is "/".
func fieldPointer(field string) string {
	r := strings.NewReplacer("[", "/", "]", "", ".", "/")
	return "/" + r.Replace(field)
}

func parentPointer(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return "/"
}

// TestInvisibleClass checks the schema's class of invisible characters
// against InvisibleName asked of every character of the Basic
// Multilingual Plane, with and without the tab a block allows.
func TestInvisibleClass(t *testing.T) {
	all := make([]rune, 0x10000)
	for i := range all {
		all[i] = rune(i)
	}
	for _, block := range []bool{false, true} {
		want := runeClass(all, func(r rune) bool { return invisible(r, block) })
		if got := invisibleClass(block); got != want {
			t.Errorf("block %v: the class is %+q, InvisibleName over the whole plane gives %+q", block, got, want)
		}
	}
	if !strings.ContainsRune(invisibleClass(false), '\u200b') || strings.ContainsRune(invisibleClass(false), 'a') {
		t.Error("the class of invisible characters does not hold U+200B, or holds a letter")
	}
}
