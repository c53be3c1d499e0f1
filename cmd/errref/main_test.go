package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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
