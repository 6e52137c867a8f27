//go:build !unix

package app

import "os"

// tryLock opens (creating) path. Without flock on this platform the file
// is not locked: two servers on one data directory are not detected.
func tryLock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
