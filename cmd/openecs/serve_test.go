package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/openecs/openecs/internal/testbin"
)

// A second server on a data directory another one serves refuses to start,
// naming the directory and the holder's pid; the first keeps serving. Once
// the first is killed (no chance to clean up) the directory serves again.
func TestServeLocksTheDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := startServer(t, dir, nil, "--addr", testbin.FreeAddr(t), "--data", "shared")

	second := testbin.FreeAddr(t)
	code, _, stderr := serveFails(t, dir, nil, "--addr", second, "--data", "shared")
	if code == 0 {
		t.Fatalf("the second server exited 0:\n%s", stderr)
	}
	for _, want := range []string{"data directory shared", "in use", fmt.Sprintf("pid %d", first.cmd.Process.Pid), "--data"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, stderr)
		}
	}
	if c, err := net.Dial("tcp", second); err == nil {
		c.Close()
		t.Errorf("the refused server listens on %s", second)
	}
	if _, stderr, err := openecsCmd(t, nil, "call", "--endpoint", first.endpoint, "DescribeRegions"); err != nil {
		t.Errorf("the first server stopped serving: %v\n%s", err, stderr)
	}

	// The same through --store sqlite:PATH, which names the file itself.
	db := filepath.Join(dir, "elsewhere", "x.db")
	startServer(t, dir, nil, "--addr", testbin.FreeAddr(t), "--store", "sqlite:"+db)
	code, _, stderr = serveFails(t, dir, nil, "--addr", testbin.FreeAddr(t), "--store", "sqlite:"+db, "--data", "other")
	if code == 0 || !strings.Contains(stderr, "the database "+db+" is in use") || !strings.Contains(stderr, "--store") {
		t.Errorf("a second server on %s: exit %d\n%s", db, code, stderr)
	}

	first.kill()
	again := startServer(t, dir, nil, "--addr", testbin.FreeAddr(t), "--data", "shared")
	if _, stderr, err := openecsCmd(t, nil, "call", "--endpoint", again.endpoint, "DescribeRegions"); err != nil {
		t.Errorf("after the first server was killed, its data directory does not serve: %v\n%s", err, stderr)
	}
}

// A start that cannot listen (the port taken, an address that is not one)
// says why and creates nothing: no data directory, no database. Nor does a
// first start that fails later (a catalogue that cannot be read).
func TestServeFailedStartLeavesNothing(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--addr", taken.Addr().String()}, "already in use"},
		{[]string{"--addr", taken.Addr().String(), "--data", "mine"}, "already in use"},
		{[]string{"--addr", "nonsense"}, "missing port"},
		{[]string{"--addr", "127.0.0.1:99999"}, "cannot listen"},
		{[]string{"--addr", "203.0.113.7:0"}, "cannot listen"}, // TEST-NET-3: no interface has it
		{[]string{"--addr", taken.Addr().String(), "--store", "sqlite:db/x.db"}, "already in use"},
		// Past the bind: the data directory made for the lock goes again.
		{[]string{"--addr", testbin.FreeAddr(t), "--catalog", "no-such-catalog.yaml"}, "no-such-catalog.yaml"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		code, _, stderr := serveFails(t, dir, nil, c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, want an error saying %q:\n%s", c.args, code, c.want, stderr)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("%q: a failed start left %s behind in its directory", c.args, entries[0].Name())
		}
	}
}

// Beyond loopback the well-known secrets are refused: no start without an
// admin token given explicitly (and not the default one), no test / test
// key unless asked for, not even one an earlier start made; an empty token
// is refused anywhere. The banner shows an address a client can use.
func TestServeBeyondLoopback(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	for _, c := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--addr", "0.0.0.0:0"}, "--admin-token"},
		{nil, []string{"--addr", ":0"}, "OPENECS_ADMIN_TOKEN"},
		{nil, []string{"--addr", "[::]:0", "--admin-token", "openecs-admin"}, "well-known default"},
		{[]string{"OPENECS_ADMIN_TOKEN=openecs-admin"}, []string{"--addr", "0.0.0.0:0"}, "well-known default"},
		{nil, []string{"--addr", testbin.FreeAddr(t), "--admin-token", ""}, "admin token is empty"},
		{[]string{"OPENECS_ADMIN_TOKEN="}, []string{"--addr", testbin.FreeAddr(t)}, "admin token is empty"},
	} {
		code, _, stderr := serveFails(t, dir, c.env, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q %q: exit %d, want 2 and %q:\n%s", c.env, c.args, code, c.want, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused start left %s behind", entries[0].Name())
	}

	// With a token of its own it starts, without the test / test key.
	s := startServer(t, dir, []string{"OPENECS_ADMIN_TOKEN=s3cret"}, "--addr", "0.0.0.0:0", "--data", "wide")
	banner := s.stdout.String()
	for _, bad := range []string{"0.0.0.0", "[::]", "//::", "test / test and balance"} {
		if strings.Contains(banner, bad) {
			t.Errorf("the banner shows %q:\n%s", bad, banner)
		}
	}
	if !strings.HasPrefix(s.endpoint, "http://127.0.0.1:") || !strings.Contains(banner, "--bootstrap-key") {
		t.Errorf("the banner's endpoint is %s, want 127.0.0.1 and a word on --bootstrap-key:\n%s", s.endpoint, banner)
	}
	out, _, err := openecsCmd(t, nil, "call", "--endpoint", s.endpoint, "DescribeRegions")
	if err == nil || !strings.Contains(out, "InvalidAccessKeyId.NotFound") {
		t.Errorf("test / test works beyond loopback without --bootstrap-key: %v\n%s", err, out)
	}
	if _, stderr, err := openecsCmd(t, nil, "admin", "--endpoint", s.endpoint, "--admin-token", "s3cret", "clock", "show"); err != nil {
		t.Errorf("the admin token given does not work: %v\n%s", err, stderr)
	}
	if out, _, err := openecsCmd(t, nil, "admin", "--endpoint", s.endpoint, "clock", "show"); err == nil {
		t.Errorf("the default admin token works beyond loopback:\n%s", out)
	}
	s.stop()

	// Asked for, the key is made and works.
	s = startServer(t, dir, nil, "--addr", "0.0.0.0:0", "--data", "wide", "--admin-token", "s3cret", "--bootstrap-key")
	if !strings.Contains(s.stdout.String(), "with AccessKey test / test") {
		t.Errorf("--bootstrap-key made no test / test key:\n%s", s.stdout)
	}
	if _, stderr, err := openecsCmd(t, nil, "call", "--endpoint", s.endpoint, "DescribeRegions"); err != nil {
		t.Errorf("test / test with --bootstrap-key: %v\n%s", err, stderr)
	}
	s.stop()

	// Data that holds it is not served beyond loopback unless asked.
	for _, extra := range [][]string{nil, {"--bootstrap-key=false"}} {
		args := append([]string{"--addr", "0.0.0.0:0", "--data", "wide", "--admin-token", "s3cret"}, extra...)
		code, _, stderr := serveFails(t, dir, nil, args...)
		if code != 2 || !strings.Contains(stderr, "well-known AccessKey test / test") {
			t.Errorf("%q on data holding test / test: exit %d\n%s", extra, code, stderr)
		}
	}
	// On loopback the same data serves as before.
	startServer(t, dir, nil, "--addr", testbin.FreeAddr(t), "--data", "wide")

	// --bootstrap-key=false on loopback: no key on a first start.
	s = startServer(t, dir, []string{"OPENECS_BOOTSTRAP_KEY=false"}, "--addr", testbin.FreeAddr(t), "--data", "bare")
	if strings.Contains(s.stdout.String(), "with AccessKey test / test") {
		t.Errorf("OPENECS_BOOTSTRAP_KEY=false made the key:\n%s", s.stdout)
	}
}

// The banner's shell hint works as printed: with --endpoint when the port is
// not the default one.
func TestServeBannerHintRuns(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), nil, "--addr", testbin.FreeAddr(t))
	_, port, _ := net.SplitHostPort(s.addr())
	if p, _ := strconv.Atoi(port); p == 8686 {
		t.Skip("the free port happens to be the default one")
	}
	var hint string
	for _, l := range strings.Split(s.stdout.String(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "openecs call ") {
			hint = strings.TrimSpace(l)
		}
	}
	want := "openecs call --endpoint " + s.endpoint + " DescribeRegions"
	if hint != want {
		t.Fatalf("the banner's hint is %q, want %q:\n%s", hint, want, s.stdout)
	}
	if out, stderr, err := openecsCmd(t, nil, strings.Fields(hint)[1:]...); err != nil || !strings.Contains(out, "cn-hangzhou") {
		t.Errorf("the hint %q fails: %v\n%s%s", hint, err, out, stderr)
	}
}
