package errref

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format rewrites a code file into canonical form, as its table of fields
// (CodeFields) says: keys in table order (a chain step's and a source's
// too), unknown keys last in their original order, text quoted where the
// table says so, short lists in flow style, prose lists and records in
// block style, Markdown blocks as literal blocks, two-space indentation,
// LF line ends, no byte-order mark, and the schema line (SchemaModeline)
// first. Comments are kept. A file that cannot be parsed is returned with
// its problems and not rewritten.
func Format(file string, data []byte) ([]byte, Problems) {
	return format(file, data, CodeFields)
}

func format(file string, data []byte, t Table) ([]byte, Problems) {
	data = dropModeline(data)
	doc, root, probs := parseYAMLDoc(file, data)
	if root == nil {
		return nil, probs
	}
	// A comment above the first key reads as the file's header; keep it
	// at the top when the first key moves down.
	var header string
	if len(root.Content) > 0 {
		header, root.Content[0].HeadComment = root.Content[0].HeadComment, ""
	}
	formatRecord(root, t)
	if header != "" {
		if doc.Kind == yaml.DocumentNode && doc.HeadComment != "" {
			doc.HeadComment += "\n\n" + header
		} else if doc.Kind == yaml.DocumentNode {
			doc.HeadComment = header
		} else {
			root.Content[0].HeadComment = header
		}
	}
	var buf bytes.Buffer
	buf.WriteString(SchemaModeline + "\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	// Encode the document, not the mapping: the document node holds the
	// comments above the first key and below the last.
	out := root
	if doc.Kind == yaml.DocumentNode {
		out = doc
	}
	if err := enc.Encode(out); err != nil {
		return nil, append(probs, Problem{File: file, Rule: "ERR012", Msg: fmt.Sprintf("cannot rewrite the file: %v", err)})
	}
	if err := enc.Close(); err != nil {
		return nil, append(probs, Problem{File: file, Rule: "ERR012", Msg: fmt.Sprintf("cannot rewrite the file: %v", err)})
	}
	return buf.Bytes(), probs
}

// dropModeline removes the schema lines (# yaml-language-server: …) at the
// top of a file: Format writes its own.
func dropModeline(data []byte) []byte {
	rest := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	for {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if !bytes.HasPrefix(bytes.TrimSpace(line), []byte("# yaml-language-server:")) {
			if len(rest) == len(data)-3 && len(data) >= 3 {
				return data // no schema line: keep the BOM for Format to report
			}
			return rest
		}
		if !found {
			return nil
		}
		rest = after
	}
}

// formatRecord puts mapping m into the canonical form of table t.
func formatRecord(m *yaml.Node, t Table) {
	canonicalize(m, t.Names())
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := t.Field(k.Value)
		if f == nil {
			if v.Kind == yaml.ScalarNode {
				plain(v)
			}
			continue
		}
		switch f.Kind {
		case Text:
			switch {
			case f.Block:
				literal(v)
			case f.Quoted:
				quote(v)
			default:
				plain(v)
			}
		case List:
			flow(v, f.Flow)
			if v.Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range v.Content {
				if f.Quoted {
					quote(item)
				} else {
					plain(item)
				}
			}
		case Records:
			flow(v, false)
			if v.Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range v.Content {
				if item.Kind == yaml.ScalarNode && f.Short != "" {
					// The short form "- name" becomes "- step: name".
					val := *item
					*item = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: val.Line, Column: val.Column,
						HeadComment: val.HeadComment, FootComment: val.FootComment,
						Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.Short}, {Kind: yaml.ScalarNode, Tag: val.Tag, Value: val.Value, Style: val.Style, LineComment: val.LineComment}}}
				}
				if item.Kind == yaml.MappingNode {
					item.Style = 0
					formatRecord(item, f.Fields)
				}
			}
		}
	}
}

// literal writes a Markdown block as a literal block; an empty one stays
// "" rather than becoming a bare |2+ block.
func literal(v *yaml.Node) {
	switch {
	case v.Kind != yaml.ScalarNode || v.Tag == "!!null":
	case strings.TrimSpace(v.Value) == "":
		v.Value, v.Tag, v.Style = "", "!!str", yaml.DoubleQuotedStyle
	default:
		v.Tag, v.Style = "!!str", yaml.LiteralStyle
		if !strings.HasSuffix(v.Value, "\n") {
			v.Value += "\n"
		}
	}
}

// canonicalize sorts the key/value pairs of mapping m into the given
// order; keys not in order keep their relative order after the known ones.
func canonicalize(m *yaml.Node, order []string) {
	rank := func(k string) int {
		for i, o := range order {
			if o == k {
				return i
			}
		}
		return len(order)
	}
	type pair struct{ k, v *yaml.Node }
	pairs := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		pairs = append(pairs, pair{m.Content[i], m.Content[i+1]})
	}
	// Insertion sort: stable and the lists are short.
	for i := 1; i < len(pairs); i++ {
		for j := i; j > 0 && rank(pairs[j].k.Value) < rank(pairs[j-1].k.Value); j-- {
			pairs[j], pairs[j-1] = pairs[j-1], pairs[j]
		}
	}
	m.Content = m.Content[:0]
	for _, p := range pairs {
		m.Content = append(m.Content, p.k, p.v)
	}
}

// quote makes a scalar double-quoted: codes and messages are pasted
// strings, and quoting them keeps characters such as ':' and '#' literal.
func quote(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		n.Style = yaml.DoubleQuotedStyle
		n.Tag = "!!str"
	}
}

// plain writes text unquoted when YAML allows it, and double-quoted
// otherwise (never single-quoted, so contributors see one quoting style).
func plain(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return
	}
	n.Style = 0
	if n.Tag != "!!str" {
		return // numbers, dates and booleans stay as they were written
	}
	out, err := yaml.Marshal(n.Value)
	if err != nil || bytes.HasPrefix(out, []byte("'")) || bytes.HasPrefix(out, []byte(`"`)) {
		n.Style = yaml.DoubleQuotedStyle
	}
}

// flow sets a sequence's style: flow ([a, b]) for short lists of names,
// block (one "- " line each) for prose.
func flow(n *yaml.Node, on bool) {
	if n.Kind != yaml.SequenceNode {
		return
	}
	if on {
		n.Style = yaml.FlowStyle
	} else {
		n.Style = 0
	}
}
