package errref

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestLiveFollowsEdits edits a generated site the way errref serve sees
// it and checks after each rebuild that the snapshot serves exactly what
// a full build of the same input gives, that an edit of one code makes
// again only a few outputs, and that a broken edit keeps the last good
// snapshot.
func TestLiveFollowsEdits(t *testing.T) {
	fsys := syntheticFS(t, 60)
	live := NewLive(fsys, BuildOptions{BaseURL: "https://example.org/repo/"})
	first, err := live.Rebuild()
	if err != nil {
		t.Fatal(err)
	}
	c := first.Site.Codes[5]
	page := "codes/" + c.Slug + "/index.html"
	set := func(name string, data []byte) {
		fsys[name] = &fstest.MapFile{Data: data, ModTime: time.Now()}
	}

	// A new title shows on the code's page and in the rows that list it.
	set(c.File, bytes.Replace(fsys[c.File].Data, []byte("title: "+c.Title), []byte("title: Edited in place"), 1))
	snap, err := live.Rebuild(c.File)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := snap.File(page); !bytes.Contains(got, []byte("Edited in place")) {
		t.Errorf("%s does not show the new title", page)
	}
	if snap.Made == 0 || snap.Made > 40 {
		t.Errorf("an edit of one title made %d outputs again; want a few", snap.Made)
	}
	sameAsBuild(t, fsys, snap)

	// A broken edit fails and the last good snapshot stays.
	set(c.File, bytes.Replace(fsys[c.File].Data, []byte("severity: "), []byte("severity: fatl"), 1))
	if _, err := live.Rebuild(c.File); err == nil {
		t.Fatal("a broken code built")
	}
	if live.Current() != snap {
		t.Error("a failed rebuild replaced the current snapshot")
	}

	// A code added, with what a template edit does: everything again.
	set(c.File, bytes.Replace(fsys[c.File].Data, []byte("severity: fatl"), []byte("severity: "), 1))
	data := bytes.Replace(fsys[c.File].Data, []byte("code: "+c.Code), []byte("code: auth:999"), 1)
	data = bytes.Replace(data, []byte("aliases: ["+c.Aliases[0]), []byte("aliases: [error 999"), 1)
	set("codes/auth-999.yaml", data)
	snap, err = live.Rebuild(c.File, "codes/auth-999.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := snap.File("codes/auth-999/index.html"); !bytes.Contains(got, []byte("auth:999")) {
		t.Error("the new code has no page")
	}
	sameAsBuild(t, fsys, snap)
}

// sameAsBuild checks that every file of a snapshot is what Build gives.
func sameAsBuild(t *testing.T, fsys fstest.MapFS, snap *Snapshot) {
	t.Helper()
	res, err := Build(fsys, BuildOptions{BaseURL: "https://example.org/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Len() != len(res.Files) {
		t.Errorf("the snapshot has %d files, a build %d", snap.Len(), len(res.Files))
	}
	for name, want := range res.Files {
		got, err := snap.File(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from a full build's (%v)", name, err)
		}
	}
}

// BenchmarkServeEdit is what errref serve does after a code is saved: it
// rebuilds a Live site in which one code's title changed, at 62, 1,000 and
// 10,000 codes, and takes the edited page. The budget is one second at
// 10,000 codes (ARCHITECTURE.md).
func BenchmarkServeEdit(b *testing.B) {
	for _, n := range []int{62, 1000, 10000} {
		b.Run(fmt.Sprintf("codes-%d", n), func(b *testing.B) {
			fsys := syntheticFS(b, n)
			live := NewLive(fsys, BuildOptions{BaseURL: "http://localhost:8080/", LiveReload: true})
			snap, err := live.Rebuild()
			if err != nil {
				b.Fatal(err)
			}
			c := snap.Site.Codes[len(snap.Site.Codes)/2]
			orig := fsys[c.File].Data
			page := "codes/" + c.Slug + "/index.html"
			made := 0
			i := 0
			for b.Loop() {
				i++
				title := fmt.Sprintf("title: Edited %d", i)
				fsys[c.File] = &fstest.MapFile{Data: bytes.Replace(orig, []byte("title: "+c.Title), []byte(title), 1), ModTime: time.Now()}
				snap, err := live.Rebuild(c.File)
				if err != nil {
					b.Fatal(err)
				}
				got, err := snap.File(page)
				if err != nil || !strings.Contains(string(got), title[len("title: "):]) {
					b.Fatalf("the page does not show the edit (%v)", err)
				}
				made = snap.Made
				// The search index is made again in the background; a
				// reader saves the next edit seconds later.
				b.StopTimer()
				if _, err := snap.File("search-index.json"); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(made), "outputs-made")
		})
	}
}
