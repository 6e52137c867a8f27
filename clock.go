package openecs

import (
	"fmt"
	"strconv"
	"time"
)

// Domain time is a virtual clock: wall time plus an offset that only grows.
// The store owns it: the offset lives in the meta table under
// MetaClockOffset, and every transaction reads it once, in its own snapshot,
// to stamp its Now (openecs.Reader.Now). Nothing else keeps a copy, so every
// replica on a shared database acts on the same time. Request timestamps are
// checked against the wall clock alone.

// MetaClockOffset is the meta key of the virtual clock's offset from wall
// time, in milliseconds (decimal text).
const MetaClockOffset = "clock_offset_ms"

// MaxClockOffset bounds the virtual clock's offset: an advance that would
// take it further is refused, so time arithmetic on the wire (four-digit
// years), in milliseconds and in durations never overflows.
const MaxClockOffset = 100 * 365 * 24 * time.Hour

// VirtualNow is wall + the stored offset text ("" for none). It is the one
// place an offset is parsed.
func VirtualNow(wall time.Time, offset string) (time.Time, error) {
	d, err := ParseClockOffset(offset)
	if err != nil {
		return time.Time{}, err
	}
	return wall.Add(d).UTC(), nil
}

// ParseClockOffset reads a stored offset ("" is zero).
func ParseClockOffset(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms < 0 || ms > MaxClockOffset.Milliseconds() {
		return 0, fmt.Errorf("openecs: the stored clock offset %q is not valid", s)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// FormatClockOffset is the stored text of an offset.
func FormatClockOffset(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

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
