// Package service holds the operations of OpenECS: the ECS actions and the
// admin controls, their preconditions and errors, and the time-driven jobs
// (transitions, billing points, suspensions, expiries, releases). It decides;
// the store commits. It knows neither HTTP nor SQL.
//
// Every action checks, in this order (docs/errors.md "Order of checks"):
// parameters → the resource exists and belongs to the caller → charge type →
// security lock → billing state and status, most specific first → money →
// capacity, quota, spot price, disks, KMS. Each action lists its checks as one
// ordered slice in its own file. DryRun runs every check and then answers
// DryRunOperation instead of acting.
//
// Time: every call reads "now" from its transaction (openecs.Reader.Now);
// job handlers take their job's due time.
package service

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// ReleaseAfter is how long a suspended pay-as-you-go instance, or an expired
// subscription instance, is kept before it is released.
const ReleaseAfter = 15 * 24 * time.Hour

// Config holds the service's tunables.
type Config struct {
	// TransitionDelay is how long Pending, Starting and Stopping last, in clock
	// time. Zero completes a transition in the same commit as the call.
	TransitionDelay time.Duration
	// OverdueGrace is how long after a billing point finds an account in
	// arrears its pay-as-you-go instances are suspended (0: at that point).
	OverdueGrace time.Duration
	// BootstrapBalance is the balance of the account created on first start.
	BootstrapBalance openecs.Money
	// BootstrapKeyID and BootstrapSecret are its AccessKey pair (test/test).
	BootstrapKeyID, BootstrapSecret string
}

// DefaultConfig is what `openecs serve` uses without flags.
func DefaultConfig() Config {
	return Config{
		TransitionDelay:  2 * time.Second,
		BootstrapBalance: openecs.Yuan(10_000),
		BootstrapKeyID:   "test",
		BootstrapSecret:  "test",
	}
}

// Service implements the ECS actions and the admin controls.
type Service struct {
	store   openecs.Store
	wall    func() time.Time
	cat     *catalog.Catalog
	cfg     Config
	log     *slog.Logger
	workers workers // the job handlers, by kind (jobs.go)

	kick     chan struct{} // wakes the scheduler when a job is added
	runMu    sync.Mutex    // one RunDue at a time in this process
	advMu    sync.Mutex    // one clock advance at a time in this process
	lateness Lateness      // how late the scheduler runs due jobs
	unknown  atomic.Uint64 // jobs of a kind this binary does not know, deferred

	faultsMu  sync.Mutex
	faults    []openecs.Fault
	faultsAt  time.Time // wall time the cached fault list was read; zero: stale
	faultsNow time.Time // the virtual time of that read
}

// New returns a service over store. wall is the wall clock (nil: time.Now);
// the store stamps virtual time from the same wall clock. Call Init before
// serving.
func New(store openecs.Store, wall func() time.Time, cat *catalog.Catalog, cfg Config, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	if wall == nil {
		wall = time.Now
	}
	return &Service{store: store, wall: wall, cat: cat, cfg: cfg, log: log, workers: newWorkers(), kick: make(chan struct{}, 1)}
}

// Wall returns the wall time (UTC). Request timestamps and credential
// expiry are checked against it, never against the virtual clock.
func (s *Service) Wall() time.Time { return s.wall().UTC() }

// Catalog returns the catalogue.
func (s *Service) Catalog() *catalog.Catalog { return s.cat }

// Config returns the configuration.
func (s *Service) Config() Config { return s.cfg }

// Kicked is signalled whenever a job is scheduled; the scheduler waits on it.
func (s *Service) Kicked() <-chan struct{} { return s.kick }

func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Caller is who makes an API call.
type Caller struct {
	AccountID string
	KeyID     string
	Action    string // the action as spelled in the request
	RequestID string
}

// Init starts the billing watermark and creates the bootstrap account on
// first start. It returns the bootstrap account if it was created now.
func (s *Service) Init(ctx context.Context) (created *openecs.Account, err error) {
	err = s.store.Update(ctx, func(tx openecs.Tx) error {
		created = nil
		now := tx.Now()
		if _, err := tx.CompareAndSetMeta(metaBilledHour, "", formatMillis(openecs.Hour(now))); err != nil {
			return err
		}
		if s.cfg.BootstrapKeyID == "" {
			return nil
		}
		if _, err := tx.AccessKey(s.cfg.BootstrapKeyID); err == nil {
			return nil
		} else if !errors.Is(err, openecs.ErrNotFound) {
			return err
		}
		a, _, err := s.createAccount(tx, "default", s.cfg.BootstrapBalance, false, now, s.cfg.BootstrapKeyID, s.cfg.BootstrapSecret)
		created = a
		return err
	})
	return created, err
}

// event appends an event in tx.
func event(tx openecs.Tx, at time.Time, accountID string, kind openecs.EventKind, resource, cause string, data map[string]any) error {
	return tx.AppendEvent(&openecs.Event{At: at, AccountID: accountID, Kind: kind, ResourceID: resource, Cause: cause, Data: data})
}

// update runs fn in a write transaction. A lost compare-and-set (another
// call or replica changed the row first) runs fn again on the new state, so
// the loser answers from what it now sees (IncorrectInstanceStatus, the first
// call's idempotent answer, …); after a few losses it answers OperationConflict.
func (s *Service) update(ctx context.Context, fn func(tx openecs.Tx) error) error {
	var err error
	for range 4 {
		err = s.store.Update(ctx, fn)
		if !errors.Is(err, openecs.ErrConflict) {
			return err
		}
	}
	return openecs.ErrOperationConflict
}
