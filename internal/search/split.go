package search

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/errref/errref/internal/rules"
)

// The split layout serves a large corpus in parts, so that the first
// search downloads a small part of the index: search-index.json holds
// what every search needs (the vocabulary of words, the codes and their
// facets), search/t<i>.json the postings of a range of terms, and
// search/d<i>.json the titles and messages of a range of documents. See
// the package documentation, section Layouts.

// SplitAbove is the size of the single layout's search-index.json, in
// bytes, above which Files uses the split layout.
const SplitAbove = 256 << 10

const (
	// termPartBytes is about the size of one term part before gzip.
	termPartBytes = 4 << 10
	// docPartDocs is the number of documents in one document part.
	docPartDocs = 4
)

// splitBase is the JSON of search-index.json in the split layout.
type splitBase struct {
	Version int          `json:"version"`
	Layout  string       `json:"layout"` // "split"
	Params  searchParams `json:"params"`
	N       int          `json:"n"`
	Fields  []splitField `json:"fields"`
	// Words lists, as Vocab of the single layout, the words of the
	// lexicon and the terms that are words (the targets of prefixes and
	// typos); a line of a word that is both ends in a second tab.
	Words string `json:"words"`
	// Codes are the documents' codes in document order, front-coded as
	// the vocabulary is.
	Codes string `json:"codes"`
	// Slugs holds the slugs that are not rules.Slug of their code, by
	// document.
	Slugs map[string]string `json:"slugs,omitempty"`
	// Facets: the values of each facet in FacetNames order (a platform
	// value is a space separated set), and for each document one number,
	// its value indexes in mixed radix, the first facet most significant.
	FacetValues [][]string       `json:"facetValues"`
	Facets      string           `json:"facets"`
	Aliases     map[string][]int `json:"aliases"`
	Syn         []string         `json:"syn"`
	TermParts   []string         `json:"termParts"` // the first term of each part
	DocPart     int              `json:"docPart"`   // documents per document part
}

type splitField struct {
	Name  string  `json:"name"`
	Boost float64 `json:"boost"`
	Code  bool    `json:"code,omitempty"`
	Pos   bool    `json:"pos,omitempty"`
	Total int     `json:"total"` // the tokens of all documents, for the average length
}

// splitTerms is the JSON of search/t<i>.json.
type splitTerms struct {
	// Terms of the part, sorted, front-coded.
	Terms string `json:"terms"`
	// Postings, per field: for each of its terms in the part, the
	// difference of the term's index from the previous one's (the first
	// from -1), its document frequency (see weigh), the count of numbers
	// that follow, and for each document: (document - previous document)
	// * 4 + min(tf, 4) - 1, then tf when it is 4 or more, the document's
	// length in the field, and in a positional field the number of values
	// of the field in the document, the length of each, and the tf
	// positions as differences.
	Postings []string `json:"postings"`
}

// Files returns the files of the index as the site serves them: in the
// single layout only search-index.json (JSON); when that would be larger
// than SplitAbove, the split layout. The bytes depend only on the codes.
func (ix *Index) Files() (map[string][]byte, error) {
	data, err := ix.JSON()
	if err != nil {
		return nil, err
	}
	if len(data) <= SplitAbove {
		return map[string][]byte{"search-index.json": data}, nil
	}
	return splitFiles(ix.export)
}

// SplitFiles returns the files of the split layout whatever the size, for
// tests and benchmarks.
func (ix *Index) SplitFiles() (map[string][]byte, error) {
	return splitFiles(ix.export)
}

// splitFiles writes an export in the split layout. It works from the
// searcher of the export, so that the document frequencies, field
// lengths and value lengths it sends are the ones the single layout's
// searchers work out.
func splitFiles(ex *searchExport) (map[string][]byte, error) {
	s, err := newSearcher(ex)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	base := splitBase{Version: exportVersion, Layout: "split", Params: ex.Params, N: s.n, Aliases: ex.Aliases, DocPart: docPartDocs}

	// Terms: all of them, sorted; words among them go to the base too.
	termSet := map[string]bool{}
	for _, f := range s.fields {
		base.Fields = append(base.Fields, splitField{Name: f.name, Boost: f.boost, Code: f.code, Pos: f.pos, Total: f.total})
		for t := range f.terms {
			termSet[t] = true
		}
	}
	terms := make([]string, 0, len(termSet))
	for t := range termSet {
		terms = append(terms, t)
	}
	sort.Strings(terms)

	// Words: the lexicon and the terms that are words.
	wordSet := map[string]bool{}
	for w := range s.stems {
		wordSet[w] = true
	}
	for _, t := range terms {
		if isWord(t) {
			wordSet[t] = true
		}
	}
	words := make([]string, 0, len(wordSet))
	for w := range wordSet {
		words = append(words, w)
	}
	sort.Strings(words)
	var wb strings.Builder
	prev := ""
	for i, w := range words {
		if i > 0 {
			wb.WriteByte('\n')
		}
		frontCode(&wb, prev, w)
		if t, ok := s.stems[w]; ok {
			wb.WriteByte('\t')
			wb.WriteString(stemSpec(w, t))
			if termSet[w] {
				wb.WriteByte('\t')
			}
		}
		prev = w
	}
	base.Words = wb.String()

	// Codes, slugs and facets.
	var cb strings.Builder
	prev = ""
	values := make([]map[string]int, len(FacetNames))
	for i := range values {
		values[i] = map[string]int{}
	}
	facetOf := func(d []string) []string {
		return []string{d[docCategory], d[docPlatforms], d[docSeverity], d[docHandling]}
	}
	for i, d := range s.docs {
		if i > 0 {
			cb.WriteByte('\n')
		}
		if strings.ContainsAny(d[docCode], "\n") {
			return nil, fmt.Errorf("code %q holds a line break", d[docCode])
		}
		frontCode(&cb, prev, d[docCode])
		prev = d[docCode]
		if d[docSlug] != rules.Slug(d[docCode]) {
			if base.Slugs == nil {
				base.Slugs = map[string]string{}
			}
			base.Slugs[strconv.Itoa(i)] = d[docSlug]
		}
		for fi, v := range facetOf(d) {
			if _, ok := values[fi][v]; !ok {
				values[fi][v] = 0
			}
		}
	}
	base.Codes = cb.String()
	for fi := range values {
		var vs []string
		for v := range values[fi] {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		for i, v := range vs {
			values[fi][v] = i
		}
		base.FacetValues = append(base.FacetValues, vs)
	}
	var fb []byte
	for _, d := range s.docs {
		n := 0
		for fi, v := range facetOf(d) {
			n = n*len(base.FacetValues[fi]) + values[fi][v]
		}
		fb = appendNum(fb, n)
	}
	base.Facets = string(fb)

	// Synonyms, as in the single layout.
	wx, err := encodeWireSyn(ex.Syn)
	if err != nil {
		return nil, err
	}
	base.Syn = wx

	// Term parts.
	for start := 0; start < len(terms); {
		end, size := start, 0
		for end < len(terms) && (end == start || size < termPartBytes) {
			for _, f := range s.fields {
				if p := f.terms[terms[end]]; p != nil {
					size += 4 * len(p.docs)
					for _, ps := range p.pos {
						size += len(ps)
					}
				}
			}
			size += len(terms[end])
			end++
		}
		part := splitTerms{}
		var tb strings.Builder
		prev := ""
		for i, t := range terms[start:end] {
			if i > 0 {
				tb.WriteByte('\n')
			}
			frontCode(&tb, prev, t)
			prev = t
		}
		part.Terms = tb.String()
		for _, f := range s.fields {
			var pb []byte
			last := -1
			for i, t := range terms[start:end] {
				p := f.terms[t]
				if p == nil {
					continue
				}
				nums := splitPostings(f, p)
				pb = appendNum(pb, i-last)
				pb = appendNum(pb, p.df)
				pb = appendNum(pb, len(nums))
				for _, n := range nums {
					pb = appendNum(pb, n)
				}
				last = i
			}
			part.Postings = append(part.Postings, string(pb))
		}
		data, err := json.Marshal(part)
		if err != nil {
			return nil, err
		}
		files[fmt.Sprintf("search/t%d.json", len(base.TermParts))] = data
		base.TermParts = append(base.TermParts, terms[start])
		start = end
	}

	// Document parts: title and message.
	for start := 0; start < s.n; start += docPartDocs {
		var rows [][]string
		for d := start; d < min(start+docPartDocs, s.n); d++ {
			rows = append(rows, []string{s.docs[d][docTitle], s.docs[d][docMessage]})
		}
		data, err := json.Marshal(rows)
		if err != nil {
			return nil, err
		}
		files[fmt.Sprintf("search/d%d.json", start/docPartDocs)] = data
	}

	data, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	files["search-index.json"] = data
	return files, nil
}

// splitPostings writes one term's postings of field f with what a
// searcher that has no other postings needs: each document's length in
// the field and, in a positional field, its values' lengths.
func splitPostings(f *sField, p *sPosting) []int {
	var out []int
	prev := -1
	for j, d := range p.docs {
		tf := p.tfs[j]
		out = append(out, (d-prev)*4+min(tf, 4)-1)
		if tf >= 4 {
			out = append(out, tf)
		}
		out = append(out, f.lens[d])
		prev = d
		if f.pos {
			out = append(out, len(f.vlen[d]))
			out = append(out, f.vlen[d]...)
			last := 0
			for _, q := range p.pos[j] {
				out = append(out, q-last)
				last = q
			}
		}
	}
	return out
}

// frontCode writes w after prev: the length of the prefix they share (one
// character of wireAlphabet) and the rest of w. Only an ASCII prefix is
// shared, so that the count is the same in bytes and in JavaScript's
// UTF-16 units.
func frontCode(b *strings.Builder, prev, w string) {
	k := 0
	for k < len(prev) && k < len(w) && k < 63 && prev[k] == w[k] && w[k] < 0x80 {
		k++
	}
	b.WriteByte(wireAlphabet[k])
	b.WriteString(w[k:])
}

// isWord reports whether t is one word to the query tokenizer.
func isWord(t string) bool {
	ws := tokenizeWords(t)
	return len(ws) == 1 && ws[0].word == t
}

// encodeWireSyn writes the synonym table by its values (see wireExport).
func encodeWireSyn(syn map[string]string) ([]string, error) {
	byValue := map[string][]string{}
	for k, v := range syn {
		if strings.Contains(v, "|") || strings.Contains(k, "|") {
			return nil, fmt.Errorf("synonym %q holds |", k)
		}
		byValue[v] = append(byValue[v], k)
	}
	var out []string
	for v, ks := range byValue {
		sort.Strings(ks)
		out = append(out, v+"|"+strings.Join(ks, " "))
	}
	sort.Strings(out)
	return out, nil
}

// WholeScript returns static/search.js without the code that only the
// split layout runs: the lines from one holding //<split> to the next
// holding //</split>. A site whose index is whole serves it so, saving a
// tenth of the script; its searcher's need lists nothing.
func WholeScript(js []byte) ([]byte, error) {
	var out []byte
	in := false
	for i, line := range strings.SplitAfter(string(js), "\n") {
		switch strings.TrimSpace(line) {
		case "//<split>":
			if in {
				return nil, fmt.Errorf("search.js:%d: //<split> inside another", i+1)
			}
			in = true
			continue
		case "//</split>":
			if !in {
				return nil, fmt.Errorf("search.js:%d: //</split> without //<split>", i+1)
			}
			in = false
			continue
		}
		if !in {
			out = append(out, line...)
		}
	}
	if in {
		return nil, fmt.Errorf("search.js: //<split> is not closed")
	}
	return out, nil
}
