package errref

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the names of two folders in one step (renamex_np with
// RENAME_SWAP). It returns an error wrapping fs.ErrNotExist when dst does
// not exist, and errors.ErrUnsupported when the file system cannot swap.
func exchange(src, dst string) error {
	err := unix.RenamexNp(src, dst, unix.RENAME_SWAP)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOENT):
		return &os.LinkError{Op: "exchange", Old: src, New: dst, Err: fs.ErrNotExist}
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOTSUP):
		return errors.ErrUnsupported
	}
	return &os.LinkError{Op: "exchange", Old: src, New: dst, Err: err}
}
