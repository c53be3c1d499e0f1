package main

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/errref/errref/internal/synth"
)

// TestBuildKilled kills real errref build processes (SIGKILL) at random
// moments and checks after each kill that public/ is one whole build,
// the previous one or the new one, never a mix or nothing, and that the
// next build that finishes leaves nothing beside public/.
func TestBuildKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills builds of a 300-code site; skipped with -short")
	}
	errref, err := exec.LookPath("errref") // this test binary, set up by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	siteYAML, err := os.ReadFile(filepath.Join("..", "..", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := synth.Errref(siteYAML, 300)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	site := filepath.Join(root, "site")
	for name, data := range files {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Two versions of the input that differ in one code, so that a tree
	// mixing two builds shows.
	edited := filepath.Join(site, "codes", "auth-1000.yaml")
	versionA := files["codes/auth-1000.yaml"]
	versionB := bytes.Replace(versionA, []byte("title: Synthetic failure 0"), []byte("title: Edited failure 0"), 1)
	if bytes.Equal(versionA, versionB) {
		t.Fatal("the edit changed nothing")
	}
	setVersion := func(v []byte) {
		t.Helper()
		if err := os.WriteFile(edited, v, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func(args ...string) time.Duration {
		t.Helper()
		start := time.Now()
		out, err := exec.Command(errref, append([]string{"build", "-dir", site}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("errref build %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return time.Since(start)
	}
	setVersion(versionB)
	build("-o", filepath.Join(root, "ref-b"))
	setVersion(versionA)
	build("-o", filepath.Join(root, "ref-a"))
	refs := map[string]map[string][32]byte{
		"A": hashTree(t, filepath.Join(root, "ref-a")),
		"B": hashTree(t, filepath.Join(root, "ref-b")),
	}
	took := build() // public/ now holds version A

	public := filepath.Join(site, "public")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	current := "A"
	kills := 12
	for i := range kills {
		next := map[string]string{"A": "B", "B": "A"}[current]
		setVersion(map[string][]byte{"A": versionA, "B": versionB}[next])
		delay := time.Duration(rng.Int64N(int64(took) * 11 / 10))
		cmd := exec.Command(errref, "build", "-dir", site)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		finished := err == nil

		got := hashTree(t, public)
		var whole string
		for name, ref := range refs {
			if sameTree(got, ref) {
				whole = name
			}
		}
		switch {
		case whole == "":
			t.Fatalf("kill %d after %v: public/ is not a whole build (%d files)", i+1, delay, len(got))
		case finished && whole != next:
			t.Fatalf("kill %d after %v: the build finished but public/ holds the previous build", i+1, delay)
		case whole != current && whole != next:
			t.Fatalf("kill %d after %v: public/ holds build %s, expected %s or %s", i+1, delay, whole, current, next)
		}
		t.Logf("kill %d after %v: public/ holds the %s build; beside it: %v", i+1, delay,
			map[bool]string{true: "new", false: "previous"}[whole == next], besides(t, site))
		current = whole
	}

	// A build that finishes removes whatever the killed ones left.
	setVersion(versionA)
	build()
	if !sameTree(hashTree(t, public), refs["A"]) {
		t.Error("after a finished build, public/ does not hold it")
	}
	if extra := besides(t, site); len(extra) > 0 {
		t.Errorf("after a finished build, the site folder still holds %v", extra)
	}
}

// besides lists what the site folder holds other than its inputs and
// public/.
func besides(t *testing.T, site string) []string {
	t.Helper()
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !slices.Contains([]string{"site.yaml", "codes", "public"}, e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

// hashTree returns the SHA-256 of every file under dir by slash path, or
// nil when dir does not exist.
func hashTree(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(data)
		return err
	})
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string][32]byte) bool {
	if len(a) != len(b) || a == nil {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
