package bench

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

// settleMargin is added to the transition delay before a worker acts on an
// instance it has just started or stopped.
const settleMargin = 100 * time.Millisecond

// owned is an instance that belongs to one worker.
type owned struct {
	id      string
	running bool
	known   bool      // false: ask the server before the next start or stop
	readyAt time.Time // not before: its transition is still running
}

// worker runs calls one after the other over its own connection.
type worker struct {
	id    int
	cfg   *Config
	sig   *signer
	conns map[string]*conn // by target address
	c     *conn
	t     target
	seq   []Op
	pos   int
	own   []*owned
	next  int
	token string // describe-page: the NextToken of the next page
	stats map[Op]*opStats

	lastTarget string // the last request target sent
	lastAction string // and its action
}

func newWorker(id int, cfg *Config, own []*owned) *worker {
	r := rand.New(rand.NewPCG(uint64(id)+1, 7))
	w := &worker{id: id, cfg: cfg, own: own, conns: map[string]*conn{},
		sig: newSigner(cfg.AccessKeyID, cfg.AccessKeySecret, cfg.RegionID, cfg.Format, cfg.Method)}
	w.seq = sequence(cfg.Mix, r)
	w.pos = id % len(w.seq)
	return w
}

// reset points the worker at a target and clears its figures.
func (w *worker) reset(t target) {
	w.t = t
	c := w.conns[t.addr]
	if c == nil {
		c = newConn(t.addr, t.host, w.cfg.Timeout)
		w.conns[t.addr] = c
	}
	w.c = c
	w.stats = map[Op]*opStats{}
	w.token = ""
}

func (w *worker) closeConns() {
	for _, c := range w.conns {
		c.close()
	}
}

func (w *worker) statsFor(op Op) *opStats {
	st := w.stats[op]
	if st == nil {
		st = &opStats{codes: map[string]int64{}}
		w.stats[op] = st
	}
	return st
}

func (w *worker) loop(ctx context.Context, calls, errs *atomic.Uint64) {
	for ctx.Err() == nil {
		op := w.seq[w.pos]
		w.pos = (w.pos + 1) % len(w.seq)
		ok, counted := w.call(ctx, op)
		if !counted {
			continue
		}
		calls.Add(1)
		if !ok {
			errs.Add(1)
		}
	}
}

// call makes one call of op and records it; counted is false when the
// phase ended before a call could be made.
func (w *worker) call(ctx context.Context, op Op) (ok, counted bool) {
	var action string
	var params []string
	var in *owned
	switch op {
	case OpDescribeStatus:
		action = "DescribeInstanceStatus"
		params = w.statusParams()
	case OpDescribePage:
		action = "DescribeInstances"
		params = []string{"MaxResults", strconv.Itoa(w.cfg.PageSize)}
		if w.token != "" {
			params = append(params, "NextToken", w.token)
		}
	case OpStartStop:
		if in = w.pick(ctx); in == nil {
			return false, false
		}
		action = "StartInstance"
		if in.running {
			action = "StopInstance"
		}
		params = []string{"InstanceId", in.id}
	}
	target, headers := w.sig.request(w.t.scheme, w.t.host, action, params...)
	w.lastTarget, w.lastAction = target, action
	start := time.Now()
	status, body, err := w.c.doHeaders(w.cfg.Method, target, headers)
	took := time.Since(start)
	st := w.statsFor(op)
	st.calls++
	st.hist.record(took)
	if err != nil {
		st.errors++
		st.codes[netErrorCode(err)]++
		select { // do not spin on a server that is down
		case <-ctx.Done():
		case <-time.After(10 * time.Millisecond):
		}
		return false, true
	}
	if status != 200 {
		code := field(body, "Code")
		if code == "" {
			code = "HTTP " + strconv.Itoa(status)
		}
		st.errors++
		st.codes[code]++
		if in != nil && w.t.live && code == "IncorrectInstanceStatus" {
			in.known = false
		}
		return false, true
	}
	switch op {
	case OpDescribePage:
		w.token = field(body, "NextToken")
	case OpStartStop:
		if w.t.live {
			in.running = !in.running
			if w.cfg.TransitionDelay > 0 {
				in.readyAt = time.Now().Add(w.cfg.TransitionDelay + settleMargin)
			}
		}
	}
	return true, true
}

// statusParams lists the worker's instances for DescribeInstanceStatus.
func (w *worker) statusParams() []string {
	p := make([]string, 0, 2*len(w.own)+2)
	for i, in := range w.own {
		p = append(p, "InstanceId."+strconv.Itoa(i+1), in.id)
	}
	if len(w.own) > 10 { // the default page holds 10
		p = append(p, "PageSize", strconv.Itoa(len(w.own)))
	}
	return p
}

// pick returns the next of the worker's instances that may be started or
// stopped now. Against the server it waits for a transition still running
// and asks for the status of an instance in doubt; nil when the phase ends
// first.
func (w *worker) pick(ctx context.Context) *owned {
	if len(w.own) == 0 {
		return nil
	}
	for ctx.Err() == nil {
		var soonest *owned
		for range w.own {
			in := w.own[w.next]
			w.next = (w.next + 1) % len(w.own)
			if !w.t.live {
				return in
			}
			if !in.known {
				w.resync(in)
			}
			if in.known && !time.Now().Before(in.readyAt) {
				return in
			}
			if soonest == nil || in.readyAt.Before(soonest.readyAt) {
				soonest = in
			}
		}
		wait := time.Until(soonest.readyAt)
		if wait <= 0 {
			wait = 10 * time.Millisecond
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	return nil
}

// resync asks the server for an instance's status (not counted).
func (w *worker) resync(in *owned) {
	target, headers := w.sig.request(w.t.scheme, w.t.host, "DescribeInstanceStatus", "InstanceId.1", in.id)
	status, body, err := w.c.doHeaders(w.cfg.Method, target, headers)
	if err != nil || status != 200 {
		in.readyAt = time.Now().Add(50 * time.Millisecond)
		return
	}
	switch field(body, "Status") {
	case "Running":
		in.running, in.known = true, true
	case "Stopped":
		in.running, in.known = false, true
	default: // still in transition
		in.readyAt = time.Now().Add(50 * time.Millisecond)
	}
}

// netErrorCode names a transport failure without addresses, so that the
// error table stays short.
func netErrorCode(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return "net: timeout"
	case errors.Is(err, errMalformed):
		return "net: malformed answer"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return "net: " + op.Op + " failed"
	}
	return "net: connection lost"
}
