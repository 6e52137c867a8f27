package pgtest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// `go test ./...` without a PostgreSQL server says so in exactly one line,
// without -v, however many packages skip their PostgreSQL side (each
// announces it from its TestMain; the line is printed once per run). The
// run here selects no test (-run '^$'), so only the TestMains speak.
func TestGoTestSaysOnceThatPostgreSQLIsSkipped(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test over the whole module")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^$", "github.com/openecs/openecs/...")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, EnvURL+"=") && !strings.HasPrefix(kv, EnvRequired+"=") && !strings.HasPrefix(kv, "OPENECS_E2E_STORE=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput() // through a pipe, as in a terminal or CI log
	if err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	n := strings.Count(string(out), SkippedLine+"\n")
	if n != 1 {
		t.Fatalf("the line saying PostgreSQL was skipped appears %d times, want 1:\n%s", n, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "PostgreSQL") && l != SkippedLine {
			t.Errorf("another line speaks of PostgreSQL: %q", l)
		}
	}
}
