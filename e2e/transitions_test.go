package e2e

import (
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// With a transition delay the call answers at once with the instance in its
// transitory status; the clock decides when it finishes.
func TestTransitionsFollowTheClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour)) // never reached by wall time during the test
	id := run(t, e.ecs, 1)[0]
	wantStatus(t, e.ecs, id, "Pending")
	e.advance("1h")
	wantStatus(t, e.ecs, id, "Starting")
	e.advance("1h")
	wantStatus(t, e.ecs, id, "Running")

	ok(t, stop(e.ecs, id, ""))
	wantStatus(t, e.ecs, id, "Stopping")
	apiError(t, start(e.ecs, id), "IncorrectInstanceStatus", 403)
	e.advance("59m")
	wantStatus(t, e.ecs, id, "Stopping")
	e.advance("1m")
	wantStatus(t, e.ecs, id, "Stopped")
	ok(t, start(e.ecs, id))
	wantStatus(t, e.ecs, id, "Starting")
	e.advance("2h")
	wantStatus(t, e.ecs, id, "Running")
	ok(t, reboot(e.ecs, id))
	wantStatus(t, e.ecs, id, "Starting")
	e.advance("1h")
	wantStatus(t, e.ecs, id, "Running")

	// The event log shows each status change once, in order.
	out := e.admin("GET", "/admin/v1/events?kind=instance.status&resource_id="+id, nil, 200)
	var path []string
	for _, ev := range out["events"].([]any) {
		d := ev.(map[string]any)["data"].(map[string]any)
		path = append(path, d["from"].(string)+">"+d["to"].(string))
	}
	want := []string{"Pending>Starting", "Starting>Running", "Running>Stopping", "Stopping>Stopped", "Stopped>Starting", "Starting>Running", "Running>Starting", "Starting>Running"}
	if len(path) != len(want) {
		t.Fatalf("status events %v, want %v", path, want)
	}
	for i := range want {
		if path[i] != want[i] {
			t.Fatalf("status events %v, want %v", path, want)
		}
	}
}

// A short real delay completes on its own, by the scheduler, without any
// clock advance.
func TestTransitionsCompleteInRealTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(50*time.Millisecond))
	id := run(t, e.ecs, 1)[0]
	waitStatus(t, e.ecs, id, "Running", 10*time.Second)
	ok(t, stop(e.ecs, id, ""))
	waitStatus(t, e.ecs, id, "Stopped", 10*time.Second)
}

// waitStatus polls like a user's code would. The deadline only bounds a hung
// test; nothing asserts how long it took.
func waitStatus(t *testing.T, c *ecs.Client, id, want string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := status(t, c, id)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still %s, want %s", id, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Concurrent actions on one instance never corrupt it: one wins, the others
// see the new status.
func TestConcurrentActionsOnOneInstance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := run(t, e.ecs, 1)[0]
	e.advance("2h")
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	clients := make([]*ecs.Client, n) // an SDK client is not safe for concurrent calls
	for i := range clients {
		clients[i] = e.client("test", "test")
	}
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 {
				errs[i] = stop(clients[i], id, "")
			} else {
				errs[i] = reboot(clients[i], id)
			}
		}(i)
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		apiError(t, err, "IncorrectInstanceStatus", 403)
	}
	if wins != 1 {
		t.Fatalf("%d of %d concurrent actions won, want exactly 1", wins, n)
	}
	st := status(t, e.ecs, id)
	if st != "Stopping" && st != "Starting" {
		t.Fatalf("after the race the instance is %s", st)
	}
}
