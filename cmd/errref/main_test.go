package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/errref/errref/internal/synth"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"errref": func() {
			os.Exit(run(os.Args[1:], &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
		},
	})
}

// TestScripts runs the command as a user types it: every file under
// testdata/script is a txtar archive with a script and the files it needs.
// The real site.yaml is copied into each script's work folder as
// $WORK/real/site.yaml, and the real codes/ as $WORK/real/codes.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			// A free port for errref serve; the tiny window between
			// closing this listener and serve opening it is harmless here.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			e.Setenv("PORT", fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
			ln.Close()
			// For errref links: a server with one page per behaviour, and
			// an address where nothing listens.
			srv := httptest.NewServer(linksHandler())
			e.Defer(srv.Close)
			e.Setenv("LINKS", srv.URL)
			closed, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return err
			}
			e.Setenv("REFUSED", "http://"+closed.Addr().String())
			closed.Close()
			return copyRealSite(filepath.Join(e.WorkDir, "real"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfor": waitFor,
			"expand":  expand,
			"gensite": genSite,
			"replace": replaceIn,
		},
		RequireExplicitExec: true,
	})
}

func copyRealSite(dst string) error {
	root := filepath.Join("..", "..")
	if err := os.MkdirAll(filepath.Join(dst, "codes"), 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(root, "site.yaml"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, "site.yaml"), data, 0o644); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(root, "codes", "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, "codes", filepath.Base(f)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// linksHandler answers as the pages in links.txtar expect.
func linksHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop2", http.StatusFound)
	})
	mux.HandleFunc("/loop2", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/private", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	})
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	return mux
}

// expand replaces ${NAME} in each file with the script's variable NAME,
// so a fixture can name the test server's address.
//
//	expand FILE...
func expand(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: expand FILE...")
	}
	re := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	for _, f := range args {
		data, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		out := re.ReplaceAllStringFunc(string(data), func(m string) string {
			return ts.Getenv(m[2 : len(m)-1])
		})
		ts.Check(os.WriteFile(ts.MkAbs(f), []byte(out), 0o644))
	}
}

// genSite writes a site of n generated codes (package synth) with the
// real site.yaml into DIR.
//
//	gensite DIR N
func genSite(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: gensite DIR N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	siteYAML, err := os.ReadFile(filepath.Join("..", "..", "site.yaml"))
	ts.Check(err)
	files, err := synth.Errref(siteYAML, n)
	ts.Check(err)
	for name, data := range files {
		p := ts.MkAbs(filepath.Join(args[0], filepath.FromSlash(name)))
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, data, 0o644))
	}
}

// replaceIn replaces the first OLD in FILE with NEW, as an editor saves:
// into a new file renamed over the old one.
//
//	replace FILE OLD NEW
func replaceIn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	p := ts.MkAbs(args[0])
	data, err := os.ReadFile(p)
	ts.Check(err)
	if !strings.Contains(string(data), args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	tmp := p + ".new~"
	ts.Check(os.WriteFile(tmp, []byte(strings.Replace(string(data), args[1], args[2], 1)), 0o644))
	ts.Check(os.Rename(tmp, p))
}

// waitFor fetches URL until its body matches the regular expression, for
// up to 20 seconds: errref serve rebuilds in the background.
//
//	waitfor URL REGEXP
func waitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfor URL REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		resp, err := client.Get(args[0])
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("status %d, %d bytes", resp.StatusCode, len(body))
			if re.Match(body) {
				ts.Logf("%s matched %q (%s)", args[0], args[1], last)
				return
			}
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	ts.Fatalf("%s never matched %q; last: %s", args[0], args[1], last)
}

// TestExitCodes pins the exit statuses scripts rely on: 0 for success, 1
// when the content has problems, 2 for a command line errref cannot use.
// testscript's "! exec" only tells zero from non-zero.
func TestExitCodes(t *testing.T) {
	site := t.TempDir()
	if err := copyRealSite(site); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := os.MkdirAll(filepath.Join(broken, "codes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "codes", "auth-1.yaml"), []byte("code: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	offline := t.TempDir()
	if err := os.MkdirAll(filepath.Join(offline, "codes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(offline, "site.yaml"), []byte("title: t\nbase_url: https://errref.invalid/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"check", "-dir", site}, 0},
		{[]string{"check", "-dir", broken}, 1},
		{[]string{"check", "-format", "xml", "-dir", site}, 2},
		{[]string{"check", "-no-such-flag"}, 2},
		{[]string{"no-such-command"}, 2},
		{[]string{}, 2},
		{[]string{"fmt", "-check", "-dir", site}, 0},
		{[]string{"fmt", "-check", "-dir", broken}, 1},
		{[]string{"fmt", "-check", "-dir", t.TempDir()}, 1},
		{[]string{"new", "-dir", site, "a\xffb"}, 2},
		{[]string{"new", "-dir", site, "a\x00b"}, 2},
		{[]string{"new", "-dir", site}, 2},
		{[]string{"build", "-dir", site, "-o", "."}, 2},
		{[]string{"build", "-dir", site, "-base-url", "ftp://x/"}, 2},
		{[]string{"build", "-dir", site, "-base-url", "https://x.org/?a=1"}, 2},
		{[]string{"build", "-dir", broken, "-o", filepath.Join(t.TempDir(), "out")}, 1},
		{[]string{"search", "-dir", site, "auth:1"}, 0},
		{[]string{"search", "-dir", site}, 2},
		{[]string{"links", "-dir", site, "-format", "md"}, 2},
		{[]string{"links", "-dir", site, "-deadline", "-1s"}, 2},
		{[]string{"links", "-dir", site, "-max-age", "-1h"}, 2},
		{[]string{"links", "-dir", site, "-concurrency", "0"}, 2},
		{[]string{"links", "-dir", site, "here"}, 2},
		// Only names that never resolve: the network reads as down.
		{[]string{"links", "-dir", offline, "-cache", "off"}, 1},
	} {
		var stdout, stderr strings.Builder
		got := run(tc.args, &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
		if got != tc.want {
			t.Errorf("errref %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(tc.args, " "), got, tc.want, stdout.String(), stderr.String())
		}
		if got == 2 && !strings.Contains(stderr.String(), "errref") {
			t.Errorf("errref %s: a usage error should name the command; stderr: %s", strings.Join(tc.args, " "), stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(site, "site.yaml")); err != nil {
		t.Errorf("build -o . must not touch the site folder: %v", err)
	}
}

// TestServeTemplateError checks that a template that does not parse, which
// is no content rule, reaches the overlay as the error it is, with no
// made-up rule ID, and that the last good build stays served.
func TestServeTemplateError(t *testing.T) {
	dir := t.TempDir()
	if err := copyRealSite(dir); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"templates", "static"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join("..", "..", d))); err != nil {
			t.Fatal(err)
		}
	}
	var logged strings.Builder
	s := newDevServer(dir, "http://localhost:8080/", log.New(&logged, "", 0))
	s.rebuild()
	if s.snap == nil {
		t.Fatalf("the real site did not build:\n%s", logged.String())
	}
	tmpl := filepath.Join(dir, "templates", "code.html")
	if err := os.WriteFile(tmpl, []byte("{{ if }}"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.rebuild()

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/_errref/problems", nil))
	var got struct {
		Problems []struct{ Location, Rule, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != 1 || got.Problems[0].Rule != "" || !strings.Contains(got.Problems[0].Message, "code.html") {
		t.Errorf("problems = %+v, want one problem naming code.html and no rule", got.Problems)
	}
	if !strings.Contains(logged.String(), "still serving the last good build") {
		t.Errorf("log does not say the last good build is served:\n%s", logged.String())
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/codes/auth-1/", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "auth:1") {
		t.Errorf("GET /codes/auth-1/ = %d; the last good build should still be served", rec.Code)
	}
}

// linksSite writes a site whose only links are the given addresses (the
// sources of one code) and returns its folder.
func linksSite(t *testing.T, base string, urls ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "codes"), 0o755); err != nil {
		t.Fatal(err)
	}
	site := "title: t\nbase_url: " + base + "\ncategories:\n  - id: login\n    label: Sign-in\nplatforms:\n  - id: windows\n    label: Windows\n"
	code := "code: \"auth:1\"\ntitle: Service unavailable\nseverity: fatal\ncategory: login\nplatforms: [windows]\nhandling: retry\nchain:\n  - step: Auth servers\ncauses:\n  - Down.\nresolution:\n  - Retry.\nsources:\n"
	for i, u := range urls {
		code += fmt.Sprintf("  - url: %s\n    title: Source %d\n", u, i+1)
	}
	code += "added: 2026-11-22\n"
	for name, data := range map[string]string{"site.yaml": site, "codes/auth-1.yaml": code} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLinksMaxWait: -max-wait is the longest Retry-After errref links
// honours. A host that asks for less is waited for and checked; one that
// asks for more is not asked again in the run.
func TestLinksMaxWait(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.URL.Path]++
		n := asked[r.URL.Path]
		mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/limited/") && n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		maxWait string
		want    *regexp.Regexp
	}{
		{"1s", regexp.MustCompile(`LNK00[67] sources\[0\]\.url: ` + regexp.QuoteMeta(srv.URL) + `/limited/1s: .*asked to wait 2s`)},
		{"5s", nil},
	} {
		dir := linksSite(t, srv.URL+"/", srv.URL+"/limited/"+tc.maxWait)
		var stdout, stderr strings.Builder
		code := run([]string{"links", "-dir", dir, "-cache", "off", "-max-wait", tc.maxWait}, &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
		if code != 0 {
			t.Errorf("-max-wait %s: exit %d, want 0 (a wait is advice at most)\nstdout: %s\nstderr: %s", tc.maxWait, code, stdout.String(), stderr.String())
		}
		switch {
		case tc.want != nil && !tc.want.MatchString(stdout.String()):
			t.Errorf("-max-wait %s: a 2s Retry-After should end the check; stdout:\n%s", tc.maxWait, stdout.String())
		case tc.want == nil && stdout.String() != "":
			t.Errorf("-max-wait %s: a 2s Retry-After should be waited for; stdout:\n%s", tc.maxWait, stdout.String())
		}
	}
}

// TestLinksInterrupted: Ctrl-C (SIGINT) ends errref links early with the
// report of what it had checked, and exit status 130, not 0, although
// no link was found broken.
func TestLinksInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a process cannot send itself os.Interrupt on Windows")
	}
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done() // no answer until the checker gives up
	}))
	defer srv.Close()
	dir := linksSite(t, srv.URL+"/", srv.URL+"/slow")
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		// errref links catches SIGINT while its run lasts, and the run
		// lasts until the signal ends it: the server never answers.
		<-arrived
		if err := self.Signal(os.Interrupt); err != nil {
			t.Error(err)
		}
	}()
	var stdout, stderr strings.Builder
	code := run([]string{"links", "-dir", dir, "-cache", "off", "-timeout", "1m", "-per-host", "1"}, &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }})
	if code != 130 {
		t.Errorf("exit %d after Ctrl-C, want 130", code)
	}
	if !strings.Contains(stdout.String(), "LNK007") || !strings.Contains(stdout.String(), "the run was interrupted") {
		t.Errorf("the report should say which links the interruption left unchecked; stdout:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "errref links: interrupted: 2 addresses were not checked") {
		t.Errorf("stderr should say the run was interrupted; got:\n%s", stderr.String())
	}
}
