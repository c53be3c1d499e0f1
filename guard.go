package errref

import (
	"fmt"
	"slices"

	"github.com/errref/errref/internal/search"
)

// SearchGuard is errref check's advice that no code becomes hard to find
// (rule WARN006): searched as a reader types it, each code's own code and
// each of its aliases must put that code first, and each of its messages
// must put first that code or one that shows the same message. It is
// composed from the stages, on a site that LoadSite built (input without
// errors): SearchIndex, then the searcher of the exported index, so the
// Check stage never calls search.
func SearchGuard(site *Site) (Problems, error) {
	data, err := SearchIndex(site)
	if err != nil {
		return nil, err
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		return nil, err
	}
	var probs Problems
	first := func(q string) (search.Hit, bool) {
		// A trailing space: the reader has finished typing.
		hits := s.Search(q+" ", search.Options{Limit: 1})
		if len(hits) == 0 {
			return search.Hit{}, false
		}
		return hits[0], true
	}
	add := func(c *Code, field, what string, hit search.Hit, found bool) {
		at := c.posOf(field)
		p := Problem{File: c.File, Line: at.Line, Col: at.Col, Rule: "WARN006", Field: field}
		if found {
			p.Msg = fmt.Sprintf("searching for this %s puts %q first, not this code; a reader who types it may not find this page: make the %s match what the app shows, or tell the codes apart in title or aliases", what, hit.Code, what)
		} else {
			p.Msg = fmt.Sprintf("searching for this %s finds nothing; write it as the app shows it", what)
		}
		probs = append(probs, p)
	}
	for _, c := range site.Codes {
		if h, ok := first(c.Code); !ok || h.Slug != c.Slug {
			add(c, "code", "code", h, ok)
		}
		for i, a := range c.Aliases {
			if h, ok := first(a); !ok || h.Slug != c.Slug {
				add(c, fmt.Sprintf("aliases[%d]", i), "alias", h, ok)
			}
		}
		for i, m := range c.Messages() {
			field := "message"
			if c.Message == "" || i > 0 {
				field = fmt.Sprintf("alt_messages[%d]", i-btoi(c.Message != ""))
			}
			h, ok := first(m)
			if ok && (h.Slug == c.Slug || slices.ContainsFunc(site.SameMessage[c.Slug], func(o *Code) bool { return o.Slug == h.Slug })) {
				continue
			}
			add(c, field, "message", h, ok)
		}
	}
	probs.Sort()
	return probs, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
