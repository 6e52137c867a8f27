package rpc

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// NonceStore remembers SignatureNonces until the end of their request's
// timestamp window, so a replayed request is refused (SignatureNonceUsed).
type NonceStore interface {
	// Use records the nonce and reports whether it was fresh.
	Use(ctx context.Context, nonce string, until time.Time) (bool, error)
}

// MemoryNonces is an in-process NonceStore, sharded to keep lock contention
// low. Entries expire with their window; memory is bounded by the request
// rate times the window.
type MemoryNonces struct {
	seed   maphash.Seed
	shards [64]nonceShard
	now    func() time.Time
}

type nonceShard struct {
	mu    sync.Mutex
	m     map[string]int64 // nonce → expiry (Unix ms)
	swept int64            // when expired entries were last dropped (Unix ms)
}

// NewMemoryNonces returns an empty in-process nonce store.
func NewMemoryNonces() *MemoryNonces {
	n := &MemoryNonces{seed: maphash.MakeSeed(), now: time.Now}
	for i := range n.shards {
		n.shards[i].m = map[string]int64{}
	}
	return n
}

// Use implements NonceStore.
func (n *MemoryNonces) Use(_ context.Context, nonce string, until time.Time) (bool, error) {
	sh := &n.shards[maphash.String(n.seed, nonce)%uint64(len(n.shards))]
	now := n.now().UnixMilli()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if exp, ok := sh.m[nonce]; ok && exp >= now {
		return false, nil
	}
	sh.m[nonce] = until.UnixMilli()
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
