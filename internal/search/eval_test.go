package search_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
	"github.com/errref/errref/internal/search"
)

// realQueriesPath is the evaluation set: text people wrote in public
// about Spotify errors, each with the codes that answer it (see
// testdata/search/README.md).
const realQueriesPath = root + "/testdata/search/real-queries.json"

type evalQuery struct {
	Query   string   `json:"query"`
	Want    []string `json:"want"`
	Source  string   `json:"source"`
	Split   string   `json:"split"`
	Kind    string   `json:"kind"`
	Unknown string   `json:"unknown"`
	Pending bool     `json:"pending"`
}

func loadEvalQueries(t testing.TB) []evalQuery {
	t.Helper()
	data, err := os.ReadFile(realQueriesPath)
	if err != nil {
		t.Fatal(err)
	}
	var qs []evalQuery
	if err := json.Unmarshal(data, &qs); err != nil {
		t.Fatalf("%s: %v", realQueriesPath, err)
	}
	return qs
}

// scored reports whether the query is one the figures count: it names or
// quotes a code the site has.
func (q evalQuery) scored() bool {
	return len(q.Want) > 0 && !q.Pending
}

// evalFigures are the figures of one engine on one half of the set.
type evalFigures struct {
	N     int     // queries scored
	Hit1  float64 // share whose first hit is a wanted code
	MRR   float64 // mean of 1/rank of the first wanted code (0 when none)
	Zero  float64 // share with no hit at all
	Fails []string
}

func (f evalFigures) String() string {
	return fmt.Sprintf("n=%d hit@1=%.3f MRR=%.3f zero=%.3f", f.N, f.Hit1, f.MRR, f.Zero)
}

// evaluate scores ranked code lists against the wanted codes.
func evaluate(qs []evalQuery, split string, ranked func(i int) []string) evalFigures {
	var f evalFigures
	for i, q := range qs {
		if q.Split != split || !q.scored() {
			continue
		}
		f.N++
		codes := ranked(i)
		if len(codes) == 0 {
			f.Zero++
		}
		rank := slices.IndexFunc(codes, func(c string) bool { return slices.Contains(q.Want, c) })
		if rank == 0 {
			f.Hit1++
		} else {
			first := "nothing"
			if len(codes) > 0 {
				first = codes[0]
			}
			f.Fails = append(f.Fails, fmt.Sprintf("%.80q wants %v, first %s (wanted at rank %d)", q.Query, q.Want, first, rank+1))
		}
		if rank >= 0 {
			f.MRR += 1 / float64(rank+1)
		}
	}
	if f.N > 0 {
		n := float64(f.N)
		f.Hit1 /= n
		f.MRR /= n
		f.Zero /= n
	}
	return f
}

// errrefRanked runs every query through the Go searcher.
func errrefRanked(s *search.Searcher, qs []evalQuery) [][]string {
	out := make([][]string, len(qs))
	for i, q := range qs {
		out[i] = codesOf(s.Search(q.Query, search.Options{}))
	}
	return out
}

// miniSearchDir is where .ci/run installs MiniSearch, the engine errref is
// compared with; MINISEARCH names another copy of the package.
func miniSearchDir() string {
	if d := os.Getenv("MINISEARCH"); d != "" {
		return d
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache")
	}
	return filepath.Join(cache, "errref-npm-minisearch", "node_modules", "minisearch")
}

// miniSearchRanked indexes the same codes with MiniSearch (fuzzy 0.2,
// prefix search; boosts like errref's fields, the note at 0.6) in Node and
// returns its ranking for every query. It skips the test when Node or
// MiniSearch is missing, unless CI is "true".
func miniSearchRanked(t *testing.T, site *errref.Site, qs []evalQuery) [][]string {
	t.Helper()
	node, err := exec.LookPath("node")
	dir := miniSearchDir()
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MiniSearch in Node is needed for the comparison (%v); .ci/run installs it", err)
		}
		t.Skipf("no MiniSearch to compare with: %v", err)
	}
	type mdoc struct {
		ID         int    `json:"id"`
		Code       string `json:"code"`
		Aliases    string `json:"aliases"`
		Title      string `json:"title"`
		Message    string `json:"message"`
		Causes     string `json:"causes"`
		Chain      string `json:"chain"`
		Resolution string `json:"resolution"`
		Note       string `json:"note"`
	}
	// Every text of every code, the note included.
	var md []mdoc
	docs := site.Codes
	for i, c := range docs {
		var chain []string
		for _, st := range c.Chain {
			chain = append(chain, st.Step+" "+st.Detail)
		}
		md = append(md, mdoc{i, c.Code, strings.Join(c.Aliases, "\n"), c.Title, strings.Join(c.Messages(), "\n"),
			strings.Join(c.Causes, "\n"), strings.Join(chain, "\n"), strings.Join(c.Resolution, "\n"), c.Note})
	}
	var queries []string
	for _, q := range qs {
		queries = append(queries, q.Query)
	}
	tmp := t.TempDir()
	write := func(name string, v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	docsPath, qsPath := write("docs.json", md), write("queries.json", queries)
	script := fmt.Sprintf(`
const fs = require("fs");
const MiniSearch = require(require.resolve("minisearch", {paths: [%q]}));
const docs = JSON.parse(fs.readFileSync(%q, "utf8"));
const qs = JSON.parse(fs.readFileSync(%q, "utf8"));
const ms = new MiniSearch({
  fields: ["code", "aliases", "title", "message", "causes", "chain", "resolution", "note"],
  searchOptions: {
    fuzzy: 0.2, prefix: true,
    boost: {code: 10, aliases: 8, title: 4, message: 3, causes: 1.2, chain: 1, resolution: 0.8, note: 0.6},
  },
});
ms.addAll(docs);
process.stdout.write(JSON.stringify(qs.map(q => ms.search(q).map(r => r.id))));
`, filepath.Dir(filepath.Dir(dir)), docsPath, qsPath)
	out, err := exec.Command(node, "-e", script).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("node: %v", err)
	}
	var ids [][]int
	if err := json.Unmarshal(out, &ids); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if len(ids) != len(qs) {
		t.Fatalf("MiniSearch answered %d of %d queries", len(ids), len(qs))
	}
	ranked := make([][]string, len(qs))
	for i, r := range ids {
		for _, id := range r {
			ranked[i] = append(ranked[i], docs[id].Code)
		}
	}
	return ranked
}

// TestEvalRealQueries reports hit@1, MRR and the zero-result rate of
// errref and MiniSearch on both halves of the real query set, and keeps
// errref's figures on the report half from falling.
func TestEvalRealQueries(t *testing.T) {
	qs := loadEvalQueries(t)
	s := realSearcher(t)
	mine := errrefRanked(s, qs)
	figs := map[string]evalFigures{}
	for _, split := range []string{"tune", "report"} {
		f := evaluate(qs, split, func(i int) []string { return mine[i] })
		figs[split] = f
		t.Logf("errref     %-6s %v", split, f)
		// Only the tune half's misses are listed: the report half is
		// for judging, not for tuning.
		if testing.Verbose() && split == "tune" {
			for _, m := range f.Fails {
				t.Logf("  %s", m)
			}
		}
	}
	// Unknown codes: the searcher names the string the entry marks, and
	// queries that name a code of the site name nothing unknown.
	for _, split := range []string{"tune", "report"} {
		named, total, false_ := 0, 0, 0
		for _, q := range qs {
			if q.Split != split {
				continue
			}
			unk := s.Unknown(q.Query)
			if q.Unknown == "" {
				if q.scored() && len(unk) > 0 {
					false_++
					t.Errorf("%.80q names %v, which the set does not mark unknown", q.Query, unk)
				}
				continue
			}
			total++
			if slices.ContainsFunc(unk, func(u string) bool { return rules.CodeKey(u) == rules.CodeKey(q.Unknown) }) {
				named++
			} else if testing.Verbose() && split == "tune" {
				t.Logf("  %.80q: unknown %v, want %q", q.Query, unk, q.Unknown)
			}
		}
		t.Logf("errref     %-6s unknown codes named: %d of %d; false notices: %d", split, named, total, false_)
	}
	rep := figs["report"]
	if rep.N < 20 {
		t.Fatalf("only %d scored queries in the report half", rep.N)
	}
	if rep.Hit1 < reportFloor.Hit1 || rep.MRR < reportFloor.MRR || rep.Zero > reportFloor.Zero {
		t.Errorf("report half fell below its floor: %v, floor hit@1 %.3f, MRR %.3f, zero %.3f (a change that adds harder queries lowers the floor in the same commit, saying why)", rep, reportFloor.Hit1, reportFloor.MRR, reportFloor.Zero)
	}

	ms := miniSearchRanked(t, realSite(t), qs)
	for _, split := range []string{"tune", "report"} {
		f := evaluate(qs, split, func(i int) []string { return ms[i] })
		t.Logf("MiniSearch %-6s %v", split, f)
		if split == "report" && rep.Hit1 < f.Hit1 {
			t.Errorf("report half: errref hit@1 %.3f is below MiniSearch's %.3f", rep.Hit1, f.Hit1)
		}
	}
}

// reportFloor holds the figures reached on the report half: the test
// fails when a change makes them worse. Raise them when search gets
// better; lower them only with the change that adds harder queries,
// saying so.
//
// Lowered from hit@1 0.981 when the 22 codes of issue 14 were added: the
// queries about them stopped being pending, so the report half grew from
// 53 scored queries to 84, and two of them miss (0.976 = 82/84).
var reportFloor = evalFigures{Hit1: 0.976, MRR: 0.981, Zero: 0}
