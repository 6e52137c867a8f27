package rpc

import (
	"sync"
	"time"
)

// RateLimiter is a token bucket per AccessKey: rate calls per second with a
// burst. Calls over it answer Throttling (400).
type RateLimiter struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	keys  map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// NewRateLimiter returns a limiter; burst ≤ 0 means max(1, rate).
func NewRateLimiter(rate float64, burst int) *RateLimiter {
	b := float64(burst)
	if b <= 0 {
		b = max(1, rate)
	}
	return &RateLimiter{rate: rate, burst: b, keys: map[string]*bucket{}}
}

// Allow implements Throttler.
func (l *RateLimiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.keys[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
