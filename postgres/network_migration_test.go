package postgres_test

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
	"github.com/openecs/openecs/storetest"
)

// TestLegacyNetworks upgrades a database with the old per-zone networks.
func TestLegacyNetworks(t *testing.T) {
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
		if err != nil || d.IsDir() || strings.HasPrefix(path, "0005_") || strings.HasPrefix(path, "0006_") ||
			strings.HasPrefix(path, "0013_") || strings.HasPrefix(path, "0015_") {
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
		t.Fatalf("migrating to before 0005: %v", err)
	}
	exec := func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), postgres.Dialect{}.Rebind(q), args...)
		return err
	}
	storetest.LegacyNetworks(t, exec, func(t *testing.T) openecs.Store { return open(t, url) })
}
