package rpc

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// MemoryNonces is an in-process openecs.NonceStore, sharded to keep lock contention
// low. Entries expire with their window; memory is bounded by the request
// rate times the window.
//
// A nonce is kept as a 128-bit hash of its text (two independent 64-bit
// hashes; two different nonces are mistaken for each other with probability
// about n²/2¹²⁹), so an entry is 24 bytes with no pointer in it: at
// thousands of calls a second the window holds millions of nonces, and a
// map of strings would cost several times the memory and make the garbage
// collector walk every one of them on each cycle.
type MemoryNonces struct {
	seeds  [2]maphash.Seed
	shards [64]nonceShard
	now    func() time.Time
}

type nonceKey [2]uint64

type nonceShard struct {
	mu    sync.Mutex
	m     map[nonceKey]int64 // nonce → expiry (Unix ms)
	swept int64              // when expired entries were last dropped (Unix ms)
}

// NewMemoryNonces returns an empty in-process nonce store.
func NewMemoryNonces() *MemoryNonces {
	n := &MemoryNonces{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, now: time.Now}
	for i := range n.shards {
		n.shards[i].m = map[nonceKey]int64{}
	}
	return n
}

// Use implements NonceStore.
func (n *MemoryNonces) Use(_ context.Context, nonce string, until time.Time) (bool, error) {
	k := nonceKey{maphash.String(n.seeds[0], nonce), maphash.String(n.seeds[1], nonce)}
	sh := &n.shards[k[0]%uint64(len(n.shards))]
	now := n.now().UnixMilli()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if exp, ok := sh.m[k]; ok && exp >= now {
		return false, nil
	}
	sh.m[k] = until.UnixMilli()
	if now-sh.swept > 10_000 { // at most one sweep per shard every 10 s
		sh.swept = now
		for k, exp := range sh.m {
			if exp < now {
				delete(sh.m, k)
			}
		}
	}
	return true, nil
}
