package search

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/errref/errref/internal/rules"
)

// Options narrow a search. Limit ≤ 0 means every hit. Filters map a
// facet ("category", "platform", "severity", "handling") to the values
// allowed; an empty list allows all.
type Options struct {
	Limit   int
	Filters map[string][]string
}

// Hit is one search result.
type Hit struct {
	Slug     string  `json:"slug"`
	Code     string  `json:"code"`
	Title    string  `json:"title"`
	Severity string  `json:"severity"`
	Score    float64 `json:"score"`
	// Match says why the code matched: "code" or "alias" (the query
	// holds it), "phrase" (its title or message holds the query's words
	// in order), "words", "prefix" (a word being typed, or the start of
	// its code) or "typo" (a word read as a near spelling).
	Match string `json:"match"`
}

// FacetNames are the filters, in the order the interface shows them.
var FacetNames = []string{"category", "platform", "severity", "handling"}

// Searcher ranks the codes of a search-index.json export; static/search.js
// is the same program in JavaScript.
type Searcher struct {
	p         searchParams
	n         int
	docs      [][]string
	facets    [][][]string // per doc, per facet: its values
	fields    []*sField
	words     []string          // expansion targets
	wordRunes [][]rune          // the same, as runes
	wordTerms []expansion       // and their terms; factor 0 for stop words
	byLen     map[int][]int     // rune count -> indexes of words, ascending
	terms     map[string]bool   // every indexed term
	stems     map[string]string // word -> its terms, space separated, when not itself
	stops     []string          // the stop words: the words stems maps to ""
	codes     map[string][]int
	aliases   map[string][]int
	codeKeys  []string // sorted keys of codes, for the code prefix tier
	allKeys   []string // sorted keys of codes and aliases
	families  map[string][]familyMember
	generic   map[string]bool
	label     map[string]bool
	http      map[string]bool
	syn       map[string]string
}

// familyMember is a code whose key is a family's key and a number: auth:73
// is member 73 of the family "auth".
type familyMember struct {
	doc, n int
}

type sField struct {
	name  string
	lens  []int     // per document: its tokens in the field
	total int       // the tokens of all documents
	norm  []float64 // per document: k1*(1 - b + b*len/avg)
	boost float64
	code  bool
	pos   bool
	terms map[string]*sPosting
	vlen  [][]int // positional fields: per document, per value, its tokens
}

// sPosting is one term's postings with each document's weight
// boost*bm25 worked out once.
type sPosting struct {
	docs []int
	tfs  []int
	w    []float64
	pos  [][]int
	df   int // documents with the word in any field (see weigh)
}

// NewSearcher reads search-index.json in the single layout (Index.JSON).
func NewSearcher(indexJSON []byte) (*Searcher, error) {
	ex, err := decodeWire(indexJSON)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	return newSearcher(ex)
}

// newSearcher makes the searcher of an export.
func newSearcher(ex *searchExport) (*Searcher, error) {
	if p := ex.Params; p.K1 <= 0 || p.B < 0 || p.B > 1 || p.MaxWords < 1 || p.MaxSpan < 1 {
		return nil, fmt.Errorf("search index: bad parameters %+v", p)
	}
	s := &Searcher{
		p: ex.Params, n: len(ex.Docs), docs: ex.Docs,
		terms: map[string]bool{}, stems: map[string]string{},
		codes: ex.Codes, aliases: ex.Aliases, syn: ex.Syn,
	}
	for t, ws := range ex.Lex {
		for _, w := range strings.Fields(ws) {
			s.stems[w] = t
		}
	}
	for _, d := range ex.Docs {
		if len(d) <= docMessage {
			return nil, fmt.Errorf("search index: document row has %d columns, want %d", len(d), docMessage+1)
		}
		s.facets = append(s.facets, [][]string{{d[docCategory]}, strings.Fields(d[docPlatforms]), {d[docSeverity]}, {d[docHandling]}})
	}
	for _, m := range []map[string][]int{ex.Codes, ex.Aliases} {
		for k, ds := range m {
			for _, d := range ds {
				if d < 0 || d >= s.n {
					return nil, fmt.Errorf("search index: code key %q names document %d of %d", k, d, s.n)
				}
			}
		}
	}
	for k := range ex.Codes {
		s.codeKeys = append(s.codeKeys, k)
	}
	sort.Strings(s.codeKeys)
	s.allKeys = append(s.allKeys, s.codeKeys...)
	for k := range ex.Aliases {
		if ex.Codes[k] == nil {
			s.allKeys = append(s.allKeys, k)
		}
	}
	sort.Strings(s.allKeys)
	// Families: the keys that end in a number, without it. The members of
	// a family are the codes (not aliases) with such a key, for the
	// closest codes to one the site does not have.
	s.families = map[string][]familyMember{}
	for _, k := range s.allKeys {
		fam, n, ok := splitNumber(k)
		if !ok {
			continue
		}
		if s.families[fam] == nil {
			s.families[fam] = []familyMember{}
		}
		for _, d := range s.codes[k] {
			s.families[fam] = append(s.families[fam], familyMember{d, n})
		}
	}
	s.generic = map[string]bool{}
	for _, g := range s.p.Generic {
		s.generic[g] = true
	}
	s.label = map[string]bool{}
	for _, w := range s.p.Labels {
		s.label[w] = true
	}
	s.http = map[string]bool{}
	for _, w := range s.p.HTTPWords {
		s.http[w] = true
	}
	k1, b := s.p.K1, s.p.B
	nf := float64(s.n)
	for _, ef := range ex.Fields {
		f := &sField{name: ef.Name, lens: ef.Lens, boost: ef.Boost, code: ef.Code, pos: ef.Pos, terms: map[string]*sPosting{}}
		if len(ef.Lens) != s.n {
			return nil, fmt.Errorf("search index: field %s has %d lengths for %d documents", ef.Name, len(ef.Lens), s.n)
		}
		for _, l := range ef.Lens {
			f.total += l
		}
		avg := float64(f.total) / nf
		norm := make([]float64, s.n)
		for d, l := range ef.Lens {
			if avg > 0 {
				norm[d] = float64(k1 * float64(1-b+float64(b*float64(l))/avg))
			}
		}
		for term, raw := range ef.Postings {
			p, err := s.readPosting(raw, ef.Pos)
			if err != nil {
				return nil, fmt.Errorf("search index: field %s term %q: %w", ef.Name, term, err)
			}
			f.terms[term] = p
			s.terms[term] = true
		}
		f.norm = norm
		if f.pos {
			f.vlen = make([][]int, s.n)
			for _, p := range f.terms {
				for j, d := range p.docs {
					for _, q := range p.pos[j] {
						arr := q / posShift
						for len(f.vlen[d]) <= arr {
							f.vlen[d] = append(f.vlen[d], 0)
						}
						f.vlen[d][arr]++
					}
				}
			}
		}
		s.fields = append(s.fields, f)
	}
	s.weigh()
	for w, t := range s.stems {
		if t == "" {
			s.stops = append(s.stops, w)
		}
	}
	// Expansion targets: every listed word, every term that is a word on
	// its own, and every word with synonyms ("sound" is in no page, but
	// "soun" should find what "sound" finds).
	seen := map[string]bool{}
	for w := range s.stems {
		seen[w] = true
	}
	addWord := func(t string) {
		if ws := tokenizeWords(t); len(ws) == 1 && ws[0].word == t {
			seen[t] = true
		}
	}
	for t := range s.terms {
		addWord(t)
	}
	for t := range s.syn {
		addWord(t)
	}
	for w := range seen {
		s.words = append(s.words, w)
	}
	sort.Strings(s.words)
	s.wordRunes = make([][]rune, len(s.words))
	s.wordTerms = make([]expansion, len(s.words))
	s.byLen = map[int][]int{}
	for i, w := range s.words {
		s.wordRunes[i] = []rune(w)
		s.byLen[len(s.wordRunes[i])] = append(s.byLen[len(s.wordRunes[i])], i)
		en, _ := s.lookup(w)
		if len(en) > 0 || !s.isStop(w) {
			s.wordTerms[i] = expansion{en: en, code: s.codeTerms(w), factor: 1}
			s.wordTerms[i].syn = s.synonyms(w, en, s.wordTerms[i].code)
		}
	}
	return s, nil
}

// weigh works out boost*bm25 for every posting. The document frequency
// counts the documents that contain a word in any field, a code term and
// the English term of the same word counting as one ("spotify" in
// com.spotify.installer and "spotifi" in prose), so that a word found
// everywhere weighs little in every field.
func (s *Searcher) weigh() {
	groups := map[string][][2]int{} // group -> (field, index into gterms)
	var gterms []string
	var order []string
	for fi, f := range s.fields {
		for t := range f.terms {
			g := s.group(f, t)
			if groups[g] == nil {
				order = append(order, g)
			}
			groups[g] = append(groups[g], [2]int{fi, len(gterms)})
			gterms = append(gterms, t)
		}
	}
	mark := make([]int, s.n)
	nf := float64(s.n)
	k1 := s.p.K1
	for stamp, g := range order {
		df := 0
		for _, ft := range groups[g] {
			for _, d := range s.fields[ft[0]].terms[gterms[ft[1]]].docs {
				if mark[d] != stamp+1 {
					mark[d] = stamp + 1
					df++
				}
			}
		}
		dff := float64(df)
		idf := round6(math.Log(1 + (nf-dff+0.5)/(dff+0.5)))
		for _, ft := range groups[g] {
			f := s.fields[ft[0]]
			p := f.terms[gterms[ft[1]]]
			p.df = df
			p.w = make([]float64, len(p.docs))
			for j, d := range p.docs {
				tf := float64(p.tfs[j])
				bm := float64(idf*float64(tf*(k1+1))) / (tf + f.norm[d])
				p.w[j] = float64(f.boost * bm)
			}
		}
	}
}

// group names the word a term of field f stands for: a code term stands
// for its English term when it is a listed word with one.
func (s *Searcher) group(f *sField, t string) string {
	if f.code {
		if v, ok := s.stems[t]; ok && v != "" && !strings.Contains(v, " ") {
			return v
		}
	}
	return t
}

// readPosting unpacks one term's postings (see packPostings).
func (s *Searcher) readPosting(raw []int, withPos bool) (*sPosting, error) {
	p := &sPosting{}
	d := -1
	for i := 0; i < len(raw); {
		v := raw[i]
		i++
		d += v >> 2
		tf := v&3 + 1
		if tf == 4 {
			if i >= len(raw) {
				return nil, fmt.Errorf("truncated postings")
			}
			tf = raw[i]
			i++
		}
		if v < 4 || d >= s.n || tf < 1 {
			return nil, fmt.Errorf("bad posting %d", v)
		}
		p.docs = append(p.docs, d)
		p.tfs = append(p.tfs, tf)
		if withPos {
			if i+tf > len(raw) {
				return nil, fmt.Errorf("truncated positions")
			}
			ps := make([]int, tf)
			last := 0
			for k := range ps {
				last += raw[i+k]
				ps[k] = last
			}
			p.pos = append(p.pos, ps)
			i += tf
		}
	}
	return p, nil
}

func round6(x float64) float64 {
	return math.Floor(float64(x*1e6)+0.5) / 1e6
}

// qword is a query word with what the model needs of it.
type qword struct {
	word       string
	pos        int
	start, end int // byte offsets in the query
	key        string
	stop       bool        // a stop word, or a word of a URL or e-mail address: not meaningful
	nocode     bool        // names no code: a word of a path, URL or address, or a dotted word that is no code
	brk        bool        // a sentence ends before it ('.', '!', '?' or ';' between it and the word before): no code run crosses it
	en         []string    // E(w)
	code       []string    // C(w)
	syn        []expansion // S(w): its synonyms' terms
	hit        bool        // some exact term or synonym occurs in the index
	prefix     bool        // the last word, being typed
	typo       bool        // matches nothing exactly: try near words
	order      []string    // terms the order bonus looks for: E(w), and for the word being typed the terms of its prefix targets
}

// Tiers: a document in a higher tier always ranks above one in a lower
// tier; within a tier, by score.
const (
	tierPhrase     = 1 // title or message holds the query's words in order
	tierCodePrefix = 2 // the query is the start of the code
	tierExact      = 2 // plus the number of query words the code spans
)

// How a word reached a document, from the weakest reason up.
const (
	byWords  = 0
	byPrefix = 1
	byTypo   = 2
)

// scored is a document's running score.
type scored struct {
	base        float64
	matched     int  // meaningful words matched
	matchedRare int  // of which found in at most half of the codes
	tier        int  // tierPhrase, tierCodePrefix, or tierExact + words in the code
	alias       bool // the exact tier came from an alias
	by          int  // byWords, byPrefix or byTypo: the weakest way a word matched
}

// match names why a document matched (see Hit.Match).
func (sc *scored) match() string {
	switch {
	case sc.tier > tierExact && sc.alias:
		return "alias"
	case sc.tier > tierExact:
		return "code"
	case sc.tier == tierCodePrefix:
		return "prefix"
	case sc.tier == tierPhrase:
		return "phrase"
	case sc.by == byTypo:
		return "typo"
	case sc.by == byPrefix:
		return "prefix"
	}
	return "words"
}

// Search returns the hits for query, best first.
func (s *Searcher) Search(query string, opts Options) []Hit {
	res := s.run(query)
	var hits []Hit
	for _, h := range res {
		if !s.pass(h.doc, opts.Filters, -1) {
			continue
		}
		d := s.docs[h.doc]
		hits = append(hits, Hit{Slug: d[docSlug], Code: d[docCode], Title: d[docTitle], Severity: d[docSeverity], Score: h.score, Match: h.match})
		if opts.Limit > 0 && len(hits) == opts.Limit {
			break
		}
	}
	return hits
}

// Facets counts, for each facet and value, the hits of query that pass the
// other facets' filters. An empty query counts every code; a query of
// punctuation alone, like any query without hits, counts none.
func (s *Searcher) Facets(query string, opts Options) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, name := range FacetNames {
		out[name] = map[string]int{}
	}
	for d := 0; d < s.n; d++ {
		for fi, name := range FacetNames {
			for _, v := range s.facets[d][fi] {
				out[name][v] += 0
			}
		}
	}
	var docs []int
	if strings.TrimFunc(query, rules.Space) == "" {
		for d := 0; d < s.n; d++ {
			docs = append(docs, d)
		}
	} else {
		for _, h := range s.run(query) {
			docs = append(docs, h.doc)
		}
	}
	for _, d := range docs {
		for fi, name := range FacetNames {
			if !s.pass(d, opts.Filters, fi) {
				continue
			}
			for _, v := range s.facets[d][fi] {
				out[name][v]++
			}
		}
	}
	return out
}

// pass reports whether document d passes the filters, ignoring facet skip.
func (s *Searcher) pass(d int, filters map[string][]string, skip int) bool {
	for fi, name := range FacetNames {
		allowed := filters[name]
		if fi == skip || len(allowed) == 0 {
			continue
		}
		ok := false
		for _, v := range s.facets[d][fi] {
			for _, a := range allowed {
				if v == a {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

type result struct {
	doc   int
	score float64
	match string
}

// run scores every document for query and returns the hits in order,
// before filters.
func (s *Searcher) run(query string) []result {
	words, typing := s.analyze(query)
	meaningful := 0
	for _, w := range words {
		if !w.stop {
			meaningful++
		}
	}
	if meaningful == 0 {
		return nil
	}
	acc := map[int]*scored{}
	get := func(d int) *scored {
		sc := acc[d]
		if sc == nil {
			sc = &scored{}
			acc[d] = sc
		}
		return sc
	}
	// Scratch arrays: a document's value is valid when its mark equals the
	// current stamp, which saves clearing them for every word.
	ws, wsMark := make([]float64, s.n), make([]int, s.n)
	wby := make([]int, s.n)
	ex, exMark := make([]float64, s.n), make([]int, s.n)
	fx, fxMark := make([]float64, s.n), make([]int, s.n)
	stamp := 0
	m, rare := 0, 0 // words found anywhere; of which in at most half of the codes
	for i, w := range words {
		if w.stop {
			continue
		}
		stamp++
		wordStamp := stamp
		touched := s.exact(w.en, w.code, ws, wsMark, wordStamp, fx, fxMark, &stamp)
		for _, d := range touched {
			wby[d] = byWords
		}
		isCommon := 2*len(touched) > s.n
		for _, x := range s.expansions(w) {
			if x.prefix {
				words[i].order = append(words[i].order[:len(words[i].order):len(words[i].order)], x.en...)
			}
			stamp++
			xStamp := stamp
			for _, d := range s.exact(x.en, x.code, ex, exMark, xStamp, fx, fxMark, &stamp) {
				v := float64(x.factor * ex[d])
				if wsMark[d] != wordStamp {
					wsMark[d] = wordStamp
					ws[d] = 0
					touched = append(touched, d)
				}
				if v > ws[d] {
					ws[d] = v
					wby[d] = x.by
				}
			}
		}
		found := false
		for _, d := range touched {
			if ws[d] > 0 {
				found = true
				sc := get(d)
				sc.base += ws[d]
				sc.matched++
				if !isCommon {
					sc.matchedRare++
				}
				if wby[d] > sc.by {
					sc.by = wby[d]
				}
			}
		}
		// A word found nowhere (a tool's name, a word of another
		// language) counts neither for nor against a code.
		if found {
			m++
			if !isCommon {
				rare++
			}
		}
	}
	s.orderBonus(words, typing, acc)
	s.nearBonus(s.unknownRuns(query, words, typing), get)
	s.codeBonus(words, typing, get)

	// Words found in more than half of the codes ("spotify") count toward
	// neither the words needed nor the words matched, unless every word is
	// such a word.
	if rare > 0 {
		m = rare
		for _, sc := range acc {
			sc.matched = sc.matchedRare
		}
	}
	need := min((m+1)/2, s.p.MaxNeed)
	maxBase := 0.0
	for _, sc := range acc {
		if sc.base > maxBase {
			maxBase = sc.base
		}
	}
	big := 1 + maxBase
	var res []result
	for d, sc := range acc {
		if sc.tier == 0 && (m == 0 || sc.matched < need || sc.base <= 0) {
			continue
		}
		score := sc.base
		if sc.tier > 0 {
			score += float64(float64(sc.tier) * big)
		}
		res = append(res, result{d, score, sc.match()})
	}
	sort.Slice(res, func(i, j int) bool {
		if res[i].score != res[j].score {
			return res[i].score > res[j].score
		}
		return res[i].doc < res[j].doc
	})
	return res
}

// sentenceEnds are the characters that, between two words, end a
// sentence: a code run does not cross them ("your account. (Error code:
// …)" is not the code account_error).
const sentenceEnds = ".!?;"

// chunk classes: what a white-space separated part of the query is.
const (
	chunkText = iota
	chunkPath // holds '/' or '\\': its words name no code
	chunkURL  // an address (scheme:// or www.) or an e-mail: its words are ignored
)

// chunkClass classifies one white-space separated part of a query.
func chunkClass(c string) int {
	l := strings.ToLower(c)
	if strings.Contains(l, "://") || strings.HasPrefix(strings.TrimLeftFunc(l, func(r rune) bool { return !rules.WordRune(r) }), "www.") {
		return chunkURL
	}
	if at := strings.IndexByte(l, '@'); at > 0 && strings.Contains(l[at+1:], ".") {
		return chunkURL
	}
	if strings.ContainsAny(l, "/\\") {
		return chunkPath
	}
	return chunkText
}

// analyze splits the query into words and looks each one up. typing
// reports whether the last word is still being typed: the query does not
// end in white space and was not cut at MaxWords.
func (s *Searcher) analyze(query string) (words []qword, typing bool) {
	toks := tokenizeWords(query)
	typing = len(toks) > 0
	if r, _ := utf8.DecodeLastRuneInString(query); rules.Space(r) {
		typing = false
	}
	if len(toks) > s.p.MaxWords {
		toks = toks[:s.p.MaxWords]
		typing = false
	}
	toks = s.joinHyphenated(query, toks)
	meaningful := false // a meaningful word came before
	chunkEnd, class := -1, chunkText
	for i, t := range toks {
		if t.start >= chunkEnd {
			a, b := t.start, t.end
			for a > 0 {
				r, n := utf8.DecodeLastRuneInString(query[:a])
				if rules.Space(r) {
					break
				}
				a -= n
			}
			for b < len(query) {
				r, n := utf8.DecodeRuneInString(query[b:])
				if rules.Space(r) {
					break
				}
				b += n
			}
			chunkEnd, class = b, chunkClass(query[a:b])
		}
		w := qword{word: t.word, pos: t.pos, start: t.start, end: t.end, key: rules.CodeKey(t.word)}
		w.brk = i > 0 && strings.ContainsAny(query[toks[i-1].end:t.start], sentenceEnds)
		var known bool
		w.en, known = s.lookup(t.word)
		w.stop = known && len(w.en) == 0
		switch {
		case class == chunkURL:
			w.stop, w.nocode, w.en = true, true, nil
		case class == chunkPath:
			w.nocode = true
		case strings.Contains(t.word, ".") && !s.codeTerm(t.word):
			w.nocode = true
		}
		if !w.stop && !w.nocode {
			w.code = s.codeTerms(t.word)
			if isNumber(t.word) {
				w.code = s.numberTerms(query, toks, i, w.code)
			}
		}
		if w.nocode {
			w.key = ""
		}
		for _, e := range w.en {
			if s.hasProse(e) {
				w.hit = true
			}
		}
		if len(w.code) > 0 {
			w.hit = true
		}
		if !w.stop {
			w.syn = s.synonyms(t.word, w.en, w.code)
		}
		if len(w.syn) > 0 {
			w.hit = true
		}
		n := utf8.RuneCountInString(t.word)
		w.prefix = typing && i == len(toks)-1 && n >= s.p.MinPrefix && !w.stop &&
			(n >= s.p.MinPrefixAfter || !w.hit || !meaningful)
		if !w.stop {
			meaningful = true
		}
		w.typo = !w.stop && !w.hit && n >= s.p.MinTypo
		w.order = w.en
		words = append(words, w)
	}
	// In a long paste a word that matches nothing is noise, not a typo.
	m := 0
	for _, w := range words {
		if !w.stop {
			m++
		}
	}
	if m > s.p.TypoWords {
		for i := range words {
			words[i].typo = false
		}
	}
	return words, typing
}

// numberTerms reads a number of the query: written with a minus at the
// start of a chunk ("-3") it is the signed number of a code; after one of
// HTTPWords ("status": 403) it is an HTTP status, which finds the codes
// about it ("http:403"); either only when the index has such a term.
// Otherwise it keeps its terms.
func (s *Searcher) numberTerms(query string, toks []queryWord, i int, terms []string) []string {
	t := toks[i]
	if t.start > 0 {
		r, n := utf8.DecodeLastRuneInString(query[:t.start])
		if r == '-' || r == 0x2212 {
			before, _ := utf8.DecodeLastRuneInString(query[:t.start-n])
			if t.start-n == 0 || rules.Space(before) {
				if s.codeTerm("-" + t.word) {
					return []string{"-" + t.word}
				}
				return terms
			}
		}
	}
	if httpStatus(t.word) && s.codeTerm("http:"+t.word) {
		for k := i - 1; k >= 0 && k >= i-s.p.HTTPSpan; k-- {
			if s.http[toks[k].word] {
				return []string{"http:" + t.word}
			}
		}
	}
	return terms
}

// joinHyphenated reads a hyphenated compound as the one word a reader
// means: "wi-fi" is wi and fi to the tokenizer, which match nothing (or,
// as a prefix, "firewall"). Two words joined by a single '-' become one
// when either is unknown and the two written together are known; the
// words after it move up one position, as in a text that has the joined
// word.
func (s *Searcher) joinHyphenated(query string, toks []queryWord) []queryWord {
	for i := 0; i+1 < len(toks); i++ {
		a, b := toks[i], toks[i+1]
		if b.start != a.end+1 || query[a.end] != '-' || (s.known(a.word) && s.known(b.word)) || !s.known(a.word+b.word) {
			continue
		}
		toks[i] = queryWord{a.word + b.word, a.pos, a.start, b.end}
		toks = append(toks[:i+1], toks[i+2:]...)
		for k := i + 1; k < len(toks); k++ {
			toks[k].pos--
		}
	}
	return toks
}

// known reports whether a word means something to the index: a listed
// word or term, a code term, or a word with synonyms.
func (s *Searcher) known(w string) bool {
	if _, ok := s.lookup(w); ok {
		return true
	}
	return s.syn[w] != "" || len(s.codeTerms(w)) > 0
}

// lookup returns E(w) and whether w is in the word list. Curly
// apostrophes are read as straight ones and a possessive 's is dropped
// when the word itself is not listed.
func (s *Searcher) lookup(w string) ([]string, bool) {
	cands := []string{w}
	w2 := strings.NewReplacer("\u2018", "'", "\u2019", "'", "\uff07", "'").Replace(w)
	if w2 != w {
		cands = append(cands, w2)
	}
	if strings.HasSuffix(w2, "'s") {
		cands = append(cands, w2[:len(w2)-2])
	}
	for _, c := range cands {
		if t, ok := s.stems[c]; ok {
			if t == "" {
				return nil, true
			}
			return strings.Split(t, " "), true
		}
		if s.terms[c] {
			return []string{c}, true
		}
	}
	return nil, false
}

// synonyms returns S(w): the words Syn lists for w or for a term of
// E(w), in order, each with its terms, leaving out those whose terms are
// w's own or an earlier one's.
func (s *Searcher) synonyms(w string, en, code []string) []expansion {
	set := map[string]bool{}
	for _, k := range append([]string{w}, en...) {
		for _, x := range strings.Fields(s.syn[k]) {
			set[x] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	words := make([]string, 0, len(set))
	for x := range set {
		words = append(words, x)
	}
	sort.Strings(words)
	key := func(en, code []string) string { return strings.Join(en, " ") + "|" + strings.Join(code, " ") }
	seen := map[string]bool{key(en, code): true}
	var out []expansion
	for _, x := range words {
		xen, _ := s.lookup(x)
		xcode := s.codeTerms(x)
		k := key(xen, xcode)
		if seen[k] || (len(xen) == 0 && len(xcode) == 0) {
			continue
		}
		seen[k] = true
		out = append(out, expansion{en: xen, code: xcode, factor: 1})
	}
	return out
}

func (s *Searcher) isStop(t string) bool {
	v, ok := s.stems[t]
	return ok && v == ""
}

// codeTerms returns C(w): the code tokens of w that occur in a code field.
func (s *Searcher) codeTerms(w string) []string {
	var out []string
	for _, t := range codeTokens(w) {
		if s.codeTerm(t) {
			out = append(out, t)
		}
	}
	return out
}

// codeTerm reports whether t occurs in a code field.
func (s *Searcher) codeTerm(t string) bool {
	for _, f := range s.fields {
		if f.code && f.terms[t] != nil {
			return true
		}
	}
	return false
}

func (s *Searcher) hasProse(t string) bool {
	for _, f := range s.fields {
		if !f.code && f.terms[t] != nil {
			return true
		}
	}
	return false
}

// exact adds exact(w, d) into acc for the documents the terms occur in,
// resetting a document's value the first time it is seen with stamp, and
// returns those documents in the order first seen. The code fields count
// as one: a document scores the best of them, not their sum (an alias
// repeats its code in another spelling). fx is scratch for one field,
// with its own stamps drawn from next.
func (s *Searcher) exact(en, code []string, acc []float64, mark []int, stamp int, fx []float64, fxMark []int, next *int) (touched []int) {
	for _, f := range s.fields {
		if f.code {
			*next++
			fs := *next
			var ft []int
			for _, t := range code {
				p := f.terms[t]
				if p == nil {
					continue
				}
				for j, d := range p.docs {
					if fxMark[d] != fs {
						fxMark[d] = fs
						fx[d] = 0
						ft = append(ft, d)
					}
					fx[d] += p.w[j]
				}
			}
			for _, d := range ft {
				if mark[d] != stamp {
					mark[d] = stamp
					acc[d] = 0
					touched = append(touched, d)
				}
				if fx[d] > acc[d] {
					acc[d] = fx[d]
				}
			}
			continue
		}
		for _, t := range en {
			p := f.terms[t]
			if p == nil {
				continue
			}
			for j, d := range p.docs {
				if mark[d] != stamp {
					mark[d] = stamp
					acc[d] = 0
					touched = append(touched, d)
				}
				acc[d] += p.w[j]
			}
		}
	}
	return touched
}

type expansion struct {
	en, code []string
	syn      []expansion // for an expansion target: S(target)
	factor   float64
	prefix   bool // a word the word being typed begins
	by       int  // byWords (synonyms), byPrefix or byTypo
}

// expansions lists the words a query word also matches, with their factor:
// its synonyms; while it is typed, the words it begins (in order); and
// when it matches nothing and begins no word, the words within its edit
// distance (by length, then in order).
func (s *Searcher) expansions(w qword) []expansion {
	var out []expansion
	// One expansion per synonym, so that a document holding several scores
	// the best of them, as for any expansion, never their sum.
	for _, x := range w.syn {
		out = append(out, expansion{en: x.en, code: x.code, factor: s.p.Synonym})
	}
	// A word of letters only reaches no code through its expansions:
	// "play" finds playback_error by the words of its name (the names
	// field), not at the weight of its code.
	codes := func(ts []string) []string { return ts }
	if letters(w.word) {
		codes = func([]string) []string { return nil }
	}
	target := func(i int, factor float64, by int) {
		out = append(out, expansion{en: s.wordTerms[i].en, code: codes(s.wordTerms[i].code), factor: factor, prefix: by == byPrefix, by: by})
		// The target's synonyms come with it, so that a typo or a prefix
		// of a word finds what the word finds.
		for _, x := range s.wordTerms[i].syn {
			out = append(out, expansion{en: x.en, code: codes(x.code), factor: float64(factor * s.p.Synonym), by: by})
		}
	}
	prefixed := false
	if w.prefix {
		for i := sort.SearchStrings(s.words, w.word); i < len(s.words) && strings.HasPrefix(s.words[i], w.word); i++ {
			if s.words[i] == w.word || len(s.wordRunes[i]) < 2 || s.wordTerms[i].factor == 0 {
				continue
			}
			target(i, s.p.Prefix, byPrefix)
			prefixed = true
		}
	}
	if !w.typo || prefixed {
		return out
	}
	wr := []rune(w.word)
	maxd := 1
	if len(wr) >= s.p.LongTypo {
		maxd = 2
	}
	var dp editRows
	for l := max(2, len(wr)-maxd); l <= len(wr)+maxd; l++ {
		for _, i := range s.byLen[l] {
			if s.words[i] == w.word || s.wordTerms[i].factor == 0 {
				continue
			}
			switch d := dp.distance(wr, s.wordRunes[i], maxd); {
			case d == 1:
				target(i, s.p.Typo1, byTypo)
			case d == 2 && maxd >= 2:
				target(i, s.p.Typo2, byTypo)
			}
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editRows are the rows of the edit distance table, kept between calls.
type editRows struct{ prev2, prev, cur []int }

// distance is the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and swaps of neighbours), or
// maxd+1 when it exceeds maxd.
func (e *editRows) distance(a, b []rune, maxd int) int {
	la, lb := len(a), len(b)
	if abs(la-lb) > maxd {
		return maxd + 1
	}
	if cap(e.prev) < lb+1 {
		e.prev2, e.prev, e.cur = make([]int, lb+1), make([]int, lb+1), make([]int, lb+1)
	}
	prev2, prev, cur := e.prev2[:lb+1], e.prev[:lb+1], e.cur[:lb+1]
	for j := 0; j <= lb; j++ {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > maxd {
			return maxd + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[lb] > maxd {
		return maxd + 1
	}
	return prev[lb]
}

// orderBonus adds the bonus for consecutive query words found in order
// in the title or message, and puts a document whose title or message
// holds all the meaningful words in order (two at least) in the phrase
// tier.
func (s *Searcher) orderBonus(words []qword, typing bool, acc map[int]*scored) {
	var mw []qword
	for _, w := range words {
		if !w.stop {
			mw = append(mw, w)
		}
	}
	npairs := len(mw) - 1
	if npairs < 1 {
		return
	}
	// While the last word is typed and may yet become a stop word, which
	// is not indexed, the words before it in one run are enough for the
	// tier: "please download th" may be heading for "the".
	headPairs := npairs
	if last := words[len(words)-1]; typing && last.prefix && s.beginsStopWord(last.word) {
		headPairs = npairs - 1
	}
	for _, f := range s.fields {
		if !f.pos {
			continue
		}
		pairs := map[int]int{}
		// doc -> start -> pairs matched there, the start being where the
		// first meaningful word would be if the pair is part of one chain;
		// head counts the pairs before the word being typed.
		perStart := map[int]map[int]int{}
		head := map[int]map[int]int{}
		arrOf := map[int]map[int]int{} // doc -> start -> which value of the field
		for i := 0; i < npairs; i++ {
			a, b := mw[i], mw[i+1]
			delta := b.pos - a.pos
			offset := a.pos - mw[0].pos
			pa := s.positions(f, a.order)
			if len(pa) == 0 {
				continue
			}
			pb := s.positions(f, b.order)
			for d, ps := range pa {
				qs := pb[d]
				if len(qs) == 0 {
					continue
				}
				set := map[int]bool{}
				for _, q := range qs {
					set[q] = true
				}
				starts := map[int]int{}
				for _, p := range ps {
					if set[p+delta] && (p+delta)/posShift == p/posShift {
						starts[p-offset] = p / posShift
					}
				}
				if len(starts) == 0 {
					continue
				}
				pairs[d]++
				if perStart[d] == nil {
					perStart[d], head[d], arrOf[d] = map[int]int{}, map[int]int{}, map[int]int{}
				}
				for st, arr := range starts {
					arrOf[d][st] = arr
					perStart[d][st]++
					if i < headPairs {
						head[d][st]++
					}
				}
			}
		}
		bonus := float64(f.boost * s.p.Phrase)
		for d, k := range pairs {
			sc := acc[d]
			if sc == nil {
				continue
			}
			sc.base += float64(bonus * float64(k))
			for st, n := range perStart[d] {
				// The query's words in order in the value, or the whole
				// value in order in the query (a quoted message).
				quoted := false
				if vl := f.vlen[d]; arrOf[d][st] < len(vl) {
					l := vl[arrOf[d][st]]
					quoted = l >= 2 && n >= l-1
				}
				if (n == npairs || headPairs > 0 && head[d][st] == headPairs || quoted) && sc.tier < tierPhrase {
					sc.tier = tierPhrase
				}
			}
		}
	}
}

// beginsStopWord reports whether w is the start of a longer stop word.
func (s *Searcher) beginsStopWord(w string) bool {
	for _, t := range s.stops {
		if len(t) > len(w) && strings.HasPrefix(t, w) {
			return true
		}
	}
	return false
}

// positions gathers the positions of terms in field f, per document.
func (s *Searcher) positions(f *sField, terms []string) map[int][]int {
	out := map[int][]int{}
	for _, t := range terms {
		p := f.terms[t]
		if p == nil {
			continue
		}
		for j, d := range p.docs {
			out[d] = append(out[d], p.pos[j]...)
		}
	}
	return out
}

// runKeys returns the keys of the run of words i..j: all their keys
// joined, and the same without the word rules.Filler after the first
// ("error code 17" is also "error17").
func runKeys(words []qword, i, j int) (full, short string) {
	for k := i; k <= j; k++ {
		full += words[k].key
		if k == i || words[k].word != rules.Filler {
			short += words[k].key
		}
	}
	return full, short
}

// codeBonus puts exact code matches and codes being typed in their tiers.
func (s *Searcher) codeBonus(words []qword, typing bool, get func(int) *scored) {
	raise := func(ds []int, tier int, alias bool) {
		for _, d := range ds {
			if sc := get(d); sc.tier < tier {
				sc.tier, sc.alias = tier, alias
			}
		}
	}
	for i := range words {
		if words[i].nocode {
			continue
		}
		// The label before a run counts with it: the "Error code:" of
		// "(Error code: accounts:406)".
		label := 0
		for k := i - 1; k >= 0 && !words[k+1].brk && !words[k].nocode && s.label[words[k].word]; k-- {
			label++
		}
		full, short := "", ""
		for j := i; j < len(words) && j < i+s.p.MaxSpan && !words[j].nocode && (j == i || !words[j].brk); j++ {
			full += words[j].key
			if j == i || words[j].word != rules.Filler {
				short += words[j].key
			}
			tier := tierExact + label + j - i + 1
			for _, k := range []string{full, short} {
				if !rules.HasLetter(k) {
					continue
				}
				raise(s.codes[k], tier, false)
				raise(s.aliases[k], tier, true)
				if short == full {
					break
				}
			}
		}
	}
	if !typing {
		return
	}
	k := ""
	for _, w := range words {
		k += w.key
	}
	if utf8.RuneCountInString(k) < s.p.MinCodePref || !rules.HasLetter(k) {
		return
	}
	for _, key := range s.codeKeys[sort.SearchStrings(s.codeKeys, k):] {
		if !strings.HasPrefix(key, k) {
			break
		}
		if key != k {
			raise(s.codes[key], tierCodePrefix, false)
		}
	}
}

// unknownRun is a code-shaped run of query words that names no code or
// alias of the site.
type unknownRun struct {
	start, end int    // byte offsets of the run in the query
	family     string // the family key, for a family and a number; else ""
	n          int
}

// Unknown returns the code-shaped strings of query, as written, that are
// no code or alias of the site (see the package documentation): the
// reference has no page for them.
func (s *Searcher) Unknown(query string) []string {
	words, typing := s.analyze(query)
	var out []string
	seen := map[string]bool{}
	for _, u := range s.unknownRuns(query, words, typing) {
		t := query[u.start:u.end]
		if k := rules.CodeKey(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// unknownRuns finds the code-shaped strings of the query that name no
// code or alias of the site.
func (s *Searcher) unknownRuns(query string, words []qword, typing bool) []unknownRun {
	var out []unknownRun
	last := len(words) - 1
	for i, w := range words {
		// A family and a number: "auth:74", "Error 410", "error code 503".
		// A number in parentheses of its own ("couldn't decode error:
		// (159) [...]") is a count or a length, not a code's number.
		if isNumber(w.word) && !w.nocode && i > 0 && !parenthesized(query, w.start, w.end) {
			// The longest run before the number that is a family, and
			// whether any run before it, long or short, names a code of
			// the site with it: "Spotify: Error code 30" is Error 30.
			fam, j, known := "", -1, false
			for k := i - 1; k >= 0 && k > i-s.p.MaxSpan && !words[k].nocode && !words[k+1].brk; k-- {
				full, short := runKeys(words, k, i-1)
				f := short
				if s.families[f] == nil {
					f = full
				}
				if s.families[f] == nil {
					continue
				}
				fam, j = f, k
				full, short = runKeys(words, k, i)
				switch {
				case s.isKey(full) || s.isKey(short):
					known = true
				case s.generic[f] && (s.codeTerm(w.word) || s.codeTerm("http:"+w.word)):
					known = true // "Error code: 3": the number of some code
				case f == "http" && s.codeTerm("http:"+w.word):
					known = true // "HTTP 403": a status some codes are about
				}
			}
			if j < 0 && query[words[i-1].end:w.start] == ":" && letters(words[i-1].word) && !words[i-1].nocode {
				fam, j = words[i-1].key, i-1 // "foo:12": code-shaped, of a family the site does not have
			}
			if j < 0 || known {
				continue
			}
			full, short := runKeys(words, j, i)
			if typing && i == last && (s.keyPrefix(full) || s.keyPrefix(short)) {
				continue // still typing a code the site has
			}
			n, _ := strconv.Atoi(w.word)
			if s.generic[fam] {
				fam = ""
			}
			out = append(out, unknownRun{words[j].start, w.end, fam, n})
			continue
		}
		// An identifier in the style of error names: INTERNAL_ERROR,
		// kSpErrorFailed, or a snake_case word after "error".
		if w.stop {
			continue
		}
		raw := query[w.start:w.end]
		off := 0
		for _, part := range strings.Split(raw, ".") {
			after := i > 0 && words[i-1].word == "error" && off == 0 && strings.ContainsAny(query[words[i-1].end:w.start], ":=")
			if identifierShaped(part, after) {
				k := rules.CodeKey(part)
				if !s.isKey(k) && !s.keyPrefix(k) {
					out = append(out, unknownRun{w.start + off, w.start + off + len(part), "", 0})
				}
			}
			off += len(part) + 1
		}
	}
	// An error domain of Spotify's SDKs and its code, as an NSError
	// prints them ("com.spotify.sdk.login Code=3"): its words are a
	// dotted name, which names no code, so the runs above never see it.
	for _, m := range errorDomain.FindAllStringIndex(query, -1) {
		t := query[m[0]:m[1]]
		short := errorDomainCode.ReplaceAllString(t, " ")
		if k, ks := rules.CodeKey(t), rules.CodeKey(short); s.isKey(k) || s.isKey(ks) || s.keyPrefix(k) || s.keyPrefix(ks) {
			continue
		}
		out = append(out, unknownRun{m[0], m[1], "", 0})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// errorDomain matches a dotted error domain of Spotify's SDKs followed
// by its code; errorDomainCode, the word "code" between the two.
var (
	errorDomain     = regexp.MustCompile(`(?i)\bcom\.spotify(?:\.[a-z0-9_]+)+[ \t]+code[ \t]*[=:]?[ \t]*-?[0-9]{1,9}\b`)
	errorDomainCode = regexp.MustCompile(`(?i)[ \t]+code[ \t]*[=:]?[ \t]*`)
)

// parenthesized reports whether query[start:end] stands alone in
// parentheses: "(159)".
func parenthesized(query string, start, end int) bool {
	return start > 0 && query[start-1] == '(' && end < len(query) && query[end] == ')'
}

// identifierShaped reports whether a word, as written, has the shape of an
// error name: upper-case words joined by '_' (INTERNAL_ERROR), a constant
// named with a k prefix (kSpErrorFailed), a name with the Sp prefix of
// Spotify's SDKs (SpCallbackError), or, after the word "error",
// lower-case words joined by '_' (login_region_mismatch).
func identifierShaped(w string, afterError bool) bool {
	parts := strings.Split(w, "_")
	if len(parts) >= 2 {
		upper, lower := true, true
		for _, p := range parts {
			if p == "" {
				return false
			}
			for _, r := range p {
				switch {
				case r >= 'A' && r <= 'Z':
					lower = false
				case r >= 'a' && r <= 'z':
					upper = false
				case r >= '0' && r <= '9':
				default:
					return false
				}
			}
		}
		if upper && rules.HasLetter(w) {
			return true
		}
		return lower && afterError && rules.HasLetter(w)
	}
	// kSpErrorFailed, SpCallbackError: the prefix k or Sp, then two or
	// more capitalised parts.
	start := 0
	switch {
	case len(w) >= 4 && w[0] == 'k':
		start = 1
	case len(w) >= 5 && strings.HasPrefix(w, "Sp"):
		start = 2
	default:
		return false
	}
	caps := 0
	for i := start; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			caps++
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if i == start {
				return false
			}
		default:
			return false
		}
	}
	return caps >= 2
}

// isKey reports whether k is the key of a code, range member or alias.
func (s *Searcher) isKey(k string) bool {
	return s.codes[k] != nil || s.aliases[k] != nil
}

// keyPrefix reports whether k begins the key of a code or alias.
func (s *Searcher) keyPrefix(k string) bool {
	i := sort.SearchStrings(s.allKeys, k)
	return k != "" && i < len(s.allKeys) && strings.HasPrefix(s.allKeys[i], k)
}

// nearBonus ranks the codes of a family by how close their number is to
// the number of an unknown code of that family: for auth:74, auth:73
// first.
func (s *Searcher) nearBonus(runs []unknownRun, get func(int) *scored) {
	for _, u := range runs {
		if u.family == "" {
			continue
		}
		for _, m := range s.families[u.family] {
			sc := get(m.doc)
			sc.base += float64(s.p.Near / float64(1+abs(m.n-u.n)))
		}
	}
}

// splitNumber splits a key that ends in a number into its family and
// number: "auth73" is "auth" and 73.
func splitNumber(k string) (family string, n int, ok bool) {
	i := len(k)
	for i > 0 && k[i-1] >= '0' && k[i-1] <= '9' {
		i--
	}
	if i == len(k) || len(k)-i > 9 || !rules.HasLetter(k[:i]) {
		return "", 0, false
	}
	n, _ = strconv.Atoi(k[i:])
	return k[:i], n, true
}
