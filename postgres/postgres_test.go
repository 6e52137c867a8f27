package postgres_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
	"github.com/openecs/openecs/storetest"
)

func TestMain(m *testing.M) { pgtest.Main(m, "the PostgreSQL store tests") }

// TestStore runs the shared store suite against PostgreSQL, one database
// per leaf test.
func TestStore(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.OpenFunc {
		url := pgtest.NewDatabase(t)
		return func(t *testing.T) openecs.Store { return open(t, url) }
	})
}

// open opens a store on url; the caller closes it.
func open(t testing.TB, url string) *sqlstore.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), postgres.Options{URL: url})
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	return s
}

// TestMigrationTwins checks that every SQLite migration has a PostgreSQL
// twin with the same number, and the other way round: the SQL above the
// drivers is shared, so the schemas must move together.
func TestMigrationTwins(t *testing.T) {
	t.Parallel()
	numbers := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		re := regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)
		var out []string
		for _, e := range entries {
			m := re.FindStringSubmatch(e.Name())
			if m == nil {
				t.Errorf("%s/%s is not named NNNN_name.sql", dir, e.Name())
				continue
			}
			out = append(out, m[1])
		}
		slices.Sort(out)
		if d := slices.Compact(slices.Clone(out)); len(d) != len(out) {
			t.Errorf("%s has two migrations with one number: %v", dir, out)
		}
		return out
	}
	lite, pg := numbers("../sqlite/migrations"), numbers("migrations")
	for _, n := range lite {
		if !slices.Contains(pg, n) {
			t.Errorf("sqlite/migrations/%s_… has no PostgreSQL twin in postgres/migrations", n)
		}
	}
	for _, n := range pg {
		if !slices.Contains(lite, n) {
			t.Errorf("postgres/migrations/%s_… has no SQLite twin in sqlite/migrations", n)
		}
	}
}
