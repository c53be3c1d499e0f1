package search_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
)

// genWords is the vocabulary of the generated corpus: real words, so that
// the stemmer has something to fold, and made-up ones, so that the word
// list grows with the corpus as a real one would.
var genWords = strings.Fields(`
account access active adapter address agent allow app application audio auth
authentication backend block blocked blocking blocks browser buffer cache cached
callback certificate change check client close code config configure connect
connected connection connections content corrupt country credential credentials
data decode decoder device devices disable disabled disk display download
downloaded downloads driver drivers email enable enabled endpoint error errors
expire expired fail failed failing fails file files firewall folder free handshake
header hosts install installed installer installing internet invalid key keys
launch library licence limit limited listen local lock locked log login logs
mobile mode network offline open package password path play playback player
playing plays policy port premium process profile protect protected proxy queue
rate reach region registry reinstall remove request requests reset resolve restart
retry route router secure server servers service session settings setup sign signal
socket speaker storage stream streaming subscription support sync system timeout
token tokens track tracks update updated updates updating upgrade user username
verify version video volume wait windows write`)

var genSyllables = strings.Fields("ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu")

var genSubsystems = []string{"auth", "accounts", "session", "accesspoint", "connection", "playback", "connect", "client", "installer", "web-api"}

// genCorpus returns a deterministic site of n generated codes.
func genCorpus(n int) *errref.Site {
	r := rand.New(rand.NewPCG(42, uint64(n)))
	made := make([]string, 0, 2000)
	for len(made) < 2000 {
		w := ""
		for k := 2 + r.IntN(3); k > 0; k-- {
			w += genSyllables[r.IntN(len(genSyllables))]
		}
		made = append(made, w)
	}
	word := func() string {
		if r.IntN(3) == 0 {
			return made[r.IntN(len(made))]
		}
		return genWords[r.IntN(len(genWords))]
	}
	sentence := func(lo, hi int) string {
		k := lo + r.IntN(hi-lo+1)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = word()
		}
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
		return strings.Join(ws, " ") + "."
	}
	cfg := errref.Config{Title: "gen"}
	for i, c := range []string{"login", "network", "playback", "install", "web-api"} {
		cfg.Categories = append(cfg.Categories, errref.Category{ID: c, Label: c, Order: i + 1})
	}
	for _, s := range genSubsystems {
		cfg.Subsystems = append(cfg.Subsystems, errref.Term{ID: s, Label: s})
	}
	cfg.Platforms = []errref.Term{{ID: "windows", Label: "Windows"}, {ID: "macos", Label: "macOS"}}
	in := &errref.Input{Config: cfg}
	seen := map[string]bool{}
	for len(in.Codes) < n {
		sub := genSubsystems[r.IntN(len(genSubsystems))]
		var code string
		switch r.IntN(6) {
		case 0, 1, 2:
			code = fmt.Sprintf("%s:%d", sub, r.IntN(5000))
		case 3:
			lo := r.IntN(900)
			code = fmt.Sprintf("%s:%d–%d", sub, lo, lo+1+r.IntN(4))
		case 4:
			code = strings.ToUpper(strings.ReplaceAll(word()+"_"+word()+"_"+word(), "-", "_"))
		default:
			code = fmt.Sprintf("com.spotify.%s -%d", word(), 1+r.IntN(9))
		}
		slug := rules.Slug(code)
		if seen[slug] || slug == "" {
			continue
		}
		seen[slug] = true
		c := &errref.Code{
			Code:       code,
			Slug:       slug,
			Title:      strings.TrimSuffix(sentence(3, 7), "."),
			Severity:   errref.Severities[r.IntN(len(errref.Severities))],
			Category:   cfg.Categories[r.IntN(len(cfg.Categories))].ID,
			Handling:   errref.Handlings[r.IntN(len(errref.Handlings))],
			Message:    sentence(4, 12),
			Platforms:  [][]string{{"windows"}, {"macos"}, {"windows", "macos"}}[r.IntN(3)],
			Added:      "2026-01-01",
			Resolution: []string{sentence(4, 10), sentence(4, 10)},
			Causes:     []string{sentence(4, 10)},
		}
		if r.IntN(3) == 0 {
			c.Message += fmt.Sprintf(" (Error code: %s)", code)
		}
		if r.IntN(4) == 0 {
			c.AltMessages = []string{sentence(4, 10)}
		}
		if r.IntN(3) == 0 {
			c.Aliases = []string{fmt.Sprintf("error %d", r.IntN(1000))}
		}
		for k := 1 + r.IntN(3); k > 0; k-- {
			c.Chain = append(c.Chain, errref.ChainStep{Step: word() + " " + word(), Detail: sentence(2, 5)})
		}
		if r.IntN(2) == 0 {
			c.Note = sentence(10, 30) + " " + sentence(5, 20)
		}
		in.Codes = append(in.Codes, c)
	}
	return errref.NewSite(in)
}

var genIndexes sync.Map // n -> []byte

// genIndex returns search-index.json for a generated corpus of n codes.
func genIndex(n int) ([]byte, *errref.Site, error) {
	site := genCorpus(n)
	if v, ok := genIndexes.Load(n); ok {
		return v.([]byte), site, nil
	}
	ix, err := errref.Index(site)
	if err != nil {
		return nil, nil, err
	}
	defer ix.Close()
	data, err := ix.JSON()
	if err != nil {
		return nil, nil, err
	}
	genIndexes.Store(n, data)
	return data, site, nil
}
