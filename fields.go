package errref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// This file turns the struct tags of Code, ChainStep and Source into the
// table of fields that every stage reads: the loader decodes by it, check
// tests presence, type, vocabulary, length and Markdown by it, fmt orders
// and quotes by it, new writes its skeleton from it, the API writes its
// records from it, and the JSON Schema of a code file is generated from
// it. A new optional field is one struct field with its tags, plus the
// template that shows it and, when that is a section of its own, the
// section's id and condition in anchors, which the template asks
// (ARCHITECTURE.md works an example through).
//
// The tags of a field:
//
//	yaml:"name"      the key in the file, in the API and in the schema
//	doc:"…"          what to write, in a few words (new's comment, the schema's description)
//	missing:"…"      for a required field: what to do when it is missing
//	field:"opt,…"    how it is checked and written:
//	  required       the file must give it (text: not blank; list: at least one entry)
//	  max=N          one line of at most N characters (each entry, for a list)
//	  block          a Markdown block of several lines (note)
//	  markdown       inline Markdown: no raw HTML, no unsafe links, one paragraph
//	  exact          copied and typed by readers: no white space around it
//	  vocab=NAME     one of a vocabulary (Vocabulary): severity, handling, state,
//	                 category, subsystem, platform
//	  unique         a list whose entries appear once each
//	  date           a YYYY-MM-DD day, not in the future
//	  slug           a slug (rules.IsSlug)
//	  code           shaped like a code (rules.CodeShape)
//	  url            an https address (sources)
//	  item=NOUN      what one entry of a list is called in messages ("cause")
//	  flow           fmt writes the list on one line: [a, b]
//	  quoted         fmt double-quotes the text (each entry, for a list)
//	  short=NAME     a record list accepts a bare text entry as the record's NAME
//	  skeleton=comment|omit   new writes the field commented out, or leaves it out
//	  example=TEXT   new writes TEXT instead of an empty value

// Kind is the shape of a field's value.
type Kind int

const (
	Text    Kind = iota // one scalar
	List                // a list of scalars
	Records             // a list of mappings, each with fields of its own (Field.Fields)
)

// Field is one key of a code file, of a chain step or of a source.
type Field struct {
	Name     string // YAML key; also the API's and the schema's
	Kind     Kind
	Doc      string
	Missing  string
	Required bool
	Max      int  // one line of at most Max characters; 0: no limit
	Block    bool // Markdown block
	Markdown bool // inline Markdown
	Exact    bool
	Vocab    string
	Unique   bool
	Date     bool
	Slug     bool
	Code     bool
	URL      bool
	Item     string
	Flow     bool
	Quoted   bool
	Short    string
	Skeleton string // "", "comment" or "omit"
	Example  string
	Fields   Table // Records: the fields of one record

	index []int        // the struct field (reflect.Value.FieldByIndex)
	elem  reflect.Type // Records: the record type
}

// Table is the fields of a record type, in canonical order: the order of
// the struct, which is the order fmt writes and new lists them in.
type Table []Field

// CodeFields is the table of a code file.
var CodeFields = TableOf(reflect.TypeFor[Code]())

// Names returns the keys in canonical order.
func (t Table) Names() []string {
	names := make([]string, len(t))
	for i, f := range t {
		names[i] = f.Name
	}
	return names
}

// Field returns the field called name, or nil.
func (t Table) Field(name string) *Field {
	for i := range t {
		if t[i].Name == name {
			return &t[i]
		}
	}
	return nil
}

// Value returns f's value in rec, a struct of the type f's table was made
// from (or a pointer to one).
func (f *Field) Value(rec reflect.Value) reflect.Value {
	if rec.Kind() == reflect.Pointer {
		rec = rec.Elem()
	}
	return rec.FieldByIndex(f.index)
}

// TableOf reads the table of a struct type from its tags. Fields without
// a yaml tag, or tagged yaml:"-", are not part of the file; the fields of
// an embedded struct without a tag are, in their place. It panics on a
// malformed tag or a key given to two fields: the table is fixed at
// compile time, and its tests run it.
func TableOf(t reflect.Type) Table {
	var table Table
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("yaml") == "" {
			for _, f := range TableOf(sf.Type) {
				f.index = append([]int{i}, f.index...)
				table = append(table, f)
			}
			continue
		}
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		f := Field{Name: name, Doc: sf.Tag.Get("doc"), Missing: sf.Tag.Get("missing"), index: []int{i}}
		switch {
		case sf.Type.Kind() == reflect.String:
			f.Kind = Text
		case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.String:
			f.Kind = List
		case sf.Type.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct:
			f.Kind, f.elem = Records, sf.Type.Elem()
			f.Fields = TableOf(f.elem)
		default:
			panic(fmt.Sprintf("errref: field %s of %s has type %s; a field is text, a list of text or a list of records", sf.Name, t, sf.Type))
		}
		if opts := sf.Tag.Get("field"); opts != "" {
			for _, opt := range strings.Split(opts, ",") {
				if err := f.option(opt); err != nil {
					panic(fmt.Sprintf("errref: field %s of %s: %v", sf.Name, t, err))
				}
			}
		}
		if f.Required && f.Missing == "" && f.Vocab == "" {
			panic(fmt.Sprintf("errref: field %s of %s is required but has no missing:\"…\" tag saying what to write", sf.Name, t))
		}
		table = append(table, f)
	}
	for i, f := range table {
		if j := slices.IndexFunc(table[:i], func(g Field) bool { return g.Name == f.Name }); j >= 0 {
			panic(fmt.Sprintf("errref: %s has two fields named %q (the %dth and the %dth); a key names one field", t, f.Name, j+1, i+1))
		}
	}
	return table
}

func (f *Field) option(opt string) error {
	key, val, hasVal := strings.Cut(opt, "=")
	flags := map[string]*bool{
		"required": &f.Required, "block": &f.Block, "markdown": &f.Markdown, "exact": &f.Exact,
		"unique": &f.Unique, "date": &f.Date, "slug": &f.Slug, "code": &f.Code, "url": &f.URL,
		"flow": &f.Flow, "quoted": &f.Quoted,
	}
	if p, ok := flags[key]; ok && !hasVal {
		*p = true
		return nil
	}
	switch key {
	case "max":
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 {
			return fmt.Errorf("max=%q is not a positive number", val)
		}
		f.Max = n
	case "vocab":
		if _, ok := builtinVocab[val]; !ok && !siteVocab[val] {
			return fmt.Errorf("vocab=%q is no vocabulary", val)
		}
		f.Vocab = val
	case "item":
		f.Item = val
	case "short":
		f.Short = val
	case "skeleton":
		if val != "comment" && val != "omit" {
			return fmt.Errorf("skeleton=%q: want comment or omit", val)
		}
		f.Skeleton = val
	case "example":
		f.Example = val
	default:
		return fmt.Errorf("unknown option %q", opt)
	}
	return nil
}

// item names one entry of a list field in messages.
func (f *Field) item() string {
	if f.Item != "" {
		return f.Item
	}
	return "entry"
}

// builtinVocab are the vocabularies fixed by errref itself; siteVocab are
// the ones site.yaml lists.
var (
	builtinVocab = map[string][]string{"severity": Severities, "handling": Handlings, "state": ChainStates}
	siteVocab    = map[string]bool{"category": true, "subsystem": true, "platform": true}
)

// Vocabulary returns the allowed values of a vocabulary, in their order:
// the built-in ones, or the ids site.yaml lists for category, subsystem
// and platform.
func Vocabulary(name string, cfg *Config) []string {
	if v, ok := builtinVocab[name]; ok {
		return v
	}
	if cfg == nil {
		return nil
	}
	switch name {
	case "category":
		return categoryIDs(cfg)
	case "subsystem":
		return termIDs(cfg.Subsystems)
	case "platform":
		return termIDs(cfg.Platforms)
	}
	return nil
}

// MaxCodeLen is the longest code, in characters.
var MaxCodeLen = CodeFields.Field("code").Max

// MarshalJSON writes the code as a record of CodeFields (recordObj).
func (c Code) MarshalJSON() ([]byte, error) {
	return marshalJSON(recordObj(CodeFields, reflect.ValueOf(c)))
}

// UnmarshalJSON reads a record of CodeFields; other keys are ignored.
func (c *Code) UnmarshalJSON(b []byte) error {
	return unmarshalRecord(CodeFields, b, reflect.ValueOf(c).Elem())
}

// recordObj is a record as JSON: every field of t under its YAML name, in
// the table's order, an empty list as [] and absent text as "", so that
// every record has one shape.
func recordObj(t Table, rec reflect.Value) obj {
	if rec.Kind() == reflect.Pointer {
		rec = rec.Elem()
	}
	o := make(obj, 0, len(t))
	for i := range t {
		f := &t[i]
		v := f.Value(rec)
		switch f.Kind {
		case Text:
			o = append(o, kv{f.Name, v.String()})
		case List:
			items := v.Interface().([]string)
			if items == nil {
				items = []string{}
			}
			o = append(o, kv{f.Name, items})
		case Records:
			recs := make([]obj, v.Len())
			for j := range recs {
				recs[j] = recordObj(f.Fields, v.Index(j))
			}
			o = append(o, kv{f.Name, recs})
		}
	}
	return o
}

// unmarshalRecord reads the fields of t from a JSON object into rec.
func unmarshalRecord(t Table, b []byte, rec reflect.Value) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for i := range t {
		f := &t[i]
		v, ok := raw[f.Name]
		if !ok {
			continue
		}
		switch f.Kind {
		case Text, List:
			if err := json.Unmarshal(v, f.Value(rec).Addr().Interface()); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		case Records:
			var items []json.RawMessage
			if err := json.Unmarshal(v, &items); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
			dst := f.Value(rec)
			for j, item := range items {
				r := reflect.New(f.elem).Elem()
				if err := unmarshalRecord(f.Fields, item, r); err != nil {
					return fmt.Errorf("%s[%d].%w", f.Name, j, err)
				}
				dst.Set(reflect.Append(dst, r))
			}
		}
	}
	return nil
}

// obj is a JSON object whose keys keep their order, so the schema reads
// in the order of the table and is the same bytes every time.
type obj []kv

type kv struct {
	k string
	v any
}

// set replaces the value of key k.
func (o obj) set(k string, v any) {
	for i := range o {
		if o[i].k == k {
			o[i].v = v
		}
	}
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalJSON(e.k)
		if err != nil {
			return nil, err
		}
		v, err := marshalJSON(e.v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.k, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalJSON is json.Marshal without escaping <, > and &: the schema is
// a file to read, never inlined in HTML.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
