package search

import (
	"sort"
	"strings"

	"github.com/errref/errref/internal/rules"
)

// synonymGroups are words that people and the reference use for the same
// thing: a reader types "log in", "sound" or "song" where the pages say
// "sign in", "audio" or "track". The export keeps, for every word of a
// group and for its English term, the words of the group that the index
// holds (Syn); a query word matches each of them as if it had been typed,
// at a lower factor (see the ranking model in the package documentation).
//
// Groups are kept narrow on purpose: each pair must be interchangeable in
// a reader's sentence about a Spotify error, or the expansion only adds
// noise. Stop words and words that analyze to several terms are skipped.
var synonymGroups = [][]string{
	{"login", "logon", "log", "logged", "logging", "signin", "sign", "signed", "signing"},
	{"password", "passwd", "credentials"},
	{"audio", "sound", "sounds"},
	{"track", "tracks", "song", "songs", "music"},
	{"play", "plays", "playing", "playback"},
	{"internet", "wifi", "online", "connection"},
	{"install", "installer", "installation", "installing", "reinstall", "setup"},
	{"update", "updates", "updating", "upgrade", "updater"},
	{"computer", "pc", "laptop"},
	{"country", "region", "abroad", "travel", "travelling", "traveling"},
	{"subscription", "premium", "paid", "pay", "paying"},
	{"administrator", "admin"},
	{"device", "devices", "speaker", "speakers", "tv", "chromecast", "cast"},
	{"mac", "macos", "macbook", "osx"},
	{"email", "mail"},
	{"disk", "drive", "storage"},
	{"restart", "reboot", "relaunch"},
	{"browser", "chrome", "firefox", "safari", "edge"},
}

// synonymTable builds the Syn map of the export: every word of a group,
// and its English term, to the words of the group that the index holds,
// sorted and space separated. analyze gives a word's English terms;
// present reports whether a word occurs in the index (its term in a prose
// field, or the word itself in a code field).
func synonymTable(analyze func(string) []string, present func(string) bool) map[string]string {
	sets := map[string]map[string]bool{}
	for _, g := range synonymGroups {
		keys := map[string]bool{}
		words := map[string]bool{}
		for _, w := range g {
			w = rules.LowerString(w)
			ts := analyze(w)
			if len(ts) != 1 {
				continue // a stop word, or several words
			}
			keys[w] = true
			keys[ts[0]] = true
			if present(w) {
				words[w] = true
			}
		}
		if len(words) == 0 {
			continue
		}
		for k := range keys {
			if sets[k] == nil {
				sets[k] = map[string]bool{}
			}
			for w := range words {
				sets[k][w] = true
			}
		}
	}
	out := map[string]string{}
	for k, set := range sets {
		var ws []string
		for w := range set {
			ws = append(ws, w)
		}
		sort.Strings(ws)
		out[k] = strings.Join(ws, " ")
	}
	return out
}
