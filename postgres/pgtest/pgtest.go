// Package pgtest gives tests a fresh PostgreSQL database each, on the server
// named by OPENECS_TEST_POSTGRES (a URL to a database where the tests may
// create schemas, e.g. postgres://postgres@127.0.0.1:5432/postgres).
//
// Without that variable the PostgreSQL tests skip, and Main says so in one
// line of `go test` output. With OPENECS_TEST_POSTGRES_REQUIRED=1 (CI) a
// missing or unreachable server fails the run instead (pkgsite's pattern).
//
// Each test gets a schema of its own in that database (see NewDatabase),
// dropped when the test ends.
package pgtest

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The environment variables.
const (
	EnvURL      = "OPENECS_TEST_POSTGRES"
	EnvRequired = "OPENECS_TEST_POSTGRES_REQUIRED"
)

// SkipMessage is what a test without a server says.
const SkipMessage = "PostgreSQL side skipped: set " + EnvURL + "=postgres://user@host:port/db (a database where tests may create schemas) to run it"

var (
	checkOnce sync.Once
	checkErr  error // why the server cannot be used; nil when it can
	seq       atomic.Int64
)

// Required reports whether a missing server is a failure.
func Required() bool { return os.Getenv(EnvRequired) == "1" }

// Available reports whether a server is configured and answers.
func Available() bool {
	checkOnce.Do(func() { checkErr = check() })
	return checkErr == nil
}

func check() error {
	u := os.Getenv(EnvURL)
	if u == "" {
		return fmt.Errorf("%s is not set", EnvURL)
	}
	db, err := open(u)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("PostgreSQL at %s does not answer: %w", redact(u), err)
	}
	return nil
}

// Main is TestMain for a package with PostgreSQL tests: it checks the server
// once, announces a skip (or fails when the server is required), and runs
// the tests, then the cleanups. what names the tests that need the server.
func Main(m *testing.M, what string, cleanups ...func()) {
	flag.Parse()
	if !Available() {
		if Required() {
			fmt.Fprintf(os.Stderr, "FAIL: %s need PostgreSQL and %s=1: %v\n", what, EnvRequired, checkErr)
			os.Exit(1)
		}
		Announce(SkipMessage + " (" + what + ")")
	}
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

// Skip skips t unless a server is available; with OPENECS_TEST_POSTGRES_REQUIRED=1
// it fails t instead.
func Skip(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	if Required() {
		t.Fatalf("PostgreSQL is required (%s=1): %v", EnvRequired, checkErr)
	}
	t.Skip(SkipMessage)
}

// AdminURL returns OPENECS_TEST_POSTGRES, skipping t if it cannot be used.
func AdminURL(t testing.TB) string {
	t.Helper()
	Skip(t)
	return os.Getenv(EnvURL)
}

// NewDatabase gives t a database of its own and returns its URL: a fresh
// schema in the server's database, selected through the URL's search_path,
// so that every table the store makes lands in it. (A schema costs a few
// milliseconds; CREATE DATABASE costs hundreds.) The store's first Open
// applies the migrations. The schema is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	name := fmt.Sprintf("openecs_test_%d_%d", os.Getpid(), seq.Add(1))
	db, err := open(admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("pgtest: creating schema %s: %v", name, err)
	}
	t.Cleanup(func() { drop(t, admin, name) })
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("pgtest: %s must be a postgres:// URL", EnvURL)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// drop removes a test schema with everything in it.
func drop(t testing.TB, admin, name string) {
	db, err := open(admin)
	if err != nil {
		t.Errorf("pgtest: dropping %s: %v", name, err)
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+name+` CASCADE`); err != nil {
		t.Errorf("pgtest: dropping schema %s: %v", name, err)
	}
}

// open opens a small pool on url.
func open(u string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	cfg.ConnectTimeout = 5 * time.Second
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(4)
	return db, nil
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.User = url.User(p.User.Username())
	return p.String()
}

// Announce prints one line to the test output. `go test` in package list
// mode (go test ./...) shows a passing package's output only with -v, so the
// line is also written to the go command's own standard output when that
// is a terminal or a pipe (never a file, where two writers would clobber
// each other), so that a skipped PostgreSQL side is visible in every run.
func Announce(line string) {
	fmt.Println(line)
	if testing.Verbose() { // -v and -json show the test's own output
		return
	}
	ppid := os.Getppid()
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", ppid))
	if err != nil || strings.TrimSpace(string(comm)) != "go" {
		return
	}
	f, err := os.OpenFile(fmt.Sprintf("/proc/%d/fd/1", ppid), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || (fi.Mode()&(os.ModeNamedPipe|os.ModeCharDevice) == 0 && !appending(ppid)) {
		return
	}
	if own, err := os.Stdout.Stat(); err == nil && os.SameFile(fi, own) {
		return // local directory mode: go test passes our output straight through
	}
	fmt.Fprintln(f, line)
}

// appending reports whether process pid's standard output was opened for
// appending (`>>`): only then can a second writer add a line to the file
// without overwriting what the first writes next.
func appending(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/fdinfo/1", pid))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "flags:"); ok {
			flags, err := strconv.ParseInt(strings.TrimSpace(v), 8, 64)
			return err == nil && flags&int64(os.O_APPEND) != 0
		}
	}
	return false
}
