package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// This file lends the external tests (package search_test, which may
// import the root package for the real corpus) a few internals.

// Export is the layout of search-index.json.
type Export = searchExport

// EncodeExport packs an export as search-index.json.
func EncodeExport(ex *Export) ([]byte, error) { return encodeWire(ex) }

// DecodeExport unpacks search-index.json.
func DecodeExport(data []byte) (*Export, error) { return decodeWire(data) }

// SynonymGroups are the synonym groups of the model.
var SynonymGroups = synonymGroups

// FieldNames are the indexed fields, in the model's order.
func FieldNames() []string {
	var out []string
	for _, f := range searchFields {
		out = append(out, f.name)
	}
	return out
}

// TokenWords splits s as the query tokenizer does, as "word@position";
// it fails on a word with empty offsets.
func TokenWords(s string) ([]string, error) {
	var out []string
	for _, w := range tokenizeWords(s) {
		if s[w.start:w.end] == "" {
			return nil, fmt.Errorf("%q: empty word at %d", s, w.start)
		}
		out = append(out, fmt.Sprintf("%s@%d", w.word, w.pos))
	}
	return out, nil
}

// Words returns the words of s as the query tokenizer splits them.
func Words(s string) []string {
	var out []string
	for _, w := range tokenizeWords(s) {
		out = append(out, w.word)
	}
	return out
}

// ProseTexts returns every prose value bleve indexes for d.
func ProseTexts(d Doc) []string {
	doc := bleveDoc(&d)
	var out []string
	for _, f := range searchFields {
		if !f.code {
			out = append(out, docTexts(doc[f.name])...)
		}
	}
	return out
}

// Bleve returns the bleve index.
func (ix *Index) Bleve() bleve.Index { return ix.idx }

// Slug returns the slug of the document bleve knows as id.
func (ix *Index) Slug(id int) string { return ix.docs[id].Slug }

// CodeFieldTerms returns the terms of the code and aliases fields.
func (ix *Index) CodeFieldTerms() []string {
	var out []string
	for _, f := range ix.export.Fields {
		if f.Code {
			for t := range f.Postings {
				out = append(out, t)
			}
		}
	}
	return out
}

// AnalyzedWords returns the meaningful and stop words of a query as the
// searcher reads them, as "word@position".
func (s *Searcher) AnalyzedWords(q string) []string {
	words, _ := s.analyze(q)
	var out []string
	for _, w := range words {
		out = append(out, fmt.Sprintf("%s@%d", w.word, w.pos))
	}
	return out
}

// PhraseTiers runs the order bonus alone for q over every document and
// returns each slug's tier (1 for the phrase tier) and whether any
// document got a bonus.
func (s *Searcher) PhraseTiers(q string) (map[string]int, bool) {
	words, typing := s.analyze(q)
	acc := map[int]*scored{}
	for d := range s.n {
		acc[d] = &scored{}
	}
	s.orderBonus(words, typing, acc)
	out := map[string]int{}
	bonus := false
	for d, sc := range acc {
		out[s.docs[d][docSlug]] = sc.tier
		bonus = bonus || sc.base > 0
	}
	return out, bonus
}
