package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
)

const (
	msgInternal          = "The request processing has failed due to some unknown error."
	msgInternalException = "The request processing has failed due to some unknown error, exception or failure."
)

func TestFaultCountListAndDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, id, ""))
	f := e.ctlFault(map[string]any{"action": "StartInstance", "code": "InternalError", "count": 2})
	if f["id"] == nil || f["count"] != float64(2) || f["action"] != "StartInstance" {
		t.Fatalf("POST faults answered %v", f)
	}
	se := apiError(t, start(e.ecs, id), "InternalError", 500)
	if se.Message() != msgInternal {
		t.Fatalf("InternalError message %q", se.Message())
	}
	list := e.admin("GET", "/admin/v1/faults", nil, 200)["faults"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["count"] != float64(1) {
		t.Fatalf("after one call the rule is %v", list)
	}
	apiError(t, start(e.ecs, id), "InternalError", 500)
	if list := e.admin("GET", "/admin/v1/faults", nil, 200)["faults"].([]any); len(list) != 0 {
		t.Fatalf("a spent rule is still listed: %v", list)
	}
	ok(t, start(e.ecs, id))
	if evs := e.admin("GET", "/admin/v1/events?kind=fault.injected", nil, 200)["events"].([]any); len(evs) != 2 {
		t.Fatalf("%d fault.injected events, want 2", len(evs))
	}

	// The second InternalError message, by naming it; an unlimited rule until
	// it is removed; other actions unaffected.
	f = e.ctlFault(map[string]any{"action": "RebootInstance", "code": "InternalError", "message": msgInternalException})
	for range 3 {
		se = apiError(t, reboot(e.ecs, id), "InternalError", 500)
		if se.Message() != msgInternalException {
			t.Fatalf("message %q", se.Message())
		}
	}
	wantStatus(t, e.ecs, id, "Running")
	e.admin("DELETE", fmt.Sprintf("/admin/v1/faults/%v", f["id"]), nil, 200)
	e.admin("DELETE", fmt.Sprintf("/admin/v1/faults/%v", f["id"]), nil, 404)
	ok(t, reboot(e.ecs, id))

	for _, bad := range []map[string]any{
		{"action": "StartInstance"},
		{"action": "StartInstance", "code": "InternalError", "count": -1},
		{"action": "StartInstance", "code": "InternalError", "probability": 2},
		{"action": "StartInstance", "code": "InternalError", "http_status": 200},
		{"action": "StartInstance", "code": "InternalError", "duration": "soon"},
	} {
		if status, out := e.adminRaw("POST", "/admin/v1/faults", bad); status != 400 {
			t.Fatalf("POST faults %v: %d %v, want 400", bad, status, out)
		}
	}
}

// TestFaultAnswersSeedStatus: a rule naming any documented code of an action
// answers it with the status (and message) the action's seed gives it; codes
// of other pages use theirs, an unknown code 500, and http_status overrides.
func TestFaultAnswersSeedStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, id, ""))
	seen := map[string]bool{}
	for _, want := range openecs.SeedErrors["StartInstance"] {
		if seen[want.Code] {
			continue // the first variant answers a bare code
		}
		seen[want.Code] = true
		e.ctlFault(map[string]any{"action": "StartInstance", "code": want.Code, "count": 1})
		se := apiError(t, start(e.ecs, id), want.Code, want.Status)
		if se.Message() != want.Message {
			t.Fatalf("%s: message %q, want %q", want.Code, se.Message(), want.Message)
		}
	}
	for _, c := range []struct {
		code   string
		status int
		body   map[string]any
	}{
		{"NodeControllerUnavailable", 403, nil},
		{"ServiceUnavailable", 503, nil},
		{"Made.Up", 500, nil},
		{"InternalError", 503, map[string]any{"http_status": 503}},
		{"InstanceNotReady", 403, map[string]any{"message": "The specified instance is not ready for use.", "http_status": 403}},
	} {
		body := map[string]any{"action": "StartInstance", "code": c.code, "count": 1}
		for k, v := range c.body {
			body[k] = v
		}
		e.ctlFault(body)
		apiError(t, start(e.ecs, id), c.code, c.status)
	}
	ok(t, start(e.ecs, id))
}

func TestFaultWindowAccountLatencyProbability(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	b := e.newAccount("100.00")
	describeIn := func(c *ecs.Client) error {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId = region
		_, err := c.DescribeInstances(req)
		return err
	}

	// A window of ten clock minutes, for account a only.
	e.ctlFault(map[string]any{"action": "DescribeInstances", "code": "ServiceUnavailable", "account_id": a.ID, "duration": "10m"})
	apiError(t, describeIn(a.ECS), "ServiceUnavailable", 503)
	apiError(t, describeIn(a.ECS), "ServiceUnavailable", 503)
	ok(t, describeIn(b.ECS))
	e.advance("11m")
	ok(t, describeIn(a.ECS))

	// Added latency.
	e.ctlFault(map[string]any{"action": "DescribeInstances", "code": "InternalError", "count": 1, "latency_ms": 300, "account_id": b.ID})
	began := time.Now()
	apiError(t, describeIn(b.ECS), "InternalError", 500)
	if took := time.Since(began); took < 300*time.Millisecond {
		t.Fatalf("a 300 ms fault answered in %v", took)
	}

	// Probability: about half of 200 calls fail.
	e.ctlFault(map[string]any{"action": "DescribeInstanceStatus", "code": "InternalError", "probability": 0.5})
	failed := 0
	for range 200 {
		req := ecs.CreateDescribeInstanceStatusRequest()
		req.RegionId = region
		if _, err := a.ECS.DescribeInstanceStatus(req); err != nil {
			apiError(t, err, "InternalError", 500)
			failed++
		}
	}
	t.Logf("probability 0.5: %d of 200 calls failed", failed)
	if failed < 50 || failed > 150 {
		t.Fatalf("%d of 200 calls failed with probability 0.5", failed)
	}
}

// TestFaultSDKAutoRetry: a client with AutoRetry rides over a counted 500.
func TestFaultSDKAutoRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, id, ""))
	c := e.client("test", "test")
	c.GetConfig().WithAutoRetry(true).WithMaxRetryTime(3)
	e.ctlFault(map[string]any{"action": "StartInstance", "code": "InternalError", "count": 2})
	ok(t, start(c, id))
	wantStatus(t, e.ecs, id, "Running")
}

func TestThrottlingPerAccessKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withThrottle(2))
	a := e.newAccount("100.00")
	describeIn := func(c *ecs.Client) error {
		req := ecs.CreateDescribeInstanceStatusRequest()
		req.RegionId = region
		_, err := c.DescribeInstanceStatus(req)
		return err
	}
	ok(t, describeIn(a.ECS))
	se := apiError(t, describeIn(a.ECS), "Throttling", 400)
	if se.Message() != "Request was denied due to request throttling." {
		t.Fatalf("Throttling message %q", se.Message())
	}
	ok(t, describeIn(e.ecs)) // another AccessKey has its own budget
	time.Sleep(600 * time.Millisecond)
	ok(t, describeIn(a.ECS))
}

func TestThrottlingOffByDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for range 50 {
		req := ecs.CreateDescribeInstanceStatusRequest()
		req.RegionId = region
		_, err := e.ecs.DescribeInstanceStatus(req)
		ok(t, err)
	}
}
