package replicas

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs/postgres/pgtest"
)

// tcpProxy forwards connections to the database and can cut them: "refuse"
// closes every connection at once (a stopped server), "blackhole" accepts
// and never answers (a partition or a hung server).
type tcpProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  string // forward, refuse, blackhole
	conns map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	p := &tcpProxy{ln: ln, target: target, mode: "forward", conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.set("refuse")
	})
	return p
}

func (p *tcpProxy) addr() string { return p.ln.Addr().String() }

// set changes the mode and drops every connection open so far.
func (p *tcpProxy) set(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = mode
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *tcpProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode == "refuse" {
		return false
	}
	for _, c := range cs {
		p.conns[c] = true
	}
	return true
}

func (p *tcpProxy) serve() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		mode := p.mode
		p.mu.Unlock()
		switch mode {
		case "refuse":
			in.Close()
		case "blackhole":
			if !p.track(in) {
				in.Close()
			}
		default:
			go p.forward(in)
		}
	}
}

func (p *tcpProxy) forward(in net.Conn) {
	out, err := net.Dial("tcp", p.target)
	if err != nil {
		in.Close()
		return
	}
	if !p.track(in, out) {
		in.Close()
		out.Close()
		return
	}
	go func() { io.Copy(out, in); out.Close() }() //nolint:errcheck
	io.Copy(in, out)                              //nolint:errcheck
	in.Close()
}

// While the database is unreachable (stopped, or not answering at all) the
// API answers ServiceUnavailable 503 and /readyz fails; when it is back the
// replica recovers by itself.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	direct := pgtest.NewDatabase(t)
	u, err := url.Parse(direct)
	must(t, err)
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr()

	c := &cluster{t: t, url: u.String()}
	r, err := c.start(true, withTimeouts(time.Second))
	must(t, err)
	c.replicas = append(c.replicas, r)
	cl := c.sdk(0, "test", "test")
	id, err := runInstance(cl, "")
	must(t, err)

	ready := func() int {
		resp, err := http.Get("http://" + r.addr + "/readyz")
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := ready(); s != 200 {
		t.Fatalf("/readyz = %d before the outage", s)
	}
	for _, mode := range []string{"refuse", "blackhole"} {
		proxy.set(mode)
		for _, call := range []struct {
			name string
			do   func() error
		}{
			{"DescribeInstances", func() error { _, err := cl.DescribeInstances(describeReq()); return err }},
			{"StopInstance", func() error { return stop(cl, id) }},
			{"RunInstances", func() error { _, err := runInstance(cl, "outage-"+mode); return err }},
		} {
			began := time.Now()
			err := call.do()
			if code, status := apiCode(err); code != "ServiceUnavailable" || status != 503 {
				t.Fatalf("%s: %s while the database is unreachable: %v; want ServiceUnavailable 503", mode, call.name, err)
			}
			t.Logf("%s: %s answered ServiceUnavailable after %s (query timeout 1s)", mode, call.name, time.Since(began).Round(time.Millisecond))
		}
		if s := ready(); s != 503 {
			t.Fatalf("%s: /readyz = %d while the database is unreachable, want 503", mode, s)
		}

		proxy.set("forward")
		back := time.Now()
		deadline := back.Add(30 * time.Second)
		for ready() != 200 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: /readyz did not recover after the database came back", mode)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("%s: ready again %s after the database came back", mode, time.Since(back).Round(time.Millisecond))
		// Calls work again without a restart. A pooled connection that broke
		// in the outage may fail one more call before it is dropped.
		for _, err := cl.DescribeInstances(describeReq()); err != nil; _, err = cl.DescribeInstances(describeReq()) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: calls still fail after the database came back: %v", mode, err)
			}
		}
		for i := range 5 {
			if _, err := cl.DescribeInstances(describeReq()); err != nil {
				t.Fatalf("%s: call %d after the database came back: %v", mode, i, err)
			}
		}
	}
	must(t, stop(cl, id))
	_, err = r.admin.Advance(context.Background(), "1h")
	must(t, err)
	if s := describe(t, cl, id).Status; s != "Stopped" {
		t.Fatalf("after recovering: %s, want Stopped", s)
	}
}
