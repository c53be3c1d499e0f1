package errref_test

// Browser tests: the built site, served under a sub-path the way GitHub
// Pages serves it, driven in headless Chromium through chromedp. They check
// what unit tests cannot: that a person can search, navigate, switch themes
// and copy text, that nothing breaks without JavaScript or on a phone, that
// hostile content stays inert in a real browser, and that axe-core finds no
// accessibility violation.
//
// They need Chromium (/usr/bin/chromium or CHROME_PATH) and, for the
// accessibility checks, axe-core (AXE_JS, the path of axe.min.js). Without
// them the tests skip on a developer's machine and fail when CI=true.
// `bash .ci/run` installs both. ERRREF_SCREENSHOTS=dir writes screenshots.

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/errref/errref"
	"github.com/errref/errref/internal/rules"
	"github.com/errref/errref/internal/search"
)

// browserSubPath is where the test servers publish the site, as GitHub
// Pages publishes a project site under /<repo>/.
const browserSubPath = "/errref/"

// browserRequired reports whether a missing browser or axe-core is a
// failure rather than a reason to skip.
func browserRequired() bool { return os.Getenv("CI") == "true" }

func browserSkipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if browserRequired() {
		t.Fatalf(format+" (CI=true: browser tests are required; run bash .ci/run)", args...)
	}
	t.Skipf(format+" (bash .ci/run installs it)", args...)
}

// browserSite is one built site behind a local HTTP server.
type browserSite struct {
	srv   *httptest.Server
	files map[string][]byte
	site  *errref.Site
	base  string // absolute URL of the site, ends in "/"
}

// lookup resolves a path under the sub-path with GitHub Pages' rules: a
// folder serves its index.html, a folder named without its slash
// redirects, anything else is 404.html with status 404.
func (s *browserSite) lookup(p string) (status int, name string) {
	rel, ok := strings.CutPrefix(p, browserSubPath)
	if !ok {
		return http.StatusNotFound, ""
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if _, ok := s.files[rel]; ok {
		return http.StatusOK, rel
	}
	if _, ok := s.files[rel+"/index.html"]; ok {
		return http.StatusMovedPermanently, rel + "/"
	}
	return http.StatusNotFound, "404.html"
}

func (s *browserSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == strings.TrimSuffix(browserSubPath, "/") {
		http.Redirect(w, r, browserSubPath, http.StatusMovedPermanently)
		return
	}
	status, name := s.lookup(r.URL.Path)
	switch status {
	case http.StatusMovedPermanently:
		target := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, status)
		return
	case http.StatusNotFound:
		if name == "" || s.files[name] == nil {
			http.NotFound(w, r)
			return
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(s.files[name])
}

// newBrowserSite starts a server and builds the site for its URL with
// build, which receives the base URL.
func newBrowserSite(t *testing.T, build func(baseURL string) (map[string][]byte, *errref.Site, error)) *browserSite {
	t.Helper()
	s := &browserSite{}
	s.srv = httptest.NewServer(s)
	t.Cleanup(s.srv.Close)
	s.base = s.srv.URL + browserSubPath
	files, site, err := build(s.base)
	if err != nil {
		t.Fatal(err)
	}
	s.files, s.site = files, site
	return s
}

// browserBuildReal builds the repository's own site with errref.Build.
func browserBuildReal(baseURL string) (map[string][]byte, *errref.Site, error) {
	res, err := errref.Build(os.DirFS("."), errref.BuildOptions{BaseURL: baseURL})
	if err != nil {
		return nil, nil, err
	}
	return res.Files, res.Site, nil
}

// browserBuildSplit builds the repository's own site with its search index
// in the split layout, which only a large corpus gets from errref build.
func browserBuildSplit(baseURL string) (map[string][]byte, *errref.Site, error) {
	site, _, err := errref.LoadSite(os.DirFS("."))
	if err != nil {
		return nil, nil, err
	}
	site.Config.BaseURL = baseURL
	ix, err := errref.Index(site)
	if err != nil {
		return nil, nil, err
	}
	defer ix.Close()
	split, err := ix.SplitFiles()
	if err != nil {
		return nil, nil, err
	}
	index := split["search-index.json"]
	delete(split, "search-index.json")
	files, err := errref.Render(site, errref.RenderOptions{BaseURL: baseURL, SearchIndex: index, SearchParts: split})
	return files, site, err
}

// browserBuildHostile renders testdata/hostile, which validation refuses on
// purpose, through the later stages directly: the renderer and the scripts
// must keep it inert even if a check upstream lets something through.
func browserBuildHostile(baseURL string) (map[string][]byte, *errref.Site, error) {
	in, probs := errref.Load(os.DirFS("testdata/hostile"))
	if in == nil || len(in.Codes) == 0 {
		return nil, nil, fmt.Errorf("loading testdata/hostile: %v", probs)
	}
	in.Config.BaseURL = baseURL
	site := errref.NewSite(in)
	ix, err := errref.Index(site)
	if err != nil {
		return nil, nil, err
	}
	defer ix.Close()
	index, err := ix.JSON()
	if err != nil {
		return nil, nil, err
	}
	files, err := errref.Render(site, errref.RenderOptions{BaseURL: baseURL, SearchIndex: index})
	return files, site, err
}

// browserEnv is what every subtest shares: one browser, the real site and
// the hostile one.
type browserEnv struct {
	ctx     context.Context // the browser's first tab; new tabs derive from it
	real    *browserSite
	split   *browserSite // the real site with its index in the split layout
	hostile *browserSite
	axe     string // axe.min.js, or "" when AXE_JS is not set
	shots   string // folder for screenshots, or ""
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		// CI=true means the browser tests must run: a skip there would
		// count as a pass.
		if browserRequired() {
			t.Fatal("-short skips the browser tests, and CI=true requires them; run without -short")
		}
		t.Skip("browser tests are not short")
	}
	chrome := os.Getenv("CHROME_PATH")
	if chrome == "" {
		chrome = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chrome); err != nil {
		browserSkipOrFail(t, "no browser at %s", chrome)
	}
	env := &browserEnv{shots: os.Getenv("ERRREF_SCREENSHOTS")}
	if p := os.Getenv("AXE_JS"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("AXE_JS: %v", err)
		}
		env.axe = string(b)
	}
	env.real = newBrowserSite(t, browserBuildReal)
	env.hostile = newBrowserSite(t, browserBuildHostile)
	env.split = newBrowserSite(t, browserBuildSplit)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// No traffic of the browser's own: the machine has no network
		// beyond its package registries, and the test must see only the
		// page's requests.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	env.ctx = ctx

	t.Run("HomeLoadsClean", env.testHomeLoadsClean)
	t.Run("TypeCode", env.testTypeCode)
	t.Run("PasteDialog", env.testPasteDialog)
	t.Run("Highlighting", env.testHighlighting)
	t.Run("NoPageNotice", env.testNoPageNotice)
	t.Run("SplitIndex", env.testSplitIndex)
	t.Run("KeyboardOpensResult", env.testKeyboardOpensResult)
	t.Run("QueryInURL", env.testQueryInURL)
	t.Run("StatusAnnouncements", env.testStatusAnnouncements)
	t.Run("SearchLoadFails", env.testSearchLoadFails)
	t.Run("Print", env.testPrint)
	t.Run("RedirectKeepsFragment", env.testRedirectKeepsFragment)
	t.Run("Filters", env.testFilters)
	t.Run("LabelsFromPage", env.testLabelsFromPage)
	t.Run("Theme", env.testTheme)
	t.Run("CodePage", env.testCodePage)
	t.Run("Sources", env.testSources)
	t.Run("CopyButtons", env.testCopyButtons)
	t.Run("Anchors", env.testAnchors)
	t.Run("NotFoundRedirects", env.testNotFoundRedirects)
	t.Run("NoJavaScript", env.testNoJavaScript)
	t.Run("Phone", env.testPhone)
	t.Run("Hostile", env.testHostile)
	t.Run("Accessibility", env.testAccessibility)
	t.Run("Screenshots", env.testScreenshots)
}

// browserProbe runs in every page before the page's own scripts. It
// reports CSP violations and dialogs as console errors, which the tab's
// listener turns into test failures on any page, and records what the first
// frame shows, for the no-flash check of the theme.
const browserProbe = `(function () {
  if (window.__errrefProbe) return;
  window.__errrefProbe = true;
  function report(kind, msg) { console.error("[probe] " + kind + ": " + msg); }
  document.addEventListener("securitypolicyviolation", function (e) {
    report("CSP violation", e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
  }, true);
  ["alert", "confirm", "prompt", "print"].forEach(function (name) {
    window[name] = function (m) { window.__pwned = true; report("script ran", name + "(" + m + ")"); };
  });
  function frame() {
    if (!document.body) { requestAnimationFrame(frame); return; }
    window.__firstFrame = {
      theme: document.documentElement.getAttribute("data-theme"),
      bg: getComputedStyle(document.body).backgroundColor,
      ready: document.readyState
    };
  }
  requestAnimationFrame(frame);
})();`

// tabOptions set up a tab before its first page.
type tabOptions struct {
	noJS          bool
	width, height int64 // 0: 1280×800
	mobile        bool
	dark          bool // the system prefers a dark colour scheme
	// allowStatus accepts an error status the test expects, such as the
	// 404 of a page that does not exist.
	allowStatus func(url string, status int64, typ network.ResourceType) bool
	// block makes requests whose URL matches one of these patterns fail,
	// as on a connection that drops them; such failures are expected.
	block []string
}

// browserTab is one tab with a listener that collects what went wrong on
// any page it shows: console errors, uncaught exceptions, failed requests,
// requests to another origin, CSP violations and dialogs. They are
// reported when the subtest ends.
type browserTab struct {
	t    *testing.T
	ctx  context.Context
	site *browserSite
	opts tabOptions

	mu       sync.Mutex
	problems []string
	urls     map[network.RequestID]string
}

// blockURLs makes the tab's requests to URLs matching the patterns (URL
// pattern syntax, e.g. *://*:*/*.json) fail; none unblocks them all.
func blockURLs(ctx context.Context, tt *chromedp.Target, patterns []string) error {
	ps := []*network.BlockPattern{}
	for _, p := range patterns {
		ps = append(ps, &network.BlockPattern{URLPattern: p, Block: true})
	}
	_, err := cdp.Call(ctx, tt, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: ps})
	return err
}

func (e *browserEnv) tab(t *testing.T, site *browserSite, o tabOptions) *browserTab {
	t.Helper()
	// Each tab has a browser context of its own, so that a theme stored
	// by one subtest cannot leak into another.
	ctx, cancel := chromedp.NewContext(e.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &browserTab{t: t, ctx: ctx, site: site, opts: o, urls: map[network.RequestID]string{}}
	if err := chromedp.Listen(ctx, b.listen); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.report)
	if o.width == 0 {
		o.width, o.height = 1280, 800
	}
	scheme := "light"
	if o.dark {
		scheme = "dark"
	}
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tt, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: browserProbe}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}, {Name: "prefers-reduced-motion", Value: "reduce"}},
			}); err != nil {
				return err
			}
			// A headless tab has no focus of its own; the clipboard and
			// :focus-visible need one.
			if _, err := cdp.Call(ctx, tt, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
				return err
			}
			if len(o.block) > 0 {
				if _, err := cdp.Call(ctx, tt, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				if err := blockURLs(ctx, tt, o.block); err != nil {
					return err
				}
			}
			if o.noJS {
				if _, err := cdp.Call(ctx, tt, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					return err
				}
			}
			return nil
		}),
		chromedp.EmulateViewport(o.width, o.height, func(p *emulation.SetDeviceMetricsOverrideParams, tp *emulation.SetTouchEmulationEnabledParams) {
			p.Mobile = o.mobile
			tp.Enabled = o.mobile
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browserTab) problem(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
}

// listen runs on chromedp's reading goroutine: it must return fast and
// must not call back into the browser, except from a new goroutine.
func (b *browserTab) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		b.mu.Lock()
		b.urls[ev.RequestID] = u
		b.mu.Unlock()
		if !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, b.site.srv.URL+"/") {
			b.problem("request to another origin: %s", u)
		}
	case *network.EventResponseReceived:
		if s := ev.Response.Status; s >= 400 && (b.opts.allowStatus == nil || !b.opts.allowStatus(ev.Response.URL, s, ev.Type)) {
			b.problem("%s: HTTP %d", ev.Response.URL, s)
		}
	case *network.EventLoadingFailed:
		// A request cut short by a navigation is not a failure, nor is
		// one the test blocked on purpose.
		if !ev.Canceled && !(len(b.opts.block) > 0 && ev.BlockedReason == network.BlockedReasonInspector) {
			b.mu.Lock()
			u := b.urls[ev.RequestID]
			b.mu.Unlock()
			b.problem("request failed: %s: %s %s", u, ev.ErrorText, ev.BlockedReason)
		}
	case *cdpruntime.EventConsoleAPICalled:
		if ev.Type == cdpruntime.ConsoleAPICalledTypeError || ev.Type == cdpruntime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					var s string
					if json.Unmarshal(a.Value, &s) == nil {
						parts = append(parts, s)
						continue
					}
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			b.problem("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *cdpruntime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		b.problem("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, msg)
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level != cdplog.EntryLevelError {
			return
		}
		// A failed resource is reported by the network events, where an
		// expected 404 can be told apart.
		if e.Source == cdplog.EntrySourceNetwork {
			return
		}
		b.problem("browser log (%s): %s %s", e.Source, e.Text, e.URL)
	case *page.EventJavascriptDialogOpening:
		b.problem("a %s dialog opened: %q", ev.Type, ev.Message)
		go chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	}
}

// report fails the test for every problem the tab saw.
func (b *browserTab) report() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Error(p)
	}
	b.problems = nil
}

// actx returns a context for one action: the tab's, with a time limit so
// that a page that never answers fails the test instead of hanging it.
func (b *browserTab) actx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, 30*time.Second)
}

func (b *browserTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.actx()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// url returns the absolute URL of a path relative to the site's base.
func (b *browserTab) url(rel string) string { return b.site.base + rel }

// open loads a page and waits for it to finish loading.
func (b *browserTab) open(rel string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.url(rel)))
	b.waitFor("the page to load", `document.readyState === "complete"`)
}

// browserEval evaluates a JavaScript expression in the tab's page and
// decodes its value (promises are awaited).
func browserEval[T any](b *browserTab, expr string) T {
	b.t.Helper()
	ctx, cancel := b.actx()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", browserShort(expr), err)
	}
	return v
}

func browserShort(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// waitFor evaluates expr until it is true. Errors while a page is being
// replaced are expected and retried.
func (b *browserTab) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		if time.Now().After(deadline) {
			b.t.Fatalf("timed out waiting for %s (%s; last error: %v)", what, browserShort(expr), last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// location is the page's current URL.
func (b *browserTab) location() string {
	b.t.Helper()
	return browserEval[string](b, "location.href")
}

func (b *browserTab) waitURL(want string) {
	b.t.Helper()
	q, _ := json.Marshal(want)
	b.waitFor("the address "+want, "location.href === "+string(q))
}

// click clicks the first element that matches a CSS selector with a real
// mouse event.
func (b *browserTab) click(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// keys sends real key events to the focused element.
func (b *browserTab) keys(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// typeInto focuses an element and types text into it, key by key.
func (b *browserTab) typeInto(sel, text string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// paste focuses an element and inserts text in one input event, as a
// paste does.
func (b *browserTab) paste(sel, text string) {
	b.t.Helper()
	b.do(chromedp.Focus(chromedp.CSS(sel), chromedp.NodeVisible),
		chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, input.InsertText, input.InsertTextParams{Text: text})
			return err
		}))
}

func (b *browserTab) screenshot(dir, name string) {
	b.t.Helper()
	if dir == "" {
		return
	}
	ctx, cancel := b.actx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// The page's DOM contract (templates/*.html, static/app.js).
const (
	selQuery   = "#q"
	selResults = "#results"
	selFilters = "#filters"
	selToggle  = "#theme-toggle"
	// A result is a link to a code page inside #results.
	jsResultLinks = `Array.from(document.querySelectorAll("#results a[href*='/codes/']"))`
	// The search has shown its results or said that nothing matches.
	jsSearchDone = `document.querySelector("#results").textContent.trim() !== "" && !/loading/i.test(document.querySelector("#results").textContent)`
	// Rows of the home page's list that are shown.
	jsVisibleRows = `Array.from(document.querySelectorAll("li.row[data-slug]")).filter(function (e) { return e.getClientRects().length > 0; })`
)

// resultSlugs returns the slugs of the result links, in order.
func (b *browserTab) resultSlugs() []string {
	b.t.Helper()
	return browserEval[[]string](b, jsResultLinks+`.map(function (a) { var m = new URL(a.href).pathname.match(/\/codes\/([^/]+)\/$/); return m ? m[1] : a.href; })`)
}

// waitFirstResult waits until the first result is the code with slug.
func (b *browserTab) waitFirstResult(query, slug string) {
	b.t.Helper()
	expr := jsResultLinks + `.length > 0 && new URL(` + jsResultLinks + `[0].href).pathname.endsWith("/codes/" + ` + jsString(slug) + ` + "/")`
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("query %q: the first result is not %s; results are %v", query, slug, b.resultSlugs())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// slugOf returns the slug of a code, failing when the corpus lacks it.
func (e *browserEnv) slugOf(t *testing.T, code string) string {
	t.Helper()
	c, ok := e.real.site.ByCode[code]
	if !ok {
		t.Fatalf("the corpus has no code %q", code)
	}
	return c.Slug
}

func (e *browserEnv) testHomeLoadsClean(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	// Give deferred scripts and anything they fetch time to run: the
	// listener reports their errors when the test ends.
	b.waitFor("the search box", `document.querySelector("#q") !== null`)
	if got := browserEval[string](b, `document.documentElement.getAttribute("data-base")`); got != browserSubPath {
		t.Errorf("<html data-base> = %q, want %q", got, browserSubPath)
	}
	if title := browserEval[string](b, "document.title"); title == "" {
		t.Error("the home page has no title")
	}
	// The note for readers without JavaScript is hidden, and the hint
	// describes what the scripted box does.
	if n := browserEval[int](b, `Array.from(document.querySelectorAll(".no-js-only")).filter(function (x) { return x.getClientRects().length > 0; }).length`); n > 0 {
		t.Errorf("%d notes meant for readers without JavaScript are visible", n)
	}
	if hint := browserEval[string](b, `document.getElementById("q-hint").textContent`); !strings.Contains(hint, "arrow keys") {
		t.Errorf("the search hint does not describe the live results: %q", hint)
	}
	// The site is served under a sub-path: every same-origin resource the
	// page loaded came from under it.
	outside := browserEval[[]string](b, `performance.getEntriesByType("resource").map(function (r) { return r.name; }).filter(function (u) { return u.indexOf(location.origin + `+jsString(browserSubPath)+`) !== 0; })`)
	if len(outside) > 0 {
		t.Errorf("resources loaded from outside %s: %v", browserSubPath, outside)
	}
	// Use the search once, so the index fetch and the UI it drives run
	// under the same listener.
	b.typeInto(selQuery, "auth")
	b.waitFor("search results", jsResultLinks+".length > 0")
}

func (e *browserEnv) testTypeCode(t *testing.T) {
	for _, tc := range []struct{ query, code string }{
		{"accounts:4", "accounts:4"},
		{"auth 1", "auth:1"},
		{"AUTH-1", "auth:1"},
		{"accesspoint:22", "accesspoint:22"},
		{"error 17", "accesspoint:17"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			b := e.tab(t, e.real, tabOptions{})
			b.open("")
			b.typeInto(selQuery, tc.query)
			b.waitFirstResult(tc.query, e.slugOf(t, tc.code))
		})
	}
}

// shownHit is one search result as the page shows it: the text of its
// code, title and message, and the text of each highlight in them.
type shownHit struct {
	Slug, Code, Title, Message string
	CodeMarks, TitleMarks      []string
	// Whole is false when a highlight starts or ends inside a word.
	Whole bool
}

const jsShownHits = `Array.from(document.querySelectorAll("#results .hit a")).map(function (a) {
  function text(sel) { var e = a.querySelector(sel); return e ? e.textContent : ""; }
  function marks(sel) { var e = a.querySelector(sel); return e ? Array.from(e.querySelectorAll("mark")).map(function (m) { return m.textContent; }) : []; }
  var whole = Array.from(a.querySelectorAll("mark")).every(function (m) {
    var before = m.previousSibling ? m.previousSibling.textContent.slice(-1) : "", after = m.nextSibling ? m.nextSibling.textContent.charAt(0) : "";
    return !/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after);
  });
  return {Slug: a.getAttribute("href").split("/codes/")[1].replace(/\/$/, ""), Code: text("code"), Title: text(".row-title"),
    Message: text(".hit-msg"), CodeMarks: marks("code"), TitleMarks: marks(".row-title"), Whole: whole};
})`

// testHighlighting checks what a result highlights: whole words only, the
// query's word wherever a title shows it (in any case), and only that
// word for a query without synonyms; a typed code is highlighted in the
// code, and highlighting never changes the text.
func (e *browserEnv) testHighlighting(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	b.typeInto(selQuery, "firewall")
	b.waitFor("search results", jsResultLinks+".length > 0")
	hits := browserEval[[]shownHit](b, jsShownHits)
	word := regexp.MustCompile(`(?i)^firewalls?$`)
	marked := 0
	for _, h := range hits {
		c := e.real.site.BySlug[h.Slug]
		if c == nil {
			t.Fatalf("a hit links to %q, which is no code", h.Slug)
		}
		if h.Code != c.Code || h.Title != c.Title || (h.Message != "" && h.Message != c.Message) {
			t.Errorf("%s: highlighting changed the text: %+v", c.Code, h)
		}
		if !h.Whole {
			t.Errorf("%s: a highlight cuts a word: %+v", c.Code, h)
		}
		for _, m := range append(h.CodeMarks, h.TitleMarks...) {
			if !word.MatchString(m) {
				t.Errorf("%s: %q is highlighted for the query firewall", c.Code, m)
			}
		}
		if strings.Contains(strings.ToLower(c.Title), "firewall") && len(h.TitleMarks) == 0 {
			t.Errorf("%s: the title %q says firewall, but nothing in it is highlighted", c.Code, c.Title)
		}
		marked += len(h.TitleMarks)
	}
	if marked == 0 {
		t.Errorf("no title is highlighted for firewall: %+v", hits)
	}

	b.open("")
	b.typeInto(selQuery, "accounts:4")
	b.waitFirstResult("accounts:4", e.slugOf(t, "accounts:4"))
	first := browserEval[[]shownHit](b, jsShownHits)[0]
	if strings.Join(first.CodeMarks, " ") != "accounts 4" || first.Code != "accounts:4" || !first.Whole {
		t.Errorf("the code typed is not highlighted in the first hit's code: %+v", first)
	}
}

func (e *browserEnv) testPasteDialog(t *testing.T) {
	for _, tc := range []struct{ text, code string }{
		{"A firewall may be blocking Spotify. (Error code: accounts:103)", "accounts:103"},
		{"No internet connection detected. (Error code: accounts:4)", "accounts:4"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			b := e.tab(t, e.real, tabOptions{})
			b.open("")
			b.paste(selQuery, tc.text)
			b.waitFirstResult(tc.text, e.slugOf(t, tc.code))
		})
	}
}

// testNoPageNotice types a code the site does not have: the results say
// first that there is no page for it, with a link to the new-code form
// filled in with that code, and show the closest codes under it.
func (e *browserEnv) testNoPageNotice(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	b.typeInto(selQuery, "auth:74")
	notice := `document.querySelector("#results .no-page")`
	b.waitFor("the no-page notice", notice+` !== null`)
	if text := browserEval[string](b, notice+`.textContent`); !strings.Contains(text, "no page for auth:74") {
		t.Errorf("the notice says %q, want it to name auth:74", text)
	}
	// The notice comes before the results.
	if !browserEval[bool](b, notice+`.compareDocumentPosition(document.querySelector("#search-list")) === Node.DOCUMENT_POSITION_FOLLOWING`) {
		t.Error("the notice does not come before the results")
	}
	b.waitFirstResult("auth:74", e.slugOf(t, "auth:73"))
	href := browserEval[string](b, notice+`.querySelector("a").href`)
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	repo := strings.TrimSuffix(e.real.site.Config.Repository, "/")
	if got := u.Scheme + "://" + u.Host + u.Path; got != repo+"/issues/new" {
		t.Errorf("the notice links to %s, want %s/issues/new", got, repo)
	}
	q := u.Query()
	if q.Get("template") != "new-error-code.yml" || q.Get("code") != "auth:74" || q.Get("title") != "New code: auth:74" {
		t.Errorf("the form link carries %v, want the new-code template with code auth:74", q)
	}
	// A code of the site, typed in full, gets no notice.
	b.keys(kb.Escape) // clears the box
	b.typeInto(selQuery, "auth:73")
	b.waitFirstResult("auth:73", e.slugOf(t, "auth:73"))
	if browserEval[bool](b, notice+` !== null`) {
		t.Error("auth:73, a code of the site, gets the no-page notice")
	}
}

// testSplitIndex searches a site whose index is in the split layout: the
// page fetches the parts a query needs and shows the same first results,
// titles included, as the Go searcher of the single layout.
func (e *browserEnv) testSplitIndex(t *testing.T) {
	data, err := errref.SearchIndex(e.split.site)
	if err != nil {
		t.Fatal(err)
	}
	s, err := search.NewSearcher(data)
	if err != nil {
		t.Fatal(err)
	}
	b := e.tab(t, e.split, tabOptions{})
	b.open("")
	for _, q := range []string{"firewall blocking", "accounts:4", "No internet connection detected."} {
		hits := s.Search(q, search.Options{Limit: 3})
		if len(hits) == 0 {
			t.Fatalf("%q: the Go searcher finds nothing", q)
		}
		b.keys(kb.Escape)
		b.typeInto(selQuery, q)
		b.waitFirstResult(q, hits[0].Slug)
		title := browserEval[string](b, jsResultLinks+`[0].querySelector(".row-title").textContent`)
		if title != hits[0].Title {
			t.Errorf("%q: the first result's title is %q, want %q", q, title, hits[0].Title)
		}
	}
	parts := browserEval[[]string](b, `performance.getEntriesByType("resource").map(function (r) { return new URL(r.name).pathname; }).filter(function (p) { return /\/search\/[td]\d+\.json$/.test(p); })`)
	var terms, docs int
	seen := map[string]bool{}
	for _, p := range parts {
		if seen[p] {
			t.Errorf("the page fetched %s twice", p)
		}
		seen[p] = true
		if strings.Contains(p, "/search/t") {
			terms++
		} else {
			docs++
		}
	}
	if terms == 0 || docs == 0 {
		t.Errorf("the page fetched %d term parts and %d document parts; want some of each (%v)", terms, docs, parts)
	}
	if all := len(e.split.files); len(parts) >= all/2 {
		t.Errorf("the page fetched %d parts of a site of %d files", len(parts), all)
	}
}

func (e *browserEnv) testKeyboardOpensResult(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	b.typeInto(selQuery, "accounts")
	b.waitFor("several results", jsResultLinks+".length > 1")
	results := b.resultSlugs()

	// ↓ moves to the first result; a second ↓ to the next one. The chosen
	// result is the one marked aria-selected or focused.
	b.keys(kb.ArrowDown)
	b.keys(kb.ArrowDown)
	chosen := `(function () {
	  var links = ` + jsResultLinks + `;
	  for (var i = 0; i < links.length; i++) {
	    var a = links[i], item = a.closest("[aria-selected]");
	    if (document.activeElement === a || a.getAttribute("aria-selected") === "true" || (item && item.getAttribute("aria-selected") === "true")) return a.href;
	  }
	  return "";
	})()`
	b.waitFor("a result to be highlighted", chosen+` !== ""`)
	href := browserEval[string](b, chosen)
	if want := b.url("codes/" + results[1] + "/"); href != want {
		t.Errorf("after ↓ ↓ the highlighted result is %s, want the second result %s", href, want)
	}
	b.keys(kb.Enter)
	b.waitURL(href)
	b.waitFor("the code page", `document.querySelector("h1") !== null`)
}

// testStatusAnnouncements checks the live region that tells screen
// readers the result count: it speaks after a pause in typing, and a
// count still pending when the box is cleared is dropped, not read out
// for a search that is gone.
func (e *browserEnv) testStatusAnnouncements(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	status := `document.querySelector("#search-status").textContent`
	b.typeInto(selQuery, "accounts")
	b.waitFor("the result count to be announced", status+`.indexOf("codes match") >= 0`)

	b.keys(kb.Escape) // clears the box
	b.waitFor("the announcement to be cleared", status+` === ""`)
	b.typeInto(selQuery, "firewall")
	b.keys(kb.Escape)
	// From here on, record every text the status takes. A count still due
	// for firewall was scheduled with app.js's delay before the page timer
	// below, which has a longer one: once that fires, the count has been
	// announced or dropped. The wait is on the page's own clock, not a
	// guess made from outside it.
	log := browserEval[[]string](b, `new Promise(function (done) {
	  var el = document.querySelector("#search-status"), log = [el.textContent];
	  new MutationObserver(function () { log.push(el.textContent); }).observe(el, {childList: true, characterData: true, subtree: true});
	  setTimeout(function () { log.push(el.textContent); done(log); }, 2 * 500);
	})`)
	for _, got := range log {
		if got != "" {
			t.Errorf("after clearing the box the status said %q; a pending count must be dropped", got)
		}
	}
}

// testSearchLoadFails types on a code page while the search index cannot
// be fetched: the page stays in view, the message offers links to every
// code and to browsing, and typing again after a pause retries the load.
func (e *browserEnv) testSearchLoadFails(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{block: []string{"*://*:*/*search-index.json"}})
	slug := e.slugOf(t, "accounts:4")
	b.open("codes/" + slug + "/")
	b.typeInto(selQuery, "firewall")
	b.waitFor("the failure message", `document.querySelector("#results .empty") !== null && /could not load/.test(document.querySelector("#results").textContent)`)
	if hidden := browserEval[bool](b, `document.getElementById("main").hidden`); hidden {
		t.Error("the code page is hidden while search has failed")
	}
	links := browserEval[[]string](b, `Array.from(document.querySelectorAll("#results .empty a")).map(function (a) { return a.href; })`)
	if want := []string{b.url(""), b.url("browse/")}; !slices.Equal(links, want) {
		t.Errorf("failure message links to %v, want %v", links, want)
	}

	// The connection comes back: after the retry pause, typing loads
	// search and shows results.
	b.do(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error { return blockURLs(ctx, tt, nil) }))
	b.do(chromedp.Sleep(5500 * time.Millisecond))
	b.typeInto(selQuery, "s")
	b.waitFor("results after the retry", jsResultLinks+".length > 0")
}

// testPrint prints a code page with a dark theme on screen, chosen by the
// system and by the toggle: paper gets black text, and the "Try first"
// badge, whose background a printer drops, is ink on white.
func (e *browserEnv) testPrint(t *testing.T) {
	slug := e.slugOf(t, "accounts:4")
	for _, chosen := range []bool{false, true} {
		b := e.tab(t, e.real, tabOptions{dark: true})
		b.open("codes/" + slug + "/")
		if chosen {
			browserEval[bool](b, `(document.documentElement.setAttribute("data-theme", "dark"), true)`)
		}
		b.do(chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print",
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}))
		got := browserEval[[]string](b, `(function () {
		  var body = getComputedStyle(document.body), badge = getComputedStyle(document.querySelector(".badge"));
		  return [body.color, body.backgroundColor, badge.color, badge.backgroundColor];
		})()`)
		want := []string{"rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)", "rgba(0, 0, 0, 0)"}
		if !slices.Equal(got, want) {
			t.Errorf("printed with a dark theme (chosen: %v): body color, background, badge color, background = %v, want %v", chosen, got, want)
		}
	}
}

// testRedirectKeepsFragment follows an old link to a renamed code, with a
// fragment: it lands on the new page at the same section, and Back does
// not return to the redirect page.
func (e *browserEnv) testRedirectKeepsFragment(t *testing.T) {
	b := e.tab(t, e.hostile, tabOptions{})
	b.open("")
	b.open("codes/old-x/#h-fix")
	b.waitURL(b.url("codes/x-script-alert-1-script/#h-fix"))
	browserEval[bool](b, `(history.back(), true)`)
	b.waitURL(b.url(""))
}

func (e *browserEnv) testQueryInURL(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	slug := e.slugOf(t, "auth:1")
	b.open("?q=" + url.QueryEscape("auth 1"))
	if got := browserEval[string](b, `document.querySelector("#q").value`); got != "auth 1" {
		t.Errorf("?q=auth+1 put %q in the search box", got)
	}
	b.waitFirstResult("?q=auth 1", slug)

	// Typing keeps the address in step, so that Back from a result comes
	// back to the same search.
	b.open("")
	b.typeInto(selQuery, "accounts:4")
	first := e.slugOf(t, "accounts:4")
	b.waitFirstResult("accounts:4", first)
	b.waitFor("the query in the address", `new URLSearchParams(location.search).get("q") === "accounts:4"`)
	b.click("#results a[href*='/codes/']")
	b.waitURL(b.url("codes/" + first + "/"))
	b.do(chromedp.Evaluate[chromedp.Void]("history.back()"))
	b.waitFor("the search page again", `location.pathname === `+jsString(browserSubPath)+` && new URLSearchParams(location.search).get("q") === "accounts:4"`)
	b.waitFor("the search box to be restored", `document.querySelector("#q") && document.querySelector("#q").value === "accounts:4"`)
	b.waitFirstResult("accounts:4 after Back", first)
}

// testLabelsFromPage checks that what app.js writes names filters and
// values as the server does: the filter groups by the names of the kinds
// of listing, every chip by its value's label, and the severity of a
// search hit, on a page other than the home page, by its label. app.js
// keeps no labels of its own, so they cannot drift.
func (e *browserEnv) testLabelsFromPage(t *testing.T) {
	site := e.real.site
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	b.waitFor("filters", `document.querySelector("#filters .facet-name")`)
	type shown struct{ Facet, Name string }
	names := browserEval[[]shown](b, `Array.from(document.querySelectorAll("#filters .facet-name")).map(function (h) { return {Facet: h.id.replace(/^facet-/, ""), Name: h.textContent}; })`)
	if len(names) < 2 {
		t.Fatalf("%d filter groups: %v", len(names), names)
	}
	for _, n := range names {
		if want := site.Config.Label("kind", n.Facet) + ":"; n.Name != want {
			t.Errorf("filter group %s is named %q, want %q", n.Facet, n.Name, want)
		}
	}
	type chip struct{ Facet, Value, Text string }
	chips := browserEval[[]chip](b, `Array.from(document.querySelectorAll("#filters button[data-facet]")).map(function (c) { return {Facet: c.getAttribute("data-facet"), Value: c.value, Text: c.textContent}; })`)
	if len(chips) == 0 {
		t.Fatal("no filter chips")
	}
	for _, c := range chips {
		if want := site.Config.Label(c.Facet, c.Value); !strings.HasPrefix(strings.TrimSpace(c.Text), want+" ") {
			t.Errorf("chip %s=%s reads %q, want it to start with %q", c.Facet, c.Value, c.Text, want)
		}
	}

	code := e.codeWithAll(t)
	b.open("codes/" + code.Slug + "/")
	b.typeInto(selQuery, code.Code)
	b.waitFor("search results", jsResultLinks+".length > 0")
	sev := browserEval[string](b, jsResultLinks+`[0].querySelector(".sev").textContent`)
	if want := site.Config.Label("severity", code.Severity); sev != want {
		t.Errorf("the first hit for %s shows severity %q, want %q", code.Code, sev, want)
	}
}

func (e *browserEnv) testFilters(t *testing.T) {
	site := e.real.site
	b := e.tab(t, e.real, tabOptions{})
	b.open("")
	b.waitFor("filters", `document.querySelector("#filters button, #filters input")`)
	if n, want := browserEval[int](b, jsVisibleRows+".length"), homeListed(site); n != want {
		t.Fatalf("before any filter the home page shows %d rows, want %d (of %d codes)", n, want, len(site.Codes))
	}
	slugsOf := func(cs []*errref.Code) []string {
		out := make([]string, 0, len(cs))
		for _, c := range cs {
			out = append(out, c.Slug)
		}
		sort.Strings(out)
		return out
	}
	// control finds the filter for a group: a button or checkbox in
	// #filters with the group's facet and value, or else the one whose
	// label starts with the group's label.
	control := func(g *errref.Group) string {
		return `(function () {
		  var els = Array.from(document.querySelectorAll("#filters button, #filters input"));
		  for (var i = 0; i < els.length; i++) {
		    if (els[i].getAttribute("data-facet") === ` + jsString(g.Kind) + ` && els[i].value === ` + jsString(g.ID) + `) return els[i];
		  }
		  for (i = 0; i < els.length; i++) {
		    var label = els[i].labels && els[i].labels.length ? els[i].labels[0] : els[i];
		    if ((label.textContent || "").trim().indexOf(` + jsString(g.Label) + `) === 0) return els[i];
		  }
		  return null;
		})()`
	}
	// count is the number a filter shows: the last number in its label.
	count := func(g *errref.Group) int {
		text := browserEval[string](b, `(function (el) { if (!el) return ""; var l = el.labels && el.labels.length ? el.labels[0] : el; return l.textContent; })(`+control(g)+`)`)
		f := strings.FieldsFunc(text, func(r rune) bool { return r < '0' || r > '9' })
		if len(f) == 0 {
			return -1
		}
		n, _ := strconv.Atoi(f[len(f)-1])
		return n
	}

	kinds := [][]*errref.Group{site.Categories, site.Platforms, site.Severities, site.Handlings}
	for _, groups := range kinds {
		for _, g := range groups {
			if len(g.Codes) == 0 || len(g.Codes) == len(site.Codes) {
				continue
			}
			t.Run(g.Kind+"="+g.ID, func(t *testing.T) {
				b.open("")
				b.waitFor("filters", `document.querySelector("#filters button, #filters input")`)
				if !browserEval[bool](b, control(g)+" !== null") {
					t.Fatalf("no filter for %s %s (%s) in #filters: %s", g.Kind, g.ID, g.Label, browserEval[string](b, `document.querySelector("#filters").textContent.replace(/\s+/g, " ")`))
				}
				if n := count(g); n != len(g.Codes) {
					t.Errorf("the filter shows %d, want its %d codes", n, len(g.Codes))
				}
				b.do(chromedp.Click(chromedp.JSPath(control(g)), chromedp.NodeVisible))
				want := slugsOf(g.Codes)
				b.waitFor("the list to narrow", jsVisibleRows+`.length === `+strconv.Itoa(len(want)))
				got := browserEval[[]string](b, jsVisibleRows+`.map(function (e) { return e.getAttribute("data-slug"); })`)
				sort.Strings(got)
				if !slices.Equal(got, want) {
					t.Errorf("shows %v, want %v", got, want)
				}
				if g.Kind == "category" {
					return
				}
				// The category filters now count only the codes that
				// pass this filter.
				in := map[*errref.Code]bool{}
				for _, c := range g.Codes {
					in[c] = true
				}
				for _, cat := range site.Categories {
					n := 0
					for _, c := range cat.Codes {
						if in[c] {
							n++
						}
					}
					if got := count(cat); n > 0 && got != n && got != -1 {
						t.Errorf("with %s=%s, the category filter %s shows %d, want %d", g.Kind, g.ID, cat.ID, got, n)
					}
				}
			})
		}
	}

	// A filter also narrows search results, and lives in the address.
	var mac *errref.Group
	for _, g := range site.Platforms {
		if len(g.Codes) > 0 && len(g.Codes) < len(site.Codes) && (mac == nil || len(g.Codes) < len(mac.Codes)) {
			mac = g
		}
	}
	if mac == nil {
		t.Fatal("no platform filter narrows the corpus")
	}
	b.open("")
	b.typeInto(selQuery, "error")
	b.waitFor("search results", jsResultLinks+".length > 0")
	b.do(chromedp.Click(chromedp.JSPath(control(mac)), chromedp.NodeVisible))
	b.waitFor("the filter in the address", `new URLSearchParams(location.search).get(`+jsString(mac.Kind)+`) === `+jsString(mac.ID))
	allowed := map[string]bool{}
	for _, c := range mac.Codes {
		allowed[c.Slug] = true
	}
	allowedJSON, _ := json.Marshal(allowed)
	onlyAllowed := `(function (ok) { var l = ` + jsResultLinks + `; return l.length > 0 && l.every(function (a) { var m = new URL(a.href).pathname.match(/\/codes\/([^/]+)\/$/); return m && ok[m[1]]; }); })(` + string(allowedJSON) + `)`
	b.waitFor("results of "+mac.ID+" only", onlyAllowed)
	b.do(chromedp.Reload())
	b.waitFor("the page to load", `document.readyState === "complete"`)
	b.waitFor("results of "+mac.ID+" only after a reload", onlyAllowed)

	// A filter in the address, with no search, narrows the list as the
	// home page opens (app.js loads search.js's filter rule first).
	b.open("?" + mac.Kind + "=" + mac.ID)
	b.waitFor("the list to narrow from the address", jsVisibleRows+`.length === `+strconv.Itoa(len(mac.Codes)))
	if n := count(mac); n != len(mac.Codes) {
		t.Errorf("opened with %s=%s, its filter shows %d, want %d", mac.Kind, mac.ID, n, len(mac.Codes))
	}
}

// browserAllowPage404 accepts a 404 for a page, the deliberate one of a
// missing address, and nothing else: a missing script, style or image
// still fails.
func browserAllowPage404(u string, status int64, typ network.ResourceType) bool {
	return status == 404 && typ == network.ResourceTypeDocument
}

// browserBackgrounds are the page backgrounds of the two themes.
const (
	lightBG = "rgb(255, 255, 255)"
	darkBG  = "rgb(20, 22, 26)"
)

func (e *browserEnv) testTheme(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{})
	code := e.real.site.Codes[0]
	b.open("")
	theme := func() (string, string) {
		v := browserEval[[]string](b, `[document.documentElement.getAttribute("data-theme") || "", getComputedStyle(document.body).backgroundColor]`)
		return v[0], v[1]
	}
	// firstFrame is what the probe saw at the first frame with a body:
	// the theme must be right before anything is painted.
	firstFrame := func(where, wantTheme, wantBG string) {
		t.Helper()
		b.waitFor("the first frame", "window.__firstFrame")
		ff := browserEval[map[string]string](b, "window.__firstFrame")
		if ff["theme"] != wantTheme || ff["bg"] != wantBG {
			t.Errorf("%s: the first frame had theme %q on %s, want %q on %s (a flash of the other theme)", where, ff["theme"], ff["bg"], wantTheme, wantBG)
		}
	}
	firstFrame("home, no choice yet", "", lightBG)
	if th, bg := theme(); th != "" || bg != lightBG {
		t.Fatalf("with no choice and a light system the theme is %q on %s", th, bg)
	}
	// Click until dark: the toggle cycles through its states.
	for i := 0; i < 3; i++ {
		if th, _ := theme(); th == "dark" {
			break
		}
		b.click(selToggle)
	}
	if th, bg := theme(); th != "dark" || bg != darkBG {
		t.Fatalf("the toggle never reached the dark theme: %q on %s", th, bg)
	}
	if label := browserEval[string](b, `document.querySelector("#theme-toggle").textContent + " " + (document.querySelector("#theme-toggle").getAttribute("aria-label") || "")`); !strings.Contains(strings.ToLower(label), "dark") {
		t.Errorf("the toggle's label does not say the theme is dark: %q", label)
	}

	b.open("codes/" + code.Slug + "/")
	firstFrame("another page", "dark", darkBG)
	b.do(chromedp.Reload())
	b.waitFor("the page to load", `document.readyState === "complete"`)
	firstFrame("after a reload", "dark", darkBG)

	// Light chosen on a dark system stays light, from the first frame on.
	d := e.tab(t, e.real, tabOptions{dark: true})
	d.open("")
	d.waitFor("the first frame", "window.__firstFrame")
	if ff := browserEval[map[string]string](d, "window.__firstFrame"); ff["theme"] != "" || ff["bg"] != darkBG {
		t.Errorf("no choice on a dark system: the first frame had %q on %s, want the dark background", ff["theme"], ff["bg"])
	}
	for i := 0; i < 3; i++ {
		if th := browserEval[string](d, `document.documentElement.getAttribute("data-theme") || ""`); th == "light" {
			break
		}
		d.click(selToggle)
	}
	d.open("codes/" + code.Slug + "/")
	d.waitFor("the first frame", "window.__firstFrame")
	if ff := browserEval[map[string]string](d, "window.__firstFrame"); ff["theme"] != "light" || ff["bg"] != lightBG {
		t.Errorf("light chosen on a dark system: the first frame had %q on %s", ff["theme"], ff["bg"])
	}
	// Back to following the system.
	for i := 0; i < 3; i++ {
		if th := browserEval[string](d, `document.documentElement.getAttribute("data-theme") || ""`); th == "" {
			break
		}
		d.click(selToggle)
	}
	if got := browserEval[string](d, `getComputedStyle(document.body).backgroundColor`); got != darkBG {
		t.Errorf("following a dark system, the background is %s", got)
	}
}

// browserCodeWithAll returns a code that has a message, a chain, causes
// and steps, preferring one with several of each.
func (e *browserEnv) codeWithAll(t *testing.T) *errref.Code {
	t.Helper()
	var best *errref.Code
	for _, c := range e.real.site.Codes {
		if c.Message == "" || len(c.Chain) < 2 || len(c.Causes) < 2 || len(c.Resolution) < 2 {
			continue
		}
		if best == nil || len(c.Chain)+len(c.Resolution) > len(best.Chain)+len(best.Resolution) {
			best = c
		}
	}
	if best == nil {
		t.Fatal("no code has a message, a chain, causes and steps")
	}
	return best
}

func (e *browserEnv) testCodePage(t *testing.T) {
	c := e.codeWithAll(t)
	b := e.tab(t, e.real, tabOptions{})
	b.open("codes/" + c.Slug + "/")
	h1 := browserEval[string](b, `document.querySelector("h1").textContent`)
	if !strings.Contains(h1, c.Code) || !strings.Contains(h1, c.Title) {
		t.Errorf("h1 = %q, want the code %q and the title %q", h1, c.Code, c.Title)
	}
	// Each list is under the heading that names it, visible, with one
	// item per entry of the YAML file.
	count := func(heading string) int {
		return browserEval[int](b, `(function () {
		  var hs = Array.from(document.querySelectorAll("h2"));
		  for (var i = 0; i < hs.length; i++) {
		    if (hs[i].textContent.trim().toLowerCase().indexOf(`+jsString(heading)+`) !== 0) continue;
		    var sec = hs[i].closest("section") || hs[i].parentElement, list = sec.querySelector("ol, ul");
		    if (!list || list.getClientRects().length === 0) return -1;
		    return Array.from(list.children).filter(function (li) { return li.getClientRects().length > 0 && li.textContent.trim() !== ""; }).length;
		  }
		  return -2;
		})()`)
	}
	for _, tc := range []struct {
		heading string
		want    int
	}{
		{"cause chain", len(c.Chain)},
		{"causes", len(c.Causes)},
		{"how to fix", len(c.Resolution)},
	} {
		if got := count(tc.heading); got != tc.want {
			t.Errorf("%s: %d visible items under the heading %q, want %d (-1: no visible list, -2: no heading)", c.Code, got, tc.heading, tc.want)
		}
	}
	// The chain reads root first, each step's name in order, and the
	// critical link says so in words, not only in colour.
	steps := browserEval[[]string](b, `Array.from(document.querySelectorAll(".chain > li")).map(function (li) { return li.textContent.replace(/\s+/g, " ").trim(); })`)
	for i, s := range c.Chain {
		if i >= len(steps) || !strings.Contains(steps[i], s.Step) {
			t.Errorf("chain step %d: page shows %q, want it to name %q", i, steps, s.Step)
			break
		}
		if low := strings.ToLower(steps[i]); s.State == "critical" && !strings.Contains(low, "critical") && !strings.Contains(low, "fail") && !strings.Contains(low, "break") {
			t.Errorf("chain step %d is critical but its text does not say so: %q", i, steps[i])
		}
	}
	if msg := browserEval[string](b, `(document.querySelector(".message blockquote") || {}).textContent || ""`); strings.TrimSpace(msg) != c.Message {
		t.Errorf("message shown as %q, want %q verbatim", strings.TrimSpace(msg), c.Message)
	}
	// The report link opens the correction form of this repository.
	report := browserEval[string](b, `(Array.from(document.querySelectorAll("a")).find(function (a) { return /report a problem/i.test(a.textContent); }) || {}).href || ""`)
	if report == "" {
		t.Error("no Report a problem link")
	} else if u, err := url.Parse(report); err != nil || u.Query().Get("template") == "" || u.Query().Get("code") != c.Code {
		t.Errorf("Report a problem = %q; want ?template=…&code=%s", report, c.Code)
	} else if _, err := os.Stat(filepath.Join(".github", "ISSUE_TEMPLATE", u.Query().Get("template"))); err != nil {
		t.Errorf("Report a problem uses template %q, which .github/ISSUE_TEMPLATE lacks", u.Query().Get("template"))
	}
}

// shownSource is one entry of a code page's Sources section as a reader
// sees it.
type shownSource struct {
	Href, Rel, Title, Domain, Supports string
	Visible                            bool
}

const jsShownSources = `(function () {
  var h = document.getElementById("h-sources");
  if (!h) return null;
  return Array.from(h.closest("section").querySelectorAll("li")).map(function (li) {
    var a = li.querySelector("a"), d = li.querySelector(".domain"), s = li.querySelector(".supports");
    return {Href: a ? a.getAttribute("href") : "", Rel: a ? a.rel : "", Title: (a ? a.textContent : li.firstChild.textContent).trim(),
      Domain: d ? d.textContent : "", Supports: s ? s.textContent : "", Visible: li.getClientRects().length > 0};
  });
})()`

// testSources reads the Sources section as a reader does: one visible
// entry per source, its title linked to its address, the domain beside it,
// the review date below; no source is fetched by the page itself (the
// tab fails on any request to another origin), and axe finds nothing.
func (e *browserEnv) testSources(t *testing.T) {
	c := e.codeWithAll(t)
	for _, dark := range []bool{false, true} {
		b := e.tab(t, e.real, tabOptions{dark: dark})
		b.open("codes/" + c.Slug + "/")
		got := browserEval[[]shownSource](b, jsShownSources)
		if len(got) != len(c.Sources) {
			t.Fatalf("%s: the Sources section shows %d entries, want %d: %+v", c.Code, len(got), len(c.Sources), got)
		}
		for i, s := range c.Sources {
			u, err := url.Parse(s.URL)
			if err != nil {
				t.Fatal(err)
			}
			want := shownSource{Href: s.URL, Rel: "noopener", Title: s.Title, Domain: strings.TrimPrefix(u.Hostname(), "www."), Visible: true}
			g := got[i]
			g.Domain = strings.Trim(g.Domain, "() ")
			g.Supports = ""
			if g != want {
				t.Errorf("source %d shows %+v, want %+v", i, g, want)
			}
		}
		reviewed := browserEval[string](b, `(document.querySelector(".reviewed time") || {getAttribute: function () { return ""; }}).getAttribute("datetime")`)
		text := browserEval[string](b, `(document.querySelector(".reviewed") || {}).innerText || ""`)
		if reviewed != c.Reviewed || !strings.Contains(text, "Reviewed "+c.Reviewed) {
			t.Errorf("review date shown as %q (datetime %q), want Reviewed %s", text, reviewed, c.Reviewed)
		}
		if e.axe != "" {
			b.axe(e.axe, "code page with sources")
		}
	}
	// A source that is no https page shows as text, never as a link.
	b := e.tab(t, e.hostile, tabOptions{})
	b.open("codes/auth-1/")
	got := browserEval[[]shownSource](b, jsShownSources)
	if len(got) != 2 || got[0].Href != "" || got[0].Title != "<script>alert(1)</script>" || got[0].Domain != "" {
		t.Errorf("hostile sources show as %+v; want the javascript: one as plain text, with no link or domain", got)
	}
}

func (e *browserEnv) testCopyButtons(t *testing.T) {
	c := e.codeWithAll(t)
	b := e.tab(t, e.real, tabOptions{})
	b.setClipboard(browser.PermissionSettingGranted, "clipboard-read", "clipboard-write")
	b.open("codes/" + c.Slug + "/")
	canonical := b.url("codes/" + c.Slug + "/")
	reply := browserEval[string](b, `(Array.from(document.querySelectorAll("button[data-copy]")).find(function (x) { return x.textContent.trim() === "Copy as reply"; }) || {dataset: {}}).dataset.copy || ""`)
	chat := browserEval[string](b, `(Array.from(document.querySelectorAll("button[data-copy]")).find(function (x) { return x.textContent.trim() === "Copy for chat"; }) || {dataset: {}}).dataset.copy || ""`)
	// The reply is built with the page: the code and title in bold, the
	// message quoted, the numbered steps and the page's link.
	for _, want := range []string{"**`" + c.Code + "` — " + c.Title + "**\n", "\n> " + c.Message + "\n", "\nTry first: **", "\n1. ", "\n2. ", canonical + "\n"} {
		if !strings.Contains(reply, want) {
			t.Errorf("Copy as reply carries %q, which lacks %q", reply, want)
		}
	}
	if !strings.HasPrefix(chat, c.Code+" — "+c.Title+"\n") || strings.Contains(chat, "**") {
		t.Errorf("Copy for chat carries %q: want plain text that starts with the code and title", chat)
	}
	status := `document.getElementById("search-status").textContent`
	// Each copy says what it copied, so that copies one after another
	// are told apart when read out.
	for _, tc := range []struct{ button, want, said string }{
		{"Copy message", c.Message, "Message copied"},
		{"Copy link", canonical, "Link to this page copied"},
		{"Copy as reply", reply, "Reply copied as Markdown"},
		{"Copy for chat", chat, "Reply copied as plain text"},
	} {
		i := browserEval[int](b, `Array.from(document.querySelectorAll("button[data-copy]")).findIndex(function (x) { return x.textContent.trim() === `+jsString(tc.button)+`; })`)
		if i < 0 {
			t.Errorf("no %q button", tc.button)
			continue
		}
		sel := `document.querySelectorAll("button[data-copy]")[` + strconv.Itoa(i) + `]`
		// Clear the clipboard first, so an old value cannot pass.
		browserEval[chromedp.Void](b, `navigator.clipboard.writeText("")`)
		b.do(chromedp.Click(chromedp.JSPath(sel), chromedp.NodeVisible))
		b.waitFor("the button to confirm", sel+`.textContent.trim() !== `+jsString(tc.button))
		if got := browserEval[string](b, sel+".textContent.trim()"); !strings.HasPrefix(got, "Copied") {
			t.Errorf("%q says %q after the click, want Copied", tc.button, got)
		}
		if got := browserEval[string](b, "navigator.clipboard.readText()"); got != tc.want {
			t.Errorf("%q put %q on the clipboard, want %q", tc.button, got, tc.want)
		}
		b.waitFor("the live region to announce the copy", status+` !== ""`)
		if got := browserEval[string](b, status); got != tc.said {
			t.Errorf("after %q the live region says %q, want %q", tc.button, got, tc.said)
		}
	}
	// The same copy again is announced again: the region is emptied,
	// then given the text anew, which a screen reader reads as new.
	browserEval[chromedp.Void](b, `(function () {
	  var el = document.getElementById("search-status");
	  window.errrefSaid = [];
	  new MutationObserver(function () { window.errrefSaid.push(el.textContent); }).observe(el, {childList: true, characterData: true, subtree: true});
	})()`)
	again := `Array.from(document.querySelectorAll("button[data-copy]")).find(function (x) { return x.textContent.trim() === "Copy for chat"; })`
	b.waitFor("the button to be back", again)
	b.do(chromedp.Click(chromedp.JSPath(again), chromedp.NodeVisible))
	b.waitFor("the second announcement", `window.errrefSaid.length > 0 && window.errrefSaid[window.errrefSaid.length - 1] !== ""`)
	if got := browserEval[[]string](b, `window.errrefSaid`); len(got) != 2 || got[0] != "" || got[1] != "Reply copied as plain text" {
		t.Errorf("copying the same reply again changed the live region to %q; want it emptied, then the announcement", got)
	}

	// Without clipboard access the text is left selected for the reader
	// to copy by hand, and the button and the live region say so.
	b = e.tab(t, e.real, tabOptions{})
	b.setClipboard(browser.PermissionSettingDenied, "clipboard-write")
	b.open("codes/" + c.Slug + "/")
	field := `(function () { var f = document.activeElement; return f && f.classList.contains("copy-field") ? f.value.slice(f.selectionStart, f.selectionEnd) : ""; })()`
	for _, tc := range []struct{ button, selection string }{
		{"Copy message", `window.getSelection().toString()`},
		{"Copy link", field},
		{"Copy as reply", field},
	} {
		i := browserEval[int](b, `Array.from(document.querySelectorAll("button[data-copy]")).findIndex(function (x) { return x.textContent.trim() === `+jsString(tc.button)+`; })`)
		sel := `document.querySelectorAll("button[data-copy]")[` + strconv.Itoa(i) + `]`
		b.do(chromedp.Click(chromedp.JSPath(sel), chromedp.NodeVisible))
		b.waitFor("the button to report the failure", `/^Selected: press/.test(`+sel+`.textContent)`)
		want := map[string]string{"Copy message": c.Message, "Copy link": canonical, "Copy as reply": reply}[tc.button]
		if got := browserEval[string](b, tc.selection); got != want {
			t.Errorf("after a failed %q the selection is %q, want %q", tc.button, got, want)
		}
		b.waitFor("the live region to report the failure", `document.getElementById("search-status").textContent !== ""`)
		if got := browserEval[string](b, `document.getElementById("search-status").textContent`); !strings.Contains(got, "Could not copy") {
			t.Errorf("after a failed %q the live region says %q", tc.button, got)
		}
	}
}

// setClipboard grants or denies the tab's origin the clipboard
// permissions named.
func (b *browserTab) setClipboard(setting browser.PermissionSetting, perms ...string) {
	b.t.Helper()
	ctx, cancel := b.actx()
	defer cancel()
	for _, perm := range perms {
		if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: perm},
			Setting:    setting,
			Origin:     b.site.srv.URL,
			// The tab's own browser context; without it the grant would
			// go to the default one.
			BrowserContextID: chromedp.FromContext(b.ctx).BrowserContextID,
		}); err != nil {
			b.t.Fatalf("setting %s to %s: %v", perm, setting, err)
		}
	}
}

// testAnchors opens a code page at its third step, as a link from a forum
// would: that step is highlighted; a step's own link shows on focus,
// copies the step's address and goes there.
func (e *browserEnv) testAnchors(t *testing.T) {
	c := e.codeWithAll(t)
	if len(c.Resolution) < 3 {
		t.Fatalf("%s has %d steps; the test needs a third", c.Code, len(c.Resolution))
	}
	b := e.tab(t, e.real, tabOptions{})
	b.setClipboard(browser.PermissionSettingGranted, "clipboard-read", "clipboard-write")
	b.open("codes/" + c.Slug + "/#fix-3")
	bg := func(id string) string {
		return browserEval[string](b, `getComputedStyle(document.getElementById(`+jsString(id)+`)).backgroundColor`)
	}
	if !browserEval[bool](b, `document.getElementById("fix-3").matches(":target")`) {
		t.Fatal("#fix-3 is not the target of the page opened at it")
	}
	if bg("fix-3") == bg("fix-2") {
		t.Errorf("step 3, opened at, has the background of step 2 (%s): not highlighted", bg("fix-2"))
	}
	if y := browserEval[float64](b, `document.getElementById("fix-3").getBoundingClientRect().top`); y < 0 || y > 800 {
		t.Errorf("step 3 is at %.0fpx from the top of the window, not in view", y)
	}

	self := `document.querySelector("#fix-1 > a.self")`
	opacity := func() string { return browserEval[string](b, `getComputedStyle(`+self+`).opacity`) }
	// Hidden until hover or focus (0); on a screen without hover, as
	// headless Chromium reports, shown faintly (0.8) all the time.
	if o := opacity(); o == "1" {
		t.Errorf("step 1's link shows in full (opacity %s) before hover or focus", o)
	}
	if name := browserEval[string](b, self+`.textContent`); !strings.Contains(name, "Link to step 1") {
		t.Errorf("step 1's link is named %q", name)
	}
	browserEval[chromedp.Void](b, self+`.focus()`)
	if o := opacity(); o != "1" {
		t.Errorf("step 1's link, focused, has opacity %s, want 1", o)
	}
	browserEval[chromedp.Void](b, `navigator.clipboard.writeText("")`)
	b.do(chromedp.Click(chromedp.JSPath(self), chromedp.NodeVisible))
	want := b.url("codes/" + c.Slug + "/#fix-1")
	b.waitFor("the link to be copied", `document.getElementById("search-status").textContent !== ""`)
	if got := browserEval[string](b, `document.getElementById("search-status").textContent`); got != "Link to step 1 copied" {
		t.Errorf("after step 1's link the live region says %q, want %q", got, "Link to step 1 copied")
	}
	if got := browserEval[string](b, "navigator.clipboard.readText()"); got != want {
		t.Errorf("step 1's link copied %q, want %q", got, want)
	}
	if got := b.location(); got != want {
		t.Errorf("after the click the page is at %s, want %s", got, want)
	}
	if bg("fix-1") == bg("fix-2") {
		t.Error("step 1 is not highlighted after its link was followed")
	}
	// A section's link names the section when it announces the copy.
	section := `document.querySelector("#h-fix").parentNode.querySelector("a.self")`
	browserEval[chromedp.Void](b, `document.getElementById("search-status").textContent = ""`)
	b.do(chromedp.Click(chromedp.JSPath(section), chromedp.NodeVisible))
	b.waitFor("the section's link to be copied", `document.getElementById("search-status").textContent !== ""`)
	if got, want := browserEval[string](b, `document.getElementById("search-status").textContent`), "Link to the section \u201cHow to fix it\u201d copied"; got != want {
		t.Errorf("after the section's link the live region says %q, want %q", got, want)
	}
}

func (e *browserEnv) testNotFoundRedirects(t *testing.T) {
	slug := e.slugOf(t, "auth:1")
	allow404 := browserAllowPage404
	for _, p := range []string{"auth:1", "AUTH-1", "codes/auth:1", "auth-1"} {
		t.Run(p, func(t *testing.T) {
			b := e.tab(t, e.real, tabOptions{allowStatus: allow404})
			ctx, cancel := b.actx()
			resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.url(p)))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 404 {
				t.Errorf("%s answered %d, want the 404 page with status 404", p, resp.Status)
			}
			b.waitURL(b.url("codes/" + slug + "/"))
			b.waitFor("the code page", `document.querySelector("h1") && document.querySelector("h1").textContent.indexOf("auth:1") >= 0`)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		b := e.tab(t, e.real, tabOptions{allowStatus: allow404})
		b.open("no-such-page/")
		// notfound.js decides at once: it sends the reader on, or says
		// that nothing matches. Wait for that verdict, not for a time.
		b.waitFor("the 404 page's verdict", `/No page or error code matches/.test((document.getElementById("nf-status") || {}).textContent || "")`)
		if got := b.location(); got != b.url("no-such-page/") {
			t.Errorf("an unknown path was sent to %s", got)
		}
		if h1 := browserEval[string](b, `document.querySelector("h1").textContent`); !strings.Contains(strings.ToLower(h1), "not found") {
			t.Errorf("404 page h1 = %q", h1)
		}
	})
}

// browserLinks returns the same-origin links of the page, without their
// fragments, and the fragment-only links.
func (b *browserTab) links() (pages, fragments []string) {
	b.t.Helper()
	v := browserEval[[][]string](b, `(function () {
	  var pages = [], frags = [];
	  document.querySelectorAll("a[href]").forEach(function (a) {
	    var u = new URL(a.getAttribute("href"), document.baseURI);
	    if (u.origin !== location.origin) return;
	    if (u.pathname === location.pathname && u.search === location.search && u.hash) frags.push(decodeURIComponent(u.hash.slice(1)));
	    else pages.push(u.pathname);
	  });
	  return [pages, frags];
	})()`)
	return v[0], v[1]
}

// checkLinks fails for every same-origin link of the page that does not
// lead to a page of the site, and every fragment without its target.
func (b *browserTab) checkLinks(where string) {
	b.t.Helper()
	pages, frags := b.links()
	for _, p := range pages {
		if status, _ := b.site.lookup(p); status != http.StatusOK {
			b.t.Errorf("%s: link to %s gives %d", where, p, status)
		}
	}
	for _, f := range frags {
		if !browserEval[bool](b, `document.getElementById(`+jsString(f)+`) !== null`) {
			b.t.Errorf("%s: link to #%s, which the page lacks", where, f)
		}
	}
}

func (e *browserEnv) testNoJavaScript(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{noJS: true})
	site := e.real.site
	b.open("")
	if browserEval[bool](b, `document.documentElement.hasAttribute("data-js")`) {
		t.Fatal("scripts ran although they are disabled: the test would prove nothing")
	}
	got := browserEval[[]string](b, jsVisibleRows+`.map(function (e) { return e.getAttribute("data-slug"); })`)
	if len(site.Codes) <= errref.HomeAllCodes {
		var want []string
		for _, c := range site.Codes {
			want = append(want, c.Slug)
		}
		if !slices.Equal(got, want) {
			t.Errorf("without JavaScript the home page lists %d codes, want all %d in order\n got %v\nwant %v", len(got), len(want), got, want)
		}
	} else {
		// A partial home page: each category's most linked codes, in
		// the site's order, and a link to the rest of the category.
		at := 0
		for _, g := range site.Categories {
			n := min(len(g.Codes), errref.HomeTopCodes)
			if at+n > len(got) {
				t.Fatalf("without JavaScript the home page lists %d codes, want %d", len(got), homeListed(site))
			}
			last := -1
			for _, slug := range got[at : at+n] {
				i := slices.IndexFunc(g.Codes, func(c *errref.Code) bool { return c.Slug == slug })
				if i <= last {
					t.Errorf("without JavaScript, %s is listed under %s out of order or not in it", slug, g.ID)
				}
				last = i
			}
			at += n
			if n < len(g.Codes) && !browserEval[bool](b, `document.querySelector(`+jsString("#cat-"+g.ID+` .more a[href$="/category/`+g.ID+`/"]`)+`) !== null`) {
				t.Errorf("the home page lists %d of the %d codes of %s without a link to the others", n, len(g.Codes), g.ID)
			}
		}
		if at != len(got) {
			t.Errorf("without JavaScript the home page lists %d codes, want %d", len(got), at)
		}
	}
	// Controls that need a script stay out of sight.
	if n := browserEval[int](b, `Array.from(document.querySelectorAll("button")).filter(function (x) { return x.type !== "submit" && x.getClientRects().length > 0; }).length`); n > 0 {
		t.Errorf("%d script-only buttons are visible without JavaScript", n)
	}
	b.checkLinks("home")
	// The reader learns why the box found nothing and what to do instead;
	// with scripts on, that note is hidden (testHomeLoadsClean).
	if note := browserEval[string](b, `Array.from(document.querySelectorAll(".no-js-only")).filter(function (x) { return x.getClientRects().length > 0; }).map(function (x) { return x.textContent; }).join(" ")`); !strings.Contains(note, "Search needs JavaScript") {
		t.Errorf("without JavaScript the home page does not say that search needs it; visible note: %q", note)
	}

	// Each listing lists exactly its codes and its links work.
	var groups []*errref.Group
	for _, gs := range [][]*errref.Group{site.Categories, site.Subsystems, site.Platforms, site.Severities, site.Handlings} {
		groups = append(groups, gs...)
	}
	listed := 0
	for _, g := range groups {
		if len(g.Codes) == 0 {
			continue
		}
		// A long listing is split into pages of ListingPageSize codes.
		rel := g.Kind + "/" + rules.Slug(g.ID) + "/"
		for n := 1; (n-1)*errref.ListingPageSize < len(g.Codes); n++ {
			page := rel
			if n > 1 {
				page = fmt.Sprintf("%spage/%d/", rel, n)
			}
			b.open(page)
			var want []string
			for _, c := range g.Codes[(n-1)*errref.ListingPageSize : min(len(g.Codes), n*errref.ListingPageSize)] {
				want = append(want, c.Slug)
			}
			got := browserEval[[]string](b, `Array.from(document.querySelectorAll("main li.row[data-slug]")).map(function (e) { return e.getAttribute("data-slug"); })`)
			if !slices.Equal(got, want) {
				t.Errorf("%s lists %v, want %v", page, got, want)
			}
			b.checkLinks(page)
		}
		listed++
	}
	if listed < len(site.Categories) {
		t.Errorf("only %d listing pages checked", listed)
	}
	b.open("browse/")
	b.checkLinks("browse/")

	// A code page is complete: chain, causes and steps are there, and its
	// links work.
	c := e.codeWithAll(t)
	b.open("codes/" + c.Slug + "/")
	text := browserEval[string](b, `document.querySelector("main").innerText`)
	for _, s := range append([]string{c.Code, c.Message, c.Chain[0].Step}, c.Chain[len(c.Chain)-1].Step) {
		if !strings.Contains(text, s) {
			t.Errorf("the code page without JavaScript lacks %q", s)
		}
	}
	b.checkLinks("codes/" + c.Slug + "/")

	// Navigating by a real click works too: home → first row → its page.
	b.open("")
	b.click("li.row[data-slug] a")
	b.waitURL(b.url("codes/" + site.Codes[0].Slug + "/"))

	// The search form still works: it submits to the home page with ?q=.
	b.open("")
	b.typeInto(selQuery, "auth")
	b.keys(kb.Enter)
	b.waitFor("the form to submit", `new URLSearchParams(location.search).get("q") === "auth"`)
}

// jsLayoutProblems lists what breaks a small screen: the page scrolling
// sideways, and visible text smaller than 14 CSS pixels.
const jsLayoutProblems = `(function () {
  var out = [], de = document.documentElement;
  if (de.scrollWidth > window.innerWidth) {
    var wide = Array.from(document.querySelectorAll("body *")).filter(function (e) {
      var r = e.getBoundingClientRect(); return r.right > window.innerWidth + 0.5 && r.width > 0;
    }).slice(0, 5).map(function (e) { return e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " (right edge " + Math.round(e.getBoundingClientRect().right) + ")"; });
    out.push("scrolls sideways: scrollWidth " + de.scrollWidth + " > " + window.innerWidth + "; widest: " + wide.join(", "));
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), seen = {};
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    var el = n.parentElement, r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    if (r.width <= 1 || r.height <= 1 || cs.visibility === "hidden" || el.getClientRects().length === 0) continue;
    var size = parseFloat(cs.fontSize);
    if (size < 14) {
      var key = el.tagName.toLowerCase() + "." + String(el.className).split(" ").join(".") + " " + size + "px";
      if (!seen[key]) { seen[key] = true; out.push("text at " + size + "px: " + key + " \"" + n.nodeValue.trim().slice(0, 30) + "\""); }
    }
  }
  return out;
})()`

func (e *browserEnv) testPhone(t *testing.T) {
	b := e.tab(t, e.real, tabOptions{width: 360, height: 640, mobile: true})
	check := func(where string) {
		t.Helper()
		for _, p := range browserEval[[]string](b, jsLayoutProblems) {
			t.Errorf("%s at 360×640: %s", where, p)
		}
	}
	// The longest code and the longest title stress the layout most.
	longest := e.real.site.Codes[0]
	for _, c := range e.real.site.Codes {
		if len(c.Code)+len(c.Title) > len(longest.Code)+len(longest.Title) {
			longest = c
		}
	}
	for _, rel := range []string{"", "codes/" + longest.Slug + "/", "codes/" + e.codeWithAll(t).Slug + "/", "category/" + e.real.site.Categories[0].ID + "/", "browse/"} {
		b.open(rel)
		check("/" + rel)
	}
	b.open("")
	b.typeInto(selQuery, "firewall")
	b.waitFor("search results", jsResultLinks+".length > 0")
	check("search results")
	b.screenshot(e.shots, "phone.png")
}

func (e *browserEnv) testHostile(t *testing.T) {
	allow404 := browserAllowPage404
	b := e.tab(t, e.hostile, tabOptions{allowStatus: allow404})
	s := e.hostile
	var pages []string
	for name := range s.files {
		if strings.HasSuffix(name, ".html") {
			pages = append(pages, strings.TrimSuffix(name, "index.html"))
		}
	}
	sort.Strings(pages)
	if len(pages) < 5 {
		t.Fatalf("the hostile build has only %d pages", len(pages))
	}
	inert := func(where string) {
		t.Helper()
		// Wait until deferred scripts ran, then look for what an
		// injection would leave behind.
		b.waitFor("scripts", `document.readyState === "complete"`)
		bad := browserEval[[]string](b, `(function () {
		  var out = [];
		  if (window.__pwned) out.push("a dialog function was called");
		  document.querySelectorAll("*").forEach(function (el) {
		    for (var i = 0; i < el.attributes.length; i++) {
		      var a = el.attributes[i];
		      if (/^on/i.test(a.name)) out.push("<" + el.tagName.toLowerCase() + " " + a.name + ">");
		      if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) out.push("<" + el.tagName.toLowerCase() + " " + a.name + "=" + a.value + ">");
		    }
		  });
		  document.querySelectorAll("script").forEach(function (s) {
		    // Data blocks, which the browser does not run; the JSON-LD
		    // must still parse, so hostile text did not end it early.
		    if (s.type === "application/json") return;
		    if (s.type === "application/ld+json") {
		      try { JSON.parse(s.textContent); } catch (e) { out.push("JSON-LD that does not parse: " + s.textContent.slice(0, 40)); }
		      return;
		    }
		    if (!s.src || new URL(s.src).origin !== location.origin) out.push("script " + (s.src || s.textContent.slice(0, 40)));
		  });
		  document.querySelectorAll("iframe, object, embed, img:not([src$='favicon.svg'])").forEach(function (el) { out.push("<" + el.tagName.toLowerCase() + ">"); });
		  return out;
		})()`)
		for _, x := range bad {
			t.Errorf("%s: %s", where, x)
		}
	}
	for _, p := range pages {
		if p == "404.html" {
			continue
		}
		b.open(p)
		inert("/" + p)
	}
	// The search UI writes results into the page: hostile titles and
	// queries must stay text there too.
	for _, q := range []string{"auth", "<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "{{.Config}}"} {
		b.open("?q=" + url.QueryEscape(q))
		b.waitFor("the search to run", jsSearchDone)
		inert("search " + q)
		if q == "auth" {
			// The hostile title is in the results, as text.
			if text := browserEval[string](b, `document.querySelector("#results").textContent`); !strings.Contains(text, "<script>alert(1)</script>") {
				t.Errorf("the results for %q do not show the hostile title as text: %q", q, text)
			}
		}
		b.open("")
		b.paste(selQuery, q)
		b.waitFor("the search to run", jsSearchDone)
		inert("pasted " + q)
	}
	// A hostile path that is an alias of auth:1: 404.html fetches
	// slugs.json and then sends the reader to the code's page. Wait for
	// that before looking, or the page changes under the check.
	b.open(`<img src=x onerror=alert(1)>`)
	b.waitFor("404.html to send the reader to auth:1", `location.pathname.endsWith("/codes/auth-1/") && document.readyState === "complete"`)
	inert("the page a hostile 404 path leads to")
	// One that names nothing: the 404 page says so, as text.
	b.open(`<svg onload=alert(1)>`)
	b.waitFor("404.html to say nothing matches", `(document.getElementById("nf-status") || {}).textContent`)
	if text := browserEval[string](b, `document.getElementById("nf-status").textContent`); !strings.Contains(text, "<svg onload=alert(1)>") {
		t.Errorf("the 404 page does not show the hostile path as text: %q", text)
	}
	inert("404 for a hostile path")
}

// axeViolation is one rule that failed, as axe-core reports it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core on the page and fails for every violation.
func (b *browserTab) axe(src, where string) {
	b.t.Helper()
	if !browserEval[bool](b, `typeof window.axe === "object"`) {
		ctx, cancel := b.actx()
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src))
		cancel()
		if err != nil {
			b.t.Fatalf("loading axe-core: %v", err)
		}
	}
	raw := browserEval[string](b, `axe.run(document, {resultTypes: ["violations"]}).then(function (r) { return JSON.stringify(r.violations); })`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatal(err)
	}
	for _, v := range vs {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target))
			if len(targets) == 5 {
				targets = append(targets, fmt.Sprintf("… %d in all", len(v.Nodes)))
				break
			}
		}
		detail := ""
		if len(v.Nodes) > 0 {
			detail = "\n\t" + strings.ReplaceAll(v.Nodes[0].Summary, "\n", "\n\t")
		}
		b.t.Errorf("%s: axe %s (%s): %s\n\ttargets: %s%s", where, v.ID, v.Impact, v.Help, strings.Join(targets, " "), detail)
	}
}

func (e *browserEnv) testAccessibility(t *testing.T) {
	if e.axe == "" {
		browserSkipOrFail(t, "AXE_JS is not set to axe-core's axe.min.js")
	}
	c := e.codeWithAll(t)
	allow404 := browserAllowPage404
	for _, dark := range []bool{false, true} {
		name := "light"
		if dark {
			name = "dark"
		}
		t.Run(name, func(t *testing.T) {
			// The system's preference picks the theme, as for most readers.
			b := e.tab(t, e.real, tabOptions{dark: dark, allowStatus: allow404})
			want := lightBG
			if dark {
				want = darkBG
			}
			b.open("")
			if bg := browserEval[string](b, "getComputedStyle(document.body).backgroundColor"); bg != want {
				t.Fatalf("theme %s: background %s, want %s", name, bg, want)
			}
			b.axe(e.axe, "home")
			b.open("codes/" + c.Slug + "/")
			b.axe(e.axe, "code page")
			// Opened at a step, as a forum link does: the step is
			// highlighted and its link shown.
			b.open("codes/" + c.Slug + "/#fix-3")
			b.axe(e.axe, "code page opened at a step")
			b.open("category/" + e.real.site.Categories[0].ID + "/")
			b.axe(e.axe, "category listing")
			b.open("browse/")
			b.axe(e.axe, "browse")
			b.open("no-such-page/")
			b.axe(e.axe, "404 page")
			b.open("")
			b.typeInto(selQuery, "accounts")
			b.waitFor("search results", jsResultLinks+".length > 1")
			b.keys(kb.ArrowDown)
			b.axe(e.axe, "home with results")
			b.keys(kb.Escape)
			b.keys(kb.Escape)
			b.typeInto(selQuery, "auth:74")
			b.waitFor("the no-page notice", `document.querySelector("#results .no-page a") !== null`)
			b.axe(e.axe, "home with the no-page notice")
		})
	}
}

func (e *browserEnv) testScreenshots(t *testing.T) {
	if e.shots == "" {
		t.Skip("ERRREF_SCREENSHOTS is not set")
	}
	for _, dark := range []bool{false, true} {
		b := e.tab(t, e.real, tabOptions{dark: dark})
		b.open("")
		if dark {
			b.screenshot(e.shots, "home-dark.png")
			continue
		}
		b.screenshot(e.shots, "home-light.png")
		b.paste(selQuery, "A firewall may be blocking Spotify. (Error code: accounts:103)")
		b.waitFor("search results", jsResultLinks+".length > 0")
		time.Sleep(200 * time.Millisecond)
		b.screenshot(e.shots, "search.png")
		b.open("codes/" + e.codeWithAll(t).Slug + "/")
		b.screenshot(e.shots, "code.png")
	}
}

// homeListed is how many codes the home page lists: all of them, or on a
// partial home page each category's most linked (errref.HomeTopCodes).
func homeListed(site *errref.Site) int {
	if len(site.Codes) <= errref.HomeAllCodes {
		return len(site.Codes)
	}
	n := 0
	for _, g := range site.Categories {
		n += min(len(g.Codes), errref.HomeTopCodes)
	}
	return n
}
