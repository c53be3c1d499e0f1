package linkcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Cache remembers addresses that passed, so a rerun within MaxAge does
// not ask again. It is a JSON file; a missing file is an empty cache.
type Cache struct {
	path    string
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	Checked  time.Time `json:"checked"`
	Status   string    `json:"status"` // "ok" or "moved"
	Code     int       `json:"code,omitempty"`
	Location string    `json:"location,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}

type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

const cacheVersion = 1

// cacheKeep is how long an entry stays in the file at all.
const cacheKeep = 30 * 24 * time.Hour

// DefaultCachePath is links.json in errref's folder of the user's cache
// directory (for example ~/.cache/errref/links.json on Linux).
func DefaultCachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "errref", "links.json"), nil
}

// OpenCache reads the cache at path. A missing file gives an empty cache;
// a file that cannot be read or parsed gives an empty cache and an error
// saying why, which a caller may show as a warning and go on: the file is
// rewritten whole by Save.
func OpenCache(path string) (*Cache, error) {
	c := &Cache{path: path, entries: map[string]cacheEntry{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("reading the link cache: %w", err)
	}
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return c, fmt.Errorf("the link cache %s is not valid JSON (%v); starting afresh", path, err)
	}
	if f.Version != cacheVersion {
		return c, fmt.Errorf("the link cache %s has version %d, not %d; starting afresh", path, f.Version, cacheVersion)
	}
	if f.Entries != nil {
		c.entries = f.Entries
	}
	return c, nil
}

// Path is the file the cache reads and writes.
func (c *Cache) Path() string { return c.path }

// Save writes the cache, dropping entries older than 30 days. It writes a
// temporary file beside the cache and renames it, so a crash never leaves
// half a file.
func (c *Cache) Save(now time.Time) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	f := cacheFile{Version: cacheVersion, Entries: map[string]cacheEntry{}}
	for k, e := range c.entries {
		if now.Sub(e.Checked) < cacheKeep {
			f.Entries[k] = e
		}
	}
	c.mu.Unlock()
	data, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return fmt.Errorf("writing the link cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".links-*.json")
	if err != nil {
		return fmt.Errorf("writing the link cache: %w", err)
	}
	_, werr := tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), c.path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing the link cache: %w", werr)
	}
	return nil
}

// lookup returns the entry for u when it is younger than maxAge.
func (c *Cache) lookup(u string, now time.Time, maxAge time.Duration) (cacheEntry, bool) {
	if c == nil || maxAge <= 0 {
		return cacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[u]
	if !ok || now.Sub(e.Checked) >= maxAge || now.Before(e.Checked) {
		return cacheEntry{}, false
	}
	if e.Status != StatusOK.String() && e.Status != StatusMoved.String() {
		return cacheEntry{}, false
	}
	return e, true
}

func (c *Cache) store(u string, r Result, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries[u] = cacheEntry{Checked: now, Status: r.Status.String(), Code: r.Code, Location: r.Location, Detail: r.Detail}
	c.mu.Unlock()
}

func (e cacheEntry) result(u string) Result {
	s := StatusOK
	if e.Status == StatusMoved.String() {
		s = StatusMoved
	}
	return Result{URL: u, Status: s, Code: e.Code, Location: e.Location, Detail: e.Detail, Cached: true}
}
