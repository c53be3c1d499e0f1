package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
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
			return copyRealSite(filepath.Join(e.WorkDir, "real"))
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfor": waitFor,
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
		{[]string{"build", "-dir", broken, "-o", filepath.Join(t.TempDir(), "out")}, 1},
		{[]string{"search", "-dir", site, "auth:1"}, 0},
		{[]string{"search", "-dir", site}, 2},
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
