package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlite"
	"github.com/openecs/openecs/sqlstore"
	"github.com/openecs/openecs/storetest"
)

// TestStoreWithoutGroupCommit runs the shared suite over SQLite with group
// commit off, so that every Update takes the one-transaction-per-call path
// (updateDirect) that a driver without group commit, such as PostgreSQL, uses.
// The sqlite package's own tests cover the group-commit path.
func TestStoreWithoutGroupCommit(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.OpenFunc {
		path := filepath.Join(t.TempDir(), "openecs.db")
		// Create and migrate the database with the driver itself.
		s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		return func(t *testing.T) openecs.Store { return openDirect(t, path) }
	})
}

// openDirect opens pools over an SQLite file the way the driver does, but
// hands them to sqlstore with GroupCommit off.
func openDirect(t *testing.T, path string) openecs.Store {
	t.Helper()
	base := "file:" + path + "?_busy_timeout=10000&_journal_mode=WAL&_cslike=1&_synchronous=NORMAL"
	w, err := sql.Open("sqlite3", base+"&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite3", base+"&_txlock=deferred&_query_only=1")
	if err != nil {
		t.Fatal(err)
	}
	return sqlstore.New(sqlstore.Config{Read: r, Write: w, Dialect: sqlite.Dialect{}})
}
