package replicas

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/client"
	"github.com/openecs/openecs/internal/testbin"
	"github.com/openecs/openecs/postgres/pgtest"
)

// The distributed test of issue 6: three `openecs serve` processes on one
// database under a mixed load from the official SDK through all three
// (RunInstances with ClientTokens, Start/Stop/Reboot, clock advances that
// cross billing hours); one replica is SIGKILLed mid-load and restarted.
// Afterwards the event log and the API must show that every instance reached
// the state its last accepted call implies, that no transition ran twice,
// that every instance-hour was charged exactly once, and that no idempotent
// call took effect twice.
func TestThreeReplicasUnderLoadWithACrash(t *testing.T) {
	if testing.Short() {
		t.Skip("the three-replica crash test runs for a while; skipped with -short")
	}
	url := pgtest.NewDatabase(t)
	bin := buildOpenECS(t)
	ctx := context.Background()

	const (
		workers         = 8
		opsPerWorker    = 100
		instancesPerW   = 5
		transitionDelay = 30 * time.Second
	)
	addrs := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	procs := make([]*serveProc, 3)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); procs[i] = startServe(t, bin, addrs[i], url, transitionDelay) }()
	}
	wg.Wait()
	for i, p := range procs {
		if p == nil {
			t.Fatalf("replica %d did not start", i)
		}
	}
	admins := make([]*client.Admin, 3)
	for i, a := range addrs {
		admins[i] = &client.Admin{Endpoint: "http://" + a, Token: adminToken, HTTP: &http.Client{Timeout: 60 * time.Second}}
	}
	const opening = "100000"
	acct, err := admins[0].CreateAccount(ctx, adminapi.CreateAccount{Name: "crash-test", Balance: ptr(openecs.MustMoney(opening))})
	must(t, err)

	l := &load{t: t, addrs: addrs, key: acct.AccessKeyID, secret: acct.AccessKeySecret, tokens: map[string][]string{}, calls: map[string]int{}}
	l.up = make([]atomic.Bool, len(addrs))
	for i := range l.up {
		l.up[i].Store(true)
	}

	// The load: workers own their instances, so that each instance's calls
	// come one at a time and "its last accepted call" is well defined.
	var ops atomic.Int64
	stop := make(chan struct{})
	var workersWG sync.WaitGroup
	for w := range workers {
		workersWG.Add(1)
		go func() {
			defer workersWG.Done()
			l.worker(w, opsPerWorker, instancesPerW, &ops)
		}()
	}
	// The clock: advances through any live replica, crossing billing hours.
	advanceDone := make(chan struct{})
	go func() {
		defer close(advanceDone)
		r := rand.New(rand.NewPCG(7, 7))
		steps := []string{"17m", "29m", "41m", "53m", "61m"}
		for {
			select {
			case <-stop:
				return
			case <-time.After(60 * time.Millisecond):
			}
			l.advance(ctx, admins[l.pick(r.IntN(3))], steps[r.IntN(len(steps))])
		}
	}()
	// The crash: SIGKILL one replica a third of the way in, restart it at two
	// thirds.
	total := int64(workers * opsPerWorker)
	victim := 1
	killed, restarted := 0, 0
	for ops.Load() < total/3 {
		time.Sleep(5 * time.Millisecond)
	}
	// Kill it while it works: an advance that crosses billing hours is
	// running on it (claimed jobs, a billing point), and calls are in flight.
	go l.advance(ctx, admins[victim], "3h")
	time.Sleep(3 * time.Millisecond)
	l.up[victim].Store(false)
	procs[victim].kill()
	killed++
	t.Logf("SIGKILLed replica %d after %d calls", victim, ops.Load())
	for ops.Load() < 2*total/3 {
		time.Sleep(5 * time.Millisecond)
	}
	procs[victim] = startServe(t, bin, addrs[victim], url, transitionDelay)
	l.up[victim].Store(true)
	restarted++
	t.Logf("restarted replica %d after %d calls", victim, ops.Load())
	workersWG.Wait()
	close(stop)
	<-advanceDone

	// Let every pending transition finish, through each replica in turn.
	for i := range admins {
		_, err := admins[i].Advance(ctx, "1h")
		must(t, err)
	}
	clk, err := admins[2].Clock(ctx)
	must(t, err)

	anomalies := append(l.check(ctx, admins[0], acct.AccountID, opening, openecs.Hour(clk.Now.Time)), l.failures...)
	l.report(killed, restarted, anomalies)
	if len(anomalies) > 0 {
		t.Fatalf("%d anomalies:\n%s", len(anomalies), strings.Join(anomalies, "\n"))
	}
}

// load drives the replicas and remembers what every call answered.
type load struct {
	t           *testing.T
	addrs       []string
	up          []atomic.Bool
	key, secret string

	mu        sync.Mutex
	failures  []string // answers no healthy replica should give
	calls     map[string]int
	tokens    map[string][]string // ClientToken → instance ids answered (one per success)
	instances []*tracked
}

// tracked is one instance and the calls made on it.
type tracked struct {
	id    string
	token string
	want  string         // the status its accepted calls imply
	calls map[string]int // accepted calls by action
	// unknown is a call whose outcome the caller could not learn (its
	// replica died under it); the instance gets no more calls after one.
	unknown string
	before  string // want before the unknown call
}

// count counts a call ("Action: outcome") or anything else worth reporting.
func (l *load) count(what string) { l.add(what, 1) }

func (l *load) add(what string, n int) {
	l.mu.Lock()
	l.calls[what] += n
	l.mu.Unlock()
}

// advance moves the clock through one replica. An advance cut short by a
// killed replica is expected; an error answer is not.
func (l *load) advance(ctx context.Context, admin *client.Admin, by string) {
	_, err := admin.Advance(ctx, by)
	var ae *client.AdminError
	switch {
	case err == nil:
		l.count("AdvanceClock: accepted")
	case errors.As(err, &ae):
		l.count("AdvanceClock: error answer")
		l.mu.Lock()
		l.failures = append(l.failures, fmt.Sprintf("advance by %s through %s: %v", by, admin.Endpoint, err))
		l.mu.Unlock()
	default:
		l.count("AdvanceClock: unknown")
	}
}

// pick returns a live replica, starting from i.
func (l *load) pick(i int) int {
	for k := range len(l.addrs) {
		if j := (i + k) % len(l.addrs); l.up[j].Load() {
			return j
		}
	}
	return i % len(l.addrs)
}

func (l *load) sdk(i int) *ecs.Client {
	cl, err := ecs.NewClientWithAccessKey(region, l.key, l.secret)
	if err != nil {
		l.t.Error(err)
	}
	cl.Domain = l.addrs[i]
	return cl
}

// outcome classifies a call's error: accepted, rejected (a 4xx answer: the
// call had no effect) or unknown (no answer, or a 5xx).
func outcome(err error) string {
	if err == nil {
		return "accepted"
	}
	if code, status := apiCode(err); status >= 400 && status < 500 {
		return "rejected " + code
	}
	return "unknown"
}

func (l *load) worker(w, opsN, instancesN int, ops *atomic.Int64) {
	r := rand.New(rand.NewPCG(uint64(w), 99))
	clients := []*ecs.Client{l.sdk(0), l.sdk(1), l.sdk(2)}
	var mine []*tracked
	next := w
	for op := 0; op < opsN; op++ {
		ops.Add(1)
		next++
		// A pause, so that clock advances (and their transitions and
		// billing points) interleave with the calls.
		time.Sleep(time.Duration(10+r.IntN(30)) * time.Millisecond)
		if len(mine) < instancesN && (len(mine) == 0 || r.IntN(6) == 0) {
			mine = append(mine, l.create(w, len(mine), clients, &next))
			continue
		}
		in := mine[r.IntN(len(mine))]
		if in.unknown != "" {
			continue
		}
		action, implied := "StopInstance", "Stopped"
		switch r.IntN(3) {
		case 1:
			action, implied = "StartInstance", "Running"
		case 2:
			action, implied = "RebootInstance", "Running"
		}
		i := l.pick(next)
		var err error
		switch action {
		case "StopInstance":
			err = stop(clients[i], in.id)
		case "StartInstance":
			err = start(clients[i], in.id)
		case "RebootInstance":
			err = reboot(clients[i], in.id)
		}
		o := outcome(err)
		l.count(action + ": " + o)
		switch {
		case o == "accepted":
			in.want = implied
			in.calls[action]++
		case o == "unknown":
			in.unknown, in.before = action, in.want
		}
	}
}

// create runs an instance with a ClientToken, retrying the same token
// through another replica until one answers.
func (l *load) create(w, n int, clients []*ecs.Client, next *int) *tracked {
	token := fmt.Sprintf("crash-w%d-i%d", w, n)
	for attempt := 0; ; attempt++ {
		*next++
		i := l.pick(*next)
		id, err := runInstance(clients[i], token)
		o := outcome(err)
		l.count("RunInstances: " + o)
		if o == "accepted" {
			l.mu.Lock()
			l.tokens[token] = append(l.tokens[token], id)
			in := &tracked{id: id, token: token, want: "Running", calls: map[string]int{"RunInstances": 1}}
			l.instances = append(l.instances, in)
			l.mu.Unlock()
			// Call once more with the same token through another replica:
			// the same instance must come back.
			*next++
			again, err := runInstance(clients[l.pick(*next)], token)
			l.count("RunInstances (repeat): " + outcome(err))
			if err == nil {
				l.mu.Lock()
				l.tokens[token] = append(l.tokens[token], again)
				l.mu.Unlock()
			}
			return in
		}
		if o != "unknown" || attempt > 50 {
			l.t.Errorf("RunInstances %s: %v", token, err)
			return &tracked{token: token, unknown: "RunInstances", calls: map[string]int{}}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// check reads the event log and the API and returns every anomaly found.
func (l *load) check(ctx context.Context, admin *client.Admin, accountID, opening string, billedTo time.Time) []string {
	t := l.t
	var anomalies []string
	bad := func(format string, args ...any) { anomalies = append(anomalies, fmt.Sprintf(format, args...)) }

	var events []adminapi.Event
	for after := int64(0); ; {
		page, err := admin.Events(ctx, after)
		must(t, err)
		if len(page) == 0 {
			break
		}
		events = append(events, page...)
		after = page[len(page)-1].ID
	}
	byInstance := map[string][]adminapi.Event{}
	for _, e := range events {
		if e.AccountID == accountID && e.ResourceID != "" {
			byInstance[e.ResourceID] = append(byInstance[e.ResourceID], e)
		}
	}

	// No idempotent call took effect twice: one instance per token, and
	// every answer to a token named it.
	created := 0
	for _, e := range events {
		if e.AccountID == accountID && e.Kind == openecs.EventInstanceCreated {
			created++
		}
	}
	for token, ids := range l.tokens {
		for _, id := range ids {
			if id != ids[0] {
				bad("token %s answered different instances: %v", token, ids)
				break
			}
		}
	}
	if created != len(l.tokens) {
		bad("%d instances were created for %d ClientTokens", created, len(l.tokens))
	}
	cl := l.sdk(0)
	req := describeReq()
	req.PageSize = "100"
	resp, err := cl.DescribeInstances(req)
	must(t, err)
	if resp.TotalCount != len(l.tokens) {
		bad("DescribeInstances lists %d instances for %d ClientTokens", resp.TotalCount, len(l.tokens))
	}
	status := map[string]string{}
	for _, in := range resp.Instances.Instance {
		status[in.InstanceId] = in.Status
	}

	price := func() openecs.Money {
		it, ok := catalog.Builtin().InstanceType(itype)
		if !ok {
			t.Fatalf("no %s in the catalogue", itype)
		}
		return it.Hourly
	}()
	var charged openecs.Money
	statusChanges := 0
	for _, in := range l.instances {
		evs := byInstance[in.id]
		// Every instance reached the state its last accepted call implies;
		// after a call of unknown outcome, one of the two possible states,
		// and the event log says which.
		got := status[in.id]
		applied := in.calls
		if in.unknown != "" {
			n := 0
			for _, e := range evs {
				if e.Kind == openecs.EventInstanceStatus && e.Cause == in.unknown {
					n++
				}
			}
			switch {
			case n == in.calls[in.unknown]:
				in.want = in.before
			case n == in.calls[in.unknown]+1:
				in.want = map[string]string{"StopInstance": "Stopped", "StartInstance": "Running", "RebootInstance": "Running"}[in.unknown]
				applied = map[string]int{}
				for k, v := range in.calls {
					applied[k] = v
				}
				applied[in.unknown]++
			default:
				bad("%s: %d status changes caused by %s for %d accepted calls and one of unknown outcome", in.id, n, in.unknown, in.calls[in.unknown])
			}
		}
		if got != in.want {
			bad("%s is %s, but its last accepted call implies %s", in.id, got, in.want)
		}

		// No transition ran twice: the status changes chain (each starts
		// where the last one ended), each call made exactly the changes it
		// implies, and every transition it began finished once.
		legal := map[string]string{
			"Pending>Starting": "transition", "Starting>Running": "transition", "Stopping>Stopped": "transition",
			"Running>Stopping": "StopInstance", "Stopped>Starting": "StartInstance", "Running>Starting": "RebootInstance",
		}
		cur := "Pending"
		byCause := map[string]int{}
		var createdAt time.Time
		hours := map[time.Time]int{}
		for _, e := range evs {
			switch e.Kind {
			case openecs.EventInstanceCreated:
				createdAt = e.At.Time
			case openecs.EventInstanceStatus:
				from, _ := e.Data["from"].(string)
				to, _ := e.Data["to"].(string)
				if from != cur {
					bad("%s: status change %s→%s (event %d) does not start where the last one ended (%s)", in.id, from, to, e.ID, cur)
				}
				if cause, ok := legal[from+">"+to]; !ok || cause != e.Cause {
					bad("%s: unexpected status change %s→%s caused by %s (event %d)", in.id, from, to, e.Cause, e.ID)
				}
				cur = to
				byCause[e.Cause]++
				statusChanges++
			case openecs.EventCharge:
				hours[e.Hour.Time]++
				if e.Amount != price {
					bad("%s: charge of %s for %s, want %s", in.id, e.Amount, e.Hour, price)
				}
				charged += e.Amount
			}
		}
		if cur != got {
			bad("%s: the event log ends in %s but the API says %s", in.id, cur, got)
		}
		for _, a := range []string{"StopInstance", "StartInstance", "RebootInstance"} {
			if byCause[a] != applied[a] {
				bad("%s: %d status changes caused by %s, for %d accepted calls", in.id, byCause[a], a, applied[a])
			}
		}
		// Begun: Run (Pending→Starting and Starting→Running), each stop one,
		// each start and reboot one.
		if want := 2 + applied["StopInstance"] + applied["StartInstance"] + applied["RebootInstance"]; byCause["transition"] != want {
			bad("%s: %d transitions finished, want %d (one per step begun)", in.id, byCause["transition"], want)
		}

		// Every instance-hour charged exactly once: every whole hour after
		// creation up to the last billing point (the instances are
		// pay-as-you-go and never stopped without charging).
		if createdAt.IsZero() {
			bad("%s: no creation event", in.id)
			continue
		}
		for h := createdAt.Truncate(time.Hour).Add(time.Hour); !h.After(billedTo); h = h.Add(time.Hour) {
			l.add("~ instance-hours checked", 1)
			switch n := hours[h]; {
			case n == 0:
				bad("%s: hour %s was not charged", in.id, h.Format(time.RFC3339))
			case n > 1:
				bad("%s: hour %s was charged %d times", in.id, h.Format(time.RFC3339), n)
			}
			delete(hours, h)
		}
		for h := range hours {
			bad("%s: charged for hour %s, when it was not billable (created %s, billed to %s)", in.id, h.Format(time.RFC3339), createdAt.Format(time.RFC3339), billedTo.Format(time.RFC3339))
		}
	}

	// The balance moved by exactly the charges.
	a, err := admin.Account(ctx, accountID)
	must(t, err)
	open, _ := openecs.ParseMoney(opening)
	bal := a.Balance
	if bal != open-charged {
		bad("balance %s, want %s - %s = %s", bal, open, charged, open-charged)
	}
	l.add("~ status changes checked", statusChanges)
	sort.Strings(anomalies)
	return anomalies
}

func (l *load) report(killed, restarted int, anomalies []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]string, 0, len(l.calls))
	calls := 0
	for k, v := range l.calls {
		keys = append(keys, k)
		if !strings.HasPrefix(k, "~") {
			calls += v
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "three replicas on one database: %d calls (SDK and admin API), %d instances from %d ClientTokens, %d replica killed with SIGKILL and %d restarted, %d anomalies found\n",
		calls, len(l.instances), len(l.tokens), killed, restarted, len(anomalies))
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-46s %d\n", strings.TrimPrefix(k, "~ "), l.calls[k])
	}
	l.t.Log(b.String())
}

// serveProc is one `openecs serve` process.
type serveProc struct {
	cmd *exec.Cmd
	log string
}

// startServe starts a replica on addr and waits until it is ready.
func startServe(t *testing.T, bin, addr, url string, delay time.Duration) *serveProc {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	must(t, err)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--store", url, "--admin-token", adminToken,
		"--data", t.TempDir(), "--transition-delay", delay.String(), "--pg-max-conns", "8", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Errorf("starting openecs serve: %v", err)
		return nil
	}
	p := &serveProc{cmd: cmd, log: logf.Name()}
	t.Cleanup(p.kill)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			b, _ := os.ReadFile(logf.Name())
			t.Errorf("openecs serve on %s did not become ready:\n%s", addr, b)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL: no chance to finish anything.
func (p *serveProc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		p.cmd.Wait()                          //nolint:errcheck
	}
}

// buildOpenECS returns the openecs binary, built once per test run.
func buildOpenECS(t *testing.T) string { return testbin.OpenECS(t) }

func freeAddr(t *testing.T) string { return testbin.FreeAddr(t) }

func ptr[T any](v T) *T { return &v }
