package errref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/errref/errref/internal/rules"
)

// SchemaFile is where the JSON Schema of a code file is, relative to the
// repository's root and to the site's: the repository holds the file
// (TestSchemaFile keeps it equal to what Schema generates) and every build
// publishes the same bytes.
const SchemaFile = "schema/code.schema.json"

// SchemaModeline is the first line of every code file. It names the
// schema for editors that use yaml-language-server (VS Code's YAML
// extension, Neovim, Helix, JetBrains IDEs read it too), by a path
// relative to the file: it works offline, in a clone, a fork or a branch,
// and always names the schema of the same commit. fmt and new write it.
const SchemaModeline = "# yaml-language-server: $schema=../" + SchemaFile

// Schema returns the JSON Schema (draft-07, which yaml-language-server
// reads) of a code file of the site configured by cfg, generated from
// CodeFields: every key with its description, the required ones, types,
// vocabularies (site.yaml's included), lengths, dates, slugs, the shape
// of a code and of a source's address, invisible characters. What needs
// the other files (uniqueness across codes, related codes that exist) or
// Markdown parsing is check's alone. The output is indented and ends in a
// newline.
func Schema(cfg *Config) []byte {
	return schema(CodeFields, cfg)
}

func schema(t Table, cfg *Config) []byte {
	top := obj{
		{"$schema", "http://json-schema.org/draft-07/schema#"},
		{"title", "errref code file"},
		{"description", "One error code: codes/<slug>.yaml, where <slug> is the code's letters and digits in lower case, every other run of characters one dash. Generated from errref's table of fields; `errref check` checks more (see CONTRIBUTING.md)."},
	}
	top = append(top, recordSchema(t, cfg)...)
	b, err := marshalJSON(top)
	if err != nil {
		panic(err) // strings, numbers and lists only
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		panic(err)
	}
	out.WriteByte('\n')
	return escapeInvisible(out.Bytes())
}

// recordSchema is the schema of an object with the fields of t: no other
// keys.
func recordSchema(t Table, cfg *Config) obj {
	props := obj{}
	var required []string
	for i := range t {
		f := &t[i]
		props = append(props, kv{f.Name, fieldSchema(f, cfg)})
		if f.Required {
			required = append(required, f.Name)
		}
	}
	o := obj{{"type", "object"}, {"additionalProperties", false}}
	if len(required) > 0 {
		o = append(o, kv{"required", required})
	}
	return append(o, kv{"properties", props})
}

// fieldSchema is the schema of one field's value. An optional field may
// also be null (`message:` with nothing after it), which check reads as
// absent.
func fieldSchema(f *Field, cfg *Config) obj {
	var s obj
	switch f.Kind {
	case Text:
		s = textSchema(f, cfg, f.Required)
	case List:
		s = obj{{"type", "array"}, {"items", textSchema(f, cfg, true)}}
		if f.Unique {
			s = append(s, kv{"uniqueItems", true})
		}
	case Records:
		item := recordSchema(f.Fields, cfg)
		var items any = item
		if f.Short != "" {
			items = obj{{"anyOf", []any{textSchema(f.Fields.Field(f.Short), cfg, true), item}}}
		}
		s = obj{{"type", "array"}, {"items", items}}
	}
	if f.Kind != Text {
		if f.Required {
			s = append(s, kv{"minItems", 1})
		} else {
			s[0] = kv{"type", []string{"array", "null"}}
		}
	}
	doc := f.Doc
	if f.Date {
		doc += ", YYYY-MM-DD"
	}
	return append(obj{{"description", doc}}, s...)
}

// textSchema is the schema of one text value; nonBlank for required text
// and for list entries.
func textSchema(f *Field, cfg *Config, nonBlank bool) obj {
	var patterns, not []string
	s := obj{{"type", "string"}}
	if !nonBlank {
		s[0] = kv{"type", []string{"string", "null"}}
	}
	if vals := Vocabulary(f.Vocab, cfg); f.Vocab != "" && len(vals) > 0 {
		enum := []any{}
		for _, v := range vals {
			enum = append(enum, v)
		}
		if !nonBlank {
			enum = append(enum, nil)
		}
		return append(s, kv{"enum", enum})
	}
	if nonBlank {
		s = append(s, kv{"minLength", 1})
		patterns = append(patterns, `\S`)
	}
	switch {
	case f.Date:
		s = append(s, kv{"format", "date"})
		patterns = append(patterns, datePattern)
	case f.Slug:
		patterns = append(patterns, rules.SlugPattern)
	case f.Code:
		patterns = append(patterns, `^[A-Za-z0-9][A-Za-z0-9`+regexpClass(rules.CodeSeparators)+`]*$`)
		not = append(not, `\.\.`)
	case f.URL:
		patterns = append(patterns, `^`+anyCase("https")+`://[^/\s@?#]+([/?#]\S*)?$`)
		not = append(not, trackingPattern())
	}
	if !f.Block {
		patterns = append(patterns, `^[^\r\n]*\n*$`)
		if f.Max > 0 {
			s = append(s, kv{"maxLength", f.Max})
		}
	}
	if f.Exact {
		patterns = append(patterns, `^\S([^\r\n]*\S)?$`)
	}
	patterns = append(patterns, `^[^`+invisibleClass(f.Block)+`]*$`)
	switch len(patterns) {
	case 0:
	case 1:
		s = append(s, kv{"pattern", patterns[0]})
	default:
		var all []any
		for _, p := range patterns {
			all = append(all, obj{{"pattern", p}})
		}
		s = append(s, kv{"allOf", all})
	}
	for _, p := range not {
		s = append(s, kv{"not", obj{{"pattern", p}}})
	}
	return s
}

// invisibleClass lists, for a regular expression's [...], the characters
// check reports as invisible (InvisibleName, ERR016) in the Basic
// Multilingual Plane, as ranges of the characters themselves (Go and
// JavaScript read them alike; the schema file spells them \uXXXX). Line
// breaks are left to the one-line pattern, and a tab is fine in a block.
func invisibleClass(block bool) string {
	return runeClass(invisibleCandidates(), func(r rune) bool { return invisible(r, block) })
}

// invisibleCandidates are the characters of the Basic Multilingual Plane
// that InvisibleName may name, in order: every control and format
// character and the line and paragraph separators. Asking InvisibleName
// of these alone, rather than of all 65,536, took a build of the real
// corpus 14 ms less; TestInvisibleClass holds the two ways equal.
func invisibleCandidates() []rune {
	var rs []rune
	for _, t := range []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp} {
		for _, rg := range t.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				rs = append(rs, r)
			}
		}
	}
	slices.Sort(rs)
	return slices.Compact(rs)
}

// runeClass writes the runes of rs (in order) for which in holds as a
// character class body: single characters and ranges of consecutive ones.
func runeClass(rs []rune, in func(rune) bool) string {
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if !in(rs[i]) {
			continue
		}
		j := i
		for j+1 < len(rs) && rs[j+1] == rs[j]+1 && in(rs[j+1]) {
			j++
		}
		b.WriteRune(rs[i])
		if j > i {
			if j > i+1 {
				b.WriteByte('-')
			}
			b.WriteRune(rs[j])
		}
		i = j
	}
	return b.String()
}

func invisible(r rune, block bool) bool {
	switch {
	case r == '\n' || r == '\r' || block && r == '\t' || r >= 0xD800 && r <= 0xDFFF:
		return false
	}
	return InvisibleName(r) != ""
}

// escapeInvisible spells every invisible character of a JSON document
// \uXXXX, so the schema file shows what its patterns hold. Outside
// strings a JSON document has only spaces and line breaks, which stay.
func escapeInvisible(doc []byte) []byte {
	var b bytes.Buffer
	for _, r := range string(doc) {
		if r != '\n' && InvisibleName(r) != "" {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.Bytes()
}

// trackingPattern matches an address that carries a tracking parameter
// (isTracking), in any letter case.
func trackingPattern() string {
	var names []string
	for _, n := range slices.Sorted(maps.Keys(trackingNames)) {
		names = append(names, regexpQuote(anyCase(n)))
	}
	names = append(names, anyCase("utm_")+`[^=&#]*`)
	var hosts []string
	for _, h := range shareHosts {
		hosts = append(hosts, anyCase(regexpQuote(h)))
	}
	return `[?&](` + strings.Join(names, "|") + `)([=&#]|$)` +
		`|^[^:/]+://([^/?#@]*\.)?(` + strings.Join(hosts, "|") + `)(:\d+)?([/?#][^#]*)?[?&]` + anyCase("si") + `([=&#]|$)`
}

// anyCase makes each ASCII letter of s match in either case ([hH]).
func anyCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if lo, up := strings.ToLower(string(r)), strings.ToUpper(string(r)); lo != up {
			b.WriteString("[" + lo + up + "]")
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// regexpQuote escapes the characters of s that a regular expression reads
// as operators (the same in Go's syntax and JavaScript's).
func regexpQuote(s string) string {
	return strings.NewReplacer(".", `\.`, "-", `\-`).Replace(s)
}

// regexpClass escapes s for use inside [...].
func regexpClass(s string) string {
	return strings.NewReplacer("-", `\-`, `\`, `\\`, "]", `\]`, "^", `\^`).Replace(s)
}
