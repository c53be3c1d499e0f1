package errref

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/errref/errref/internal/rules"
)

// loadRealSite loads the repository's own codes/ and site.yaml, which
// must be valid.
func loadRealSite(t testing.TB) *Site {
	t.Helper()
	site, probs, err := LoadSite(os.DirFS("."))
	if err != nil {
		t.Fatalf("the real corpus has problems:\n%v", probs)
	}
	return site
}

// renderReal renders the real corpus with its real search index and the
// embedded templates and static files, as errref build does.
func renderReal(t testing.TB, site *Site, base string) map[string][]byte {
	t.Helper()
	index, err := SearchIndex(site)
	if err != nil {
		t.Fatal(err)
	}
	return mustRender(t, site, RenderOptions{BaseURL: base, SearchIndex: index})
}

// TestWholeSite renders the real corpus at a sub-path and at a domain root
// and checks the site as a reader, a crawler and an API client see it.
func TestWholeSite(t *testing.T) {
	site := loadRealSite(t)
	for _, base := range []string{"https://example.org/repo/", "http://localhost/"} {
		t.Run(base, func(t *testing.T) {
			files := renderReal(t, site, base)
			checkSite(t, site, base, files)
		})
	}
}

// siteCheck is one rendered site under test, its pages parsed once.
type siteCheck struct {
	t         *testing.T
	site      *Site
	base      string // absolute, ends in "/"
	basePath  string // its path
	files     map[string][]byte
	pages     map[string][]element       // every .html file, parsed
	ids       map[string]map[string]bool // every page's ids, for fragments
	redirects map[string]bool            // pages that are redirects
}

func checkSite(t *testing.T, site *Site, base string, files map[string][]byte) {
	u, _ := url.Parse(base)
	sc := &siteCheck{t: t, site: site, base: base, basePath: u.Path, files: files}
	sc.codePages()
	sc.outputsPresent()
	sc.noDoubleEscaping()
	sc.parsePages()
	sc.unfurls()
	for _, name := range sortedKeys(sc.pages) {
		sc.page(name)
	}
	sc.sitemap()
	checkAPI(t, site, base, files)
	checkFeed(t, site, base, files)
}

// codePages: every code has its page, and a code shows there once, under
// the same message or else as related.
func (sc *siteCheck) codePages() {
	t := sc.t
	rowSlugs := func(page, heading string) map[string]bool {
		out := map[string]bool{}
		i := strings.Index(page, `id="`+heading+`"`)
		if i < 0 {
			return out
		}
		sec := page[i:]
		sec = sec[:strings.Index(sec, "</section>")]
		for _, m := range regexp.MustCompile(`data-slug="([^"]+)"`).FindAllStringSubmatch(sec, -1) {
			out[m[1]] = true
		}
		return out
	}
	for _, c := range sc.site.Codes {
		page, ok := sc.files["codes/"+c.Slug+"/index.html"]
		if !ok {
			t.Errorf("%s has no page at codes/%s/", c.Code, c.Slug)
			continue
		}
		same := rowSlugs(string(page), "h-same")
		if len(same) != len(sc.site.SameMessage[c.Slug]) {
			t.Errorf("%s: %d codes under the same message, want %d", c.Code, len(same), len(sc.site.SameMessage[c.Slug]))
		}
		for s := range rowSlugs(string(page), "h-related") {
			if same[s] {
				t.Errorf("%s: %s is listed both as related and under the same message", c.Code, s)
			}
		}
	}
}

// outputsPresent: the files every site has.
func (sc *siteCheck) outputsPresent() {
	for _, name := range []string{"index.html", "404.html", "browse/index.html", "sitemap.xml", "robots.txt",
		"llms.txt", "llms-full.txt", "feed.xml", "api/v1/codes.json", "search-index.json",
		"search.js", "app.js", "style.css", "theme.js", "favicon.svg"} {
		if _, ok := sc.files[name]; !ok {
			sc.t.Errorf("%s was not rendered", name)
		}
	}
}

// noDoubleEscaping: nothing is escaped twice, in any file.
func (sc *siteCheck) noDoubleEscaping() {
	for _, name := range sortedKeys(sc.files) {
		for _, bad := range []string{"&amp;lt;", "&amp;gt;", "&amp;amp;", "&amp;quot;", "&amp;#"} {
			if i := strings.Index(string(sc.files[name]), bad); i >= 0 {
				sc.t.Errorf("%s: double escaping %q near %q", name, bad, excerpt(sc.files[name], i))
			}
		}
	}
}

// parsePages parses every page once and collects its ids, which must be
// unique, and whether it is a redirect.
func (sc *siteCheck) parsePages() {
	sc.pages, sc.ids, sc.redirects = map[string][]element{}, map[string]map[string]bool{}, map[string]bool{}
	for _, name := range sortedKeys(sc.files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		els := parseHTML(sc.t, name, sc.files[name])
		sc.pages[name] = els
		sc.ids[name] = map[string]bool{}
		for _, e := range els {
			if id, ok := e.attrs["id"]; ok {
				if sc.ids[name][id] {
					sc.t.Errorf("%s: id %q is used twice", name, id)
				}
				sc.ids[name][id] = true
			}
			if e.tag == "meta" && e.attrs["http-equiv"] == "refresh" {
				sc.redirects[name] = true
			}
		}
	}
}

// unfurls: a forum link unfurls with the code and title, then the message
// as shown and what to try first.
func (sc *siteCheck) unfurls() {
	t := sc.t
	for _, c := range sc.site.Codes {
		meta := map[string]string{}
		for _, e := range sc.pages["codes/"+c.Slug+"/index.html"] {
			if e.tag == "meta" {
				meta[e.attrs["name"]+e.attrs["property"]] = e.attrs["content"]
			}
		}
		desc := meta["description"]
		if c.Message != "" && !strings.HasPrefix(desc, "“"+oneLine(c.Message)) {
			t.Errorf("%s: description %q does not start with the message", c.Code, desc)
		}
		if !strings.Contains(desc, rules.Advice("handling", c.Handling)) && !strings.HasSuffix(desc, "…") {
			t.Errorf("%s: description %q does not say what to try first", c.Code, desc)
		}
		if meta["og:description"] != desc || meta["twitter:description"] != desc {
			t.Errorf("%s: og/twitter descriptions %q, %q differ from %q", c.Code, meta["og:description"], meta["twitter:description"], desc)
		}
		if t1 := meta["og:title"]; !strings.Contains(t1, c.Code) || !strings.Contains(t1, c.Title) {
			t.Errorf("%s: og:title %q lacks the code or the title", c.Code, t1)
		}
	}
}

// resolve turns a link found on page into an output file name and a
// fragment, or reports why it cannot.
func (sc *siteCheck) resolve(page, link string) (file, frag string, internal bool, problem string) {
	if strings.HasPrefix(link, "#") {
		return page, link[1:], true, ""
	}
	lu, err := url.Parse(link)
	if err != nil {
		return "", "", false, err.Error()
	}
	switch {
	case lu.Scheme == "mailto":
		return "", "", false, ""
	case lu.Scheme != "":
		if lu.Scheme != "http" && lu.Scheme != "https" {
			return "", "", false, "scheme " + lu.Scheme
		}
		if !strings.HasPrefix(link, sc.base) {
			return "", "", false, "" // another site
		}
		lu, _ = url.Parse(strings.TrimPrefix(link, strings.TrimSuffix(sc.base, sc.basePath)))
	case !strings.HasPrefix(link, "/"):
		return "", "", true, "relative link (pages use absolute paths, so they work from 404.html too)"
	}
	if !strings.HasPrefix(lu.Path, sc.basePath) {
		return "", "", true, "outside the base path " + sc.basePath
	}
	p := strings.TrimPrefix(lu.Path, sc.basePath)
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p, lu.Fragment, true, ""
}

// pageCounts are the elements a page must have once each.
type pageCounts struct{ h1, canonical, csp, theme, app, license int }

// page checks one page: its head, its scripts, and that every link on it
// resolves to a file of the site (and an id of it).
func (sc *siteCheck) page(name string) {
	t := sc.t
	var n pageCounts
	for _, e := range sc.pages[name] {
		for _, l := range sc.element(name, e, &n) {
			sc.link(name, l)
		}
	}
	if n.h1 != 1 {
		t.Errorf("%s has %d h1 elements, want 1", name, n.h1)
	}
	// 404.html is served at every unknown path: it has no address of
	// its own to call canonical.
	wantCanonical := 1
	if name == "404.html" {
		wantCanonical = 0
	}
	if n.canonical != wantCanonical || n.csp != 1 || n.theme != 1 || n.app != 1 {
		t.Errorf("%s: %d canonical links (want %d), %d CSP metas, %d theme.js, %d app.js; want one each", name, n.canonical, wantCanonical, n.csp, n.theme, n.app)
	}
	// Every page states the content licence, so a copy of any page
	// carries its terms.
	if n.license != 1 {
		t.Errorf("%s has %d links with rel=license, want 1 (the footer's)", name, n.license)
	}
	if name == "404.html" && slices.ContainsFunc(sc.pages[name], func(e element) bool { return e.attrs["property"] == "og:url" }) {
		t.Errorf("404.html has og:url; it has no address of its own")
	}
}

// element checks one element of page name, counts what must appear once,
// and returns the links it holds.
func (sc *siteCheck) element(name string, e element, n *pageCounts) (links []string) {
	t := sc.t
	switch e.tag {
	case "h1":
		n.h1++
	case "a":
		if slices.Contains(strings.Fields(e.attrs["rel"]), "license") {
			n.license++
			if e.attrs["href"] != ContentLicense.URL {
				t.Errorf("%s: the licence link goes to %q, want %q", name, e.attrs["href"], ContentLicense.URL)
			}
		}
	case "html":
		if e.attrs["data-base"] != sc.basePath {
			t.Errorf("%s: data-base = %q, want %q", name, e.attrs["data-base"], sc.basePath)
		}
	case "link":
		if e.attrs["rel"] == "canonical" {
			n.canonical++
			if !strings.HasPrefix(e.attrs["href"], sc.base) {
				t.Errorf("%s: canonical %q is not under %s", name, e.attrs["href"], sc.base)
			}
		}
	case "meta":
		if e.attrs["http-equiv"] == "Content-Security-Policy" {
			n.csp++
			if !strings.Contains(e.attrs["content"], "script-src 'self'") || !strings.Contains(e.attrs["content"], "default-src 'self'") {
				t.Errorf("%s: weak CSP %q", name, e.attrs["content"])
			}
		}
		if e.attrs["property"] == "og:url" {
			links = append(links, e.attrs["content"])
		}
		if e.attrs["http-equiv"] == "refresh" {
			_, target, _ := strings.Cut(e.attrs["content"], "url=")
			links = append(links, target)
		}
	case "script":
		sc.script(name, e, n)
	}
	if _, ok := e.attrs["style"]; ok {
		t.Errorf("%s: <%s> has a style attribute, which the CSP refuses", name, e.tag)
	}
	for k := range e.attrs {
		if strings.HasPrefix(k, "on") {
			t.Errorf("%s: <%s> has an inline event handler %s", name, e.tag, k)
		}
	}
	for _, k := range []string{"href", "src", "action"} {
		if v, ok := e.attrs[k]; ok {
			links = append(links, v)
		}
	}
	return links
}

// script: only the site's own scripts run, theme.js before first paint
// and app.js deferred; data blocks are inline JSON.
func (sc *siteCheck) script(name string, e element, n *pageCounts) {
	t := sc.t
	src := e.attrs["src"]
	switch {
	case e.attrs["type"] == "application/json", e.attrs["type"] == "application/ld+json":
		// Data blocks, which browsers never run.
		if src != "" || !json.Valid([]byte(e.text)) {
			t.Errorf("%s: a %s block that is not inline JSON: %v %q", name, e.attrs["type"], e.attrs, e.text)
		}
	case src == "":
		t.Errorf("%s: inline script %q", name, e.text)
	case src == sc.basePath+"theme.js":
		n.theme++
		if _, d := e.attrs["defer"]; d {
			t.Errorf("%s: theme.js must run before first paint, not deferred", name)
		}
	case src == sc.basePath+"app.js":
		n.app++
		if _, d := e.attrs["defer"]; !d {
			t.Errorf("%s: app.js is not deferred", name)
		}
	}
}

// link: an internal link of page name leads to a file of the site, and
// its fragment to an id of that file.
func (sc *siteCheck) link(name, l string) {
	file, frag, internal, problem := sc.resolve(name, l)
	switch {
	case problem != "":
		sc.t.Errorf("%s: link %q: %s", name, l, problem)
	case !internal:
	case sc.files[file] == nil:
		sc.t.Errorf("%s: link %q: no file %s", name, l, file)
	case frag != "" && !sc.ids[file][frag]:
		sc.t.Errorf("%s: link %q: %s has no id %q", name, l, file, frag)
	}
}

// sitemap: it lists every page a search engine should see (not 404 and
// not redirects), each once, with the day it was last reviewed, and
// nothing else; robots.txt points at it.
func (sc *siteCheck) sitemap() {
	t := sc.t
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	newestReview := ""
	for _, c := range sc.site.Codes {
		newestReview = max(newestReview, c.Reviewed)
	}
	if err := xml.Unmarshal(sc.files["sitemap.xml"], &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	listed := map[string]bool{}
	for _, l := range sm.URLs {
		file, _, internal, problem := sc.resolve("sitemap.xml", l.Loc)
		if !internal || problem != "" || !strings.HasPrefix(l.Loc, sc.base) {
			t.Errorf("sitemap.xml: %q is not a page of the site (%s)", l.Loc, problem)
			continue
		}
		if listed[file] {
			t.Errorf("sitemap.xml lists %s twice", l.Loc)
		}
		// A code page was last modified when it was last reviewed; the
		// home page whenever any code was.
		want := ""
		switch c := sc.site.BySlug[strings.TrimSuffix(strings.TrimPrefix(file, "codes/"), "/index.html")]; {
		case c != nil && strings.HasPrefix(file, "codes/"):
			want = c.Reviewed
		case file == "index.html":
			want = newestReview
		}
		if want != "" && l.LastMod != want {
			t.Errorf("sitemap.xml: %s has lastmod %q, want %q", l.Loc, l.LastMod, want)
		}
		if l.LastMod == "" {
			t.Errorf("sitemap.xml: %s has no lastmod", l.Loc)
		}
		listed[file] = true
	}
	for name := range sc.pages {
		want := name != "404.html" && !sc.redirects[name]
		if listed[name] != want {
			t.Errorf("sitemap.xml: %s listed = %v, want %v", name, listed[name], want)
		}
	}
	if !strings.Contains(string(sc.files["robots.txt"]), "Sitemap: "+sc.base+"sitemap.xml") {
		t.Errorf("robots.txt does not point at the sitemap:\n%s", sc.files["robots.txt"])
	}
}

func excerpt(b []byte, i int) string {
	return string(b[max(0, i-40):min(len(b), i+40)])
}

// checkAPI decodes the JSON API and compares it with the input, field by
// field: every YAML field must come back under its YAML name.
func checkAPI(t *testing.T, site *Site, base string, files map[string][]byte) {
	var all struct {
		License License   `json:"license"`
		Count   int       `json:"count"`
		Codes   []APICode `json:"codes"`
	}
	if err := json.Unmarshal(files["api/v1/codes.json"], &all); err != nil {
		t.Fatalf("api/v1/codes.json: %v", err)
	}
	if all.License != ContentLicense {
		t.Errorf("api/v1/codes.json: license = %+v, want %+v", all.License, ContentLicense)
	}
	if all.Count != len(site.Codes) || len(all.Codes) != len(site.Codes) {
		t.Fatalf("api/v1/codes.json: count %d, %d codes; want %d", all.Count, len(all.Codes), len(site.Codes))
	}
	for i, want := range site.Codes {
		got := all.Codes[i]
		if got.Slug != want.Slug || got.URL != base+"codes/"+want.Slug+"/" {
			t.Errorf("api: code %d: slug %q url %q, want %q and its page", i, got.Slug, got.URL, want.Slug)
		}
		if got.Code == nil {
			t.Errorf("api: code %d has no fields", i)
			continue
		}
		// subsystem is the one the page shows: written, or implied.
		effective := *want
		effective.Subsystem = site.SubsystemOf[want.Slug]
		got.Code.Subsystem = got.Subsystem
		compareCodes(t, "api/v1/codes.json "+want.Code, &effective, got.Code)

		var one APICode
		name := "api/v1/codes/" + want.Slug + ".json"
		if err := json.Unmarshal(files[name], &one); err != nil || one.Code == nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		one.Code.Subsystem = one.Subsystem
		compareCodes(t, name, &effective, one.Code)
		// A code's own document may travel alone: it carries the
		// licence; in codes.json the document states it once.
		if one.License == nil || *one.License != ContentLicense {
			t.Errorf("%s: license = %v, want %+v", name, one.License, ContentLicense)
		}
		if got.License != nil {
			t.Errorf("api/v1/codes.json: %s repeats the licence the document states once", want.Code)
		}
	}
	// Every YAML field name appears as a JSON key somewhere in the corpus:
	// the API is not silently missing a field.
	var raw struct {
		Codes []map[string]json.RawMessage `json:"codes"`
	}
	if err := json.Unmarshal(files["api/v1/codes.json"], &raw); err != nil {
		t.Fatal(err)
	}
	// Every code has every field, lists as arrays (never null), so
	// clients see one shape.
	for i, c := range raw.Codes {
		for _, f := range append(CodeFields.Names(), "slug", "url") {
			v, ok := c[f]
			if !ok {
				t.Errorf("api: code %d lacks the field %q", i, f)
			} else if string(v) == "null" {
				t.Errorf("api: code %d: %q is null", i, f)
			}
		}
	}
}

// compareCodes compares every YAML field of two codes; an empty list and
// a missing one are the same.
func compareCodes(t *testing.T, where string, want, got *Code) {
	t.Helper()
	wv, gv := reflect.ValueOf(*want), reflect.ValueOf(*got)
	for i := range wv.NumField() {
		f := wv.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || name == "" {
			continue
		}
		a, b := wv.Field(i), gv.Field(i)
		if a.Kind() == reflect.Slice && a.Len() == 0 && b.Len() == 0 {
			continue
		}
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			t.Errorf("%s: field %s = %#v, want %#v", where, name, b.Interface(), a.Interface())
		}
	}
}

// checkFeed checks the Atom feed: the most recently reviewed first, then
// the newest added, ties by code; each entry updated when its code was
// reviewed, and a feed updated time that comes from the content, not the
// clock.
func checkFeed(t *testing.T, site *Site, base string, files map[string][]byte) {
	var feed struct {
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Rights  string `xml:"rights"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(files["feed.xml"], &feed); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	if feed.ID != base || len(feed.Entries) == 0 {
		t.Fatalf("feed.xml: id %q, %d entries", feed.ID, len(feed.Entries))
	}
	if !strings.Contains(feed.Rights, ContentLicense.Name) || !strings.Contains(feed.Rights, ContentLicense.URL) {
		t.Errorf("feed.xml: rights %q does not state the content licence %+v", feed.Rights, ContentLicense)
	}
	for _, name := range []string{"llms.txt", "llms-full.txt"} {
		want := fmt.Sprintf("Licence: the content is %s (%s); credit \"%s contributors\"", ContentLicense.Name, ContentLicense.URL, site.Config.Title)
		if !strings.Contains(string(files[name]), want) {
			t.Errorf("%s does not state the content licence: no %q", name, want)
		}
	}
	newest := ""
	for _, c := range site.Codes {
		newest = max(newest, c.Reviewed)
	}
	if feed.Updated != newest+"T00:00:00Z" {
		t.Errorf("feed.xml: updated %q, want the newest review date %s", feed.Updated, newest)
	}
	bySlugURL := map[string]*Code{}
	for _, c := range site.Codes {
		bySlugURL[base+"codes/"+c.Slug+"/"] = c
	}
	var prev *Code
	for _, e := range feed.Entries {
		c := bySlugURL[e.ID]
		if c == nil {
			t.Errorf("feed.xml: entry %q is not a code page", e.ID)
			continue
		}
		if e.Updated != c.Reviewed+"T00:00:00Z" {
			t.Errorf("feed.xml: %s updated %q, want its review date %s", c.Code, e.Updated, c.Reviewed)
		}
		if prev != nil {
			p, n := [2]string{prev.Reviewed, prev.Added}, [2]string{c.Reviewed, c.Added}
			if p[0] < n[0] || p[0] == n[0] && (p[1] < n[1] || p[1] == n[1] && !rules.NaturalLess(prev.Code, c.Code)) {
				t.Errorf("feed.xml: %s (reviewed %s, added %s) comes after %s (reviewed %s, added %s)", c.Code, c.Reviewed, c.Added, prev.Code, prev.Reviewed, prev.Added)
			}
		}
		prev = c
	}
	if want := min(len(site.Codes), feedSize); len(feed.Entries) != want {
		t.Errorf("feed.xml has %d entries, want %d", len(feed.Entries), want)
	}
}
