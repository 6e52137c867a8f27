package openecs

import (
	"sync"
	"time"
)

// Clock is the source of domain time. Domain and worker code never call
// time.Now(): they take a Clock, so tests and the admin API can move it.
type Clock interface {
	Now() time.Time
}

// VirtualClock is wall time plus an offset that only grows. The offset is
// what `POST /admin/v1/clock/advance` moves; the service persists it so that
// it survives restarts and is shared by replicas.
type VirtualClock struct {
	wall   func() time.Time
	mu     sync.RWMutex
	offset time.Duration
}

// NewVirtualClock returns a clock reading wall() + offset. A nil wall means the
// real time.
func NewVirtualClock(wall func() time.Time, offset time.Duration) *VirtualClock {
	if wall == nil {
		wall = time.Now
	}
	return &VirtualClock{wall: wall, offset: offset}
}

// Now returns the virtual time in UTC.
func (c *VirtualClock) Now() time.Time {
	c.mu.RLock()
	off := c.offset
	c.mu.RUnlock()
	return c.wall().Add(off).UTC()
}

// Wall returns the wall time the clock is built on; request timestamps are
// checked against it, never against the virtual time.
func (c *VirtualClock) Wall() time.Time { return c.wall().UTC() }

// Offset returns the current offset.
func (c *VirtualClock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.offset
}

// SetOffset moves the offset forward to d. A smaller d is ignored: the
// virtual clock never goes back.
func (c *VirtualClock) SetOffset(d time.Duration) {
	c.mu.Lock()
	if d > c.offset {
		c.offset = d
	}
	c.mu.Unlock()
}

// Hour returns t truncated to the whole hour (UTC).
func Hour(t time.Time) time.Time { return t.UTC().Truncate(time.Hour) }

// WireTime formats t as the API's minute-precision UTC time, e.g.
// 2026-11-22T10:04Z. The zero time formats as "".
func WireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04Z")
}

// Millis converts t to Unix milliseconds, the unit every store uses; the zero
// time is 0.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// FromMillis is the inverse of Millis.
func FromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
