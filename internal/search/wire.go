package search

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/errref/errref/internal/rules"
)

// The wire form of search-index.json packs the export for the download:
// one sorted vocabulary instead of terms repeated in every field and
// lexicon entry, and numbers as base-32 digit strings instead of JSON
// arrays. static/search.js reads the same form (readWire); see the
// package documentation, section Export.

// wireAlphabet writes a number 5 bits at a time, low bits first: the
// first 32 characters end a number, the last 32 continue it.
const wireAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// wireExport is the JSON of search-index.json.
type wireExport struct {
	Version int          `json:"version"`
	Params  searchParams `json:"params"`
	Fields  []wireField  `json:"fields"`
	// Vocab lists every indexed term and every word of the lexicon,
	// sorted, one per line: the length of the ASCII prefix it shares with
	// the line before (one character of wireAlphabet), the rest of it, and for
	// a word of the lexicon a tab and its analysis: nothing for a stop
	// word, "=" and the terms (space separated), or, for an ASCII word
	// whose term is the word without its last d bytes and with a tail, d
	// (one character) and the tail ("installing" → "instal": "D").
	Vocab string `json:"vocab"`
	// Docs are the codes in natural order: code, title, severity,
	// category, platforms (space separated), handling, message, and the
	// slug when it is not rules.Slug of the code.
	Docs [][]string `json:"docs"`
	// The keys of the codes are not sent: both searchers work them out
	// from the document rows (rules.CodeKeys).
	Aliases map[string][]int `json:"aliases"`
	// Syn lists the synonym table by its values: each entry is the words
	// of a value, "|", and the words that map to it.
	Syn []string `json:"syn"`
}

type wireField struct {
	Name  string  `json:"name"`
	Boost float64 `json:"boost"`
	Code  bool    `json:"code,omitempty"`
	Pos   bool    `json:"pos,omitempty"`
	// The field lengths are not sent: each is the sum of the document's
	// term frequencies in the postings.
	//
	// Postings holds, for each term of the field in vocabulary order:
	// the difference of its vocabulary index from the previous term's
	// (the first from -1), the count of numbers that follow, and its
	// packed postings (see packPostings).
	Postings string `json:"postings"`
}

// appendNum writes v (≥ 0) in wireAlphabet.
func appendNum(b []byte, v int) []byte {
	for v >= 32 {
		b = append(b, wireAlphabet[32+v&31])
		v >>= 5
	}
	return append(b, wireAlphabet[v])
}

var wireValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(wireAlphabet); i++ {
		t[wireAlphabet[i]] = int8(i)
	}
	return t
}()

// readNums decodes a string of appendNum numbers.
func readNums(s string) ([]int, error) {
	var out []int
	v, shift := 0, 0
	for i := 0; i < len(s); i++ {
		c := wireValue[s[i]]
		if c < 0 || shift > 30 {
			return nil, fmt.Errorf("bad number at %d", i)
		}
		v |= int(c&31) << shift
		if c < 32 {
			out = append(out, v)
			v, shift = 0, 0
			continue
		}
		shift += 5
	}
	if shift != 0 {
		return nil, fmt.Errorf("truncated number")
	}
	return out, nil
}

// encodeWire packs an export for the download.
func encodeWire(ex *searchExport) ([]byte, error) {
	stems := map[string]string{}
	for t, ws := range ex.Lex {
		for _, w := range strings.Fields(ws) {
			stems[w] = t
		}
	}
	seen := map[string]bool{}
	for w := range stems {
		seen[w] = true
	}
	for _, f := range ex.Fields {
		for t := range f.Postings {
			seen[t] = true
		}
	}
	vocab := make([]string, 0, len(seen))
	for w := range seen {
		if strings.ContainsAny(w, "\n\t") {
			return nil, fmt.Errorf("term %q holds a line break or tab", w)
		}
		vocab = append(vocab, w)
	}
	sort.Strings(vocab)
	id := map[string]int{}
	var vb strings.Builder
	prev := ""
	for i, w := range vocab {
		id[w] = i
		if i > 0 {
			vb.WriteByte('\n')
		}
		frontCode(&vb, prev, w)
		if t, ok := stems[w]; ok {
			vb.WriteByte('\t')
			vb.WriteString(stemSpec(w, t))
		}
		prev = w
	}
	wx := wireExport{Version: ex.Version, Params: ex.Params, Vocab: vb.String(), Aliases: ex.Aliases}
	var err error
	if wx.Syn, err = encodeWireSyn(ex.Syn); err != nil {
		return nil, err
	}
	for _, f := range ex.Fields {
		terms := make([]string, 0, len(f.Postings))
		for t := range f.Postings {
			terms = append(terms, t)
		}
		sort.Slice(terms, func(i, j int) bool { return id[terms[i]] < id[terms[j]] })
		var pb []byte
		last := -1
		for _, t := range terms {
			ps := f.Postings[t]
			pb = appendNum(pb, id[t]-last)
			pb = appendNum(pb, len(ps))
			for _, n := range ps {
				if n < 0 {
					return nil, fmt.Errorf("field %s term %q: negative number in postings", f.Name, t)
				}
				pb = appendNum(pb, n)
			}
			last = id[t]
		}
		wx.Fields = append(wx.Fields, wireField{Name: f.Name, Boost: f.Boost, Code: f.Code, Pos: f.Pos, Postings: string(pb)})
	}
	for _, d := range ex.Docs {
		row := append([]string{}, d[docCode:]...)
		if d[docSlug] != rules.Slug(d[docCode]) {
			row = append(row, d[docSlug])
		}
		wx.Docs = append(wx.Docs, row)
	}
	return json.Marshal(wx)
}

// stemSpec writes the analysis t of word w (see wireExport.Vocab).
func stemSpec(w, t string) string {
	if t == "" {
		return ""
	}
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			ascii = false
		}
	}
	if ascii && !strings.Contains(t, " ") {
		k := 0
		for k < len(w) && k < len(t) && k < 63 && w[k] == t[k] {
			k++
		}
		if k > 0 && len(w)-k < len(wireAlphabet) {
			return string(wireAlphabet[len(w)-k]) + t[k:]
		}
	}
	return "=" + t
}

// decodeWire unpacks search-index.json into the export.
func decodeWire(data []byte) (*searchExport, error) {
	var wx wireExport
	if err := json.Unmarshal(data, &wx); err != nil {
		return nil, err
	}
	if wx.Version != exportVersion {
		return nil, fmt.Errorf("version %d, want %d", wx.Version, exportVersion)
	}
	ex := &searchExport{Version: wx.Version, Params: wx.Params, Lex: map[string]string{}, Codes: map[string][]int{}, Aliases: wx.Aliases, Syn: map[string]string{}}
	for _, e := range wx.Syn {
		v, ks, ok := strings.Cut(e, "|")
		if !ok {
			return nil, fmt.Errorf("synonym entry %q has no |", e)
		}
		for _, k := range strings.Fields(ks) {
			ex.Syn[k] = v
		}
	}
	var vocab []string
	prev := ""
	for i, line := range strings.Split(wx.Vocab, "\n") {
		if line == "" {
			return nil, fmt.Errorf("vocabulary line %d is empty", i+1)
		}
		k := int(wireValue[line[0]])
		if k < 0 || k > len(prev) {
			return nil, fmt.Errorf("vocabulary line %d: bad prefix", i+1)
		}
		rest, spec, hasSpec := strings.Cut(line[1:], "\t")
		w := prev[:k] + rest
		if i > 0 && w <= prev {
			return nil, fmt.Errorf("vocabulary line %d: %q is out of order", i+1, w)
		}
		vocab = append(vocab, w)
		prev = w
		if !hasSpec {
			continue
		}
		var t string
		switch {
		case spec == "":
		case spec[0] == '=':
			t = spec[1:]
		default:
			n := int(wireValue[spec[0]])
			if n < 0 || n > len(w) {
				return nil, fmt.Errorf("vocabulary line %d: bad analysis", i+1)
			}
			t = w[:len(w)-n] + spec[1:]
		}
		if ex.Lex[t] != "" {
			ex.Lex[t] += " "
		}
		ex.Lex[t] += w
	}
	for _, wf := range wx.Fields {
		nums, err := readNums(wf.Postings)
		if err != nil {
			return nil, fmt.Errorf("field %s postings: %w", wf.Name, err)
		}
		f := exportField{Name: wf.Name, Boost: wf.Boost, Code: wf.Code, Pos: wf.Pos, Lens: make([]int, len(wx.Docs)), Postings: map[string][]int{}}
		id := -1
		for i := 0; i < len(nums); {
			if i+2 > len(nums) {
				return nil, fmt.Errorf("field %s: truncated postings", wf.Name)
			}
			id += nums[i]
			n := nums[i+1]
			i += 2
			if nums[i-2] < 1 || id >= len(vocab) || i+n > len(nums) {
				return nil, fmt.Errorf("field %s: bad postings", wf.Name)
			}
			f.Postings[vocab[id]] = nums[i : i+n]
			addLens(f.Lens, nums[i:i+n], f.Pos)
			i += n
		}
		ex.Fields = append(ex.Fields, f)
	}
	for _, row := range wx.Docs {
		if len(row) < docMessage || len(row) > docMessage+1 {
			return nil, fmt.Errorf("document row has %d columns, want %d or %d", len(row), docMessage, docMessage+1)
		}
		slug := rules.Slug(row[0])
		if len(row) > docMessage {
			slug = row[docMessage]
		}
		for _, k := range rules.CodeKeys(row[0]) {
			addDoc(ex.Codes, k, len(ex.Docs))
		}
		ex.Docs = append(ex.Docs, append([]string{slug}, row[:docMessage]...))
	}
	return ex, nil
}

// addLens adds the term frequencies of packed postings (see
// packPostings) to the field lengths, skipping what does not fit: the
// searcher reports malformed postings.
func addLens(lens, raw []int, withPos bool) {
	d := -1
	for i := 0; i < len(raw); {
		v := raw[i]
		i++
		d += v >> 2
		tf := v&3 + 1
		if tf == 4 && i < len(raw) {
			tf = raw[i]
			i++
		}
		if d < 0 || d >= len(lens) {
			return
		}
		lens[d] += tf
		if withPos {
			i += tf
		}
	}
}
