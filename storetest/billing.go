package storetest

import (
	"maps"
	"strconv"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func testChargeHour(t *testing.T, h harness) {
	hour := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
	charge := func(t *testing.T, s openecs.Store, hour, when time.Time) map[string]openecs.Money {
		t.Helper()
		return write(t, s, func(tx openecs.Tx) (map[string]openecs.Money, error) { return tx.ChargeHour(hour, when) })
	}
	charges := func(t *testing.T, s openecs.Store) []openecs.Event {
		t.Helper()
		return read(t, s, func(r openecs.Reader) ([]openecs.Event, error) {
			return r.Events(openecs.EventFilter{Kind: openecs.EventCharge, Limit: 1000})
		})
	}
	checkTotals := func(t *testing.T, what string, got map[string]openecs.Money, want map[string]string) {
		t.Helper()
		w := map[string]openecs.Money{}
		for a, m := range want {
			w[a] = openecs.MustMoney(m)
		}
		if !maps.Equal(got, w) {
			t.Fatalf("%s: totals = %v, want %v", what, got, w)
		}
	}

	parallel(t, map[string]func(t *testing.T){
		"charges exactly the billable instance-hours, once": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1", "a2", "a3")
			type inst struct {
				id, account, price string
				created            time.Duration // relative to hour
				mod                func(*openecs.Instance)
				billed             bool // in the first hour
			}
			status := func(st openecs.Status, mode openecs.StoppedMode) func(*openecs.Instance) {
				return func(in *openecs.Instance) { in.Status, in.StoppedMode = st, mode }
			}
			billing := func(b openecs.BillingState) func(*openecs.Instance) {
				return func(in *openecs.Instance) { in.BillingState = b }
			}
			rows := []inst{
				{"i-running", "a1", "0.5", -time.Hour, nil, true},
				{"i-prepaid", "a1", "9", -time.Hour, func(in *openecs.Instance) { in.ChargeType = openecs.PrePaid }, false},
				{"i-expired", "a1", "9", -time.Hour, billing(openecs.BillingExpired), false},
				{"i-imgexpired", "a1", "9", -time.Hour, billing(openecs.BillingImageExpired), false},
				{"i-bothexpired", "a1", "9", -time.Hour, billing(openecs.BillingEcsAndImageExpired), false},
				{"i-stopfree", "a1", "9", -time.Hour, status(openecs.StatusStopped, openecs.StopCharging), false},
				{"i-stopkeep", "a1", "0.25", -time.Hour, status(openecs.StatusStopped, openecs.KeepCharging), true},
				{"i-starting", "a1", "0.333333", -time.Hour, status(openecs.StatusStarting, openecs.NotApplicable), true},
				{"i-pending", "a1", "0.333333", -time.Hour, status(openecs.StatusPending, openecs.NotApplicable), true},
				{"i-edge", "a1", "0.000001", -time.Millisecond, nil, true},
				{"i-athour", "a1", "0.1", 0, nil, false},
				{"i-later", "a1", "0.2", 10 * time.Minute, nil, false},
				{"i-covered", "a1", "0.7", -time.Hour, nil, false},
				{"i-a2", "a2", "1.1", -2 * time.Hour, nil, true},
				{"i-a2b", "a2", "2.2", -time.Hour, nil, true},
				{"i-a2stopping", "a2", "0.4", -time.Hour, status(openecs.StatusStopping, openecs.NotApplicable), true},
				{"i-a3covered", "a3", "5", -time.Hour, nil, false},
			}
			price := map[string]openecs.Money{}
			for _, r := range rows {
				in := newInstance(r.id, r.account, func(in *openecs.Instance) {
					in.HourlyPrice, in.CreatedAt = openecs.MustMoney(r.price), hour.Add(r.created)
				})
				if r.mod != nil {
					r.mod(in)
				}
				insertInstances(t, s, in)
				price[r.id] = in.HourlyPrice
			}
			// Reserved-instance coverage: the caller charged these at zero
			// for the hour before ChargeHour ran.
			exec(t, s, func(tx openecs.Tx) error {
				for _, c := range []struct{ id, account string }{{"i-covered", "a1"}, {"i-a3covered", "a3"}} {
					if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: c.account, Kind: openecs.EventCharge, ResourceID: c.id, Hour: hour, Amount: 0, Cause: "reserved"}); err != nil {
						return err
					}
				}
				return nil
			})

			when := hour.Add(30 * time.Second)
			want := map[string]string{"a1": "1.416667", "a2": "3.7", "a3": "0"}
			checkTotals(t, "first ChargeHour", charge(t, s, hour, when), want)

			evs := charges(t, s)
			byID := map[string]openecs.Event{}
			for _, e := range evs {
				if _, dup := byID[e.ResourceID]; dup {
					t.Fatalf("two charge events for %s in hour %v", e.ResourceID, hour)
				}
				byID[e.ResourceID] = e
			}
			for _, r := range rows {
				e, ok := byID[r.id]
				covered := r.id == "i-covered" || r.id == "i-a3covered"
				switch {
				case covered:
					if !ok || e.Amount != 0 {
						t.Fatalf("%s was covered at zero; its charge event is %+v, want one with amount 0", r.id, e)
					}
				case r.billed && !ok:
					t.Fatalf("%s is billable but was not charged", r.id)
				case !r.billed && ok:
					t.Fatalf("%s is not billable but was charged: %+v", r.id, e)
				case r.billed:
					if e.Amount != price[r.id] || e.AccountID != r.account || !e.Hour.Equal(hour) || !e.At.Equal(when) {
						t.Fatalf("charge event for %s = amount %s, account %q, hour %v, at %v; want %s, %q, %v, %v",
							r.id, e.Amount, e.AccountID, e.Hour, e.At, price[r.id], r.account, hour, when)
					}
				}
			}

			// The same hour again charges nothing more and answers the same.
			checkTotals(t, "second ChargeHour for the same hour", charge(t, s, hour, when.Add(time.Minute)), want)
			if again := charges(t, s); len(again) != len(evs) {
				t.Fatalf("a second ChargeHour for the same hour added %d charge events", len(again)-len(evs))
			}

			// The next hour charges everything billable, including the
			// instances created during the first one and the covered ones.
			next := hour.Add(time.Hour)
			checkTotals(t, "ChargeHour for the next hour", charge(t, s, next, next), map[string]string{"a1": "2.416667", "a2": "3.7", "a3": "5"})

			// ChargeHour never touches balances.
			for _, a := range []string{"a1", "a2", "a3"} {
				if b := read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account(a) }).Balance; b != openecs.Yuan(100) {
					t.Fatalf("balance of %s after ChargeHour = %s, want 100.00 (untouched)", a, b)
				}
			}
		},
		"an empty hour charges nothing": func(t *testing.T) {
			s := h.store(t)
			insertInstances(t, s, newInstance("i-future", "a1", func(in *openecs.Instance) { in.CreatedAt = hour.Add(time.Hour) }))
			checkTotals(t, "ChargeHour with nothing billable", charge(t, s, hour, hour), map[string]string{})
		},
		"many instances sum exactly": func(t *testing.T) {
			s := h.store(t)
			var ins []*openecs.Instance
			for i := range 300 {
				ins = append(ins, newInstance("i-"+strconv.Itoa(i), "a1", func(in *openecs.Instance) {
					in.HourlyPrice, in.CreatedAt = openecs.MustMoney("0.333333"), hour.Add(-time.Hour)
				}))
			}
			insertInstances(t, s, ins...)
			checkTotals(t, "ChargeHour over 300 instances", charge(t, s, hour, hour), map[string]string{"a1": "99.9999"})
		},
		"a second charge event for the same instance and hour is ErrConflict": func(t *testing.T) {
			s := h.store(t)
			ev := func(kind openecs.EventKind, h time.Time) *openecs.Event {
				return &openecs.Event{At: h, AccountID: "a1", Kind: kind, ResourceID: "i-1", Hour: h, Amount: openecs.MustMoney("0.5")}
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.AppendEvent(ev(openecs.EventCharge, hour)) })
			wantErr(t, "AppendEvent(second charge, same hour)", updateErr(s, func(tx openecs.Tx) error {
				return tx.AppendEvent(ev(openecs.EventCharge, hour))
			}), openecs.ErrConflict)
			// Another hour, or another kind of event, is fine.
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.AppendEvent(ev(openecs.EventCharge, hour.Add(time.Hour))); err != nil {
					return err
				}
				if err := tx.AppendEvent(ev(openecs.EventOrder, hour)); err != nil {
					return err
				}
				return tx.AppendEvent(ev(openecs.EventOrder, hour))
			})
		},
	})
}
