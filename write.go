package errref

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Write puts files (slash paths relative to the output root) into dir,
// replacing its previous contents as a whole.
//
// The files go into a new folder beside dir, written on several goroutines
// with each folder created once; only when all are written does the new
// folder take dir's place, in one atomic exchange of the two names where
// the system has one (Linux renameat2, macOS renamex_np), so dir is whole
// at every moment, even if the process is killed. The previous tree is
// then deleted. A failure leaves dir exactly as it was.
//
// The folders beside dir that Write uses are named .<base>.new-* and
// .<base>.old-*. A build that was killed leaves them behind; the next
// Write into the same dir removes them. Writes into one folder are
// serialised with a lock on the parent folder (where the system has
// flock), so one Write never removes another's work in progress.
func Write(dir string, files map[string][]byte) (err error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains(name, "\\") {
			return fmt.Errorf("refusing to write %q outside the output folder", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)

	dir = filepath.Clean(dir)
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", parent, err)
	}
	unlock, err := lockDir(parent)
	if err != nil {
		return fmt.Errorf("locking %s: %w", parent, err)
	}
	defer unlock()
	if err := cleanLeftovers(parent, base); err != nil {
		return err
	}

	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return fmt.Errorf("creating a temporary output folder: %w", err)
	}
	defer func() {
		if err != nil {
			removeTree(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := makeDirs(tmp, names); err != nil {
		return err
	}
	if err := writeFiles(tmp, names, files); err != nil {
		return err
	}
	old, err := swap(dir, tmp)
	if err != nil {
		return err
	}
	if old != "" {
		if err := removeTree(old); err != nil {
			return fmt.Errorf("removing the previous build %s: %w", old, err)
		}
	}
	return nil
}

// makeDirs creates every folder that names need under root, each once,
// parents first.
func makeDirs(root string, names []string) error {
	seen := map[string]bool{".": true}
	var dirs []string
	for _, name := range names {
		for d := path.Dir(name); !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	// A parent is shorter than its children, so sorting by length puts
	// it first; equal lengths keep a fixed order.
	sort.Slice(dirs, func(i, j int) bool {
		if len(dirs[i]) != len(dirs[j]) {
			return len(dirs[i]) < len(dirs[j])
		}
		return dirs[i] < dirs[j]
	})
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// writeWorkers is how many files are written at once: more than the
// cores, since a write mostly waits on the file system.
func writeWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

// writeFiles writes files[name] for each name under root, whose folders
// exist. The first error stops the others.
func writeFiles(root string, names []string, files map[string][]byte) error {
	var next atomic.Int64
	var failed atomic.Bool
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for range min(writeWorkers(), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(names) {
					return
				}
				if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(names[i])), files[names[i]], 0o644); err != nil {
					errs[i] = err
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// swap puts the folder tmp in dir's place and returns where the previous
// dir now is ("" when there was none), for the caller to remove.
func swap(dir, tmp string) (old string, err error) {
	switch err := exchange(tmp, dir); {
	case err == nil:
		return tmp, nil
	case errors.Is(err, fs.ErrNotExist):
		// No previous build: a plain rename.
		if err := os.Rename(tmp, dir); err != nil {
			return "", fmt.Errorf("replacing %s: %w", dir, err)
		}
		return "", nil
	case !errors.Is(err, errors.ErrUnsupported):
		return "", fmt.Errorf("replacing %s: %w", dir, err)
	}
	// No atomic exchange here: move the old tree aside, the new one in,
	// and put the old one back if that fails. A build killed between the
	// two renames leaves the old tree in .<base>.old-*, which the next
	// Write puts back before anything else.
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, dir); err != nil {
			return "", fmt.Errorf("replacing %s: %w", dir, err)
		}
		return "", nil
	}
	parent, base := filepath.Split(dir)
	old = filepath.Join(parent, "."+base+".old-"+strings.TrimPrefix(filepath.Base(tmp), "."+base+".new-"))
	if err := os.Rename(dir, old); err != nil {
		return "", fmt.Errorf("replacing %s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return "", fmt.Errorf("replacing %s: %w (and restoring it failed: %v; the previous build is in %s)", dir, err, rerr, old)
		}
		return "", fmt.Errorf("replacing %s: %w", dir, err)
	}
	return old, nil
}

// cleanLeftovers removes what killed builds left beside parent/base. An
// old tree with no dir in its place (a build killed mid-swap where there
// is no atomic exchange) is the last good build: it is put back first.
func cleanLeftovers(parent, base string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	var news, olds []string
	for _, e := range entries {
		switch name := e.Name(); {
		case !e.IsDir():
		case strings.HasPrefix(name, "."+base+".new-"):
			news = append(news, name)
		case strings.HasPrefix(name, "."+base+".old-"):
			olds = append(olds, name)
		}
	}
	dir := filepath.Join(parent, base)
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && len(olds) == 1 {
		if err := os.Rename(filepath.Join(parent, olds[0]), dir); err != nil {
			return fmt.Errorf("restoring the previous build from %s: %w", olds[0], err)
		}
		olds = nil
	}
	for _, name := range append(news, olds...) {
		if err := removeTree(filepath.Join(parent, name)); err != nil {
			return fmt.Errorf("removing %s, left by an earlier build: %w", name, err)
		}
	}
	return nil
}

// removeTree deletes a tree like os.RemoveAll, its top-level folders on
// several goroutines.
func removeTree(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return os.RemoveAll(root)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(entries))
	sem := make(chan struct{}, writeWorkers())
	for i, e := range entries {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = os.RemoveAll(filepath.Join(root, e.Name()))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.RemoveAll(root)
}
