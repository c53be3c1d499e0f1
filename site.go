package errref

import (
	"slices"
	"sort"

	"github.com/errref/errref/internal/rules"
)

// Site is the model the later stages render: valid codes in display order,
// with the links between them worked out.
type Site struct {
	Config Config
	// Codes are sorted by category order, then by code (numbers compared
	// as numbers, so accounts:4 comes before accounts:53).
	Codes  []*Code
	BySlug map[string]*Code
	// ByCode maps each code string to its code.
	ByCode map[string]*Code

	// Groups for listing pages, each sorted by its vocabulary's order.
	Categories []*Group
	Subsystems []*Group
	Platforms  []*Group
	Severities []*Group
	Handlings  []*Group

	// Derived per code, keyed by slug.
	Related     map[string][]*Code // the code's related list, resolved
	SameMessage map[string][]*Code // other codes that show one of its messages
	SubsystemOf map[string]string  // explicit or derived subsystem ("" when none)
}

// Group is one listing: the codes of a category, subsystem, platform,
// severity or handling.
type Group struct {
	Kind        string // "category", "subsystem", "platform", "severity", "handling"
	ID          string
	Label       string
	Description string
	Codes       []*Code
}

// NewSite builds the model from validated input. It does not check the
// input again: unknown references are dropped rather than reported.
func NewSite(in *Input) *Site {
	s := &Site{
		Config:      in.Config,
		BySlug:      map[string]*Code{},
		ByCode:      map[string]*Code{},
		Related:     map[string][]*Code{},
		SameMessage: map[string][]*Code{},
		SubsystemOf: map[string]string{},
	}
	s.order(in.Codes)
	s.lookups()
	s.link()
	s.group()
	return s
}

// categoryOrder ranks categories by their order in site.yaml, then by
// their place in the list.
func (s *Site) categoryOrder() map[string]int {
	rank := map[string]int{}
	for i, c := range s.Config.Categories {
		rank[c.ID] = c.Order*1000 + i
	}
	return rank
}

// order puts the codes in display order: by category, then by code with
// numbers compared as numbers.
func (s *Site) order(codes []*Code) {
	rank := s.categoryOrder()
	s.Codes = append(s.Codes, codes...)
	sort.SliceStable(s.Codes, func(i, j int) bool {
		a, b := s.Codes[i], s.Codes[j]
		if oa, ob := rank[a.Category], rank[b.Category]; oa != ob {
			return oa < ob
		}
		return rules.NaturalLess(a.Code, b.Code)
	})
}

// lookups maps slugs and codes to codes, and gives each code its subsystem.
func (s *Site) lookups() {
	known := map[string]bool{}
	for _, t := range s.Config.Subsystems {
		known[t.ID] = true
	}
	isKnown := func(id string) bool { return known[id] }
	for _, c := range s.Codes {
		s.BySlug[c.Slug] = c
		s.ByCode[c.Code] = c
		s.SubsystemOf[c.Slug] = c.SubsystemOr(isKnown)
	}
}

// link resolves each code's related codes and finds the codes that show
// one of its messages.
func (s *Site) link() {
	for _, c := range s.Codes {
		for _, r := range c.Related {
			if rc := s.ByCode[r]; rc != nil && rc != c {
				s.Related[c.Slug] = append(s.Related[c.Slug], rc)
			}
		}
	}
	for i, same := range rules.SameMessage(messagesOf(s.Codes)) {
		for _, o := range same {
			s.SameMessage[s.Codes[i].Slug] = append(s.SameMessage[s.Codes[i].Slug], s.Codes[o])
		}
	}
}

// group makes the listings: one group per category, subsystem, platform,
// severity and handling, in its vocabulary's order, each with its codes
// in display order.
func (s *Site) group() {
	cfg := &s.Config
	rank := s.categoryOrder()
	for _, cat := range cfg.Categories {
		s.Categories = append(s.Categories, s.groupOf("category", cat.ID, cat.Label, cat.Description, func(c *Code) bool { return c.Category == cat.ID }))
	}
	sort.SliceStable(s.Categories, func(i, j int) bool {
		return rank[s.Categories[i].ID] < rank[s.Categories[j].ID]
	})
	for _, t := range cfg.Subsystems {
		s.Subsystems = append(s.Subsystems, s.groupOf("subsystem", t.ID, t.Label, t.Description, func(c *Code) bool { return s.SubsystemOf[c.Slug] == t.ID }))
	}
	for _, t := range cfg.Platforms {
		s.Platforms = append(s.Platforms, s.groupOf("platform", t.ID, t.Label, t.Description, func(c *Code) bool { return slices.Contains(c.Platforms, t.ID) }))
	}
	for _, sev := range Severities {
		s.Severities = append(s.Severities, s.groupOf("severity", sev, rules.Label("severity", sev), rules.Advice("severity", sev), func(c *Code) bool { return c.Severity == sev }))
	}
	for _, h := range Handlings {
		s.Handlings = append(s.Handlings, s.groupOf("handling", h, rules.Label("handling", h), rules.Advice("handling", h), func(c *Code) bool { return c.Handling == h }))
	}
}

// groupOf is the listing of the codes that belong to it, in display order.
func (s *Site) groupOf(kind, id, label, desc string, belongs func(*Code) bool) *Group {
	g := &Group{Kind: kind, ID: id, Label: label, Description: desc}
	for _, c := range s.Codes {
		if belongs(c) {
			g.Codes = append(g.Codes, c)
		}
	}
	return g
}
