package errref

import (
	"bytes"
	"html/template"

	"github.com/errref/errref/internal/rules"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmrenderer "github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown is the one goldmark instance of the renderer, configured once.
// It runs in goldmark's safe mode (raw HTML is never passed through) with
// GFM, as the validator parses, plus safeContent below.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM, safeContent{}))

// codeLinksKey carries, in the parser context, a function that gives the
// page of a code named in a code span (`accounts:4`), or "" for none.
var codeLinksKey = parser.NewContextKey()

// safeContent makes Markdown from contributors harmless on our pages:
// links keep only http, https and mailto targets (any other scheme is
// rendered as its plain link text), external links get rel="noopener",
// images become their alt text (the CSP allows no third-party images),
// headings in notes start below the page's h2, and raw HTML is shown as
// the literal text that was written instead of goldmark's hidden comment.
type safeContent struct{}

func (safeContent) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(contentTransformer{}, 100)))
	// A lower priority value registers later and so replaces the default
	// HTML renderer's functions for these kinds.
	m.Renderer().AddOptions(gmrenderer.WithNodeRenderers(util.Prioritized(rawHTMLAsText{}, 100)))
}

type contentTransformer struct{}

func (contentTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	codeLink, _ := pc.Get(codeLinksKey).(func(string) string)
	// Collect first: replacing nodes while ast.Walk iterates over their
	// siblings would cut the walk short.
	var unwrap, drop []ast.Node
	var headings []*ast.Heading
	var spans []*ast.CodeSpan
	inLink := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*ast.Link); ok {
			if entering {
				inLink++
			} else {
				inLink--
			}
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.CodeSpan:
			if codeLink != nil && inLink == 0 {
				spans = append(spans, n)
			}
		case *ast.Link:
			switch rules.ClassifyLink(string(n.Destination)) {
			case rules.LinkExternal:
				n.SetAttributeString("rel", []byte("noopener"))
			case rules.LinkRefused:
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			switch rules.ClassifyLink(string(n.URL(source))) {
			case rules.LinkExternal:
				n.SetAttributeString("rel", []byte("noopener"))
			case rules.LinkRefused:
				drop = append(drop, n)
			}
		case *ast.Image:
			unwrap = append(unwrap, n)
		case *ast.Heading:
			headings = append(headings, n)
		}
		return ast.WalkContinue, nil
	})
	// A note sits under the page's h2 "Note": its top headings become h3
	// and the rest keep their relative depth.
	top := 6
	for _, h := range headings {
		top = min(top, h.Level)
	}
	for _, h := range headings {
		h.Level = min(h.Level-top+3, 6)
	}
	// A code span that names a code becomes a link to its page.
	for _, n := range spans {
		var code []byte
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				code = append(code, t.Segment.Value(source)...)
			}
		}
		if u := codeLink(string(code)); u != "" {
			l := ast.NewLink()
			l.Destination = []byte(u)
			p := n.Parent()
			p.ReplaceChild(p, n, l)
			l.AppendChild(l, n)
		}
	}
	for _, n := range unwrap {
		p := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.InsertBefore(p, n, c)
			c = next
		}
		p.RemoveChild(p, n)
	}
	for _, n := range drop {
		s := ast.NewString(n.(*ast.AutoLink).Label(source))
		s.SetRaw(true)
		n.Parent().ReplaceChild(n.Parent(), n, s)
	}
}

// rawHTMLAsText renders raw HTML as the escaped text the author typed, so a
// stray <br> or an attack attempt shows up as inert characters.
type rawHTMLAsText struct{}

func (rawHTMLAsText) RegisterFuncs(reg gmrenderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := range segs.Len() {
				seg := segs.At(i)
				_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		n := node.(*ast.HTMLBlock)
		var b bytes.Buffer
		for i := range n.Lines().Len() {
			line := n.Lines().At(i)
			b.Write(line.Value(source))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(source))
		}
		_, _ = w.WriteString("<p>")
		_, _ = w.Write(util.EscapeHTML(bytes.TrimSpace(b.Bytes())))
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
}

// renderMarkdown renders src. With inline set, a field that is one
// paragraph is rendered without its <p> wrapper (the paragraph becomes a
// text block in the AST, which the HTML renderer writes bare), so it can
// sit inside a list item or a span. Anything else renders as blocks.
// codeLink, when not nil, links code spans that name a code.
func renderMarkdown(src string, inline bool, codeLink func(code string) string) (template.HTML, error) {
	source := []byte(src)
	pc := parser.NewContext()
	if codeLink != nil {
		pc.Set(codeLinksKey, codeLink)
	}
	doc := markdown.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	if inline && doc.ChildCount() == 1 {
		if p, ok := doc.FirstChild().(*ast.Paragraph); ok {
			tb := ast.NewTextBlock()
			tb.SetLines(p.Lines())
			for c := p.FirstChild(); c != nil; {
				next := c.NextSibling()
				tb.AppendChild(tb, c)
				c = next
			}
			doc.ReplaceChild(doc, p, tb)
		}
	}
	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, source, doc); err != nil {
		return "", err
	}
	// Safe: goldmark escapes all text, raw HTML is escaped by rawHTMLAsText
	// and link targets are filtered by contentTransformer.
	return template.HTML(bytes.TrimSpace(buf.Bytes())), nil
}
