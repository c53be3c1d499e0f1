package errref

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Live keeps a site in memory and builds it again after every change,
// doing again only what the change needs (errref serve): a code file
// whose size and time did not change is neither decoded nor checked again
// (Loader, Checker), an output whose key did not change is not made again
// (Output.Key), and the outputs that gather the whole site, the search
// index among them, are made when first asked for, after the pages. So
// an edited code shows in a fraction of a second even at 10,000 codes.
type Live struct {
	fsys    fs.FS
	opts    BuildOptions
	loader  *Loader
	checker *Checker

	mu  sync.Mutex // one rebuild at a time
	cur *Snapshot
}

// NewLive prepares a Live site; nothing is read until Rebuild.
func NewLive(fsys fs.FS, opts BuildOptions) *Live {
	return &Live{fsys: fsys, opts: opts, loader: NewLoader(), checker: NewChecker()}
}

// Snapshot is one build of a Live site, served from memory. Its methods
// may be called from several goroutines.
type Snapshot struct {
	Site     *Site
	Problems Problems // warnings
	// Made is how many outputs the rebuild made; the others were kept.
	Made int

	mu   sync.Mutex
	outs map[string]*liveOutput
	// search is made in the background; until it is, the files that
	// depend on it wait (isSearchFile). ready is closed once outs
	// holds them.
	search *liveSearch
	ready  chan struct{}
}

// liveOutput is one output of a snapshot, made at most once.
type liveOutput struct {
	key   string
	whole bool
	mk    func() ([]byte, error)
	once  sync.Once
	made  atomic.Bool
	data  []byte
	err   error
}

func (o *liveOutput) get() ([]byte, error) {
	o.once.Do(func() {
		o.data, o.err = o.mk()
		o.made.Store(true)
	})
	return o.data, o.err
}

// liveSearch is the search files of one version of the codes.
type liveSearch struct {
	codes string // codesVersion of the site it is made from
	once  sync.Once
	files map[string][]byte
	err   error
}

func (s *liveSearch) get(site *Site) (map[string][]byte, error) {
	s.once.Do(func() { s.files, s.err = SearchFiles(site) })
	return s.files, s.err
}

// isSearchFile reports whether an output depends on the search index:
// its files and search.js, which differs with the layout.
func isSearchFile(path string) bool {
	return path == "search-index.json" || path == "search.js" || strings.HasPrefix(path, "search/")
}

// Current is the last snapshot that built, or nil.
func (l *Live) Current() *Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

// Rebuild builds the site again and makes it current. changed names the
// files (slash paths relative to the site root) known to have changed,
// which are read again whatever their time stamps say. On failure the
// current snapshot stays, and the error is a *BuildError when the input
// has problems.
func (l *Live) Rebuild(changed ...string) (*Snapshot, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.loader.Changed(changed...)
	site, probs, err := loadSite(l.fsys, l.loader, l.checker)
	if err != nil {
		return nil, err
	}
	if err := setBaseURL(site, l.opts.BaseURL); err != nil {
		return nil, err
	}
	opts := RenderOptions{BaseURL: site.Config.BaseURL, LiveReload: l.opts.LiveReload, Assets: l.opts.Assets, Cards: l.opts.Cards}

	// The search files of the last snapshot serve again if the codes are
	// the same (an edit of a template, say); otherwise they are made
	// anew, in the background.
	var search *liveSearch
	if prev := l.cur; prev != nil {
		select {
		case <-prev.ready:
			search = prev.search
		default:
		}
	}
	codes := codesVersion(site)
	if search == nil || search.err != nil || search.codes != codes || codes == "" {
		search = &liveSearch{codes: codes}
	}
	ready := search.files != nil
	if ready {
		opts = withSearch(opts, search.files)
	}
	outs, err := Plan(site, opts)
	if err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	snap := &Snapshot{Site: site, Problems: probs, search: search, ready: make(chan struct{})}
	snap.outs = l.reuse(outs)

	// Make what changed, but what gathers the whole site, before the
	// snapshot is current: a page that fails to render keeps the last
	// good build.
	var todo []*liveOutput
	for _, o := range snap.outs {
		if !o.whole && !o.made.Load() {
			todo = append(todo, o)
		}
	}
	if err := makeAll(todo); err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	snap.Made = len(todo)
	l.cur = snap
	if ready {
		close(snap.ready)
	} else {
		go l.finishSearch(snap, opts)
	}
	return snap, nil
}

// withSearch gives options the search files.
func withSearch(opts RenderOptions, files map[string][]byte) RenderOptions {
	parts := map[string][]byte{}
	for name, data := range files {
		if name != "search-index.json" {
			parts[name] = data
		}
	}
	opts.SearchIndex, opts.SearchParts = files["search-index.json"], parts
	return opts
}

// reuse turns a plan into a snapshot's outputs, keeping the made bytes of
// the current snapshot's outputs whose path and key are the same.
func (l *Live) reuse(outs []Output) map[string]*liveOutput {
	var prev map[string]*liveOutput
	if l.cur != nil {
		l.cur.mu.Lock()
		prev = l.cur.outs
		l.cur.mu.Unlock()
	}
	m := make(map[string]*liveOutput, len(outs))
	for _, o := range outs {
		if p := prev[o.Path]; p != nil && o.Key != "" && p.key == o.Key && p.made.Load() && p.err == nil {
			m[o.Path] = p
			continue
		}
		m[o.Path] = &liveOutput{key: o.Key, whole: o.Whole, mk: o.Make}
	}
	return m
}

// finishSearch makes the search files of a snapshot, then plans it again
// with them (the plan then holds the files and the right search.js; every
// other output keeps its key, and so its bytes) and lets the requests
// that wait for them through.
func (l *Live) finishSearch(snap *Snapshot, opts RenderOptions) {
	defer close(snap.ready)
	files, err := snap.search.get(snap.Site)
	if err != nil {
		return // the search files answer with the error
	}
	outs, err := Plan(snap.Site, withSearch(opts, files))
	if err != nil {
		snap.search.err = err
		return
	}
	snap.mu.Lock()
	defer snap.mu.Unlock()
	m := make(map[string]*liveOutput, len(outs))
	for _, o := range outs {
		if p := snap.outs[o.Path]; p != nil && o.Key != "" && p.key == o.Key {
			m[o.Path] = p
			continue
		}
		m[o.Path] = &liveOutput{key: o.Key, whole: o.Whole, mk: o.Make}
	}
	snap.outs = m
}

// makeAll makes outputs on every core; the first error wins.
func makeAll(outs []*liveOutput) error {
	var next atomic.Int64
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(outs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(outs); i = int(next.Add(1) - 1) {
				_, errs[i] = outs[i].get()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Has reports whether the snapshot has a file at path. A search file is
// known once the search index is made: Has waits for it.
func (s *Snapshot) Has(path string) bool {
	s.wait(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.outs[path]
	return ok
}

// File returns the bytes of the file at path, making them if no request
// has yet (the outputs that gather the whole site are made so).
func (s *Snapshot) File(path string) ([]byte, error) {
	s.wait(path)
	if s.search.err != nil && isSearchFile(path) {
		return nil, s.search.err
	}
	s.mu.Lock()
	o := s.outs[path]
	s.mu.Unlock()
	if o == nil {
		return nil, fs.ErrNotExist
	}
	return o.get()
}

func (s *Snapshot) wait(path string) {
	if isSearchFile(path) {
		<-s.ready
	}
}

// Len is how many files the snapshot has.
func (s *Snapshot) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.outs)
}
