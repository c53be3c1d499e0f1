package errref

import (
	"strings"
)

// Code is one error code, as written in codes/<slug>.yaml. The YAML names
// are also the names used by the JSON API.
type Code struct {
	Code      string   `yaml:"code" json:"code"`
	Title     string   `yaml:"title" json:"title"`
	Severity  string   `yaml:"severity" json:"severity"`
	Category  string   `yaml:"category" json:"category"`
	Subsystem string   `yaml:"subsystem,omitempty" json:"subsystem,omitempty"`
	Platforms []string `yaml:"platforms" json:"platforms"`
	Handling  string   `yaml:"handling" json:"handling"`
	Message   string   `yaml:"message,omitempty" json:"message"`
	// AltMessages are other messages the client shows for the same code
	// (a login and a signup variant, say), verbatim like Message.
	AltMessages []string    `yaml:"alt_messages,omitempty" json:"alt_messages"`
	Aliases     []string    `yaml:"aliases,omitempty" json:"aliases"`
	Chain       []ChainStep `yaml:"chain" json:"chain"`
	Causes      []string    `yaml:"causes" json:"causes"`
	Resolution  []string    `yaml:"resolution" json:"resolution"`
	Note        string      `yaml:"note,omitempty" json:"note"`
	Related     []string    `yaml:"related,omitempty" json:"related"`
	// Sources are the public pages the facts of the code come from.
	Sources  []Source `yaml:"sources" json:"sources"`
	OldSlugs []string `yaml:"old_slugs,omitempty" json:"old_slugs"`
	Added    string   `yaml:"added" json:"added"`
	// Reviewed is the day the code was last checked against its sources.
	Reviewed string `yaml:"reviewed" json:"reviewed"`

	// Slug is derived from Code by Slug; it names the file and the page.
	Slug string `yaml:"-" json:"-"`
	// File is the path the code was loaded from, relative to the site root.
	File string `yaml:"-" json:"-"`
	// Pos records where each field's value starts in File, keyed by the
	// YAML path of the field ("severity", "chain[1].state", "causes[0]").
	Pos map[string]Pos `yaml:"-" json:"-"`

	// reported holds fields the loader already reported (a wrong type, or
	// a misspelt key that suggests this field), so that validation does
	// not report the same mistake again as a missing field.
	reported map[string]bool
}

// ChainStep is one link of a cause chain, root first.
type ChainStep struct {
	Step   string `yaml:"step" json:"step"`
	Detail string `yaml:"detail,omitempty" json:"detail,omitempty"`
	State  string `yaml:"state,omitempty" json:"state,omitempty"`
}

// Source is one public page that backs facts of a code: an issue thread,
// a support page, a reference. Supports optionally says which facts.
type Source struct {
	URL      string `yaml:"url" json:"url"`
	Title    string `yaml:"title" json:"title"`
	Supports string `yaml:"supports,omitempty" json:"supports"`
}

// Pos is a 1-based line and column in a file.
type Pos struct {
	Line int
	Col  int
}

// Fields lists the keys of a code file in their canonical order.
var Fields = []string{
	"code", "title", "severity", "category", "subsystem", "platforms",
	"handling", "message", "alt_messages", "aliases", "chain", "causes", "resolution",
	"note", "related", "sources", "old_slugs", "added", "reviewed",
}

// ChainFields lists the keys of one chain step in their canonical order.
var ChainFields = []string{"step", "detail", "state"}

// SourceFields lists the keys of one source in their canonical order.
var SourceFields = []string{"url", "title", "supports"}

// Severities, in decreasing order of gravity.
var Severities = []string{"fatal", "error", "warn", "info"}

// Handlings are the kinds of failure, each with what to try first. The
// order is the order in which listings show them.
var Handlings = []string{"retry", "reauthenticate", "slow-down", "fix-data", "fix-setup", "update", "account"}

// HandlingAdvice says in plain words what to try first for each handling.
var HandlingAdvice = map[string]string{
	"retry":          "Temporary: wait a moment and try again.",
	"reauthenticate": "Sign out and sign in again to refresh your login.",
	"slow-down":      "Rate limited: back off and retry after the time the server gives.",
	"fix-data":       "Corrupt or stale local data: clear it and let Spotify fetch it again.",
	"fix-setup":      "Something on this computer or network is in the way: check firewall, proxy, VPN and system settings.",
	"update":         "The app or the system is too old: update it.",
	"account":        "Your account or subscription is the cause: fix it on spotify.com or with support.",
}

// HandlingLabels are short names for the handling badge.
var HandlingLabels = map[string]string{
	"retry":          "Retry",
	"reauthenticate": "Sign in again",
	"slow-down":      "Slow down",
	"fix-data":       "Clear data",
	"fix-setup":      "Fix setup",
	"update":         "Update",
	"account":        "Check your account",
}

// ChainStates are the states a chain step can be in; "" means neutral.
var ChainStates = []string{"neutral", "fragile", "critical", "good"}

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
