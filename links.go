package errref

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/errref/errref/internal/rules"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"
)

// ExternalLink is one web address written in site.yaml or a code file,
// with where it is written.
type ExternalLink struct {
	URL   string // as it will be requested: entities and escapes resolved
	File  string // slash path relative to the site root
	Line  int    // 1-based
	Col   int    // 1-based, in characters
	Field string // YAML path, as in Problem: "sources[0].url", "note"
}

// ExternalLinks lists every http and https address in site.yaml and in
// the code files in, in file order (site.yaml first), for errref links.
// In site.yaml it reads every value; in a code file, the fields that the
// table of fields (CodeFields) marks as a url or as Markdown, so a field
// added later is checked by its tags. A value that is an address on its
// own (a source's url, site.yaml's repository) is one link, and Markdown
// is read as the site renders it (with bare addresses made into links, as
// GitHub does), whose links to other sites are taken. The plain texts of
// a code (its message, title, aliases, a source's title) are shown as
// text, not links, and a message is quoted verbatim, so an address in
// them is not checked. Addresses on the site itself (relative links) and
// mailto: are not external. A file that does not parse is left out; Load
// reports why.
func ExternalLinks(fsys fs.FS, in *Input) []ExternalLink {
	files := []string{ConfigFile}
	for _, c := range in.Codes {
		files = append(files, c.File)
	}
	var out []ExternalLink
	for _, file := range files {
		data, probs := readFile(fsys, file)
		if data == nil || probs.HasErrors() {
			continue
		}
		_, root, _ := parseYAMLDoc(file, data)
		if root == nil {
			continue
		}
		w := linkWalker{file: file, src: normalizeNewlines(data), code: file != ConfigFile}
		w.walk(root, "", CodeFields, nil)
		out = append(out, w.links...)
	}
	return out
}

// normalizeNewlines is data as the YAML parser saw it (see parseYAMLDoc),
// so that node positions index into it.
func normalizeNewlines(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
}

type linkWalker struct {
	file  string
	src   []byte
	code  bool // a code file, read by its table of fields
	links []ExternalLink
}

// walk takes the links under n, at path. In a code file, fields is the
// table of the record n belongs to and f the field n is the value of
// (nil at the top); site.yaml's every value is read.
func (w *linkWalker) walk(n *yaml.Node, path string, fields Table, f *Field) {
	switch n.Kind {
	case yaml.MappingNode:
		if f != nil {
			fields = f.Fields // a record: sources[0], chain[0]
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			var kf *Field
			if w.code {
				if kf = fields.Field(key); kf == nil {
					continue // not a field here: Load reports it
				}
			}
			if path != "" {
				key = path + "." + key
			}
			w.walk(n.Content[i+1], key, fields, kf)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ef := f
			if f != nil && f.Kind == Records && c.Kind == yaml.ScalarNode {
				// A bare entry is the record's short field (chain: [netprofm]).
				ef = f.Fields.Field(f.Short)
			}
			w.walk(c, fmt.Sprintf("%s[%d]", path, i), fields, ef)
		}
	case yaml.ScalarNode:
		if w.code && (f == nil || !f.URL && !f.Markdown && !f.Block) {
			return // plain text of a code: shown as text, not as links
		}
		w.scalar(n, path)
	}
}

// scalar takes the links of one value.
func (w *linkWalker) scalar(n *yaml.Node, path string) {
	v := strings.TrimSpace(n.Value)
	if v == "" || n.Tag == "!!null" {
		return
	}
	start := w.offset(n.Line, n.Column)
	if isWebAddress(v) && !strings.ContainsAny(v, " \t\n") {
		w.add(v, v, start, path)
		return
	}
	src := []byte(n.Value)
	doc := mdParser.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node := node.(type) {
		case *ast.Link:
			dest := string(node.Destination)
			if rules.ClassifyLink(dest) == rules.LinkExternal {
				w.add(rules.ResolveLink(dest), dest, start, path)
			}
		case *ast.AutoLink:
			dest := string(node.URL(src))
			if rules.ClassifyLink(dest) == rules.LinkExternal {
				w.add(rules.ResolveLink(dest), string(node.Label(src)), start, path)
			}
		}
		return ast.WalkContinue, nil
	})
}

// isWebAddress reports whether s is an absolute http or https URL with a
// host.
func isWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// add records a link, placed where its text first appears at or after
// the value's start; from is the offset of the value in the file.
func (w *linkWalker) add(u, written string, from int, field string) {
	if !isWebAddress(u) {
		return
	}
	off := from
	// Several links with the same text in one value: each takes the next
	// occurrence after the previous one's.
	for _, l := range w.links {
		if l.Field == field && l.URL == u {
			if o := w.offset(l.Line, l.Col); o >= off {
				off = o + 1
			}
		}
	}
	if i := bytes.Index(w.src[min(off, len(w.src)):], []byte(written)); i >= 0 {
		off += i
	} else {
		off = from
	}
	line, col := lineCol(w.src, off)
	w.links = append(w.links, ExternalLink{URL: u, File: w.file, Line: line, Col: col, Field: field})
}

// offset converts a 1-based line and column (in characters) to a byte
// offset in w.src.
func (w *linkWalker) offset(line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(w.src[off:], '\n')
		if i < 0 {
			return len(w.src)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(w.src) && w.src[off] != '\n'; c++ {
		_, n := utf8.DecodeRune(w.src[off:])
		off += n
	}
	return off
}
