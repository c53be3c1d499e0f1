package errref

import (
	"strings"

	"github.com/errref/errref/internal/search"
)

// Index is the index stage: it hands the site's codes to package search,
// which indexes them with bleve and exports search-index.json
// (Index.JSON). The caller closes the index.
func Index(site *Site) (*search.Index, error) {
	return search.NewIndex(SearchDocs(site))
}

// SearchDocs returns what search reads of each code of the site, in the
// site's order.
func SearchDocs(site *Site) []search.Doc {
	docs := make([]search.Doc, len(site.Codes))
	for i, c := range site.Codes {
		var chain []string
		for _, s := range c.Chain {
			chain = append(chain, strings.TrimSpace(s.Step+" "+s.Detail))
		}
		docs[i] = search.Doc{
			Slug: c.Slug, Code: c.Code, Title: c.Title, Severity: c.Severity,
			Category: c.Category, Platforms: c.Platforms, Handling: c.Handling,
			Messages: c.Messages(), Aliases: c.Aliases, Chain: chain,
			Causes: c.Causes, Resolution: c.Resolution,
		}
	}
	return docs
}
