package bench

import (
	"bufio"
	"math"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	r := rand.New(rand.NewPCG(1, 2))
	var all []time.Duration
	for range 100_000 {
		d := time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		h.record(d)
		all = append(all, d)
	}
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := all[int(q*float64(len(all)))-1]
		got := h.quantile(q)
		if got > want || float64(want-got) > 0.04*float64(want) {
			t.Errorf("p%v = %v, exact %v", q*100, got, want)
		}
	}
	if h.quantile(1) != all[len(all)-1] || h.max != all[len(all)-1] {
		t.Errorf("max %v / %v, want %v", h.quantile(1), h.max, all[len(all)-1])
	}
	for i := range bucketOf(math.MaxInt64) + 1 {
		if bucketOf(lowerBound(i)) != i {
			t.Fatalf("bucket %d: lower bound %v falls into %d", i, lowerBound(i), bucketOf(lowerBound(i)))
		}
	}
}

func TestParseMix(t *testing.T) {
	m, err := ParseMix("describe-status=4, describe-page ,start-stop=0")
	if err != nil || len(m) != 2 || m[0] != (Weight{OpDescribeStatus, 4}) || m[1] != (Weight{OpDescribePage, 1}) {
		t.Fatalf("ParseMix = %v, %v", m, err)
	}
	for _, bad := range []string{"", "start-stop=0", "nope=1", "start-stop=x", "start-stop=1,start-stop=2"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

// The client reads answers framed by Content-Length, by chunks and by the
// end of the connection, over one connection while it stays open.
func TestConnReadsEveryFraming(t *testing.T) {
	answers := []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"Co\r\n11\r\nde\":\"Throttling\"}\r\n0\r\nTrailer: a\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nuntil the end",
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		br := bufio.NewReader(c)
		for _, a := range answers {
			for { // read one request head
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if line == "\r\n" {
					break
				}
			}
			c.Write([]byte(a))
		}
		c.Close()
	}()
	c := newConn(ln.Addr().String(), "x", 5*time.Second)
	want := []struct {
		status int
		body   string
	}{{200, "hello"}, {403, `{"Code":"Throttling"}`}, {200, "until the end"}}
	for i, w := range want {
		status, body, err := c.do("POST", "/?Action=X")
		if err != nil || status != w.status || string(body) != w.body {
			t.Fatalf("answer %d: %d %q %v, want %d %q", i, status, body, err, w.status, w.body)
		}
	}
	if field([]byte(`{"RequestId":"r","Code":"Throttling"}`), "Code") != "Throttling" ||
		field([]byte(`<?xml version="1.0"?><Error><Code>Bad</Code></Error>`), "Code") != "Bad" {
		t.Fatal("field does not find Code")
	}
}

// Every request is signed with a fresh nonce and carries the action.
func TestSignerTargets(t *testing.T) {
	s := newSigner("test", "test", "cn-hangzhou", "JSON", "POST")
	a, b := s.target("StartInstance", "InstanceId", "i-1"), s.target("StartInstance", "InstanceId", "i-1")
	if a == b || actionOf(strings.TrimPrefix(a, "/?")) != "StartInstance" || !strings.Contains(a, "Signature=") {
		t.Fatalf("targets %q and %q", a, b)
	}
}
