package errref

import (
	"strings"

	"github.com/errref/errref/internal/rules"
)

// Code is one error code, as written in codes/<slug>.yaml. Its tags are
// the table of fields (fields.go): the YAML key of each field, which is
// also its name in the JSON API and the JSON Schema, and how each is
// checked and written. The order of the fields is the canonical order.
type Code struct {
	Code        string      `yaml:"code" field:"required,max=64,exact,code,quoted" doc:"the code exactly as the app shows it" missing:"add the exact code the app shows, e.g. code: \"auth:1\""`
	Title       string      `yaml:"title" field:"required,max=80" doc:"one line in your own words, at most 80 characters" missing:"add a one-line title in your own words"`
	Severity    string      `yaml:"severity" field:"required,vocab=severity" doc:"how bad it is"`
	Category    string      `yaml:"category" field:"required,vocab=category" doc:"a category id from site.yaml"`
	Subsystem   string      `yaml:"subsystem" field:"vocab=subsystem,skeleton=comment" doc:"only when the part before ':' is not a known subsystem"`
	Platforms   []string    `yaml:"platforms" field:"required,vocab=platform,unique,flow,item=platform" doc:"the platforms it appears on" missing:"list the platforms the code appears on, e.g. platforms: [windows]"`
	Handling    string      `yaml:"handling" field:"required,vocab=handling" doc:"what to try first"`
	Message     string      `yaml:"message" field:"max=400,exact,quoted" doc:"the displayed message, copied exactly; remove the line if unknown"`
	AltMessages []string    `yaml:"alt_messages" field:"max=400,exact,flow,quoted,item=message" doc:"other messages shown for the same code, copied exactly"`
	Aliases     []string    `yaml:"aliases" field:"max=64,exact,flow,quoted,item=alias" doc:"other strings people type for this code, e.g. \"error 17\""`
	Chain       []ChainStep `yaml:"chain" field:"required,short=step,item=step" doc:"the cause chain, root first, the failure last" missing:"describe the cause chain, root first, with at least one '- step: …'"`
	Causes      []string    `yaml:"causes" field:"required,max=600,markdown,item=cause" doc:"at least one; inline Markdown, backticks around paths and commands" missing:"give at least one cause, as a line starting with '- '"`
	Resolution  []string    `yaml:"resolution" field:"required,max=600,markdown,item=step" doc:"ordered steps, at least one; **bold** for buttons and menus" missing:"give at least one step, as a line starting with '- '"`
	Note        string      `yaml:"note" field:"block,markdown" doc:"optional Markdown block: how it works, how to tell it from similar codes"`
	Related     []string    `yaml:"related" field:"max=64,exact,flow,quoted,item=code" doc:"codes that share a cause or a fix, exactly as in their code: field"`
	Sources     []Source    `yaml:"sources" field:"required,item=source" doc:"at least one public page the facts come from: an issue thread, a support page" missing:"cite at least one public page the facts come from, as a line '- url: https://…' with 'title: …' below it"`
	OldSlugs    []string    `yaml:"old_slugs" field:"slug,flow,quoted,skeleton=omit,item=slug" doc:"slugs the code had before a rename, kept as redirect pages"`
	Added       string      `yaml:"added" field:"required,date" doc:"the day the code was added" missing:"add the date the code was added, e.g. added: 2026-11-22"`
	Reviewed    string      `yaml:"reviewed" field:"required,date" doc:"the day you last checked the code against its sources" missing:"add the day you last checked the code against its sources, e.g. reviewed: 2026-11-22"`

	// Slug is derived from Code by rules.Slug; it names the file and the page.
	Slug string `yaml:"-"`
	// File is the path the code was loaded from, relative to the site root.
	File string `yaml:"-"`
	// Pos records where each field's value starts in File, keyed by the
	// YAML path of the field ("severity", "chain[1].state", "causes[0]").
	Pos map[string]Pos `yaml:"-"`

	// reported holds fields the loader already reported (a wrong type, or
	// a misspelt key that suggests this field), so that validation does
	// not report the same mistake again as a missing field.
	reported map[string]bool
	// version is a digest of the file the code was decoded from (its name
	// and bytes), 0 for a code made otherwise: the keys of the outputs
	// (keys.go) are made of it.
	version uint64
}

// ChainStep is one link of a cause chain, root first.
type ChainStep struct {
	Step   string `yaml:"step" field:"required,max=80" doc:"short name of the link" missing:"name the link in a few words, e.g. step: netprofm"`
	Detail string `yaml:"detail" field:"max=600,markdown" doc:"optional: what it is"`
	State  string `yaml:"state" field:"vocab=state,example=critical" doc:"mark the link that breaks as critical"`
}

// Source is one public page that backs facts of a code: an issue thread,
// a support page, a reference. Supports optionally says which facts.
type Source struct {
	URL      string `yaml:"url" field:"required,exact,url" doc:"the page's https:// address, without tracking parameters (utm_…, si=…)" missing:"give the https:// address of the page"`
	Title    string `yaml:"title" field:"required,max=160" doc:"the page's name, as a reader would recognise it" missing:"give the page's name as a reader would recognise it"`
	Supports string `yaml:"supports" field:"max=200" doc:"optional: which facts it backs, e.g. message, causes"`
}

// Pos is a 1-based line and column in a file.
type Pos struct {
	Line int
	Col  int
}

// posOf is where a problem with field is (posIn).
func (c *Code) posOf(field string) Pos { return posIn(c.Pos, field) }

// posIn is where a problem with field is, given the positions of a file:
// where its value is written or, when it is not written, the nearest
// record or list that holds it (a source without a title: that source's
// entry); line 1 when none is.
func posIn(pos map[string]Pos, field string) Pos {
	for {
		if p, ok := pos[field]; ok {
			return p
		}
		i := strings.LastIndexAny(field, ".[")
		if i <= 0 {
			return Pos{Line: 1}
		}
		field = field[:i]
	}
}

// The vocabularies errref fixes itself (rules.Severities, rules.Handlings,
// rules.ChainStates), under the names the table of fields checks them by.
var (
	Severities  = rules.Severities
	Handlings   = rules.Handlings
	ChainStates = rules.ChainStates
)

// SubsystemOr returns the code's subsystem: the explicit field, or else the
// part of the code before ':' when it names a known subsystem.
func (c *Code) SubsystemOr(known func(string) bool) string {
	if c.Subsystem != "" {
		return c.Subsystem
	}
	if i := strings.IndexByte(c.Code, ':'); i > 0 && known(c.Code[:i]) {
		return c.Code[:i]
	}
	return ""
}

// Messages returns the code's displayed messages: Message first, then
// AltMessages.
func (c *Code) Messages() []string {
	var ms []string
	if c.Message != "" {
		ms = append(ms, c.Message)
	}
	return append(ms, c.AltMessages...)
}

// messagesOf returns the displayed messages of each code.
func messagesOf(codes []*Code) [][]string {
	ms := make([][]string, len(codes))
	for i, c := range codes {
		ms[i] = c.Messages()
	}
	return ms
}
