package errref

import (
	"strconv"
	"unicode"
	"unicode/utf8"

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

// Character classes of the word-boundary rules (UAX #29, simplified to
// the rules that matter for Latin, Greek and Cyrillic text).
const (
	clsOther     = iota
	clsLetter    // ALetter
	clsDigit     // Numeric
	clsExtend    // ExtendNumLet: '_'
	clsMidLetter // ':' joins letters
	clsMidNumLet // '.' and apostrophes join letters or digits
	clsMidNum    // ',' and ';' join digits
	clsKatakana  // joins with itself
	clsIdeo      // a word of its own
)

func runeClass(r rune) int {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		return clsLetter
	case r >= '0' && r <= '9':
		return clsDigit
	case r == '_':
		return clsExtend
	case r == ':':
		return clsMidLetter
	case r == '.', r == '\'':
		return clsMidNumLet
	case r == ',', r == ';':
		return clsMidNum
	case r < 0x80:
		return clsOther
	}
	switch r {
	case 0xB7, 0x387, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A:
		return clsMidLetter
	case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E:
		return clsMidNumLet
	case 0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B:
		return clsMidNum
	case 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F:
		return clsExtend
	case 0xAA, 0xB5, 0xBA:
		return clsLetter
	case 0xD7, 0xF7:
		return clsOther
	}
	switch {
	case r >= 0xC0 && r <= 0x52F, r >= 0x1E00 && r <= 0x1FFF:
		return clsLetter
	case r >= 0x30A0 && r <= 0x30FF:
		return clsKatakana
	case r >= 0x3040 && r <= 0x309F, r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF:
		return clsIdeo
	}
	return clsOther
}

// wordRune reports whether r can be part of a word on its own (not only
// between two word characters).
func wordRune(r rune) bool {
	switch runeClass(r) {
	case clsLetter, clsDigit, clsKatakana, clsIdeo:
		return true
	}
	return false
}

// lowerRune lower-cases one code point. U+0130 is kept because JavaScript
// lower-cases it to two code points.
func lowerRune(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
	if r == 0x130 {
		return r
	}
	return unicode.ToLower(r)
}

// spaceRune is the white space that separates the chunks of a code and
// tells whether the last query word is still being typed.
func spaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xA0, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
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
	cls := make([]int, len(rs))
	for i, r := range rs {
		cls[i] = runeClass(r)
	}
	var out []queryWord
	pos := 0
	for i := 0; i < len(rs); {
		c := cls[i]
		if c == clsIdeo {
			pos++
			out = append(out, queryWord{string(lowerRune(rs[i])), pos, offs[i], offs[i+1]})
			i++
			continue
		}
		if c != clsLetter && c != clsDigit && c != clsExtend && c != clsKatakana {
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
				if p == clsLetter && (d == clsMidLetter || d == clsMidNumLet) && e == clsLetter {
					j += 2
					continue
				}
				if p == clsDigit && (d == clsMidNum || d == clsMidNumLet) && e == clsDigit {
					j += 2
					continue
				}
			}
			break
		}
		w := make([]rune, 0, j-i)
		for _, r := range rs[i:j] {
			w = append(w, lowerRune(r))
		}
		pos++
		out = append(out, queryWord{string(w), pos, offs[i], offs[j]})
		i = j
	}
	return out
}

// joins reports whether two adjacent classes belong to one word without a
// character between them (WB5, WB8–WB10, WB13, WB13a, WB13b).
func joins(p, d int) bool {
	switch p {
	case clsLetter, clsDigit:
		return d == clsLetter || d == clsDigit || d == clsExtend
	case clsExtend:
		return d == clsLetter || d == clsDigit || d == clsExtend || d == clsKatakana
	case clsKatakana:
		return d == clsKatakana || d == clsExtend
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
		whole := trimNonWord(chunk)
		chunk = chunk[:0]
		if len(whole) == 0 {
			return
		}
		add(string(whole))
		if prefix, lo, hi, ok := numericRange(whole); ok {
			for n := lo; n <= hi; n++ {
				add(prefix + strconv.Itoa(n))
			}
			for n := lo; n <= hi; n++ {
				add(strconv.Itoa(n))
			}
		}
		for _, p := range splitRunes(whole, func(r rune) bool { return !wordRune(r) && r != '_' && r != '.' }) {
			add(string(p))
		}
		for _, p := range splitRunes(whole, func(r rune) bool { return !wordRune(r) }) {
			add(string(p))
		}
	}
	for _, r := range s {
		if spaceRune(r) {
			flush()
			continue
		}
		chunk = append(chunk, lowerRune(r))
	}
	flush()
	return out
}

// trimNonWord drops leading and trailing characters that cannot stand
// alone in a word.
func trimNonWord(rs []rune) []rune {
	i, j := 0, len(rs)
	for i < j && !wordRune(rs[i]) {
		i++
	}
	for j > i && !wordRune(rs[j-1]) {
		j--
	}
	return rs[i:j]
}

// splitRunes splits rs at separator runes, trims each piece and drops the
// empty ones.
func splitRunes(rs []rune, sep func(rune) bool) [][]rune {
	var out [][]rune
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || sep(rs[i]) {
			if p := trimNonWord(rs[start:i]); len(p) > 0 {
				out = append(out, p)
			}
			start = i + 1
		}
	}
	return out
}

// maxRange bounds how many members a range code expands to.
const maxRange = 32

// numericRange recognises a chunk that ends in "<lo><dash><hi>", where the
// dash is '-', '–', '—' or '−' and lo < hi ≤ lo+maxRange, and returns the
// text before lo (empty or ending in a non-digit).
func numericRange(rs []rune) (prefix string, lo, hi int, ok bool) {
	j := len(rs)
	i := j
	for i > 0 && rs[i-1] >= '0' && rs[i-1] <= '9' {
		i--
	}
	if i == j || j-i > 6 || i == 0 {
		return "", 0, 0, false
	}
	hiS := string(rs[i:j])
	d := rs[i-1]
	if d != '-' && d != 0x2013 && d != 0x2014 && d != 0x2212 {
		return "", 0, 0, false
	}
	k := i - 1
	m := k
	for m > 0 && rs[m-1] >= '0' && rs[m-1] <= '9' {
		m--
	}
	if m == k || k-m > 6 {
		return "", 0, 0, false
	}
	lo, _ = strconv.Atoi(string(rs[m:k]))
	hi, _ = strconv.Atoi(hiS)
	if hi <= lo || hi-lo > maxRange {
		return "", 0, 0, false
	}
	return string(rs[:m]), lo, hi, true
}

// codeKey normalises a code, an alias or a run of query words for the
// exact-code bonus: lower-cased letters and digits only, so "AUTH:1",
// "auth 1", "auth-1" and "auth1" are all "auth1".
func codeKey(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if wordRune(r) {
			b = utf8.AppendRune(b, lowerRune(r))
		}
	}
	return string(b)
}

// hasLetter reports whether a code key contains a letter: a key of digits
// alone ("17") would match any number in a pasted text.
func hasLetter(key string) bool {
	for _, r := range key {
		if c := runeClass(r); c == clsLetter || c == clsKatakana || c == clsIdeo {
			return true
		}
	}
	return false
}
