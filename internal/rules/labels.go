package rules

// The vocabularies errref fixes itself, and what people read for each
// value. (Categories, subsystems and platforms are site.yaml's, with their
// labels there.) The page's scripts get these labels from the page, as
// data, never from a copy of their own.

// Severities, in decreasing order of gravity.
var Severities = []string{"fatal", "error", "warn", "info"}

// Handlings are the kinds of failure, each with what to try first, in
// the order listings show them.
var Handlings = []string{"retry", "reauthenticate", "slow-down", "fix-data", "fix-setup", "update", "account"}

// ChainStates are the states a chain step can be in; "" means neutral.
var ChainStates = []string{"neutral", "fragile", "critical", "good"}

// Kinds are the kinds of listing, in the order the browse page shows
// them; each is also a filter of search.
var Kinds = []string{"category", "handling", "severity", "platform", "subsystem"}

var labels = map[string]map[string]string{
	"severity": {"fatal": "Fatal", "error": "Error", "warn": "Warning", "info": "Info"},
	"handling": {
		"retry": "Retry", "reauthenticate": "Sign in again", "slow-down": "Slow down", "fix-data": "Clear data",
		"fix-setup": "Fix setup", "update": "Update", "account": "Check your account",
	},
	"state": {"neutral": "Step", "fragile": "Fragile", "critical": "Fails here", "good": "Works"},
	// The name of each kind of listing and filter.
	"kind": {
		"category": "Category", "subsystem": "Subsystem", "platform": "Platform",
		"severity": "Severity", "handling": "What to try first",
	},
	// The same, in the plural, inside a sentence.
	"kinds": {
		"category": "categories", "subsystem": "subsystems", "platform": "platforms",
		"severity": "severities", "handling": "kinds of failure",
	},
}

var advice = map[string]map[string]string{
	"severity": {
		"fatal": "The app cannot be used until this is fixed.",
		"error": "Sign-in, playback or installation fails until this is fixed.",
		"warn":  "Something is limited or degraded; the app still works.",
		"info":  "Expected behaviour with a simple way out.",
	},
	"handling": {
		"retry":          "Temporary: wait a moment and try again.",
		"reauthenticate": "Sign out and sign in again to refresh your login.",
		"slow-down":      "Rate limited: back off and retry after the time the server gives.",
		"fix-data":       "Corrupt or stale local data: clear it and let Spotify fetch it again.",
		"fix-setup":      "Something on this computer or network is in the way: check firewall, proxy, VPN and system settings.",
		"update":         "The app or the system is too old: update it.",
		"account":        "Your account or subscription is the cause: fix it on spotify.com or with support.",
	},
}

// Each chain state has its own shape, so the diagram does not rely on
// colour.
var stateIcons = map[string]string{"neutral": "○", "fragile": "!", "critical": "✕", "good": "✓"}

// Label names id of a vocabulary ("severity", "handling", "state") or a
// kind of listing ("kind", "kinds" for the plural) for people; an id
// without a label is its own label.
func Label(vocab, id string) string {
	if l, ok := labels[vocab][id]; ok {
		return l
	}
	return id
}

// Advice says what a severity means for the reader, or what to try
// first for a handling; "" for anything else.
func Advice(vocab, id string) string { return advice[vocab][id] }

// StateIcon is the shape that marks a chain step's state.
func StateIcon(state string) string { return stateIcons[state] }
