package errref

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestDecodeHostileFiles feeds the loader files that are broken in ways a
// contributor's editor can produce, and checks each gets one clear,
// positioned problem and no panic.
func TestDecodeHostileFiles(t *testing.T) {
	valid, err := os.ReadFile("codes/accounts-4.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string // the one problem expected, as printed
	}{
		{"empty", nil, "codes/x.yaml: ERR014 the file is empty"},
		{"only comments", []byte("# nothing yet\n\n"), "codes/x.yaml: ERR014 the file is empty"},
		{"10 MB", bytes.Repeat([]byte("a"), 10<<20), "codes/x.yaml: ERR014 the file is larger than 1024 KiB"},
		{"not UTF-8", []byte("code: \"x\"\ntitle: \xff\xfe\n"), "codes/x.yaml:2:8: ERR013 the file is not UTF-8 text"},
		{"NUL byte", []byte("code: \"x\"\x00\n"), "codes/x.yaml:1:10: ERR013 the file contains a NUL byte"},
		{"UTF-16", []byte("\xff\xfec\x00o\x00"), "codes/x.yaml:1:1: ERR013 the file is not UTF-8 text"},
		{"tab indent", []byte("chain:\n\t- step: a\n"), "codes/x.yaml:2:1: ERR012 the line is indented with a tab"},
		{"two documents", append(append([]byte{}, valid...), "---\ncode: \"y\"\n"...), fmt.Sprintf("codes/x.yaml:%d: ERR014 the file holds several YAML documents", bytes.Count(valid, []byte("\n"))+1)},
		{"a list", []byte("- a\n- b\n"), "codes/x.yaml:1:1: ERR014 the file holds a list"},
		{"a scalar", []byte("just text\n"), "codes/x.yaml:1:1: ERR014 the file holds a single value"},
		{"unclosed flow", []byte("platforms: [windows\n"), "codes/x.yaml:1: ERR012 invalid YAML: did not find expected"},
		{"alias bomb", []byte("a: &a [x, x]\nb: &b [*a, *a]\n"), "codes/x.yaml:1:4: ERR012 YAML anchors and aliases"},
		{"deep nesting", []byte(strings.Repeat("[", 100000)), "codes/x.yaml: ERR012 invalid YAML: exceeded max depth"},
		{"no-break space after colon", []byte("code: \"x\"\nseverity:\u00a0error\n"), "codes/x.yaml:2:10: ERR012 invalid YAML: a no-break space (U+00A0) stands where YAML needs a plain space"},
		{"no-break space indent", []byte("code: \"x\"\ncauses:\n\u00a0 - Down.\n"), "codes/x.yaml:3:1: ERR012 invalid YAML: a no-break space (U+00A0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"codes/x.yaml": {Data: tt.data}}
			data, probs := readFile(fsys, "codes/x.yaml")
			if data != nil {
				_, probs = DecodeCode("codes/x.yaml", data)
			}
			if len(probs) != 1 {
				t.Fatalf("got %d problems, want 1: %v", len(probs), probs)
			}
			if got := probs[0].String(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s…", got, tt.want)
			}
		})
	}
}

// TestCRLFAndBOMStillDecode checks that a file saved with Windows line ends
// or a byte-order mark is still read, with advice (CRLF) or an error (BOM)
// but the same content.
func TestCRLFAndBOMStillDecode(t *testing.T) {
	valid, err := os.ReadFile("codes/accounts-4.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, probs := DecodeCode("codes/accounts-4.yaml", valid)
	if len(probs) != 0 || want == nil {
		t.Fatalf("the model file has problems: %v", probs)
	}
	crlf := bytes.ReplaceAll(valid, []byte("\n"), []byte("\r\n"))
	got, probs := DecodeCode("codes/accounts-4.yaml", crlf)
	if got == nil || len(probs) != 1 || probs[0].Rule != "WARN003" {
		t.Fatalf("CRLF: got %v", probs)
	}
	if got.Note != want.Note || len(got.Resolution) != len(want.Resolution) {
		t.Errorf("CRLF file decoded differently: note %q", got.Note)
	}
	got, probs = DecodeCode("codes/accounts-4.yaml", append([]byte("\xEF\xBB\xBF"), valid...))
	if got == nil || len(probs) != 1 || probs[0].Rule != "ERR013" || got.Code != want.Code {
		t.Fatalf("BOM: got %v", probs)
	}
}

// TestLoadMissingSite checks the message when errref runs in the wrong
// folder.
func TestLoadMissingSite(t *testing.T) {
	_, probs := Load(fstest.MapFS{})
	if len(probs) != 2 {
		t.Fatalf("got %v", probs)
	}
	for _, p := range probs {
		if p.Rule != "ERR015" {
			t.Errorf("got %s, want ERR015", p)
		}
	}
	if !strings.Contains(probs.Error(), "pass -dir") {
		t.Errorf("the problems do not say how to fix it: %v", probs)
	}
}

// TestPositions checks that every field of a decoded code has the
// position of its value, so any later problem can point at it.
func TestPositions(t *testing.T) {
	data, err := os.ReadFile("codes/accounts-4.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := DecodeCode("codes/accounts-4.yaml", data)
	lines := strings.Split(string(data), "\n")
	for field, pos := range c.Pos {
		if pos.Line < 1 || pos.Line > len(lines) || pos.Col < 1 {
			t.Errorf("%s: position %v outside the file", field, pos)
			continue
		}
		key := field
		if i := strings.LastIndexAny(key, ".]"); i >= 0 {
			key = key[i+1:]
		}
		if key != "" && !strings.Contains(lines[pos.Line-1], key+":") && !strings.HasPrefix(strings.TrimSpace(lines[pos.Line-1]), "-") {
			t.Errorf("%s: line %d %q does not hold the field", field, pos.Line, lines[pos.Line-1])
		}
	}
	// Line 1 is the schema line.
	if p := c.Pos["severity"]; p != (Pos{4, 11}) {
		t.Errorf("severity at %v, want 4:11", p)
	}
}

// seedCorpus adds every real code file to a fuzzer's corpus.
func seedCorpus(f *testing.F) {
	files, _ := filepath.Glob("codes/*.yaml")
	if len(files) == 0 {
		f.Fatal("no code files to seed from")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzDecodeCode checks that no input makes the loader panic, and that
// every problem it reports is well formed.
func FuzzDecodeCode(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, probs := DecodeCode("codes/fuzz.yaml", data)
		for _, p := range probs {
			checkProblem(t, p, data)
		}
		if c == nil && !probs.HasErrors() {
			t.Fatalf("no code and no error for %q", data)
		}
	})
}

// FuzzValidate runs the whole load and validate stages on a fuzzed file
// beside the real corpus.
func FuzzValidate(f *testing.F) {
	seedCorpus(f)
	site, err := os.ReadFile("site.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"site.yaml": {Data: site}, "codes/fuzz.yaml": {Data: data}}
		in, probs := Load(fsys)
		probs = append(probs, Check(in)...)
		for _, p := range probs {
			checkProblem(t, p, data)
		}
		if !probs.HasErrors() {
			// What passes validation must also build a model.
			s := NewSite(in)
			if len(s.Codes) != 1 {
				t.Fatalf("valid input, %d codes in the model", len(s.Codes))
			}
		}
	})
}

func checkProblem(t *testing.T, p Problem, data []byte) {
	t.Helper()
	if p.Rule == "" || p.Msg == "" || p.File == "" {
		t.Fatalf("malformed problem %#v", p)
	}
	// Lines end in LF, CRLF or a lone CR, as YAML reads them.
	lines := bytes.Count(bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")), []byte("\n"))
	if p.File == "codes/fuzz.yaml" && p.Line > lines+2 {
		t.Fatalf("problem %s points past the end of the file", p)
	}
	if strings.ContainsAny(p.String(), "\n\r") && !strings.Contains(string(data), "\n") {
		t.Fatalf("problem spans lines: %q", p.String())
	}
}

// TestSkeletonIsCanonical checks that errref new writes a file errref fmt
// leaves alone, before and after a contributor fills it in, so a pull
// request that follows CONTRIBUTING.md passes fmt -check.
func TestSkeletonIsCanonical(t *testing.T) {
	for _, code := range []string{"accounts:12", "EME_NO_SUPPORTED_KEYSYSTEM", `say "hi": #1`} {
		skel := Skeleton(code, "2026-11-29", &loadRealSite(t).Config)
		if out, probs := Format("codes/x.yaml", skel); string(out) != string(skel) {
			t.Errorf("Skeleton(%q) is not canonical (%v):\n%s\nfmt gives:\n%s", code, probs, skel, out)
		}
		filled := strings.NewReplacer(`title: ""`, `title: Something broke`, `severity: ""`, `severity: error`,
			`category: ""`, `category: login`, `platforms: []`, `platforms: [windows]`, `handling: ""`, `handling: retry`,
			`step: ""`, `step: Server`, `  - ""`, `  - Do it.`).Replace(string(skel))
		if out, probs := Format("codes/x.yaml", []byte(filled)); string(out) != filled {
			t.Errorf("the filled-in skeleton of %q is not canonical (%v):\n%s\nfmt gives:\n%s", code, probs, filled, out)
		}
	}
	// A note that is not text becomes a text block without a YAML tag.
	out, _ := Format("codes/x.yaml", []byte("code: \"k\"\nnote: 123\n"))
	if want := SchemaModeline + "\ncode: \"k\"\nnote: |\n  123\n"; string(out) != want {
		t.Errorf("note: 123 formats as %q, want %q", out, want)
	}
}

// TestLoadOddCodesFolder checks the codes folder itself: a file in its
// place, a folder with no code file, and a symbolic link inside it each
// get one clear problem.
func TestLoadOddCodesFolder(t *testing.T) {
	site := &fstest.MapFile{Data: []byte("title: t\nbase_url: https://example.org/\ncategories:\n  - id: login\n    label: Login\nplatforms:\n  - id: windows\n    label: Windows\n")}
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"a file", fstest.MapFS{"site.yaml": site, "codes": {Data: []byte("x")}}, "codes: ERR015 is a file; it must be a folder"},
		{"empty", fstest.MapFS{"site.yaml": site, "codes/.gitkeep": {}}, "codes/: ERR015 holds no code files; add one with errref new CODE"},
		{"a link", fstest.MapFS{"site.yaml": site, "codes/passwd.yaml": {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}},
			"codes/passwd.yaml: ERR014 is a symbolic link; code files must be regular files in codes/"},
	} {
		_, probs := Load(tc.fsys)
		if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tc.want) {
			t.Errorf("%s: got %v, want one problem %q…", tc.name, probs, tc.want)
		}
	}
}

// BenchmarkDecodeLongLine decodes a file just under the size limit whose
// one long line is full of no-break spaces and then breaks the YAML: the
// no-break space check must stay linear (it once took a minute here).
func BenchmarkDecodeLongLine(b *testing.B) {
	data := []byte("title: " + strings.Repeat("a\u00a0", 300000) + "\nx: [\n")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, probs := DecodeCode("codes/x.yaml", data); len(probs) == 0 {
			b.Fatal("no problem reported")
		}
	}
}
