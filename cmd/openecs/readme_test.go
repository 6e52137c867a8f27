package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/internal/testbin"
)

// The README's examples run as written, against `openecs serve` started as
// the README starts it. The one change made to them is the address: they
// name the default 127.0.0.1:8686, which the test replaces by its server's
// (and the shell lines, which name none, get OPENECS_ENDPOINT).

// repoRoot is the module's directory (this package is cmd/openecs).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// readmeBlock returns the first fenced block of language lang after the
// heading that starts with heading.
func readmeBlock(t *testing.T, heading, lang string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading)
	if i < 0 {
		t.Fatalf("README.md has no heading %q", heading)
	}
	s = s[i:]
	open := "\n```" + lang + "\n"
	j := strings.Index(s, open)
	if j < 0 {
		t.Fatalf("README.md has no ```%s block after %q", lang, heading)
	}
	s = s[j+len(open):]
	k := strings.Index(s, "\n```")
	if k < 0 {
		t.Fatalf("the ```%s block after %q does not end", lang, heading)
	}
	return s[:k+1]
}

const readmeAddr = "127.0.0.1:8686"

// runScript runs a shell script with bash -euo pipefail in dir, with env
// added and binDirs first on PATH.
func runScript(t *testing.T, dir, script string, env []string, binDirs ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	path := strings.Join(append(binDirs, os.Getenv("PATH")), string(os.PathListSeparator))
	cmd.Dir, cmd.Env = dir, procEnv(append([]string{"PATH=" + path}, env...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// runREADMEGo runs the Go block under heading in a module of its own whose
// SDKs are the ones this repository uses (a replace directive points at the
// repository; its go.sum is copied), with `go run` while a server runs, and
// returns what it printed and the server.
func runREADMEGo(t *testing.T, heading string) (string, *server) {
	t.Helper()
	code := readmeBlock(t, heading, "go")
	if !strings.Contains(code, `"`+readmeAddr+`"`) {
		t.Fatalf("the Go example does not name %s:\n%s", readmeAddr, code)
	}
	s := startServer(t, t.TempDir(), nil, "--addr", testbin.FreeAddr(t))
	mod := t.TempDir()
	root := repoRoot(t)
	gomod := "module readme\n\ngo 1.26.8\n\nrequire github.com/openecs/openecs v0.0.0\n\nreplace github.com/openecs/openecs => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"go.mod":  gomod,
		"go.sum":  string(sum),
		"main.go": strings.ReplaceAll(code, readmeAddr, s.addr()),
	} {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, "go", "run", ".")
	// Offline: every module comes from the cache this repository's build filled.
	run.Dir, run.Env = mod, procEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := run.CombinedOutput()
	if err != nil || strings.Contains(string(out), "Error") {
		t.Fatalf("the README's Go example under %q failed: %v\n%s", heading, err, out)
	}
	return string(out), s
}

// The legacy SDK's example stops an instance it started, so it waits for
// Running first.
func TestREADMEGoExample(t *testing.T) {
	t.Parallel()
	out, s := runREADMEGo(t, "## Thirty seconds with the official Go SDK")
	id := strings.Fields(out)[0]
	status, stderr, err := openecsCmd(t, nil, "call", "--endpoint", s.endpoint, "--query", "InstanceStatuses.InstanceStatus[0].Status",
		"DescribeInstanceStatus", "InstanceId.1="+id)
	if st := strings.TrimSpace(status); err != nil || (st != "Stopping" && st != "Stopped") {
		t.Errorf("after the example, %s is %q (%v %s), want Stopping or Stopped", id, st, err, stderr)
	}
}

// The V2.0 SDK's example creates an instance and prints its id and status.
func TestREADMEGoV2Example(t *testing.T) {
	t.Parallel()
	out, _ := runREADMEGo(t, "## …with the V2.0 SDK")
	fields := strings.Fields(out)
	if len(fields) != 2 || !strings.HasPrefix(fields[0], "i-") {
		t.Fatalf("the V2.0 example printed %q, want an instance id and its status", out)
	}
	if st := fields[1]; st != "Pending" && st != "Starting" && st != "Running" {
		t.Fatalf("the V2.0 example's instance is %q", st)
	}
}

// The shell lines, one bash script with -e: every command must succeed.
func TestREADMEShellExample(t *testing.T) {
	t.Parallel()
	script := readmeBlock(t, "## …and from the shell", "sh")
	dir := t.TempDir()
	s := startServer(t, dir, nil, "--addr", testbin.FreeAddr(t))
	out, err := runScript(t, dir, script, []string{"OPENECS_ENDPOINT=" + s.endpoint}, filepath.Dir(testbin.OpenECS(t)))
	if err != nil {
		t.Fatalf("the README's shell lines failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, `"balance": "21.00"`) {
		t.Errorf("the last line did not add 20.00 to the new account's 1.00:\n%s", out)
	}
}

// The aliyun CLI lines, with the real CLI: OPENECS_ALIYUN_CLI names it, or
// it is found on PATH; without it the test is skipped (CI gives it).
func TestREADMEAliyunCLI(t *testing.T) {
	t.Parallel()
	cli := os.Getenv("OPENECS_ALIYUN_CLI")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("aliyun"); err != nil {
			t.Skip("the aliyun CLI is not installed: set OPENECS_ALIYUN_CLI to its path to run this test")
		}
	}
	cli, err := filepath.Abs(cli)
	if err != nil {
		t.Fatal(err)
	}
	script := readmeBlock(t, "## The aliyun CLI", "sh")
	dir := t.TempDir()
	s := startServer(t, dir, nil, "--addr", testbin.FreeAddr(t))
	// The CLI keeps its profile under HOME: a fresh one.
	out, err := runScript(t, dir, strings.ReplaceAll(script, readmeAddr, s.addr()), []string{"HOME=" + t.TempDir()}, filepath.Dir(cli))
	if err != nil {
		t.Fatalf("the README's aliyun lines failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, `"RegionId": "cn-hangzhou"`) || !strings.Contains(out, `"TotalCount": 0`) {
		t.Errorf("the aliyun lines did not answer as expected:\n%s", out)
	}
}
