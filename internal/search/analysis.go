package search

import (
	"strconv"
	"strings"

	"github.com/errref/errref/internal/rules"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// This file holds the text analysis that search.js repeats character for
// character: the query tokenizer, lower-casing, the code analyzer and the
// normalisation of codes for the exact-code bonus. The prose fields are
// analyzed by bleve's "en" analyzer; the query tokenizer reproduces the
// word boundaries of its unicode tokenizer (UAX #29) for the scripts the
// corpus uses, so that query positions line up with indexed positions.

// codeAnalyzerName is the bleve analyzer of the code and aliases fields.
const codeAnalyzerName = "errref_code"

func init() {
	// Registration only fails on a duplicate name, which would be a
	// programming error caught by every test; there is nothing to recover.
	_ = registry.RegisterAnalyzer(codeAnalyzerName, func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		return codeAnalyzer{}, nil
	})
}

// codeAnalyzer emits the tokens that name a code (see codeTokens).
type codeAnalyzer struct{}

func (a codeAnalyzer) Analyze(input []byte) analysis.TokenStream {
	toks := codeTokens(string(input))
	ts := make(analysis.TokenStream, len(toks))
	for i, t := range toks {
		ts[i] = &analysis.Token{Term: []byte(t), Position: i + 1, Start: 0, End: len(input), Type: analysis.AlphaNumeric}
	}
	return ts
}

// queryWord is one word of a query or a text: lower-cased, with its
// 1-based position (the same numbering bleve's tokenizer gives) and its
// byte offsets in the input.
type queryWord struct {
	word       string
	pos        int
	start, end int
}

// tokenizeWords splits s into words the way bleve's unicode tokenizer does
// for the scripts in scope, lower-casing them.
func tokenizeWords(s string) []queryWord {
	var rs []rune
	var offs []int
	for i, r := range s {
		rs = append(rs, r)
		offs = append(offs, i)
	}
	offs = append(offs, len(s))
	cls := make([]rules.Class, len(rs))
	for i, r := range rs {
		cls[i] = rules.ClassOf(r)
	}
	var out []queryWord
	pos := 0
	for i := 0; i < len(rs); {
		c := cls[i]
		if c == rules.Ideo {
			pos++
			out = append(out, queryWord{string(rules.Lower(rs[i])), pos, offs[i], offs[i+1]})
			i++
			continue
		}
		if c != rules.Letter && c != rules.Digit && c != rules.Extend && c != rules.Katakana {
			i++
			continue
		}
		j := i + 1
		for j < len(rs) {
			p, d := cls[j-1], cls[j]
			if joins(p, d) {
				j++
				continue
			}
			if j+1 < len(rs) {
				e := cls[j+1]
				if p == rules.Letter && (d == rules.MidLetter || d == rules.MidNumLet) && e == rules.Letter {
					j += 2
					continue
				}
				if p == rules.Digit && (d == rules.MidNum || d == rules.MidNumLet) && e == rules.Digit {
					j += 2
					continue
				}
			}
			break
		}
		w := make([]rune, 0, j-i)
		for _, r := range rs[i:j] {
			w = append(w, rules.Lower(r))
		}
		pos++
		out = append(out, queryWord{string(w), pos, offs[i], offs[j]})
		i = j
	}
	return out
}

// joins reports whether two adjacent classes belong to one word without a
// character between them (WB5, WB8–WB10, WB13, WB13a, WB13b).
func joins(p, d rules.Class) bool {
	switch p {
	case rules.Letter, rules.Digit:
		return d == rules.Letter || d == rules.Digit || d == rules.Extend
	case rules.Extend:
		return d == rules.Letter || d == rules.Digit || d == rules.Extend || d == rules.Katakana
	case rules.Katakana:
		return d == rules.Katakana || d == rules.Extend
	}
	return false
}

// codeTokens analyzes a code or alias for the code and aliases fields:
// the tokens that name a code, not its words, which the names field holds
// (nameText). For each chunk between white space (leading and trailing
// punctuation trimmed) it emits, without repeats:
//
//   - nothing for a plain word ("error" of "Installer error 18"), a chunk
//     of letters, or of letters and digits, without a separator;
//   - for a number written with a minus ("-3" of "com.spotify.installer
//     -3"), the signed number "-3", so that a bare 3 is another code's;
//   - otherwise the whole chunk ("accounts:4", "premium_required"); when it
//     ends in a numeric range such as "accounts:53–55", every member
//     ("accounts:54") and every number;
//   - the pieces between separators other than '_' and '.' that hold one of
//     those ("desktop_login_accounts" of "desktop_login_accounts:5"), and
//     those that are numbers ("5"; not the numbers of an address or a
//     version such as "127.0.0.1", which a '.' joins);
//   - "http:N" for the chunk "http" followed by a number N from 100 to
//     599 (the alias "HTTP 403 RESTRICTION_VIOLATED"), so that an HTTP
//     status finds the codes about it (see httpStatus).
func codeTokens(s string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t == "" || seen[t] {
			return
		}
		seen[t] = true
		out = append(out, t)
	}
	var chunk []rune
	prevHTTP := false
	flush := func() {
		whole := rules.TrimNonWord(chunk)
		signed := len(chunk) > 0 && (chunk[0] == '-' || chunk[0] == 0x2212) && len(whole) == len(chunk)-1
		chunk = chunk[:0]
		if len(whole) == 0 {
			prevHTTP = false
			return
		}
		w := string(whole)
		isHTTP := prevHTTP
		prevHTTP = w == "http"
		switch {
		case isNumber(w) && signed:
			add("-" + w)
			return
		case isNumber(w):
			add(w)
			if isHTTP && httpStatus(w) {
				add("http:" + w)
			}
			return
		case plainWord(whole):
			return
		}
		add(w)
		if prefix, lo, hi, ok := rules.NumericRange(whole); ok {
			for n := lo; n <= hi; n++ {
				add(prefix + strconv.Itoa(n))
			}
			for n := lo; n <= hi; n++ {
				add(strconv.Itoa(n))
			}
		}
		for _, p := range splitRunes(whole, func(r rune) bool { return !rules.WordRune(r) && r != '_' && r != '.' }) {
			if !plainWord(p) {
				add(string(p))
			}
		}
		// Numbers joined by dots ("127.0.0.1", "1.2.50") are an address
		// or a version, not the numbers of codes.
		for _, p := range splitRunes(whole, func(r rune) bool { return !rules.WordRune(r) && r != '.' }) {
			if isNumber(string(p)) {
				add(string(p))
			}
		}
	}
	for _, r := range s {
		if rules.Space(r) {
			flush()
			continue
		}
		chunk = append(chunk, rules.Lower(r))
	}
	flush()
	return out
}

// plainWord reports whether a chunk is a word of letters, or of letters
// and digits, with no separator: the names field's, not the code's.
func plainWord(rs []rune) bool {
	letter := false
	for _, r := range rs {
		if !rules.WordRune(r) {
			return false
		}
		if rules.ClassOf(r) != rules.Digit {
			letter = true
		}
	}
	return letter
}

// letters reports whether s is letters only.
func letters(s string) bool {
	for _, r := range s {
		if rules.ClassOf(r) != rules.Letter {
			return false
		}
	}
	return s != ""
}

// isNumber reports whether s is ASCII digits only.
func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// httpStatus reports whether a number can be an HTTP status code.
func httpStatus(n string) bool {
	return len(n) == 3 && n >= "100" && n <= "599"
}

// nameText is what the names field indexes for a code or alias: its
// words, the pieces between any separators that hold a letter, so that
// FRAGMENT_REQUEST_FAILED_WITH_STATUS is found by "failed" below the
// words of titles and messages.
func nameText(s string) string {
	var words []string
	for _, p := range splitRunes([]rune(s), func(r rune) bool { return !rules.WordRune(r) }) {
		if !isNumber(string(p)) {
			words = append(words, string(p))
		}
	}
	return strings.Join(words, " ")
}

// splitRunes splits rs at separator runes, trims each piece and drops the
// empty ones.
func splitRunes(rs []rune, sep func(rune) bool) [][]rune {
	var out [][]rune
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || sep(rs[i]) {
			if p := rules.TrimNonWord(rs[start:i]); len(p) > 0 {
				out = append(out, p)
			}
			start = i + 1
		}
	}
	return out
}
