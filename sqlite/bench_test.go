package sqlite_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// The benchmarks measure the store's hot calls on a durable (synchronous
// FULL) SQLite file, as `openecs serve` runs it.

var benchBase = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// benchStore opens a fresh store for a benchmark; it is closed at the end.
func benchStore(b *testing.B) openecs.Store {
	b.Helper()
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	b.Cleanup(func() { s.Close() })
	return s
}

// benchInstance is a typical pay-as-you-go instance.
func benchInstance(id, account string) *openecs.Instance {
	return &openecs.Instance{
		ID: id, AccountID: account, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h",
		InstanceType: "ecs.g7.large", Family: "ecs.g7", CPU: 2, MemoryMiB: 8192,
		ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", OSName: "Alibaba Cloud Linux 3", OSNameEn: "Alibaba Cloud Linux 3", OSType: "linux",
		Name: "bench-" + id, HostName: "iZ" + id, Status: openecs.StatusRunning, ChargeType: openecs.PostPaid,
		StoppedMode: openecs.NotApplicable, BillingState: openecs.BillingNormal, SpotStrategy: openecs.NoSpot,
		HourlyPrice: openecs.MustMoney("0.5"), InternetChargeType: "PayByTraffic", VpcID: "vpc-1", VSwitchID: "vsw-1",
		SecurityGroupIDs: []string{"sg-1"}, PrivateIP: "172.16.3.7", NetworkInterfaceID: "eni-" + id,
		MacAddress: "00:16:3e:01:02:03", SerialNumber: "serial-" + id, IoOptimized: true,
		CreatedAt: benchBase, StartedAt: benchBase, HoldsCapacity: true, HostReady: true,
		Tags: []openecs.Tag{{Key: "env", Value: "bench"}},
	}
}

// seedInstances inserts n instances of account, 1,000 per commit, and
// returns their ids.
func seedInstances(b *testing.B, s openecs.Store, account string, n int) []string {
	b.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "i-" + account + "-" + strconv.Itoa(i)
	}
	for from := 0; from < n; from += 1000 {
		chunk := ids[from:min(from+1000, n)]
		if err := s.Update(context.Background(), func(tx openecs.Tx) error {
			for _, id := range chunk {
				if err := tx.InsertInstance(benchInstance(id, account)); err != nil {
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

// flip reads an instance and writes it back with the other power status,
// as StartInstance/StopInstance do.
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
		return tx.UpdateInstance(in)
	})
}

// BenchmarkUpdateInstanceGroupCommit updates distinct instances, each update
// its own Update call and durable when it returns. "serial" is one caller, so
// every update pays a commit; "parallel" has 64 callers per CPU whose updates
// the writer groups into shared commits.
func BenchmarkUpdateInstanceGroupCommit(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		s := benchStore(b)
		id := seedInstances(b, s, "a1", 1)[0]
		for b.Loop() {
			if err := flip(s, id); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	})
	b.Run("parallel", func(b *testing.B) {
		s := benchStore(b)
		const perCPU = 64
		b.SetParallelism(perCPU)
		ids := seedInstances(b, s, "a1", 4096)
		var next atomic.Int64
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			id := ids[int(next.Add(1)-1)%len(ids)] // one instance per goroutine
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

// BenchmarkInstanceRead reads one instance by id in a View, from parallel
// callers.
func BenchmarkInstanceRead(b *testing.B) {
	s := benchStore(b)
	ids := seedInstances(b, s, "a1", 1000)
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
}

// BenchmarkInstancesPage reads a 10-row page of an account that has 10,000
// instances (next to another account of the same size): by keyset (NextToken),
// by page number (Offset), and by keyset with the TotalCount that
// DescribeInstances also asks for.
func BenchmarkInstancesPage(b *testing.B) {
	s := benchStore(b)
	seedInstances(b, s, "other", 10_000)
	seedInstances(b, s, "a1", 10_000)
	var seqs []int64
	if err := s.View(context.Background(), func(r openecs.Reader) error {
		ins, err := r.Instances(openecs.InstanceFilter{AccountID: "a1"})
		for _, in := range ins {
			seqs = append(seqs, in.Seq)
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if len(seqs) != 10_000 {
		b.Fatalf("seeded %d instances, want 10000", len(seqs))
	}
	page := func(b *testing.B, count bool, filter func(r *rand.Rand) openecs.InstanceFilter) {
		b.RunParallel(func(pb *testing.PB) {
			r := rand.New(rand.NewPCG(rand.Uint64(), 2))
			for pb.Next() {
				f := filter(r)
				if err := s.View(context.Background(), func(rd openecs.Reader) error {
					if count {
						if _, err := rd.CountInstances(f); err != nil {
							return err
						}
					}
					ins, err := rd.Instances(f)
					if err == nil && len(ins) != 10 {
						b.Errorf("page of %d rows, want 10", len(ins))
					}
					return err
				}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	keyset := func(r *rand.Rand) openecs.InstanceFilter {
		return openecs.InstanceFilter{AccountID: "a1", RegionID: "cn-hangzhou", AfterSeq: seqs[r.IntN(len(seqs)-10)], Limit: 10}
	}
	b.Run("keyset", func(b *testing.B) { page(b, false, keyset) })
	b.Run("offset", func(b *testing.B) {
		page(b, false, func(r *rand.Rand) openecs.InstanceFilter {
			return openecs.InstanceFilter{AccountID: "a1", RegionID: "cn-hangzhou", Offset: r.IntN(len(seqs)/10) * 10, Limit: 10}
		})
	})
	b.Run("keyset+count", func(b *testing.B) { page(b, true, keyset) })
}

// BenchmarkClaimDueJobs runs the scheduler's loop over a queue of 10,000
// jobs: claim the 10 that are due, finish them (delete) and enqueue 10 new
// ones at the back, all in one Update.
func BenchmarkClaimDueJobs(b *testing.B) {
	s := benchStore(b)
	const queued, batch = 10_000, 10
	ms := func(n int) time.Time { return benchBase.Add(time.Duration(n) * time.Millisecond) }
	for from := 0; from < queued; from += 1000 {
		if err := s.Update(context.Background(), func(tx openecs.Tx) error {
			for i := from; i < from+1000; i++ {
				if err := tx.InsertJob(&openecs.Job{Kind: openecs.JobTransition, Ref: "i-" + strconv.Itoa(i), DueAt: ms(i), Payload: []byte(`{"to":"Running"}`)}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	// Job i is due at i ms; its replacement at i + queued ms. Round k claims
	// the jobs due in [10k, 10k+9] ms.
	round := 0
	for b.Loop() {
		now := ms(round*batch + batch - 1)
		var claimed int
		if err := s.Update(context.Background(), func(tx openecs.Tx) error {
			jobs, err := tx.ClaimDueJobs(now, batch)
			if err != nil {
				return err
			}
			claimed = len(jobs)
			for _, j := range jobs {
				if err := tx.DeleteJob(j.ID); err != nil {
					return err
				}
				if err := tx.InsertJob(&openecs.Job{Kind: j.Kind, Ref: j.Ref, DueAt: j.DueAt.Add(queued * time.Millisecond), Payload: j.Payload}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if claimed != batch {
			b.Fatalf("round %d claimed %d jobs, want %d", round, claimed, batch)
		}
		round++
	}
}
