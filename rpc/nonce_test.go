package rpc

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// floorMap is a FloorStore in memory.
type floorMap struct {
	mu     sync.Mutex
	m      map[string]time.Time
	raises int
}

func (f *floorMap) NonceFloors(context.Context) (map[string]time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]time.Time{}
	for k, v := range f.m {
		out[k] = v
	}
	return out, nil
}

func (f *floorMap) RaiseNonceFloor(_ context.Context, k string, t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raises++
	if t.After(f.m[k]) {
		f.m[k] = t
	}
	return nil
}

func mustNonces(t *testing.T, limit int, floors FloorStore, wall func() time.Time) *MemoryNonces {
	t.Helper()
	n, err := NewMemoryNonces(context.Background(), limit, floors, wall)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func use(t *testing.T, n *MemoryNonces, key, nonce string, at time.Time) (bool, error) {
	t.Helper()
	return n.Use(context.Background(), key, nonce, at)
}

func TestNoncesRefuseReplays(t *testing.T) {
	now := time.Now()
	n := mustNonces(t, 0, nil, nil)
	if ok, err := use(t, n, "k", "n1", now); !ok || err != nil {
		t.Fatalf("a new nonce: %v %v", ok, err)
	}
	if ok, _ := use(t, n, "k", "n1", now); ok {
		t.Fatal("a replay was fresh")
	}
	if ok, _ := use(t, n, "other", "n1", now); !ok {
		t.Fatal("the same nonce of another key was refused")
	}
	if ok, _ := use(t, n, "k", "n2", now); !ok {
		t.Fatal("another nonce was refused")
	}
}

// TestNoncesSurviveARestart: a request answered before a restart cannot be
// replayed after it, and the key's later requests are fine; one durable
// record per key and second.
func TestNoncesSurviveARestart(t *testing.T) {
	floors := &floorMap{m: map[string]time.Time{}}
	at := time.Now().Truncate(time.Second)
	first := mustNonces(t, 0, floors, nil)
	for i := range 50 {
		if ok, err := use(t, first, "k", "n"+strconv.Itoa(i), at); !ok || err != nil {
			t.Fatalf("call %d: %v %v", i, ok, err)
		}
	}
	if floors.raises != 1 {
		t.Fatalf("%d durable records for 50 calls signed in one second, want 1", floors.raises)
	}
	restarted := mustNonces(t, 0, floors, nil)
	_, err := use(t, restarted, "k", "n7", at)
	if !errors.Is(err, openecs.ErrTimestampExpired) {
		t.Fatalf("a replay after the restart: %v, want InvalidTimeStamp.Expired", err)
	}
	if ok, err := use(t, restarted, "k", "fresh", at.Add(time.Second)); !ok || err != nil {
		t.Fatalf("a new request of the key after the restart: %v %v", ok, err)
	}
	if ok, err := use(t, restarted, "other", "n7", at); !ok || err != nil {
		t.Fatalf("another key after the restart: %v %v", ok, err)
	}
}

// TestNonceMemoryIsBounded: past the cap the oldest seconds go, and
// requests signed then are refused rather than accepted unremembered.
func TestNonceMemoryIsBounded(t *testing.T) {
	wall := time.Now().Truncate(time.Second)
	n := mustNonces(t, nonceShards*10, nil, func() time.Time { return wall })
	base := wall.Add(-10 * time.Minute)
	for i := range 5000 {
		at := base.Add(time.Duration(i/100) * time.Second)
		if ok, err := use(t, n, "k", "n"+strconv.Itoa(i), at); !ok || err != nil {
			t.Fatalf("call %d: %v %v", i, ok, err)
		}
	}
	total := 0
	for i := range n.shards {
		total += n.shards[i].n
	}
	if total > nonceShards*10 {
		t.Fatalf("%d nonces kept, cap %d", total, nonceShards*10)
	}
	if _, err := use(t, n, "k", "n0", base); !errors.Is(err, openecs.ErrTimestampExpired) {
		t.Fatalf("a replay of a forgotten second: %v, want InvalidTimeStamp.Expired", err)
	}
}

// TestNoncesExpireWithTheirWindow: seconds older than the window are
// dropped as the wall clock moves on.
func TestNoncesExpireWithTheirWindow(t *testing.T) {
	wall := time.Now().Truncate(time.Second)
	n := mustNonces(t, 0, nil, func() time.Time { return wall })
	for i := range 200 {
		use(t, n, "k", "n"+strconv.Itoa(i), wall) //nolint:errcheck
	}
	wall = wall.Add(openecs.TimestampWindow + 2*time.Second)
	// New calls until every shard has seen one (a shard sweeps when used).
	calls := 0
	for swept := false; !swept; calls++ {
		use(t, n, "k", "later"+strconv.Itoa(calls), wall) //nolint:errcheck
		swept = true
		for i := range n.shards {
			swept = swept && n.shards[i].sweptAt == wall.Unix()
		}
	}
	total := 0
	for i := range n.shards {
		total += n.shards[i].n
	}
	if total != calls {
		t.Fatalf("%d nonces kept after the window passed, want only the %d new ones", total, calls)
	}
}
