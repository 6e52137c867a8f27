//go:build unix

package app

import (
	"errors"
	"os"
	"syscall"
)

// tryLock opens (creating) path and takes an exclusive flock on it without
// waiting; errLocked if another open file holds it. flock locks belong to
// the open file, so two servers in one process exclude each other too.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}
