package sqlite_test

import (
	"testing"

	"github.com/openecs/openecs/storetest"
)

// TestLegacyNetworks upgrades a database with the old per-zone networks: one
// made before 0005, with every other migration, including 0090, which
// existing databases have, but 0013, which changes a table 0005 makes, and
// 0015, which fills columns from what such a database holds.
func TestLegacyNetworks(t *testing.T) {
	t.Parallel()
	exec, open := olderDatabase(t, "0005", "0006", "0013", "0015")
	storetest.LegacyNetworks(t, exec, open)
}
