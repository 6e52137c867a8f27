// Package nodesdk runs the Node SDK tests of e2e/node (@alicloud/ecs20140526
// with @alicloud/openapi-client, signing V3; @alicloud/pop-core, signing
// v1.0) against an OpenECS server it starts in process.
//
// They need node and the packages of e2e/node installed (`npm ci
// --ignore-scripts` in that folder). Without them the test skips and says so
// in one line; with OPENECS_TEST_NODE_REQUIRED=1 (CI) it fails instead.
package nodesdk

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/openecs/openecs/app"
	"github.com/openecs/openecs/postgres/pgtest"
)

// EnvRequired makes missing Node packages a failure.
const EnvRequired = "OPENECS_TEST_NODE_REQUIRED"

// nodeDir holds package.json, the lock file and the tests.
const nodeDir = "../node"

// minTests is how many Node tests the suite has at least; fewer means some
// were not found.
const minTests = 10

var unavailable string // why the Node tests cannot run; "" when they can

func TestMain(m *testing.M) {
	flag.Parse()
	for _, v := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(v)
	}
	os.Setenv("NO_PROXY", "127.0.0.1,localhost")
	unavailable = check()
	if unavailable != "" {
		if os.Getenv(EnvRequired) == "1" {
			fmt.Fprintf(os.Stderr, "FAIL: the Node SDK tests need node and e2e/node's packages (%s=1): %s\n", EnvRequired, unavailable)
			os.Exit(1)
		}
		pgtest.Announce("Node SDK tests skipped: " + unavailable + " (run `npm ci --ignore-scripts` in e2e/node to run them)")
	}
	os.Exit(m.Run())
}

func check() string {
	if _, err := exec.LookPath("node"); err != nil {
		return "node is not installed"
	}
	for _, p := range []string{"@alicloud/ecs20140526", "@alicloud/openapi-client", "@alicloud/pop-core", "@alicloud/tea-util"} {
		if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", p, "package.json")); err != nil {
			return "e2e/node/node_modules lacks " + p
		}
	}
	return ""
}

// testsRun reads the spec reporter's summary, "ℹ tests 10" and "ℹ fail 0".
var (
	testsRun   = regexp.MustCompile(`(?m)^\S* ?tests (\d+)$`)
	testsFails = regexp.MustCompile(`(?m)^\S* ?fail (\d+)$`)
)

func TestNodeSDKs(t *testing.T) {
	if unavailable != "" {
		t.Skip(unavailable)
	}
	const token = "node-admin-token"
	cfg := app.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.AdminToken = token
	cfg.TransitionDelay = 0
	cfg.Synchronous = "NORMAL"
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Shutdown(ctx) //nolint:errcheck
	})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "--test", "--test-reporter=spec")
	cmd.Dir = nodeDir
	cmd.Env = append(os.Environ(), "OPENECS_ENDPOINT="+a.Addr(), "OPENECS_ADMIN_TOKEN="+token, "NO_COLOR=1", "FORCE_COLOR=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	t.Logf("node --test:\n%s", out)
	m := testsRun.FindSubmatch(out)
	f := testsFails.FindSubmatch(out)
	if m == nil || f == nil {
		t.Fatalf("no summary in the output of node --test:\n%s", out)
	}
	if n, _ := strconv.Atoi(string(m[1])); n < minTests {
		t.Fatalf("node --test ran %d tests, want at least %d:\n%s", n, minTests, out)
	}
	if string(f[1]) != "0" {
		t.Fatalf("node --test reports %s failures:\n%s", f[1], out)
	}
}
