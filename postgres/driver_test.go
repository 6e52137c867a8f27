package postgres_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/postgres/pgtest"
	"github.com/openecs/openecs/sqlstore"
)

func TestTranslate(t *testing.T) {
	t.Parallel()
	pg := func(code string) error { return fmt.Errorf("query: %w", &pgconn.PgError{Code: code, Message: "x"}) }
	cases := []struct {
		name      string
		err       error
		want      error // nil: passed through unchanged
		retryable bool
	}{
		{"unique violation", pg("23505"), openecs.ErrConflict, false},
		{"serialization failure", pg("40001"), openecs.ErrConflict, true},
		{"deadlock", pg("40P01"), openecs.ErrConflict, true},
		{"statement timeout", pg("57014"), openecs.ErrUnavailable, false},
		{"admin shutdown", pg("57P01"), openecs.ErrUnavailable, false},
		{"starting up", pg("57P03"), openecs.ErrUnavailable, false},
		{"too many connections", pg("53300"), openecs.ErrUnavailable, false},
		{"connection failure", pg("08006"), openecs.ErrUnavailable, false},
		{"read-only standby", pg("25006"), openecs.ErrUnavailable, false},
		{"connection lost", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), openecs.ErrUnavailable, false},
		{"bad connection", driver.ErrBadConn, openecs.ErrUnavailable, false},
		{"closed pool", errors.New("sql: database is closed"), openecs.ErrUnavailable, false},
		{"bigint out of range", pg("22003"), openecs.ErrMoneyOverflow, false},
		{"syntax error", pg("42601"), nil, false},
		{"other", errors.New("something else"), nil, false},
	}
	d := postgres.Dialect{}
	for _, c := range cases {
		got := d.Translate(c.err)
		if c.want == nil {
			if got != c.err {
				t.Errorf("%s: Translate = %v, want it unchanged", c.name, got)
			}
		} else if !errors.Is(got, c.want) {
			t.Errorf("%s: Translate = %v, want %v", c.name, got, c.want)
		}
		if d.Retryable(c.err) != c.retryable || d.Retryable(got) != c.retryable {
			t.Errorf("%s: Retryable = %v (translated: %v), want %v", c.name, d.Retryable(c.err), d.Retryable(got), c.retryable)
		}
	}
	if d.Translate(nil) != nil {
		t.Error("Translate(nil) != nil")
	}
}

// Two replicas race on one ClientToken: both find no record and act; the
// one that commits second hits ErrConflict on the token's key, and its
// effect is rolled back. Run again (service.update does so on ErrConflict),
// its fn finds the first answer. The call took effect once.
func TestIdempotencyRaceLoserGetsTheFirstAnswer(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := open(t, url), open(t, url)
	defer a.Close()
	defer b.Close()
	must(t, a.Update(context.Background(), func(tx openecs.Tx) error { return tx.InsertAccount(testAccount("acct")) }))

	// call is what service.idempotent does inside a caller's transaction:
	// look the token up; if absent, act (create an instance) and record the
	// answer. read is signalled after the lookup; the fn then waits for go.
	call := func(instanceID string, read chan<- bool, goAhead <-chan struct{}) func(tx openecs.Tx) (string, error) {
		return func(tx openecs.Tx) (string, error) {
			rec, err := tx.Idempotency("acct", "RunInstances", "tok")
			if err == nil {
				return string(rec.Response), nil
			}
			if !errors.Is(err, openecs.ErrNotFound) {
				return "", err
			}
			if read != nil {
				read <- true
				<-goAhead
			}
			if err := tx.InsertInstance(testInstance(instanceID)); err != nil {
				return "", err
			}
			return instanceID, tx.PutIdempotency(&openecs.IdempotencyRecord{AccountID: "acct", Action: "RunInstances", Token: "tok",
				ParamsHash: "h", Response: []byte(instanceID), CreatedAt: time.Now()})
		}
	}
	update := func(s openecs.Store, fn func(tx openecs.Tx) (string, error)) (string, error) {
		var out string
		err := s.Update(context.Background(), func(tx openecs.Tx) error {
			var err error
			out, err = fn(tx)
			return err
		})
		return out, err
	}

	readA, readB := make(chan bool, 1), make(chan bool, 1)
	goA, goB := make(chan struct{}), make(chan struct{})
	doneA, doneB := make(chan struct{}), make(chan struct{})
	var answerA, answerB string
	var errA, errB error
	go func() { defer close(doneA); answerA, errA = update(a, call("i-first", readA, goA)) }()
	go func() { defer close(doneB); answerB, errB = update(b, call("i-second", readB, goB)) }()
	<-readA
	<-readB // both looked the token up before either wrote
	close(goA)
	<-doneA // the first commits
	close(goB)
	<-doneB
	if errA != nil || answerA != "i-first" {
		t.Fatalf("first call = %q, %v; want i-first", answerA, errA)
	}
	if !errors.Is(errB, openecs.ErrConflict) {
		t.Fatalf("second call = %q, %v; want ErrConflict", answerB, errB)
	}
	again, err := update(b, call("i-second", nil, nil))
	if err != nil || again != "i-first" {
		t.Fatalf("second call run again = %q, %v; want the first answer i-first", again, err)
	}
	n := 0
	must(t, b.View(context.Background(), func(r openecs.Reader) error {
		var err error
		n, err = r.CountInstances(openecs.InstanceFilter{})
		return err
	}))
	if n != 1 {
		t.Fatalf("%d instances after two racing calls with one token, want 1", n)
	}
}

// The shared nonce store: a nonce used through one replica is refused
// through another until it expires; expired ones are pruned; each use
// is the one store every replica checks against.
func TestNonces(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := open(t, url), open(t, url)
	defer a.Close()
	defer b.Close()
	ctx := context.Background()
	na, nb := a.Nonces().(*postgres.Nonces), b.Nonces().(*postgres.Nonces)

	now := time.Now()
	long := now.Add(-openecs.TimestampWindow - time.Second) // its window has ended
	use := func(n *postgres.Nonces, key, nonce string, signedAt time.Time) bool {
		t.Helper()
		fresh, err := n.Use(ctx, key, nonce, signedAt)
		must(t, err)
		return fresh
	}
	if !use(na, "key", "n1", now) {
		t.Fatal("a new nonce was not fresh")
	}
	if use(nb, "key", "n1", now) || use(na, "key", "n1", now) {
		t.Fatal("a used nonce was fresh again")
	}
	if !use(nb, "key", "n2", now) || !use(na, "other", "n1", now) {
		t.Fatal("another nonce, or the same nonce of another key, was not fresh")
	}
	// An expired entry no longer blocks its nonce, pruned or not.
	if !use(na, "key", "old", long) || !use(nb, "key", "old", now) {
		t.Fatal("an expired nonce was not fresh again")
	}
	if !use(na, "key", "gone", long) {
		t.Fatal("a new nonce was not fresh")
	}
	pruned, err := na.Prune(ctx, time.Now())
	must(t, err)
	if pruned != 1 {
		t.Fatalf("Prune removed %d nonces, want 1 (the expired one)", pruned)
	}

	// Many replicas, one nonce, at once: exactly one wins.
	const racers = 16
	var wins sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for i := range racers {
		wins.Add(1)
		go func() {
			defer wins.Done()
			n := na
			if i%2 == 1 {
				n = nb
			}
			ok, err := n.Use(ctx, "key", "raced", now)
			if err != nil {
				t.Errorf("Use: %v", err)
				return
			}
			if ok {
				mu.Lock()
				fresh++
				mu.Unlock()
			}
		}()
	}
	wins.Wait()
	if fresh != 1 {
		t.Fatalf("%d of %d racing uses of one nonce were fresh, want 1", fresh, racers)
	}
}

// A store whose server does not answer gives ErrUnavailable within the
// query timeout, never a hang.
func TestUnreachableServerIsUnavailable(t *testing.T) {
	t.Parallel()
	s, err := postgres.Open(context.Background(), postgres.Options{URL: "postgres://nobody@127.0.0.1:1/none", ConnectTimeout: time.Second})
	if err == nil {
		s.Close()
		t.Fatal("Open on a closed port succeeded")
	}
	if !errors.Is(err, openecs.ErrUnavailable) {
		t.Fatalf("Open on a closed port: %v, want ErrUnavailable", err)
	}
}

func testAccount(id string) *openecs.Account {
	return &openecs.Account{ID: id, Name: id, Balance: openecs.Yuan(100), CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
}

func testInstance(id string) *openecs.Instance {
	in := benchInstance(id)
	in.AccountID = "acct"
	return in
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The clock fence: an advance commits only after the write transactions
// that read the old offset, and a write that starts meanwhile runs with the
// new offset.
func TestClockFence(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := open(t, url), open(t, url)
	defer a.Close()
	defer b.Close()
	ctx := context.Background()
	// offset is how far a transaction's Now is ahead of the wall clock.
	offset := func(tx openecs.Tx) time.Duration { return time.Until(tx.Now()).Round(time.Minute) }

	// w1 reads the old offset and stays open until released.
	in, release, w1 := make(chan time.Duration, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		w1 <- a.Update(ctx, func(tx openecs.Tx) error {
			select {
			case in <- offset(tx):
			default:
			}
			<-release
			return tx.SetMeta("w1", "done")
		})
	}()
	if off := <-in; off != 0 {
		t.Fatalf("w1 ran with offset %s, want 0", off)
	}

	// Another replica advances the clock by an hour.
	advanced := make(chan error, 1)
	go func() {
		advanced <- b.Update(ctx, func(tx openecs.Tx) error {
			return tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(time.Hour))
		})
	}()
	waitForLockWaiters(t, a, 1) // the advance waits for w1

	// A write that starts while the advance waits.
	w2Offset, w2 := make(chan time.Duration, 8), make(chan error, 1)
	go func() {
		w2 <- a.Update(ctx, func(tx openecs.Tx) error {
			w2Offset <- offset(tx)
			return tx.SetMeta("w2", "done")
		})
	}()
	select {
	case err := <-advanced:
		t.Fatalf("the advance committed (%v) while a transaction that read the old offset was open", err)
	case off := <-w2Offset:
		t.Fatalf("a write ran (with offset %s) while an advance was waiting", off)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	must(t, <-w1)
	must(t, <-advanced)
	must(t, <-w2)
	var last time.Duration
	for len(w2Offset) > 0 {
		last = <-w2Offset
	}
	if last != time.Hour {
		t.Fatalf("the write that waited for the advance ran with offset %s, want 1h", last)
	}
}

// waitForLockWaiters waits until n transactions wait for this schema's clock
// fence.
func waitForLockWaiters(t *testing.T, s *sqlstore.Store, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting int
		must(t, s.Write().QueryRowContext(context.Background(), `SELECT count(*) FROM pg_locks
			WHERE locktype = 'advisory' AND NOT granted AND classid = 1869636979
			  AND objid = (hashtext(current_schema())::bigint & 4294967295)::oid`).Scan(&waiting))
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions wait for the clock fence, want %d", waiting, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Advances made at the same moment through two replicas both take effect:
// they meet on the clock fence (a deadlock PostgreSQL breaks) and the loser
// runs again on the winner's offset.
func TestConcurrentAdvancesBothTakeEffect(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	url := pgtest.NewDatabase(t)
	stores := []*sqlstore.Store{open(t, url), open(t, url), open(t, url)}
	for _, s := range stores {
		defer s.Close()
	}
	// advance is what service.AdvanceClock does in its transaction.
	advance := func(s *sqlstore.Store) error {
		return s.Update(context.Background(), func(tx openecs.Tx) error {
			cur := int64(0)
			if v, err := tx.Meta(openecs.MetaClockOffset); err == nil {
				if cur, err = strconv.ParseInt(v, 10, 64); err != nil {
					return err
				}
			} else if !errors.Is(err, openecs.ErrNotFound) {
				return err
			}
			return tx.SetMeta(openecs.MetaClockOffset, strconv.FormatInt(cur+3_600_000, 10))
		})
	}
	const rounds = 4
	errs := make(chan error, rounds*len(stores))
	var wg sync.WaitGroup
	for range rounds {
		for _, s := range stores {
			wg.Add(1)
			go func() { defer wg.Done(); errs <- advance(s) }()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	var got string
	must(t, stores[0].View(context.Background(), func(r openecs.Reader) error {
		var err error
		got, err = r.Meta(openecs.MetaClockOffset)
		return err
	}))
	if want := strconv.Itoa(rounds * len(stores) * 3_600_000); got != want {
		t.Fatalf("offset after %d concurrent one-hour advances = %s ms, want %s", rounds*len(stores), got, want)
	}
}
