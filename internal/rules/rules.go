// Package rules holds the rules that several stages of errref share, so
// that each is written once and no stage reaches into another for it. It
// imports nothing of errref's.
//
//   - Code keys and order (this file): how codes, aliases and range
//     members compare (CodeKey, CodeKeys) and sort (NaturalLess); check,
//     the model and search.
//   - Slugs and the shape of a code (slug.go): Slug, IsSlug, SlugPattern,
//     CodeShape; load, check and its JSON Schema, new, the renderer.
//   - Link classes (links.go): ClassifyLink, which check, the renderer and
//     the link checker ask about a Markdown link target, and ResolveLink,
//     the address the browser requests for it.
//   - Message grouping (messages.go): NormalizeMessage and SameMessage,
//     behind both the "same message" list of a page and check's WARN001.
//   - Vocabularies and labels (labels.go): severities, handlings, chain
//     states and the kinds of listing, with their labels and advice, for
//     every page, feed and API; the pages hand them to app.js as data.
//
// # Code keys
//
// A code, a member of a range code and an alias are compared by their key
// (CodeKey): the lower-cased letters and digits of the string, everything
// else dropped, so "AUTH:1", "auth 1", "auth-1" and "auth1" are all
// "auth1". Two strings with one key are one string to a reader typing it
// and to search, which puts every code whose key matches the query first:
// so validation lets a key lead to one code only. static/search.js
// computes the same key, letter for letter.
//
// The characters of a word (WordRune) and their lower case (Lower) follow
// the word-boundary classes of Unicode text segmentation (UAX #29) as
// bleve's unicode tokenizer applies them, for the scripts the corpus
// uses (Class).
package rules

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Class is a character class of the word-boundary rules (UAX #29,
// simplified to the rules that matter for Latin, Greek, Cyrillic and
// Japanese text).
type Class int

const (
	Other     Class = iota
	Letter          // ALetter
	Digit           // Numeric
	Extend          // ExtendNumLet: '_' joins anything
	MidLetter       // ':' joins letters
	MidNumLet       // '.' and apostrophes join letters or digits
	MidNum          // ',' and ';' join digits
	Katakana        // joins with itself
	Ideo            // a word of its own
)

// ClassOf returns the class of r.
func ClassOf(r rune) Class {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		return Letter
	case r >= '0' && r <= '9':
		return Digit
	case r == '_':
		return Extend
	case r == ':':
		return MidLetter
	case r == '.', r == '\'':
		return MidNumLet
	case r == ',', r == ';':
		return MidNum
	case r < 0x80:
		return Other
	}
	switch r {
	case 0xB7, 0x387, 0x5F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A:
		return MidLetter
	case 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E:
		return MidNumLet
	case 0x37E, 0x589, 0x60C, 0x60D, 0x66C, 0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54, 0xFF0C, 0xFF1B:
		return MidNum
	case 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F:
		return Extend
	case 0xAA, 0xB5, 0xBA:
		return Letter
	case 0xD7, 0xF7:
		return Other
	}
	switch {
	case r >= 0xC0 && r <= 0x52F, r >= 0x1E00 && r <= 0x1FFF:
		return Letter
	case r >= 0x30A0 && r <= 0x30FF:
		return Katakana
	case r >= 0x3040 && r <= 0x309F, r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF:
		return Ideo
	}
	return Other
}

// WordRune reports whether r can be part of a word on its own (not only
// between two word characters).
func WordRune(r rune) bool {
	switch ClassOf(r) {
	case Letter, Digit, Katakana, Ideo:
		return true
	}
	return false
}

// Lower lower-cases one code point. U+0130 is kept because JavaScript
// lower-cases it to two code points.
func Lower(r rune) rune {
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

// LowerString lower-cases s with Lower.
func LowerString(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(Lower(r))
	}
	return b.String()
}

// Space reports whether r is white space: it separates the chunks of a
// code ("com.spotify.installer -3").
func Space(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', 0xA0, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// CodeKey normalises a code, an alias or a run of query words: its
// lower-cased letters and digits only, so "AUTH:1", "auth 1", "auth-1"
// and "auth1" are all "auth1".
func CodeKey(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if WordRune(r) {
			b = utf8.AppendRune(b, Lower(r))
		}
	}
	return string(b)
}

// CodeKeys returns the keys of a code or alias: its key; when the word
// "code" stands alone after the first word, the key without it (a reader
// types "error code 30" and "error 30" alike); and when its last chunk is
// a numeric range ("accounts:53–55"), the keys of its members
// (accounts53, accounts54, accounts55): a reader who saw accounts:54
// types that.
func CodeKeys(s string) []string {
	keys := []string{CodeKey(s)}
	if k := CodeKey(DropFiller(s)); k != keys[0] {
		keys = append(keys, k)
	}
	f := strings.FieldsFunc(s, Space)
	if len(f) == 0 {
		return keys
	}
	last := TrimNonWord([]rune(f[len(f)-1]))
	if prefix, lo, hi, ok := NumericRange(last); ok {
		head := strings.Join(f[:len(f)-1], " ")
		for v := lo; v <= hi; v++ {
			keys = append(keys, CodeKey(head+" "+prefix+strconv.Itoa(v)))
		}
	}
	return keys
}

// Filler is the word that a code's key may leave out when it stands alone
// after the first word: "Error code: 17" is "error 17".
const Filler = "code"

// DropFiller removes every word Filler (any case) that stands alone after
// the first word of s; a word is a run of word characters and '_'.
func DropFiller(s string) string {
	rs := []rune(s)
	var b strings.Builder
	first := true
	for i := 0; i < len(rs); {
		if !WordRune(rs[i]) && rs[i] != '_' {
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && (WordRune(rs[j]) || rs[j] == '_') {
			j++
		}
		w := string(rs[i:j])
		if first || !strings.EqualFold(w, Filler) {
			b.WriteString(w)
		}
		first = false
		i = j
	}
	return b.String()
}

// HasLetter reports whether a code key contains a letter. Search matches
// only such keys: a key of digits alone ("17") would match any number in
// a pasted text.
func HasLetter(key string) bool {
	for _, r := range key {
		if c := ClassOf(r); c == Letter || c == Katakana || c == Ideo {
			return true
		}
	}
	return false
}

// TrimNonWord drops leading and trailing characters that cannot stand
// alone in a word.
func TrimNonWord(rs []rune) []rune {
	i, j := 0, len(rs)
	for i < j && !WordRune(rs[i]) {
		i++
	}
	for j > i && !WordRune(rs[j-1]) {
		j--
	}
	return rs[i:j]
}

// MaxRange bounds how many members a range code expands to.
const MaxRange = 32

// NumericRange recognises a chunk that ends in "<lo><dash><hi>", where the
// dash is '-', '–', '—' or '−' and lo < hi ≤ lo+MaxRange, and returns the
// text before lo (empty or ending in a non-digit).
func NumericRange(rs []rune) (prefix string, lo, hi int, ok bool) {
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
	if hi <= lo || hi-lo > MaxRange {
		return "", 0, 0, false
	}
	return string(rs[:m]), lo, hi, true
}

// NaturalLess orders codes with runs of digits compared as numbers, so
// accounts:4 comes before accounts:53.
func NaturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			na, _ := strconv.ParseUint(da, 10, 64)
			nb, _ := strconv.ParseUint(db, 10, 64)
			if na != nb {
				return na < nb
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		ca, cb := strings.ToLower(a[:1]), strings.ToLower(b[:1])
		if ca != cb {
			return ca < cb
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
