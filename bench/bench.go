// Package bench is the engine of `openecs bench`: a load generator for the
// ECS RPC API. Every request is signed like the SDK signs it, with a fresh
// SignatureNonce, and N workers run a mix of actions for a duration:
//
//   - describe-status: DescribeInstanceStatus for the worker's own instances
//     (InstanceId.1…N, the way a test polls the instances it made);
//   - describe-page: DescribeInstances pages of PageSize, walked with
//     NextToken and started again after the last page;
//   - start-stop: StopInstance or StartInstance on one of the worker's own
//     instances, alternating, so that no two workers touch one instance.
//
// It reports calls per second, latency quantiles and errors by code, overall
// and per action. With Baseline it also runs the same load, with the same
// client and the same requests, against a bare net/http handler started in
// this process, and reports the ratio: on a shared machine the only honest
// figure is one measured side by side.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one kind of call in the mix.
type Op string

// The operations of the mix.
const (
	OpDescribeStatus Op = "describe-status"
	OpDescribePage   Op = "describe-page"
	OpStartStop      Op = "start-stop"
)

// Ops lists every operation.
var Ops = []Op{OpDescribeStatus, OpDescribePage, OpStartStop}

// Weight is one entry of the mix.
type Weight struct {
	Op     Op
	Weight int
}

// ParseMix reads "describe-status=4,describe-page=4,start-stop=2". An entry
// without "=N" has weight 1.
func ParseMix(s string) ([]Weight, error) {
	var out []Weight
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, hasW := strings.Cut(part, "=")
		op := Op(strings.TrimSpace(name))
		if !slices.Contains(Ops, op) {
			return nil, fmt.Errorf("mix: unknown operation %q (use describe-status, describe-page, start-stop)", name)
		}
		n := 1
		if hasW {
			var err error
			if n, err = strconv.Atoi(strings.TrimSpace(w)); err != nil || n < 0 || n > 1000 {
				return nil, fmt.Errorf("mix: weight of %s must be an integer from 0 to 1000", op)
			}
		}
		if slices.ContainsFunc(out, func(x Weight) bool { return x.Op == op }) {
			return nil, fmt.Errorf("mix: %s is given twice", op)
		}
		if n > 0 {
			out = append(out, Weight{op, n})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("mix: no operation with a weight above 0")
	}
	return out, nil
}

// Config is a load run.
type Config struct {
	Endpoint        string // http://host:port of the server under test
	AccessKeyID     string
	AccessKeySecret string
	RegionID        string
	Format          string // JSON or XML
	Method          string // POST or GET
	// Signatures lists the signature schemes to measure (SignatureV1,
	// SignatureV3); with two, each round runs both, one after the other,
	// on the same workers and instances. Default: v1.
	Signatures []string

	Workers  int
	Duration time.Duration // measured time per target (split over Rounds)
	Warmup   time.Duration // unmeasured load before the first round
	Rounds   int           // with Baseline: alternate baseline and server this many times
	Mix      []Weight
	PageSize int // describe-page MaxResults (1–100)
	// InstancesPerWorker is how many instances each worker owns (its
	// describe-status list and its start-stop targets).
	InstancesPerWorker int
	// TransitionDelay must be the server's --transition-delay. With 0 (what
	// the tool expects for write benchmarks) a start or stop has finished
	// when it is answered; otherwise a worker waits that long, plus a
	// margin, before acting on the same instance again.
	TransitionDelay time.Duration
	// Reuse takes the instances from the account's existing ones
	// (DescribeInstances) instead of creating them with RunInstances.
	Reuse        bool
	ImageID      string
	InstanceType string
	ZoneID       string

	// Baseline also measures a bare net/http handler in this process.
	Baseline bool
	Timeout  time.Duration // per call

	// AdminToken, when set, lets the tool read the scheduler's lateness
	// figures and the server's memory through the admin API and /metrics.
	AdminToken string

	// Progress receives a progress line every second (nil: none). With
	// ProgressCR the line is rewritten in place.
	Progress   io.Writer
	ProgressCR bool
}

func (c *Config) defaults() error {
	if c.RegionID == "" {
		c.RegionID = "cn-hangzhou"
	}
	c.Format = strings.ToUpper(c.Format)
	if c.Format == "" {
		c.Format = "JSON"
	}
	if c.Format != "JSON" && c.Format != "XML" {
		return fmt.Errorf("format %q: use JSON or XML", c.Format)
	}
	c.Method = strings.ToUpper(c.Method)
	if c.Method == "" {
		c.Method = "POST"
	}
	if c.Method != "POST" && c.Method != "GET" {
		return fmt.Errorf("method %q: use POST or GET", c.Method)
	}
	if len(c.Signatures) == 0 {
		c.Signatures = []string{SignatureV1}
	}
	for _, sig := range c.Signatures {
		if sig != SignatureV1 && sig != SignatureV3 {
			return fmt.Errorf("signature %q: use v1 or v3", sig)
		}
	}
	if c.Workers <= 0 {
		c.Workers = 64
	}
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Rounds <= 0 {
		c.Rounds = 1
	}
	if len(c.Mix) == 0 {
		c.Mix, _ = ParseMix("describe-status=4,describe-page=4,start-stop=2")
	}
	if c.PageSize <= 0 {
		c.PageSize = 10
	}
	if c.PageSize > 100 {
		return errors.New("page size: at most 100")
	}
	if c.InstancesPerWorker <= 0 {
		c.InstancesPerWorker = 2
	}
	if c.InstancesPerWorker > 50 {
		return errors.New("instances per worker: at most 50 (the length of one DescribeInstanceStatus list)")
	}
	if c.ImageID == "" {
		c.ImageID = "aliyun_3_x64_20G_alibase_20240819.vhd"
	}
	if c.InstanceType == "" {
		c.InstanceType = "ecs.g7.large"
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	return nil
}

// Stats are the figures of one target (or one action of it).
type Stats struct {
	Calls       uint64           `json:"calls"`
	Errors      uint64           `json:"errors"`
	ErrorCodes  map[string]int64 `json:"error_codes,omitempty"`
	Seconds     float64          `json:"seconds"`
	CallsPerSec float64          `json:"calls_per_sec"`
	P50         Millis           `json:"p50_ms"`
	P90         Millis           `json:"p90_ms"`
	P99         Millis           `json:"p99_ms"`
	Max         Millis           `json:"max_ms"`
}

// Millis is a duration shown in milliseconds.
type Millis float64

func ms(d time.Duration) Millis { return Millis(float64(d) / 1e6) }

// Result is one target: the server under test or the baseline.
type Result struct {
	Target string `json:"target"`
	Stats
	Actions map[string]*Stats `json:"actions"`
}

// Report is the outcome of a run.
type Report struct {
	Endpoint        string  `json:"endpoint"`
	Workers         int     `json:"workers"`
	Seconds         float64 `json:"seconds_per_target"`
	Rounds          int     `json:"rounds"`
	Mix             string  `json:"mix"`
	PageSize        int     `json:"page_size"`
	Instances       int     `json:"instances"`
	TransitionDelay string  `json:"transition_delay"`
	Signature       string  `json:"signature"` // the scheme of OpenECS

	OpenECS *Result `json:"openecs"`
	// Other is the server under the second signature scheme, measured in
	// the same rounds; OtherRatio is its calls/s over OpenECS's.
	Other      *Result `json:"openecs_other_signature,omitempty"`
	OtherRatio float64 `json:"other_signature_ratio,omitempty"`
	Baseline   *Result `json:"baseline,omitempty"`
	// Ratio is the server's calls/s over the baseline's.
	Ratio float64 `json:"ratio,omitempty"`

	// Lateness is how late the server's scheduler ran due jobs during the
	// run (with AdminToken).
	Lateness *Lateness `json:"job_lateness,omitempty"`
	// ServerRSS is the server's resident memory after the run, from
	// /metrics (0 if unavailable).
	ServerRSS int64 `json:"server_rss_bytes,omitempty"`
}

// mixString writes the mix back in its flag form.
func mixString(m []Weight) string {
	parts := make([]string, len(m))
	for i, w := range m {
		parts[i] = fmt.Sprintf("%s=%d", w.Op, w.Weight)
	}
	return strings.Join(parts, ",")
}

// target is where a phase sends its load.
type target struct {
	name       string
	addr, host string
	live       bool   // the real server: instance state follows the answers
	scheme     string // the signature scheme of its requests
}

// Run sets up the instances, runs the load and returns the report. An error
// is returned only if the run could not be made; failed calls are counted.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	addr, host, err := splitEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	var srvs []target
	for _, sig := range cfg.Signatures {
		name := "openecs"
		if len(cfg.Signatures) > 1 {
			name += " " + sig
		}
		srvs = append(srvs, target{name: name, addr: addr, host: host, live: true, scheme: sig})
	}
	srv := srvs[0]
	workers, err := setup(ctx, &cfg, srv)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, w := range workers {
			w.closeConns()
		}
	}()
	rep := &Report{Endpoint: cfg.Endpoint, Workers: cfg.Workers, Seconds: cfg.Duration.Seconds(), Rounds: cfg.Rounds,
		Mix: mixString(cfg.Mix), PageSize: cfg.PageSize, Instances: cfg.Workers * cfg.InstancesPerWorker,
		TransitionDelay: cfg.TransitionDelay.String(), Signature: cfg.Signatures[0]}

	var base *baseline
	if cfg.Baseline {
		canned, err := cannedAnswers(workers[0], srv)
		if err != nil {
			return nil, err
		}
		ct := "application/json;charset=utf-8"
		if cfg.Format == "XML" {
			ct = "text/xml;charset=utf-8"
		}
		if base, err = startBaseline(canned, ct); err != nil {
			return nil, err
		}
		defer base.close()
	}
	before := readLateness(ctx, &cfg)

	if cfg.Warmup > 0 {
		if base != nil {
			runPhase(ctx, &cfg, workers, base.target(srv.scheme), cfg.Warmup, nil)
		}
		for _, t := range srvs {
			runPhase(ctx, &cfg, workers, t, cfg.Warmup, nil)
		}
	}
	slice := cfg.Duration / time.Duration(cfg.Rounds)
	baseAgg := newAggregate()
	srvAggs := make([]*aggregate, len(srvs))
	for i := range srvs {
		srvAggs[i] = newAggregate()
	}
	for r := 0; r < cfg.Rounds && ctx.Err() == nil; r++ {
		if base != nil {
			runPhase(ctx, &cfg, workers, base.target(srv.scheme), slice, baseAgg)
		}
		for i, t := range srvs {
			runPhase(ctx, &cfg, workers, t, slice, srvAggs[i])
		}
	}
	rep.OpenECS = srvAggs[0].result(srv.name)
	if len(srvs) > 1 {
		rep.Other = srvAggs[1].result(srvs[1].name)
		if rep.OpenECS.CallsPerSec > 0 {
			rep.OtherRatio = rep.Other.CallsPerSec / rep.OpenECS.CallsPerSec
		}
	}
	if base != nil {
		rep.Baseline = baseAgg.result("baseline")
		if rep.Baseline.CallsPerSec > 0 {
			rep.Ratio = rep.OpenECS.CallsPerSec / rep.Baseline.CallsPerSec
		}
	}
	if before != nil {
		if after := readLateness(ctx, &cfg); after != nil {
			rep.Lateness = after.since(before)
		}
	}
	rep.ServerRSS = serverRSS(ctx, &cfg)
	return rep, ctx.Err()
}

// aggregate sums the phases of one target.
type aggregate struct {
	elapsed time.Duration
	total   histogram
	calls   map[Op]*opStats
}

func newAggregate() *aggregate { return &aggregate{calls: map[Op]*opStats{}} }

func (a *aggregate) add(elapsed time.Duration, ws []*worker) {
	a.elapsed += elapsed
	for _, w := range ws {
		for op, st := range w.stats {
			agg := a.calls[op]
			if agg == nil {
				agg = &opStats{codes: map[string]int64{}}
				a.calls[op] = agg
			}
			agg.merge(st)
			a.total.merge(&st.hist)
		}
	}
}

func (a *aggregate) result(name string) *Result {
	res := &Result{Target: name, Actions: map[string]*Stats{}}
	all := &opStats{codes: map[string]int64{}}
	for op, st := range a.calls {
		res.Actions[string(op)] = st.stats(a.elapsed)
		all.calls += st.calls
		all.errors += st.errors
		for c, n := range st.codes {
			all.codes[c] += n
		}
	}
	all.hist = a.total
	res.Stats = *all.stats(a.elapsed)
	return res
}

// opStats are one worker's figures for one operation in one phase.
type opStats struct {
	hist   histogram
	calls  uint64
	errors uint64
	codes  map[string]int64
}

func (s *opStats) merge(o *opStats) {
	s.hist.merge(&o.hist)
	s.calls += o.calls
	s.errors += o.errors
	for c, n := range o.codes {
		s.codes[c] += n
	}
}

func (s *opStats) stats(elapsed time.Duration) *Stats {
	st := &Stats{Calls: s.calls, Errors: s.errors, Seconds: elapsed.Seconds(),
		P50: ms(s.hist.quantile(0.50)), P90: ms(s.hist.quantile(0.90)), P99: ms(s.hist.quantile(0.99)), Max: ms(s.hist.max)}
	if len(s.codes) > 0 {
		st.ErrorCodes = s.codes
	}
	if elapsed > 0 {
		st.CallsPerSec = float64(s.calls) / elapsed.Seconds()
	}
	return st
}

// runPhase runs every worker against t for d and adds the figures to agg
// (nil: a warm-up whose figures are dropped).
func runPhase(ctx context.Context, cfg *Config, ws []*worker, t target, d time.Duration, agg *aggregate) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var calls, errs atomic.Uint64
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range ws {
		w.reset(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, &calls, &errs)
		}()
	}
	stopProgress := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		if cfg.Progress == nil {
			return
		}
		label := t.name
		if agg == nil {
			label += " warm-up"
		}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stopProgress:
				if cfg.ProgressCR {
					fmt.Fprint(cfg.Progress, "\r\033[K")
				}
				return
			case <-tick.C:
				el := time.Since(start)
				line := fmt.Sprintf("[%s %4.0fs/%.0fs] %9.0f calls/s  %d calls  %d errors",
					label, el.Seconds(), d.Seconds(), float64(calls.Load())/el.Seconds(), calls.Load(), errs.Load())
				if cfg.ProgressCR {
					fmt.Fprint(cfg.Progress, "\r\033[K"+line)
				} else {
					fmt.Fprintln(cfg.Progress, line)
				}
			}
		}
	}()
	wg.Wait()
	elapsed := time.Since(start)
	close(stopProgress)
	<-progressDone
	if agg != nil {
		agg.add(elapsed, ws)
	}
}

// sequence spreads the mix's weights into a repeating order of operations,
// started at a different place by each worker.
func sequence(mix []Weight, r *rand.Rand) []Op {
	var seq []Op
	for _, w := range mix {
		for range w.Weight {
			seq = append(seq, w.Op)
		}
	}
	r.Shuffle(len(seq), func(i, j int) { seq[i], seq[j] = seq[j], seq[i] })
	return seq
}
