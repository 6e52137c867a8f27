// Package sqlite is the embedded store driver: SQLite in WAL mode through
// github.com/mattn/go-sqlite3, with one writer connection that groups
// concurrent updates into one durable commit, and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configures the driver.
type Options struct {
	// Path is the database file. ":memory:" is not supported (readers and the
	// writer need to share one file); tests use a temporary directory.
	Path string
	// Synchronous is SQLite's synchronous setting: FULL (the default) makes
	// every commit durable against power loss, NORMAL against process crashes.
	Synchronous string
	// Readers is the size of the read pool (default 2 × GOMAXPROCS).
	Readers int
	// Wall is the wall clock transactions stamp their time from; nil is
	// time.Now.
	Wall func() time.Time
	// Nonces is the signature nonce store the store hands the transport.
	Nonces openecs.NonceStore
	Logger *slog.Logger
}

// Open opens (creating if needed) the database, applies the migrations and
// returns the store.
func Open(ctx context.Context, o Options) (*sqlstore.Store, error) {
	if o.Path == "" {
		return nil, errors.New("sqlite: no path")
	}
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	sync := strings.ToUpper(o.Synchronous)
	if sync == "" {
		sync = "FULL"
	}
	if o.Readers <= 0 {
		o.Readers = 2 * runtime.GOMAXPROCS(0)
	}
	// _cslike: LIKE is case-sensitive, as it is on PostgreSQL and as the
	// exact InstanceName match is. _stmt_cache_size: each connection keeps
	// its most recent prepared statements (preparing costs more than running
	// most of our queries).
	base := "file:" + o.Path + "?_busy_timeout=10000&_journal_mode=WAL&_foreign_keys=0&_cslike=1&_stmt_cache_size=256&_synchronous=" + sync
	// The writer's page cache is 32 MiB (readers keep SQLite's 2 MiB): every
	// insert touches the id indexes at random places, and with a million
	// instances a small cache makes each of those a read.
	w, err := sql.Open("sqlite3", base+"&_txlock=immediate&_cache_size=-32768")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", o.Path, err)
	}
	if err := sqlstore.Migrate(ctx, w, Dialect{}, mustSub(migrations, "migrations")); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	r, err := sql.Open("sqlite3", base+"&_txlock=deferred&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	r.SetMaxOpenConns(o.Readers)
	r.SetMaxIdleConns(o.Readers)
	r.SetConnMaxLifetime(0)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	cfg := sqlstore.Config{Read: r, Write: w, Dialect: Dialect{}, GroupCommit: true, Wall: o.Wall, Nonces: o.Nonces, Logger: o.Logger}
	if c := startCheckpointer(w, r, o.Logger); c != nil {
		cfg.AfterCommit, cfg.BeforeClose = c.committed, c.close
	}
	return sqlstore.New(cfg), nil
}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Dialect is SQLite's sqlstore.Dialect.
type Dialect struct{}

// BeginWrite implements sqlstore.Dialect: the one writer connection
// serialises every write, so reading the offset is all there is to do.
func (Dialect) BeginWrite() string {
	return `SELECT COALESCE((SELECT value FROM meta WHERE key = '` + openecs.MetaClockOffset + `'), '')`
}

// ReadTxOptions implements sqlstore.Dialect (unused: SQLite begins its own
// transactions, and a deferred BEGIN on a WAL database reads one snapshot).
func (Dialect) ReadTxOptions() *sql.TxOptions { return nil }

// OwnTransactions implements sqlstore.Dialect: SQLite statements take
// microseconds, less than database/sql's per-transaction bookkeeping.
func (Dialect) OwnTransactions() bool { return true }

// KeepsCounts implements sqlstore.Dialect: migration 0090 keeps
// instance_counts.
func (Dialect) KeepsCounts() bool { return true }

var placeholder = regexp.MustCompile(`\$(\d+)`)

// Rebind turns $N into ?N, SQLite's numbered parameter.
func (Dialect) Rebind(q string) string { return placeholder.ReplaceAllString(q, "?$1") }

// ClaimSuffix implements sqlstore.Dialect: the single writer serialises claims.
func (Dialect) ClaimSuffix() string { return "" }

// Translate maps SQLite errors to the store's.
func (Dialect) Translate(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrConstraint:
			if se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
				return fmt.Errorf("%w: %v", openecs.ErrConflict, err)
			}
		case sqlite3.ErrCantOpen, sqlite3.ErrIoErr, sqlite3.ErrFull, sqlite3.ErrReadonly:
			return fmt.Errorf("%w: %v", openecs.ErrUnavailable, err)
		case sqlite3.ErrError:
			// SUM() of integers out of range. The only sums the store takes
			// are of money.
			if strings.Contains(se.Error(), "integer overflow") {
				return fmt.Errorf("%w: %v", openecs.ErrMoneyOverflow, err)
			}
		}
	}
	return err
}

// Retryable implements sqlstore.Dialect.
func (Dialect) Retryable(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}
