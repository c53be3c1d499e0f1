package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/errref/errref"
)

func init() {
	commands["serve"] = command{
		summary: "build the site, serve it, and rebuild and reload the browser on every change",
		run:     runServe,
	}
}

//go:embed live.js
var liveJS []byte

func runServe(e *env, args []string) error {
	fs := newFlags(e, "serve", "")
	dir := fs.String("dir", ".", "site `folder` holding site.yaml and codes/")
	addr := fs.String("addr", "localhost:8080", "`address` to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q; serve takes no arguments (use -dir and -addr)", fs.Arg(0))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w; pass another -addr", *addr, err)
	}
	defer ln.Close()
	s := newDevServer(*dir, "http://"+ln.Addr().String()+"/", log.New(e.stderr, "", log.Ltime))
	s.rebuild()
	if s.snap == nil {
		s.log.Printf("no good build yet; fix the problems above, the page will show them until then")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	watcher, err := s.watch(ctx)
	if err != nil {
		return err
	}
	defer watcher.Close()

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	s.log.Printf("serving %s at %s (Ctrl-C to stop)", *dir, s.base)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// devServer serves the last good build from memory and tells open pages to
// reload after each rebuild.
type devServer struct {
	dir  string
	base string
	log  *log.Logger

	// live rebuilds the site, doing again only what a change needs:
	// unchanged files are not decoded again, unchanged pages (and cards)
	// not made again, and what gathers the whole site, the search index
	// among it, is made when first asked for.
	live *errref.Live

	mu       sync.RWMutex
	snap     *errref.Snapshot // last good build; nil before the first one
	problems errref.Problems  // problems of the latest build attempt
	failure  error            // or the error that stopped it, if not problems
	version  int              // bumped on every build attempt
	changed  chan struct{}    // closed and replaced on every build attempt
}

func newDevServer(dir, base string, l *log.Logger) *devServer {
	live := errref.NewLive(os.DirFS(dir), errref.BuildOptions{
		BaseURL:    base,
		LiveReload: true,
		Assets:     sourceAssets(dir),
	})
	return &devServer{dir: dir, base: base, log: l, live: live, changed: make(chan struct{})}
}

// rebuild builds the site again; changed names the files (slash paths
// relative to the site folder) the watcher saw change. On failure it keeps
// the previous build and records the problems, which live.js shows over
// every page.
func (s *devServer) rebuild(changed ...string) {
	start := time.Now()
	snap, err := s.live.Rebuild(changed...)
	took := time.Since(start).Round(time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	still := "still serving the last good build"
	if s.snap == nil {
		still = "nothing to serve until it builds"
	}
	s.failure = nil
	var be *errref.BuildError
	switch {
	case errors.As(err, &be):
		s.problems = underDir(s.dir, be.Problems)
		n, _ := be.Problems.Count()
		s.log.Printf("build failed in %s: %s; %s", took, plural(n, "error"), still)
		for _, p := range s.problems {
			if p.IsError() {
				s.log.Printf("  %s", p)
			}
		}
	case err != nil:
		// Not a content problem (a template that does not parse, say):
		// no rule ID applies, so it is shown as the error it is.
		s.problems, s.failure = nil, err
		s.log.Printf("build failed in %s: %v; %s", took, err, still)
	default:
		s.snap = snap
		s.problems = underDir(s.dir, snap.Problems)
		s.log.Printf("rebuilt in %s: %d codes, %d files (%d made again)", took, len(snap.Site.Codes), snap.Len(), snap.Made)
	}
	s.version++
	close(s.changed)
	s.changed = make(chan struct{})
}

// watch rebuilds whenever site.yaml, codes/, templates/ or static/ change.
// Editors save in bursts (write, rename, chmod), so events are gathered
// for a short while before one rebuild.
func (s *devServer) watch(ctx context.Context) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching for changes: %w", err)
	}
	for _, d := range []string{".", "codes", "templates", "static"} {
		p := filepath.Join(s.dir, d)
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			if err := w.Add(p); err != nil {
				w.Close()
				return nil, fmt.Errorf("watching %s: %w", p, err)
			}
		}
	}
	go func() {
		var timer <-chan time.Time
		changed := map[string]bool{}
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if rel, ok := s.relevant(ev.Name); ok {
					changed[rel] = true
					timer = time.After(100 * time.Millisecond)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				s.log.Printf("watch: %v", err)
			case <-timer:
				timer = nil
				files := make([]string, 0, len(changed))
				for f := range changed {
					files = append(files, f)
				}
				clear(changed)
				s.rebuild(files...)
			}
		}
	}()
	return w, nil
}

// relevant reports whether a changed path is an input of the build, and
// returns it relative to the site folder, with slashes.
func (s *devServer) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(s.dir, name)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	base := path.Base(rel)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") {
		return "", false // editor backups and our own temporary files
	}
	return rel, rel == errref.ConfigFile || strings.HasPrefix(rel, "codes/") ||
		strings.HasPrefix(rel, "templates/") || strings.HasPrefix(rel, "static/")
}

func (s *devServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_errref/live.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(liveJS)
		return
	case "/_errref/events":
		s.events(w, r)
		return
	case "/_errref/problems":
		s.mu.RLock()
		probs, failure, version := s.problems, s.failure, s.version
		s.mu.RUnlock()
		type jp struct {
			Location, Rule, Field, Message string
			Error                          bool
		}
		out := struct {
			Version  int  `json:"version"`
			Problems []jp `json:"problems"`
		}{Version: version, Problems: []jp{}}
		for _, p := range probs {
			if p.IsError() {
				out.Problems = append(out.Problems, jp{p.Location(), p.Rule, p.Field, p.Msg, true})
			}
		}
		if failure != nil {
			out.Problems = append(out.Problems, jp{Message: failure.Error(), Error: true})
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(out)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.RLock()
	snap := s.snap
	s.mu.RUnlock()
	if snap == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `<!doctype html><meta charset="utf-8"><title>errref: build failed</title><script src="/_errref/live.js"></script><h1>The site has not built yet</h1><p>Fix the problems listed in the terminal; this page reloads by itself.</p>`)
		return
	}
	name, redirect, ok := resolve(snap.Has, r.URL.Path)
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	}
	status := http.StatusOK
	if !ok {
		name, status = "404.html", http.StatusNotFound
	}
	// Pages are made when the build is; what gathers the whole site (the
	// search index, the feeds) is made here, the first time it is asked for.
	data, err := snap.File(name)
	if err != nil {
		http.Error(w, fmt.Sprintf("errref serve: %s: %v", name, err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType(name))
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write(data)
	}
}

// resolve maps a URL path to an output file the way GitHub Pages does:
// a folder serves its index.html, and a folder without its trailing slash
// redirects to it.
func resolve(has func(string) bool, urlPath string) (name, redirect string, ok bool) {
	p := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if strings.HasSuffix(urlPath, "/") || p == "" {
		name = path.Join(p, "index.html")
		return name, "", has(name)
	}
	if has(p) {
		return p, "", true
	}
	if has(path.Join(p, "index.html")) {
		return "", "/" + p + "/", false
	}
	return "", "", false
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".xml":
		if path.Base(name) == "feed.xml" {
			return "application/atom+xml"
		}
		return "application/xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// events is a server-sent event stream: one "build" event each time a
// build attempt finishes, carrying its version. Pages reload on it.
func (s *devServer) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	s.mu.RLock()
	version, changed := s.version, s.changed
	s.mu.RUnlock()
	fmt.Fprintf(w, "event: hello\ndata: %d\n\n", version)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-changed:
			s.mu.RLock()
			version, changed = s.version, s.changed
			s.mu.RUnlock()
			fmt.Fprintf(w, "event: build\ndata: %d\n\n", version)
			flusher.Flush()
		}
	}
}
