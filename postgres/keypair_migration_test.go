package postgres_test

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
	"github.com/openecs/openecs/storetest"
)

// TestLegacyKeyPairNames upgrades a database whose instances kept their key
// pair name only in their documents (before 0014).
func TestLegacyKeyPairNames(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	url := pgtest.NewDatabase(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := fstest.MapFS{}
	err = fs.WalkDir(postgres.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path, "0014_") {
			return err
		}
		b, err := fs.ReadFile(postgres.Migrations(), path)
		before[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(context.Background(), db, postgres.Dialect{}, before); err != nil {
		t.Fatalf("migrating to before 0014: %v", err)
	}
	exec := func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), postgres.Dialect{}.Rebind(q), args...)
		return err
	}
	storetest.LegacyKeyPairNames(t, exec, func(t *testing.T) openecs.Store { return open(t, url) })
}
