package search

import (
	"strconv"

	"github.com/errref/errref/internal/rules"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
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
		stop, err := cache.TokenMapNamed(en.StopName)
		if err != nil {
			return nil, err
		}
		return codeAnalyzer{stop: stop}, nil
	})
}

// codeAnalyzer emits, for each white-space separated chunk of a code, the
// whole chunk, the members of a numeric range, and its parts (see
// codeTokens).
type codeAnalyzer struct{ stop analysis.TokenMap }

func (a codeAnalyzer) Analyze(input []byte) analysis.TokenStream {
	toks := codeTokens(string(input), func(s string) bool { return a.stop[s] })
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

// codeTokens analyzes a code or alias. For each chunk between white space
// (leading and trailing punctuation trimmed) it emits, without repeats:
// the whole chunk; when the chunk ends in a numeric range such as
// "accounts:53–55", every member ("accounts:54") and every number; the
// pieces between separators other than '_' and '.' ("desktop_login_accounts"
// and "5" of "desktop_login_accounts:5"); and the pieces of those split at
// '_' and '.' ("desktop", "login", "accounts"). English stop words are
// dropped ("is" of CAPPING_USER_IS_CAPPED, "no" of the alias "No
// connection") so that the stop words of a sentence do not hit codes; such
// codes are still found whole by the exact-code bonus.
func codeTokens(s string, stop func(string) bool) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t == "" || seen[t] || stop(t) {
			return
		}
		seen[t] = true
		out = append(out, t)
	}
	var chunk []rune
	flush := func() {
		whole := rules.TrimNonWord(chunk)
		chunk = chunk[:0]
		if len(whole) == 0 {
			return
		}
		add(string(whole))
		if prefix, lo, hi, ok := rules.NumericRange(whole); ok {
			for n := lo; n <= hi; n++ {
				add(prefix + strconv.Itoa(n))
			}
			for n := lo; n <= hi; n++ {
				add(strconv.Itoa(n))
			}
		}
		for _, p := range splitRunes(whole, func(r rune) bool { return !rules.WordRune(r) && r != '_' && r != '.' }) {
			add(string(p))
		}
		for _, p := range splitRunes(whole, func(r rune) bool { return !rules.WordRune(r) }) {
			add(string(p))
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
