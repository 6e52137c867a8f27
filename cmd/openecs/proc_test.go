package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openecs/openecs/internal/testbin"
)

// The helpers of the process tests: `openecs serve` run as a user runs it,
// from the built binary, in a directory of the test's own.

// lockedBuffer is an io.Writer that a process and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// procEnv is this process's environment without OPENECS_* variables, plus
// extra ("K=V").
func procEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENECS_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// server is a running `openecs serve`.
type server struct {
	t        *testing.T
	cmd      *exec.Cmd
	stdout   *lockedBuffer // the banner
	stderr   *lockedBuffer // the log
	endpoint string        // from the banner: http://HOST:PORT
	exited   chan struct{}
}

// bannerEndpoint finds the admin API line of the banner.
var bannerEndpoint = regexp.MustCompile(`admin API: +(http://[^/ ]+)/admin/v1/`)

// startServer runs `openecs serve args…` in dir with env added, and waits
// for its banner. It is killed when the test ends.
func startServer(t *testing.T, dir string, env []string, args ...string) *server {
	t.Helper()
	s := &server{t: t, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(testbin.OpenECS(t), append([]string{"serve"}, args...)...)
	s.cmd.Dir, s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = dir, procEnv(env...), s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }() //nolint:errcheck // the exit is read from ProcessState
	t.Cleanup(s.kill)
	deadline := time.After(30 * time.Second)
	for {
		if m := bannerEndpoint.FindStringSubmatch(s.stdout.String()); m != nil && strings.Contains(s.stdout.String(), "Or try it from the shell") {
			s.endpoint = m[1]
			break
		}
		select {
		case <-s.exited:
			t.Fatalf("openecs serve %q exited before it was ready (%v)\nstdout:\n%s\nstderr:\n%s", args, s.cmd.ProcessState, s.stdout, s.stderr)
		case <-deadline:
			t.Fatalf("openecs serve %q printed no banner in 30s\nstdout:\n%s\nstderr:\n%s", args, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	resp, err := http.Get(s.endpoint + "/readyz")
	if err != nil {
		t.Fatalf("the banner's endpoint %s does not answer: %v", s.endpoint, err)
	}
	resp.Body.Close()
	return s
}

// addr is the host:port of the banner's endpoint.
func (s *server) addr() string { return strings.TrimPrefix(s.endpoint, "http://") }

func (s *server) kill() {
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		<-s.exited
	}
}

// stop ends the server with SIGTERM, as a user's Ctrl-C would.
func (s *server) stop() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.t.Fatal("openecs serve did not stop on SIGTERM")
	}
}

// serveFails runs `openecs serve args…` in dir expecting it to exit on its
// own within 20 s, and returns its exit code and output.
func serveFails(t *testing.T, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	bin := testbin.OpenECS(t) // the first call builds it: before the clock starts
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, procEnv(env...), &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("openecs serve %q kept running; it should have refused to start\nstdout:\n%s\nstderr:\n%s", args, &out, &errb)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errb.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	}
	t.Fatal(err)
	return 0, "", ""
}

// openecsCmd runs another openecs command (call, admin) against a server.
func openecsCmd(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	bin := testbin.OpenECS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Env, cmd.Stdout, cmd.Stderr = procEnv(env...), &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
