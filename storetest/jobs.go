package storetest

import (
	"bytes"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func testJobs(t *testing.T, h harness) {
	// insertJobs stores jobs due at the given offsets from base and returns
	// them with their ids.
	insertJobs := func(t *testing.T, s openecs.Store, dues ...time.Duration) []*openecs.Job {
		t.Helper()
		jobs := make([]*openecs.Job, len(dues))
		for i, d := range dues {
			jobs[i] = &openecs.Job{Kind: openecs.JobTransition, Ref: "i-" + strconv.Itoa(i), DueAt: at(d),
				Payload: []byte(`{"to":"Running","n":` + strconv.Itoa(i) + `}`), Attempts: i % 3}
		}
		exec(t, s, func(tx openecs.Tx) error {
			for _, j := range jobs {
				if err := tx.InsertJob(j); err != nil {
					return err
				}
			}
			return nil
		})
		return jobs
	}
	claim := func(t *testing.T, s openecs.Store, now time.Time, limit int) []openecs.Job {
		t.Helper()
		return write(t, s, func(tx openecs.Tx) ([]openecs.Job, error) { return tx.ClaimDueJobs(now, limit) })
	}
	jobIDs := func(jobs []openecs.Job) []int64 {
		var out []int64
		for _, j := range jobs {
			out = append(out, j.ID)
		}
		return out
	}
	nextDue := func(t *testing.T, s openecs.Store) (time.Time, bool) {
		t.Helper()
		var due time.Time
		var ok bool
		if err := viewErr(s, func(r openecs.Reader) error {
			var err error
			due, ok, err = r.NextJobDue()
			return err
		}); err != nil {
			t.Fatalf("NextJobDue: %v", err)
		}
		return due, ok
	}
	count := func(t *testing.T, s openecs.Store) int {
		t.Helper()
		return read(t, s, func(r openecs.Reader) (int, error) { return r.JobCount() })
	}

	parallel(t, map[string]func(t *testing.T){
		"empty queue": func(t *testing.T) {
			s := h.store(t)
			if due, ok := nextDue(t, s); ok {
				t.Fatalf("NextJobDue on an empty queue = %v, true; want false", due)
			}
			if n := count(t, s); n != 0 {
				t.Fatalf("JobCount on an empty queue = %d, want 0", n)
			}
			if got := claim(t, s, at(time.Hour), 10); len(got) != 0 {
				t.Fatalf("ClaimDueJobs on an empty queue = %v, want none", got)
			}
		},
		"InsertJob, NextJobDue and ClaimDueJobs": func(t *testing.T) {
			s := h.store(t)
			jobs := insertJobs(t, s, 3*time.Minute, time.Minute, time.Minute, 10*time.Minute, 5*time.Minute)
			for i := 1; i < len(jobs); i++ {
				if jobs[i].ID <= jobs[i-1].ID {
					t.Fatalf("InsertJob ids are not increasing: %d then %d", jobs[i-1].ID, jobs[i].ID)
				}
			}
			if due, ok := nextDue(t, s); !ok || !due.Equal(at(time.Minute)) {
				t.Fatalf("NextJobDue = %v, %v; want %v, true", due, ok, at(time.Minute))
			}
			if n := count(t, s); n != 5 {
				t.Fatalf("JobCount = %d, want 5", n)
			}

			// Due at or before now, by (due, id); a job due exactly now is due.
			got := claim(t, s, at(5*time.Minute), 10)
			want := []*openecs.Job{jobs[1], jobs[2], jobs[0], jobs[4]}
			if len(got) != len(want) {
				t.Fatalf("ClaimDueJobs(+5m, 10) = ids %v, want %d jobs", jobIDs(got), len(want))
			}
			for i, w := range want {
				checkDiff(t, "claimed job", &got[i], w)
				if !bytes.Equal(got[i].Payload, w.Payload) {
					t.Fatalf("claimed job %d payload = %q, want %q", w.ID, got[i].Payload, w.Payload)
				}
			}
			if got := claim(t, s, at(5*time.Minute), 2); !slices.Equal(jobIDs(got), []int64{jobs[1].ID, jobs[2].ID}) {
				t.Fatalf("ClaimDueJobs(+5m, 2) = ids %v, want %v", jobIDs(got), []int64{jobs[1].ID, jobs[2].ID})
			}
			if got := claim(t, s, at(time.Minute-time.Millisecond), 10); len(got) != 0 {
				t.Fatalf("ClaimDueJobs before anything is due = ids %v, want none", jobIDs(got))
			}
			// A claim by itself removes nothing.
			if n := count(t, s); n != 5 {
				t.Fatalf("JobCount after claims without deletes = %d, want 5", n)
			}
		},
		"DeleteJob and RescheduleJob": func(t *testing.T) {
			s := h.store(t)
			jobs := insertJobs(t, s, 3*time.Minute, time.Minute, time.Minute, 10*time.Minute)
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteJob(jobs[1].ID) })
			if n := count(t, s); n != 3 {
				t.Fatalf("JobCount after DeleteJob = %d, want 3", n)
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.RescheduleJob(jobs[2].ID, at(20*time.Minute), 7) })
			if due, ok := nextDue(t, s); !ok || !due.Equal(at(3*time.Minute)) {
				t.Fatalf("NextJobDue after moving the earliest job = %v, %v; want %v, true", due, ok, at(3*time.Minute))
			}
			got := claim(t, s, at(time.Hour), 10)
			if want := []int64{jobs[0].ID, jobs[3].ID, jobs[2].ID}; !slices.Equal(jobIDs(got), want) {
				t.Fatalf("ClaimDueJobs after reschedule = ids %v, want %v", jobIDs(got), want)
			}
			if moved := got[2]; !moved.DueAt.Equal(at(20*time.Minute)) || moved.Attempts != 7 {
				t.Fatalf("rescheduled job: DueAt %v, Attempts %d; want %v, 7", moved.DueAt, moved.Attempts, at(20*time.Minute))
			}
			wantErr(t, "RescheduleJob(missing)", updateErr(s, func(tx openecs.Tx) error {
				return tx.RescheduleJob(jobs[1].ID, at(time.Hour), 1)
			}), openecs.ErrNotFound)
			exec(t, s, func(tx openecs.Tx) error {
				for _, j := range []*openecs.Job{jobs[0], jobs[2], jobs[3]} {
					if err := tx.DeleteJob(j.ID); err != nil {
						return err
					}
				}
				return nil
			})
			if _, ok := nextDue(t, s); ok {
				t.Fatal("NextJobDue after deleting every job reports a job")
			}
			if n := count(t, s); n != 0 {
				t.Fatalf("JobCount after deleting every job = %d, want 0", n)
			}
		},
		"an empty payload round-trips as empty": func(t *testing.T) {
			s := h.store(t)
			j := &openecs.Job{Kind: openecs.JobRelease, Ref: "i-1", DueAt: base}
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertJob(j) })
			got := claim(t, s, base, 1)
			if len(got) != 1 || len(got[0].Payload) != 0 || got[0].Kind != openecs.JobRelease || got[0].Ref != "i-1" {
				t.Fatalf("claimed %+v, want the release job with an empty payload", got)
			}
		},
		"a failed update releases its claims": func(t *testing.T) {
			s := h.store(t)
			jobs := insertJobs(t, s, 0, time.Second)
			err := updateErr(s, func(tx openecs.Tx) error {
				got, err := tx.ClaimDueJobs(at(time.Minute), 10)
				if err != nil {
					return err
				}
				for _, j := range got {
					if err := tx.DeleteJob(j.ID); err != nil {
						return err
					}
				}
				return errBoom
			})
			wantErr(t, "Update that claims and fails", err, errBoom)
			if got := claim(t, s, at(time.Minute), 10); !slices.Equal(jobIDs(got), []int64{jobs[0].ID, jobs[1].ID}) {
				t.Fatalf("ClaimDueJobs after a failed claimer = ids %v, want both jobs again", jobIDs(got))
			}
		},
		"concurrent claimers never get the same job": func(t *testing.T) {
			db := h.database(t)
			stores := []openecs.Store{openOn(t, db), openOn(t, db)} // two replicas
			const n = 60
			dues := make([]time.Duration, n)
			for i := range dues {
				dues[i] = time.Duration(i) * time.Millisecond
			}
			insertJobs(t, stores[0], dues...)

			var mu sync.Mutex
			seen := map[int64]int{}
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := stores[w%len(stores)]
					for range n {
						var mine []int64
						err := updateErr(s, func(tx openecs.Tx) error {
							mine = nil // the fn may run again
							got, err := tx.ClaimDueJobs(at(time.Hour), 5)
							if err != nil {
								return err
							}
							for _, j := range got {
								if err := tx.DeleteJob(j.ID); err != nil {
									return err
								}
								mine = append(mine, j.ID)
							}
							return nil
						})
						if err != nil {
							errs <- err
							return
						}
						if len(mine) == 0 {
							return
						}
						mu.Lock()
						for _, id := range mine {
							seen[id]++
						}
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("claimer: %v", err)
			}
			if len(seen) != n {
				t.Fatalf("claimers finished %d distinct jobs, want %d", len(seen), n)
			}
			for id, c := range seen {
				if c != 1 {
					t.Fatalf("job %d was claimed and finished %d times, want once", id, c)
				}
			}
			if c := count(t, stores[1]); c != 0 {
				t.Fatalf("JobCount after the claimers = %d, want 0", c)
			}
		},
	})
}
