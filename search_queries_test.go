package errref

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// realQueriesFile holds the evaluation queries taken from public texts
// (see testdata/search/README.md for where they come from and the rules).
const realQueriesFile = "testdata/search/real-queries.json"

// realQuery is one entry of realQueriesFile.
type realQuery struct {
	Query   string   `json:"query"`
	Want    []string `json:"want"`
	Source  string   `json:"source"`
	Split   string   `json:"split"`
	Kind    string   `json:"kind"`
	Unknown string   `json:"unknown,omitempty"`
	Pending bool     `json:"pending,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// minRealQueries is the floor on the number of entries; the set only grows.
const minRealQueries = 180

// realQueryKinds are the kinds of text a query can be (README lists them).
var realQueryKinds = map[string]bool{
	"title": true, "sentence": true, "post": true, "dialog": true, "log": true, "json": true,
}

// loadRealQueries decodes realQueriesFile strictly: an unknown field is an error.
func loadRealQueries(t testing.TB) []realQuery {
	t.Helper()
	data, err := os.ReadFile(realQueriesFile)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var qs []realQuery
	if err := dec.Decode(&qs); err != nil {
		t.Fatalf("%s: %v", realQueriesFile, err)
	}
	return qs
}

// splitOf is the split rule: "tune" when the first byte of the SHA-256 of the
// source address is even, else "report". It depends only on the thread, so
// one thread never lands in both halves.
func splitOf(source string) string {
	if sha256.Sum256([]byte(source))[0]%2 == 0 {
		return "tune"
	}
	return "report"
}

func TestSplitOf(t *testing.T) {
	// Fixed points computed independently (sha256sum of the bare string).
	for src, want := range map[string]string{
		"https://github.com/SpotX-Official/SpotX/issues/560": "report", // first byte 0x39
		"https://github.com/spotify/web-api/issues/1325":     "tune",   // first byte 0xec
	} {
		if got := splitOf(src); got != want {
			t.Errorf("splitOf(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestRealQueries checks the evaluation set's own rules: every entry has a
// source address and the split that address gives, every wanted code that is
// not pending is a code of the corpus, unknown codes are really unknown, and
// no text is entered twice.
func TestRealQueries(t *testing.T) {
	qs := loadRealQueries(t)
	if len(qs) < minRealQueries {
		t.Errorf("%s has %d queries, want at least %d", realQueriesFile, len(qs), minRealQueries)
	}
	in, probs := Load(os.DirFS("."))
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	codes := map[string]bool{}  // exact code strings
	strs := map[string]string{} // lower-cased code or alias -> code
	for _, c := range in.Codes {
		codes[c.Code] = true
		strs[strings.ToLower(c.Code)] = c.Code
		for _, a := range c.Aliases {
			strs[strings.ToLower(a)] = c.Code
		}
	}
	seen := map[string]bool{}
	splits := map[string]int{}
	for i, q := range qs {
		where := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%s entry %d (%.40q): "+format, append([]any{realQueriesFile, i, q.Query}, args...)...)
		}
		switch n := utf8.RuneCountInString(q.Query); {
		case strings.TrimSpace(q.Query) == "":
			where("query is empty")
		case n > 2000:
			where("query has %d characters, at most 2000", n)
		}
		if u, err := url.Parse(q.Source); err != nil || u.Scheme != "https" || u.Host == "" {
			where("source %q is not an https address", q.Source)
		}
		if got := splitOf(q.Source); q.Split != got {
			where("split is %q, the source address gives %q", q.Split, got)
		}
		splits[q.Split]++
		if !realQueryKinds[q.Kind] {
			where("kind %q is not one of title, sentence, post, dialog, log, json", q.Kind)
		}
		key := q.Source + "\x00" + q.Query
		if seen[key] {
			where("the same query from the same source is entered twice")
		}
		seen[key] = true
		// An entry may mark a code-shaped string the site lacks and
		// want a code too: a text about a code of the site that also
		// quotes another error ("error: internal_error").
		if q.Unknown != "" {
			if q.Pending {
				where("an entry is either unknown or pending, not both")
			}
			if c, ok := strs[strings.ToLower(q.Unknown)]; ok {
				where("unknown %q is a code or alias of %q", q.Unknown, c)
			}
			if !strings.Contains(strings.ToLower(q.Query), strings.ToLower(q.Unknown)) {
				where("unknown %q does not occur in the query", q.Unknown)
			}
		}
		switch {
		case len(q.Want) == 0 && q.Unknown != "":
		case len(q.Want) == 0:
			where("want is empty; a query names a code, or marks its code string as unknown")
		case q.Pending:
			if q.Note == "" {
				where("a pending entry says in note how its code string was guessed")
			}
			for _, w := range q.Want {
				if codes[w] {
					where("want %q is pending but the corpus has it now; drop \"pending\"", w)
				}
			}
		default:
			for _, w := range q.Want {
				if !codes[w] {
					where("want %q is not a code of the corpus", w)
				}
			}
		}
	}
	for _, s := range []string{"tune", "report"} {
		if splits[s] == 0 {
			t.Errorf("no query in the %q half", s)
		}
	}
}
