package errref

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/errref/errref/internal/rules"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// This file renders what a code page gives people who answer in forums
// and chats: stable anchors for its sections, causes and steps, a reply to
// paste (Markdown and plain text), and the structured data (JSON-LD) that
// search engines read.

// Anchors are the ids of a code page that a link can point at. They follow
// position, not wording: "fix-3" is the third step whatever it says, so a
// link stays valid when a step is reworded.
type Anchors struct {
	Sections   []string `json:"sections"`   // the page's sections, in order ("h-fix")
	Causes     []string `json:"causes"`     // one per cause, "cause-1" first
	Resolution []string `json:"resolution"` // one per step, "fix-1" first
}

// causeID and fixID are the ids of the i-th cause and step (from 0).
func causeID(i int) string { return fmt.Sprintf("cause-%d", i+1) }
func fixID(i int) string   { return fmt.Sprintf("fix-%d", i+1) }

// selfLabel names the link to the part of the page with the given id.
func selfLabel(id string) string {
	if n, ok := strings.CutPrefix(id, "fix-"); ok {
		return "Link to step " + n
	}
	if n, ok := strings.CutPrefix(id, "cause-"); ok {
		return "Link to cause " + n
	}
	return "Link to this section"
}

// anchors lists the ids of c's page. Which sections the page has is
// decided here and only here: a code page keeps this list in its
// Sections, and templates/code.html shows a section when section($, id)
// finds its id there, so the page and its API record cannot disagree.
func (r *renderer) anchors(c *Code) Anchors {
	a := Anchors{Sections: []string{}, Causes: []string{}, Resolution: []string{}}
	add := func(ok bool, id string) {
		if ok {
			a.Sections = append(a.Sections, id)
		}
	}
	add(len(c.Messages()) > 0, "h-message")
	add(len(c.Chain) > 0, "h-chain")
	add(true, "h-causes")
	add(true, "h-fix")
	add(c.Note != "", "h-note")
	add(len(r.relatedOnly(c)) > 0, "h-related")
	add(len(r.site.SameMessage[c.Slug]) > 0, "h-same")
	add(len(c.Sources) > 0 || c.Reviewed != "", "h-sources")
	for i := range c.Causes {
		a.Causes = append(a.Causes, causeID(i))
	}
	for i := range c.Resolution {
		a.Resolution = append(a.Resolution, fixID(i))
	}
	return a
}

// reply is the answer a helper pastes into a forum (Markdown that Reddit,
// Discourse and GitHub all render the same way) or a chat (plain text):
// the code and title, the message quoted, what to try first, the steps
// numbered, and the link to the page. In the Markdown, the title and the
// message are escaped (mdText), and a step's code spans that name another
// code link to its page, as they do on the page.
func (r *renderer) reply(c *Code) (md, plain string) {
	var m, p strings.Builder
	page := r.baseURL + "codes/" + c.Slug + "/"
	// The reply is read on another site: relative links must become
	// addresses on this one.
	pageURL, _ := url.Parse(page)
	fmt.Fprintf(&m, "**`%s` — %s**\n\n", strings.ReplaceAll(oneLine(c.Code), "`", "'"), mdText(c.Title))
	fmt.Fprintf(&p, "%s — %s\n", oneLine(c.Code), oneLine(c.Title))
	if c.Message != "" {
		fmt.Fprintf(&m, "> %s\n\n", mdText(c.Message))
		fmt.Fprintf(&p, "“%s”\n", oneLine(c.Message))
	}
	label, advice := rules.Label("handling", c.Handling), rules.Advice("handling", c.Handling)
	fmt.Fprintf(&m, "Try first: **%s.** %s\n\n", label, advice)
	fmt.Fprintf(&p, "\nTry first: %s. %s\n\n", label, advice)
	for i, s := range c.Resolution {
		fmt.Fprintf(&m, "%d. %s\n", i+1, oneLine(absoluteLinks(r.linkCodes(s, c), pageURL)))
		fmt.Fprintf(&p, "%d. %s\n", i+1, plainInline(s, pageURL))
	}
	fmt.Fprintf(&m, "\nMore on this error: %s\n", page)
	fmt.Fprintf(&p, "\nMore: %s\n", page)
	return m.String(), p.String()
}

// linkCodes makes each code span of the inline Markdown src that names a
// code of the site other than self (`accounts:4`) a link to that code's
// page, an absolute address as the reply needs: what the page's renderer
// does with codeLinker, written back as Markdown. A span already inside a
// link stays as it is.
func (r *renderer) linkCodes(src string, self *Code) string {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	type edit struct {
		start, end int // the span with its backticks
		url        string
	}
	var edits []edit
	inLink := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Link:
			if entering {
				inLink++
			} else {
				inLink--
			}
		case *ast.CodeSpan:
			if !entering || inLink > 0 || n.FirstChild() == nil {
				return ast.WalkContinue, nil
			}
			var code []byte
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					code = append(code, t.Segment.Value(source)...)
				}
			}
			other := r.site.ByCode[string(code)]
			first, okF := n.FirstChild().(*ast.Text)
			last, okL := n.LastChild().(*ast.Text)
			if other == nil || other.Code == self.Code || !okF || !okL {
				return ast.WalkContinue, nil
			}
			// Out from the content to the backticks around it, past the
			// one space on each side the parser may have stripped.
			start, end := first.Segment.Start, last.Segment.Stop
			for start > 0 && source[start-1] == ' ' {
				start--
			}
			for start > 0 && source[start-1] == '`' {
				start--
			}
			for end < len(source) && source[end] == ' ' {
				end++
			}
			for end < len(source) && source[end] == '`' {
				end++
			}
			edits = append(edits, edit{start, end, r.baseURL + "codes/" + other.Slug + "/"})
		}
		return ast.WalkContinue, nil
	})
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		before := src[:e.start]
		// A "!" just before the link would make it an image: escape it,
		// unless it is escaped already (after an odd run of backslashes).
		if bang, ok := strings.CutSuffix(before, "!"); ok && (len(bang)-len(strings.TrimRight(bang, `\`)))%2 == 0 {
			before = bang + `\!`
		}
		src = before + "[" + src[e.start:e.end] + "](" + e.url + ")" + src[e.end:]
	}
	return src
}

// absoluteURL is the address a relative link target of the Markdown on
// page leads to, or "" when dest is not relative (or page is nil).
func absoluteURL(dest string, page *url.URL) string {
	if page == nil || rules.ClassifyLink(dest) != rules.LinkLocal {
		return ""
	}
	u, err := url.Parse(rules.ResolveLink(dest))
	if err != nil {
		return ""
	}
	return page.ResolveReference(u).String()
}

// absoluteLinks rewrites the relative link targets of the inline Markdown
// src as absolute addresses on page. The parser finds the links; each
// target is replaced where it follows "](" or "](<", longest first, so
// that one target that begins another is not replaced inside it.
func absoluteLinks(src string, page *url.URL) string {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	abs := map[string]string{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.Link); ok && entering {
			if a := absoluteURL(string(l.Destination), page); a != "" {
				abs[string(l.Destination)] = a
			}
		}
		return ast.WalkContinue, nil
	})
	if len(abs) == 0 {
		return src
	}
	dests := slices.Collect(maps.Keys(abs))
	slices.SortFunc(dests, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	var pairs []string
	for _, d := range dests {
		pairs = append(pairs, "](<"+d, "](<"+abs[d], "]("+d, "]("+abs[d])
	}
	return strings.NewReplacer(pairs...).Replace(src)
}

// plainInline renders inline Markdown as plain text for a chat: emphasis
// and code marks dropped, a link as its text and its address in brackets,
// a relative one made absolute on page.
func plainInline(src string, page *url.URL) string {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(c.Segment.Value(source))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.AutoLink:
				b.Write(c.URL(source))
			case *ast.Link:
				start := b.Len()
				walk(c)
				dest := string(c.Destination)
				if a := absoluteURL(dest, page); a != "" {
					dest = a
				}
				if dest != b.String()[start:] {
					fmt.Fprintf(&b, " (%s)", dest)
				}
			case *ast.RawHTML:
				for i := range c.Segments.Len() {
					seg := c.Segments.At(i)
					b.Write(seg.Value(source))
				}
			default:
				walk(c)
				if c.Type() == ast.TypeBlock && c.NextSibling() != nil {
					b.WriteByte(' ')
				}
			}
		}
	}
	walk(doc)
	return oneLine(b.String())
}

// The structured data of a code page (https://schema.org/TechArticle and
// https://schema.org/BreadcrumbList), written into the page's head as a
// JSON-LD data block, which browsers never run.

type ldArticle struct {
	Context       string      `json:"@context"`
	Type          string      `json:"@type"`
	Identifier    string      `json:"identifier"`
	Headline      string      `json:"headline"`
	Description   string      `json:"description"`
	URL           string      `json:"url"`
	Image         *ldImage    `json:"image"`
	InLanguage    string      `json:"inLanguage"`
	DatePublished string      `json:"datePublished,omitempty"`
	DateModified  string      `json:"dateModified,omitempty"`
	IsPartOf      ldWebSite   `json:"isPartOf"`
	License       string      `json:"license"`
	Citation      []ldCreated `json:"citation,omitempty"`
}

type ldImage struct {
	Type    string `json:"@type"`
	URL     string `json:"url"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Caption string `json:"caption"`
}

type ldWebSite struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldCreated struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldBreadcrumbs struct {
	Context string   `json:"@context"`
	Type    string   `json:"@type"`
	Items   []ldItem `json:"itemListElement"`
}

type ldItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}

// structuredData returns the JSON-LD of c's page: the article and its
// breadcrumbs, as the page's breadcrumb navigation shows them.
func (r *renderer) structuredData(c *Code, desc string, img *ogImage) []any {
	page := r.baseURL + "codes/" + c.Slug + "/"
	a := ldArticle{
		Context:       "https://schema.org",
		Type:          "TechArticle",
		Identifier:    c.Code,
		Headline:      summarize(c.Code+" — "+c.Title, 109),
		Description:   desc,
		URL:           page,
		Image:         &ldImage{Type: "ImageObject", URL: img.URL, Width: img.Width, Height: img.Height, Caption: img.Alt},
		InLanguage:    "en",
		DatePublished: c.Added,
		DateModified:  c.Reviewed,
		IsPartOf:      ldWebSite{Type: "WebSite", Name: r.site.Config.Title, URL: r.baseURL},
		License:       ContentLicense.URL,
	}
	for _, s := range c.Sources {
		a.Citation = append(a.Citation, ldCreated{Type: "CreativeWork", Name: s.Title, URL: s.URL})
	}
	b := ldBreadcrumbs{Context: "https://schema.org", Type: "BreadcrumbList", Items: []ldItem{
		{Type: "ListItem", Position: 1, Name: "Home", Item: r.baseURL},
		{Type: "ListItem", Position: 2, Name: r.site.Config.Label("category", c.Category), Item: r.baseURL + groupPath("category", c.Category)},
		{Type: "ListItem", Position: 3, Name: c.Code, Item: page},
	}}
	return []any{a, b}
}
