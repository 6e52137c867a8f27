package e2e

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestAdminAPIContract(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	// The bearer token is required.
	for _, tok := range []string{"", "Bearer wrong"} {
		req, _ := http.NewRequest("GET", e.endpoint()+"/admin/v1/clock", nil)
		if tok != "" {
			req.Header.Set("Authorization", tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("token %q: status %d, want 401", tok, resp.StatusCode)
		}
	}

	created := e.admin("POST", "/admin/v1/accounts", map[string]any{"name": "ci", "balance": "100.00"}, 201)
	for _, k := range []string{"account_id", "access_key_id", "access_key_secret", "balance"} {
		if _, ok := created[k].(string); !ok {
			t.Fatalf("POST /admin/v1/accounts: %s missing or not a string: %v", k, created)
		}
	}
	id := created["account_id"].(string)
	got := e.admin("GET", "/admin/v1/accounts/"+id, nil, 200)
	if got["account_id"] != id || got["balance"] != "100.00" || got["in_arrears"] != false {
		t.Fatalf("GET account: %v", got)
	}
	if b := e.admin("POST", "/admin/v1/accounts/"+id+"/balance", map[string]any{"set": "-5.00"}, 200); b["balance"] != "-5.00" {
		t.Fatalf("set: %v", b)
	}
	if b := e.admin("POST", "/admin/v1/accounts/"+id+"/balance", map[string]any{"add": "20.00"}, 200); b["balance"] != "15.00" {
		t.Fatalf("add: %v", b)
	}
	bad := []struct {
		method, path string
		body         any
		status       int
	}{
		{"POST", "/admin/v1/accounts/" + id + "/balance", map[string]any{"set": "1", "add": "1"}, 400},
		{"POST", "/admin/v1/accounts/" + id + "/balance", map[string]any{"add": "1.0000001"}, 400},
		{"POST", "/admin/v1/accounts/" + id + "/balance", map[string]any{"add": "ten"}, 400},
		{"POST", "/admin/v1/accounts", map[string]any{"name": "x", "balanse": "1"}, 400},
		{"GET", "/admin/v1/accounts/0000000000000000", nil, 404},
		{"POST", "/admin/v1/clock/advance", map[string]any{"duration": "-1h"}, 400},
		{"POST", "/admin/v1/clock/advance", map[string]any{"duration": "soon"}, 400},
		{"PUT", "/admin/v1/capacity", map[string]any{"zone_id": "nowhere-1a", "instance_type": "ecs.g7.large", "available": 1}, 400},
		{"PUT", "/admin/v1/capacity", map[string]any{"zone_id": "cn-hangzhou-h", "instance_type": "ecs.g7.large", "available": -1}, 400},
		{"POST", "/admin/v1/faults", map[string]any{"action": "StartInstance"}, 400},
		{"DELETE", "/admin/v1/faults/999", nil, 404},
		{"POST", "/admin/v1/instances/i-nope/locks", map[string]any{"reason": "security"}, 404},
		{"GET", "/admin/v1/nothing-here", nil, 404},
	}
	for _, b := range bad {
		status, out := e.adminRaw(b.method, b.path, b.body)
		if status != b.status {
			t.Errorf("%s %s: status %d, want %d (%v)", b.method, b.path, status, b.status, out)
		}
		if msg, _ := out["error"].(string); msg == "" {
			t.Errorf("%s %s: no {\"error\": ...} body: %v", b.method, b.path, out)
		}
	}

	clock := e.admin("GET", "/admin/v1/clock", nil, 200)
	adv := e.admin("POST", "/admin/v1/clock/advance", map[string]any{"duration": "24h"}, 200)
	if clock["now"] == adv["now"] || adv["now"] == nil {
		t.Fatalf("clock %v then %v", clock, adv)
	}

	zero := 0
	capRow := e.admin("PUT", "/admin/v1/capacity", map[string]any{"zone_id": "cn-hangzhou-h", "instance_type": "ecs.g7.large", "available": zero}, 200)
	if capRow["available"] != float64(0) {
		t.Fatalf("capacity row: %v", capRow)
	}
	a := e.newAccount("10.00")
	apiErr := func() error {
		_, err := a.ECS.RunInstances(runReq("cn-hangzhou-h"))
		return err
	}
	apiError(t, apiErr(), "OperationDenied.NoStock", 403)
	e.admin("PUT", "/admin/v1/capacity", map[string]any{"zone_id": "cn-hangzhou-h", "instance_type": "ecs.g7.large", "available": nil}, 200)
	ok(t, apiErr())

	rule := e.admin("POST", "/admin/v1/faults", map[string]any{"action": "DescribeRegions", "code": "ServiceUnavailable", "count": 2}, 201)
	list := e.admin("GET", "/admin/v1/faults", nil, 200)["faults"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != rule["id"] {
		t.Fatalf("faults: %v", list)
	}
	for _, k := range []string{"id", "action", "code", "count", "account_id", "probability", "latency_ms", "http_status"} {
		if _, ok := list[0].(map[string]any)[k]; !ok {
			t.Fatalf("fault rule lacks %s: %v", k, list[0])
		}
	}
	r := e.raw("DescribeRegions", rawCall{})
	wantRawError(t, r, 503, "ServiceUnavailable")
	e.admin("DELETE", "/admin/v1/faults/"+jsonNum(rule["id"]), nil, 200)
	if r := e.raw("DescribeRegions", rawCall{}); r.Status != 200 {
		t.Fatalf("after removing the rule: %d", r.Status)
	}

	evs := e.admin("GET", "/admin/v1/events?after=0&limit=5", nil, 200)["events"].([]any)
	if len(evs) != 5 {
		t.Fatalf("events page: %d", len(evs))
	}
	last := jsonNum(evs[4].(map[string]any)["id"])
	next := e.admin("GET", "/admin/v1/events?after="+last, nil, 200)["events"].([]any)
	if len(next) == 0 || jsonNum(next[0].(map[string]any)["id"]) == last {
		t.Fatal("events?after=N must start after N")
	}
}

// jsonNum renders a JSON integer (decoded as float64) for a URL.
func jsonNum(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	run(t, e.ecs, 2)
	apiError(t, start(e.ecs, "i-nope"), "InvalidInstanceId.NotFound", 404)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		resp, err := http.Get(e.endpoint() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	resp, err := http.Get(e.endpoint() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`openecs_rpc_requests_total{action="RunInstances",code="200"} 1`,
		`openecs_rpc_requests_total{action="StartInstance",code="InvalidInstanceId.NotFound"} 1`,
		`openecs_rpc_request_duration_seconds_bucket{action="RunInstances"`,
		`openecs_instances{status="Running"} 2`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
