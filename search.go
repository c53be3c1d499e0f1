package errref

// # Search
//
// Bleve builds the index; two identical searchers rank it: the Go Searcher
// (errref search, tests) and static/search.js in the browser. This comment
// is the ranking model both implement; search_parity_test.go holds them to
// the same hits and scores.
//
// Index. Every code is one bleve document in a scorch index built in one
// batch, in memory (scorch with an empty path, not NewMemOnly). Fields:
//
//	field       analyzer     boost  positions
//	code        errref_code  10
//	aliases     errref_code   8
//	title       en            4     yes
//	message     en            3     yes   (message and alt_messages)
//	causes      en            1.2
//	chain       en            1     (step and detail of each link)
//	resolution  en            0.8
//	note        en            0.6
//
// "en" is bleve's English analyzer (unicode words, possessive, lower case,
// stop words, Porter stemmer). errref_code keeps each code chunk whole and
// splits it (codeTokens): "desktop_login_accounts:5" gives
// desktop_login_accounts:5, desktop_login_accounts, 5, desktop, login,
// accounts; "accounts:53–55" also gives accounts:54 and 54.
//
// Export. search-index.json is read back out of bleve's index: for every
// field and term its postings (document, term frequency, and positions in
// title and message), each document's field length (the sum of its term
// frequencies: the tokens indexed, stop words excluded), a table of the
// documents, and a lexicon from analyzed term to the corpus words that
// analyze to it (every word whose analysis is not itself; "" lists the stop
// words), so the browser needs no stemmer. It also maps the key of every
// code, range member and alias (see Codes) to its documents, and every
// word of a synonym group and its term to the group's words that the
// index holds (see Synonyms).
//
// Query words. The query is split into words as bleve's unicode tokenizer
// splits text (tokenizeWords, checked against bleve on the corpus) and
// lower-cased: "AUTH:1" is auth and 1 at positions 1 and 2. At most 64
// words count. Two words joined by a single '-' are read as one when
// either is unknown and the two written together are known ("wi-fi" is
// wifi), and the words after them move up one position. A word w has English terms E(w): its lexicon term, or w
// itself when w is an indexed term (curly apostrophes read as straight
// ones, then a possessive 's dropped, when w is neither); and code terms
// C(w): the codeTokens of w that are indexed in code or aliases. A known
// word with neither is a stop word and is ignored; every other word, even
// unknown, is meaningful. A query without a meaningful word returns
// nothing.
//
// Word score. For a term in field f with boost B, N documents, term
// frequency tf, field length len and average field length avg (the field's
// tokens over all N documents):
//
//	idf  = round6(ln(1 + (N - df + 0.5) / (df + 0.5)))
//	bm25 = idf * tf*(k1+1) / (tf + k1*(1 - b + b*len/avg))     k1 = 1.2, b = 0.75
//	exact(w, d) = sum over fields, over E(w) in prose fields and C(w) in code fields, of B * bm25
//
// df counts the documents that contain the word in any field, a code term
// and the English term of the same word counting as one ("spotify" in
// com.spotify.installer, "spotifi" in prose): a word that is everywhere
// weighs little everywhere. round6 rounds to 1e-6, so that ln's last bit,
// which may differ between JavaScript engines, cannot change a score.
//
// Expansions. The last word, while it is typed (the query does not end in
// white space), is also a prefix: it matches the longer words of the
// lexicon and index that it begins, at 0.7 of their score, if it has 2
// characters or more and is not a stop word; 3 or more when it matches
// exactly and follows another meaningful word ("wi-fi" is finished, not
// the start of "firewall"). A word of 4 characters or
// more that matches nothing exactly matches the words within edit distance
// 1 (0.6), or for 8 characters or more distance 2 (0.4); distance counts
// insertions, deletions, substitutions and swaps of neighbours. Targets
// have 2 characters at least: the words of the lexicon, the terms that
// are words, and the words of synonym groups, so "soun" finds what "sound"
// finds. A word scores the best of its exact score
// and its expansions' scores, never their sum, so an expansion always
// scores below the same word typed in full.
//
// Synonyms. synonymGroups (search_synonyms.go) lists words that readers
// and pages use for one thing: "log in" and "sign in", "sound" and
// "audio", "song" and "track". A meaningful query word w, in the corpus
// or not, also matches each other word x of its groups (listed for w or
// for a term of E(w)) as if x had been typed: E(x) and C(x), at 0.8, one
// expansion per distinct x, so a code holding several scores the best,
// not the sum. A word with synonyms is not a typo. A prefix or typo
// expansion brings its target's synonyms at its factor times 0.8, so a
// mistyped word finds what the word finds.
//
// Order. For title and message, each pair of consecutive meaningful query
// words whose English terms occur in one value of the field at the same
// distance as in the query adds B to the score. A title or message value
// that holds all the meaningful words (two at least) as one chain, each at
// its distance in the query from the first, puts the document in the
// phrase tier; pairs found in separate places of a value do not. The word
// being typed also counts through the English terms of its prefix
// targets ("connectio" continues "no internet" as connection does); and
// when it begins a stop word, which is never indexed ("th" may become
// "the"), the words before it in one run are enough for the tier.
//
// Coverage. A document must match, exactly or by expansion, at least
// ceil(m/2) of the m meaningful words. Words that match more than half of
// the codes exactly ("spotify") count toward neither m nor the matches,
// unless every word is such a word. Nonsense matches no word and returns
// nothing; "spotify xqzv" returns nothing either.
//
// Codes. Codes, range members and aliases are compared by key: lower-case
// letters and digits only (codeKey), so "AUTH:1", "auth 1", "auth-1" and
// "auth1" are all auth1. A run of up to 8 query words whose joined key
// equals such a key (with a letter in it) is an exact code match: "error
// 17", or the "(Error code: accounts:103)" of a pasted dialog. While the
// query is typed, a query whose whole key (3 characters or more) begins
// the key of a code is a code prefix match.
//
// Tiers and score. score = the word scores in query order + the order
// bonus + tier * M, where M = 1 + the best score before tiers of any code
// for this query, so that a higher tier always ranks first. Tiers: 0 none,
// 1 phrase, 2 code prefix, 2+L exact code match over L query words (the
// longest run wins: "desktop login accounts 4" is desktop_login_accounts:4
// before accounts:4). Documents with a tier need no coverage. Hits are
// sorted by score, then by code in natural order. Filters (category,
// platform, severity, handling; the values of one facet are alternatives,
// facets combine) apply after scoring and never change a score; a facet's
// counts are the hits under the other facets' filters.
//
// Floating point. Both implementations do the same operations in the same
// order; Go converts products explicitly so that no multiply-add is fused.

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
	{"title", 4, false, true},
	{"message", 3, false, true},
	{"causes", 1.2, false, false},
	{"chain", 1, false, false},
	{"resolution", 0.8, false, false},
	{"note", 0.6, false, false},
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
	MaxWords  int     `json:"maxWords"`
	MaxSpan   int     `json:"maxSpan"`
	MinPrefix int     `json:"minPrefix"`
	// A last word that matches exactly and follows another meaningful
	// word is also a prefix only from this length: "wi-fi" typed is done,
	// not the start of "firewall".
	MinPrefixAfter int `json:"minPrefixAfter"`
	MinTypo        int `json:"minTypo"`
	LongTypo       int `json:"longTypo"`
	MinCodePref    int `json:"minCodePrefix"`
}

var defaultSearchParams = searchParams{
	K1: 1.2, B: 0.75,
	Prefix: 0.7, Typo1: 0.6, Typo2: 0.4, Synonym: 0.8,
	Phrase:   1,
	MaxWords: 64, MaxSpan: 8,
	MinPrefix: 2, MinPrefixAfter: 3, MinTypo: 4, LongTypo: 8, MinCodePref: 3,
}

// posShift packs an array position (which value of a multi-valued field)
// above the token position: positions beyond it are not exported.
const posShift = 1024

// searchExport is the layout of search-index.json.
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

// SearchIndex is the built index: bleve's scorch index read back into the
// export.
type SearchIndex struct {
	idx    bleve.Index
	codes  []*Code // in export order
	export *searchExport
}

// NewSearchIndex indexes the site's codes with bleve, in one batch, and
// reads the export back out of the index.
func NewSearchIndex(site *Site) (*SearchIndex, error) {
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
	ix := &SearchIndex{idx: idx}
	ix.codes = append(ix.codes, site.Codes...)
	sort.SliceStable(ix.codes, func(i, j int) bool {
		a, b := ix.codes[i], ix.codes[j]
		if a.Code != b.Code {
			return NaturalLess(a.Code, b.Code)
		}
		return a.Slug < b.Slug
	})
	batch := idx.NewBatch()
	for i, c := range ix.codes {
		if err := batch.Index(strconv.Itoa(i), searchDoc(c)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("search index: %s: %w", c.Code, err)
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

// JSON returns search-index.json. The bytes depend only on the site.
func (ix *SearchIndex) JSON() ([]byte, error) {
	return json.Marshal(ix.export)
}

// Close releases the bleve index.
func (ix *SearchIndex) Close() error {
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

// searchDoc is what bleve indexes for a code.
func searchDoc(c *Code) map[string]any {
	d := map[string]any{
		"code":    c.Code,
		"aliases": c.Aliases,
		"title":   c.Title,
		"message": c.Messages(),
	}
	var chain []string
	for _, s := range c.Chain {
		chain = append(chain, strings.TrimSpace(s.Step+" "+s.Detail))
	}
	d["chain"] = chain
	d["causes"] = stripLinks(c.Causes)
	d["resolution"] = stripLinks(c.Resolution)
	if c.Note != "" {
		d["note"] = stripLinks([]string{c.Note})
	}
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
func (ix *SearchIndex) read(m *mapping.IndexMappingImpl) (*searchExport, error) {
	ai, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := ai.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	n := len(ix.codes)
	ex := &searchExport{
		Version: 1,
		Params:  defaultSearchParams,
		Lex:     map[string]string{},
		Codes:   map[string][]int{},
		Aliases: map[string][]int{},
	}
	docOf := map[string]int{}
	for i := range ix.codes {
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
	for _, c := range ix.codes {
		msg := ""
		if ms := c.Messages(); len(ms) > 0 {
			msg = ms[0]
		}
		ex.Docs = append(ex.Docs, []string{c.Slug, c.Code, c.Title, c.Severity, c.Category, strings.Join(c.Platforms, " "), c.Handling, msg})
	}
	if err := ix.words(m, ex, codeTerms); err != nil {
		return nil, err
	}
	for i, c := range ix.codes {
		for _, k := range codeKeys(c.Code) {
			addDoc(ex.Codes, k, i)
		}
		for _, a := range c.Aliases {
			for _, k := range codeKeys(a) {
				addDoc(ex.Aliases, k, i)
			}
		}
	}
	return ex, nil
}

func addDoc(m map[string][]int, k string, d int) {
	if k == "" || !hasLetter(k) {
		return
	}
	ds := m[k]
	if len(ds) > 0 && ds[len(ds)-1] == d {
		return
	}
	m[k] = append(ds, d)
}

// codeKeys returns the key of a code or alias and, for a range code, the
// keys of its members.
func codeKeys(s string) []string {
	keys := []string{codeKey(s)}
	f := strings.FieldsFunc(s, spaceRune)
	if len(f) == 0 {
		return keys
	}
	last := trimNonWord([]rune(f[len(f)-1]))
	if prefix, lo, hi, ok := numericRange(last); ok {
		head := strings.Join(f[:len(f)-1], " ")
		for v := lo; v <= hi; v++ {
			keys = append(keys, codeKey(head+" "+prefix+strconv.Itoa(v)))
		}
	}
	return keys
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
func (ix *SearchIndex) words(m *mapping.IndexMappingImpl, ex *searchExport, codeTerms map[string]bool) error {
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
	for _, c := range ix.codes {
		doc := searchDoc(c)
		for _, f := range searchFields {
			if f.code {
				continue
			}
			for _, text := range docTexts(doc[f.name]) {
				for _, t := range tok.Tokenize([]byte(text)) {
					w := lowerString(string(t.Term))
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

func lowerString(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(lowerRune(r))
	}
	return b.String()
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
