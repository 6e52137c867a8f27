package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/internal/testbin"
)

// dialFrom connects to addr from the local address ip (any port); nil when
// this machine cannot use ip as a source (127.0.0.2 works on Linux, whose
// loopback is all of 127/8).
func dialFrom(t *testing.T, ip, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Logf("not checked: cannot connect from %s: %v", ip, err)
		return nil
	}
	return c
}

// closedWithin reports whether the server closes c (a read ends in EOF or a
// reset; a response it writes first is read and returned) within limit,
// while the client goes on trickling with trickle (nil: nothing).
func closedWithin(t *testing.T, c net.Conn, limit time.Duration, trickle func() error) (closed bool, answer string) {
	t.Helper()
	stop := make(chan struct{})
	defer close(stop)
	if trickle != nil {
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
					if trickle() != nil {
						return
					}
				}
			}
		}()
	}
	c.SetReadDeadline(time.Now().Add(limit)) //nolint:errcheck
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false, string(b)
	}
	return true, string(b)
}

// A client that sends its request slowly — the body a byte at a time, or
// the headers — loses its connection after --read-timeout; one that keeps
// a connection idle after --idle-timeout. Without those bounds, a slow
// body held the connection for as long as the client liked.
func TestServeSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), nil, "--addr", testbin.FreeAddr(t), "--read-timeout", "1s", "--idle-timeout", "1s")

	// The body, one byte every 100 ms of 1,000 announced.
	c, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nAction=DescribeRegions&") //nolint:errcheck
	start := time.Now()
	closed, answer := closedWithin(t, c, 5*time.Second, func() error { _, err := io.WriteString(c, "a"); return err })
	if !closed {
		t.Errorf("a slow body held its connection for 5s (--read-timeout 1s)")
	} else if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("the connection was closed after %s, before --read-timeout", d)
	}
	if answer != "" && !strings.HasPrefix(answer, "HTTP/1.1 4") {
		t.Errorf("a slow body is answered %q, want a 4xx or nothing", firstLine(answer))
	}

	// The headers, one line every 100 ms.
	c2, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, "GET /healthz HTTP/1.1\r\nHost: x\r\n") //nolint:errcheck
	if closed, _ := closedWithin(t, c2, 5*time.Second, func() error { _, err := io.WriteString(c2, "X-Slow: 1\r\n"); return err }); !closed {
		t.Errorf("slow headers held their connection for 5s (--read-timeout 1s)")
	}

	// Idle after one request.
	c3, err := net.Dial("tcp", s.addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	io.WriteString(c3, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") //nolint:errcheck
	resp, err := http.ReadResponse(bufio.NewReader(c3), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	if closed, _ := closedWithin(t, c3, 5*time.Second, nil); !closed {
		t.Errorf("an idle connection stayed open 5s (--idle-timeout 1s)")
	}

	// An ordinary client is served.
	if _, stderr, err := openecsCmd(t, nil, "call", "--endpoint", s.endpoint, "DescribeRegions"); err != nil {
		t.Errorf("an ordinary call: %v\n%s", err, stderr)
	}
}

// firstLine is the status line of an answer.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// One client IP may hold at most --max-conns-per-client connections: one
// more is answered 429 with a message naming the flag, while other clients
// are served; when one of its connections closes, it may open another.
func TestServeCapsConnectionsPerClient(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), []string{"OPENECS_MAX_CONNS_PER_CLIENT=3"}, "--addr", testbin.FreeAddr(t))

	// Three slow-loris connections: open, silent.
	var held []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", s.addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	get := func(c net.Conn) (int, string) {
		t.Helper()
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))                //nolint:errcheck
		io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") //nolint:errcheck
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", s.addr())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	code, body := get(dial())
	if code != http.StatusTooManyRequests || !strings.Contains(body, "--max-conns-per-client") || !strings.Contains(body, "127.0.0.1") {
		t.Errorf("a fourth connection from 127.0.0.1: %d %q, want 429 naming the client and the flag", code, body)
	}
	if other := dialFrom(t, "127.0.0.2", s.addr()); other != nil {
		if code, body := get(other); code != 200 {
			t.Errorf("another client (127.0.0.2) is not served: %d %q", code, body)
		}
	}
	held[0].Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := get(dial())
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a connection closed did not free its slot: %d %q", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(s.stderr.String(), "per-client cap") {
		t.Errorf("the server log does not mention the refusals:\n%s", s.stderr)
	}
}
