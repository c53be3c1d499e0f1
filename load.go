package errref

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/errref/errref/internal/rules"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest code or site file the loader reads. A code
// file is a few kilobytes; anything near this limit is a mistake.
const MaxFileSize = 1 << 20

// Input is what the load stage reads: site.yaml and every code file.
type Input struct {
	Config     Config
	ConfigFile string
	ConfigPos  map[string]Pos
	Codes      []*Code
	// Unreadable holds the slugs (file names without .yaml) of code files
	// that could not be decoded; their problems are already reported, so
	// other files that relate to them get no second, misleading problem.
	Unreadable map[string]bool
}

// Load reads site.yaml and every codes/*.yaml file of fsys. It keeps going
// after a bad file so that every problem is reported at once; files that
// cannot be decoded are left out of the returned Input. Load checks the
// form of each file (encoding, YAML, known fields, types); Check checks
// the content.
func Load(fsys fs.FS) (*Input, Problems) {
	return (*Loader)(nil).Load(fsys)
}

// A Loader is Load with a memory of the code files it decoded (errref
// serve keeps one across rebuilds): a file whose size and modification
// time are those of its last load, and that Changed did not name, is not
// read or decoded again, and gives the same *Code. Nothing changes a
// Code once it is decoded, so loads may share them. A nil *Loader
// remembers nothing.
type Loader struct {
	mu    sync.Mutex
	files map[string]*loadedFile
}

// loadedFile is what a Loader remembers of one code file.
type loadedFile struct {
	size  int64
	mod   time.Time
	code  *Code
	probs Problems
}

// NewLoader returns a Loader that remembers nothing yet.
func NewLoader() *Loader { return &Loader{files: map[string]*loadedFile{}} }

// Changed makes the next Load read files (slash paths relative to the
// site root, such as codes/auth-1.yaml) again, whatever their time stamps
// say: a file rewritten within the same clock tick keeps its time.
func (l *Loader) Changed(files ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range files {
		delete(l.files, f)
	}
}

// code reads and decodes a code file, or returns what the loader
// remembers of it.
func (l *Loader) code(fsys fs.FS, file string, e fs.DirEntry) (*Code, Problems) {
	var info fs.FileInfo
	if l != nil {
		info, _ = e.Info()
		l.mu.Lock()
		f := l.files[file]
		l.mu.Unlock()
		if f != nil && info != nil && f.size == info.Size() && f.mod.Equal(info.ModTime()) {
			return f.code, f.probs
		}
	}
	data, probs := readFile(fsys, file)
	var c *Code
	if data != nil {
		var ps Problems
		c, ps = DecodeCode(file, data)
		probs = append(probs, ps...)
	}
	if l != nil && info != nil {
		l.mu.Lock()
		l.files[file] = &loadedFile{size: info.Size(), mod: info.ModTime(), code: c, probs: probs}
		l.mu.Unlock()
	}
	return c, probs
}

// Load is Load, remembering what it decoded.
func (l *Loader) Load(fsys fs.FS) (*Input, Problems) {
	in := &Input{ConfigFile: ConfigFile}
	var probs Problems
	cfg, pos, ps := loadConfig(fsys)
	probs = append(probs, ps...)
	if cfg != nil {
		in.Config, in.ConfigPos = *cfg, pos
	}

	entries, err := fs.ReadDir(fsys, CodesDir)
	switch fi, serr := fs.Stat(fsys, CodesDir); {
	case serr == nil && !fi.IsDir():
		probs = append(probs, Problem{File: CodesDir, Rule: "ERR015",
			Msg: "is a file; it must be a folder holding one <slug>.yaml file per code"})
	case err != nil:
		probs = append(probs, Problem{File: CodesDir, Rule: "ERR015",
			Msg: fmt.Sprintf("cannot read the codes folder: %v; run errref in the folder that holds site.yaml and codes/, or pass -dir", errors.Unwrap(err))})
	}
	files := 0 // entries other than hidden ones
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		file := CodesDir + "/" + name
		if strings.HasPrefix(name, ".") {
			continue
		}
		files++
		if e.Type()&fs.ModeSymlink != 0 {
			// A link could pull any file of the machine running check
			// into the site, or into CI's log.
			probs = append(probs, Problem{File: file, Rule: "ERR014",
				Msg: "is a symbolic link; code files must be regular files in codes/"})
			continue
		}
		if e.IsDir() {
			probs = append(probs, Problem{File: file + "/", Rule: "ERR005",
				Msg: "is a folder, and check does not look inside it; code files go directly in codes/"})
			continue
		}
		ext := path.Ext(name)
		if ext != ".yaml" && (strings.EqualFold(ext, ".yaml") || strings.EqualFold(ext, ".yml")) {
			probs = append(probs, Problem{File: file, Rule: "ERR005",
				Msg: fmt.Sprintf("code files end in .yaml; rename it to %s", strings.TrimSuffix(file, ext)+".yaml")})
			continue
		}
		if ext != ".yaml" || strings.TrimSpace(name) != name {
			if strings.EqualFold(name, "README.md") {
				continue
			}
			probs = append(probs, Problem{File: file, Rule: "ERR005",
				Msg: fmt.Sprintf("is not a code file, so it is not on the site; name code files codes/<slug>.yaml (%q), or move this file out of codes/", strings.TrimSpace(strings.TrimSuffix(name, ext))+".yaml")})
			continue
		}
		seen[file] = true
		c, ps := l.code(fsys, file, e)
		probs = append(probs, ps...)
		if c == nil {
			if in.Unreadable == nil {
				in.Unreadable = map[string]bool{}
			}
			in.Unreadable[strings.TrimSuffix(name, ext)] = true
			continue
		}
		in.Codes = append(in.Codes, c)
	}
	if err == nil && files == 0 {
		probs = append(probs, Problem{File: CodesDir + "/", Rule: "ERR015",
			Msg: "holds no code files; add one with errref new CODE"})
	}
	if l != nil {
		// Forget the files that are gone.
		l.mu.Lock()
		for f := range l.files {
			if !seen[f] {
				delete(l.files, f)
			}
		}
		l.mu.Unlock()
	}
	sort.Slice(in.Codes, func(i, j int) bool { return in.Codes[i].File < in.Codes[j].File })
	probs.Sort()
	return in, probs
}

// readFile reads a file, refusing ones too large to be a code file.
func readFile(fsys fs.FS, file string) ([]byte, Problems) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, Problems{{File: file, Rule: "ERR014", Msg: fmt.Sprintf("cannot read the file: %v", errors.Unwrap(err))}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, Problems{{File: file, Rule: "ERR014", Msg: fmt.Sprintf("cannot read the file: %v", err)}}
	}
	if len(data) > MaxFileSize {
		return nil, Problems{{File: file, Rule: "ERR014",
			Msg: fmt.Sprintf("the file is larger than %d KiB; a code file is a few KiB: check that the right file was saved here", MaxFileSize>>10)}}
	}
	return data, nil
}

// parseYAML checks the encoding of data and parses it as exactly one YAML
// document whose top level is a mapping. It returns the mapping node, or
// nil with the problems that stop the file from being read.
func parseYAML(file string, data []byte) (*yaml.Node, Problems) {
	_, root, probs := parseYAMLDoc(file, data)
	return root, probs
}

// parseYAMLDoc is parseYAML that also returns the document node, which
// holds the comments above the first key and below the last one.
func parseYAMLDoc(file string, data []byte) (doc, root *yaml.Node, _ Problems) {
	var probs Problems
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		probs = append(probs, Problem{File: file, Line: 1, Col: 1, Rule: "ERR013",
			Msg: "the file starts with a byte-order mark; save it as UTF-8 without BOM (errref fmt removes it)"})
		data = data[3:]
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		return nil, nil, append(probs, Problem{File: file, Line: line, Col: col, Rule: "ERR013",
			Msg: "the file is not UTF-8 text; save it with UTF-8 encoding"})
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		return nil, nil, append(probs, Problem{File: file, Line: line, Col: col, Rule: "ERR013",
			Msg: "the file contains a NUL byte; it is binary, not YAML text"})
	}
	if bytes.Contains(data, []byte("\r\n")) {
		probs = append(probs, Problem{File: file, Line: 1, Rule: "WARN003",
			Msg: "the file uses CRLF line endings; run errref fmt to rewrite it with LF"})
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	if bytes.IndexByte(data, '\r') >= 0 {
		// Old Mac line ends: YAML reads a lone CR as a line break, so
		// positions count it as one too.
		probs = append(probs, Problem{File: file, Line: 1, Rule: "WARN003",
			Msg: "the file uses CR line endings; run errref fmt to rewrite it with LF"})
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	if line, col := tabIndent(data); line > 0 {
		return nil, nil, append(probs, Problem{File: file, Line: line, Col: col, Rule: "ERR012",
			Msg: "the line is indented with a tab; YAML indentation must use spaces"})
	}

	var docs []*yaml.Node
	ps := func() (ps Problems) {
		// yaml.v3 has panicked on hostile input in the past; a parser
		// fault must become a problem, never a crash.
		defer func() {
			if r := recover(); r != nil {
				ps = Problems{{File: file, Rule: "ERR012", Msg: fmt.Sprintf("the YAML parser failed on this file (%v); simplify the file", r)}}
			}
		}()
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if err == io.EOF {
				return nil
			}
			if err != nil {
				if p, ok := oddSpace(file, data); ok {
					return Problems{p}
				}
				return Problems{syntaxProblem(file, err)}
			}
			docs = append(docs, &n)
		}
	}()
	probs = append(probs, ps...)
	if ps != nil {
		return nil, nil, probs
	}
	if len(docs) == 0 || isEmptyDoc(docs[0]) {
		return nil, nil, append(probs, Problem{File: file, Rule: "ERR014",
			Msg: "the file is empty; run errref new CODE for a skeleton with every field"})
	}
	if len(docs) > 1 {
		return nil, nil, append(probs, Problem{File: file, Line: docs[1].Line, Rule: "ERR014",
			Msg: "the file holds several YAML documents; keep one code per file and remove the '---' separator"})
	}
	doc = docs[0]
	root = doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, append(probs, Problem{File: file, Line: root.Line, Col: root.Column, Rule: "ERR014",
			Msg: fmt.Sprintf("the file holds %s; it must be a mapping of fields such as `code: \"auth:1\"`", kindName(root))})
	}
	if p, ok := findAlias(file, root); ok {
		return nil, nil, append(probs, p)
	}
	return doc, root, probs
}

func isEmptyDoc(n *yaml.Node) bool {
	if n.Kind == yaml.DocumentNode {
		return len(n.Content) == 0 || (n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Tag == "!!null")
	}
	return false
}

// findAlias reports the first anchor or alias: they make a file harder to
// read than it is worth and can expand without bound.
func findAlias(file string, n *yaml.Node) (Problem, bool) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return Problem{File: file, Line: n.Line, Col: n.Column, Rule: "ERR012",
			Msg: "YAML anchors and aliases (&name, *name) are not supported; write the value out"}, true
	}
	for _, c := range n.Content {
		if p, ok := findAlias(file, c); ok {
			return p, true
		}
	}
	return Problem{}, false
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 parse error into a positioned problem.
func syntaxProblem(file string, err error) Problem {
	msg := err.Error()
	p := Problem{File: file, Rule: "ERR012"}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	p.Msg = fmt.Sprintf("invalid YAML: %s; check the indentation and quote values that contain ': ' or start with a special character", msg)
	return p
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "an unexpected YAML node"
}

func invalidUTF8At(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return lineCol(data, i)
		}
		i += size
	}
	return 1, 1
}

// lineCol converts a byte offset to a 1-based line and column (in runes).
func lineCol(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

// oddSpace finds a space YAML does not read as one (a no-break space, an
// ideographic space, ...) where YAML needs a real space: in the
// indentation, or right after the ':' of a key or the '-' of a list item.
// Text pasted from web pages brings them, they look like spaces, and the
// parser's own message about them points elsewhere.
func oddSpace(file string, data []byte) (Problem, bool) {
	odd := func(r rune) bool { return r >= 0x80 && unicode.Is(unicode.Zs, r) }
	lineNo := 0
	for len(data) > 0 {
		lineNo++
		line := data
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		// One pass over the line: a special space counts in the leading
		// run of spaces and dashes, or right after a ':' or '-' (with
		// plain spaces between).
		lead, after := true, false
		col := 0
		for k := 0; k < len(line); {
			r, n := utf8.DecodeRune(line[k:])
			col++
			switch {
			case odd(r) && (lead || after):
				return Problem{File: file, Line: lineNo, Col: col, Rule: "ERR012",
					Msg: fmt.Sprintf("invalid YAML: a %s (U+%04X) stands where YAML needs a plain space; replace it with a normal space", spaceName(r), r)}, true
			case r == ' ':
			case r == '-' || r == ':':
				after = true
				lead = lead && r == '-'
				k += n
				continue
			default:
				lead = false
			}
			if r != ' ' {
				after = false
			}
			k += n
		}
	}
	return Problem{}, false
}

func spaceName(r rune) string {
	switch r {
	case 0xA0, 0x202F:
		return "no-break space"
	case 0x3000:
		return "full-width space"
	}
	return "special space"
}

// tabIndent finds the first line whose indentation contains a tab.
func tabIndent(data []byte) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		for j, b := range l {
			if b == '\t' {
				return i + 1, j + 1
			}
			if b != ' ' {
				break
			}
		}
	}
	return 0, 0
}

// fieldDecoder walks one mapping node, recording problems and positions.
type fieldDecoder struct {
	file     string
	probs    Problems
	pos      map[string]Pos
	reported map[string]bool // fields with a problem already reported
}

func (d *fieldDecoder) add(n *yaml.Node, rule, field, format string, args ...any) {
	p := Problem{File: d.file, Rule: rule, Field: field, Msg: fmt.Sprintf(format, args...)}
	d.reported[field] = true
	if n != nil {
		p.Line, p.Col = n.Line, n.Column
	}
	d.probs = append(d.probs, p)
}

// keys checks the keys of a mapping against the allowed names and returns
// the value node of each known key. Unknown and repeated keys are problems.
func (d *fieldDecoder) keys(m *yaml.Node, prefix string, allowed []string) map[string]*yaml.Node {
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.add(k, "ERR012", prefix, "a field name must be plain text, not %s", kindName(k))
			continue
		}
		name := k.Value
		if _, dup := vals[name]; dup {
			d.add(k, "ERR012", prefix+name, "the field appears twice (first at line %d); keep one", vals[name].Line)
			continue
		}
		if !contains(allowed, name) {
			msg := fmt.Sprintf("unknown field %q; the fields are %s", name, strings.Join(allowed, ", "))
			if s := Suggest(name, allowed); s != "" {
				msg = fmt.Sprintf("unknown field %q (did you mean %q?)", name, s)
				d.reported[prefix+s] = true
			}
			d.add(k, "ERR002", prefix+name, "%s", msg)
			continue
		}
		vals[name] = v
		d.pos[prefix+name] = Pos{v.Line, v.Column}
	}
	return vals
}

// str decodes a scalar as text. Any scalar is accepted as its literal
// text (so `title: 404` is the text "404"); null means absent.
func (d *fieldDecoder) str(v *yaml.Node, field string) string {
	if v == nil {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		d.add(v, "ERR004", field, "expected text, found %s; write it on one line after the colon, or as a block with |", kindName(v))
		return ""
	}
	if v.Tag == "!!null" {
		return ""
	}
	return v.Value
}

// list decodes a sequence of scalars.
func (d *fieldDecoder) list(v *yaml.Node, field string) []string {
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.add(v, "ERR004", field, "expected a list, found %s; write it as [a, b] or as lines starting with '- '", kindName(v))
		return nil
	}
	out := make([]string, 0, len(v.Content))
	for i, item := range v.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		d.pos[f] = Pos{item.Line, item.Column}
		if item.Kind != yaml.ScalarNode {
			d.add(item, "ERR004", f, "expected text, found %s; quote the entry if it contains ': ' or starts with '-', '[' or '{'", kindName(item))
			continue
		}
		if item.Tag == "!!null" {
			// "- ~", "- null" or a bare "-": an empty entry, which the
			// validator reports, not the text "~" or "null".
			out = append(out, "")
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// DecodeCode decodes one code file. file is its slash path relative to the
// site root; it names the file in problems and sets Code.File and Slug.
// It returns nil when the file cannot be read as a code at all.
func DecodeCode(file string, data []byte) (*Code, Problems) {
	c := &Code{File: file}
	probs, ok := decodeFile(file, data, CodeFields, c, reflect.ValueOf(c).Elem())
	if !ok {
		return nil, probs
	}
	c.Slug = rules.Slug(c.Code)
	c.version = fileVersion(file, data)
	return c, probs
}

// fileVersion is a digest of a file's name and bytes, never 0.
func fileVersion(file string, data []byte) uint64 {
	h := fnv.New64a()
	h.Write([]byte(file))
	h.Write([]byte{0})
	h.Write(data)
	return h.Sum64() | 1
}

// decodeFile decodes a file into dst, a struct with the fields of t, and
// fills c's positions and reported fields. dst is c itself, or a struct
// that embeds it (the table of a code with one more field, in tests).
func decodeFile(file string, data []byte, t Table, c *Code, dst reflect.Value) (Problems, bool) {
	root, probs := parseYAML(file, data)
	if root == nil {
		return probs, false
	}
	d := &fieldDecoder{file: file, pos: map[string]Pos{}, reported: map[string]bool{}}
	c.Pos, c.reported = d.pos, d.reported
	d.record(root, "", t, dst)
	return append(probs, d.probs...), true
}

// record decodes mapping m into dst, a struct whose table is t. prefix is
// the YAML path of m ("" for the file, "chain[1]." for a step).
func (d *fieldDecoder) record(m *yaml.Node, prefix string, t Table, dst reflect.Value) {
	vals := d.keys(m, prefix, t.Names())
	for i := range t {
		f := &t[i]
		n, path := vals[f.Name], prefix+f.Name
		switch f.Kind {
		case Text:
			f.Value(dst).SetString(d.str(n, path))
		case List:
			f.Value(dst).Set(reflect.ValueOf(d.list(n, path)))
		case Records:
			d.records(n, path, f, f.Value(dst))
		}
	}
}

// records decodes a list of mappings into dst, a slice of f's record type.
// An entry that is not a mapping is reported and keeps its place as an
// empty record, so that the positions of the next ones stay right; a
// field with a short form accepts a bare text entry as that field.
func (d *fieldDecoder) records(n *yaml.Node, path string, f *Field, dst reflect.Value) {
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return
	}
	noun := f.item()
	if n.Kind != yaml.SequenceNode {
		d.add(n, "ERR004", path, "expected a list of %ss, found %s; write each %s as a line %s", noun, kindName(n), noun, recordShape(f.Fields))
		return
	}
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.pos[p] = Pos{item.Line, item.Column}
		rec := reflect.New(f.elem).Elem()
		switch {
		case item.Kind == yaml.MappingNode:
			d.record(item, p+".", f.Fields, rec)
		case item.Kind == yaml.ScalarNode && f.Short != "":
			// "- netprofm" is short for "- step: netprofm"; a null
			// ("- ~") is an empty one.
			if item.Tag != "!!null" {
				f.Fields.Field(f.Short).Value(rec).SetString(item.Value)
			}
			d.pos[p+"."+f.Short] = Pos{item.Line, item.Column}
		default:
			d.add(item, "ERR004", p, "expected a %s, found %s; write it as %s", noun, kindName(item), recordShape(f.Fields))
			for _, sub := range f.Fields {
				d.reported[p+"."+sub.Name] = true
			}
		}
		dst.Set(reflect.Append(dst, rec))
	}
}

// recordShape shows how a record is written: "'- url: …' with title:
// below it (and optionally supports:)".
func recordShape(t Table) string {
	var req, opt []string
	for _, f := range t[1:] {
		if f.Required {
			req = append(req, f.Name+":")
		} else {
			opt = append(opt, f.Name+":")
		}
	}
	s := fmt.Sprintf("'- %s: …'", t[0].Name)
	if len(req) > 0 {
		s += " with " + strings.Join(req, " and ") + " below it"
	}
	if len(opt) > 0 {
		s += " (optionally " + strings.Join(opt, " and ") + ")"
	}
	return s
}

// configFields are the keys of site.yaml.
var (
	configFields   = []string{"title", "tagline", "description", "base_url", "repository", "branch", "categories", "subsystems", "platforms"}
	categoryFields = []string{"id", "label", "description", "order"}
	termFields     = []string{"id", "label", "description"}
)

// loadConfig reads site.yaml with the same care as a code file.
func loadConfig(fsys fs.FS) (*Config, map[string]Pos, Problems) {
	data, probs := readFile(fsys, ConfigFile)
	if data == nil {
		if len(probs) > 0 {
			probs[0].Rule = "ERR015"
			probs[0].Msg += "; every site needs a site.yaml next to codes/"
		}
		return nil, nil, probs
	}
	root, ps := parseYAML(ConfigFile, data)
	probs = append(probs, ps...)
	if root == nil {
		return nil, nil, probs
	}
	d := &fieldDecoder{file: ConfigFile, pos: map[string]Pos{}, reported: map[string]bool{}}
	v := d.keys(root, "", configFields)
	cfg := &Config{
		Title:       d.str(v["title"], "title"),
		Tagline:     d.str(v["tagline"], "tagline"),
		Description: d.str(v["description"], "description"),
		BaseURL:     d.str(v["base_url"], "base_url"),
		Repository:  d.str(v["repository"], "repository"),
		Branch:      d.str(v["branch"], "branch"),
	}
	for i, item := range d.maps(v["categories"], "categories") {
		f := fmt.Sprintf("categories[%d]", i)
		cv := d.keys(item, f+".", categoryFields)
		cat := Category{
			ID:          d.str(cv["id"], f+".id"),
			Label:       d.str(cv["label"], f+".label"),
			Description: d.str(cv["description"], f+".description"),
		}
		if o := cv["order"]; o != nil {
			n, err := strconv.Atoi(d.str(o, f+".order"))
			if err != nil {
				d.add(o, "ERR004", f+".order", "expected a whole number, found %q", o.Value)
			}
			cat.Order = n
		}
		cfg.Categories = append(cfg.Categories, cat)
	}
	for _, list := range []struct {
		name string
		dst  *[]Term
	}{{"subsystems", &cfg.Subsystems}, {"platforms", &cfg.Platforms}} {
		for i, item := range d.maps(v[list.name], list.name) {
			f := fmt.Sprintf("%s[%d]", list.name, i)
			tv := d.keys(item, f+".", termFields)
			*list.dst = append(*list.dst, Term{
				ID:          d.str(tv["id"], f+".id"),
				Label:       d.str(tv["label"], f+".label"),
				Description: d.str(tv["description"], f+".description"),
			})
		}
	}
	return cfg, d.pos, append(probs, d.probs...)
}

// maps decodes a sequence of vocabulary entries of site.yaml.
func (d *fieldDecoder) maps(v *yaml.Node, field string) []*yaml.Node {
	var out []*yaml.Node
	for _, item := range d.entries(v, field, "expected a list of entries, found %s", "expected an entry with id: and label:, found %s") {
		if item != nil {
			out = append(out, item)
		}
	}
	return out
}

// entries decodes a sequence of mappings, recording each item's position.
// notList and notEntry are the messages for a value that is not a list
// and an item that is not a mapping; each has one %s for what was found.
// The result holds one node per item, nil for an item that is not a
// mapping, so that an item's index stays its position in the file.
func (d *fieldDecoder) entries(v *yaml.Node, field, notList, notEntry string) []*yaml.Node {
	if v == nil || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.add(v, "ERR004", field, notList, kindName(v))
		return nil
	}
	var out []*yaml.Node
	for i, item := range v.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		d.pos[f] = Pos{item.Line, item.Column}
		if item.Kind != yaml.MappingNode {
			d.add(item, "ERR004", f, notEntry, kindName(item))
			item = nil
		}
		out = append(out, item)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
