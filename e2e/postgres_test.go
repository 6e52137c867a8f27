package e2e

import (
	"flag"
	"os"
	"sync"
	"testing"

	"github.com/openecs/openecs/postgres/pgtest"
)

// The PostgreSQL pass of this suite. `go test ./e2e` runs every test on
// SQLite; with OPENECS_E2E_STORE=postgres (and OPENECS_TEST_POSTGRES naming a
// server) the same tests run on PostgreSQL instead, each with a database of
// its own. CI runs the package both ways (.ci/run).
const envE2EStore = "OPENECS_E2E_STORE"

func init() {
	switch os.Getenv(envE2EStore) {
	case "", "sqlite":
		return
	case "postgres":
	default:
		panic(envE2EStore + " must be sqlite or postgres, not " + os.Getenv(envE2EStore))
	}
	var mu sync.Mutex
	urls := map[*testing.T]string{}
	testPostgresURL = func(t *testing.T) string {
		t.Helper()
		if !pgtest.Available() {
			// The PostgreSQL pass was asked for: no server is a failure.
			t.Fatalf("%s=postgres but PostgreSQL cannot be used: set %s to a reachable server", envE2EStore, pgtest.EnvURL)
		}
		mu.Lock()
		defer mu.Unlock()
		// A test that restarts its server gets the same database again.
		if u, ok := urls[t]; ok {
			return u
		}
		u := pgtest.NewDatabase(t)
		urls[t] = u
		t.Cleanup(func() {
			mu.Lock()
			delete(urls, t)
			mu.Unlock()
		})
		return u
	}
}

// announcePostgresPass says in one line of `go test ./...` output (without
// -v too) that this run leaves the PostgreSQL pass out; TestMain calls it.
func announcePostgresPass() {
	if os.Getenv(envE2EStore) == "postgres" {
		return
	}
	flag.Parse() // testing.Verbose needs the flags
	if os.Getenv(pgtest.EnvURL) == "" {
		pgtest.AnnounceOnce("PostgreSQL pass of the end-to-end suite skipped: "+pgtest.SkipMessage+", with "+envE2EStore+"=postgres", pgtest.SkippedLine)
		return
	}
	pgtest.Announce("The end-to-end suite ran on SQLite: " + envE2EStore + "=postgres runs it on PostgreSQL")
}
