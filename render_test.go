package errref

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	tparse "text/template/parse"

	"github.com/errref/errref/internal/rules"

	"github.com/dop251/goja"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/html"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// loadFixture loads a site folder (site.yaml and codes/) and builds its
// model. Load problems fail the test; validation is the caller's business
// (the hostile corpus is invalid on purpose).
func loadFixture(t testing.TB, dir string) *Site {
	t.Helper()
	in, probs := Load(os.DirFS(dir))
	if probs.HasErrors() {
		t.Fatalf("loading %s:\n%v", dir, probs)
	}
	if len(in.Codes) == 0 {
		t.Fatalf("loading %s: no codes", dir)
	}
	return NewSite(in)
}

// stubSearchAssets is the embedded assets with a fixed search template, so
// that golden files change only when this renderer does, not when the
// search box (another file's concern) does.
func stubSearchAssets(t testing.TB) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Assets, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m["templates/search.html"] = &fstest.MapFile{Data: []byte(
		`{{define "search"}}<form role="search" action="{{.Base}}"><input type="search" name="q" aria-label="Search"></form>{{end}}`)}
	return m
}

func mustRender(t testing.TB, site *Site, opts RenderOptions) map[string][]byte {
	t.Helper()
	files, err := Render(site, opts)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return files
}

// goldenFiles are the outputs checked byte for byte: one of each kind of
// page, the sitemap (with each page's lastmod), the feed, llms-full.txt
// and one API document.
var goldenFiles = []string{
	"index.html",
	"codes/auth-1/index.html",
	"category/login/index.html",
	"404.html",
	"sitemap.xml",
	"feed.xml",
	"llms-full.txt",
	"api/v1/codes/auth-1.json",
}

// TestGolden renders testdata/render and compares pages with
// testdata/golden. Run with -update to rewrite them after a deliberate
// change, then review the diff.
func TestGolden(t *testing.T) {
	// The fixture goes through every stage before rendering, site.yaml
	// included, as errref build reads it: a golden file of input that
	// check refuses would pin output no site can have.
	site, probs, err := LoadSite(os.DirFS("testdata/render"))
	if err != nil {
		t.Fatalf("the render fixture should be valid:\n%v", probs)
	}
	files := mustRender(t, site, RenderOptions{
		BaseURL:     "https://example.org/repo/",
		SearchIndex: []byte(`{"fixture":true}`),
		Assets:      stubSearchAssets(t),
	})
	for _, name := range goldenFiles {
		got, ok := files[name]
		if !ok {
			t.Errorf("%s was not rendered", name)
			continue
		}
		got = readable(name, got)
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "_"))
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -run TestGolden -update rewrites it):\n%s", name, golden, lineDiff(string(want), string(got)))
		}
	}
}

// readable breaks minified output into lines (one tag or JSON member per
// line) so that golden files can be reviewed and diffs are short.
func readable(name string, b []byte) []byte {
	if strings.HasSuffix(name, ".json") {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err == nil {
			return out.Bytes()
		}
		return b
	}
	s := strings.ReplaceAll(string(b), "><", ">\n<")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s)
}

// lineDiff shows the first difference between two texts with a few lines
// of context, which is enough to see what changed in a golden file.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	lo := max(0, i-3)
	fmt.Fprintf(&b, "first difference at line %d (want %d lines, got %d)\n", i+1, len(w), len(g))
	for j := lo; j < min(len(w), i+4); j++ {
		if j >= i {
			fmt.Fprintf(&b, "- %s\n", w[j])
		} else {
			fmt.Fprintf(&b, "  %s\n", w[j])
		}
	}
	for j := i; j < min(len(g), i+4); j++ {
		fmt.Fprintf(&b, "+ %s\n", g[j])
	}
	return b.String()
}

func TestRenderDeterministic(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	opts := RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}"), Assets: stubSearchAssets(t)}
	a := mustRender(t, site, opts)
	// A fresh model from a fresh load: nothing may depend on map order or
	// on state left over from the first rendering.
	b := mustRender(t, loadFixture(t, "testdata/render"), opts)
	if len(a) != len(b) {
		t.Fatalf("first rendering has %d files, second %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two renderings of the same input", name)
		}
	}
}

// element is one start tag of a rendered page.
type element struct {
	tag   string
	attrs map[string]string
	text  string // for <script> and <title>: the text inside
}

// parseHTML lists the start tags of an HTML document with their
// attributes, using a real tokenizer so that text which merely looks like
// markup (an escaped "<script>" in a message) is not mistaken for a tag.
func parseHTML(t testing.TB, name string, doc []byte) []element {
	t.Helper()
	l := html.NewLexer(parse.NewInputBytes(doc))
	var els []element
	var cur *element
	for {
		tt, data := l.Next()
		switch tt {
		case html.ErrorToken:
			if l.Err() != nil && l.Err().Error() != "EOF" {
				t.Fatalf("%s: %v", name, l.Err())
			}
			return els
		case html.StartTagToken:
			els = append(els, element{tag: strings.ToLower(string(l.Text())), attrs: map[string]string{}})
			cur = &els[len(els)-1]
		case html.AttributeToken:
			if cur != nil {
				v := l.AttrVal()
				if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
					v = v[1 : len(v)-1]
				}
				cur.attrs[strings.ToLower(string(l.AttrKey()))] = htmlUnescape(string(v))
			}
		case html.TextToken:
			if len(els) > 0 && (els[len(els)-1].tag == "script" || els[len(els)-1].tag == "title") && els[len(els)-1].text == "" {
				els[len(els)-1].text = string(data)
			}
		case html.StartTagCloseToken, html.StartTagVoidToken:
			cur = nil
		}
	}
}

// htmlUnescape resolves the few references the renderer and minifier
// produce in attribute values.
func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&quot;", `"`, "&#39;", "'").Replace(s)
}

// ownScripts are the scripts the site's pages may load.
var ownScripts = map[string]bool{"theme.js": true, "app.js": true, "page.js": true, "notfound.js": true, "redirect.js": true}

func TestHostileContentIsInert(t *testing.T) {
	site := loadFixture(t, "testdata/hostile")
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}"), Assets: stubSearchAssets(t)})
	var sawTemplateText, sawScriptText bool
	for _, name := range sortedKeys(files) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc := files[name]
		for _, e := range parseHTML(t, name, doc) {
			for k, v := range e.attrs {
				if strings.HasPrefix(k, "on") {
					t.Errorf("%s: <%s> has an event handler attribute %s=%q", name, e.tag, k, v)
				}
				if (k == "href" || k == "src" || k == "action") && rules.ClassifyLink(v) == rules.LinkRefused {
					t.Errorf("%s: <%s %s=%q> points at a refused scheme", name, e.tag, k, v)
				}
			}
			switch e.tag {
			case "script":
				src := strings.TrimPrefix(e.attrs["src"], "/repo/")
				if typ := e.attrs["type"]; typ == "application/json" || typ == "application/ld+json" {
					if !json.Valid([]byte(e.text)) {
						t.Errorf("%s: JSON data block is not valid JSON: %s", name, e.text)
					}
				} else if !ownScripts[src] {
					t.Errorf("%s: unexpected script element %v %q", name, e.attrs, e.text)
				}
			case "img", "iframe", "object", "embed", "form":
				if e.tag == "img" && e.attrs["src"] == "/repo/favicon.svg" || e.tag == "form" && e.attrs["role"] == "search" {
					continue
				}
				t.Errorf("%s: hostile content produced a <%s> element: %v", name, e.tag, e.attrs)
			}
		}
		text := string(doc)
		// The template syntax shows up as the literal text it is.
		if strings.Contains(text, "{{.Config}}") && strings.Contains(text, `{{template "x"}}`) {
			sawTemplateText = true
		}
		if strings.Contains(text, "&lt;script>alert(1)&lt;/script>") {
			sawScriptText = true
		}
	}
	if !sawTemplateText {
		t.Error("template syntax in fields was not rendered as literal text anywhere")
	}
	if !sawScriptText {
		t.Error("a <script> tag in a field was not shown as escaped text anywhere")
	}
	// The code page shows every hostile field; check a few by their
	// visible text so that nothing was silently dropped.
	page := string(files["codes/auth-1/index.html"])
	for _, want := range []string{
		"&lt;img src=x onerror=alert(1)>", // raw HTML in causes, shown as text
		`{{template "x"}}`,
		`">x <a class="self"`, // [x](javascript:…) in a step becomes its text
		`<a href="https://example.com/" rel="noopener">ok</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("codes/auth-1/index.html lacks %q", want)
		}
	}
}

// TestLLMsLinksAreSafe reads llms.txt as the Markdown it is: a title with
// brackets or a link of its own must stay inside the one link per code,
// which points at that code's page.
func TestLLMsLinksAreSafe(t *testing.T) {
	site := loadFixture(t, "testdata/hostile")
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}"), Assets: stubSearchAssets(t)})
	links := func(src []byte) (dests []string, html int) {
		doc := goldmark.New().Parser().Parse(text.NewReader(src))
		ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n := n.(type) {
			case *ast.Link:
				if entering {
					dests = append(dests, string(n.Destination))
				}
			case *ast.RawHTML, *ast.HTMLBlock, *ast.AutoLink:
				html++
			}
			return ast.WalkContinue, nil
		})
		return dests, html
	}
	src := files["llms.txt"]
	dests, html := links(src)
	if html > 0 {
		t.Errorf("llms.txt has %d raw HTML or autolink nodes; plain text must be escaped\n%s", html, src)
	}
	var want []string
	for _, c := range site.Codes {
		want = append(want, "https://example.org/repo/codes/"+c.Slug+"/")
	}
	if !slices.Equal(dests, want) {
		t.Errorf("llms.txt links = %q, want one per code %q\n%s", dests, want, src)
	}
	// llms-full.txt carries causes, steps and notes as the Markdown they
	// are (the validator keeps them safe; this fixture is not validated);
	// the plain-text lines around them must not make links or HTML.
	n := 0
	for _, line := range strings.Split(string(files["llms-full.txt"]), "\n") {
		for _, prefix := range []string{"# ", "## ", "### ", "Message: ", "Also searched as: ", "Related: "} {
			if strings.HasPrefix(line, prefix) {
				n++
				if dests, html := links([]byte(line)); len(dests)+html > 0 {
					t.Errorf("llms-full.txt: %q makes %d links and %d HTML nodes", line, len(dests), html)
				}
			}
		}
	}
	if n < 2*len(site.Codes) {
		t.Errorf("llms-full.txt: found %d plain-text lines to check, want at least %d", n, 2*len(site.Codes))
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name   string
		src    string
		inline bool
		want   string
	}{
		{"inline strips the paragraph", "Run `ipconfig /flushdns` **now**.", true,
			"Run <code>ipconfig /flushdns</code> <strong>now</strong>."},
		{"block keeps the paragraph", "One.", false, "<p>One.</p>"},
		{"external link gets noopener", "[status](https://status.example.com/)", true,
			`<a href="https://status.example.com/" rel="noopener">status</a>`},
		{"local link stays plain", "[auth:1](../auth-1/)", true, `<a href="../auth-1/">auth:1</a>`},
		{"mailto is kept", "<mailto:a@example.com>", true, `<a href="mailto:a@example.com">mailto:a@example.com</a>`},
		{"linkified URL gets noopener", "see https://example.com/x", true,
			`see <a href="https://example.com/x" rel="noopener">https://example.com/x</a>`},
		{"javascript link is text", "[x](javascript:alert(1))", true, "x"},
		{"upper-case scheme is text", "[x](JaVaScRiPt:alert(1))", true, "x"},
		{"entity in scheme is text", "[x](java&#9;script:alert(1))", true, "x"},
		{"vbscript link is text", "[x](vbscript:msgbox)", true, "x"},
		{"data link is text", "[x](data:text/html;base64,PHNjcmlwdD4=)", true, "x"},
		{"javascript autolink is text", "<javascript:alert(1)>", true, "javascript:alert(1)"},
		{"image is its alt text", "![logo](https://evil.example/x.png)", true, "logo"},
		{"inline raw HTML is escaped", "a <b onclick=x>b</b>", true, "a &lt;b onclick=x&gt;b&lt;/b&gt;"},
		{"HTML block is escaped", "<script>alert(1)</script>", false, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"template syntax is text", `{{.Config}} {{template "x"}}`, true, `{{.Config}} {{template &quot;x&quot;}}`},
		{"headings start at h3", "# Title", false, "<h3>Title</h3>"},
		{"fenced code", "```\nsc start netprofm\n```", false, "<pre><code>sc start netprofm\n</code></pre>"},
		{"table", "| a | b |\n| - | - |\n| 1 | 2 |", false,
			"<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"},
		{"list in a note", "- one\n- two", false, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := renderMarkdown(tc.src, tc.inline, nil)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("renderMarkdown(%q, %v)\n got %q\nwant %q", tc.src, tc.inline, got, tc.want)
			}
		})
	}
}

func TestRenderOptionsErrors(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	for _, base := range []string{"", "/repo/", "example.org/repo/", "ftp://example.org/", "https://example.org/?q=1"} {
		if _, err := Render(site, RenderOptions{BaseURL: base, Assets: stubSearchAssets(t)}); err == nil {
			t.Errorf("Render with base URL %q: no error", base)
		}
	}
	// A base URL without its final slash still gives links under it.
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo", Assets: stubSearchAssets(t)})
	if !bytes.Contains(files["index.html"], []byte(`href="/repo/style.css"`)) {
		t.Error("base URL without a final slash: style sheet not linked under /repo/")
	}

	// A broken template is an error, not a panic, and nothing is rendered.
	broken := stubSearchAssets(t).(fstest.MapFS)
	broken["templates/code.html"] = &fstest.MapFile{Data: []byte(`{{define "code"}}{{.Nope}`)}
	if files, err := Render(site, RenderOptions{BaseURL: "https://example.org/", Assets: broken}); err == nil || files != nil {
		t.Errorf("broken template: err = %v, %d files", err, len(files))
	}
	// So is a template that fails while executing.
	broken["templates/code.html"] = &fstest.MapFile{Data: []byte(`{{define "code"}}{{.Code.Nope}}{{end}}`)}
	if _, err := Render(site, RenderOptions{BaseURL: "https://example.org/", Assets: broken}); err == nil || !strings.Contains(err.Error(), "codes/") {
		t.Errorf("template failing at execution: err = %v, want one naming the page", err)
	}
	// And a missing one.
	delete(broken, "templates/code.html")
	if _, err := Render(site, RenderOptions{BaseURL: "https://example.org/", Assets: broken}); err == nil || !strings.Contains(err.Error(), `"code"`) {
		t.Errorf("missing template: err = %v", err)
	}
}

func TestRedirectsAndNotFound(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo/", Assets: stubSearchAssets(t)})
	red := string(files["codes/auth-one/index.html"])
	for _, want := range []string{
		`<meta http-equiv="refresh" content="0; url=https://example.org/repo/codes/auth-1/">`,
		`<link rel="canonical" href="https://example.org/repo/codes/auth-1/">`,
		`<a href="/repo/codes/auth-1/">`,
		`<script src="/repo/redirect.js" defer></script>`,
	} {
		if !strings.Contains(red, want) {
			t.Errorf("redirect page lacks %s", want)
		}
	}
	// noindex beside a canonical link sends search engines two signals.
	if strings.Contains(red, "noindex") {
		t.Error("redirect page has noindex; its canonical link and refresh already say where the code went")
	}
	// The 404 page's slug map covers codes, old slugs and unambiguous
	// aliases.
	var slugs map[string]string
	if err := json.Unmarshal(files["slugs.json"], &slugs); err != nil {
		t.Fatalf("slug map: %v", err)
	}
	for from, to := range map[string]string{
		"auth-1": "auth-1", "auth-one": "auth-1", "error-1": "auth-1",
		"desktop-login-accounts-5": "desktop-login-accounts-5",
	} {
		if slugs[from] != to {
			t.Errorf("404 slug map: %q -> %q, want %q", from, slugs[from], to)
		}
	}

	// An old slug that is some code's current slug cannot be a redirect.
	clash := loadFixture(t, "testdata/render")
	clash.BySlug["auth-2"].OldSlugs = []string{"auth-1"}
	if _, err := Render(clash, RenderOptions{BaseURL: "https://example.org/", Assets: stubSearchAssets(t)}); err == nil {
		t.Error("an old slug equal to another code's slug rendered without error")
	}
}

// TestContrast checks the colour pairs of style.css against WCAG AA
// (4.5:1 for text) in both themes, and that the dark theme is the same
// whether it comes from the system setting or from the toggle.
func TestContrast(t *testing.T) {
	css, err := fs.ReadFile(Assets, "static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := func(selector string) map[string]string {
		s := string(css)
		i := strings.Index(s, selector)
		if i < 0 {
			t.Fatalf("style.css has no %s block", selector)
		}
		s = s[i+len(selector):]
		s = s[:strings.IndexByte(s, '}')]
		m := map[string]string{}
		for _, decl := range strings.Split(s, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(decl), ":")
			if ok && strings.HasPrefix(k, "--") {
				m[k[2:]] = strings.TrimSpace(v)
			}
		}
		return m
	}
	light := vars(":root {")
	dark := vars(`:root[data-theme="dark"] {`)
	system := vars(`:root:not([data-theme="light"]) {`)
	if fmt.Sprint(dark) != fmt.Sprint(system) {
		t.Errorf("the toggled dark theme differs from the system one:\n%v\n%v", dark, system)
	}
	pairs := [][2]string{
		{"fg", "bg"}, {"muted", "bg"}, {"link", "bg"}, {"fg", "surface"}, {"muted", "surface"}, {"link", "surface"},
		{"bg", "link"}, // the handling badge
		{"fatal", "fatal-bg"}, {"error", "error-bg"}, {"warn", "warn-bg"}, {"info", "info-bg"}, {"good", "good-bg"},
		{"fg", "warn-bg"}, {"muted", "warn-bg"}, {"link", "warn-bg"}, // search highlights (<mark>)
		{"fg", "info-bg"}, {"muted", "info-bg"}, // a filter chip that is on
	}
	for name, theme := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, p := range pairs {
			fg, bg := theme[p[0]], theme[p[1]]
			r, err := contrast(fg, bg)
			if err != nil {
				t.Errorf("%s theme: --%s / --%s: %v", name, p[0], p[1], err)
				continue
			}
			if r < 4.5 {
				t.Errorf("%s theme: --%s %s on --%s %s has contrast %.2f, below 4.5", name, p[0], fg, p[1], bg, r)
			}
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rrggbb colours.
func contrast(a, b string) (float64, error) {
	la, err := luminance(a)
	if err != nil {
		return 0, err
	}
	lb, err := luminance(b)
	if err != nil {
		return 0, err
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05), nil
}

func luminance(hex string) (float64, error) {
	var r, g, b uint8
	if _, err := fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b); err != nil || len(hex) != 7 {
		return 0, fmt.Errorf("colour %q is not #rrggbb", hex)
	}
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b), nil
}

func TestLiveReloadAndScripts(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	for _, live := range []bool{false, true} {
		files := mustRender(t, site, RenderOptions{BaseURL: "http://localhost:8080/", LiveReload: live, Assets: stubSearchAssets(t)})
		for _, name := range []string{"index.html", "codes/auth-1/index.html", "404.html", "codes/auth-one/index.html"} {
			has := bytes.Contains(files[name], []byte(`<script src="/_errref/live.js" defer></script>`))
			if has != live {
				t.Errorf("LiveReload %v: %s loads live.js = %v", live, name, has)
			}
		}
		if _, written := files["_errref/live.js"]; written {
			t.Error("live.js is served by errref serve and must not be written")
		}
	}
}

// TestNotFoundScript runs static/notfound.js in goja against a stand-in
// DOM: code-shaped paths must lead to the code's page, others must stay
// and say so.
func TestNotFoundScript(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo/", Assets: stubSearchAssets(t)})
	slugs := string(files["slugs.json"])
	if slugs == "" {
		t.Fatal("no slugs.json")
	}
	script := string(files["notfound.js"])
	for _, tc := range []struct{ path, want string }{
		{"/repo/auth:1", "/repo/codes/auth-1/"},
		{"/repo/AUTH-1", "/repo/codes/auth-1/"},
		{"/repo/codes/auth:1", "/repo/codes/auth-1/"},
		{"/repo/codes/AUTH:1/", "/repo/codes/auth-1/"},
		{"/repo/auth%3A1", "/repo/codes/auth-1/"},
		{"/repo/desktop_login_accounts:5", "/repo/codes/desktop-login-accounts-5/"},
		{"/repo/repo/auth:1", "/repo/codes/auth-1/"},
		{"/repo/auth-one", "/repo/codes/auth-1/"},  // an old slug
		{"/repo/error%201", "/repo/codes/auth-1/"}, // an alias
		{"/auth:1", "/repo/codes/auth-1/"},         // outside the base: the last segment still names it
		{"/repo/codes/nope-404/", ""},              // stays, and says so
		{"/repo/%E0%A4%A", ""},                     // a malformed escape must not throw
		{"/repo/constructor", ""},                  // not an inherited property of the map
	} {
		vm := goja.New()
		var replaced, status, fetched string
		// fetch answers slugs.json; the script's promise callbacks run
		// once RunString returns.
		vm.Set("fetch", func(u string) goja.Value {
			fetched = u
			v, err := vm.RunString(`Promise.resolve({ok: true, json: function () { return Promise.resolve(JSON.parse(` + strconv.Quote(slugs) + `)); }})`)
			if err != nil {
				t.Fatal(err)
			}
			return v
		})
		vm.Set("window", map[string]any{"fetch": true})
		vm.Set("location", map[string]any{
			"pathname": tc.path,
			"replace":  func(u string) { replaced = u },
		})
		statusEl := map[string]any{"textContent": ""}
		vm.Set("document", map[string]any{
			"documentElement": map[string]any{"getAttribute": func(string) string { return "/repo/" }},
			"getElementById": func(id string) any {
				switch id {
				case "nf-status":
					return statusEl
				}
				return nil
			},
		})
		if _, err := vm.RunString(script); err != nil {
			t.Errorf("%s: notfound.js failed: %v", tc.path, err)
			continue
		}
		if fetched != "/repo/slugs.json" {
			t.Errorf("%s: fetched %q, want /repo/slugs.json", tc.path, fetched)
		}
		// goja writes through to the Go map it was given.
		status, _ = statusEl["textContent"].(string)
		if replaced != tc.want {
			t.Errorf("%s: sent to %q, want %q", tc.path, replaced, tc.want)
		}
		if tc.want == "" && !strings.Contains(status, "No page") {
			t.Errorf("%s: status %q does not say the page is missing", tc.path, status)
		}
	}
}

// sortedKeys returns m's keys in order, so tests report in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestMarkdownLinksCodes(t *testing.T) {
	link := func(code string) string {
		if code == "auth:2" {
			return "/repo/codes/auth-2/"
		}
		return ""
	}
	for src, want := range map[string]string{
		"See `auth:2` first.":                           `See <a href="/repo/codes/auth-2/"><code>auth:2</code></a> first.`,
		"Not a code: `auth:9`.":                         "Not a code: <code>auth:9</code>.",
		"[already a link `auth:2`](https://x.example/)": `<a href="https://x.example/" rel="noopener">already a link <code>auth:2</code></a>`,
		"```\nauth:2\n```":                              "<pre><code>auth:2\n</code></pre>",
	} {
		got, err := renderMarkdown(src, true, link)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("renderMarkdown(%q)\n got %q\nwant %q", src, got, want)
		}
	}
}

// TestSummarize checks meta descriptions: cut at a word boundary within
// the limit, counted in characters, so text in any script gets the same
// length as ASCII.
func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short text", 20, "short text"},
		{"one two three four", 12, "one two…"},
		{"ééé ééé ééé ééé", 10, "ééé ééé…"},
		{"ошибка входа в систему", 15, "ошибка входа в…"},
		{"abcdefghijklmnop qr", 10, "abcdefghij…"},
		{"a,  b.  c", 5, "a, b…"},
	} {
		if got := summarize(tc.in, tc.n); got != tc.want {
			t.Errorf("summarize(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// TestPlanIsMade checks the render stage's promise: every output is
// planned before any is made, so every planned output is made, nothing
// else is, and sitemap.xml lists exactly the indexed pages, whatever the
// order the planners run in. Every kind of page is among them.
func TestPlanIsMade(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	outs, err := Plan(site, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}"), Assets: stubSearchAssets(t)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Make(outs)
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]bool{}
	for _, o := range outs {
		if _, ok := files[o.Path]; !ok {
			t.Errorf("%s is planned but not made", o.Path)
		}
		if o.Indexed {
			indexed["https://example.org/repo/"+strings.TrimSuffix(o.Path, "index.html")] = true
		}
	}
	if len(files) != len(outs) {
		t.Errorf("%d files made from %d planned outputs", len(files), len(outs))
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &sm); err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, u := range sm.URLs {
		listed[u.Loc] = true
		if !indexed[u.Loc] {
			t.Errorf("sitemap.xml lists %s, which is no indexed page", u.Loc)
		}
	}
	for loc := range indexed {
		if !listed[loc] {
			t.Errorf("sitemap.xml leaves out %s", loc)
		}
	}
	// One output of each kind of page the templates define.
	for _, want := range []string{"index.html", "codes/auth-1/index.html", "category/login/index.html", "browse/index.html", "404.html", "codes/auth-one/index.html"} {
		if len(files[want]) == 0 {
			t.Errorf("%s was not made", want)
		}
	}
	if _, err := Make([]Output{{Path: "x.html"}}); err == nil || !strings.Contains(err.Error(), "nothing makes x.html") {
		t.Errorf("an output without a maker gives %v", err)
	}
}

// TestEveryPageTemplatePlanned checks that no page can be written and
// then forgotten: every template that makes a whole page (one that
// executes "top") makes at least one output of the fixture's plan, which
// has a code of every kind, a moved code and every listing. A template
// added under templates/ without a planner fails here.
func TestEveryPageTemplatePlanned(t *testing.T) {
	site := loadFixture(t, "testdata/render")
	opts := RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}"), Assets: stubSearchAssets(t)}
	outs, err := Plan(site, opts)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]int{}
	for _, o := range outs {
		if o.Template != "" {
			used[o.Template]++
		}
		if strings.HasSuffix(o.Path, ".html") && o.Template == "" {
			t.Errorf("%s is an HTML page that names no template", o.Path)
		}
	}
	r, err := newRenderer(site, opts)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, tm := range r.tmpl.Templates() {
		if tm.Tree != nil && executes(tm.Tree.Root, "top") {
			pages = append(pages, tm.Name())
		}
	}
	sort.Strings(pages)
	if len(pages) < 6 {
		t.Fatalf("found page templates %v; want home, code, listing, browse, notfound and redirect at least", pages)
	}
	for _, name := range pages {
		if used[name] == 0 {
			t.Errorf("template %q makes a whole page, but no planned output uses it: add its planner to Plan", name)
		}
	}
}

// executes reports whether the template tree under n executes the
// template name.
func executes(n tparse.Node, name string) bool {
	switch n := n.(type) {
	case *tparse.TemplateNode:
		return n.Name == name
	case *tparse.ListNode:
		if n == nil {
			return false
		}
		for _, c := range n.Nodes {
			if executes(c, name) {
				return true
			}
		}
	case *tparse.IfNode:
		return executes(n.List, name) || executes(n.ElseList, name)
	case *tparse.RangeNode:
		return executes(n.List, name) || executes(n.ElseList, name)
	case *tparse.WithNode:
		return executes(n.List, name) || executes(n.ElseList, name)
	}
	return false
}

// TestListingPages: a listing longer than ListingPageSize is split into
// numbered pages at stable addresses, linked to each other (rel=prev and
// rel=next too) and listed in the sitemap; the home page of a site larger
// than HomeAllCodes lists a few codes per category and links to the rest.
func TestListingPages(t *testing.T) {
	site := syntheticSite(t, 120) // 60 codes per platform
	files := mustRender(t, site, RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}")})
	var g *Group
	for _, p := range site.Platforms {
		if p.ID == "windows" {
			g = p
		}
	}
	if g == nil || len(g.Codes) <= ListingPageSize || len(g.Codes) > 2*ListingPageSize {
		t.Fatalf("the fixture needs a listing of two pages")
	}
	first, second := "platform/windows/index.html", "platform/windows/page/2/index.html"
	if _, ok := files["platform/windows/page/1/index.html"]; ok {
		t.Error("page 1 has a second address")
	}
	var listed []string
	heads := map[string]map[string]string{} // page -> rel -> href
	for _, page := range []string{first, second} {
		if files[page] == nil {
			t.Fatalf("no %s", page)
		}
		heads[page] = map[string]string{}
		for _, e := range parseHTML(t, page, files[page]) {
			if e.tag == "li" && e.attrs["data-slug"] != "" {
				listed = append(listed, e.attrs["data-slug"])
			}
			if e.tag == "link" && (e.attrs["rel"] == "prev" || e.attrs["rel"] == "next") {
				heads[page][e.attrs["rel"]] = e.attrs["href"]
			}
		}
	}
	var want []string
	for _, c := range g.Codes {
		want = append(want, c.Slug)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("the two pages list %v, want %v", listed, want)
	}
	if h := heads[first]; h["next"] != "https://example.org/repo/platform/windows/page/2/" || h["prev"] != "" {
		t.Errorf("page 1 links %v", h)
	}
	if h := heads[second]; h["prev"] != "https://example.org/repo/platform/windows/" || h["next"] != "" {
		t.Errorf("page 2 links %v", h)
	}
	if !strings.Contains(string(files[second]), `<a href="/repo/platform/windows/">1</a>`) {
		t.Error("page 2 does not link to page 1 by number")
	}
	if !strings.Contains(string(files["sitemap.xml"]), "https://example.org/repo/platform/windows/page/2/") {
		t.Error("the sitemap lacks page 2")
	}

	home := string(files["index.html"])
	rows := strings.Count(home, `<li class="row"`)
	if rows == 0 || rows > HomeTopCodes*len(site.Categories) {
		t.Errorf("the home page of %d codes lists %d", len(site.Codes), rows)
	}
	for _, c := range site.Categories {
		if !strings.Contains(home, fmt.Sprintf(`<a href="/repo/category/%s/">All %d codes in`, c.ID, len(c.Codes))) {
			t.Errorf("the home page does not link to all codes of %s", c.ID)
		}
	}
	// Its filters get the rows of every code from home-rows.json, each
	// code once, under its category, in the site's order.
	if !strings.Contains(home, `<div class="groups" data-rows="/repo/`+HomeRowsFile+`">`) {
		t.Errorf("the partial home page does not name %s", HomeRowsFile)
	}
	var all map[string]string
	if err := json.Unmarshal(files[HomeRowsFile], &all); err != nil {
		t.Fatalf("%s: %v", HomeRowsFile, err)
	}
	for _, g := range nonEmpty(site.Categories) {
		var got, want []string
		for _, m := range regexp.MustCompile(`<li class="row" data-slug="([^"]+)" data-category="([^"]+)"`).FindAllStringSubmatch(all[g.ID], -1) {
			got = append(got, m[1])
			if m[2] != g.ID {
				t.Errorf("%s: the rows of %s hold %s of %s", HomeRowsFile, g.ID, m[1], m[2])
			}
		}
		for _, c := range g.Codes {
			want = append(want, c.Slug)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %s has %v, want %v", HomeRowsFile, g.ID, got, want)
		}
	}
	if len(all) != len(nonEmpty(site.Categories)) {
		t.Errorf("%s has %d categories, want %d", HomeRowsFile, len(all), len(nonEmpty(site.Categories)))
	}
	// A site that lists every code on its home page has no such file.
	small := mustRender(t, syntheticSite(t, HomeAllCodes), RenderOptions{BaseURL: "https://example.org/repo/", SearchIndex: []byte("{}")})
	if _, ok := small[HomeRowsFile]; ok || strings.Contains(string(small["index.html"]), "data-rows") {
		t.Errorf("a home page of %d codes, which lists them all, still points at %s", HomeAllCodes, HomeRowsFile)
	}
}
