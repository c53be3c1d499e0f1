package search_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
	"github.com/errref/errref/internal/search"
)

// root is the repository's root, which holds the real codes/ and
// site.yaml; searchJSPath is the browser's twin of this package.
const (
	root         = "../.."
	searchJSPath = root + "/static/search.js"
)

// realCorpus loads the real codes/ and site.yaml once per test binary.
var realCorpus = sync.OnceValues(func() (*errref.Site, error) {
	in, probs := errref.Load(os.DirFS(root))
	if probs.HasErrors() {
		return nil, probs
	}
	return errref.NewSite(in), nil
})

func realSite(t testing.TB) *errref.Site {
	t.Helper()
	site, err := realCorpus()
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// realIndex builds the index of the real corpus once per test binary.
var realIndex = sync.OnceValues(func() ([]byte, error) {
	site, err := realCorpus()
	if err != nil {
		return nil, err
	}
	ix, err := errref.Index(site)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	return ix.JSON()
})

func realSearcher(t testing.TB) *search.Searcher {
	t.Helper()
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// proseTexts returns every prose value bleve indexes for the site.
func proseTexts(site *errref.Site) []string {
	var out []string
	for _, d := range errref.SearchDocs(site) {
		out = append(out, search.ProseTexts(d)...)
	}
	return out
}

// TestTokenizerMatchesBleve checks that the query tokenizer (and so
// search.js) splits the corpus into the same words, at the same positions,
// as bleve's unicode tokenizer: the word list and the order bonus depend
// on it.
func TestTokenizerMatchesBleve(t *testing.T) {
	gen := genCorpus(300)
	texts := append(proseTexts(realSite(t)), proseTexts(gen)...)
	texts = append(texts,
		"accounts:53 desktop_login_accounts:5 com.spotify.installer -1",
		"won't Spotify's e.g. 1.2.3 1,000 4xx v1/me a:b chrome://x __init__ _x a _ b",
		"naïve café Σίσυφος ‘quoted’ it’s 3.x a.1 a_1 1_a Wi-Fi %AppData%\\Spotify",
		"日本語 テスト x·y 53–55 −1 (Error code: accounts:103)")
	tok := unicode.NewUnicodeTokenizer()
	for _, text := range texts {
		var want []string
		for _, tk := range tok.Tokenize([]byte(text)) {
			want = append(want, fmt.Sprintf("%s@%d", rules.LowerString(string(tk.Term)), tk.Position))
		}
		got, err := search.TokenWords(text)
		if err != nil {
			t.Error(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %v\nwant %v", text, got, want)
		}
	}
}

// TestOracleSingleWords checks, for every word of the corpus, that the
// codes the searcher matches without expansions are the codes bleve's own
// match queries find in the scorch index.
func TestOracleSingleWords(t *testing.T) {
	site := realSite(t)
	ix, s, _ := buildSearcher(t, site)
	words := map[string]bool{}
	tok := unicode.NewUnicodeTokenizer()
	for _, text := range proseTexts(site) {
		for _, tk := range tok.Tokenize([]byte(text)) {
			words[rules.LowerString(string(tk.Term))] = true
		}
	}
	for _, term := range ix.CodeFieldTerms() {
		if ws := search.Words(term); len(ws) == 1 && ws[0] == term {
			words[term] = true
		}
	}
	var list []string
	for w := range words {
		list = append(list, w)
	}
	sort.Strings(list)
	if len(list) < 500 {
		t.Fatalf("only %d words", len(list))
	}
	// A word also matches the words of its synonym groups: those with a
	// member that is the word or analyzes as it.
	ana := ix.Bleve().Mapping().AnalyzerNamed("en")
	terms := func(w string) string {
		var ts []string
		for _, tk := range ana.Analyze([]byte(w)) {
			ts = append(ts, string(tk.Term))
		}
		return strings.Join(ts, " ")
	}
	synWords := func(w string) []string {
		var out []string
		for _, g := range search.SynonymGroups {
			in := false
			for _, m := range g {
				if m == w || (terms(m) != "" && terms(m) == terms(w)) {
					in = true
				}
			}
			if in {
				out = append(out, g...)
			}
		}
		return out
	}
	nonEmpty, withSyn := 0, 0
	for _, w := range list {
		var qs []query.Query
		for _, f := range search.FieldNames() {
			mq := bleve.NewMatchQuery(w)
			mq.SetField(f)
			qs = append(qs, mq)
		}
		syn := synWords(w)
		if len(syn) > 0 {
			withSyn++
		}
		for _, g := range syn {
			for _, f := range search.FieldNames() {
				mq := bleve.NewMatchQuery(g)
				mq.SetField(f)
				qs = append(qs, mq)
			}
		}
		req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), len(site.Codes)+1, 0, false)
		res, err := ix.Bleve().Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, h := range res.Hits {
			i, _ := strconv.Atoi(h.ID)
			want = append(want, ix.Slug(i))
		}
		var got []string
		// The trailing space ends the word: no prefix expansion. Corpus
		// words always match, so no typo expansion either.
		for _, h := range s.Search(w+" ", search.Options{}) {
			got = append(got, h.Slug)
		}
		sort.Strings(want)
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: searcher %v, bleve %v", w, got, want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < len(list)/2 {
		t.Errorf("only %d of %d words match anything", nonEmpty, len(list))
	}
	if withSyn < 20 {
		t.Errorf("only %d words have synonyms", withSyn)
	}
	t.Logf("%d words, %d matching codes, %d with synonyms", len(list), nonEmpty, withSyn)
}

func top(t *testing.T, s *search.Searcher, q string, opts search.Options) search.Hit {
	t.Helper()
	hits := s.Search(q, opts)
	if len(hits) == 0 {
		t.Fatalf("%q: no hits", q)
	}
	return hits[0]
}

func wantFirst(t *testing.T, s *search.Searcher, q, code string) {
	t.Helper()
	hits := s.Search(q, search.Options{Limit: 3})
	if len(hits) == 0 || hits[0].Code != code {
		t.Errorf("%q: first %v, want %s", q, codesOf(hits), code)
	}
}

func codesOf(hs []search.Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Code
	}
	return out
}

// spellings are ways a person types a code: as shown, in capitals, in
// lower case, with spaces or dashes for its punctuation, without it, and
// finished with a space.
func spellings(code string) []string {
	spaced := strings.Map(func(r rune) rune {
		if rules.WordRune(r) {
			return r
		}
		return ' '
	}, code)
	dashed := strings.Join(strings.Fields(spaced), "-")
	return []string{
		code, code + " ", strings.ToUpper(code), strings.ToLower(code),
		spaced, dashed, strings.ToLower(rules.CodeKey(code)), "  " + strings.ToUpper(dashed) + " ",
	}
}

func TestRankCodeInAnySpelling(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	if len(site.Codes) < 10 {
		t.Fatalf("only %d codes", len(site.Codes))
	}
	for _, c := range site.Codes {
		for _, q := range spellings(c.Code) {
			wantFirst(t, s, q, c.Code)
		}
		for _, a := range c.Aliases {
			// An alias may name several codes ("error 5"); the code must
			// be among those ranked above everything else.
			hits := s.Search(a, search.Options{})
			found := false
			for _, h := range hits {
				if h.Score < hits[0].Score/2 {
					break
				}
				found = found || h.Code == c.Code
			}
			if !found {
				t.Errorf("alias %q of %s: hits %v", a, c.Code, codesOf(hits))
			}
		}
	}
	// The exact code outranks everything: its score is more than twice the
	// best score of any other code.
	hits := s.Search("accounts:4", search.Options{})
	if len(hits) < 2 || hits[0].Code != "accounts:4" || hits[0].Score < 2*hits[1].Score {
		t.Errorf("accounts:4: %v", hits)
	}
}

func TestRankRangeMembers(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	var ranged []*errref.Code
	for _, c := range site.Codes {
		if _, _, _, ok := rules.NumericRange(rules.TrimNonWord([]rune(c.Code))); ok {
			ranged = append(ranged, c)
		}
	}
	if len(ranged) == 0 {
		t.Fatal("no range code in the corpus")
	}
	for _, c := range ranged {
		prefix, lo, hi, _ := rules.NumericRange(rules.TrimNonWord([]rune(c.Code)))
		for n := lo; n <= hi; n++ {
			member := prefix + strconv.Itoa(n)
			for _, q := range spellings(member) {
				wantFirst(t, s, q, c.Code)
			}
		}
	}
	wantFirst(t, s, "accounts:54", "accounts:53–55")
	wantFirst(t, s, "Accounts 54", "accounts:53–55")
}

func TestRankPastedMessage(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	n := 0
	for _, c := range site.Codes {
		for _, m := range c.Messages() {
			// With the code the dialog shows, that code comes first.
			suffix := " (Error code: " + c.Code + ")"
			if strings.Contains(m, "(Error code:") {
				suffix = ""
			}
			wantFirst(t, s, m+suffix, c.Code)
			// Without it, the first hit shows that very message (several
			// codes share some messages) and this code is among the hits.
			hits := s.Search(m, search.Options{})
			if len(hits) == 0 {
				t.Errorf("message %q: no hits", m)
				continue
			}
			firstMsgs := map[string]bool{}
			for _, fm := range site.BySlug[hits[0].Slug].Messages() {
				firstMsgs[rules.NormalizeMessage(fm)] = true
			}
			if !firstMsgs[rules.NormalizeMessage(m)] {
				t.Errorf("message %q: first %s shows another message", m, hits[0].Code)
			}
			if !containsCode(hits, c.Code) {
				t.Errorf("message %q: %s not among %v", m, c.Code, codesOf(hits))
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d messages", n)
	}
	wantFirst(t, s, "A firewall may be blocking Spotify. (Error code: accounts:103)", "accounts:103")
	wantFirst(t, s, "a firewall may be blocking spotify (error code: session:103)", "session:103")
}

func containsCode(hs []search.Hit, code string) bool {
	for _, h := range hs {
		if h.Code == code {
			return true
		}
	}
	return false
}

func scoreOf(hs []search.Hit, slug string) float64 {
	for _, h := range hs {
		if h.Slug == slug {
			return h.Score
		}
	}
	return 0
}

func TestRankPrefixWhileTyping(t *testing.T) {
	s := realSearcher(t)
	full := s.Search("firewall ", search.Options{})
	if len(full) < 3 {
		t.Fatalf("firewall: %v", full)
	}
	for _, q := range []string{"fi", "fir", "firew", "firewa"} {
		hits := s.Search(q, search.Options{})
		if len(hits) == 0 {
			t.Errorf("%q: no hits", q)
			continue
		}
		// What the prefix finds first is a firewall code, and it scores
		// below the finished word.
		if scoreOf(full, hits[0].Slug) == 0 {
			t.Errorf("%q: first %s does not mention firewalls", q, hits[0].Code)
		}
		if got, want := hits[0].Score, scoreOf(full, hits[0].Slug); got >= want {
			t.Errorf("%q: prefix score %v not below exact %v", q, got, want)
		}
	}
	// A finished word (trailing space) is not a prefix.
	if hits := s.Search("firew ", search.Options{}); len(hits) != 0 {
		t.Errorf("\"firew \": %v", codesOf(hits))
	}
	// A single letter never expands.
	if hits := s.Search("f", search.Options{}); len(hits) != 0 {
		t.Errorf("\"f\": %v", codesOf(hits))
	}
	// Typing a code: its first characters bring it up first.
	if c := top(t, s, "desktop_login_accounts:", search.Options{}).Code; !strings.HasPrefix(c, "desktop_login_accounts:") {
		t.Errorf("desktop_login_accounts: first %s", c)
	}
	for _, q := range []string{"accounts:10", "accounts 10", "accounts:1"} {
		if c := top(t, s, q, search.Options{}).Code; !strings.HasPrefix(c, "accounts:1") {
			t.Errorf("%q: first %s", q, c)
		}
	}
}

// TestRankShortLastWord checks that a short last word that matches exactly
// after another word is read as finished: "wi-fi" typed without a space
// finds the Wi-Fi codes, not the firewall ones "fi" begins.
func TestRankShortLastWord(t *testing.T) {
	s := realSearcher(t)
	typed, done := s.Search("wi-fi", search.Options{}), s.Search("wi-fi ", search.Options{})
	if len(done) == 0 || !slices.Equal(slugs(typed), slugs(done)) {
		t.Errorf("\"wi-fi\" = %v, want the same as \"wi-fi \" = %v", codesOf(typed), codesOf(done))
	}
	for _, h := range typed {
		if strings.Contains(strings.ToLower(h.Title), "firewall") {
			t.Errorf("\"wi-fi\" finds %s %q", h.Code, h.Title)
		}
	}
	// Alone, or not matching exactly, a short last word is still a prefix.
	if c := top(t, s, "fi", search.Options{}).Title; !strings.Contains(strings.ToLower(c), "firewall") {
		t.Errorf("\"fi\": first %q", c)
	}
}

// TestRankSynonymPrefixAndTypo checks that a word known only as a synonym
// ("sound" is in no page; "audio" is) is a prefix and typo target too.
func TestRankSynonymPrefixAndTypo(t *testing.T) {
	s := realSearcher(t)
	want := top(t, s, "sound ", search.Options{}).Slug
	for _, q := range []string{"soun", "soudn ", "sounf "} {
		hits := s.Search(q, search.Options{})
		if len(hits) == 0 || hits[0].Slug != want {
			t.Errorf("%q: %v, want %s first", q, codesOf(hits), want)
		}
	}
}

// TestHyphenatedCompound checks that two words joined by '-' are read as
// the one word written together when a part is unknown and the whole is
// known, with later positions moved up, and left alone otherwise.
func TestHyphenatedCompound(t *testing.T) {
	s, data := tinySearcher(t, map[string][2]string{
		"x:1": {"Wifi drops often", "One."},
		"x:2": {"Sign in fails", "Two."},
	})
	for q, want := range map[string]string{
		"wi-fi drops":  "wifi@1 drops@2",
		"wi-fi  drops": "wifi@1 drops@2",
		"wi - fi":      "wi@1 fi@2",
		"sign-in":      "sign@1 in@2",
		"wi-fi-drops":  "wifi@1 drops@2",
	} {
		got := s.AnalyzedWords(q)
		if g := strings.Join(got, " "); g != want {
			t.Errorf("%q: words %s, want %s", q, g, want)
		}
	}
	if hits := s.Search("wi-fi drops ", search.Options{}); len(hits) == 0 || hits[0].Slug != "x-1" {
		t.Errorf("\"wi-fi drops \": %v", slugs(hits))
	}
	checkParity(t, s, newJSSearcher(t, data), []string{"wi-fi drops ", "wi-fi drops", "wi-fi-drops", "wi - fi", "sign-in", "x-1", "wi-fi"})
}

// TestFacetsOfPunctuation checks that a query of punctuation alone, which
// finds nothing, counts nothing either, while an empty query counts all.
func TestFacetsOfPunctuation(t *testing.T) {
	s := realSearcher(t)
	sum := func(q string) int {
		n := 0
		for _, vs := range s.Facets(q, search.Options{}) {
			for _, c := range vs {
				n += c
			}
		}
		return n
	}
	if n := sum(""); n == 0 {
		t.Error("an empty query counts nothing")
	}
	if n := sum("  "); n != sum("") {
		t.Errorf("white space counts %d, want %d like the empty query", n, sum(""))
	}
	for _, q := range []string{"?!", "—", "::"} {
		if hits := s.Search(q, search.Options{}); len(hits) != 0 {
			t.Errorf("%q finds %v", q, codesOf(hits))
		}
		if n := sum(q); n != 0 {
			t.Errorf("%q: facets count %d codes, want 0", q, n)
		}
	}
}

func TestRankTypos(t *testing.T) {
	s := realSearcher(t)
	for _, tc := range []struct{ typo, word string }{
		{"firwall", "firewall"},  // deletion
		{"firewlal", "firewall"}, // swap
		{"pasword", "password"},  // deletion in a 7-letter word
		{"passwrod", "password"}, // swap
		{"credentails", "credentials"},
		{"authentification", "authentication"}, // two edits in a long word
		{"upadte", "update"},
		{"prixy", "proxy"},
		{"offlne", "offline"},
		{"widewine", "widevine"},
	} {
		want := s.Search(tc.word+" ", search.Options{})
		got := s.Search(tc.typo+" ", search.Options{})
		if len(want) == 0 || len(got) == 0 {
			t.Errorf("%q/%q: %v / %v", tc.typo, tc.word, codesOf(got), codesOf(want))
			continue
		}
		if got[0].Slug != want[0].Slug {
			t.Errorf("%q: first %s, %q first %s", tc.typo, got[0].Code, tc.word, want[0].Code)
		}
		if got[0].Score >= want[0].Score {
			t.Errorf("%q: typo score %v not below %v", tc.typo, got[0].Score, want[0].Score)
		}
	}
	// Words under four letters are not corrected.
	if hits := s.Search("vpm ", search.Options{}); len(hits) != 0 {
		t.Errorf("vpm: %v", codesOf(hits))
	}
}

func TestRankStems(t *testing.T) {
	s := realSearcher(t)
	base := s.Search("blocked ", search.Options{})
	if len(base) < 3 {
		t.Fatalf("blocked: %v", codesOf(base))
	}
	for _, q := range []string{"blocking ", "blocks ", "block ", "BLOCKED "} {
		got := s.Search(q, search.Options{})
		if msg := diffHits(base, got); msg != "" {
			t.Errorf("%q differs from \"blocked\": %s", q, msg)
		}
	}
	for _, q := range []string{"installing", "installer ", "installation"} {
		if !containsCode(s.Search(q, search.Options{}), "Installer error 18") {
			t.Errorf("%q does not find Installer error 18", q)
		}
	}
}

func TestRankSentences(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	for _, tc := range []struct {
		q        string
		code     string // first, or
		category string // category of the first three
	}{
		{q: "spotify won't log in", category: "login"},
		{q: "can't log in to spotify", category: "login"},
		{q: "login timed out", code: "desktop_login_accounts:2"},
		{q: "wrong password", code: "accounts:3"},
		{q: "the installer says files are in use by another process", code: "Installer error 18"},
		{q: "spotify says premium required", code: "PREMIUM_REQUIRED"},
		{q: "this song isn't available in my country", code: "NOT_AVAILABLE_IN_CURRENT_REGION"},
		{q: "no internet connection but my wifi works", code: "accounts:4"},
		{q: "too many requests", code: "HTTP 429"},
		{q: "drm protected content", category: "playback"},
		{q: "firewall blocking spotify", category: "network"},
	} {
		hits := s.Search(tc.q, search.Options{Limit: 3})
		if len(hits) == 0 {
			t.Errorf("%q: no hits", tc.q)
			continue
		}
		if tc.code != "" && hits[0].Code != tc.code {
			t.Errorf("%q: first %v, want %s", tc.q, codesOf(hits), tc.code)
		}
		if tc.category != "" {
			n := 0
			for _, h := range hits {
				if site.BySlug[h.Slug].Category == tc.category {
					n++
				}
			}
			if n < 2 {
				t.Errorf("%q: %v, want mostly %s", tc.q, codesOf(hits), tc.category)
			}
		}
	}
	// Stop words do not drown a sentence: "spotify won't log in" finds
	// what "log" finds first.
	if a, b := top(t, s, "spotify won't log in", search.Options{}), top(t, s, "log ", search.Options{}); a.Slug != b.Slug {
		t.Errorf("sentence first %s, \"log\" first %s", a.Code, b.Code)
	}
}

// TestRankSynonyms checks that the words people use find the words the
// pages use, and always below the page's own word.
func TestRankSynonyms(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	category := func(h search.Hit) string { return site.BySlug[h.Slug].Category }
	for _, tc := range []struct{ q, category string }{
		{"spotify won't log in", "login"},
		{"spotify keeps logging me out", "login"},
		{"can't sign in", "login"},
		{"no sound", "playback"},
		{"song won't play", "playback"},
		{"this song is greyed out", "playback"},
		{"reinstall", "install"},
	} {
		hits := s.Search(tc.q, search.Options{Limit: 3})
		if len(hits) < 3 {
			t.Errorf("%q: only %v", tc.q, codesOf(hits))
			continue
		}
		for _, h := range hits {
			if category(h) != tc.category {
				t.Errorf("%q: top three %v, want all in %s (%s is in %s)", tc.q, codesOf(hits), tc.category, h.Code, category(h))
				break
			}
		}
	}
	// A word the corpus never uses finds its group: "sound" is "audio".
	// One query word, no order bonus: the synonym scores exactly 0.8 of
	// the word itself, on the same codes.
	for _, pair := range [][2]string{{"sound ", "audio "}, {"song ", "track "}, {"reboot ", "restart "}} {
		syn, word := s.Search(pair[0], search.Options{}), s.Search(pair[1], search.Options{})
		if len(word) == 0 || len(syn) == 0 {
			t.Errorf("%q: %d hits, %q: %d hits", pair[0], len(syn), pair[1], len(word))
			continue
		}
		if syn[0].Slug != word[0].Slug || math.Abs(syn[0].Score-0.8*word[0].Score) > 1e-9 {
			t.Errorf("%q first %s %.4f; %q first %s %.4f (want 0.8 of it)", pair[0], syn[0].Code, syn[0].Score, pair[1], word[0].Code, word[0].Score)
		}
	}
}

func TestRankNonsense(t *testing.T) {
	s := realSearcher(t)
	for _, q := range []string{"", "   ", "xqzv", "xqzv blorf", "qwrtzp mnbvc zzzz", "the of and", "the", "a an the is", "!!! ???", "zzzzzzzzzzzz"} {
		if hits := s.Search(q, search.Options{}); len(hits) != 0 {
			t.Errorf("%q: %v", q, codesOf(hits))
		}
	}
}

func TestRankFilters(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	all := s.Search("firewall", search.Options{})
	if len(all) < 4 {
		t.Fatalf("firewall: %v", codesOf(all))
	}
	facets := s.Facets("firewall", search.Options{})
	for _, name := range search.FacetNames {
		sum := 0
		for _, n := range facets[name] {
			sum += n
		}
		if name == "platform" {
			if sum < len(all) {
				t.Errorf("platform counts %v sum below %d hits", facets[name], len(all))
			}
		} else if sum != len(all) {
			t.Errorf("%s counts %v sum to %d, want %d", name, facets[name], sum, len(all))
		}
	}
	for cat, n := range facets["category"] {
		opts := search.Options{Filters: map[string][]string{"category": {cat}}}
		hits := s.Search("firewall", opts)
		if len(hits) != n {
			t.Errorf("category %s: %d hits, facet says %d", cat, len(hits), n)
		}
		for _, h := range hits {
			if site.BySlug[h.Slug].Category != cat {
				t.Errorf("category %s: hit %s is %s", cat, h.Code, site.BySlug[h.Slug].Category)
			}
			// A filter never changes a score.
			if scoreOf(all, h.Slug) != h.Score {
				t.Errorf("filter changed the score of %s", h.Code)
			}
		}
		// Counts of the other facets follow the filter; the filtered
		// facet still shows every value.
		f2 := s.Facets("firewall", opts)
		if !reflect.DeepEqual(f2["category"], facets["category"]) {
			t.Errorf("category counts changed under their own filter: %v vs %v", f2["category"], facets["category"])
		}
		sev := 0
		for _, v := range f2["severity"] {
			sev += v
		}
		if sev != n {
			t.Errorf("category %s: severity counts sum %d, want %d", cat, sev, n)
		}
	}
	mac := s.Search("install", search.Options{Filters: map[string][]string{"platform": {"macos"}, "severity": {"fatal", "error"}}})
	if len(mac) == 0 {
		t.Error("install on macOS: no hits")
	}
	for _, h := range mac {
		c := site.BySlug[h.Slug]
		if !slices.Contains(c.Platforms, "macos") || (c.Severity != "fatal" && c.Severity != "error") {
			t.Errorf("install on macos: %s %v %s", c.Code, c.Platforms, c.Severity)
		}
	}
	// An empty query counts every code.
	empty := s.Facets("", search.Options{})
	total := 0
	for _, n := range empty["severity"] {
		total += n
	}
	if total != len(site.Codes) {
		t.Errorf("empty query: severity counts sum %d, want %d", total, len(site.Codes))
	}
	if hits := s.Search("", search.Options{Filters: map[string][]string{"category": {"network"}}}); len(hits) != 0 {
		t.Errorf("empty query returned %d hits", len(hits))
	}
}

func TestSearchIndexIsScorch(t *testing.T) {
	ix, err := errref.Index(realSite(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ai, err := ix.Bleve().Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ai.(*scorch.Scorch); !ok {
		t.Errorf("the index is a %T, want scorch (upsidedown keeps no BM25 statistics)", ai)
	}
}

func TestNewSearcherRejectsBadIndex(t *testing.T) {
	data, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := search.NewSearcher(data); err != nil {
		t.Fatalf("the real index: %v", err)
	}
	pos := slices.Index(search.FieldNames(), "title")
	for name, mutate := range map[string]func(*search.Export){
		"version":        func(ex *search.Export) { ex.Version = 99 },
		"params":         func(ex *search.Export) { ex.Params.MaxWords = 0 },
		"short doc row":  func(ex *search.Export) { ex.Docs[0] = ex.Docs[0][:3] },
		"alias key doc":  func(ex *search.Export) { ex.Aliases["auth1"] = []int{len(ex.Docs)} },
		"posting doc":    func(ex *search.Export) { ex.Fields[0].Postings["x"] = []int{(len(ex.Docs) + 1) * 4} },
		"truncated tf":   func(ex *search.Export) { ex.Fields[0].Postings["x"] = []int{7} },
		"truncated pos":  func(ex *search.Export) { ex.Fields[pos].Postings["x"] = []int{5, 1} },
		"zero delta":     func(ex *search.Export) { ex.Fields[0].Postings["x"] = []int{1} },
		"negative delta": func(ex *search.Export) { ex.Fields[0].Postings["x"] = []int{-8} },
	} {
		ex, err := search.DecodeExport(data)
		if err != nil {
			t.Fatal(err)
		}
		mutate(ex)
		bad, err := search.EncodeExport(ex)
		if err != nil {
			continue // not even written
		}
		if _, err := search.NewSearcher(bad); err == nil {
			t.Errorf("%s: NewSearcher accepted a broken index", name)
		}
	}
	// Damage to the packed form itself.
	for name, edit := range map[string]func(map[string]any){
		"bad number":       func(m map[string]any) { field(m, 0)["postings"] = "!" },
		"truncated number": func(m map[string]any) { field(m, 0)["postings"] = "g" },
		"vocabulary order": func(m map[string]any) { m["vocab"] = "Ab\nAa" },
		"vocabulary empty": func(m map[string]any) { m["vocab"] = "Aa\n\nAb" },
		"shared prefix":    func(m map[string]any) { m["vocab"] = "Aa\nZb" },
		"term index":       func(m map[string]any) { field(m, 0)["postings"] = "_BE" },
	} {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		bad, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := search.NewSearcher(bad); err == nil {
			t.Errorf("%s: NewSearcher accepted a broken index", name)
		}
	}
	if _, err := search.NewSearcher([]byte("{")); err == nil {
		t.Error("NewSearcher accepted broken JSON")
	}
}

// field returns field i of a decoded search-index.json.
func field(m map[string]any, i int) map[string]any {
	return m["fields"].([]any)[i].(map[string]any)
}

// FuzzSearch checks that no query makes the searcher fail, and that hits
// come best first with finite scores.
func FuzzSearch(f *testing.F) {
	for _, q := range parityQueries(genCorpus(30), 10, 4) {
		f.Add(q)
	}
	data, err := realIndex()
	if err != nil {
		f.Fatal(err)
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		hits := s.Search(q, search.Options{})
		for i, h := range hits {
			if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) || h.Score <= 0 {
				t.Fatalf("%q: hit %d score %v", q, i, h.Score)
			}
			if i > 0 && h.Score > hits[i-1].Score {
				t.Fatalf("%q: hits out of order at %d", q, i)
			}
		}
		s.Facets(q, search.Options{})
	})
}

// tinySearcher indexes a handful of codes given as title and message; it
// also returns the index for search.js.
func tinySearcher(t *testing.T, codes map[string][2]string) (*search.Searcher, []byte) {
	t.Helper()
	cfg := errref.Config{Title: "tiny", Categories: []errref.Category{{ID: "login", Label: "Login", Order: 1}},
		Platforms: []errref.Term{{ID: "windows", Label: "Windows"}}}
	in := &errref.Input{Config: cfg}
	for code, tm := range codes {
		in.Codes = append(in.Codes, &errref.Code{Code: code, Slug: rules.Slug(code), Title: tm[0], Message: tm[1],
			Severity: "error", Category: "login", Handling: "retry", Platforms: []string{"windows"},
			Causes: []string{"Cause."}, Resolution: []string{"Step."}, Added: "2026-01-01"})
	}
	_, s, data := buildSearcher(t, errref.NewSite(in))
	return s, data
}

// buildSearcher indexes site with bleve and reads the export back into a
// Searcher; the index stays open until the test ends.
func buildSearcher(t *testing.T, site *errref.Site) (*search.Index, *search.Searcher, []byte) {
	t.Helper()
	ix, err := errref.Index(site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	data, err := ix.JSON()
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		t.Fatal(err)
	}
	return ix, s, data
}

// TestPhraseTierNeedsOneChain checks that the phrase tier goes to a title
// holding the query's words as one run, not to one holding each pair of
// neighbouring words somewhere, in separate places.
func TestPhraseTierNeedsOneChain(t *testing.T) {
	s, data := tinySearcher(t, map[string][2]string{
		"x:1": {"Blue sky green grass", "One."},
		"x:2": {"Blue sky, sky green, green grass", "Two."},
		"x:3": {"Grass is green under a blue sky", "Three."},
	})
	tiers, bonus := s.PhraseTiers("blue sky green grass ")
	want := map[string]int{"x-1": 1, "x-2": 0, "x-3": 0}
	if !reflect.DeepEqual(tiers, want) {
		t.Errorf("tiers %v, want %v", tiers, want)
	}
	if !bonus {
		t.Error("no order bonus at all; the test corpus does not exercise the pairs")
	}
	if hits := s.Search("blue sky green grass ", search.Options{}); len(hits) == 0 || hits[0].Slug != "x-1" {
		t.Errorf("hits = %v, want x-1 first", slugs(hits))
	}
	checkParity(t, s, newJSSearcher(t, data), []string{"blue sky green grass ", "blue sky green grass", "sky green", "grass green", "blue sky, sky green"})
}

// TestRankTypingMessages types every displayed message a letter at a time
// (from its third word on, each word whole and cut by one letter) and
// checks the first hit: its code, or another code whose message begins
// with what is typed so far. Some prefixes are truly ambiguous (two
// messages differ only in stop words, which are not indexed), so the test
// holds the share of right first hits at the level reached, and a few
// prefixes that once went wrong to the right code.
func TestRankTypingMessages(t *testing.T) {
	s := realSearcher(t)
	site := realSite(t)
	startsWith := func(c *errref.Code, typed string) bool {
		for _, m := range c.Messages() {
			if strings.HasPrefix(rules.NormalizeMessage(m), rules.NormalizeMessage(typed)) {
				return true
			}
		}
		return false
	}
	right, total := 0, 0
	for _, c := range site.Codes {
		for _, m := range c.Messages() {
			words := strings.Fields(m)
			for i := 3; i <= len(words); i++ {
				typed := strings.Join(words[:i], " ")
				for _, q := range []string{typed, typed[:len(typed)-1]} {
					total++
					hits := s.Search(q, search.Options{Limit: 1})
					if len(hits) > 0 && (hits[0].Slug == c.Slug || startsWith(site.BySlug[hits[0].Slug], q)) {
						right++
					} else if testing.Verbose() {
						t.Logf("%s: %q first finds %v", c.Code, q, codesOf(hits))
					}
				}
			}
		}
	}
	share := float64(right) / float64(total)
	t.Logf("%d of %d typed prefixes put a right code first (%.1f%%)", right, total, 100*share)
	if share < 0.92 {
		t.Errorf("only %d of %d typed prefixes (%.1f%%) put a right code first; want at least 92%%", right, total, 100*share)
	}
	// Pinned: the codes a half-typed message may put first, by name. Two
	// codes show "This app is restricted to Premium users only."; the code
	// in the message tells them apart.
	for q, want := range map[string][]string{
		"Please download th":               {"accounts:critical-update-error"},
		"No internet connectio":            {"accounts:4"},
		"This app is restricted to Premiu": {"accesspoint:22", "accounts:409"},
		"This app is restricted to Premium users only. (Error code: accesspoint:22)": {"accesspoint:22"},
		"Sorry, this versio":   {"Unsupported Platform"},
		"Playback of protecte": {"EME_NO_SUPPORTED_KEYSYSTEM"},
	} {
		for _, w := range want {
			if c := site.ByCode[w]; c == nil || !startsWith(c, q) && !strings.Contains(q, w) {
				t.Errorf("%q: the pin %s is no code whose message begins so", q, w)
			}
		}
		hits := s.Search(q, search.Options{Limit: 1})
		if len(hits) == 0 || !slices.Contains(want, hits[0].Code) {
			t.Errorf("%q: first %v, want %s", q, codesOf(hits), strings.Join(want, " or "))
		}
	}
}

// realText are queries of the tune half of testdata/search/real-queries.json,
// quoted with their sources, one or more for each kind of text that once
// went wrong; each wants its code first.
var realText = []struct{ class, query, code string }{
	// Unknown words never veto: a tool's name, a word of another language.
	{"unknown words", "Everytime I update or do clean installation I get the following error Error code : 17\nall i remember this issue appeared after I started using SpotX \nthe weird thing is that regardless of the error my spotify version still get updated.", "accesspoint:17"}, // github.com/SpotX-Official/SpotX/issues/599
	{"unknown words", "примерно месяц-два назад перестал работать спотифай, выдает ошибку Something went wrong. try reloading page\nХосты ставил, ниче не помогает, ток впн, хотя может быть хосты были говном и можете кидать свои(если вам они помогали)", "fatal-error"},              // github.com/Flowseal/zapret-discord-youtube/issues/17564
	{"unknown words", "I used the PowerShell command `spicetify backup restore` and `spicetify apply` and I got an error message saying \"Something went wrong. Try reloading the page.\". I click on \"RELOAD PAGE\", but it keeps showing the same message.", "fatal-error"},           // github.com/spicetify/cli/issues/2215
	// A pasted post, log or JSON body finds the code it quotes.
	{"paste", "**What do I do if I see \"Your session has been terminated\"?**\nIf you see this, don't worry! Just try logging back in. If you see the incorrect username or token error, delete your credentials.json and you should be able to log back in.", "accounts:127"},                            // github.com/zotify-dev/zotify/issues/283
	{"paste", "2026-09-03T08:50:06.632707Z ERROR spotify_player::client::handlers: Failed to handle client request: failed to send a Spotify API request https://api.spotify.com/v1/me/albums: {\n  \"error\": {\n    \"status\": 429,\n    \"message\": \"API rate limit exceeded\"\n  }\n}", "HTTP 429"}, // github.com/aome510/spotify-player/issues/1073
	{"paste", "When I opend Spotify I see message \"Playback of protected content is not enabled.\"\n\n\"Sites can play protected content\" is on.", "EME_NO_SUPPORTED_KEYSYSTEM"},                                                                                                                         // github.com/uazo/cromite/issues/2697
	// Addresses are not codes: the words of a URL are ignored.
	{"addresses", "HTTP Error for PUT to https://api.spotify.com/v1/me/player with Params: {} returned 404 due to Not found.\nHTTP Error for PUT to https://api.spotify.com/v1/me/player/play with Params: {} returned 404 due to Player command failed: No active device found", "NO_ACTIVE_DEVICE"}, // github.com/home-assistant/core/issues/69306
	// A bare number prefers the codes whose own number it is.
	{"bare number", "I've recently lost access to my account completely with Error code: 3 (Incorrect Username or Password) but I don't link it with flatpak.", "accounts:3"}, // github.com/flathub/com.spotify.Client/issues/63
	// An HTTP status leads to the codes about it.
	{"http status", "since today all my users (and myself) get the following error trying to start playback:\nerror\":{\"error\":{\"status\":403,\"message\":\"Player command failed: Restriction violated\",\"reason\":\"UNKNOWN\"}}}", "RESTRICTION_VIOLATED"}, // github.com/spotify/web-playback-sdk/issues/100
	{"http status", "Spotify api error 404: no active device found. How to fix?", "NO_ACTIVE_DEVICE"}, // github.com/spotify/web-api/issues/1325
}

func TestRankRealText(t *testing.T) {
	s := realSearcher(t)
	for _, tc := range realText {
		hits := s.Search(tc.query, search.Options{Limit: 3})
		if len(hits) == 0 || hits[0].Code != tc.code {
			t.Errorf("%s: %.60q: first %v, want %s", tc.class, tc.query, codesOf(hits), tc.code)
		}
	}
}

// TestRankNotCodes checks, on the real corpus, that domains, paths,
// addresses and version numbers do not name codes, and how numbers read.
func TestRankNotCodes(t *testing.T) {
	s := realSearcher(t)
	for _, q := range []string{"open.spotify.com", "https://open.spotify.com/track/x", "user@spotify.com", "www.spotify.com/download", "/usr/share/spotify"} {
		for _, h := range s.Search(q, search.Options{}) {
			if h.Match == "code" || h.Match == "alias" || strings.Contains(h.Code, "installer") || h.Code == "accesspoint:50" {
				t.Errorf("%q finds %s (%s), a code it does not name", q, h.Code, h.Match)
			}
		}
	}
	// A version number adds nothing to the word before it.
	if msg := diffHits(s.Search("Spotify ", search.Options{}), s.Search("Spotify 1.2.50.335", search.Options{})); msg != "" {
		t.Errorf("a version number changes the hits of \"Spotify\": %s", msg)
	}
	// "error code 3" is a code numbered 3, not the installer's -3.
	for i, h := range s.Search("error code 3", search.Options{Limit: 3}) {
		if !strings.HasSuffix(h.Code, ":3") {
			t.Errorf("error code 3: hit %d is %s", i+1, h.Code)
		}
	}
	wantFirst(t, s, "com.spotify.installer -3", "com.spotify.installer -3")
	wantFirst(t, s, "installer -3 ", "com.spotify.installer -3")
	// A status after "HTTP", "status" or "api" finds the codes about it;
	// without them, the code numbered so.
	wantFirst(t, s, "HTTP 404", "NO_ACTIVE_DEVICE")
	wantFirst(t, s, `"status": 404`, "NO_ACTIVE_DEVICE")
	// "HTTP 403" finds first the codes whose own alias names that
	// status, whichever those are in the corpus.
	about403 := map[string]bool{}
	for _, c := range realSite(t).Codes {
		for _, a := range c.Aliases {
			if strings.HasPrefix(a, "HTTP 403 ") {
				about403[c.Code] = true
			}
		}
	}
	if len(about403) < 2 {
		t.Fatalf("the corpus has %d codes with an alias \"HTTP 403 …\"; the check below needs two", len(about403))
	}
	for i, h := range s.Search("HTTP 403 ", search.Options{Limit: len(about403)}) {
		if !about403[h.Code] {
			t.Errorf("HTTP 403: hit %d is %s, which no alias ties to status 403", i+1, h.Code)
		}
	}
	wantFirst(t, s, "error 403", "accounts:403")
}

// TestRankCodeNameWords checks that a word of a code's name weighs less
// than the same word in a title: "failed" finds the code whose title says
// so before the one whose name holds it.
func TestRankCodeNameWords(t *testing.T) {
	s, data := tinySearcher(t, map[string][2]string{
		"X_REQUEST_FAILED": {"A piece did not download", "One."},
		"x:2":              {"Sign in failed", "Two."},
	})
	hits := s.Search("failed ", search.Options{})
	if len(hits) != 2 || hits[0].Code != "x:2" {
		t.Errorf("failed: %v, want x:2 first, then X_REQUEST_FAILED", codesOf(hits))
	}
	checkParity(t, s, newJSSearcher(t, data), []string{"failed ", "request failed", "x_request_failed"})
}

// TestUnknownCodes checks what Unknown names, on the real corpus.
func TestUnknownCodes(t *testing.T) {
	s := realSearcher(t)
	for q, want := range map[string][]string{
		"auth:74":                                 {"auth:74"},
		"accounts:999 ":                           {"accounts:999"},
		"Spotify connection problem. Error 410":   {"Error 410"},
		"playback cli returns error code 503 now": {"error code 503"},
		"HTTP 410":                                {"HTTP 410"},
		"Auth-Flow: AUTHENTICATION_SERVICE_UNAVAILABLE":    {"AUTHENTICATION_SERVICE_UNAVAILABLE"},
		"Receiving kSpErrorLoginBadCredentials":            {"kSpErrorLoginBadCredentials"},
		"Connection error: login_region_mismatch":          {"login_region_mismatch"},
		"the embedded SDK logs SpCallbackError twice":      {"SpCallbackError"},
		"Error Domain=com.spotify.app.remote Code=7 \"x\"": {"com.spotify.app.remote Code=7"},
		// Codes of the site, in any spelling, and strings being typed.
		"auth:73": nil, "AUTH 73": nil, "auth:7": nil, "Error code: 3": nil, "error code 17": nil,
		"HTTP 403": nil, "NO_ACTIVE_DEVICE": nil, "INVALID_CLIENT: Invalid client": nil,
		"accounts:54": nil, "com.spotify.installer -3": nil,
		// Not code-shaped.
		"Spotify 1.2.50 on Windows 10": nil, "ERROR spotify_player::client": nil, "client_id and redirect_uri": nil,
		"2026-09-03T08:50:06Z": nil, "client: couldn't decode error: (42) [Bad request]": nil, "SpotifyError in Spotify": nil, "SpError": nil, "flatpak com.spotify.Client 1.2.26": nil, "com.spotify.installer code -3": nil,
	} {
		if got := s.Unknown(q); !slices.Equal(got, want) {
			t.Errorf("Unknown(%q) = %q, want %q", q, got, want)
		}
	}
	// The closest codes of an unknown one come first, nearest number first.
	wantFirst(t, s, "auth:74", "auth:73")
}

// TestMatch checks that every hit says why it matched.
func TestMatch(t *testing.T) {
	s := realSearcher(t)
	for q, want := range map[string]string{
		"accounts:4":                       "code",
		"accounts:54":                      "code",
		"error 17":                         "alias",
		"No internet connection detected ": "phrase",
		"firewall ":                        "words",
		"firew":                            "prefix",
		"accounts:1":                       "prefix",
		"firwall ":                         "typo",
	} {
		if h := top(t, s, q, search.Options{}); h.Match != want {
			t.Errorf("%q: first %s matched by %q, want %q", q, h.Code, h.Match, want)
		}
	}
}
