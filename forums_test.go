package errref

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/errref/errref/internal/card"
	"github.com/errref/errref/internal/rules"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// The tests of what a code page gives forums and chats (issue 13): the
// card behind every link, the anchors, the reply and the structured data.

// TestOpenGraphImages checks every page's og:image: an absolute URL under
// the site's address that names a PNG of the build, of the size the page
// declares, with a text; and the large card for Twitter's kind of unfurl.
// Code pages show their own card, other pages the site's.
func TestOpenGraphImages(t *testing.T) {
	site := loadRealSite(t)
	for _, base := range []string{"https://example.org/repo/", "https://example.org/"} {
		t.Run(base, func(t *testing.T) {
			files := renderReal(t, site, base)
			pages := 0
			for _, name := range sortedKeys(files) {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				pages++
				meta := map[string]string{}
				for _, e := range parseHTML(t, name, files[name]) {
					if e.tag == "meta" {
						meta[e.attrs["property"]+e.attrs["name"]] = e.attrs["content"]
					}
				}
				img := meta["og:image"]
				rel, ok := strings.CutPrefix(img, base)
				if !ok {
					t.Errorf("%s: og:image %q is not an absolute URL under %s", name, img, base)
					continue
				}
				data, ok := files[rel]
				if !ok {
					t.Errorf("%s: og:image %s is not a file of the build", name, img)
					continue
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: og:image %s is not a PNG: %v", name, rel, err)
					continue
				}
				if w, h := fmt.Sprint(cfg.Width), fmt.Sprint(cfg.Height); meta["og:image:width"] != w || meta["og:image:height"] != h {
					t.Errorf("%s: og:image is %sx%s, the page declares %sx%s", name, w, h, meta["og:image:width"], meta["og:image:height"])
				}
				if len(data) > card.MaxBytes {
					t.Errorf("%s: %s weighs %d bytes, over %d", name, rel, len(data), card.MaxBytes)
				}
				if meta["og:image:alt"] == "" || meta["twitter:image:alt"] != meta["og:image:alt"] {
					t.Errorf("%s: og:image:alt %q, twitter:image:alt %q: want the same text in both", name, meta["og:image:alt"], meta["twitter:image:alt"])
				}
				if meta["twitter:card"] != "summary_large_image" {
					t.Errorf("%s: twitter:card %q, want summary_large_image", name, meta["twitter:card"])
				}
				if slug, ok := strings.CutPrefix(name, "codes/"); ok {
					c := site.BySlug[strings.TrimSuffix(slug, "/index.html")]
					if c != nil && rel != codeCardPath(c) {
						t.Errorf("%s: og:image %s, want the code's own card %s", name, rel, codeCardPath(c))
					}
					if c != nil && !strings.Contains(meta["og:image:alt"], c.Title) {
						t.Errorf("%s: og:image:alt %q does not say the title", name, meta["og:image:alt"])
					}
				} else if rel != siteCardPath {
					t.Errorf("%s: og:image %s, want the site's card", name, rel)
				}
			}
			if pages < len(site.Codes) {
				t.Errorf("checked %d pages, fewer than the codes", pages)
			}
		})
	}
}

// TestStructuredData parses every JSON-LD block of the site and checks
// what search engines require of a TechArticle and a BreadcrumbList, and
// that it agrees with the page.
func TestStructuredData(t *testing.T) {
	site := loadRealSite(t)
	base := "https://example.org/repo/"
	files := renderReal(t, site, base)
	blocks := 0
	for _, name := range sortedKeys(files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		var lds []string
		meta := map[string]string{}
		canonical := ""
		for _, e := range parseHTML(t, name, files[name]) {
			switch {
			case e.tag == "script" && e.attrs["type"] == "application/ld+json":
				lds = append(lds, e.text)
			case e.tag == "meta":
				meta[e.attrs["property"]] = e.attrs["content"]
			case e.tag == "link" && e.attrs["rel"] == "canonical":
				canonical = e.attrs["href"]
			}
		}
		slug, isCode := strings.CutPrefix(name, "codes/")
		c := site.BySlug[strings.TrimSuffix(slug, "/index.html")]
		if !isCode || c == nil || canonical != base+"codes/"+c.Slug+"/" {
			if len(lds) > 0 {
				t.Errorf("%s: JSON-LD on a page that is no code's page", name)
			}
			continue
		}
		if len(lds) != 1 {
			t.Errorf("%s: %d JSON-LD blocks, want 1", name, len(lds))
			continue
		}
		blocks++
		if strings.Contains(lds[0], "<") {
			t.Errorf("%s: the JSON-LD block holds a raw '<'", name)
		}
		var items []map[string]any
		if err := json.Unmarshal([]byte(lds[0]), &items); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v", name, err)
			continue
		}
		byType := map[string]map[string]any{}
		for _, it := range items {
			if it["@context"] != "https://schema.org" {
				t.Errorf("%s: @context %v", name, it["@context"])
			}
			byType[fmt.Sprint(it["@type"])] = it
		}
		a, b := byType["TechArticle"], byType["BreadcrumbList"]
		if a == nil || b == nil || len(items) != 2 {
			t.Errorf("%s: JSON-LD types %v, want a TechArticle and a BreadcrumbList", name, sortedKeys(byType))
			continue
		}
		want := map[string]any{
			"identifier": c.Code, "url": canonical, "inLanguage": "en",
			"datePublished": c.Added, "dateModified": c.Reviewed, "description": meta["og:description"],
			"license": ContentLicense.URL,
		}
		for k, v := range want {
			if a[k] != v {
				t.Errorf("%s: TechArticle %s = %v, want %v", name, k, a[k], v)
			}
		}
		if h, _ := a["headline"].(string); h == "" || len([]rune(h)) > 110 || !strings.HasPrefix(h, c.Code) {
			t.Errorf("%s: headline %q: want the code first, at most 110 characters", name, h)
		}
		img, _ := a["image"].(map[string]any)
		if img["url"] != meta["og:image"] || img["width"] != float64(card.Width) || img["height"] != float64(card.Height) {
			t.Errorf("%s: TechArticle image %v, want the og:image %s at %dx%d", name, img, meta["og:image"], card.Width, card.Height)
		}
		if part, _ := a["isPartOf"].(map[string]any); part["url"] != base || part["name"] != site.Config.Title {
			t.Errorf("%s: isPartOf %v", name, part)
		}
		if cites, _ := a["citation"].([]any); len(cites) != len(c.Sources) {
			t.Errorf("%s: %d citations, %d sources", name, len(cites), len(c.Sources))
		}
		list, _ := b["itemListElement"].([]any)
		if len(list) != 3 {
			t.Errorf("%s: %d breadcrumbs, want Home, the category and the code", name, len(list))
			continue
		}
		for i, x := range list {
			it, _ := x.(map[string]any)
			u, _ := it["item"].(string)
			rel, under := strings.CutPrefix(u, base)
			if it["@type"] != "ListItem" || it["position"] != float64(i+1) || it["name"] == "" || !under {
				t.Errorf("%s: breadcrumb %d is %v", name, i+1, it)
				continue
			}
			if _, ok := files[rel+"index.html"]; !ok {
				t.Errorf("%s: breadcrumb %d links to %s, which is no page", name, i+1, u)
			}
		}
		if last, _ := list[2].(map[string]any); last["item"] != canonical || last["name"] != c.Code {
			t.Errorf("%s: the last breadcrumb %v is not the page", name, last)
		}
	}
	if blocks != len(site.Codes) {
		t.Errorf("%d code pages with JSON-LD, want %d", blocks, len(site.Codes))
	}
}

// TestAnchors checks that every section, cause and step of a code page has
// the id its API record lists, in order, with a link to itself.
func TestAnchors(t *testing.T) {
	site := loadRealSite(t)
	files := renderReal(t, site, "https://example.org/repo/")
	part := regexp.MustCompile(`^(cause|fix)-\d+$`)
	for _, c := range site.Codes {
		name := "codes/" + c.Slug + "/index.html"
		var got Anchors
		selfs := map[string]bool{}
		for _, e := range parseHTML(t, name, files[name]) {
			id := e.attrs["id"]
			switch {
			case e.tag == "h2" && id != "":
				got.Sections = append(got.Sections, id)
			case e.tag == "li" && part.MatchString(id):
				if strings.HasPrefix(id, "cause-") {
					got.Causes = append(got.Causes, id)
				} else {
					got.Resolution = append(got.Resolution, id)
				}
			case e.tag == "a" && e.attrs["class"] == "self":
				selfs[strings.TrimPrefix(e.attrs["href"], "#")] = true
			}
		}
		var api APICode
		if err := json.Unmarshal(files["api/v1/codes/"+c.Slug+".json"], &api); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(api.Anchors) {
			t.Errorf("%s: the page's ids are %v, its API record lists %v", c.Code, got, api.Anchors)
		}
		if len(got.Causes) != len(c.Causes) || len(got.Resolution) != len(c.Resolution) {
			t.Errorf("%s: %d cause and %d step ids for %d causes and %d steps", c.Code, len(got.Causes), len(got.Resolution), len(c.Causes), len(c.Resolution))
		}
		for i, id := range got.Resolution {
			if id != fmt.Sprintf("fix-%d", i+1) {
				t.Errorf("%s: step %d has id %q", c.Code, i+1, id)
			}
		}
		for _, ids := range [][]string{got.Sections, got.Causes, got.Resolution} {
			for _, id := range ids {
				if !selfs[id] {
					t.Errorf("%s: #%s has no link to itself", c.Code, id)
				}
			}
		}
	}
}

// TestReply checks the answer a code page copies: its Markdown parses as
// one bold title, the quoted message, what to try first, a list of every
// step and the link (as Reddit, Discourse and GitHub read CommonMark); the
// plain text has no Markdown marks; both are the buttons' text.
func TestReply(t *testing.T) {
	site := loadRealSite(t)
	base := "https://example.org/repo/"
	files := renderReal(t, site, base)
	r, err := newRenderer(site, RenderOptions{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range site.Codes {
		md, plain := r.reply(c)
		page := base + "codes/" + c.Slug + "/"

		src := []byte(md)
		doc := markdown.Parser().Parse(text.NewReader(src))
		var kinds []string
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			kinds = append(kinds, n.Kind().String())
		}
		want := []string{"Paragraph", "Blockquote", "Paragraph", "List", "Paragraph"}
		if c.Message == "" {
			want = append(want[:1], want[2:]...)
		}
		if fmt.Sprint(kinds) != fmt.Sprint(want) {
			t.Errorf("%s: the reply parses as %v, want %v:\n%s", c.Code, kinds, want, md)
			continue
		}
		if s, ok := doc.FirstChild().FirstChild().(*ast.Emphasis); !ok || s.Level != 2 {
			t.Errorf("%s: the reply does not start with the title in bold:\n%s", c.Code, md)
		}
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if l, ok := n.(*ast.List); ok && (!l.IsOrdered() || l.ChildCount() != len(c.Resolution)) {
				t.Errorf("%s: the reply's list has %d items (ordered %v), want the %d steps", c.Code, l.ChildCount(), l.IsOrdered(), len(c.Resolution))
			}
		}
		for _, s := range []string{"`" + c.Code + "`", "Try first: **" + rules.Label("handling", c.Handling) + ".**", page} {
			if !strings.Contains(md, s) {
				t.Errorf("%s: the reply lacks %q:\n%s", c.Code, s, md)
			}
		}
		if c.Message != "" && !strings.Contains(md, "> "+mdText(c.Message)+"\n") {
			t.Errorf("%s: the reply does not quote the message:\n%s", c.Code, md)
		}
		for _, mark := range []string{"**", "`", "](", "> "} {
			if strings.Contains(plain, mark) {
				t.Errorf("%s: the plain reply has Markdown %q:\n%s", c.Code, mark, plain)
			}
		}
		if !strings.HasPrefix(plain, c.Code+" — "+c.Title+"\n") || !strings.Contains(plain, "\n1. ") || !strings.HasSuffix(plain, page+"\n") {
			t.Errorf("%s: the plain reply lacks the title, the steps or the link:\n%s", c.Code, plain)
		}

		copies := map[string]bool{}
		for _, e := range parseHTML(t, c.Slug, files["codes/"+c.Slug+"/index.html"]) {
			if e.tag == "button" {
				copies[e.attrs["data-copy"]] = true
			}
		}
		if !copies[md] || !copies[plain] {
			t.Errorf("%s: the page's buttons do not carry the reply (Markdown %v, plain %v)", c.Code, copies[md], copies[plain])
		}
	}
}

// TestReplyLinks: a reply is pasted on another site, where a relative
// link (which CONTRIBUTING recommends for linking to another code) would
// lead nowhere, so the reply carries every link as an absolute address.
func TestReplyLinks(t *testing.T) {
	site := loadRealSite(t)
	r, err := newRenderer(site, RenderOptions{BaseURL: "https://example.org/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	c := *site.Codes[0]
	c.Resolution = []string{
		"See [the other code](../auth-2/) and [its second step](../auth-2/#fix-2), then [step 1](#fix-1).",
		"Or [the list](<../../category/login/>) and <https://x.example/a>.",
	}
	page := "https://example.org/repo/codes/" + c.Slug + "/"
	md, plain := r.reply(&c)
	for _, want := range []string{
		"[the other code](https://example.org/repo/codes/auth-2/)",
		"[its second step](https://example.org/repo/codes/auth-2/#fix-2)",
		"[step 1](" + page + "#fix-1)",
		"[the list](<https://example.org/repo/category/login/>)",
		"<https://x.example/a>",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown reply lacks %q:\n%s", want, md)
		}
	}
	for _, want := range []string{
		"the other code (https://example.org/repo/codes/auth-2/)",
		"step 1 (" + page + "#fix-1)",
		"the list (https://example.org/repo/category/login/)",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("the plain reply lacks %q:\n%s", want, plain)
		}
	}
}

func TestPlainInline(t *testing.T) {
	for in, want := range map[string]string{
		"Open **Settings → Advanced** and run `ipconfig /flushdns`.":                 "Open Settings → Advanced and run ipconfig /flushdns.",
		"See [the status page](https://status.example.com/) or <https://x.example/>": "See the status page (https://status.example.com/) or https://x.example/",
		"A *soft*\nline break":                     "A soft line break",
		"[https://a.example/](https://a.example/)": "https://a.example/",
		"Keep <b>tags</b> as typed":                "Keep <b>tags</b> as typed",
	} {
		if got := plainInline(in, nil); got != want {
			t.Errorf("plainInline(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCardAccents keeps the cards' severity colours those of the dark
// theme, whose background the cards share.
func TestCardAccents(t *testing.T) {
	css, err := fs.ReadFile(Assets, "static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	i := strings.Index(s, `:root[data-theme="dark"] {`)
	if i < 0 {
		t.Fatal("style.css has no dark theme block")
	}
	s = s[i:]
	s = s[:strings.IndexByte(s, '}')]
	hex := func(v string) string {
		m := regexp.MustCompile(`--` + v + `:\s*(#[0-9a-f]{6})`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("the dark theme has no --%s", v)
		}
		return m[1]
	}
	for sev, c := range severityAccents {
		if got, want := fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B), hex(sev); got != want {
			t.Errorf("the %s card's accent is %s, the dark theme's --%s is %s", sev, got, sev, want)
		}
	}
	for _, c := range []struct {
		name string
		got  [3]uint8
	}{
		{"bg", [3]uint8{card.Background.R, card.Background.G, card.Background.B}},
		{"fg", [3]uint8{card.Foreground.R, card.Foreground.G, card.Foreground.B}},
		{"muted", [3]uint8{card.Muted.R, card.Muted.G, card.Muted.B}},
		{"link", [3]uint8{card.CodeColour.R, card.CodeColour.G, card.CodeColour.B}},
		{"link", [3]uint8{siteAccent.R, siteAccent.G, siteAccent.B}},
	} {
		if got, want := fmt.Sprintf("#%02x%02x%02x", c.got[0], c.got[1], c.got[2]), hex(c.name); got != want {
			t.Errorf("the card's %s is %s, the dark theme's is %s", c.name, got, want)
		}
	}
}

// TestCardsSkippedWhenUnchanged builds twice with one card cache, as
// errref serve does: the second build draws only the card whose code
// changed, and hands out the same bytes for the others.
func TestCardsSkippedWhenUnchanged(t *testing.T) {
	fsys := syntheticFS(t, 12)
	cache := card.NewCache()
	first, err := Build(fsys, BuildOptions{Cards: cache})
	if err != nil {
		t.Fatal(err)
	}
	if n := cache.Sweep(); n != len(first.Site.Codes)+1 {
		t.Errorf("the cache keeps %d cards after the first build, want %d (the codes and the site)", n, len(first.Site.Codes)+1)
	}
	changed := first.Site.Codes[3]
	file := fsys["codes/"+changed.Slug+".yaml"]
	edited := bytes.Replace(file.Data, []byte(changed.Title), []byte("A title edited in the editor"), 1)
	if bytes.Equal(edited, file.Data) {
		t.Fatal("the test could not edit the title")
	}
	fsys2 := fstest.MapFS{}
	for k, v := range fsys {
		fsys2[k] = v
	}
	fsys2["codes/"+changed.Slug+".yaml"] = &fstest.MapFile{Data: edited}
	second, err := Build(fsys2, BuildOptions{Cards: cache})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range first.Site.Codes {
		a, b := first.Files[codeCardPath(c)], second.Files[codeCardPath(c)]
		same := len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
		if c.Slug == changed.Slug && (same || bytes.Equal(a, b)) {
			t.Errorf("%s: the card of the edited code was not drawn again", c.Code)
		}
		if c.Slug != changed.Slug && !same {
			t.Errorf("%s: an unchanged card was drawn again", c.Code)
		}
	}
	if n := cache.Sweep(); n != len(second.Site.Codes)+1 {
		t.Errorf("the cache keeps %d cards after the second build, want %d (the codes and the site)", n, len(second.Site.Codes)+1)
	}
}

// TestReplyEscapes: the reply shows a title or a message as typed,
// whatever Markdown's own characters are in it, inside the bold too.
func TestReplyEscapes(t *testing.T) {
	site := loadRealSite(t)
	r, err := newRenderer(site, RenderOptions{BaseURL: "https://example.org/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	c := *site.Codes[0]
	for _, tc := range []struct{ title, message string }{
		{"Use *any* _device_, ~~now~~ &amp; <b>`x`</b> [a](b) snake_case", "1. Open *Settings* – _then_ ~retry~ & go"},
		{"**Bold** and __more__", "# Not a heading"},
		{"Ends with a star*", "- not a list"},
		{"&#42; entity", "+ 2) neither"},
	} {
		c.Title, c.Message = tc.title, tc.message
		md, _ := r.reply(&c)
		var out bytes.Buffer
		if err := markdown.Convert([]byte(md), &out); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
		for _, want := range []string{
			"<p><strong><code>" + c.Code + "</code> — " + esc(c.Title) + "</strong></p>\n",
			"<blockquote>\n<p>" + esc(c.Message) + "</p>\n</blockquote>\n",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the reply renders without %q:\n%s\nfrom:\n%s", want, got, md)
			}
		}
	}
}

// TestReplyLinksCodes: a step's code span that names another code links
// to that code's page in the Markdown reply, as it does on the page; the
// plain reply is left as text.
func TestReplyLinksCodes(t *testing.T) {
	site := loadRealSite(t)
	base := "https://example.org/repo/"
	r, err := newRenderer(site, RenderOptions{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"accounts:3", "accounts:4"} {
		if site.ByCode[code] == nil {
			t.Fatalf("the test names %s, which the corpus no longer has", code)
		}
	}
	var c Code
	for _, x := range site.Codes {
		if x.Code != "accounts:3" && x.Code != "accounts:4" {
			c = *x
			break
		}
	}
	c.Resolution = []string{
		"See `accounts:4` (not `" + c.Code + "` or `nope:9`), [`accounts:4`](../accounts-4/#fix-1), or Error!`accounts:3`.",
		"Plain.",
	}
	md, plain := r.reply(&c)
	src := []byte(md)
	var links []string
	_ = ast.Walk(markdown.Parser().Parse(text.NewReader(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Link:
			if entering {
				links = append(links, string(n.Destination))
			}
		case *ast.Image:
			t.Errorf("the reply has an image: %s", md)
		}
		return ast.WalkContinue, nil
	})
	want := []string{base + "codes/accounts-4/", base + "codes/accounts-4/#fix-1", base + "codes/accounts-3/"}
	if !slices.Equal(links, want) {
		t.Errorf("the reply links to %q, want %q (the other codes, once each; not itself or a code the site lacks):\n%s", links, want, md)
	}
	if !strings.Contains(plain, "1. See accounts:4 (not "+c.Code+" or nope:9), accounts:4 ("+base+"codes/accounts-4/#fix-1), or Error!accounts:3.\n") {
		t.Errorf("the plain reply's first step changed:\n%s", plain)
	}
}
