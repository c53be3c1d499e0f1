//go:build unix

package errref

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir takes an exclusive lock on a folder (flock), waiting for it, and
// returns the function that releases it. The lock goes with the process,
// so a killed build holds it no longer.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
