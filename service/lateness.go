package service

import (
	"context"
	"sync/atomic"
	"time"
)

// Lateness is how late the background scheduler runs due jobs: from a
// job's due time to the commit that ran it, in 1 ms buckets up to one
// second. Only runs the scheduler makes in real time count (see Live): a
// clock advance replays history and runs jobs days "late" on purpose.
type Lateness struct {
	buckets [LatenessBuckets]atomic.Uint64 // [i]: i to i+1 ms late
	over    atomic.Uint64                  // a second or more
	count   atomic.Uint64
	sumUS   atomic.Int64
	maxUS   atomic.Int64
}

// LatenessBuckets is the number of 1 ms buckets.
const LatenessBuckets = 1000

func (l *Lateness) observe(d time.Duration) {
	d = max(d, 0)
	if i := int(d / time.Millisecond); i < LatenessBuckets {
		l.buckets[i].Add(1)
	} else {
		l.over.Add(1)
	}
	l.count.Add(1)
	us := d.Microseconds()
	l.sumUS.Add(us)
	for {
		cur := l.maxUS.Load()
		if us <= cur || l.maxUS.CompareAndSwap(cur, us) {
			return
		}
	}
}

// LatenessSnapshot is a copy of the counts (GET /admin/v1/debug/jobs).
type LatenessSnapshot struct {
	Count    uint64
	SumMS    float64
	MaxMS    float64
	CountsMS []uint64 // [i]: jobs i to i+1 ms late
	Over     uint64   // jobs a second or more late
}

// Snapshot copies the counts.
func (l *Lateness) Snapshot() LatenessSnapshot {
	s := LatenessSnapshot{Count: l.count.Load(), SumMS: float64(l.sumUS.Load()) / 1000, MaxMS: float64(l.maxUS.Load()) / 1000, Over: l.over.Load(),
		CountsMS: make([]uint64, LatenessBuckets)}
	for i := range s.CountsMS {
		s.CountsMS[i] = l.buckets[i].Load()
	}
	return s
}

// JobLateness returns the service's job lateness recorder.
func (s *Service) JobLateness() *Lateness { return &s.lateness }

type liveKey struct{}

// Live marks ctx as the background scheduler running due work as it falls
// due, so that RunDue records how late each job ran.
func Live(ctx context.Context) context.Context { return context.WithValue(ctx, liveKey{}, true) }

func isLive(ctx context.Context) bool { v, _ := ctx.Value(liveKey{}).(bool); return v }
