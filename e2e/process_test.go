package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/openecs/openecs/internal/testbin"
)

// openecsBinary is the openecs binary the process tests run.
func openecsBinary(t *testing.T) string { return testbin.OpenECS(t) }

func freePort(t *testing.T) string { return testbin.FreeAddr(t) }

// proc is an `openecs serve` process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	log  *os.File
}

// startServe runs `openecs serve` on addr with data in dir and waits until it
// answers /readyz.
func startServe(t *testing.T, addr, dir string, extra ...string) *proc {
	t.Helper()
	args := append([]string{"serve", "--addr", addr, "--data", dir, "--admin-token", adminToken}, extra...)
	if s := storeURL(t); s != "" {
		args = append(args, "--store", s)
	}
	cmd := exec.Command(openecsBinary(t), args...)
	logf, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, addr: addr, log: logf}
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("openecs serve did not become ready:\n%s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill sends SIGKILL: no chance to flush or clean up.
func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		p.cmd.Wait()                          //nolint:errcheck
	}
}

// env returns an env that talks to the process (no in-process app).
func (p *proc) env() *env {
	e := &env{t: p.t, remote: p.addr}
	e.ecs = e.client("test", "test")
	return e
}

func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		cmd.Process.Kill() //nolint:errcheck
		t.Fatalf("the process did not exit within %s", limit)
		return nil
	}
}

var _ = context.Background
