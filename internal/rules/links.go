package rules

import (
	"strings"

	"github.com/yuin/goldmark/util"
)

// LinkClass is what a link target is, as a browser will follow it.
type LinkClass int

const (
	LinkLocal    LinkClass = iota // relative, fragment or path on this site
	LinkExternal                  // http, https or protocol-relative
	LinkMail                      // mailto:
	LinkRefused                   // any other scheme: javascript:, data:, vbscript:, file:, ...
)

// ClassifyLink classifies a link target of contributors' Markdown as the
// browser will see it. Validation refuses what the renderer would drop,
// and the link checker follows what the renderer links, because all
// three ask this one function. Goldmark resolves entities and backslash
// escapes only when it writes a link, so they are resolved here first,
// and control characters and spaces, which browsers drop from a scheme,
// are removed (NormalizeLink).
func ClassifyLink(dest string) LinkClass {
	d := NormalizeLink(dest)
	if strings.HasPrefix(d, "//") {
		return LinkExternal
	}
	i := strings.IndexAny(d, ":/?#")
	if i <= 0 || d[i] != ':' {
		return LinkLocal
	}
	switch d[:i] {
	case "http", "https":
		return LinkExternal
	case "mailto":
		return LinkMail
	}
	return LinkRefused
}

// NormalizeLink is dest as the browser reads it: entities and escapes
// resolved, control characters and spaces dropped, lower case.
func NormalizeLink(dest string) string {
	b := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations([]byte(dest))))
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, string(b)))
}
