package service

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/sqlite"
)

// newBenchService is newTestService for a benchmark: a fresh SQLite store
// (synchronous=NORMAL, as the e2e suite runs) and the bootstrap account.
func newBenchService(b *testing.B) (*Service, *openecs.Account) {
	b.Helper()
	wall := func() time.Time { return time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC) }
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: b.TempDir() + "/bench.db", Synchronous: "NORMAL", Wall: wall})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	s := New(st, wall, catalog.Builtin(), DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	a, err := s.Init(context.Background())
	if err != nil || a == nil {
		b.Fatalf("Init: %v %v", a, err)
	}
	return s, a
}

// What CreateKeyPair's 2048-bit RSA key costs: CreateKeyPair (make the key,
// store the public half) beside ImportKeyPair of a fixed key (parse it,
// store it), on the same store in the same run; the difference is the key
// generation. The account's quota is lifted by deleting as it goes.
//
//	go test ./service -run '^$' -bench KeyPair -benchtime 100x -count 3
func BenchmarkKeyPair(b *testing.B) {
	const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7+mZdqckogmw890WwVGQ+1Kr/toQPrGb4KV87B4MCb bench"
	for _, tc := range []struct {
		name string
		make func(s *Service, c Caller, name string) error
	}{
		{"ImportKeyPair", func(s *Service, c Caller, name string) error {
			_, err := s.ImportKeyPair(context.Background(), c, KeyPairRequest{RegionID: "cn-hangzhou", Name: name, PublicKey: pub})
			return err
		}},
		{"CreateKeyPair", func(s *Service, c Caller, name string) error {
			_, err := s.CreateKeyPair(context.Background(), c, KeyPairRequest{RegionID: "cn-hangzhou", Name: name})
			return err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, a := newBenchService(b)
			c := Caller{AccountID: a.ID, Action: tc.name}
			b.ResetTimer()
			for i := range b.N {
				name := fmt.Sprintf("k%d", i)
				if err := tc.make(s, c, name); err != nil {
					b.Fatal(err)
				}
				if err := s.DeleteKeyPairs(context.Background(), c, "cn-hangzhou", []string{name}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
