//go:build !linux && !darwin

package errref

import "errors"

// exchange is not available here; Write falls back to two renames.
func exchange(src, dst string) error { return errors.ErrUnsupported }
