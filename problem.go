package errref

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with the input, at a place in a file. Rule is
// a stable identifier: ERRnnn blocks a build, WARNnnn is advice. The rules
// are listed in CONTRIBUTING.md and in Rules.
type Problem struct {
	File  string // slash path relative to the site root, e.g. "codes/auth-1.yaml"
	Line  int    // 1-based; 0 when the problem concerns the whole file
	Col   int    // 1-based; 0 when unknown
	Rule  string // "ERR003"
	Field string // YAML path of the field, e.g. "severity", "chain[2].state"; "" for the file
	Msg   string // what is wrong and what to do
}

// IsError reports whether the problem blocks a build.
func (p Problem) IsError() bool { return strings.HasPrefix(p.Rule, "ERR") }

// Location is "file:line:col", leaving out what is unknown.
func (p Problem) Location() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// String formats the problem as one line:
//
//	codes/auth-1.yaml:4:11: ERR003 severity: "fatl" is not one of fatal, error, warn, info (did you mean "fatal"?)
func (p Problem) String() string {
	if p.Field != "" {
		return fmt.Sprintf("%s: %s %s: %s", p.Location(), p.Rule, p.Field, p.Msg)
	}
	return fmt.Sprintf("%s: %s %s", p.Location(), p.Rule, p.Msg)
}

// Problems is a list of problems; as an error it reads as their lines.
type Problems []Problem

// HasErrors reports whether any problem blocks a build.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.IsError() {
			return true
		}
	}
	return false
}

// Count returns the number of errors and of warnings.
func (ps Problems) Count() (errors, warnings int) {
	for _, p := range ps {
		if p.IsError() {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// Sort orders problems by file, line, column, rule and message, so that
// output does not depend on the order in which checks ran. site.yaml
// comes first: its problems explain others, and GitHub shows only the
// first ten annotations.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.File == ConfigFile) != (b.File == ConfigFile) {
			return a.File == ConfigFile
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Msg < b.Msg
	})
}

// Error makes Problems usable as an error: one problem per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Rule describes one validation rule.
type Rule struct {
	ID      string
	Summary string
}

// Rules lists every rule the loader and validator report, in ID order.
var Rules = []Rule{
	{"ERR001", "A required field is missing or empty, or a list holds an empty entry."},
	{"ERR002", "A field name is not part of the schema (misspelt or unsupported)."},
	{"ERR003", "A value is not one of the allowed values (severity, handling, category, subsystem, platform, chain state)."},
	{"ERR004", "A value has the wrong type: a list where text is expected, or the reverse."},
	{"ERR005", "The file name does not match the slug of the code, or does not end in .yaml (lower case)."},
	{"ERR006", "A code, slug, alias or old slug is used by more than one file, or twice in one. Codes and aliases are compared as search reads them: by their letters and digits alone (auth-1 is auth:1), and a range such as accounts:53–55 by each member."},
	{"ERR007", "A related code does not exist, or a code lists itself."},
	{"ERR008", "A date is not a real calendar date written YYYY-MM-DD, lies in the future, or reviewed comes before added."},
	{"ERR009", "Text is too long or spans several lines where one line is expected."},
	{"ERR010", "Markdown contains raw HTML, a link with a scheme other than https:, http: or mailto: (such as javascript:, data: or file:), a link to a path from the site's root (/codes/…), which breaks under a sub-path, or, in a one-line field, a heading, list, quote, rule or code block."},
	{"ERR011", "A list that needs at least one entry is empty (causes, resolution, chain, platforms, sources)."},
	{"ERR012", "The file is not valid YAML (syntax, tab indentation, duplicate key, anchors)."},
	{"ERR013", "The file is not UTF-8 text, or starts with a byte-order mark."},
	{"ERR014", "The file's shape is wrong: empty, several documents, too large, or not a mapping."},
	{"ERR015", "site.yaml is missing or wrong (required settings, vocabularies)."},
	{"ERR016", "Text contains an invisible or control character, or a code, alias or message starts or ends with white space."},
	{"ERR017", "A source url is not an absolute https:// address of a public page."},
	{"ERR018", "A source url carries tracking parameters (utm_…, fbclid, gclid, si on Spotify and YouTube links, …)."},
	{"ERR019", "A code cites the same page twice in sources."},
	{"ERR020", "A code is not shaped like one: it holds characters other than ASCII letters, digits and : _ . -, space or the dash of a range (–), starts with a separator, or contains / \\ or .. (a path)."},
	{"WARN001", "Another code shows the same message and this code's note does not say how to tell them apart."},
	{"WARN002", "The cause chain has no critical step, so the page cannot show where it breaks."},
	{"WARN003", "The file uses CRLF or CR line endings; errref fmt rewrites it with LF."},
	{"WARN004", "A source url goes through a link shortener (bit.ly, t.co, spoti.fi, …)."},
	{"WARN005", "A source url on GitHub follows a branch (main, master, …) rather than a commit, so the cited text can change."},
	{"WARN006", "Searching for the code, one of its aliases or its message, as a reader types it, puts another code first (for a message, one that does not show the same message)."},
}
