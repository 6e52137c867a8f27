package main

import (
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/internal/testbin"
)

// TestClockAdvanceThatWouldOverflow: `openecs admin clock advance` past the
// largest offset the clock keeps is refused (400, exit 1) and leaves the
// clock as it was, also across a restart; later advances still work (issue:
// 1h then 2562047h answered 200, wrapped the offset and broke the clock).
func TestClockAdvanceThatWouldOverflow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	args := []string{"--addr", testbin.FreeAddr(t), "--transition-delay", "0s"}
	s := startServer(t, dir, nil, args...)
	admin := func(args ...string) (string, string, error) {
		return openecsCmd(t, nil, append([]string{"admin", "--endpoint", s.endpoint}, args...)...)
	}
	now := func() time.Time {
		t.Helper()
		out, stderr, err := admin("--query", "now", "clock", "show")
		if err != nil {
			t.Fatalf("clock: %v %s", err, stderr)
		}
		at, err := time.Parse(time.RFC3339, strings.Trim(strings.TrimSpace(out), `"`))
		if err != nil {
			t.Fatalf("clock answered %q: %v", out, err)
		}
		return at
	}
	if _, stderr, err := admin("clock", "advance", "1h"); err != nil {
		t.Fatalf("advance 1h: %v %s", err, stderr)
	}
	before := now()
	for _, d := range []string{"2562047h", "876000h"} {
		out, stderr, err := admin("clock", "advance", d)
		if err == nil {
			t.Fatalf("advance %s was accepted: %s", d, out)
		}
		if !strings.Contains(stderr, "400") || !strings.Contains(stderr, "the clock is unchanged") {
			t.Fatalf("advance %s: %q, want a 400 saying the clock is unchanged", d, stderr)
		}
	}
	if got := now(); got.Sub(before) < 0 || got.Sub(before) > time.Minute {
		t.Fatalf("after the refused advances the clock reads %s (was %s)", got, before)
	}
	s.stop()
	s = startServer(t, dir, nil, args...)
	if got := now(); got.Sub(before) < 0 || got.Sub(before) > time.Minute {
		t.Fatalf("after a restart the clock reads %s (was %s): it moved back or jumped", got, before)
	}
	if _, stderr, err := admin("clock", "advance", "24h"); err != nil {
		t.Fatalf("a later advance: %v %s", err, stderr)
	}
	if got := now(); got.Sub(before) < 24*time.Hour || got.Sub(before) > 24*time.Hour+time.Minute {
		t.Fatalf("after 24h more the clock reads %s (was %s)", got, before)
	}
}
