package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/errref/errref"
	"github.com/errref/errref/internal/search"
)

func init() {
	commands["search"] = command{
		summary: "search the codes as the site's search box does",
		run:     runSearch,
	}
}

func runSearch(e *env, args []string) error {
	fs := newFlags(e, "search", "QUERY...")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	limit := fs.Int("limit", 10, "show at most `N` hits; 0 shows all")
	asJSON := fs.Bool("json", false, "print the hits as JSON")
	filters := map[string]*string{}
	for _, name := range search.FacetNames {
		filters[name] = fs.String(name, "", "only codes with this "+name+" (`values` separated by commas)")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" {
		fs.Usage()
		return usagef("no query; try: errref search \"accounts:4\"")
	}
	if *limit < 0 {
		return usagef("-limit %d: must be 0 or more", *limit)
	}
	opts := search.Options{Limit: *limit, Filters: map[string][]string{}}
	for name, v := range filters {
		for _, f := range strings.Split(*v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				opts.Filters[name] = append(opts.Filters[name], f)
			}
		}
	}

	// The same stages as errref build, up to the exported index the
	// site's search box reads.
	site, probs, err := errref.LoadSite(os.DirFS(*dir))
	if err != nil {
		for _, p := range underDir(*dir, probs) {
			if p.IsError() {
				fmt.Fprintln(e.stderr, p.String())
			}
		}
		fmt.Fprintln(e.stderr, "fix these errors (errref check lists them all) and search again")
		return errProblems
	}
	data, err := errref.SearchIndex(site)
	if err != nil {
		return err
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		return err
	}
	known := s.Facets("", search.Options{})
	for _, name := range search.FacetNames {
		for _, v := range opts.Filters[name] {
			if _, ok := known[name][v]; ok {
				continue
			}
			values := make([]string, 0, len(known[name]))
			for k := range known[name] {
				values = append(values, k)
			}
			sort.Strings(values)
			msg := fmt.Sprintf("-%s %s: no code has this %s; the values are %s", name, v, name, strings.Join(values, ", "))
			if sug := errref.Suggest(v, values); sug != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", sug)
			}
			return usagef("%s", msg)
		}
	}
	// The same ranking as the search box shows for the query typed: the
	// last word also matches longer words it begins.
	hits := s.Search(query, opts)
	// A code the site does not have is named as such before the closest
	// codes, as on the site; on standard error, so that -json stays a list
	// of hits.
	if unknown := s.Unknown(query); len(unknown) > 0 {
		fmt.Fprintf(e.stderr, "errref has no page for %s", quoteAll(unknown))
		if u := errref.NewCodeURL(site.Config.Repository, unknown[0]); u != "" {
			fmt.Fprintf(e.stderr, "; if the app showed you this code, tell us about it: %s", u)
		}
		if len(hits) > 0 {
			fmt.Fprintf(e.stderr, "\nthe closest codes:")
		}
		fmt.Fprintln(e.stderr)
	}

	if *asJSON {
		if hits == nil {
			hits = []search.Hit{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(hits)
	}
	if len(hits) == 0 {
		fmt.Fprintf(e.stderr, "no code matches %q; check the spelling, or try the code as shown in the error message\n", query)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tCODE\tTITLE\tSCORE\tMATCH")
	for i, h := range hits {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.3f\t%s\n", i+1, h.Code, h.Title, h.Score, h.Match)
	}
	return tw.Flush()
}

// quoteAll joins strings as "a" or "b".
func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " or ")
}
