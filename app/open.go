package app

import (
	"context"
	"net"
	"time"
)

// The serving defaults: generous for a test server under CI load (`openecs
// bench` and the replica tests open one connection per worker, all from
// 127.0.0.1), short enough that a client trickling a request body cannot
// hold a connection for long.
const (
	defaultReadTimeout = 30 * time.Second
	defaultIdleTimeout = 120 * time.Second
	maxHeaderTimeout   = 10 * time.Second
	// DefaultMaxConnsPerClient is the per-IP connection cap of Defaults.
	DefaultMaxConnsPerClient = 1024
)

// Open is New for a server that has already bound its listener (Bind), in
// the order that lets a failed start leave nothing behind: the listener
// first, then the lock on the SQLite database (refusing, with an
// *InUseError, a database another server holds; it is held until Shutdown
// or the end of the process), then New, which creates and migrates the
// database. Start serves on ln. On error ln is closed, and a data directory
// this call made is removed.
func Open(ctx context.Context, cfg Config, ln net.Listener) (*App, error) {
	lock, err := lockDatabase(cfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	a, err := New(ctx, cfg)
	if err != nil {
		lock.abandon()
		ln.Close()
		return nil, err
	}
	a.listener, a.lock = ln, lock
	return a, nil
}
