package rpc

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/openecs/openecs"
)

// MemoryNonces is the nonce store of a single server (the embedded SQLite
// store; replicas on PostgreSQL share the database's). It refuses a replay
// within the timestamp window, survives restarts and holds a bounded amount
// of memory:
//
//   - A nonce is kept under the second its request was signed at, since a
//     replay carries the same signed Timestamp; a second's nonces are
//     dropped once that second leaves the window. Each is a 128-bit hash of
//     key and nonce (two 64-bit hashes: a false match has probability about
//     n²/2¹²⁹), so an entry holds no pointer for the collector to walk.
//   - Memory is capped (Options.MaxNonces): when a shard is full, its oldest
//     second is dropped and the shard refuses requests signed at or before
//     it (InvalidTimeStamp.Expired: sign again), so under extreme rates the
//     window narrows instead of memory growing.
//   - Restarts: before a key's request signed later than any before is let
//     through, that signing time is written to the store (one write per key
//     and second at most); after a restart the server refuses each key's
//     requests signed at or before the last time written for it, so nothing
//     answered before the restart can be replayed after it. A request signed
//     within the same second as the key's last one before the restart is
//     refused too (it cannot be told from a replay), so a server that
//     restarts within a second of its last request starts serving only once
//     that second is over (ReadyAt): a client whose clock agrees with the
//     server's and that signs after the server is up never meets that case.
type MemoryNonces struct {
	seeds   [2]maphash.Seed
	shards  [nonceShards]nonceShard
	perCap  int // entries per shard
	floors  *keyFloors
	wall    func() time.Time
	readyAt time.Time // see Ready
}

const nonceShards = 64

// DefaultMaxNonces bounds the nonces a server remembers: 2 Mi entries, about
// 100 MiB with the maps' overhead; 2,300 signed calls a second keep the
// whole fifteen-minute window.
const DefaultMaxNonces = 1 << 21

type nonceKey [2]uint64

type nonceShard struct {
	mu      sync.Mutex
	bySec   map[int64]map[nonceKey]struct{} // signing second → nonces
	n       int                             // entries in bySec
	floor   int64                           // seconds at or before this are refused
	oldest  int64                           // a lower bound of bySec's keys
	sweptAt int64                           // wall second of the last expiry sweep
}

// FloorStore persists each key's latest signing time (openecs.Store through
// the service).
type FloorStore interface {
	// NonceFloors loads every key's recorded time.
	NonceFloors(ctx context.Context) (map[string]time.Time, error)
	// RaiseNonceFloor records t for the key unless a later time is recorded.
	RaiseNonceFloor(ctx context.Context, keyID string, t time.Time) error
}

// NewMemoryNonces returns a nonce store holding at most limit entries (0:
// DefaultMaxNonces). floors may be nil (nothing survives a restart; tests).
// With floors it loads the recorded times first. wall is the wall clock
// (nil: time.Now).
func NewMemoryNonces(ctx context.Context, limit int, floors FloorStore, wall func() time.Time) (*MemoryNonces, error) {
	if limit <= 0 {
		limit = DefaultMaxNonces
	}
	if wall == nil {
		wall = time.Now
	}
	n := &MemoryNonces{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, perCap: max(limit/nonceShards, 1), wall: wall}
	for i := range n.shards {
		n.shards[i].bySec = map[int64]map[nonceKey]struct{}{}
	}
	if floors != nil {
		kf, err := newKeyFloors(ctx, floors)
		if err != nil {
			return nil, err
		}
		n.floors = kf
		// The latest second recorded, leaving out keys whose clocks run
		// ahead of this server's (waiting could not help them).
		now := wall()
		var last int64
		for _, s := range kf.start {
			if s <= now.Unix() {
				last = max(last, s)
			}
		}
		if next := time.Unix(last+1, 0); last > 0 && next.After(now) {
			n.readyAt = next
		}
	}
	return n, nil
}

// ReadyAt is when a request signed by a client whose clock agrees with the
// server's is sure to be signed after every second recorded before a
// restart: the zero time unless the server restarted within a second of its
// last request. Serving starts then.
func (n *MemoryNonces) ReadyAt() time.Time { return n.readyAt }

// Ready reports whether ReadyAt has passed.
func (n *MemoryNonces) Ready() bool { return !n.wall().Before(n.readyAt) }

// UntilReady is how long until ReadyAt on the store's wall clock (never
// more than a second).
func (n *MemoryNonces) UntilReady() time.Duration {
	return min(max(n.readyAt.Sub(n.wall()), 0), time.Second)
}

// Use implements openecs.NonceStore.
func (n *MemoryNonces) Use(ctx context.Context, keyID, nonce string, signedAt time.Time) (bool, error) {
	if n.floors != nil {
		if err := n.floors.admit(ctx, keyID, signedAt); err != nil {
			return false, err
		}
	}
	var h maphash.Hash
	k := nonceKey{}
	for i := range k {
		h.SetSeed(n.seeds[i])
		h.WriteString(keyID)
		h.WriteByte(0)
		h.WriteString(nonce)
		k[i] = h.Sum64()
		h.Reset()
	}
	sec := signedAt.Unix()
	sh := &n.shards[k[0]%nonceShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sec <= sh.floor {
		return false, errSignedTooLongAgo
	}
	set := sh.bySec[sec]
	if _, used := set[k]; used {
		return false, nil
	}
	if set == nil {
		set = map[nonceKey]struct{}{}
		sh.bySec[sec] = set
		sh.oldest = min(sh.oldest, sec)
		if len(sh.bySec) == 1 {
			sh.oldest = sec
		}
	}
	set[k] = struct{}{}
	sh.n++
	now := n.wall().Unix()
	if now != sh.sweptAt {
		sh.sweptAt = now
		sh.dropBefore(now - int64(openecs.TimestampWindow/time.Second))
	}
	for sh.n > n.perCap {
		sh.dropOldest()
	}
	return true, nil
}

// dropBefore drops the seconds before sec: requests signed then are out of
// the window anyway.
func (sh *nonceShard) dropBefore(sec int64) {
	for sh.oldest < sec && len(sh.bySec) > 0 {
		if set, ok := sh.bySec[sh.oldest]; ok {
			sh.n -= len(set)
			delete(sh.bySec, sh.oldest)
		}
		sh.oldest++
	}
}

// dropOldest drops the oldest second and refuses everything signed up to it.
func (sh *nonceShard) dropOldest() {
	for {
		if set, ok := sh.bySec[sh.oldest]; ok {
			sh.n -= len(set)
			delete(sh.bySec, sh.oldest)
			sh.floor = max(sh.floor, sh.oldest)
			sh.oldest++
			return
		}
		sh.oldest++
	}
}

// errSignedTooLongAgo answers a request signed before what this server can
// still tell apart from a replay.
var errSignedTooLongAgo = openecs.ErrTimestampExpired.With("Specified time stamp or date value is expired: the request was signed before the server restarted, or too long ago for the server to tell it from a replay; sign it again.")

// keyFloors is each key's latest signing time known to be recorded.
type keyFloors struct {
	store FloorStore
	mu    sync.RWMutex
	start map[string]int64    // the recorded times loaded at start (Unix s): refused at or before
	known map[string]int64    // the latest time recorded since (Unix s)
	wait  map[string]*raising // records in flight
}

type raising struct {
	to   int64
	done chan struct{}
	err  error
}

func newKeyFloors(ctx context.Context, store FloorStore) (*keyFloors, error) {
	loaded, err := store.NonceFloors(ctx)
	if err != nil {
		return nil, err
	}
	f := &keyFloors{store: store, start: map[string]int64{}, known: map[string]int64{}, wait: map[string]*raising{}}
	for k, t := range loaded {
		f.start[k] = t.Unix()
		f.known[k] = t.Unix()
	}
	return f, nil
}

// admit refuses a request signed at or before the key's time recorded by an
// earlier run, and records a later signing time before letting it through.
func (f *keyFloors) admit(ctx context.Context, keyID string, signedAt time.Time) error {
	sec := signedAt.Unix()
	// The common case, under the read lock: a time already recorded.
	f.mu.RLock()
	s, restarted := f.start[keyID]
	known := f.known[keyID]
	f.mu.RUnlock()
	if restarted && sec <= s {
		return errSignedTooLongAgo
	}
	if sec <= known {
		return nil
	}
	for {
		f.mu.Lock()
		if s, ok := f.start[keyID]; ok && sec <= s {
			f.mu.Unlock()
			return errSignedTooLongAgo
		}
		if sec <= f.known[keyID] {
			f.mu.Unlock()
			return nil
		}
		if r := f.wait[keyID]; r != nil {
			f.mu.Unlock()
			select {
			case <-r.done:
			case <-ctx.Done():
				return ctx.Err()
			}
			if r.err != nil {
				return r.err
			}
			continue // recorded up to r.to; look again
		}
		r := &raising{to: sec, done: make(chan struct{})}
		f.wait[keyID] = r
		f.mu.Unlock()

		r.err = f.store.RaiseNonceFloor(ctx, keyID, time.Unix(sec, 0))
		f.mu.Lock()
		if r.err == nil && sec > f.known[keyID] {
			f.known[keyID] = sec
		}
		delete(f.wait, keyID)
		f.mu.Unlock()
		close(r.done)
		if r.err != nil {
			return r.err
		}
	}
}
