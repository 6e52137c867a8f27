package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sqlite"
	"github.com/openecs/openecs/sqlstore"
)

// olderDatabase makes a database with every migration but those whose
// numbers are given (e.g. "0005"), as one made before them would be. It
// returns exec, to run a statement there ($N placeholders), and open, to
// open the store over it (which applies the rest): what the storetest
// upgrade checks take.
func olderDatabase(t *testing.T, without ...string) (exec func(q string, args ...any) error, open func(t *testing.T) openecs.Store) {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	before := fstest.MapFS{}
	for _, e := range entries {
		if slices.ContainsFunc(without, func(n string) bool { return strings.HasPrefix(e.Name(), n+"_") }) {
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
	t.Cleanup(func() { db.Close() })
	if err := sqlstore.Migrate(context.Background(), db, sqlite.Dialect{}, before); err != nil {
		t.Fatalf("migrating without %v: %v", without, err)
	}
	exec = func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), sqlite.Dialect{}.Rebind(q), args...)
		return err
	}
	open = func(t *testing.T) openecs.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Options{Path: path})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		return s
	}
	return exec, open
}
