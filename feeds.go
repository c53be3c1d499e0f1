package errref

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/errref/errref/internal/rules"
)

// This file renders the machine-readable outputs: sitemap.xml, robots.txt,
// feed.xml, llms.txt, llms-full.txt and the JSON API.

// lastReviewed is the newest review date of the codes a page shows: the
// code of a code page, the codes of a page of a listing, every code
// elsewhere.
func lastReviewed(d *pageData) string {
	codes := d.Site.Codes
	switch {
	case d.Code != nil:
		return d.Code.Reviewed
	case d.Pager != nil:
		codes = d.Pager.Codes
	case d.Group != nil:
		codes = d.Group.Codes
	}
	last := ""
	for _, c := range codes {
		last = max(last, c.Reviewed)
	}
	return last
}

// sitemap lists every output that is an indexed page, with the day its
// content was last reviewed. It reads the plan, which is complete before
// any output is made.
func (r *renderer) sitemap() error {
	r.out("sitemap.xml", r.sitemapXML)
	return nil
}

func (r *renderer) sitemapXML() ([]byte, error) {
	type loc struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	var v struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []loc    `xml:"url"`
	}
	v.NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	for _, o := range r.outputs {
		if o.Indexed {
			v.URLs = append(v.URLs, loc{r.baseURL + strings.TrimSuffix(o.Path, "index.html"), o.LastMod})
		}
	}
	return xmlBytes("sitemap.xml", v)
}

func (r *renderer) robots() error {
	var b strings.Builder
	if r.base != "/" {
		// Crawlers read robots.txt only at the root of a host.
		fmt.Fprintf(&b, "# Crawlers read robots.txt only at the root of a host, not under %s.\n# Serve this file there, or give the sitemap to search engines directly.\n\n", r.base)
	}
	b.WriteString("User-agent: *\nAllow: /\n\nSitemap: " + r.baseURL + "sitemap.xml\n")
	r.outKey("robots.txt", r.keys.key("robots"), fixed([]byte(b.String())))
	return nil
}

// xmlBytes is v as a minified XML document.
func xmlBytes(name string, v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	// encoding/xml writes no white space but spells empty elements out;
	// the minifier shortens them.
	out, err := minifier.Bytes("text/xml", b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("render %s: minifying: %w", name, err)
	}
	return out, nil
}

// feedSize caps the feed: readers want what is new, not the whole corpus.
const feedSize = 100

// feed writes an Atom feed of the codes, the most recently reviewed first
// (then the newest added): an entry is published when the code is added
// and updated when it is reviewed again. The feed's updated time is the
// newest review date, not the build time, so the same input gives the
// same feed.
func (r *renderer) feed() error {
	r.out("feed.xml", r.feedXML)
	return nil
}

// The Atom elements feed.xml is made of.
type (
	atomLink struct {
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	atomCategory struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr,omitempty"`
	}
	atomEntry struct {
		Title     string        `xml:"title"`
		Link      atomLink      `xml:"link"`
		ID        string        `xml:"id"`
		Published string        `xml:"published"`
		Updated   string        `xml:"updated"`
		Category  *atomCategory `xml:"category,omitempty"`
		Summary   string        `xml:"summary"`
	}
	atomAuthor struct {
		Name string `xml:"name"`
		URI  string `xml:"uri,omitempty"`
	}
	atomFeed struct {
		XMLName  xml.Name    `xml:"feed"`
		NS       string      `xml:"xmlns,attr"`
		Title    string      `xml:"title"`
		Subtitle string      `xml:"subtitle,omitempty"`
		Links    []atomLink  `xml:"link"`
		ID       string      `xml:"id"`
		Updated  string      `xml:"updated"`
		Rights   string      `xml:"rights"`
		Author   atomAuthor  `xml:"author"`
		Entries  []atomEntry `xml:"entry"`
	}
)

// datedCode is a code with its dates parsed.
type datedCode struct {
	c               *Code
	added, reviewed time.Time
}

// feedOrder is every code, the most recently reviewed first, then the
// newest added, then by code.
func (r *renderer) feedOrder() ([]datedCode, error) {
	var cs []datedCode
	for _, c := range r.site.Codes {
		added, err := time.Parse(time.DateOnly, c.Added)
		if err != nil {
			return nil, fmt.Errorf("render feed.xml: %s: added %q is not a YYYY-MM-DD date", c.Code, c.Added)
		}
		reviewed, err := time.Parse(time.DateOnly, c.Reviewed)
		if err != nil {
			return nil, fmt.Errorf("render feed.xml: %s: reviewed %q is not a YYYY-MM-DD date", c.Code, c.Reviewed)
		}
		cs = append(cs, datedCode{c, added, reviewed})
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if !a.reviewed.Equal(b.reviewed) {
			return a.reviewed.After(b.reviewed)
		}
		if !a.added.Equal(b.added) {
			return a.added.After(b.added)
		}
		return rules.NaturalLess(a.c.Code, b.c.Code)
	})
	return cs, nil
}

func (r *renderer) feedXML() ([]byte, error) {
	cs, err := r.feedOrder()
	if err != nil {
		return nil, err
	}
	cfg := r.site.Config
	f := atomFeed{
		NS:       "http://www.w3.org/2005/Atom",
		Title:    cfg.Title,
		Subtitle: cfg.Tagline,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: r.baseURL + "feed.xml"},
			{Rel: "alternate", Type: "text/html", Href: r.baseURL},
		},
		ID:      r.baseURL,
		Updated: "1970-01-01T00:00:00Z",
		Rights:  "Content licensed " + ContentLicense.Name + " (" + ContentLicense.URL + "); credit " + r.credit() + ".",
		Author:  atomAuthor{Name: r.credit(), URI: cfg.Repository},
	}
	if len(cs) > 0 {
		f.Updated = cs[0].reviewed.Format(time.RFC3339)
	}
	if len(cs) > feedSize {
		cs = cs[:feedSize]
	}
	for _, d := range cs {
		f.Entries = append(f.Entries, r.feedEntry(d))
	}
	return xmlBytes("feed.xml", f)
}

// feedEntry is one code in the feed: published when added, updated when
// reviewed, summarised by its message.
func (r *renderer) feedEntry(d datedCode) atomEntry {
	c := d.c
	u := r.baseURL + "codes/" + c.Slug + "/"
	sum := c.Message
	if sum == "" {
		sum = c.Title + "."
	}
	e := atomEntry{
		Title:     c.Code + " — " + c.Title,
		Link:      atomLink{Rel: "alternate", Type: "text/html", Href: u},
		ID:        u,
		Published: d.added.Format(time.RFC3339),
		Updated:   d.reviewed.Format(time.RFC3339),
		Summary:   sum,
	}
	for _, g := range r.site.Categories {
		if g.ID == c.Category {
			e.Category = &atomCategory{Term: g.ID, Label: g.Label}
		}
	}
	return e
}

// llms writes llms.txt (an index of every code, one line each) and
// llms-full.txt (every code in full, as Markdown), for language models and
// anyone who wants the reference as plain text.
func (r *renderer) llms() error {
	r.out("llms.txt", func() ([]byte, error) {
		var b strings.Builder
		r.llmsHead(&b, "Every code in full: "+r.baseURL+"llms-full.txt.")
		for _, g := range nonEmpty(r.site.Categories) {
			fmt.Fprintf(&b, "\n## %s\n\n", mdText(g.Label))
			for _, c := range g.Codes {
				fmt.Fprintf(&b, "- [%s — %s](%scodes/%s/)", mdText(c.Code), mdText(c.Title), r.baseURL, c.Slug)
				if c.Message != "" {
					fmt.Fprintf(&b, ": \"%s\"", mdText(c.Message))
				}
				b.WriteString("\n")
			}
		}
		return []byte(b.String()), nil
	})
	r.out("llms-full.txt", func() ([]byte, error) {
		var full strings.Builder
		r.llmsHead(&full, "An index with one line per code: "+r.baseURL+"llms.txt.")
		for _, g := range nonEmpty(r.site.Categories) {
			fmt.Fprintf(&full, "\n## %s\n", mdText(g.Label))
			for _, c := range g.Codes {
				r.llmsCode(&full, c)
			}
		}
		return []byte(full.String()), nil
	})
	return nil
}

func (r *renderer) llmsHead(b *strings.Builder, other string) {
	cfg := r.site.Config
	fmt.Fprintf(b, "# %s\n\n", mdText(cfg.Title))
	if cfg.Tagline != "" {
		fmt.Fprintf(b, "> %s\n\n", mdText(cfg.Tagline))
	}
	if cfg.Description != "" {
		fmt.Fprintf(b, "%s\n\n", mdText(cfg.Description))
	}
	fmt.Fprintf(b, "One page per code at `%scodes/<slug>/`. %s As JSON: %sapi/v1/codes.json.\n", r.baseURL, other, r.baseURL)
	fmt.Fprintf(b, "\nLicence: the content is %s (%s); credit \"%s\" and link to the page you use.\n", ContentLicense.Name, ContentLicense.URL, mdText(r.credit()))
}

func (r *renderer) llmsCode(b *strings.Builder, c *Code) {
	fmt.Fprintf(b, "\n### %s — %s\n\n", mdText(c.Code), mdText(c.Title))
	fmt.Fprintf(b, "URL: %scodes/%s/\n", r.baseURL, c.Slug)
	var plats []string
	for _, p := range c.Platforms {
		plats = append(plats, r.site.Config.Label("platform", p))
	}
	fmt.Fprintf(b, "Severity: %s. Platforms: %s.", rules.Label("severity", c.Severity), strings.Join(plats, ", "))
	if s := r.site.SubsystemOf[c.Slug]; s != "" {
		fmt.Fprintf(b, " Subsystem: %s.", mdText(r.site.Config.Label("subsystem", s)))
	}
	fmt.Fprintf(b, "\nTry first: %s. %s\n", rules.Label("handling", c.Handling), rules.Advice("handling", c.Handling))
	for _, m := range c.Messages() {
		fmt.Fprintf(b, "Message: \"%s\"\n", mdText(m))
	}
	if len(c.Aliases) > 0 {
		fmt.Fprintf(b, "Also searched as: %s\n", mdText(strings.Join(c.Aliases, "; ")))
	}
	if len(c.Chain) > 0 {
		var steps []string
		for _, s := range c.Chain {
			t := mdText(s.Step)
			var extra []string
			if s.Detail != "" {
				extra = append(extra, oneLine(s.Detail))
			}
			if st := stateOf(s.State); st != "neutral" {
				extra = append(extra, st)
			}
			if len(extra) > 0 {
				t += " (" + strings.Join(extra, ", ") + ")"
			}
			steps = append(steps, t)
		}
		fmt.Fprintf(b, "Cause chain: %s\n", strings.Join(steps, " → "))
	}
	b.WriteString("\nCauses:\n\n")
	for _, s := range c.Causes {
		fmt.Fprintf(b, "- %s\n", oneLine(s))
	}
	b.WriteString("\nResolution:\n\n")
	for i, s := range c.Resolution {
		fmt.Fprintf(b, "%d. %s\n", i+1, oneLine(s))
	}
	if n := strings.TrimSpace(c.Note); n != "" {
		fmt.Fprintf(b, "\nNote:\n\n%s\n", n)
	}
	if rel := r.site.Related[c.Slug]; len(rel) > 0 {
		var cs []string
		for _, o := range rel {
			cs = append(cs, mdText(o.Code))
		}
		fmt.Fprintf(b, "\nRelated: %s\n", strings.Join(cs, ", "))
	}
	if len(c.Sources) > 0 {
		b.WriteString("\nSources:\n\n")
		for _, s := range c.Sources {
			if u := sourceLink(s.URL); u != "" {
				fmt.Fprintf(b, "- [%s](<%s>)", mdText(s.Title), mdURL(u))
			} else {
				fmt.Fprintf(b, "- %s", mdText(s.Title))
			}
			if s.Supports != "" {
				fmt.Fprintf(b, " (supports: %s)", mdText(s.Supports))
			}
			b.WriteString("\n")
		}
	}
	if c.Reviewed != "" {
		fmt.Fprintf(b, "\nReviewed: %s\n", mdText(c.Reviewed))
	}
}

// mdURL makes an address safe inside the <…> of a Markdown link: the
// characters that would end it or start a tag are percent-encoded.
func mdURL(u string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "\n", "%0A").Replace(u)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdText is a plain-text field (a title, a message) on one line, safe to
// put into Markdown (llms.txt, llms-full.txt, the reply a code page
// copies), inside bold text too: it reads as the same text, never as a
// link, an HTML tag, code, emphasis, strikethrough or an entity, and its
// first characters do not make the line a heading, a list item or a
// quote. Other punctuation reads the same either way and is left as it
// is, and so is an underscore inside a word (INVALID_CLIENT), which
// CommonMark never reads as emphasis.
func mdText(s string) string {
	rs := []rune(oneLine(s))
	word := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	var b strings.Builder
	for i, r := range rs {
		var esc bool
		switch r {
		case '\\', '[', ']', '<', '>', '`', '*', '~':
			esc = true
		case '_':
			esc = !word(i-1) || !word(i+1)
		case '&': // &amp; and &#38; are entities
			esc = i+1 < len(rs) && (rs[i+1] == '#' || unicode.IsLetter(rs[i+1]))
		case '#', '-', '+', '=':
			esc = i == 0
		case '.', ')': // "1." and "1)" start an ordered list
			esc = i > 0 && i <= 9 && strings.Trim(string(rs[:i]), "0123456789") == ""
		}
		if esc {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// APICode is one code as the JSON API gives it: every field of
// CodeFields under its YAML name, in the table's order (Code.MarshalJSON),
// then the slug and the page's absolute URL. Every field is present in
// every code (an empty list as [], absent text as ""), so clients see one
// shape; subsystem is the one the page shows, written in the file or
// implied by the code ("accounts:4" is in accounts).
type APICode struct {
	*Code
	Subsystem string
	Slug      string
	URL       string
	// Anchors are the ids on the code's page that a link may end in
	// (url + "#fix-3"); they follow position, not wording.
	Anchors Anchors
	// Image is the code's card, the page's og:image.
	Image string
	// License is set in api/v1/codes/<slug>.json, which may be fetched
	// and kept on its own; in codes.json the document states it once.
	License *License
}

// MarshalJSON writes the code's record with the API's own keys.
func (a APICode) MarshalJSON() ([]byte, error) {
	rec := recordObj(CodeFields, reflect.ValueOf(a.Code))
	rec.set("subsystem", a.Subsystem)
	rec = append(rec, kv{"slug", a.Slug}, kv{"url", a.URL}, kv{"anchors", a.Anchors}, kv{"image", a.Image})
	if a.License != nil {
		rec = append(rec, kv{"license", a.License})
	}
	return marshalJSON(rec)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *APICode) UnmarshalJSON(b []byte) error {
	a.Code = &Code{}
	if err := a.Code.UnmarshalJSON(b); err != nil {
		return err
	}
	var extra struct {
		Subsystem, Slug, URL, Image string
		Anchors                     Anchors
		License                     *License `json:"license"`
	}
	if err := json.Unmarshal(b, &extra); err != nil {
		return err
	}
	a.Subsystem, a.Slug, a.URL, a.Anchors, a.Image, a.License = extra.Subsystem, extra.Slug, extra.URL, extra.Anchors, extra.Image, extra.License
	return nil
}

// apiCode fills an APICode for c.
func (r *renderer) apiCode(c *Code) APICode {
	return APICode{
		Code: c, Subsystem: r.site.SubsystemOf[c.Slug], Slug: c.Slug, URL: r.baseURL + "codes/" + c.Slug + "/",
		Anchors: r.anchors(c), Image: r.baseURL + codeCardPath(c),
	}
}

// APICodes is api/v1/codes.json.
type APICodes struct {
	Title   string    `json:"title"`
	URL     string    `json:"url"`
	License License   `json:"license"`
	Count   int       `json:"count"`
	Codes   []APICode `json:"codes"`
}

func (r *renderer) api() error {
	for _, c := range r.site.Codes {
		name := "api/v1/codes/" + c.Slug + ".json"
		// The anchors say whether the page lists related codes and codes
		// with the same message.
		key := r.keys.key("api", name, version(c), slugsPart(r.site.Related[c.Slug]), slugsPart(r.site.SameMessage[c.Slug]))
		r.outKey(name, key, func() ([]byte, error) {
			one := r.apiCode(c)
			one.License = &ContentLicense
			return jsonBytes(name, one)
		})
	}
	r.out("api/v1/codes.json", func() ([]byte, error) {
		all := APICodes{Title: r.site.Config.Title, URL: r.baseURL, License: ContentLicense, Count: len(r.site.Codes), Codes: []APICode{}}
		for _, c := range r.site.Codes {
			all.Codes = append(all.Codes, r.apiCode(c))
		}
		return jsonBytes("api/v1/codes.json", all)
	})
	return nil
}

// jsonBytes is v as JSON, one line and a newline.
func jsonBytes(name string, v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Served as application/json, never inlined in HTML: & < > can stay.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// schema publishes the JSON Schema of a code file (Schema), which code
// files name in their first line.
func (r *renderer) schema() error {
	r.outKey(SchemaFile, r.keys.key("schema"), func() ([]byte, error) { return Schema(&r.site.Config), nil })
	return nil
}
