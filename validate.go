package errref

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/errref/errref/internal/rules"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Check is the validate stage: it checks the content of loaded input: required fields, allowed
// values, references between codes, uniqueness, dates, lengths and the
// safety of Markdown. It returns every problem, sorted.
func Check(in *Input) Problems {
	return (*Checker)(nil).Check(in)
}

// A Checker is Check with a memory (errref serve keeps one across
// rebuilds): the problems of a code on its own, which depend only on the
// code, site.yaml and the day, are worked out once for each *Code (a
// Loader gives the same one while its file does not change); the checks
// across codes always run. A nil *Checker remembers nothing.
type Checker struct {
	mu    sync.Mutex
	under string // site.yaml and the day the remembered problems hold for
	codes map[*Code]Problems
}

// NewChecker returns a Checker that remembers nothing yet.
func NewChecker() *Checker { return &Checker{} }

// Check is Check, remembering each code's own problems.
func (ch *Checker) Check(in *Input) Problems {
	v := &validator{in: in}
	v.config()
	if ch == nil {
		for _, c := range in.Codes {
			v.code(c)
		}
	} else {
		ch.mu.Lock()
		cfg, _ := json.Marshal(in.Config)
		if under := time.Now().Format(time.DateOnly) + string(cfg); under != ch.under {
			ch.under, ch.codes = under, map[*Code]Problems{}
		}
		codes := make(map[*Code]Problems, len(in.Codes))
		for _, c := range in.Codes {
			ps, ok := ch.codes[c]
			if !ok {
				one := &validator{in: in}
				one.code(c)
				ps = one.probs
			}
			codes[c] = ps
			v.probs = append(v.probs, ps...)
		}
		ch.codes = codes // forget codes that are gone
		ch.mu.Unlock()
	}
	v.across()
	v.probs.Sort()
	return v.probs
}

type validator struct {
	in    *Input
	probs Problems
}

func (v *validator) add(c *Code, rule, field, format string, args ...any) {
	if (rule == "ERR001" || rule == "ERR011") && c.reported[field] {
		return // the loader already said what is wrong with this field
	}
	at := c.posOf(field)
	v.probs = append(v.probs, Problem{File: c.File, Line: at.Line, Col: at.Col, Rule: rule, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// config checks site.yaml: its settings, then the entries of each of its
// vocabularies.
func (v *validator) config() {
	if v.in.ConfigPos == nil {
		return // site.yaml could not be read; Load reported why
	}
	cfg := &v.in.Config
	if cfg.Title == "" {
		v.configProblem("title", "the site needs a title; add `title: errref`")
	}
	if err := CheckBaseURL(cfg.BaseURL); err != nil {
		v.configProblem("base_url", "%v", err)
	}
	if u, err := url.Parse(cfg.Repository); cfg.Repository != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
		v.configProblem("repository", "%q is not an https URL; write the repository's address, e.g. https://github.com/owner/repo", cfg.Repository)
	}
	if len(cfg.Categories) == 0 {
		v.configProblem("categories", "list at least one category, each with id, label and description")
	}
	if len(cfg.Platforms) == 0 {
		v.configProblem("platforms", "list at least one platform, each with id and label")
	}
	categories := make([]Term, len(cfg.Categories))
	for i, c := range cfg.Categories {
		categories[i] = Term{ID: c.ID, Label: c.Label}
	}
	v.vocabulary("categories", categories)
	v.vocabulary("subsystems", cfg.Subsystems)
	v.vocabulary("platforms", cfg.Platforms)
}

// configProblem reports a problem with a setting of site.yaml.
func (v *validator) configProblem(field, format string, args ...any) {
	pos := posIn(v.in.ConfigPos, field)
	v.probs = append(v.probs, Problem{File: v.in.ConfigFile, Line: pos.Line, Col: pos.Col, Rule: "ERR015", Field: field, Msg: fmt.Sprintf(format, args...)})
}

// vocabulary checks the entries of one of site.yaml's lists: each has an
// id shaped like a slug, ids that name one listing page each, and a
// label.
func (v *validator) vocabulary(list string, terms []Term) {
	seen := map[string]int{}
	for i, t := range terms {
		f := fmt.Sprintf("%s[%d]", list, i)
		switch {
		case t.ID == "":
			v.configProblem(f+".id", "every entry needs an id")
		case !rules.IsSlug(strings.ReplaceAll(t.ID, "_", "-")):
			v.configProblem(f+".id", "id %q may hold only lowercase letters, digits, '-' and '_'", t.ID)
		}
		// Pages are named by the slug of the id, so "a_b" and "a-b"
		// would share one.
		if j, dup := seen[rules.Slug(t.ID)]; dup && t.ID != "" {
			if terms[j].ID == t.ID {
				v.configProblem(f+".id", "id %q is already used by %s[%d]; ids must be unique", t.ID, list, j)
			} else {
				v.configProblem(f+".id", "id %q and %s[%d]'s id %q would share one listing page; ids must differ in their letters or digits", t.ID, list, j, terms[j].ID)
			}
		}
		seen[rules.Slug(t.ID)] = i
		if t.Label == "" {
			v.configProblem(f+".label", "entry %q needs a label", t.ID)
		}
	}
}

// datePattern is the form of a date field, YYYY-MM-DD (whether it is a
// real day, time.Parse says); the JSON Schema publishes it too.
const datePattern = `^\d{4}-\d{2}-\d{2}$`

var dateRE = regexp.MustCompile(datePattern)

// code checks one code on its own: first everything its table of fields
// says about each field, then the rules that involve several fields.
func (v *validator) code(c *Code) {
	v.fields(c, "", CodeFields, reflect.ValueOf(c).Elem())
	v.fileName(c)
	v.mainMessage(c)
	v.chainBreaks(c)
	v.reviewAfterAdded(c)
	v.sourcesOnce(c)
}

// fields checks a record (a code, a chain step, a source) against its
// table: presence, vocabulary, dates, slugs, code shape, addresses,
// length, Markdown and visible characters. prefix is the record's YAML
// path ("" for the code, "chain[1]." for a step).
func (v *validator) fields(c *Code, prefix string, t Table, rec reflect.Value) {
	for i := range t {
		f := &t[i]
		path, val := prefix+f.Name, f.Value(rec)
		switch f.Kind {
		case Text:
			s := val.String()
			switch {
			case strings.TrimSpace(s) == "" && f.Required:
				v.missing(c, f, path)
			case s != "":
				v.text(c, f, path, s)
			}
		case List:
			items := val.Interface().([]string)
			if len(items) == 0 && f.Required {
				v.add(c, "ERR011", path, "%s", f.Missing)
			}
			seen := map[string]bool{}
			for j, s := range items {
				p := fmt.Sprintf("%s[%d]", path, j)
				if strings.TrimSpace(s) == "" {
					v.add(c, "ERR001", p, "the %s is empty; write it or remove the line", f.item())
					continue
				}
				v.text(c, f, p, s)
				if f.Unique && seen[s] {
					v.add(c, "ERR006", p, "%s %q is listed twice; keep one", f.item(), s)
				}
				seen[s] = true
			}
		case Records:
			if val.Len() == 0 && f.Required {
				v.add(c, "ERR011", path, "%s", f.Missing)
			}
			for j := range val.Len() {
				v.fields(c, fmt.Sprintf("%s[%d].", path, j), f.Fields, val.Index(j))
			}
		}
	}
}

// missing reports a required field that is absent or blank.
func (v *validator) missing(c *Code, f *Field, path string) {
	what := "missing"
	if _, written := c.Pos[path]; written {
		what = "empty"
	}
	hint := f.Missing
	if hint == "" {
		if vals := Vocabulary(f.Vocab, &v.in.Config); len(vals) > 0 {
			hint = fmt.Sprintf("add %s: one of %s", f.Name, strings.Join(vals, ", "))
		} else {
			hint = fmt.Sprintf("add %s: %s", f.Name, f.Doc)
		}
	}
	v.add(c, "ERR001", path, "required field is %s; %s", what, hint)
}

// text checks one text value: a text field, or one entry of a list.
func (v *validator) text(c *Code, f *Field, path, s string) {
	switch {
	case f.Vocab != "":
		v.oneOf(c, path, s, Vocabulary(f.Vocab, &v.in.Config))
		return
	case f.Date:
		v.date(c, path, s, f.Doc)
		return
	case f.Slug:
		if !rules.IsSlug(s) {
			v.add(c, "ERR005", path, "%q is not a slug; slugs are lowercase letters and digits joined by '-', as in accounts-53", s)
		}
		return
	case f.Code:
		if shape := rules.CodeShape(s); shape != "" {
			v.add(c, "ERR020", path, "%q %s; write the code as the app shows it: %s", s, shape, rules.CodeShapeHint)
		}
	case f.URL:
		v.sourceURL(c, path, s)
	}
	if !f.Block {
		v.oneLine(c, path, s, f.Max)
	}
	if f.Markdown {
		v.markdown(c, path, s, f.Block)
	}
	v.visible(c, path, s, f.Block, f.Exact)
}

// fileName checks that the file is named by the code's slug.
func (v *validator) fileName(c *Code) {
	if strings.TrimSpace(c.Code) == "" || rules.CodeShape(c.Code) != "" {
		return // reported as missing or misshapen
	}
	switch want := c.Slug + ".yaml"; {
	case c.Slug == "":
		v.add(c, "ERR005", "code", "%q has no letters or digits, so it has no slug; write the code as the app shows it", c.Code)
	case path.Base(c.File) != want:
		v.add(c, "ERR005", "code", "the file is named %s but the slug of %q is %s; rename the file to %s", path.Base(c.File), c.Code, c.Slug, path.Join(path.Dir(c.File), want))
	}
}

// mainMessage: other messages come after the main one.
func (v *validator) mainMessage(c *Code) {
	if c.Message == "" && len(c.AltMessages) > 0 {
		v.add(c, "ERR001", "alt_messages", "alt_messages is set but message is not; put the main message in message")
	}
}

// chainBreaks advises marking where the chain breaks, so the diagram
// shows it. A state the loader already reported (a misspelt key, a wrong
// type) may well have said critical: no advice on top of that error.
func (v *validator) chainBreaks(c *Code) {
	if len(c.Chain) == 0 {
		return
	}
	for i, s := range c.Chain {
		if s.State == "critical" || c.reported[fmt.Sprintf("chain[%d].state", i)] {
			return
		}
	}
	v.add(c, "WARN002", "chain", "no step has state: critical; mark the link that breaks so the diagram shows where it fails")
}

// visible reports characters a reader cannot see or a browser would act
// on: control characters, bidi overrides, zero-width and other formatting
// characters (all of which arrive with text pasted from web pages and
// chats, and turn a code no one can type or a title shown backwards), and,
// for exact text, white space around the strings people copy and type.
func (v *validator) visible(c *Code, field, val string, multiline, exact bool) {
	for i, r := range []rune(val) {
		// Line breaks in one-line fields are ERR009's to report.
		if r == '\n' || r == '\r' || multiline && r == '\t' {
			continue
		}
		if name := InvisibleName(r); name != "" {
			v.add(c, "ERR016", field, "character %d is %s (U+%04X), which no reader can see; delete it, retyping the text around it if unsure", i+1, name, r)
			return
		}
	}
	if exact && val != strings.TrimSpace(val) {
		v.add(c, "ERR016", field, "%q starts or ends with white space; remove it, since people copy and type this text exactly", val)
	}
}

// InvisibleName names r when it is a control or formatting character, or
// a line or paragraph separator; otherwise "".
func InvisibleName(r rune) string {
	switch r {
	case '\u200b':
		return "a zero-width space"
	case '\u200c', '\u200d':
		return "a zero-width joiner"
	case '\u200e', '\u200f', '\u061c':
		return "a direction mark"
	case '\ufeff':
		return "a byte-order mark"
	case '\u00ad':
		return "a soft hyphen"
	case '\u2028', '\u2029', '\u0085':
		return "a line separator"
	}
	switch {
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return "a right-to-left or left-to-right override"
	case unicode.Is(unicode.Cc, r):
		return "a control character"
	case unicode.Is(unicode.Cf, r):
		return "an invisible formatting character"
	}
	return ""
}

const exampleDate = "2026-11-22"

func (v *validator) oneOf(c *Code, field, val string, allowed []string) {
	// An empty vocabulary is site.yaml's problem, reported there once,
	// not once for every code.
	if val == "" || len(allowed) == 0 || contains(allowed, val) {
		return
	}
	msg := fmt.Sprintf("%q is not one of %s", val, strings.Join(allowed, ", "))
	if s := Suggest(val, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	v.add(c, "ERR003", field, "%s", msg)
}

// oneLine reports text that spans lines or, when max > 0, is longer than
// max characters.
func (v *validator) oneLine(c *Code, field, val string, max int) {
	if strings.ContainsAny(strings.TrimRight(val, "\n"), "\n\r") {
		v.add(c, "ERR009", field, "the text spans several lines; write it on one line")
		return
	}
	if n := utf8.RuneCountInString(val); max > 0 && n > max {
		v.add(c, "ERR009", field, "the text is %d characters long; shorten it to at most %d", n, max)
	}
}

// mdParser finds raw HTML and unsafe links. It parses with the same
// extensions the renderer uses, so what it sees is what would be rendered.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// markdown checks a Markdown field: raw HTML is never rendered, so it is
// refused rather than silently dropped; script URLs are refused outright.
// Inline fields must also be a single paragraph.
func (v *validator) markdown(c *Code, field, src string, block bool) {
	if strings.TrimSpace(src) == "" {
		return
	}
	doc := mdParser.Parse(text.NewReader([]byte(src)))
	var problem string
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || problem != "" {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML, *ast.HTMLBlock:
			problem = "contains raw HTML, which is never rendered; use Markdown instead (`code` for tags you want to show)"
		case *ast.Link:
			problem = unsafeURL(string(n.Destination))
		case *ast.Image:
			problem = unsafeURL(string(n.Destination))
		case *ast.AutoLink:
			problem = unsafeURL(string(n.URL([]byte(src))))
		}
		return ast.WalkContinue, nil
	})
	if problem == "" {
		// Link text is not parsed as a link when the URL is unsafe in some
		// spellings; catch the literal too.
		if l := strings.ToLower(src); strings.Contains(l, "](javascript:") || strings.Contains(l, "](vbscript:") {
			problem = unsafeURL("javascript:")
		}
	}
	if problem == "" && !block {
		// Inline fields render inside a list item or a span: one
		// paragraph, no headings, lists, quotes, rules or code blocks.
		if n := doc.FirstChild(); n != nil && (n.Kind() != ast.KindParagraph || n.NextSibling() != nil) {
			if n.Kind() == ast.KindParagraph {
				n = n.NextSibling()
			}
			problem = fmt.Sprintf("is inline Markdown, but it makes a %s; write one line of text (`code`, **bold** and links are fine), and put longer explanations in the note", blockName(n))
		}
	}
	if problem != "" {
		v.add(c, "ERR010", field, "%s", problem)
	}
}

// blockName names a Markdown block for a contributor.
func blockName(n ast.Node) string {
	switch n.Kind() {
	case ast.KindHeading:
		return "heading (a line starting with #)"
	case ast.KindList:
		return "list (a line starting with -, * or a number and a dot)"
	case ast.KindBlockquote:
		return "quote (a line starting with >)"
	case ast.KindThematicBreak:
		return "horizontal rule (---)"
	case ast.KindCodeBlock, ast.KindFencedCodeBlock:
		return "code block (indented or fenced lines)"
	case ast.KindParagraph:
		return "second paragraph (a blank line)"
	}
	return "block of kind " + n.Kind().String()
}

// unsafeURL says what is wrong with a link target, or "" when it is fine.
// It classifies the target with rules.ClassifyLink, as the renderer does,
// so the two can never disagree about which links are refused.
func unsafeURL(u string) string {
	switch rules.ClassifyLink(u) {
	case rules.LinkRefused:
		scheme, _, _ := strings.Cut(rules.NormalizeLink(u), ":")
		return fmt.Sprintf("links to a %s: URL, which is never allowed; link to an https:// page instead", scheme)
	case rules.LinkLocal:
		if t := strings.TrimSpace(u); strings.HasPrefix(rules.NormalizeLink(u), "/") {
			return fmt.Sprintf("links to %s, a path from the site's root, which breaks when the site is served under a sub-path; to link to another code, write the code in backticks (`auth:1`), which becomes a link, or use a relative path such as ../auth-1/", t)
		}
	}
	return ""
}

// across checks what involves more than one code: codes and aliases that
// lead to one code each, slugs that name one page each, related codes that
// exist, and shared messages that notes explain.
func (v *validator) across() {
	names := v.namesOnce()
	v.slugsOnce()
	v.relatedExist(names)
	v.sameMessageExplained()
}

// owner is the code, field and spelling that first claimed a name.
type owner struct {
	c     *Code
	field string
	s     string // the string as written
}

// namesOnce: codes and aliases share one namespace, since a string people
// type must lead to one code. They are compared by code key, as search
// compares them (rules.CodeKeys): "auth-1" and "AUTH 1" are auth:1 to a
// reader and to search, and so is each member of a range code. It returns
// every key with its first owner.
func (v *validator) namesOnce() map[string]owner {
	names := map[string]owner{}
	claim := func(c *Code, field, s string) {
		for _, k := range rules.CodeKeys(s) {
			if k == "" {
				continue
			}
			o, dup := names[k]
			if !dup {
				names[k] = owner{c, field, s}
				continue
			}
			same := strings.EqualFold(strings.Join(strings.Fields(o.s), " "), strings.Join(strings.Fields(s), " "))
			switch {
			case o.c == c && !same:
				// Another spelling of the same code ("accounts 4",
				// "accounts:54" of accounts:53–55) leads to the same
				// page: harmless.
				continue
			case o.c == c:
				v.add(c, "ERR006", field, "%q is already given as %s of this code; remove the repeat", s, o.field)
			case same:
				v.add(c, "ERR006", field, "%q is already used as %s by %s; a code or alias must lead to one code", s, o.field, o.c.File)
			default:
				v.add(c, "ERR006", field, "%q and %q (%s of %s) are one code to search, which compares codes by their letters and digits alone (%s) and reads a range as each of its members; a code or alias must lead to one code: remove it, or merge the two files", s, o.s, o.field, o.c.File, k)
			}
			return
		}
	}
	for _, c := range v.in.Codes {
		claim(c, "code", c.Code)
	}
	for _, c := range v.in.Codes {
		for i, a := range c.Aliases {
			claim(c, fmt.Sprintf("aliases[%d]", i), a)
		}
	}
	return names
}

// slugsOnce: a slug, current or old, names one page, so a published link
// keeps leading to one code.
func (v *validator) slugsOnce() {
	slugs := map[string]owner{}
	for _, c := range v.in.Codes {
		if c.Slug == "" {
			continue
		}
		if o, dup := slugs[c.Slug]; dup && rules.CodeKey(o.c.Code) != rules.CodeKey(c.Code) {
			v.add(c, "ERR006", "code", "%q has the slug %s, already taken by %q in %s; codes must differ in their letters or digits", c.Code, c.Slug, o.c.Code, o.c.File)
		}
		slugs[c.Slug] = owner{c, "code", c.Code}
	}
	for _, c := range v.in.Codes {
		for i, s := range c.OldSlugs {
			f := fmt.Sprintf("old_slugs[%d]", i)
			if o, dup := slugs[s]; dup {
				if o.c == c && o.field == "code" {
					v.add(c, "ERR006", f, "%q is this code's current slug; old_slugs lists only slugs it no longer has", s)
				} else {
					v.add(c, "ERR006", f, "%q is already the slug of %s; a published link must keep leading to one page", s, o.c.File)
				}
				continue
			}
			slugs[s] = owner{c, f, s}
		}
	}
}

// relatedExist: a related code is another code of the site, named once,
// as its code: field writes it. names are the keys namesOnce claimed.
func (v *validator) relatedExist(names map[string]owner) {
	byCode := map[string]*Code{}
	var all []string
	for _, c := range v.in.Codes {
		byCode[c.Code] = c
		all = append(all, c.Code)
	}
	for _, c := range v.in.Codes {
		seen := map[string]bool{}
		for i, r := range c.Related {
			f := fmt.Sprintf("related[%d]", i)
			switch {
			case r == c.Code:
				v.add(c, "ERR007", f, "a code cannot be related to itself; remove %q", r)
			case byCode[r] == nil && v.in.Unreadable[rules.Slug(r)]:
				// Its file could not be read; that file's problems say why.
			case byCode[r] == nil:
				v.add(c, "ERR007", f, "%s", notACode(r, names, all))
			case seen[r]:
				v.add(c, "ERR006", f, "%q is listed twice; keep one", r)
			}
			seen[r] = true
		}
	}
}

// notACode says why r, a related entry, is no code, and what it may be:
// an alias, another spelling, a member of a range, a typo.
func notACode(r string, names map[string]owner, all []string) string {
	msg := fmt.Sprintf("%q is not a code in codes/", r)
	o, named := names[rules.CodeKey(r)]
	switch {
	case named && o.field != "code":
		return fmt.Sprintf("%q is an alias of %q; related names codes as their code: field writes them, so write %q", r, o.c.Code, o.c.Code)
	case named && strings.EqualFold(o.s, r):
		return msg + fmt.Sprintf("; write it exactly as %q (related is case-sensitive)", o.c.Code)
	case named && o.s == o.c.Code && rules.CodeKey(r) == rules.CodeKey(o.s):
		return msg + fmt.Sprintf("; did you mean %q? it differs only in punctuation, so copy it from that file's code: field", o.c.Code)
	case named:
		return msg + fmt.Sprintf("; it is a member of the range %q, so write %q", o.c.Code, o.c.Code)
	}
	if s := Suggest(r, all); s != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", s)
	}
	return msg + "; write the code exactly as in its file's code: field"
}

// sameMessageExplained advises a note wherever codes share a message, so
// a reader who pasted it can tell them apart (rules.SameMessage, the
// grouping the pages show).
func (v *validator) sameMessageExplained() {
	for i, same := range rules.SameMessage(messagesOf(v.in.Codes)) {
		c := v.in.Codes[i]
		var unexplained []string
		for _, o := range same {
			if oc := v.in.Codes[o]; !strings.Contains(c.Note, oc.Code) {
				unexplained = append(unexplained, fmt.Sprintf("%q", oc.Code))
			}
		}
		if len(unexplained) > 0 {
			v.add(c, "WARN001", "message", "the same message is shown for %s; say in note: how to tell them apart, naming each code", strings.Join(unexplained, ", "))
		}
	}
}
