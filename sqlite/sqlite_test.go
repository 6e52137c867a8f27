package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlite"
	"github.com/openecs/openecs/storetest"
)

// TestStore runs the shared store suite against SQLite files.
func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.OpenFunc {
		path := filepath.Join(t.TempDir(), "openecs.db")
		return func(t *testing.T) openecs.Store { return open(t, path) }
	})
}

// open opens the store at path; the caller closes it.
func open(t testing.TB, path string) openecs.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path})
	if err != nil {
		t.Fatalf("sqlite.Open(%s): %v", path, err)
	}
	return s
}

func TestMigrationsAreIdempotent(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "openecs.db")
	ctx := context.Background()

	first := open(t, path)
	if err := first.Update(ctx, func(tx openecs.Tx) error { return tx.SetMeta("k", "v") }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	// The same file again while the first store is still open, then after
	// closing both, a third time.
	second := open(t, path)
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := second.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	third := open(t, path)
	defer third.Close()
	var v string
	if err := third.View(ctx, func(r openecs.Reader) error {
		var err error
		v, err = r.Meta("k")
		return err
	}); err != nil || v != "v" {
		t.Fatalf("Meta(k) after reopening = %q, %v; want %q", v, err, "v")
	}

	// Every migration is recorded once.
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, distinct int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct); err != nil {
		t.Fatalf("reading schema_migrations: %v", err)
	}
	if rows != len(entries) || distinct != len(entries) {
		t.Fatalf("schema_migrations has %d rows (%d versions), want %d: one per migration file", rows, distinct, len(entries))
	}
}

func TestOpenFailsCleanly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(notDB, []byte("this is not an SQLite database, just text long enough to be read as a header"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "read-only")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		skip       bool
	}{
		{"empty path", "", false},
		{"parent is a file", filepath.Join(file, "openecs.db"), false},
		{"the database is a directory", dir, false},
		{"not an SQLite file", notDB, false},
		// Nobody, not even root, may create a directory in /proc.
		{"unwritable file system", "/proc/openecs-test/openecs.db", !exists("/proc/self")},
		// root may write anywhere, so this case only means something for
		// other users.
		{"read-only directory", filepath.Join(readOnly, "openecs.db"), os.Geteuid() == 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.skip {
				t.Skip("not meaningful here (running as root, or no /proc)")
			}
			s, err := sqlite.Open(context.Background(), sqlite.Options{Path: c.path})
			if err == nil {
				s.Close()
				t.Fatalf("sqlite.Open(%q) succeeded, want an error", c.path)
			}
			if s != nil {
				t.Fatalf("sqlite.Open(%q) returned a store along with the error %v", c.path, err)
			}
			t.Logf("sqlite.Open(%q): %v", c.path, err)
			if errors.Is(err, openecs.ErrNotFound) || errors.Is(err, openecs.ErrConflict) {
				t.Fatalf("sqlite.Open(%q): error %v is a row error", c.path, err)
			}
		})
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
