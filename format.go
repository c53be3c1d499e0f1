package errref

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format rewrites a code file into canonical form: keys in the order of
// Fields (chain steps in the order of ChainFields, sources in the order of
// SourceFields), unknown keys last in
// their original order, codes and messages double-quoted, short lists in
// flow style, prose lists in block style, notes as literal blocks, two-space
// indentation, LF line ends, no byte-order mark. Comments are kept. A file
// that cannot be parsed is returned with its problems and not rewritten.
func Format(file string, data []byte) ([]byte, Problems) {
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
	canonicalize(root, Fields)
	if header != "" {
		if doc.Kind == yaml.DocumentNode && doc.HeadComment != "" {
			doc.HeadComment += "\n\n" + header
		} else if doc.Kind == yaml.DocumentNode {
			doc.HeadComment = header
		} else {
			root.Content[0].HeadComment = header
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "code", "message":
			quote(v)
		case "platforms", "alt_messages", "aliases", "related", "old_slugs":
			flow(v, true)
			if k.Value != "platforms" {
				for _, item := range v.Content {
					quote(item)
				}
			}
		case "causes", "resolution":
			flow(v, false)
			for _, item := range v.Content {
				plain(item)
			}
		case "note":
			// A note is a Markdown block, written as one; an empty note
			// stays "" rather than becoming a bare |2+ block.
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
		case "sources":
			flow(v, false)
			for _, src := range v.Content {
				if src.Kind == yaml.MappingNode {
					src.Style = 0
					canonicalize(src, SourceFields)
					for j := 1; j < len(src.Content); j += 2 {
						plain(src.Content[j])
					}
				}
			}
		case "chain":
			flow(v, false)
			for _, step := range v.Content {
				if step.Kind == yaml.ScalarNode {
					// The shorthand "- name" becomes "- step: name".
					val := *step
					*step = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: val.Line, Column: val.Column,
						HeadComment: val.HeadComment, FootComment: val.FootComment,
						Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "step"}, {Kind: yaml.ScalarNode, Tag: val.Tag, Value: val.Value, Style: val.Style, LineComment: val.LineComment}}}
				}
				if step.Kind == yaml.MappingNode {
					step.Style = 0
					canonicalize(step, ChainFields)
					for j := 1; j < len(step.Content); j += 2 {
						plain(step.Content[j])
					}
				}
			}
		default:
			if v.Kind == yaml.ScalarNode {
				plain(v)
			}
		}
	}
	var buf bytes.Buffer
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
