package errref

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/errref/errref/internal/card"
	"github.com/errref/errref/internal/rules"
	"github.com/errref/errref/internal/search"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// RenderOptions configure one rendering.
type RenderOptions struct {
	BaseURL     string            // absolute, ends in "/", e.g. "https://owner.github.io/repo/" or "http://localhost:8080/"
	SearchIndex []byte            // contents of search-index.json, written as is
	SearchParts map[string][]byte // the parts of a split search index (search/…), written as is
	LiveReload  bool              // errref serve: every page also loads {{Base}}_errref/live.js (served by the dev server, not written)

	// Cards draws the cards (og:image) of the pages; nil means a new
	// renderer. errref serve passes one that it keeps across rebuilds, so
	// that a card whose code did not change is not drawn again.
	Cards *card.Renderer

	// Assets holds the templates/ and static/ folders; nil means the copy
	// embedded in the binary (Assets). errref serve passes the source
	// tree so that edits to templates and styles show on the next rebuild.
	Assets fs.FS
}

// Output is one file of the site: where it goes and how its bytes are
// made. Outputs do not depend on one another: Make may run in any order,
// on any goroutine, once the plan is complete.
type Output struct {
	Path string // slash path relative to the output root: "codes/auth-1/index.html"
	// Indexed pages are listed in sitemap.xml, with the day what they show
	// was last reviewed.
	Indexed bool
	LastMod string
	Make    func() ([]byte, error)
	// Template names the page template an HTML page is made from ("code",
	// "listing"); "" for every other file. TestEveryPageTemplatePlanned
	// checks that each page template makes some output.
	Template string
	// Key is a digest of everything the bytes depend on (keys.go): two
	// plans that give an output the same key give it the same bytes. ""
	// means unknown. errref serve makes again only outputs whose key
	// changed.
	Key string
	// Whole outputs gather the whole site (codes.json, llms-full.txt, the
	// feed, the sitemap, the search index): errref serve makes them when
	// they are asked for, after the pages.
	Whole bool
}

// Plan lists every output file of the site, in a fixed order, without
// making any: templates are parsed, pages and their data laid out, and
// every output given the function that makes it. A path planned twice is
// an error. Because every output is planned before any is made, nothing
// can be left out by coming too late (sitemap.xml reads the plan).
func Plan(site *Site, opts RenderOptions) ([]Output, error) {
	r, err := newRenderer(site, opts)
	if err != nil {
		return nil, err
	}
	for _, plan := range []func() error{
		r.static, r.home, r.codePages, r.listings, r.browse, r.notFound,
		r.redirects, r.cards, r.sitemap, r.robots, r.feed, r.llms, r.api,
		r.schema, r.searchIndex,
	} {
		if err := plan(); err != nil {
			return nil, err
		}
	}
	if r.dup != "" {
		return nil, fmt.Errorf("render: two outputs would be written to %s", r.dup)
	}
	return r.outputs, nil
}

// Render makes every output of Plan and returns them keyed by path. It
// writes nothing to disk, and the same site and options always give the
// same bytes.
func Render(site *Site, opts RenderOptions) (map[string][]byte, error) {
	outs, err := Plan(site, opts)
	if err != nil {
		return nil, err
	}
	return Make(outs)
}

// Make makes outputs on every core and returns them keyed by path. The
// first error in plan order is the one returned, so the result does not
// depend on scheduling.
func Make(outs []Output) (map[string][]byte, error) {
	var mu sync.Mutex
	files := make(map[string][]byte, len(outs))
	err := MakeTo(outs, func(path string, data []byte) error {
		mu.Lock()
		files[path] = data
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// MakeTo makes outputs on every core and hands each to sink as soon as it
// is made, from several goroutines at once, so that the caller need not
// hold the whole site (BuildTo writes each file to disk this way). The
// error returned is the first in plan order, and neither it nor the bytes
// depend on scheduling.
//
// The outputs are made from the end of the plan: the few that gather
// the whole site (codes.json, llms-full.txt, the feed) are planned last,
// and started first they run beside the pages instead of after them.
func MakeTo(outs []Output, sink func(path string, data []byte) error) error {
	errs := make([]error, len(outs))
	var next atomic.Int64
	var wg sync.WaitGroup
	// More goroutines than cores: a sink may wait on the disk.
	for range min(2*runtime.GOMAXPROCS(0), len(outs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := len(outs) - 1 - int(next.Add(1)-1)
				if i < 0 {
					return
				}
				errs[i] = makeOne(outs[i], sink)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func makeOne(o Output, sink func(string, []byte) error) error {
	if o.Make == nil {
		return fmt.Errorf("render: nothing makes %s", o.Path)
	}
	data, err := o.Make()
	if err != nil {
		return err
	}
	return sink(o.Path, data)
}

type renderer struct {
	site    *Site
	opts    RenderOptions
	assets  fs.FS
	baseURL string // absolute, ends in "/"
	base    string // its path, ends in "/"
	tmpl    *template.Template
	// outputs is the plan; seen its paths, dup the first path planned twice.
	outputs []Output
	seen    map[string]bool
	dup     string
	// rows holds each code's row of a code list, rendered once, by the
	// first page that needs it: a code appears in many lists (home,
	// listings, related, same message).
	rows map[*Code]*row
	// cardRenderer draws the cards.
	cardRenderer *card.Renderer
	// keys makes the outputs' keys.
	keys *keyer
	// featured holds the codes a partial home page lists per category.
	featured map[*Group][]*Code
}

// row is one code's row of a code list, made once.
type row struct {
	once sync.Once
	html template.HTML
	err  error
}

// pageData is what every page template sees. Base and the head fields
// are common; the rest is set by the pages that use it.
type pageData struct {
	Base        string // URL path prefix of the site, ends in "/"
	Site        *Site
	Kind        string // home, code, listing, browse, notfound, redirect
	Title       string // <title>
	OGTitle     string
	Description string
	Canonical   string // absolute URL
	OGType      string
	NoIndex     bool
	Refresh     string // redirect target, absolute
	LiveReload  bool
	Scripts     []string // deferred scripts beyond app.js, relative to Base
	Image       *ogImage // og:image
	JSONLD      []any    // structured data, written as a JSON-LD block

	// Reply and ReplyText are a code page's answer to paste, in Markdown
	// and as plain text.
	Reply, ReplyText string
	// Sections are a code page's section ids (anchors), worked out when
	// the page is made; the template shows a section when it is listed.
	Sections []string

	Code       *Code
	Group      *Group
	Siblings   []*Group
	Categories []*Group
	Kinds      []groupKind

	// Pager is a listing's page: its share of the group's codes and the
	// links to the others. Prev and Next are the absolute addresses of
	// the pages before and after it (rel=prev, rel=next).
	Pager      *pager
	Prev, Next string
	// Partial is set on a home page that lists only some codes of each
	// category (see HomeAllCodes). AllRows is then the address of
	// home-rows.json when the site has one (see HomeRowsMax).
	Partial bool
	AllRows string
}

// pager is one page of a listing.
type pager struct {
	Codes  []*Code // the codes on this page
	Number int     // 1-based
	Pages  []pageLink
}

// pageLink is a link to one page of a listing.
type pageLink struct {
	Number int
	URL    string
}

// ListingPageSize is how many codes one page of a listing shows. A
// listing of more codes is split into pages: the group's address is the
// first, <group>/page/2/ the second, and so on, each linking to all the
// others, so that every code is three clicks from the home page (home,
// listing, its page) and every page stays within the first-paint budget.
const ListingPageSize = 50

// HomeAllCodes is how many codes a site can have and still list them all
// on its home page. A larger site's home page lists each category's
// HomeTopCodes most linked codes (those that most other codes name as
// related, then in the site's order) and links to the category's listing.
const (
	HomeAllCodes = 80
	HomeTopCodes = 10
)

// HomeRowsMax is how many codes a site with a partial home page can have
// and still give its filters every code: home-rows.json holds the row of
// each code, by category, and app.js puts them in the list when a filter
// is first turned on, so that the filters count and narrow all the codes,
// not only those the page shows. Beyond it (about 100 KB gzipped), the
// filters narrow the rows shown.
const HomeRowsMax = 2000

type groupKind struct {
	Kind   string
	Groups []*Group
}

func newRenderer(site *Site, opts RenderOptions) (*renderer, error) {
	if site == nil {
		return nil, errors.New("render: no site")
	}
	if err := CheckBaseURL(opts.BaseURL); err != nil {
		return nil, fmt.Errorf("render: base URL %w", err)
	}
	u, _ := url.Parse(opts.BaseURL)
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	r := &renderer{
		site:         site,
		opts:         opts,
		assets:       opts.Assets,
		baseURL:      u.String(),
		base:         u.EscapedPath(),
		seen:         map[string]bool{},
		rows:         map[*Code]*row{},
		cardRenderer: opts.Cards,
	}
	if r.cardRenderer == nil {
		r.cardRenderer = card.NewRenderer()
	}
	for _, c := range site.Codes {
		r.rows[c] = &row{}
	}
	if r.assets == nil {
		r.assets = Assets
	}
	for _, c := range site.Codes {
		if !rules.IsSlug(c.Slug) {
			return nil, fmt.Errorf("render: %s: slug %q is not lowercase letters, digits and single dashes", c.Code, c.Slug)
		}
	}
	tmpl, err := r.parseTemplates()
	if err != nil {
		return nil, err
	}
	r.tmpl = tmpl
	r.keys = newKeyer(r)
	return r, nil
}

// parseTemplates parses every templates/*.html file once, up front, so a
// broken template fails the build before any page is rendered.
func (r *renderer) parseTemplates() (*template.Template, error) {
	t, err := template.New("").Funcs(r.funcs()).ParseFS(r.assets, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	for _, name := range []string{"top", "bottom", "row", "search", "home", "code", "listing", "browse", "notfound", "redirect"} {
		if t.Lookup(name) == nil {
			return nil, fmt.Errorf("render: no template defines %q", name)
		}
	}
	return t, nil
}

// relatedOnly is c's related codes but those that show the same message:
// they are listed once, under the same message, where the reader learns
// how to tell them apart.
func (r *renderer) relatedOnly(c *Code) []*Code {
	var out []*Code
	for _, o := range r.site.Related[c.Slug] {
		if !slices.Contains(r.site.SameMessage[c.Slug], o) {
			out = append(out, o)
		}
	}
	return out
}

func (r *renderer) funcs() template.FuncMap {
	cfg := &r.site.Config
	label := func(vocab string) func(string) string {
		return func(id string) string { return cfg.Label(vocab, id) }
	}
	platLabel := label("platform")
	return template.FuncMap{
		"mdInline":  func(s string, self *Code) (template.HTML, error) { return renderMarkdown(s, true, r.codeLinker(self)) },
		"mdBlock":   func(s string, self *Code) (template.HTML, error) { return renderMarkdown(s, false, r.codeLinker(self)) },
		"codeURL":   r.codeURL,
		"row":       r.row,
		"homeCodes": r.homeCodes,
		"groupURL":  func(g *Group) string { return r.groupURL(g.Kind, g.ID) },
		"listURL":   r.groupURL,
		"catLabel":  label("category"),
		"platLabel": platLabel,
		"platLabels": func(ids []string) string {
			ls := make([]string, len(ids))
			for i, id := range ids {
				ls[i] = platLabel(id)
			}
			return strings.Join(ls, ", ")
		},
		"subLabel":       label("subsystem"),
		"sevLabel":       label("severity"),
		"handlingLabel":  label("handling"),
		"handlingAdvice": func(s string) string { return rules.Advice("handling", s) },
		"kindLabel":      label("kind"),
		"facets":         func() []string { return search.FacetNames },
		"kindPlural":     label("kinds"),
		"stateOf":        stateOf,
		"stateLabel":     label("state"),
		"stateIcon":      rules.StateIcon,
		"subsystemOf":    func(c *Code) string { return r.site.SubsystemOf[c.Slug] },
		"related":        r.relatedOnly,
		"section":        func(d *pageData, id string) bool { return slices.Contains(d.Sections, id) },
		"causeID":        causeID,
		"fixID":          fixID,
		"selfLabel":      selfLabel,
		"sameMessage":    func(c *Code) []*Code { return r.site.SameMessage[c.Slug] },
		"sourceURL":      sourceLink,
		"sourceDomain":   sourceDomain,
		"editURL":        r.editURL,
		"reportURL":      r.reportURL,
		"newCodeURL":     func() string { return NewCodeURL(r.site.Config.Repository, "") },
		"apiURL":         func(c *Code) string { return r.base + "api/v1/codes/" + c.Slug + ".json" },
		"license":        func() License { return ContentLicense },
		"credit":         r.credit,
		"repoFile":       r.repoFile,
		"join":           strings.Join,
		"lower":          strings.ToLower,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return fmt.Sprintf("%d %s", n, many)
		},
	}
}

func stateOf(s string) string {
	if s == "" {
		return "neutral"
	}
	return s
}

func (r *renderer) codeURL(c *Code) string { return r.base + "codes/" + c.Slug + "/" }

// codeLinker links the codes that Markdown on self's page names in code
// spans, except self.
func (r *renderer) codeLinker(self *Code) func(string) string {
	return func(code string) string {
		if c := r.site.ByCode[code]; c != nil && c != self {
			return r.codeURL(c)
		}
		return ""
	}
}

// groupPath is the page of a listing, relative to the base. Vocabulary
// ids go through Slug so that any id gives a plain, safe path.
func groupPath(kind, id string) string { return kind + "/" + rules.Slug(id) + "/" }

func (r *renderer) groupURL(kind, id string) string { return r.base + groupPath(kind, id) }

func (r *renderer) repo() string { return strings.TrimSuffix(r.site.Config.Repository, "/") }

func (r *renderer) editURL(c *Code) string {
	if r.repo() == "" {
		return ""
	}
	file := c.File
	if file == "" {
		file = CodesDir + "/" + c.Slug + ".yaml"
	}
	branch := r.site.Config.Branch
	if branch == "" {
		branch = "main"
	}
	return r.repo() + "/edit/" + url.PathEscape(branch) + "/" + file
}

// credit is the attribution that the content licence asks reusers to give,
// as the feed names its author.
func (r *renderer) credit() string { return r.site.Config.Title + " contributors" }

// repoFile is the address of a file at the root of the repository, such
// as LICENSE, or "" when site.yaml names no repository.
func (r *renderer) repoFile(name string) string {
	if r.repo() == "" {
		return ""
	}
	branch := r.site.Config.Branch
	if branch == "" {
		branch = "main"
	}
	return r.repo() + "/blob/" + url.PathEscape(branch) + "/" + name
}

// reportURL opens the correction issue form with the code filled in.
func (r *renderer) reportURL(c *Code) string {
	if r.repo() == "" {
		return ""
	}
	q := url.Values{}
	q.Set("template", "correction.yml")
	q.Set("code", c.Code)
	q.Set("title", "Correction: "+c.Code)
	return r.repo() + "/issues/new?" + q.Encode()
}

// NewCodeURL opens the repository's new-code issue form with code filled
// in, or "" when there is no repository. With code "", it is the form's
// address to which the search box appends &code= and &title= for a code
// the site does not have (static/app.js).
func NewCodeURL(repository, code string) string {
	repo := strings.TrimSuffix(repository, "/")
	if repo == "" {
		return ""
	}
	u := repo + "/issues/new?template=new-error-code.yml"
	if code != "" {
		u += "&code=" + url.QueryEscape(code) + "&title=" + url.QueryEscape("New code: "+code)
	}
	return u
}

// page fills the fields every page shares.
func (r *renderer) page(kind, rel, title, ogTitle, desc string) *pageData {
	return &pageData{
		Base:        r.base,
		Site:        r.site,
		Kind:        kind,
		Title:       title,
		OGTitle:     ogTitle,
		Description: summarize(desc, 200),
		Canonical:   r.baseURL + rel,
		OGType:      "website",
		LiveReload:  r.opts.LiveReload,
		Image:       r.siteImage(),
	}
}

// summarize shortens s to at most n runes at a word boundary, for meta
// descriptions.
func summarize(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	// The last space at or before rune n (rs[n] is a space when the first
	// n runes end a word), unless that would drop more than half.
	cut := n
	for i := n; i >= n/2; i-- {
		if rs[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(rs[:cut]), " ,.;:") + "…"
}

func (r *renderer) siteTitle(s string) string {
	if s == "" {
		return r.site.Config.Title
	}
	return s + " · " + r.site.Config.Title
}

// out plans an output made from the whole site.
func (r *renderer) out(path string, mk func() ([]byte, error)) {
	r.plan(Output{Path: path, Make: mk, Whole: true, Key: r.keys.key("whole", path, r.keys.all)})
}

// outKey plans an output whose bytes depend only on what key says.
func (r *renderer) outKey(path, key string, mk func() ([]byte, error)) {
	r.plan(Output{Path: path, Make: mk, Key: key})
}

func (r *renderer) plan(o Output) {
	if r.seen[o.Path] && r.dup == "" {
		r.dup = o.Path
	}
	r.seen[o.Path] = true
	r.outputs = append(r.outputs, o)
}

// fixed makes an output whose bytes are known when it is planned.
func fixed(b []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return b, nil }
}

// queue plans an HTML page: template tmpl executed with data, minified.
// Indexed pages go in the sitemap.
func (r *renderer) queue(out, tmpl string, data *pageData, indexed bool) {
	r.queueFill(out, tmpl, data, indexed, nil)
}

// queueFill is queue with the data's costly parts filled in by fill when
// the page is made, on all cores, rather than when it is planned.
func (r *renderer) queueFill(out, tmpl string, data *pageData, indexed bool, fill func(*pageData)) {
	var once sync.Once
	o := Output{Path: out, Indexed: indexed, Template: tmpl, Key: r.keys.page(r, out, data), Make: func() ([]byte, error) {
		if fill != nil {
			once.Do(func() { fill(data) })
		}
		buf := bufPool.Get().(*bytes.Buffer)
		defer bufPool.Put(buf)
		buf.Reset()
		if err := r.tmpl.ExecuteTemplate(buf, tmpl, data); err != nil {
			return nil, fmt.Errorf("render %s: %w", out, err)
		}
		b, err := minifier.Bytes("text/html", buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("render %s: minifying: %w", out, err)
		}
		return b, nil
	}}
	if indexed {
		o.LastMod = lastReviewed(data)
	}
	r.plan(o)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// row is c's row of a code list, rendered the first time a page needs it.
func (r *renderer) row(c *Code) (template.HTML, error) {
	rw := r.rows[c]
	if rw == nil {
		return "", fmt.Errorf("render: %s is not a code of the site", c.Code)
	}
	rw.once.Do(func() {
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, "row", c); err != nil {
			rw.err = fmt.Errorf("render: row of %s: %w", c.Code, err)
			return
		}
		rw.html = template.HTML(buf.String())
	})
	return rw.html, rw.err
}

// searchIndex publishes the exported search index as it is, with its
// parts in the split layout.
func (r *renderer) searchIndex() error {
	// Their bytes come from outside the plan: no key.
	r.plan(Output{Path: "search-index.json", Make: fixed(r.opts.SearchIndex), Whole: true})
	names := make([]string, 0, len(r.opts.SearchParts))
	for name := range r.opts.SearchParts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		r.plan(Output{Path: name, Make: fixed(r.opts.SearchParts[name]), Whole: true})
	}
	return nil
}

func nonEmpty(gs []*Group) []*Group {
	var out []*Group
	for _, g := range gs {
		if len(g.Codes) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func (r *renderer) home() error {
	cfg := r.site.Config
	title := cfg.Title
	if cfg.Tagline != "" {
		title += " — " + cfg.Tagline
	}
	d := r.page("home", "", title, title, cfg.Description)
	d.Categories = nonEmpty(r.site.Categories)
	d.Partial = len(r.site.Codes) > HomeAllCodes
	r.featured = map[*Group][]*Code{}
	if d.Partial {
		for _, g := range d.Categories {
			r.featured[g] = r.mostLinked(g.Codes, HomeTopCodes)
		}
		if len(r.site.Codes) <= HomeRowsMax {
			d.AllRows = r.base + HomeRowsFile
			groups := d.Categories
			r.out(HomeRowsFile, func() ([]byte, error) { return r.homeRows(groups) })
		}
	}
	r.queue("index.html", "home", d, true)
	return nil
}

// HomeRowsFile maps each category of a site with a partial home page to
// the rows of all its codes, as the home page's list would show them
// (minified HTML), for app.js (see HomeRowsMax).
const HomeRowsFile = "home-rows.json"

func (r *renderer) homeRows(groups []*Group) ([]byte, error) {
	rows := make(map[string]string, len(groups))
	var b strings.Builder
	for _, g := range groups {
		b.Reset()
		for _, c := range g.Codes {
			h, err := r.row(c)
			if err != nil {
				return nil, err
			}
			b.WriteString(string(h))
		}
		m, err := minifier.String("text/html", b.String())
		if err != nil {
			return nil, fmt.Errorf("render %s: minifying: %w", HomeRowsFile, err)
		}
		rows[g.ID] = m
	}
	return jsonBytes(HomeRowsFile, rows)
}

// homeCodes are the codes the home page lists for a category.
func (r *renderer) homeCodes(g *Group) []*Code {
	if f, ok := r.featured[g]; ok {
		return f
	}
	return g.Codes
}

// mostLinked returns the n codes of codes that most other codes of the
// site name as related (ties keep the site's order), in the site's order.
func (r *renderer) mostLinked(codes []*Code, n int) []*Code {
	if len(codes) <= n {
		return codes
	}
	inbound := map[*Code]int{}
	for _, c := range r.site.Codes {
		for _, o := range r.site.Related[c.Slug] {
			inbound[o]++
		}
	}
	order := make(map[*Code]int, len(codes))
	for i, c := range codes {
		order[c] = i
	}
	ranked := slices.Clone(codes)
	slices.SortStableFunc(ranked, func(a, b *Code) int { return inbound[b] - inbound[a] })
	top := ranked[:n]
	slices.SortFunc(top, func(a, b *Code) int { return order[a] - order[b] })
	return top
}

func (r *renderer) codePages() error {
	for _, c := range r.site.Codes {
		head := c.Code + " — " + c.Title
		// What the reader saw, then what to try: a search result or a
		// forum unfurl answers as well as it matches (the title is in
		// the page title already).
		desc := c.Title + "."
		if c.Message != "" {
			desc = "“" + c.Message + "”"
		}
		if a := rules.Advice("handling", c.Handling); a != "" {
			desc += " " + a
		}
		d := r.page("code", "codes/"+c.Slug+"/", r.siteTitle(head), head, desc)
		d.OGType = "article"
		d.Code = c
		d.Scripts = []string{"page.js"}
		d.Image = r.codeImage(c)
		d.JSONLD = r.structuredData(c, d.Description, d.Image)
		r.queueFill("codes/"+c.Slug+"/index.html", "code", d, true, func(d *pageData) {
			d.Reply, d.ReplyText = r.reply(d.Code)
			d.Sections = r.anchors(d.Code).Sections
		})
	}
	return nil
}

// kinds lists the non-empty groups of every kind, in the order the browse
// page shows them.
func (r *renderer) kinds() []groupKind {
	var ks []groupKind
	for _, k := range []struct {
		kind   string
		groups []*Group
	}{
		{"category", r.site.Categories},
		{"handling", r.site.Handlings},
		{"severity", r.site.Severities},
		{"platform", r.site.Platforms},
		{"subsystem", r.site.Subsystems},
	} {
		if gs := nonEmpty(k.groups); len(gs) > 0 {
			ks = append(ks, groupKind{Kind: k.kind, Groups: gs})
		}
	}
	return ks
}

func (r *renderer) listings() error {
	for _, k := range r.kinds() {
		for _, g := range k.Groups {
			rel := groupPath(g.Kind, g.ID)
			head := rules.Label("kind", g.Kind) + ": " + g.Label
			desc := g.Description
			if desc == "" {
				desc = fmt.Sprintf("Spotify error codes by %s: %s.", strings.ToLower(rules.Label("kind", g.Kind)), g.Label)
			}
			var siblings []*Group
			for _, o := range k.Groups {
				if o != g {
					siblings = append(siblings, o)
				}
			}
			total := (len(g.Codes) + ListingPageSize - 1) / ListingPageSize
			links := make([]pageLink, total)
			for i := range links {
				links[i] = pageLink{i + 1, r.base + listingPage(rel, i+1)}
			}
			for i := range total {
				n := i + 1
				title := head
				if total > 1 {
					title = fmt.Sprintf("%s (page %d of %d)", head, n, total)
				}
				d := r.page("listing", listingPage(rel, n), r.siteTitle(title), title, desc)
				d.Group = g
				d.Siblings = siblings
				d.Pager = &pager{Codes: g.Codes[i*ListingPageSize : min(len(g.Codes), n*ListingPageSize)], Number: n, Pages: links}
				if n > 1 {
					d.Prev = r.baseURL + listingPage(rel, n-1)
				}
				if n < total {
					d.Next = r.baseURL + listingPage(rel, n+1)
				}
				r.queue(listingPage(rel, n)+"index.html", "listing", d, true)
			}
		}
	}
	return nil
}

// listingPage is the address of page n of the listing at rel, relative
// to the base: rel itself for the first page, rel/page/n/ for the others.
func listingPage(rel string, n int) string {
	if n == 1 {
		return rel
	}
	return rel + "page/" + strconv.Itoa(n) + "/"
}

func (r *renderer) browse() error {
	d := r.page("browse", "browse/", r.siteTitle("Browse"), "Browse "+r.site.Config.Title,
		"Every code by category, what to try first, severity, platform and subsystem.")
	d.Kinds = r.kinds()
	r.queue("browse/index.html", "browse", d, true)
	return nil
}

// notFound plans 404.html and slugs.json, the map its script reads.
func (r *renderer) notFound() error {
	d := r.page("notfound", "404.html", r.siteTitle("Page not found"), "Page not found", r.site.Config.Description)
	// Served at every unknown path, it has no address of its own.
	d.Canonical = ""
	d.NoIndex = true
	d.Scripts = []string{"notfound.js"}
	r.queue("404.html", "notfound", d, false)
	r.out("slugs.json", func() ([]byte, error) { return jsonBytes("slugs.json", r.slugMap()) })
	return nil
}

// slugMap maps every slug a reader may type (a code's slug, its old
// slugs, its aliases when unambiguous) to the code's slug, for
// static/notfound.js, which sends readers of 404.html to the code. It is
// a file of its own, slugs.json, fetched by the 404 page: at 10,000
// codes it would weigh more than the page may.
func (r *renderer) slugMap() map[string]string {
	slugs := map[string]string{}
	for _, c := range r.site.Codes {
		slugs[c.Slug] = c.Slug
		slugs[rules.Slug(c.Code)] = c.Slug
	}
	for _, c := range r.site.Codes {
		for _, o := range c.OldSlugs {
			if _, taken := slugs[o]; !taken {
				slugs[o] = c.Slug
			}
		}
	}
	// Aliases ("error 4") are shared by nature; keep only those that
	// name one code.
	aliasOwner := map[string]string{}
	for _, c := range r.site.Codes {
		for _, a := range c.Aliases {
			s := rules.Slug(a)
			if s == "" {
				continue
			}
			if prev, ok := aliasOwner[s]; ok && prev != c.Slug {
				aliasOwner[s] = ""
			} else {
				aliasOwner[s] = c.Slug
			}
		}
	}
	for s, owner := range aliasOwner {
		if _, taken := slugs[s]; !taken && owner != "" {
			slugs[s] = owner
		}
	}
	return slugs
}

// redirects keeps links to renamed codes alive: codes/<old>/ sends the
// reader to the code's current page.
func (r *renderer) redirects() error {
	for _, c := range r.site.Codes {
		for _, old := range c.OldSlugs {
			if !rules.IsSlug(old) {
				return fmt.Errorf("render: %s: old slug %q is not lowercase letters, digits and single dashes", c.Code, old)
			}
			target := r.baseURL + "codes/" + c.Slug + "/"
			d := r.page("redirect", "codes/"+c.Slug+"/", r.siteTitle("Moved: "+c.Code), c.Code+" — "+c.Title, c.Message)
			d.Canonical = target
			d.Refresh = target
			// No noindex: with the canonical and an instant refresh it
			// would tell search engines two things; the page is already
			// left out of the sitemap.
			d.Scripts = []string{"redirect.js"}
			d.Code = c
			d.Image = r.codeImage(c)
			r.queue("codes/"+old+"/index.html", "redirect", d, false)
		}
	}
	return nil
}

// static copies every file of static/, minified by type.
func (r *renderer) static() error {
	return fs.WalkDir(r.assets, "static", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		// search.js differs with the layout of the search index.
		key := r.keys.key("static", p, strconv.FormatBool(len(r.opts.SearchParts) > 0))
		r.outKey(strings.TrimPrefix(p, "static/"), key, func() ([]byte, error) {
			b, err := fs.ReadFile(r.assets, p)
			if err != nil {
				return nil, err
			}
			// A whole search index needs none of search.js's code for
			// the split layout.
			if p == "static/search.js" && len(r.opts.SearchParts) == 0 {
				if b, err = search.WholeScript(b); err != nil {
					return nil, fmt.Errorf("render: %w", err)
				}
			}
			if mt, ok := minifyTypes[path.Ext(p)]; ok {
				if b, err = minifier.Bytes(mt, b); err != nil {
					return nil, fmt.Errorf("render: minifying %s: %w", p, err)
				}
			}
			return b, nil
		})
		return nil
	})
}

var minifyTypes = map[string]string{
	".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml",
	".json": "application/json", ".xml": "text/xml", ".html": "text/html",
}

// minifier is configured once. The HTML minifier keeps document tags, end
// tags and attribute quotes: the bytes saved are few once gzipped, and the
// output stays easy to read and to check.
var minifier = func() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$`), js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}()
