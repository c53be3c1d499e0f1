package errref

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/errref/errref/internal/rules"
)

// date checks one date field: a real day, written YYYY-MM-DD, not ahead
// of today. what says what the day is ("the day the code was added").
func (v *validator) date(c *Code, field, val, what string) {
	d, err := time.Parse(time.DateOnly, val)
	switch {
	case !dateRE.MatchString(val) || err != nil:
		v.add(c, "ERR008", field, "%q is not a date; write %s as YYYY-MM-DD, e.g. %s", val, what, exampleDate)
	case d.After(time.Now().AddDate(0, 0, 1)):
		// A date ahead would pin the code to the top of the feed.
		v.add(c, "ERR008", field, "%s is in the future; write %s", val, what)
	}
}

// reviewAfterAdded: a code is reviewed on or after the day it was added.
// Dates that are no dates, or lie ahead, are reported on their own.
func (v *validator) reviewAfterAdded(c *Code) {
	soon := time.Now().AddDate(0, 0, 1)
	added, aerr := time.Parse(time.DateOnly, c.Added)
	reviewed, rerr := time.Parse(time.DateOnly, c.Reviewed)
	if aerr != nil || rerr != nil || !dateRE.MatchString(c.Added) || !dateRE.MatchString(c.Reviewed) || added.After(soon) || reviewed.After(soon) {
		return
	}
	if reviewed.Before(added) {
		v.add(c, "ERR008", "reviewed", "%s is before the code was added (%s); a review comes on or after that day, so correct one of the two dates", c.Reviewed, c.Added)
	}
}

// sourceURL checks the address of one source: an https page a reader can
// open as it is, without tracking parameters, not behind a shortener,
// and on GitHub not following a branch.
func (v *validator) sourceURL(c *Code, field, raw string) {
	// White space around the address is ERR016's to report (an exact
	// field); the address itself is checked without it.
	u, problem := sourceURL(strings.TrimSpace(raw))
	if problem != "" {
		v.add(c, "ERR017", field, "%s", problem)
		return
	}
	if params, clean := trackingParams(u); len(params) > 0 {
		what := "parameter %s, which records"
		if len(params) > 1 {
			what = "parameters %s, which record"
		}
		v.add(c, "ERR018", field, "the address carries the tracking "+what+" how the link was shared, not which page it is; cite %s",
			strings.Join(params, ", "), clean)
	}
	if shortenerHosts[strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")] {
		v.add(c, "WARN004", field, "%s is a link shortener, which hides where the link goes and can be pointed elsewhere later; open it and cite the page it leads to", u.Hostname())
	}
	if ref, ok := movingGitHubRef(u); ok {
		v.add(c, "WARN005", field, "the link follows the branch %q, so the text it cites can change or vanish; link to a commit instead (on GitHub, press y on the file's page for its permanent link)", ref)
	}
}

// sourcesOnce: a code cites each page once. Two addresses of one page
// (host case, a trailing slash, tracking parameters) are one page;
// another #fragment is another place in it.
func (v *validator) sourcesOnce(c *Code) {
	seen := map[string]int{}
	for i, s := range c.Sources {
		u, problem := sourceURL(strings.TrimSpace(s.URL))
		if problem != "" || strings.TrimSpace(s.URL) == "" {
			continue
		}
		_, clean := trackingParams(u)
		u, _ = url.Parse(clean)
		key := sourceKey(u)
		if j, dup := seen[key]; dup {
			v.add(c, "ERR019", fmt.Sprintf("sources[%d].url", i), "the same page is already cited as sources[%d]; remove this entry, or merge its supports: into that one", j)
			continue
		}
		seen[key] = i
	}
}

// sourceURL parses a source address, or says what is wrong with it.
func sourceURL(raw string) (*url.URL, string) {
	if strings.ContainsAny(raw, " \t\n") {
		return nil, fmt.Sprintf("%q contains white space, so it is not one address; write the address alone, with %%20 for a space inside it", raw)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme == "" || u.Opaque != "":
		return nil, fmt.Sprintf("%q is not an absolute address; write the page's full address starting with https://", raw)
	case strings.ToLower(u.Scheme) == "http":
		return nil, fmt.Sprintf("%q is an http:// address; cite the https:// address of the page, which readers can open safely", raw)
	case strings.ToLower(u.Scheme) != "https":
		return nil, fmt.Sprintf("%q uses the %s: scheme; sources are public web pages with https:// addresses", raw, u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Sprintf("%q names no host; write the page's full address, e.g. https://github.com/owner/repo/issues/1", raw)
	case u.User != nil:
		return nil, fmt.Sprintf("%q holds a user name or password; cite the public address without them", raw)
	}
	return u, ""
}

// trackingNames are query parameters that record who shared a link or
// which campaign sent the reader, never which page it is.
var trackingNames = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "igshid": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "mkt_tok": true,
	"_hsenc": true, "_hsmi": true, "ref_src": true, "ref_url": true,
}

// shareHosts are sites whose si= parameter identifies the person who
// shared a link (Spotify and YouTube share links).
var shareHosts = []string{"spotify.com", "spotify.link", "youtube.com", "youtu.be"}

func isTracking(host, name string) bool {
	name = strings.ToLower(name)
	if strings.HasPrefix(name, "utm_") || trackingNames[name] {
		return true
	}
	if name == "si" {
		for _, h := range shareHosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return true
			}
		}
	}
	return false
}

// trackingParams returns the tracking parameters of u, in order, and u's
// address without them (other parameters kept as written).
func trackingParams(u *url.URL) (names []string, clean string) {
	if u.RawQuery == "" {
		return nil, u.String()
	}
	host := strings.ToLower(u.Hostname())
	var keep []string
	for _, p := range strings.Split(u.RawQuery, "&") {
		name, _, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTracking(host, name) {
			names = append(names, name)
		} else if p != "" {
			keep = append(keep, p)
		}
	}
	cu := *u
	cu.RawQuery = strings.Join(keep, "&")
	cu.ForceQuery = false
	return names, cu.String()
}

// sourceKey is the form in which two addresses of one page compare equal:
// scheme and host in lower case, no trailing slash on the path.
func sourceKey(u *url.URL) string {
	k := *u
	k.Scheme = strings.ToLower(k.Scheme)
	k.Host = strings.ToLower(k.Host)
	k.Path = strings.TrimSuffix(k.Path, "/")
	k.RawPath = ""
	return k.String()
}

// shortenerHosts are link shorteners: their addresses say nothing about
// the page and can be repointed.
var shortenerHosts = map[string]bool{
	"bit.ly": true, "t.co": true, "goo.gl": true, "tinyurl.com": true, "ow.ly": true,
	"buff.ly": true, "is.gd": true, "lnkd.in": true, "rebrand.ly": true, "t.ly": true,
	"cutt.ly": true, "shorturl.at": true, "tiny.cc": true, "rb.gy": true, "spoti.fi": true,
}

// branchRE finds the ref of a GitHub file or folder link,
// /owner/repo/blob/<ref>/…, /tree/<ref> or /raw/<ref>/…, and rawBranchRE
// that of a raw file, raw.githubusercontent.com/owner/repo/<ref>/…; a
// ref may be spelt refs/heads/<branch>.
var (
	branchRE    = regexp.MustCompile(`^/[^/]+/[^/]+/(?:blob|tree|raw)/(?:refs/heads/)?([^/]+)(?:/|$)`)
	rawBranchRE = regexp.MustCompile(`^/[^/]+/[^/]+/(?:refs/heads/)?([^/]+)/`)
)

// movingBranches are branch names that move with every commit.
var movingBranches = map[string]bool{"main": true, "master": true, "dev": true, "develop": true, "trunk": true, "head": true}

// movingGitHubRef reports a GitHub link that follows a branch rather than
// a commit or a tag.
func movingGitHubRef(u *url.URL) (string, bool) {
	var m []string
	switch strings.ToLower(u.Hostname()) {
	case "github.com", "www.github.com":
		m = branchRE.FindStringSubmatch(u.Path)
	case "raw.githubusercontent.com":
		m = rawBranchRE.FindStringSubmatch(u.Path)
	}
	if m == nil || !movingBranches[strings.ToLower(m[1])] {
		return "", false
	}
	return m[1], true
}

// sourceLink is a source's address when it is safe to link to (https
// with a host), else "": validation refuses the rest, and the renderer
// does not rely on that.
func sourceLink(raw string) string {
	if _, problem := sourceURL(raw); problem == "" && rules.ClassifyLink(raw) == rules.LinkExternal {
		return raw
	}
	return ""
}

// sourceDomain is the host a reader will land on, without "www.", so a
// source's origin shows beside its title.
func sourceDomain(raw string) string {
	if sourceLink(raw) == "" {
		return ""
	}
	u, _ := url.Parse(raw)
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
