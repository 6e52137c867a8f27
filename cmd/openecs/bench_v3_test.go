package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestBenchBothSignatures runs `openecs bench --signature v1,v3` for a moment
// against a real server: both schemes make calls without an error, in the
// same run, and the report shows them side by side.
func TestBenchBothSignatures(t *testing.T) {
	cliEnv(t)
	a := startApp(t)
	var out, errb bytes.Buffer
	code := run([]string{"bench", "--endpoint", a.Endpoint(), "--admin-token", "bench-token", "--duration", "1s", "--warmup", "0s",
		"--workers", "4", "--rounds", "2", "--signature", "v1,v3", "--baseline", "--json", "--quiet"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	var rep struct {
		Signature string `json:"signature"`
		OpenECS   struct {
			Target  string                     `json:"target"`
			Calls   uint64                     `json:"calls"`
			Errors  uint64                     `json:"errors"`
			Actions map[string]json.RawMessage `json:"actions"`
		} `json:"openecs"`
		Other struct {
			Target  string                     `json:"target"`
			Calls   uint64                     `json:"calls"`
			Errors  uint64                     `json:"errors"`
			Actions map[string]json.RawMessage `json:"actions"`
		} `json:"openecs_other_signature"`
		OtherRatio float64 `json:"other_signature_ratio"`
		Baseline   struct {
			Calls uint64 `json:"calls"`
		} `json:"baseline"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out.String())
	}
	if rep.Signature != "v1" || rep.OpenECS.Target != "openecs v1" || rep.Other.Target != "openecs v3" ||
		rep.OpenECS.Calls == 0 || rep.OpenECS.Errors != 0 || rep.Other.Calls == 0 || rep.Other.Errors != 0 ||
		len(rep.Other.Actions) != 3 || rep.OtherRatio <= 0 || rep.Baseline.Calls == 0 {
		t.Fatalf("report: %s", out.String())
	}

	out.Reset()
	code = run([]string{"bench", "--endpoint", a.Endpoint(), "--duration", "300ms", "--warmup", "0s", "--workers", "2",
		"--mix", "describe-status", "--reuse", "--signature", "v3", "--format", "xml", "--quiet"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "signature v3") || !strings.Contains(out.String(), "DescribeInstanceStatus") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if code := run([]string{"bench", "--signature", "v2"}, &out, &errb); code != 2 {
		t.Fatalf("--signature v2: exit %d", code)
	}
}
