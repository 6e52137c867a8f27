package postgres_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
)

// The benchmarks behind the choices in docs/postgres.md. Run them against a
// durable server (fsync on), for example:
//
//	OPENECS_TEST_POSTGRES=postgres://… go test ./postgres -run '^$' -bench . -benchtime 3s

var benchBase = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func benchStore(b *testing.B, o postgres.Options) *sqlstore.Store {
	b.Helper()
	o.URL = pgtest.NewDatabase(b)
	s, err := postgres.Open(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchInstance(id string) *openecs.Instance {
	return &openecs.Instance{
		ID: id, AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h",
		InstanceType: "ecs.g7.large", Family: "ecs.g7", CPU: 2, MemoryMiB: 8192,
		ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", OSType: "linux",
		Name: "bench-" + id, Status: openecs.StatusRunning, ChargeType: openecs.PostPaid,
		StoppedMode: openecs.NotApplicable, BillingState: openecs.BillingNormal, SpotStrategy: openecs.NoSpot,
		HourlyPrice: openecs.MustMoney("0.5"), VpcID: "vpc-1", VSwitchID: "vsw-1",
		SecurityGroupIDs: []string{"sg-1"}, PrivateIP: "172.16.3.7", CreatedAt: benchBase, HostReady: true,
	}
}

func seed(b *testing.B, s openecs.Store, n int) []string {
	b.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "i-bench-" + strconv.Itoa(i)
	}
	for from := 0; from < n; from += 500 {
		chunk := ids[from:min(from+500, n)]
		if err := s.Update(context.Background(), func(tx openecs.Tx) error {
			for _, id := range chunk {
				if err := tx.InsertInstance(benchInstance(id)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

// flip does what StartInstance/StopInstance do to the store: read the
// instance, write it back with the other status (compare-and-set) and
// append an event, in one durable commit.
func flip(s openecs.Store, id string) error {
	return s.Update(context.Background(), func(tx openecs.Tx) error {
		in, err := tx.Instance(id)
		if err != nil {
			return err
		}
		if in.Status == openecs.StatusRunning {
			in.Status, in.StoppedMode = openecs.StatusStopped, openecs.KeepCharging
		} else {
			in.Status, in.StoppedMode = openecs.StatusRunning, openecs.NotApplicable
		}
		if err := tx.UpdateInstance(in); err != nil {
			return err
		}
		return tx.AppendEvent(&openecs.Event{At: benchBase, AccountID: in.AccountID, Kind: openecs.EventInstanceStatus, ResourceID: id})
	})
}

// BenchmarkUpdate compares one transaction per Update (what the driver
// does) with sqlstore's group commit (what SQLite does), for one caller and
// for 32 callers per CPU on distinct instances.
func BenchmarkUpdate(b *testing.B) {
	for _, mode := range []struct {
		name  string
		group bool
	}{{"own-transaction", false}, {"group-commit", true}} {
		b.Run(mode.name+"/serial", func(b *testing.B) {
			s := benchStore(b, postgres.Options{GroupCommit: mode.group})
			id := seed(b, s, 1)[0]
			for b.Loop() {
				if err := flip(s, id); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
		b.Run(mode.name+"/parallel", func(b *testing.B) {
			s := benchStore(b, postgres.Options{GroupCommit: mode.group, MaxConns: 32})
			b.SetParallelism(32)
			ids := seed(b, s, 2048)
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				id := ids[int(next.Add(1)-1)%len(ids)]
				for pb.Next() {
					if err := flip(s, id); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}

// BenchmarkInstanceRead reads one instance in a View from parallel callers.
func BenchmarkInstanceRead(b *testing.B) {
	s := benchStore(b, postgres.Options{MaxConns: 32})
	ids := seed(b, s, 1000)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			id := ids[r.IntN(len(ids))]
			if err := s.View(context.Background(), func(rd openecs.Reader) error {
				_, err := rd.Instance(id)
				return err
			}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
}

// BenchmarkCallOverhead is what replicas add to every signed call, serially:
// "nonce" is the shared nonce check; "view" is a read transaction that
// stamps its time from the stored clock offset and reads one row, the
// floor of every read call.
func BenchmarkCallOverhead(b *testing.B) {
	s := benchStore(b, postgres.Options{})
	if err := s.Update(context.Background(), func(tx openecs.Tx) error {
		return tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(time.Hour))
	}); err != nil {
		b.Fatal(err)
	}
	nonces := s.Nonces()
	var n atomic.Int64
	b.Run("nonce", func(b *testing.B) {
		for b.Loop() {
			fresh, err := nonces.Use(context.Background(), "bench", strconv.FormatInt(n.Add(1), 10), time.Now())
			if err != nil || !fresh {
				b.Fatalf("Use: %v, %v", fresh, err)
			}
		}
	})
	b.Run("view", func(b *testing.B) {
		for b.Loop() {
			if err := s.View(context.Background(), func(r openecs.Reader) error {
				_, err := r.Meta(openecs.MetaClockOffset)
				if errors.Is(err, openecs.ErrNotFound) {
					return nil
				}
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
