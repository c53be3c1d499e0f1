package search

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/errref/errref/internal/rules"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// searchField describes one indexed field of the model.
type searchField struct {
	name  string
	boost float64
	code  bool // errref_code analyzer; else en
	pos   bool // positions exported for the order bonus
}

var searchFields = []searchField{
	{"code", 10, true, false},
	{"aliases", 8, true, false},
	{"names", 2, false, false},
	{"title", 4, false, true},
	{"message", 3, false, true},
	{"body", 1, false, false},
}

// searchParams are the constants of the model, exported with the index so
// that search.js reads the same values.
type searchParams struct {
	K1        float64 `json:"k1"`
	B         float64 `json:"b"`
	Prefix    float64 `json:"prefix"`
	Typo1     float64 `json:"typo1"`
	Typo2     float64 `json:"typo2"`
	Synonym   float64 `json:"synonym"`
	Phrase    float64 `json:"phrase"`
	Near      float64 `json:"near"`
	MaxWords  int     `json:"maxWords"`
	MaxSpan   int     `json:"maxSpan"`
	MaxNeed   int     `json:"maxNeed"`
	MinPrefix int     `json:"minPrefix"`
	// A last word that matches exactly and follows another meaningful
	// word is also a prefix only from this length: "wi-fi" typed is done,
	// not the start of "firewall".
	MinPrefixAfter int `json:"minPrefixAfter"`
	MinTypo        int `json:"minTypo"`
	LongTypo       int `json:"longTypo"`
	// Typos are corrected only in queries of at most this many meaningful
	// words: in a pasted page, a word that matches nothing is noise.
	TypoWords   int `json:"typoWords"`
	MinCodePref int `json:"minCodePrefix"`
	// HTTPWords make a number from 100 to 599 within HTTPSpan words after
	// one of them an HTTP status.
	HTTPWords []string `json:"httpWords"`
	HTTPSpan  int      `json:"httpSpan"`
	// Generic are the code families whose number alone does not tell
	// which code it is ("Error 17"): such a string names no unknown code
	// when its number is the number of some code.
	Generic []string `json:"generic"`
	// Labels are the words that say a code follows ("Error code:"): before
	// a run that names a code, they count as words of the run.
	Labels []string `json:"labels"`
}

var defaultSearchParams = searchParams{
	K1: 1.2, B: 0.75,
	Prefix: 0.7, Typo1: 0.6, Typo2: 0.4, Synonym: 0.8,
	Phrase: 1, Near: 2,
	MaxWords: 400, MaxSpan: 8, MaxNeed: 3,
	MinPrefix: 2, MinPrefixAfter: 3, MinTypo: 4, LongTypo: 8, TypoWords: 16, MinCodePref: 3,
	HTTPWords: []string{"http", "status", "api"}, HTTPSpan: 3,
	Generic: []string{"error"},
	Labels:  []string{"error", rules.Filler},
}

// posShift packs an array position (which value of a multi-valued field)
// above the token position: positions beyond it are not exported.
const posShift = 1024

// exportVersion is the layout version of search-index.json; both
// searchers refuse another.
const exportVersion = 3

// searchExport is what search-index.json holds, unpacked (see wire.go
// for how it is packed).
type searchExport struct {
	Version int           `json:"version"`
	Params  searchParams  `json:"params"`
	Fields  []exportField `json:"fields"`
	// Docs are the codes in natural order of their code: slug, code,
	// title, severity, category, platforms (space separated), handling,
	// message.
	Docs [][]string `json:"docs"`
	// Lex maps an analyzed term (several are space separated) to the
	// words, space separated, that analyze to it, for every word whose
	// analysis is not the word itself; "" lists the stop words.
	Lex     map[string]string `json:"lex"`
	Codes   map[string][]int  `json:"codes"`   // code key -> documents (codes and range members)
	Aliases map[string][]int  `json:"aliases"` // alias key -> documents
	// Syn maps a word of a synonym group, or its term, to the words of
	// the group that the index holds, space separated (synonymGroups).
	Syn map[string]string `json:"syn"`
}

type exportField struct {
	Name  string  `json:"name"`
	Boost float64 `json:"boost"`
	Code  bool    `json:"code,omitempty"`
	Pos   bool    `json:"pos,omitempty"`
	Lens  []int   `json:"lens"`
	// Postings maps a term to its documents in ascending order, packed
	// (see packPostings).
	Postings map[string][]int `json:"postings"`
}

// doc table columns.
const (
	docSlug = iota
	docCode
	docTitle
	docSeverity
	docCategory
	docPlatforms
	docHandling
	docMessage
)

// Doc is what the index holds of one code: the fields of its YAML file
// that search reads, in plain values.
type Doc struct {
	Slug      string
	Code      string
	Title     string
	Severity  string
	Category  string
	Platforms []string
	Handling  string
	// Messages are the displayed message first, then the other messages
	// shown for the code.
	Messages []string
	Aliases  []string
	// Chain holds each link of the cause chain: its step and detail.
	Chain []string
	// Causes and Resolution are inline Markdown; links keep their text
	// only. (The note is not indexed; see the package documentation.)
	Causes     []string
	Resolution []string
}

// Index is the built index: bleve's scorch index read back into the
// export.
type Index struct {
	idx    bleve.Index
	docs   []Doc // in export order
	export *searchExport
}

// NewIndex indexes the codes with bleve, in one batch, and reads the
// export back out of the index. The order of docs does not matter: the
// export holds them in natural order of their code.
func NewIndex(docs []Doc) (*Index, error) {
	m, err := searchMapping()
	if err != nil {
		return nil, err
	}
	// An empty path keeps scorch in memory; scorch, unlike upsidedown
	// (NewMemOnly), stores the field lengths and frequencies BM25 needs.
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	ix := &Index{idx: idx}
	ix.docs = append(ix.docs, docs...)
	sort.SliceStable(ix.docs, func(i, j int) bool {
		a, b := ix.docs[i], ix.docs[j]
		if a.Code != b.Code {
			return rules.NaturalLess(a.Code, b.Code)
		}
		return a.Slug < b.Slug
	})
	batch := idx.NewBatch()
	for i := range ix.docs {
		if err := batch.Index(strconv.Itoa(i), bleveDoc(&ix.docs[i])); err != nil {
			idx.Close()
			return nil, fmt.Errorf("search index: %s: %w", ix.docs[i].Code, err)
		}
	}
	if err := idx.Batch(batch); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	if ix.export, err = ix.read(m); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	return ix, nil
}

// JSON returns search-index.json. The bytes depend only on the codes.
func (ix *Index) JSON() ([]byte, error) {
	return encodeWire(ix.export)
}

// Close releases the bleve index.
func (ix *Index) Close() error {
	return ix.idx.Close()
}

func searchMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range searchFields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = en.AnalyzerName
		if f.code {
			fm.Analyzer = codeAnalyzerName
		}
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = true
		fm.DocValues = false
		dm.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = dm
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("search mapping: %w", err)
	}
	return m, nil
}

// bleveDoc is what bleve indexes for a code.
func bleveDoc(c *Doc) map[string]any {
	names := []string{nameText(c.Code)}
	for _, a := range c.Aliases {
		names = append(names, nameText(a))
	}
	d := map[string]any{
		"code":    c.Code,
		"aliases": c.Aliases,
		"names":   names,
		"title":   c.Title,
		"message": c.Messages,
	}
	// The note is not indexed: it tells codes apart and explains, in
	// words that match many codes; without it the real queries rank as
	// well and the index is a seventh smaller.
	body := append(append([]string{}, stripLinks(c.Causes)...), c.Chain...)
	d["body"] = append(body, stripLinks(c.Resolution)...)
	return d
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)

// stripLinks keeps the text of Markdown links and drops their targets,
// whose URL words are noise for search.
func stripLinks(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdLink.ReplaceAllString(s, "$1")
	}
	return out
}

// read builds the export from bleve's index.
func (ix *Index) read(m *mapping.IndexMappingImpl) (*searchExport, error) {
	ai, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := ai.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n := len(ix.docs)
	ex := &searchExport{
		Version: exportVersion,
		Params:  defaultSearchParams,
		Lex:     map[string]string{},
		Codes:   map[string][]int{},
		Aliases: map[string][]int{},
	}
	docOf := map[string]int{}
	for i := range ix.docs {
		docOf[strconv.Itoa(i)] = i
	}
	codeTerms := map[string]bool{}
	for _, f := range searchFields {
		ef := exportField{Name: f.name, Boost: f.boost, Code: f.code, Pos: f.pos, Lens: make([]int, n), Postings: map[string][]int{}}
		terms, err := fieldTerms(r, f.name)
		if err != nil {
			return nil, err
		}
		for _, term := range terms {
			ps, err := termPostings(r, term, f, docOf, ef.Lens)
			if err != nil {
				return nil, err
			}
			if len(ps) > 0 {
				ef.Postings[term] = ps
				if f.code {
					codeTerms[term] = true
				}
			}
		}
		ex.Fields = append(ex.Fields, ef)
	}
	for _, c := range ix.docs {
		msg := ""
		if len(c.Messages) > 0 {
			msg = c.Messages[0]
		}
		ex.Docs = append(ex.Docs, []string{c.Slug, c.Code, c.Title, c.Severity, c.Category, strings.Join(c.Platforms, " "), c.Handling, msg})
	}
	if err := ix.words(m, ex, codeTerms); err != nil {
		return nil, err
	}
	for i, c := range ix.docs {
		for _, k := range rules.CodeKeys(c.Code) {
			addDoc(ex.Codes, k, i)
		}
		for _, a := range c.Aliases {
			for _, k := range rules.CodeKeys(a) {
				addDoc(ex.Aliases, k, i)
			}
		}
	}
	return ex, nil
}

func addDoc(m map[string][]int, k string, d int) {
	if k == "" || !rules.HasLetter(k) {
		return
	}
	ds := m[k]
	if len(ds) > 0 && ds[len(ds)-1] == d {
		return
	}
	m[k] = append(ds, d)
}

func fieldTerms(r index.IndexReader, field string) ([]string, error) {
	fd, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var terms []string
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	sort.Strings(terms)
	return terms, nil
}

// termPostings reads one term's postings in document order and adds its
// frequencies to the field lengths.
func termPostings(r index.IndexReader, term string, f searchField, docOf map[string]int, lens []int) ([]int, error) {
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), f.name, true, false, f.pos)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	type posting struct {
		doc, tf int
		pos     []int
	}
	var ps []posting
	for {
		td, err := tfr.Next(nil)
		if err != nil {
			return nil, err
		}
		if td == nil {
			break
		}
		id, err := r.ExternalID(td.ID)
		if err != nil {
			return nil, err
		}
		d, ok := docOf[id]
		if !ok {
			return nil, fmt.Errorf("unknown document %q", id)
		}
		p := posting{doc: d, tf: int(td.Freq)}
		lens[d] += p.tf
		if f.pos {
			for _, v := range td.Vectors {
				var arr uint64
				if len(v.ArrayPositions) > 0 {
					arr = v.ArrayPositions[0]
				}
				if v.Pos < posShift && arr < 1<<20 {
					p.pos = append(p.pos, int(arr)*posShift+int(v.Pos))
				}
			}
			sort.Ints(p.pos)
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].doc < ps[j].doc })
	var docs, tfs []int
	var pos [][]int
	for _, p := range ps {
		docs = append(docs, p.doc)
		tfs = append(tfs, p.tf)
		if f.pos {
			// The order bonus needs tf positions; pad when some were
			// beyond posShift so that the layout stays fixed.
			for len(p.pos) < p.tf {
				p.pos = append(p.pos, 0)
			}
			pos = append(pos, p.pos[:p.tf])
		}
	}
	return packPostings(docs, tfs, pos), nil
}

// packPostings packs postings into integers: for each document, in
// ascending order, (doc - previous doc) * 4 + min(tf, 4) - 1 (the previous
// doc of the first is -1), then tf itself when it is 4 or more, then, in a
// positional field, the tf positions as differences from the previous one
// (the first from 0).
func packPostings(docs, tfs []int, pos [][]int) []int {
	var out []int
	prev := -1
	for i, d := range docs {
		tf := tfs[i]
		out = append(out, (d-prev)*4+min(tf, 4)-1)
		if tf >= 4 {
			out = append(out, tf)
		}
		prev = d
		if pos != nil {
			last := 0
			for _, p := range pos[i] {
				out = append(out, p-last)
				last = p
			}
		}
	}
	return out
}

// words fills the lexicon.
func (ix *Index) words(m *mapping.IndexMappingImpl, ex *searchExport, codeTerms map[string]bool) error {
	ana := m.AnalyzerNamed(en.AnalyzerName)
	if ana == nil {
		return fmt.Errorf("no %q analyzer", en.AnalyzerName)
	}
	analyze := func(w string) string {
		var ts []string
		for _, t := range ana.Analyze([]byte(w)) {
			ts = append(ts, string(t.Term))
		}
		return strings.Join(ts, " ")
	}
	stems := map[string]string{}
	tok := unicode.NewUnicodeTokenizer()
	for i := range ix.docs {
		doc := bleveDoc(&ix.docs[i])
		for _, f := range searchFields {
			if f.code {
				continue
			}
			for _, text := range docTexts(doc[f.name]) {
				for _, t := range tok.Tokenize([]byte(text)) {
					w := rules.LowerString(string(t.Term))
					if _, ok := stems[w]; !ok {
						stems[w] = analyze(w)
					}
				}
			}
		}
	}
	for t := range codeTerms {
		if ws := tokenizeWords(t); len(ws) == 1 && ws[0].word == t {
			if _, ok := stems[t]; !ok {
				stems[t] = analyze(t)
			}
		}
	}
	stop, err := stopWords()
	if err != nil {
		return err
	}
	for w := range stop {
		if _, ok := stems[w]; !ok {
			stems[w] = ""
		}
	}
	ex.Syn = synonymTable(func(w string) []string {
		return strings.Fields(analyze(w))
	}, func(w string) bool {
		if codeTerms[w] {
			return true
		}
		for _, t := range strings.Fields(analyze(w)) {
			for _, f := range ex.Fields {
				if _, ok := f.Postings[t]; ok && !f.Code {
					return true
				}
			}
		}
		return false
	})
	for w, t := range stems {
		if t != w {
			if ex.Lex[t] != "" {
				ex.Lex[t] += " "
			}
			ex.Lex[t] += w
		}
	}
	// Sort each group so that the bytes do not depend on map order.
	for t, ws := range ex.Lex {
		f := strings.Fields(ws)
		sort.Strings(f)
		ex.Lex[t] = strings.Join(f, " ")
	}
	return nil
}

func docTexts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	}
	return nil
}

func stopWords() (analysis.TokenMap, error) {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		return nil, err
	}
	return tm, nil
}
