package errref

import (
	"fmt"
	"strconv"
	"strings"
)

// Skeleton returns the text of a new code file for code, added on today
// (YYYY-MM-DD): every field
// present, empty where the contributor must write something, each with a
// comment saying what belongs there. errref check reports what is still
// missing.
func Skeleton(code, today string) []byte {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# %s — fill in every field, then run `errref check`. The schema is in CONTRIBUTING.md.\n\n", strings.ReplaceAll(code, "\n", " "))
	w("code: %s # exactly as the app shows it\n", strconv.Quote(code))
	w("title: \"\" # one line in your own words, at most %d characters\n", MaxTitleLen)
	w("severity: \"\" # %s\n", strings.Join(Severities, " | "))
	w("category: \"\" # a category id from site.yaml\n")
	w("# subsystem: \"\" # only when the part before ':' is not a known subsystem\n")
	w("platforms: [] # windows, macos\n")
	w("handling: \"\" # what to try first: %s\n", strings.Join(Handlings, " | "))
	w("message: \"\" # the displayed message, copied exactly; remove the line if unknown\n")
	w("alt_messages: [] # other messages shown for the same code, copied exactly\n")
	w("aliases: [] # other strings people type for this code, e.g. \"error 17\"\n")
	w("chain: # the cause chain, root first, the failure last\n")
	w("  - step: \"\" # short name of the link\n")
	w("    detail: \"\" # optional: what it is\n")
	w("    state: critical # %s; mark the link that breaks as critical\n", strings.Join(ChainStates, " | "))
	w("causes: # at least one; inline Markdown, `code` for paths and commands\n")
	w("  - \"\"\n")
	w("resolution: # ordered steps, at least one; **bold** for buttons and menus\n")
	w("  - \"\"\n")
	w("note: \"\" # optional Markdown block: how it works, how to tell it from similar codes\n")
	w("related: [] # codes that share a cause or a fix, exactly as in their code: field\n")
	w("sources: # at least one public page the facts come from: an issue thread, a support page\n")
	w("  - url: \"\" # the page's https:// address, without tracking parameters (utm_…, si=…)\n")
	w("    title: \"\" # the page's name, as a reader would recognise it\n")
	w("    supports: \"\" # optional: which facts it backs, e.g. message, causes\n")
	w("added: %s # the day the code was added, YYYY-MM-DD\n", today)
	w("reviewed: %s # the day you last checked the code against its sources, YYYY-MM-DD\n", today)
	return []byte(b.String())
}
