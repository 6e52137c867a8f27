// Package testbin builds the openecs binary once per test binary, for the
// tests that need a real server process (crashes, signals, replicas).
package testbin

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	once sync.Once
	path string
	err  error
)

// OpenECS returns the path of a freshly built cmd/openecs, building it on the
// first call.
func OpenECS(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		dir, derr := os.MkdirTemp("", "openecs-testbin")
		if derr != nil {
			err = derr
			return
		}
		path = filepath.Join(dir, "openecs")
		out, berr := exec.Command("go", "build", "-o", path, "github.com/openecs/openecs/cmd/openecs").CombinedOutput()
		if berr != nil {
			err = fmt.Errorf("go build: %v\n%s", berr, out)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// Cleanup removes the built binary; call it from TestMain after m.Run.
func Cleanup() {
	if path != "" {
		os.RemoveAll(filepath.Dir(path))
	}
}

// FreeAddr returns a loopback address with a port nobody listens on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, lerr := net.Listen("tcp", "127.0.0.1:0")
	if lerr != nil {
		t.Fatal(lerr)
	}
	defer l.Close()
	return l.Addr().String()
}
