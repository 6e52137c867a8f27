package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/openecs/openecs/bench"
	"github.com/openecs/openecs/client"
)

const benchUsage = `Usage: openecs bench [flags]

Loads an OpenECS server with signed ECS API calls (a fresh nonce each) from N
concurrent workers for a duration, and reports calls/s, p50/p90/p99/max
latency and errors by code, overall and per action.

--signature picks how the calls are signed: v1 (signature v1.0, HMAC-SHA1 in
the query, as the legacy SDKs sign; the default), v3 (ACS3-HMAC-SHA256 in an
Authorization header, as the V2.0 SDKs sign), or v1,v3: both, one after the
other in each round on the same workers and instances, reported side by side
with their ratio. (Setup calls are always v1.)

The mix names the calls and their weights:
  describe-status   DescribeInstanceStatus of the worker's own instances
  describe-page     DescribeInstances pages of --page-size, walked by NextToken
  start-stop        StopInstance / StartInstance in turn on the worker's own
                    instances (no two workers share one)

Setup: unless --reuse is given, the tool first creates workers ×
--instances-per-worker pay-as-you-go instances with RunInstances (100 per
call) in the account of the AccessKey. With --reuse it takes that many
Running or Stopped instances the account already has.

What it expects of the server: start-stop is meant for a server run with
--transition-delay 0, where a start or stop has finished when it is answered.
With another delay, pass the same --transition-delay here: each worker then
waits that long (plus 100ms) before touching the same instance again, so give
it more instances (--instances-per-worker) or expect fewer calls/s.

--baseline also starts a bare net/http handler in this process and runs the
same load, with the same client and the same requests, against it first (or
alternately, with --rounds), answering each action with the body the server
gave it; the report then shows the ratio of the two rates.

With the admin token (default: $OPENECS_ADMIN_TOKEN or openecs-admin) the
report also shows how late the server's scheduler ran due jobs during the run,
and the server's resident memory afterwards (from /metrics).

Exit status: 0 when the run completed with at most 1% failed calls, 1
otherwise (the report is still printed), 2 for a usage error.

Examples:
  openecs serve --transition-delay 0 &
  openecs bench --duration 20s --workers 64
  openecs bench --mix describe-status --baseline --rounds 3 --duration 30s
  openecs bench --mix describe-status --signature v1,v3 --rounds 3 --duration 30s
  openecs bench --mix start-stop --workers 128 --instances-per-worker 1
  openecs bench --mix describe-page --page-size 100 --reuse --json > page.json

Flags:
`

func runBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("openecs bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	var cfg bench.Config
	var mix, signatures string
	var asJSON, quiet bool
	stringFlag(fs, &cfg.Endpoint, "endpoint", "OPENECS_ENDPOINT", client.DefaultEndpoint, "server URL (plain http)")
	stringFlag(fs, &cfg.AccessKeyID, "access-key-id", "OPENECS_ACCESS_KEY_ID", "test", "AccessKey ID")
	stringFlag(fs, &cfg.AccessKeySecret, "access-key-secret", "OPENECS_ACCESS_KEY_SECRET", "test", "AccessKey secret")
	stringFlag(fs, &cfg.RegionID, "region", "OPENECS_REGION", "cn-hangzhou", "RegionId of every call")
	stringFlag(fs, &cfg.AdminToken, "admin-token", "OPENECS_ADMIN_TOKEN", "openecs-admin", "admin API token, for the scheduler's lateness (empty: skip)")
	fs.IntVar(&cfg.Workers, "workers", 64, "concurrent workers, each with its own connection")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured time per target")
	fs.DurationVar(&cfg.Warmup, "warmup", time.Second, "unmeasured load before measuring (each target)")
	fs.IntVar(&cfg.Rounds, "rounds", 1, "with --baseline: alternate baseline and server this many times, splitting --duration")
	fs.StringVar(&mix, "mix", "describe-status=4,describe-page=4,start-stop=2", "operations and weights")
	fs.IntVar(&cfg.PageSize, "page-size", 10, "DescribeInstances page size (MaxResults, 1–100)")
	fs.IntVar(&cfg.InstancesPerWorker, "instances-per-worker", 2, "instances each worker owns (1–50)")
	fs.DurationVar(&cfg.TransitionDelay, "transition-delay", 0, "the server's --transition-delay (see above)")
	fs.BoolVar(&cfg.Reuse, "reuse", false, "use the account's existing instances instead of creating them")
	fs.StringVar(&cfg.ImageID, "image", "aliyun_3_x64_20G_alibase_20240819.vhd", "ImageId of created instances")
	fs.StringVar(&cfg.InstanceType, "instance-type", "ecs.g7.large", "InstanceType of created instances")
	fs.StringVar(&cfg.ZoneID, "zone", "", "ZoneId of created instances (default: the server's choice)")
	fs.BoolVar(&cfg.Baseline, "baseline", false, "also measure a bare net/http handler in this run and print the ratio")
	fs.StringVar(&cfg.Format, "format", "JSON", "answer format: JSON or XML")
	fs.StringVar(&cfg.Method, "method", "POST", "HTTP method: POST or GET")
	fs.StringVar(&signatures, "signature", "v1", "signature scheme: v1, v3, or v1,v3 to measure both in the same run")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "per-call timeout")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&quiet, "quiet", false, "no progress line")
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, benchUsage)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		fmt.Fprintln(stderr)
		printUsage(stderr)
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "openecs bench: "+format+"\n\n", a...)
		printUsage(stderr)
		return 2
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if cfg.Mix, err = bench.ParseMix(mix); err != nil {
		return fail("%v", err)
	}
	if cfg.Signatures, err = bench.ParseSignatures(signatures); err != nil {
		return fail("%v", err)
	}
	if cfg.Workers < 1 || cfg.Duration <= 0 || cfg.Rounds < 1 || cfg.PageSize < 1 || cfg.PageSize > 100 ||
		cfg.InstancesPerWorker < 1 || cfg.InstancesPerWorker > 50 || cfg.TransitionDelay < 0 || cfg.Warmup < 0 {
		return fail("--workers, --duration, --rounds must be positive; --page-size 1–100; --instances-per-worker 1–50; delays not negative")
	}
	if !quiet {
		cfg.Progress = stderr
		if f, ok := stderr.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				cfg.ProgressCR = true
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, cfg)
	if rep == nil {
		fmt.Fprintf(stderr, "openecs bench: %v\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "openecs bench: stopped early: %v\n", err)
	}
	if asJSON {
		writeJSON(stdout, rep)
	} else {
		rep.WriteText(stdout)
	}
	for _, s := range []*bench.Result{rep.OpenECS, rep.Other} {
		if s != nil && (s.Calls == 0 || s.Errors == s.Calls || float64(s.Errors) > 0.01*float64(s.Calls)) {
			fmt.Fprintf(stderr, "openecs bench: %s: %d of %d calls failed\n", s.Target, s.Errors, s.Calls)
			return 1
		}
	}
	return 0
}
