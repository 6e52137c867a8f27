package replicas

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/openecs/openecs/client"
)

// Replicas started together on an empty database agree on one schema and
// one bootstrap account.
func TestReplicasStartTogetherOnAnEmptyDatabase(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3, true)
	for i := range c.replicas {
		if _, err := runInstance(c.sdk(i, "test", "test"), ""); err != nil {
			t.Fatalf("RunInstances through replica %d with the bootstrap key: %v", i, err)
		}
	}
	created := 0
	for _, r := range c.replicas {
		if r.app.Bootstrap != nil {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d replicas created the bootstrap account, want exactly 1", created)
	}
}

// A signed request replayed to another replica is refused: the nonce window
// is shared through the database.
func TestNonceReplayedToAnotherReplicaIsRefused(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 2, false)
	rpc := &client.RPC{Endpoint: "http://" + c.replicas[0].addr, AccessKeyID: "test", AccessKeySecret: "test", RegionID: region}
	req, err := rpc.BuildRequest(context.Background(), "DescribeRegions", nil)
	must(t, err)
	send := func(addr string) *client.Response {
		t.Helper()
		u := *req.URL
		u.Host = addr
		r, err := http.Post(u.String(), "application/x-www-form-urlencoded", nil)
		must(t, err)
		defer r.Body.Close()
		body, err := io.ReadAll(r.Body)
		must(t, err)
		return client.NewResponse(r.StatusCode, body)
	}
	if r := send(c.replicas[0].addr); r.Status != 200 {
		t.Fatalf("first use: HTTP %d %s", r.Status, r.Code)
	}
	for i, addr := range []string{c.replicas[1].addr, c.replicas[0].addr} {
		if r := send(addr); r.Status != 400 || r.Code != "SignatureNonceUsed" {
			t.Fatalf("replay %d (to %s): HTTP %d %q, want 400 SignatureNonceUsed", i+1, addr, r.Status, r.Code)
		}
	}
}

// A clock advance on one replica is seen by the very next call on another,
// with no background scheduler to carry it there.
func TestClockAdvanceIsSeenByTheNextCallOnEveryReplica(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3, false)
	for round, by := range []time.Duration{48 * time.Hour, 5 * time.Minute, 240 * time.Hour} {
		from := c.replicas[round%3]
		now, err := from.admin.Advance(context.Background(), by.String())
		must(t, err)
		advanced := now.Now.Time
		for i := range c.replicas {
			// CreationTime is the replica's clock when it served the call.
			id, err := runInstance(c.sdk(i, "test", "test"), "")
			must(t, err)
			created, err := time.Parse("2006-01-02T15:04Z", describe(t, c.sdk(i, "test", "test"), id).CreationTime)
			must(t, err)
			if created.Before(advanced.Truncate(time.Minute)) {
				t.Fatalf("round %d: replica %d created an instance at %s, before the advance to %s made on another replica", round, i, created, advanced)
			}
		}
	}
}

// Two callers racing on one ClientToken through different replicas get the
// same answer, and the call takes effect once.
func TestIdempotentCallsRacingOnReplicas(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3, true)
	_, key, secret := c.account("1000")
	const tokens, racers = 8, 6
	for tok := range tokens {
		token := fmt.Sprintf("race-%d", tok)
		ids := make([]string, racers)
		errs := make([]error, racers)
		startGun := make(chan struct{})
		var wg sync.WaitGroup
		for r := range racers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl := c.sdk(r%3, key, secret)
				<-startGun
				ids[r], errs[r] = runInstance(cl, token)
			}()
		}
		close(startGun)
		wg.Wait()
		for r, err := range errs {
			if err != nil {
				t.Fatalf("token %s, racer %d: %v", token, r, err)
			}
			if ids[r] != ids[0] {
				t.Fatalf("token %s: racers got different instances %v", token, ids)
			}
		}
	}
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	resp, err := c.sdk(0, key, secret).DescribeInstances(req)
	must(t, err)
	if resp.TotalCount != tokens {
		t.Fatalf("%d instances after %d tokens raced by %d callers each, want %d", resp.TotalCount, tokens, racers, tokens)
	}
}

// An advance on one replica waits for a due job that another replica holds
// (its claim is a row lock) and answers only once that job has run.
func TestAdvanceWaitsForJobsClaimedElsewhere(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 2, false, withDelay(10*time.Second))
	cl := c.sdk(0, "test", "test")
	id, err := runInstance(cl, "")
	must(t, err)
	_, err = c.replicas[0].admin.Advance(context.Background(), "1m")
	must(t, err)
	if s := describe(t, cl, id).Status; s != "Running" {
		t.Fatalf("after RunInstances and a minute: %s, want Running", s)
	}
	must(t, stop(cl, id))

	// Another replica's claim: a transaction that holds the job's row lock.
	db := rawDB(t, c.url)
	tx, err := db.BeginTx(context.Background(), nil)
	must(t, err)
	defer tx.Rollback() //nolint:errcheck
	var jobID int64
	must(t, tx.QueryRowContext(context.Background(), `SELECT id FROM jobs WHERE ref = $1 FOR UPDATE`, id).Scan(&jobID))

	done := make(chan error, 1)
	go func() {
		_, err := c.replicas[1].admin.Advance(context.Background(), "1m")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the advance answered (%v) while the due job was still claimed by another transaction", err)
	case <-time.After(300 * time.Millisecond):
	}
	must(t, tx.Rollback()) // the claimer gives the job up unfinished
	must(t, <-done)
	if s := describe(t, c.sdk(1, "test", "test"), id).Status; s != "Stopped" {
		t.Fatalf("after the advance: %s, want Stopped", s)
	}
}

// With every replica's scheduler running, an advance through any replica
// answers only after every due transition has run, whichever replica ran it.
func TestAdvanceOnAnyReplicaRunsEveryDueJob(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 3, true, withDelay(30*time.Second))
	_, key, secret := c.account("1000")
	var ids []string
	for i := range 12 {
		id, err := runInstance(c.sdk(i%3, key, secret), "")
		must(t, err)
		ids = append(ids, id)
	}
	_, err := c.replicas[0].admin.Advance(context.Background(), "2m")
	must(t, err)
	for round := range 6 {
		want := "Stopped"
		for i, id := range ids {
			cl := c.sdk((i+round)%3, key, secret)
			if round%2 == 0 {
				must(t, stop(cl, id))
			} else {
				must(t, start(cl, id))
				want = "Running"
			}
		}
		_, err := c.replicas[round%3].admin.Advance(context.Background(), "3m")
		must(t, err)
		for i, id := range ids {
			if s := describe(t, c.sdk((i+round+1)%3, key, secret), id).Status; s != want {
				t.Fatalf("round %d: right after the advance through replica %d, %s is %s, want %s", round, round%3, id, s, want)
			}
		}
	}
}

// rawDB opens a plain connection pool on the test database.
func rawDB(t *testing.T, u string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", u)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}
