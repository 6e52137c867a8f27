package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// InUseError is a database that another OpenECS server holds.
type InUseError struct {
	What string // "the data directory ./openecs-data" or "the database /x/y.db"
	Flag string // the flag that picks another one: --data or --store
	PID  int    // the holder's process id; 0 when it could not be read
}

func (e *InUseError) Error() string {
	holder := "another OpenECS server"
	if e.PID > 0 {
		holder += fmt.Sprintf(" (pid %d)", e.PID)
	}
	return fmt.Sprintf("%s is in use by %s: two servers on one SQLite database would each keep their own clock; stop that one or give this one another %s", e.What, holder, e.Flag)
}

// errLocked is what tryLock returns when another open file holds the lock.
var errLocked = errors.New("locked")

// dataLock is an exclusive OS lock (flock) on a file, held until release or
// until the process ends, whichever comes first: a killed server never
// leaves a stale lock behind.
type dataLock struct {
	f       *os.File
	created string // the topmost directory made for the lock file; "" if none
}

// lockDatabase takes the lock that keeps a second server off the SQLite
// database cfg names: the file <database>.lock beside it (in the data
// directory for the default store). It records this process's id in the
// file so that a refused server can name the holder. PostgreSQL needs no
// lock (replicas share it by design): it returns nil, nil.
func lockDatabase(cfg Config) (*dataLock, error) {
	path, what, flag, ok := sqlitePath(cfg)
	if !ok {
		return nil, nil
	}
	created, err := mkdirAll(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	lockPath := path + ".lock"
	f, err := tryLock(lockPath)
	if errors.Is(err, errLocked) {
		return nil, &InUseError{What: what, Flag: flag, PID: lockHolder(lockPath)}
	}
	if err != nil {
		if created != "" {
			os.RemoveAll(created)
		}
		return nil, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	// The pid is advisory (for the message above); the lock is what counts.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0) //nolint:errcheck
	}
	return &dataLock{f: f, created: created}, nil
}

// mkdirAll is os.MkdirAll that returns the topmost directory it made ("" if
// dir was there).
func mkdirAll(dir string) (created string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = d
		if filepath.Dir(d) == d {
			break
		}
	}
	return created, os.MkdirAll(abs, 0o755)
}

// abandon releases the lock of a start that failed and removes the
// directories the lock made, with whatever the failed start put in them:
// a failed first start leaves no data directory behind.
func (l *dataLock) abandon() {
	if l == nil {
		return
	}
	// Removed while still locked: no other server has started in it.
	if l.created != "" {
		os.RemoveAll(l.created)
	}
	l.release() //nolint:errcheck // the start's own error is the one to report
}

// release drops the lock.
func (l *dataLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// lockHolder reads the pid a lock file records; 0 if it has none.
func lockHolder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// sqlitePath returns the SQLite database file cfg opens (as openStore
// does), how to name it in a message and the flag that chooses it; ok is
// false for PostgreSQL.
func sqlitePath(cfg Config) (path, what, flag string, ok bool) {
	switch s := cfg.Store; {
	case s == "":
		return filepath.Join(cfg.DataDir, "openecs.db"), "the data directory " + cfg.DataDir, "--data", true
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(s, "sqlite:"), "//")
		return p, "the database " + p, "--store", true
	}
	return "", "", "", false
}
