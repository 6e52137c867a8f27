package postgres_test

import (
	"testing"

	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/storetest"
)

// TestLegacyKeyPairNames upgrades a database whose instances kept their key
// pair name only in their documents (before 0014).
func TestLegacyKeyPairNames(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	exec, open := olderDatabase(t, "0014")
	storetest.LegacyKeyPairNames(t, exec, open)
}
