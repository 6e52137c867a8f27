// Package sqlstore implements openecs.Store over database/sql. The SQL is
// written once, with $N placeholders, and each driver (sqlite, postgres)
// supplies a Dialect: how to open connections, rebind placeholders, claim rows
// and translate its own errors. Each driver embeds its own migrations.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openecs/openecs"
)

// Dialect is what differs between SQL engines: their SQL, their errors and
// their capabilities. Shared code asks a capability, never an engine's name.
type Dialect interface {
	// Rebind turns the $N placeholders of the shared SQL into the engine's.
	Rebind(query string) string
	// ClaimSuffix is appended to the job-claim SELECT (FOR UPDATE SKIP LOCKED
	// where several writers claim at once; nothing where one writer
	// serialises claims).
	ClaimSuffix() string
	// BeginWrite is the first statement of every write transaction. It
	// returns the stored clock offset (openecs.MetaClockOffset, "" if none)
	// read in the transaction's own snapshot, from which the transaction's
	// Now is stamped; an engine shared by replicas also takes its clock fence
	// there. An error it returns fails the transaction (and is retried if
	// Retryable says so).
	BeginWrite() string
	// ReadTxOptions are the options of a read transaction (View), chosen so
	// that it sees one snapshot.
	ReadTxOptions() *sql.TxOptions
	// OwnTransactions reports whether the store should begin and end
	// transactions itself with statements on a connection instead of through
	// database/sql's Tx (see connTx).
	OwnTransactions() bool
	// KeepsCounts reports whether the schema keeps instance_counts, which
	// InsertInstance and DeleteInstance maintain and CountInstances reads for
	// filters by account and region alone.
	KeepsCounts() bool
	// Translate maps a driver error to openecs.ErrNotFound, ErrConflict or
	// ErrUnavailable where it is one of those, and returns it unchanged otherwise.
	Translate(err error) error
	// Retryable reports whether a failed transaction may simply be run again
	// (serialization failure, deadlock, busy).
	Retryable(err error) bool
}

// Config configures a Store.
type Config struct {
	// Read is the pool used by View. Write is used by Update; for SQLite it is
	// a single connection and GroupCommit is on.
	Read, Write *sql.DB
	Dialect     Dialect
	// GroupCommit batches concurrent Updates into one transaction, each in its
	// own savepoint, answered only after the commit.
	GroupCommit bool
	// MaxBatch bounds a group commit (default 256).
	MaxBatch int
	// Wall is the wall clock each transaction stamps its Now from (with the
	// stored offset); nil is time.Now.
	Wall func() time.Time
	// CallTimeout, if set, bounds each Update, View and Ping as a whole; a
	// call that runs out of it answers openecs.ErrUnavailable (the database
	// did not answer in time).
	CallTimeout time.Duration
	// Nonces is the driver's signature nonce store (Store.Nonces).
	Nonces openecs.NonceStore
	// AfterCommit, if set, runs after every successful write commit.
	AfterCommit func()
	// BeforeClose, if set, runs when the store closes, after the last
	// commit and before the pools close.
	BeforeClose func()
	Logger      *slog.Logger
}

// Store is the shared SQL store.
type Store struct {
	cfg     Config
	d       Dialect
	log     *slog.Logger
	queue   chan *request
	closeMu sync.RWMutex
	closed  bool
	done    chan struct{}

	rebind  sync.Map // shared SQL → the dialect's text
	rebound atomic.Int64
}

type request struct {
	ctx  context.Context
	fn   func(openecs.Tx) error
	done chan error
}

// New returns a store over already-opened pools. Run Migrate first.
func New(cfg Config) *Store {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 256
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Wall == nil {
		cfg.Wall = time.Now
	}
	s := &Store{cfg: cfg, d: cfg.Dialect, log: cfg.Logger, done: make(chan struct{})}
	if cfg.GroupCommit {
		s.queue = make(chan *request, 4096)
		go s.writer()
	} else {
		close(s.done)
	}
	return s
}

// Nonces implements openecs.Store.
func (s *Store) Nonces() openecs.NonceStore { return s.cfg.Nonces }

// Write returns the write pool (for driver tests and tools).
func (s *Store) Write() *sql.DB { return s.cfg.Write }

// q rebinds a query once and caches the result. Readers run in parallel, so
// the cache is read without a lock. Queries built from filters vary; past
// maxRebound distinct texts, new ones are rebound on every use.
func (s *Store) q(query string) string {
	if r, ok := s.rebind.Load(query); ok {
		return r.(string)
	}
	r := s.d.Rebind(query)
	if s.rebound.Load() < maxRebound {
		if _, loaded := s.rebind.LoadOrStore(query, r); !loaded {
			s.rebound.Add(1)
		}
	}
	return r
}

// maxRebound bounds the rebind cache.
const maxRebound = 4096

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.bounded(ctx, s.ping(ctx))
}

func (s *Store) ping(ctx context.Context) error {
	if err := s.cfg.Read.PingContext(ctx); err != nil {
		return s.translate(err)
	}
	if err := s.cfg.Write.PingContext(ctx); err != nil {
		return s.translate(err)
	}
	return nil
}

// Close stops the writer after the queued updates and closes the pools.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	if s.queue != nil {
		close(s.queue)
	}
	s.closeMu.Unlock()
	<-s.done
	if s.cfg.BeforeClose != nil {
		s.cfg.BeforeClose()
	}
	err := s.cfg.Write.Close()
	if s.cfg.Read != s.cfg.Write {
		err = errors.Join(err, s.cfg.Read.Close())
	}
	return err
}

func (s *Store) translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return openecs.ErrNotFound
	}
	if errors.Is(err, openecs.ErrNotFound) || errors.Is(err, openecs.ErrConflict) || errors.Is(err, openecs.ErrUnavailable) {
		return err
	}
	if _, ok := openecs.AsError(err); ok {
		return err
	}
	return s.d.Translate(err)
}

// bound applies the call timeout, if any.
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.cfg.CallTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.cfg.CallTimeout)
}

// bounded reports a call that ran out of its own time as ErrUnavailable: the
// database did not answer in time. Answers from fn (API errors) and the
// caller's own cancellation pass through.
func (s *Store) bounded(ctx context.Context, err error) error {
	if err == nil || s.cfg.CallTimeout <= 0 || ctx.Err() == nil || errors.Is(err, openecs.ErrUnavailable) {
		return err
	}
	if _, ok := openecs.AsError(err); ok {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: no answer from the database within %s: %w", openecs.ErrUnavailable, s.cfg.CallTimeout, err)
	}
	return err
}

// clockQuery reads the stored clock offset in a read transaction.
const clockQuery = `SELECT COALESCE((SELECT value FROM meta WHERE key = '` + openecs.MetaClockOffset + `'), '')`

// stamp reads the stored clock offset with the given statement in ex and
// returns the transaction's virtual now.
func (s *Store) stamp(ctx context.Context, ex execer, query string) (time.Time, error) {
	var offset string
	if err := ex.QueryRowContext(ctx, query).Scan(&offset); err != nil {
		return time.Time{}, err
	}
	return openecs.VirtualNow(s.cfg.Wall(), offset)
}

// View runs fn on the read pool inside a read-only transaction so that it sees
// one snapshot.
func (s *Store) View(ctx context.Context, fn func(openecs.Reader) error) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.bounded(ctx, s.view(ctx, fn))
}

func (s *Store) view(ctx context.Context, fn func(openecs.Reader) error) error {
	var tx openTx
	tctx := ctx
	if s.d.OwnTransactions() {
		c, err := beginOnConn(ctx, s.cfg.Read, "BEGIN")
		if err != nil {
			return s.translate(err)
		}
		tx, tctx = c, context.WithoutCancel(ctx)
	} else {
		t, err := s.cfg.Read.BeginTx(ctx, s.d.ReadTxOptions())
		if err != nil {
			return s.translate(err)
		}
		tx = t
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	t := &txn{s: s, ctx: tctx, ex: tx}
	now, err := s.stamp(tctx, tx, s.q(clockQuery))
	if err != nil {
		return s.translate(err)
	}
	t.now = now
	return fn(t)
}

// openTx is a transaction in progress: a *sql.Tx or a connTx.
type openTx interface {
	execer
	Commit() error
	Rollback() error
}

// Transactions begun by the store itself (Dialect.OwnTransactions) exist for
// SQLite, whose statements take microseconds: database/sql's Tx starts a
// goroutine to watch its context for every transaction and for every query
// in it, which costs more than the query itself. The statements then run
// with a context that is never cancelled (the driver would also watch a
// cancellable one), so a read in progress finishes even if its caller has
// gone; on SQLite that is a matter of milliseconds.

// connTx is a transaction begun with a statement on a connection taken from
// the pool; Commit and Rollback end it and give the connection back.
type connTx struct{ *sql.Conn }

func beginOnConn(ctx context.Context, db *sql.DB, begin string) (connTx, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return connTx{}, err
	}
	if _, err := c.ExecContext(context.WithoutCancel(ctx), begin); err != nil {
		c.Close()
		return connTx{}, err
	}
	return connTx{c}, nil
}

// Commit commits; if that fails the transaction is rolled back (SQLite may
// leave it open after a failed COMMIT).
func (c connTx) Commit() error {
	_, err := c.ExecContext(context.Background(), "COMMIT")
	if err != nil {
		c.ExecContext(context.Background(), "ROLLBACK") //nolint:errcheck // the commit's error is what matters
	}
	return errors.Join(err, c.Close())
}

// Rollback rolls back.
func (c connTx) Rollback() error {
	_, err := c.ExecContext(context.Background(), "ROLLBACK")
	return errors.Join(err, c.Close())
}

// Update runs fn in a write transaction (see openecs.Store).
func (s *Store) Update(ctx context.Context, fn func(openecs.Tx) error) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return s.bounded(ctx, s.update(ctx, fn))
}

func (s *Store) update(ctx context.Context, fn func(openecs.Tx) error) error {
	if !s.cfg.GroupCommit {
		return s.updateDirect(ctx, fn)
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return openecs.ErrUnavailable
	}
	select {
	case s.queue <- r:
	case <-ctx.Done():
		s.closeMu.RUnlock()
		return ctx.Err()
	}
	s.closeMu.RUnlock()
	// The request is answered after its batch commits; a caller that gives up
	// early does not stop the commit (the change still lands, as it would on
	// the real service after a client timeout).
	return <-r.done
}

// directAttempts is how many times updateDirect runs a transaction that
// keeps losing to others (serialization failures, deadlocks, a clock advance
// it waited for). With retryPause that is up to about two seconds of
// contention before the caller sees the conflict.
const directAttempts = 24

// updateDirect runs fn in its own transaction, retrying serialization
// failures and deadlocks, with a growing, jittered pause between attempts so
// that writers who collided do not collide again in step.
func (s *Store) updateDirect(ctx context.Context, fn func(openecs.Tx) error) error {
	var err error
	for attempt := range directAttempts {
		err = s.runTx(ctx, fn)
		if err == nil || !s.d.Retryable(err) || attempt == directAttempts-1 {
			break
		}
		select {
		case <-ctx.Done():
			return s.translate(err)
		case <-time.After(retryPause(attempt)):
		}
	}
	return s.translate(err)
}

// retryPause is the pause before retry attempt+1: a random time up to
// 2 ms doubled per attempt, at most 100 ms.
func retryPause(attempt int) time.Duration {
	ceiling := min(2*time.Millisecond<<min(attempt, 10), 100*time.Millisecond)
	return time.Millisecond + rand.N(ceiling)
}

func (s *Store) runTx(ctx context.Context, fn func(openecs.Tx) error) error {
	t, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	if err := safeCall(fn, t); err != nil {
		t.ex.(openTx).Rollback() //nolint:errcheck // the fn error is what matters
		return err
	}
	if err := t.ex.(openTx).Commit(); err != nil {
		return err
	}
	s.committed()
	return nil
}

// beginWrite begins a write transaction with the dialect's first statement
// and stamps its Now.
func (s *Store) beginWrite(ctx context.Context) (*txn, error) {
	var tx openTx
	tctx := ctx
	if s.d.OwnTransactions() {
		c, err := beginOnConn(ctx, s.cfg.Write, "BEGIN IMMEDIATE")
		if err != nil {
			return nil, err
		}
		tx, tctx = c, context.WithoutCancel(ctx)
	} else {
		t, err := s.cfg.Write.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		tx = t
	}
	now, err := s.stamp(tctx, tx, s.q(s.d.BeginWrite()))
	if err != nil {
		tx.Rollback() //nolint:errcheck // the stamp's error is what matters
		return nil, err
	}
	return &txn{s: s, ctx: tctx, ex: tx, tags: map[string]tagMemo{}, now: now}, nil
}

// committed runs the AfterCommit hook.
func (s *Store) committed() {
	if s.cfg.AfterCommit != nil {
		s.cfg.AfterCommit()
	}
}

// writer is the group-commit loop: it takes every queued update (up to
// MaxBatch), runs each in a savepoint of one transaction, commits once and
// then answers them all.
func (s *Store) writer() {
	defer close(s.done)
	for first := range s.queue {
		batch := []*request{first}
	fill:
		for len(batch) < s.cfg.MaxBatch {
			select {
			case r, ok := <-s.queue:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commitBatch(batch)
	}
}

func (s *Store) commitBatch(batch []*request) {
	ctx := context.Background()
	results := make([]error, len(batch))
	var commitErr error
	for attempt := 0; ; attempt++ {
		commitErr = s.tryBatch(ctx, batch, results)
		if commitErr == nil || !s.d.Retryable(commitErr) || attempt >= 5 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	for i, r := range batch {
		if commitErr != nil {
			r.done <- s.translate(commitErr)
			continue
		}
		r.done <- s.translate(results[i])
	}
}

func (s *Store) tryBatch(ctx context.Context, batch []*request, results []error) error {
	t, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	tx := t.ex.(openTx)
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
			tx.Rollback() //nolint:errcheck
			return err
		}
		ferr := safeCall(r.fn, t)
		if ferr != nil {
			if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT op"); err != nil {
				tx.Rollback() //nolint:errcheck
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT op"); err != nil {
			tx.Rollback() //nolint:errcheck
			return err
		}
		results[i] = ferr
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.committed()
	return nil
}

// safeCall turns a panic in fn into an error so that one bad update cannot
// take the writer (and every other caller) down.
func safeCall(fn func(openecs.Tx) error, t openecs.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sqlstore: update panicked: %v", p)
		}
	}()
	return fn(t)
}

// Migrate applies the numbered *.sql files of fsys (NNNN_name.sql) that are not
// yet recorded in schema_migrations, each in its own transaction.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migrate: %s is not named NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if err := applyMigration(ctx, db, d, version, name, string(body)); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, d Dialect, version int, name, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	var n int
	if err := tx.QueryRowContext(ctx, d.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = $1`), version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	// The whole file in one statement call: both drivers run every
	// statement of a text without parameters.
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`), version, name, time.Now().UnixMilli()); err != nil {
		return err
	}
	return tx.Commit()
}
