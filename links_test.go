package errref

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestExternalLinks(t *testing.T) {
	code := "# yaml-language-server: $schema=../schema.json\n" +
		"code: \"auth:1\"\n" +
		"title: Sign-in fails\n" +
		"causes:\n" +
		"  - See [the status page](https://status.example.com/a\\_b) and <https://auto.example.org/x>.\n" +
		"  - Relative [page](../auth-2/), [mail](mailto:a@example.org), a [refused](javascript:alert(1)) one.\n" +
		"resolution:\n" +
		"  - Bare www.example.net/path and https://bare.example.com/y, twice, https://bare.example.com/y\n" +
		"note: |\n" +
		"  First line.\n" +
		"\n" +
		"  Then [a link](//proto.example.com/z \"t\") on line 12.\n" +
		"sources:\n" +
		"  - url: https://github.com/0iy/spotify-error-ref/blob/9f0c1b2/llms-full.txt\n" +
		"    title: \"Spotify Desktop Error Reference (community, MIT)\"\n" +
		"  - url: \"https://example.org/quoted#frag\"\n" +
		"    title: Quoted\n"
	fsys := fstest.MapFS{
		"site.yaml":         {Data: []byte("title: t\nbase_url: https://errref.example/\nrepository: https://github.com/errref/errref\ndescription: Plain words, no links.\n")},
		"codes/auth-1.yaml": {Data: []byte(code)},
	}
	in := &Input{Codes: []*Code{{File: "codes/auth-1.yaml"}}}
	var got []string
	for _, l := range ExternalLinks(fsys, in) {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", l.File, l.Line, l.Col, l.Field, l.URL))
	}
	want := []string{
		"site.yaml:2:11 base_url https://errref.example/",
		"site.yaml:3:13 repository https://github.com/errref/errref",
		"codes/auth-1.yaml:5:27 causes[0] https://status.example.com/a_b",
		"codes/auth-1.yaml:5:65 causes[0] https://auto.example.org/x",
		"codes/auth-1.yaml:8:10 resolution[0] http://www.example.net/path",
		"codes/auth-1.yaml:8:35 resolution[0] https://bare.example.com/y",
		"codes/auth-1.yaml:8:70 resolution[0] https://bare.example.com/y",
		"codes/auth-1.yaml:12:17 note https://proto.example.com/z",
		"codes/auth-1.yaml:14:10 sources[0].url https://github.com/0iy/spotify-error-ref/blob/9f0c1b2/llms-full.txt",
		"codes/auth-1.yaml:16:11 sources[1].url https://example.org/quoted#frag",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ExternalLinks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestExternalLinksRealCorpus compares ExternalLinks on the real corpus
// with a plain count: every http:// or https:// written outside comments
// and `code spans` is one link, placed on a line that holds it.
// TestExternalLinksPlainFields: in a code file only sources and the
// Markdown fields hold links. A displayed message is quoted verbatim and
// shown as text, so an address in it (or in a title, an alias or a
// source's title) is no link of the site, and nobody could fix it if it
// broke.
func TestExternalLinksPlainFields(t *testing.T) {
	code := "code: \"auth:1\"\n" +
		"title: See www.title.example for more\n" +
		"message: \"Please visit www.spotify.example/download to reinstall.\"\n" +
		"alt_messages: [\"Go to https://alt.example/\"]\n" +
		"aliases: [\"https://alias.example/\"]\n" +
		"chain:\n" +
		"  - step: https://step.example/\n" +
		"    detail: See https://detail.example/\n" +
		"causes:\n" +
		"  - Down, see https://cause.example/\n" +
		"sources:\n" +
		"  - url: https://source.example/a\n" +
		"    title: Mirror at https://source-title.example/\n" +
		"    supports: www.supports.example\n"
	fsys := fstest.MapFS{
		"site.yaml":         {Data: []byte("title: t\nbase_url: https://errref.example/\n")},
		"codes/auth-1.yaml": {Data: []byte(code)},
	}
	in := &Input{Codes: []*Code{{File: "codes/auth-1.yaml"}}}
	var got []string
	for _, l := range ExternalLinks(fsys, in) {
		got = append(got, l.Field+" "+l.URL)
	}
	want := []string{
		"base_url https://errref.example/",
		"chain[0].detail https://detail.example/",
		"causes[0] https://cause.example/",
		"sources[0].url https://source.example/a",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ExternalLinks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExternalLinksRealCorpus(t *testing.T) {
	fsys := os.DirFS(".")
	in, probs := Load(fsys)
	if probs.HasErrors() {
		t.Fatalf("the real corpus does not load:\n%v", probs)
	}
	found := map[string]int{}
	lines := map[string][]string{}
	for _, l := range ExternalLinks(fsys, in) {
		found[l.File]++
		if !isWebAddress(l.URL) {
			t.Errorf("%s:%d: %q is not an absolute web address", l.File, l.Line, l.URL)
		}
		if lines[l.File] == nil {
			data, err := os.ReadFile(l.File)
			if err != nil {
				t.Fatal(err)
			}
			lines[l.File] = strings.Split(string(data), "\n")
		}
		if l.Line < 1 || l.Line > len(lines[l.File]) {
			t.Errorf("%s:%d: no such line", l.File, l.Line)
			continue
		}
		if line := lines[l.File][l.Line-1]; !strings.Contains(line[min(l.Col-1, len(line)):], strings.TrimPrefix(strings.TrimPrefix(l.URL, "https://"), "http://")) {
			t.Errorf("%s:%d:%d: %q is not there: %q", l.File, l.Line, l.Col, l.URL, line)
		}
	}
	files := []string{ConfigFile}
	for _, c := range in.Codes {
		files = append(files, c.File)
	}
	codeSpan := regexp.MustCompile("`[^`]*`")
	addr := regexp.MustCompile(`https?://`)
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, line := range strings.Split(string(data), "\n") {
			// A comment, or a source's title (plain text: an issue
			// title may quote an address, which is no link).
			if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") || strings.HasPrefix(t, "title:") {
				continue
			}
			want += len(addr.FindAllString(codeSpan.ReplaceAllString(line, ""), -1))
		}
		if found[f] != want {
			t.Errorf("%s: %d links found, %d addresses written", f, found[f], want)
		}
		total += want
	}
	if found[ConfigFile] < 2 || total < 2 {
		t.Errorf("site.yaml's base_url and repository should be among the links; found %v", found)
	}
}
