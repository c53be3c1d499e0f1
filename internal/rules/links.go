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

// NormalizeLink is dest as the browser reads its scheme: entities and
// escapes resolved, control characters and spaces dropped, lower case.
func NormalizeLink(dest string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, unescape(dest)))
}

// ResolveLink is a Markdown link target as the browser requests it:
// backslash escapes and entities resolved, white space around it
// dropped, and a protocol-relative address given https. The link checker
// requests it, and a forum reply turns a relative one into an address on
// the site.
func ResolveLink(dest string) string {
	d := strings.TrimSpace(unescape(dest))
	if strings.HasPrefix(d, "//") {
		d = "https:" + d
	}
	return d
}

// unescape resolves backslash escapes and entities as goldmark does when
// it writes a link.
func unescape(dest string) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations([]byte(dest)))))
}
