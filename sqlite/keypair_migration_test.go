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

// TestLegacyKeyPairNames upgrades a database whose instances kept their key
// pair name only in their documents (before 0014).
func TestLegacyKeyPairNames(t *testing.T) {
	t.Parallel()
	before := fstest.MapFS{}
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "0014_") {
			continue
		}
		b, err := os.ReadFile(filepath.Join("migrations", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		before[e.Name()] = &fstest.MapFile{Data: b}
	}
	path := filepath.Join(t.TempDir(), "openecs.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := sqlstore.Migrate(context.Background(), db, sqlite.Dialect{}, before); err != nil {
		t.Fatalf("migrating to before 0014: %v", err)
	}
	exec := func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), sqlite.Dialect{}.Rebind(q), args...)
		return err
	}
	storetest.LegacyKeyPairNames(t, exec, func(t *testing.T) openecs.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		return s
	})
}
