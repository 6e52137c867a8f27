package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlite"
	"github.com/openecs/openecs/sqlstore"
	"github.com/openecs/openecs/storetest"
)

// beforeNetwork is the migrations a database had before the network model
// (0005): every other one, including 0090, which existing databases have,
// but 0013, which changes a table 0005 makes, and 0015, which fills columns
// from what such a database holds.
func beforeNetwork(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "0005_") || strings.HasPrefix(e.Name(), "0006_") ||
			strings.HasPrefix(e.Name(), "0013_") || strings.HasPrefix(e.Name(), "0015_") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = &fstest.MapFile{Data: b}
	}
	return out
}

// TestLegacyNetworks upgrades a database with the old per-zone networks.
func TestLegacyNetworks(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "openecs.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.Migrate(context.Background(), db, sqlite.Dialect{}, beforeNetwork(t, "migrations")); err != nil {
		t.Fatalf("migrating to before 0005: %v", err)
	}
	exec := func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), sqlite.Dialect{}.Rebind(q), args...)
		return err
	}
	storetest.LegacyNetworks(t, exec, func(t *testing.T) openecs.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		return s
	})
}
