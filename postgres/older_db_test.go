package postgres_test

import (
	"context"
	"database/sql"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
)

// olderDatabase makes a database (a schema of its own) with every migration
// but those whose numbers are given (e.g. "0005"), as one made before them
// would be. It returns exec, to run a statement there ($N placeholders), and
// open, to open the store over it (which applies the rest): what the
// storetest upgrade checks take.
func olderDatabase(t *testing.T, without ...string) (exec func(q string, args ...any) error, openStore func(t *testing.T) openecs.Store) {
	t.Helper()
	url := pgtest.NewDatabase(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	before := fstest.MapFS{}
	err = fs.WalkDir(postgres.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || slices.ContainsFunc(without, func(n string) bool { return strings.HasPrefix(path, n+"_") }) {
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
		t.Fatalf("migrating without %v: %v", without, err)
	}
	exec = func(q string, args ...any) error {
		_, err := db.ExecContext(context.Background(), postgres.Dialect{}.Rebind(q), args...)
		return err
	}
	return exec, func(t *testing.T) openecs.Store { return open(t, url) }
}
