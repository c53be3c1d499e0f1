package errref

import (
	"bytes"
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
// replacing its previous contents as a whole: NewDirWriter, Add for every
// file, then Commit. A failure leaves dir exactly as it was.
func Write(dir string, files map[string][]byte) (err error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if err := checkOutputName(name); err != nil {
			return err
		}
		names = append(names, name)
	}
	sort.Strings(names)
	out, err := NewDirWriter(dir)
	if err != nil {
		return err
	}
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
				if errs[i] = out.Add(names[i], files[names[i]]); errs[i] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// A DirWriter is a build on its way to disk. Its files go into a new folder
// beside the output folder, which takes the output folder's place only at
// Commit, in one atomic exchange of the two names where the system has
// one (Linux renameat2, macOS renamex_np). The output folder is therefore
// whole at every moment, even if the process is killed, and a failure
// leaves it exactly as it was. The previous tree is deleted after the
// exchange.
//
// The folders beside the output that a DirWriter uses are named
// .<base>.new-* and .<base>.old-*. A build that was killed leaves them
// behind; NewDirWriter removes them. A DirWriter holds a lock on the parent
// folder (flock, where the system has it) from NewDirWriter to Commit or
// Abort, so one build never removes another's work in progress.
//
// A file whose bytes equal the same file of the previous build is not
// written again but linked to it (a hard link): creating a file costs far
// more than linking one on many file systems, and most files of a
// rebuild are unchanged. The bytes are compared in full, so the result is
// the same as writing every file.
type DirWriter struct {
	dir, tmp string
	prev     string // dir when it exists, to link unchanged files from
	unlock   func()
	dirs     sync.Map // slash path of a folder under tmp -> *madeDir
}

type madeDir struct {
	once sync.Once
	err  error
}

// NewDirWriter starts replacing the folder dir: it takes the lock, removes
// what killed builds left beside dir and creates the new folder.
func NewDirWriter(dir string) (_ *DirWriter, err error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	unlock, err := lockDir(parent)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", parent, err)
	}
	defer func() {
		if err != nil {
			unlock()
		}
	}()
	if err := cleanLeftovers(parent, base); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary output folder: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	o := &DirWriter{dir: dir, tmp: tmp, unlock: unlock}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		o.prev = dir
	}
	return o, nil
}

// checkOutputName refuses a path that would leave the output folder.
func checkOutputName(name string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains(name, "\\") {
		return fmt.Errorf("refusing to write %q outside the output folder", name)
	}
	return nil
}

// Add writes one file (a slash path relative to the output root). It may
// be called from several goroutines at once; adding the same name twice
// is an error.
func (o *DirWriter) Add(name string, data []byte) error {
	if err := checkOutputName(name); err != nil {
		return err
	}
	if err := o.mkdir(path.Dir(name)); err != nil {
		return err
	}
	p := filepath.Join(o.tmp, filepath.FromSlash(name))
	if o.prev != "" && o.linkUnchanged(name, p, data) {
		return nil
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("two outputs would be written to %s", name)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// linkUnchanged links p to the previous build's file of the same name
// when that is a regular file holding exactly data.
func (o *DirWriter) linkUnchanged(name, p string, data []byte) bool {
	old := filepath.Join(o.prev, filepath.FromSlash(name))
	fi, err := os.Lstat(old)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	b, err := os.ReadFile(old)
	if err != nil || !bytes.Equal(b, data) {
		return false
	}
	return os.Link(old, p) == nil
}

// mkdir creates the folder d (a slash path) under the new tree, and its
// parents, each once however many files it holds.
func (o *DirWriter) mkdir(d string) error {
	if d == "." {
		return nil
	}
	v, _ := o.dirs.LoadOrStore(d, &madeDir{})
	m := v.(*madeDir)
	m.once.Do(func() {
		if m.err = o.mkdir(path.Dir(d)); m.err == nil {
			m.err = os.Mkdir(filepath.Join(o.tmp, filepath.FromSlash(d)), 0o755)
		}
	})
	return m.err
}

// Commit puts the new tree in the output folder's place and deletes the
// previous one. Call it once every file is added.
func (o *DirWriter) Commit() error {
	defer o.unlock()
	old, err := swap(o.dir, o.tmp)
	if err != nil {
		removeTree(o.tmp)
		return err
	}
	if old != "" {
		if err := removeTree(old); err != nil {
			return fmt.Errorf("removing the previous build %s: %w", old, err)
		}
	}
	return nil
}

// Abort deletes the new tree and leaves the output folder as it was.
func (o *DirWriter) Abort() {
	defer o.unlock()
	removeTree(o.tmp)
}

// writeWorkers is how many files are written at once: more than the
// cores, since a write mostly waits on the file system.
func writeWorkers() int { return 2 * runtime.GOMAXPROCS(0) }

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
