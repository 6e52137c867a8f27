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
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
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

// SkippedLine is the one line a `go test ./...` without a server prints,
// whichever packages skip their PostgreSQL tests.
const SkippedLine = "PostgreSQL tests skipped: set " + EnvURL + "=postgres://user@host:port/db (a database where tests may create schemas) to run them, and also OPENECS_E2E_STORE=postgres for the end-to-end suite on PostgreSQL"

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
		AnnounceOnce(SkipMessage+" ("+what+")", SkippedLine)
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

// Announce prints one line to the test output and, see AnnounceOnce, to
// the go command's.
func Announce(line string) { AnnounceOnce(line, line) }

// AnnounceOnce prints line to the test output. `go test` in package list
// mode (go test ./...) shows a passing package's output only with -v, so
// shared is also written to the go command's own standard output when that
// is a terminal or a pipe (or a file opened for appending; never one that
// two writers would clobber), so that a skipped PostgreSQL side is visible
// in every run — once per run of the go command, however many packages
// announce the same shared line (a marker file in the temporary directory,
// named after the go process, says it was printed). A package whose result
// is cached does not run, and prints nothing.
func AnnounceOnce(line, shared string) {
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
	if !firstToSay(ppid, shared) {
		return
	}
	fmt.Fprintln(f, shared)
}

// firstToSay reports whether this is the first test process of the go
// command pid to announce line: it creates a marker file for the pair, and
// removes the markers of go commands that have ended.
func firstToSay(pid int, line string) bool {
	start := procStart(pid)
	if start == "" {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(line))
	dir := os.TempDir()
	const prefix = "openecs-pgtest-announced-"
	name := fmt.Sprintf("%s%d-%s-%x", prefix, pid, start, h.Sum64())
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return !errors.Is(err, fs.ErrExist)
	}
	f.Close()
	old, _ := filepath.Glob(filepath.Join(dir, prefix+"*"))
	for _, m := range old {
		var p int
		var st string
		if _, err := fmt.Sscanf(strings.ReplaceAll(strings.TrimPrefix(filepath.Base(m), prefix), "-", " "), "%d %s", &p, &st); err == nil && procStart(p) != st {
			os.Remove(m)
		}
	}
	return true
}

// procStart is process pid's start time (in clock ticks since boot, from
// /proc), which tells it from a later process given the same pid; "" if
// the process is gone.
func procStart(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19] // field 22 of the whole line
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
