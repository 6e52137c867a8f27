package postgres_test

import (
	"testing"

	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/storetest"
)

// TestLegacyNetworks upgrades a database with the old per-zone networks (see
// the SQLite twin for the migrations it leaves out).
func TestLegacyNetworks(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	exec, open := olderDatabase(t, "0005", "0006", "0013", "0015")
	storetest.LegacyNetworks(t, exec, open)
}
