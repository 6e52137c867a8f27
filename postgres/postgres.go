// Package postgres is the PostgreSQL store driver: the shared SQL of sqlstore
// over database/sql and pgx, with its own embedded migrations. Any number of
// OpenECS replicas may run on one database; the store is what they share
// (docs/postgres.md).
//
// How replicas stay one service:
//
//   - Transactions run at REPEATABLE READ (the session default): a View sees
//     one snapshot, and of two transactions that change the same row the
//     later one fails with a serialization failure instead of overwriting
//     the first, so a read-modify-write (the clock offset, an account, a
//     network's next address) cannot lose a concurrent write. Such failures
//     and deadlocks are run again by sqlstore; if a transaction keeps losing,
//     the caller gets ErrConflict, which the service also retries.
//   - Each Update runs in its own transaction on a connection of the pool
//     (no group commit): calls proceed in parallel and PostgreSQL groups
//     their WAL flushes itself.
//   - Due jobs are claimed with FOR UPDATE SKIP LOCKED: the claim is the row
//     lock of the claiming transaction, so it ends with that transaction and
//     a killed replica's claims are retaken.
//   - Every write transaction starts by loading the shared clock offset in
//     its own snapshot, behind the clock fence (clock.go); signed calls load
//     it with their nonce check (nonces.go).
//   - Each store call is bounded by Options.QueryTimeout on the client side
//     (and each statement by statement_timeout on the server), so an
//     unreachable database gives ErrUnavailable within that time instead of a
//     hang.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations (NNNN_name.sql).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Defaults of Options.
const (
	DefaultMaxConns       = 16
	DefaultConnectTimeout = 5 * time.Second
	DefaultQueryTimeout   = 5 * time.Second
)

// Options configures the driver.
type Options struct {
	// URL is a postgres:// (or postgresql://) connection URL; key=value
	// connection strings are accepted too.
	URL string
	// MaxConns is the size of the connection pool (default 16, at least 2:
	// a View may be open while an Update runs).
	MaxConns int
	// ConnectTimeout bounds opening one connection (default 5s).
	ConnectTimeout time.Duration
	// QueryTimeout bounds each store call (one transaction, retries
	// included) on the client side, and each statement on the server side
	// (statement_timeout). Default 5s, inside the SDK's 10 s read timeout.
	// Raise it for very large data sets, where one billing pass is one
	// statement over every instance.
	QueryTimeout time.Duration
	// GroupCommit batches concurrent Updates into one transaction, as the
	// SQLite driver does. Off by default; it exists for the measurements in
	// docs/postgres.md.
	GroupCommit bool
	// Wall is the wall clock transactions stamp their time from; nil is
	// time.Now.
	Wall   func() time.Time
	Logger *slog.Logger
}

func (o *Options) defaults() {
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	o.MaxConns = max(o.MaxConns, 2)
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = DefaultQueryTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// migrationLock is the key of the advisory lock that serialises migrations
// when several replicas start at once.
const migrationLock = 0x6f70656e656373 // "openecs"

// Open connects, applies the migrations (one replica at a time) and returns
// the store. It fails if the database cannot be reached within the connect
// timeout.
func Open(ctx context.Context, o Options) (*sqlstore.Store, error) {
	o.defaults()
	cfg, err := connConfig(o)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, *cfg); err != nil {
		return nil, err
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(o.MaxConns)
	db.SetMaxIdleConns(o.MaxConns)
	// Connections are recycled now and then, so that a pool spread over a
	// restarted or failed-over server comes back to a clean state.
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return sqlstore.New(sqlstore.Config{Read: db, Write: db, Dialect: Dialect{}, GroupCommit: o.GroupCommit,
		Wall: o.Wall, CallTimeout: o.QueryTimeout, Nonces: newNonces(db, o.QueryTimeout), Logger: o.Logger}), nil
}

// connConfig parses the URL and sets the session defaults every connection
// starts with.
func connConfig(o Options) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(o.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.ConnectTimeout = o.ConnectTimeout
	ms := func(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
	for k, v := range map[string]string{
		"default_transaction_isolation": "repeatable read",
		"statement_timeout":             ms(o.QueryTimeout),
		// A transaction left open by a replica that vanished (a network
		// partition; a killed process closes its socket and is noticed at
		// once) holds row locks and job claims. No live transaction waits
		// this long between two statements, since every call is bounded by
		// QueryTimeout as a whole.
		"idle_in_transaction_session_timeout": ms(2 * o.QueryTimeout),
		"application_name":                    "openecs",
	} {
		if _, set := cfg.RuntimeParams[k]; !set {
			cfg.RuntimeParams[k] = v
		}
	}
	return cfg, nil
}

// migrate applies the migrations over one connection that holds an advisory
// lock, so that replicas starting together do not race on the schema.
func migrate(ctx context.Context, cfg pgx.ConnConfig) error {
	// A migration may rewrite a big table, and waiting for another replica's
	// migration is waiting for the lock: no statement timeout here (the
	// context bounds the whole).
	params := map[string]string{}
	for k, v := range cfg.RuntimeParams {
		params[k] = v
	}
	params["statement_timeout"] = "0"
	cfg.RuntimeParams = params
	db := stdlib.OpenDB(cfg)
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout+10*time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("postgres: connecting to %s: %w", redact(cfg), Dialect{}.Translate(err))
	}
	defer func() {
		// Closing the connection unlocks too; this only makes it prompt.
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		db.ExecContext(uctx, `SELECT pg_advisory_unlock($1)`, migrationLock) //nolint:errcheck
	}()
	if err := sqlstore.Migrate(ctx, db, Dialect{}, Migrations()); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// redact names the server without the password.
func redact(cfg pgx.ConnConfig) string {
	return fmt.Sprintf("%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Dialect is PostgreSQL's sqlstore.Dialect.
type Dialect struct{}

// BeginWrite implements sqlstore.Dialect: the clock fence, the snapshot and
// the stored clock offset in one round trip (clock.go).
func (Dialect) BeginWrite() string { return beginWriteSQL }

// ReadTxOptions implements sqlstore.Dialect: READ COMMITTED would take a
// new snapshot for every statement.
func (Dialect) ReadTxOptions() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// OwnTransactions implements sqlstore.Dialect: database/sql's Tx, whose
// context cancels a statement on the server when its caller gives up.
func (Dialect) OwnTransactions() bool { return false }

// KeepsCounts implements sqlstore.Dialect: the PostgreSQL schema keeps no
// instance_counts (its planner counts fast enough).
func (Dialect) KeepsCounts() bool { return false }

// Rebind implements sqlstore.Dialect: the shared SQL already uses $N.
func (Dialect) Rebind(q string) string { return q }

// ClaimSuffix implements sqlstore.Dialect: a job locked by another open
// transaction is skipped, and the lock is the claim.
func (Dialect) ClaimSuffix() string { return " FOR UPDATE SKIP LOCKED" }

// SQLSTATE codes the driver acts on.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeQueryCanceled        = "57014" // statement_timeout
	codeReadOnlyTransaction  = "25006" // a standby after a failover
	codeNumericOutOfRange    = "22003" // BIGINT arithmetic overflow: the store's only arithmetic is on money
)

// Translate maps PostgreSQL and connection errors to the store's. The original
// error stays in the chain (errors.As still finds the *pgconn.PgError), so
// Retryable works on a translated error too.
func (Dialect) Translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, openecs.ErrConflict) || errors.Is(err, openecs.ErrUnavailable) || errors.Is(err, openecs.ErrNotFound) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == codeUniqueViolation, pe.Code == codeSerializationFailure, pe.Code == codeDeadlockDetected:
			return fmt.Errorf("%w: %w", openecs.ErrConflict, err)
		case pe.Code == codeNumericOutOfRange:
			return fmt.Errorf("%w: %w", openecs.ErrMoneyOverflow, err)
		case pe.Code == codeQueryCanceled, pe.Code == codeReadOnlyTransaction,
			strings.HasPrefix(pe.Code, "08"), // connection exception
			strings.HasPrefix(pe.Code, "53"), // insufficient resources (too many connections, disk full)
			strings.HasPrefix(pe.Code, "57"): // operator intervention (shutdown, cannot connect now)
			return fmt.Errorf("%w: %w", openecs.ErrUnavailable, err)
		}
		return err
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %w", openecs.ErrUnavailable, err)
	}
	return err
}

// unreachable reports errors that mean the server could not be reached or
// the connection broke.
func unreachable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "unexpected EOF") || strings.Contains(msg, "failed to connect")
}

// Retryable implements sqlstore.Dialect: serialization failures and
// deadlocks; running the transaction again is the documented remedy.
func (Dialect) Retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}
