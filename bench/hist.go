package bench

import (
	"math/bits"
	"time"
)

// histogram records latencies in log-linear buckets: exact below 64 ns, then
// 32 buckets per power of two (about 3 % relative error). Recording is one
// array increment, so each worker keeps its own and they are merged at the
// end.
type histogram struct {
	counts [histBuckets]uint64
	n      uint64
	max    time.Duration
}

const (
	subBits     = 5 // 32 sub-buckets per power of two
	histBuckets = (65 - subBits) << subBits
)

func bucketOf(d time.Duration) int {
	v := uint64(max(d, 0))
	if v < 2<<subBits {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return shift<<subBits + int(v>>shift)
}

// lowerBound is the smallest duration that falls into bucket i.
func lowerBound(i int) time.Duration {
	if i < 2<<subBits {
		return time.Duration(i)
	}
	shift := i>>subBits - 1
	return time.Duration(uint64(i-shift<<subBits) << shift)
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile returns the q-quantile (0 < q ≤ 1): the lower bound of the bucket
// that holds it, never more than the largest value recorded.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return h.max
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(lowerBound(i), h.max)
		}
	}
	return h.max
}
