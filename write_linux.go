package errref

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the names of two folders in one step (renameat2 with
// RENAME_EXCHANGE). It returns an error wrapping fs.ErrNotExist when dst
// does not exist, and errors.ErrUnsupported when the file system cannot
// exchange.
func exchange(src, dst string) error {
	err := unix.Renameat2(unix.AT_FDCWD, src, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOENT):
		return &os.LinkError{Op: "exchange", Old: src, New: dst, Err: fs.ErrNotExist}
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EOPNOTSUPP):
		return errors.ErrUnsupported
	}
	return &os.LinkError{Op: "exchange", Old: src, New: dst, Err: err}
}
