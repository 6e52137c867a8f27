package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/app"
)

// startApp runs a real server in this process, with a zero transition delay.
func startApp(t *testing.T) *app.App {
	t.Helper()
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		t.Setenv(v, "")
	}
	cfg := app.Defaults()
	cfg.Addr, cfg.DataDir, cfg.AdminToken = "127.0.0.1:0", t.TempDir(), "bench-token"
	cfg.TransitionDelay, cfg.Synchronous = 0, "NORMAL"
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx) //nolint:errcheck
	})
	return a
}

// TestBenchSmoke runs `openecs bench` for a moment against a real server
// with every operation and the baseline. It proves the tool works; it
// asserts nothing about speed.
func TestBenchSmoke(t *testing.T) {
	cliEnv(t)
	a := startApp(t)
	var out, errb bytes.Buffer
	code := run([]string{"bench", "--endpoint", a.Endpoint(), "--admin-token", "bench-token", "--duration", "1s", "--warmup", "0s",
		"--workers", "4", "--baseline", "--json", "--quiet"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
	var rep struct {
		OpenECS struct {
			Calls   uint64                     `json:"calls"`
			Errors  uint64                     `json:"errors"`
			Actions map[string]json.RawMessage `json:"actions"`
		} `json:"openecs"`
		Baseline struct {
			Calls uint64 `json:"calls"`
		} `json:"baseline"`
		Ratio     float64         `json:"ratio"`
		Lateness  json.RawMessage `json:"job_lateness"`
		ServerRSS int64           `json:"server_rss_bytes"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out.String())
	}
	if rep.OpenECS.Calls == 0 || rep.OpenECS.Errors != 0 || rep.Baseline.Calls == 0 || rep.Ratio <= 0 || len(rep.OpenECS.Actions) != 3 {
		t.Fatalf("report: %s", out.String())
	}
	if rep.Lateness == nil || rep.ServerRSS <= 0 {
		t.Fatalf("report without the scheduler's lateness or the server's memory: %s", out.String())
	}
	// The text report of a second run on the same instances.
	out.Reset()
	code = run([]string{"bench", "--endpoint", a.Endpoint(), "--duration", "300ms", "--warmup", "0s", "--workers", "4",
		"--mix", "describe-page=1,start-stop=1", "--reuse", "--quiet"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "StartInstance/StopInstance") || !strings.Contains(out.String(), "calls/s") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
}

func TestBenchUsage(t *testing.T) {
	cliEnv(t)
	var out, errb bytes.Buffer
	if code := run([]string{"bench", "--help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Examples:") {
		t.Fatalf("--help: exit %d\n%s", code, out.String())
	}
	for _, args := range [][]string{{"--mix", "describe-nothing"}, {"--page-size", "101"}, {"--workers", "0"}, {"extra"}} {
		out.Reset()
		errb.Reset()
		if code := run(append([]string{"bench"}, args...), &out, &errb); code != 2 {
			t.Errorf("bench %v: exit %d, want 2", args, code)
		}
	}
}

func TestAdminSeed(t *testing.T) {
	cliEnv(t)
	a := startApp(t)
	var progress bytes.Buffer
	seedProgress = &progress
	defer func() { seedProgress = os.Stderr }()
	var out, errb bytes.Buffer
	code := run([]string{"admin", "--endpoint", a.Endpoint(), "--admin-token", "bench-token", "seed", "2500", "--accounts", "2",
		"--regions", "cn-hangzhou", "--statuses", "Running=3,Stopped=1", "--chunk", "1000"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	var res struct {
		Instances int `json:"instances"`
		Accounts  []struct {
			AccountID string `json:"account_id"`
		} `json:"accounts"`
		AccountIDs []string `json:"account_ids"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Instances != 2500 || len(res.Accounts) != 2 || len(res.AccountIDs) != 2 {
		t.Fatalf("seed output %v: %s", err, out.String())
	}
	if lines := strings.Count(progress.String(), "\n"); lines != 4 || !strings.Contains(progress.String(), "2500/2500") {
		t.Fatalf("progress (want a line before and after each of 3 calls):\n%s", progress.String())
	}
	// Bad input is a usage error.
	if code := run([]string{"admin", "--endpoint", a.Endpoint(), "seed", "lots"}, &out, &errb); code != 2 {
		t.Fatalf("seed lots: exit %d", code)
	}
}
