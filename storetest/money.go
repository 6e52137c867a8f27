package storetest

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// wantOverflow fails the test unless err is openecs.ErrMoneyOverflow (not
// merely another InvalidParameter).
func wantOverflow(t *testing.T, what string, err error) {
	t.Helper()
	var e *openecs.Error
	if !errors.As(err, &e) || e.Message != openecs.ErrMoneyOverflow.Message {
		t.Fatalf("%s: error = %v, want openecs.ErrMoneyOverflow", what, err)
	}
}

func testMoney(t *testing.T, h harness) {
	balance := func(t *testing.T, s openecs.Store, id string) openecs.Money {
		t.Helper()
		return read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account(id) }).Balance
	}
	addErr := func(s openecs.Store, id string, delta openecs.Money) error {
		return updateErr(s, func(tx openecs.Tx) error {
			_, err := tx.AddBalance(id, delta)
			return err
		})
	}
	const most, least = openecs.Money(math.MaxInt64), openecs.Money(math.MinInt64)

	parallel(t, map[string]func(t *testing.T){
		"AddBalance refuses a sum out of range and leaves the balance": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			// Up to the top of the range, exactly.
			if got := write(t, s, func(tx openecs.Tx) (openecs.Money, error) { return tx.AddBalance("a1", most-openecs.Yuan(100)) }); got != most {
				t.Fatalf("AddBalance to the top of the range = %d, want %d", got, most)
			}
			wantOverflow(t, "AddBalance(+0.000001) at the top", addErr(s, "a1", 1))
			wantOverflow(t, "AddBalance(max) at the top", addErr(s, "a1", most))
			if b := balance(t, s, "a1"); b != most {
				t.Fatalf("balance after refused additions = %d, want %d (unchanged)", b, most)
			}
			// Down to the bottom, exactly, then one more.
			if got := write(t, s, func(tx openecs.Tx) (openecs.Money, error) { return tx.AddBalance("a1", least) }); got != -1 {
				t.Fatalf("AddBalance(min) from the top = %d, want -1", got)
			}
			if got := write(t, s, func(tx openecs.Tx) (openecs.Money, error) { return tx.AddBalance("a1", least+1) }); got != least {
				t.Fatalf("AddBalance to the bottom of the range = %d, want %d", got, least)
			}
			wantOverflow(t, "AddBalance(-0.000001) at the bottom", addErr(s, "a1", -1))
			wantOverflow(t, "AddBalance(min) at the bottom", addErr(s, "a1", least))
			if b := balance(t, s, "a1"); b != least {
				t.Fatalf("balance after refused subtractions = %d, want %d (unchanged)", b, least)
			}
		},
		"a refused AddBalance leaves the transaction usable": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			exec(t, s, func(tx openecs.Tx) error {
				if _, err := tx.AddBalance("a1", most); !errors.Is(err, openecs.ErrMoneyOverflow) {
					return errors.New("AddBalance(max) on 100.00 did not overflow")
				}
				_, err := tx.AddBalance("a1", openecs.Yuan(1))
				return err
			})
			if b := balance(t, s, "a1"); b != openecs.Yuan(101) {
				t.Fatalf("balance = %s, want 101.00", b)
			}
		},
		"AddBalance of a missing account is ErrNotFound": func(t *testing.T) {
			s := h.store(t)
			wantErr(t, "AddBalance(missing)", addErr(s, "nobody", 1), openecs.ErrNotFound)
			wantErr(t, "AddBalance(missing, max)", addErr(s, "nobody", most), openecs.ErrNotFound)
		},
		"ChargedTotal sums the account's charges only": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1", "a2", "a3")
			hour := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
			exec(t, s, func(tx openecs.Tx) error {
				for _, e := range []openecs.Event{
					{AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "i-1", Hour: hour, Amount: openecs.MustMoney("0.5")},
					{AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "i-1", Hour: hour.Add(time.Hour), Amount: openecs.MustMoney("0.25")},
					{AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "i-2", Hour: hour, Amount: 0},
					{AccountID: "a1", Kind: openecs.EventOrder, ResourceID: "o-1", Amount: openecs.Yuan(10)},
					{AccountID: "a1", Kind: openecs.EventAccountBalance, ResourceID: "a1", Amount: openecs.Yuan(-3)},
					{AccountID: "a2", Kind: openecs.EventCharge, ResourceID: "i-3", Hour: hour, Amount: openecs.MustMoney("7.000001")},
				} {
					e.At = hour
					if err := tx.AppendEvent(&e); err != nil {
						return err
					}
				}
				return nil
			})
			for id, want := range map[string]string{"a1": "0.75", "a2": "7.000001", "a3": "0", "nobody": "0"} {
				got := read(t, s, func(r openecs.Reader) (openecs.Money, error) { return r.ChargedTotal(id) })
				if got != openecs.MustMoney(want) {
					t.Errorf("ChargedTotal(%s) = %s, want %s", id, got, want)
				}
			}
		},
		"ChargedTotal out of range is ErrMoneyOverflow": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			hour := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
			exec(t, s, func(tx openecs.Tx) error {
				for i, id := range []string{"i-1", "i-2"} {
					e := openecs.Event{At: hour, AccountID: "a1", Kind: openecs.EventCharge, ResourceID: id, Hour: hour.Add(time.Duration(i) * time.Hour),
						Amount: most/2 + 1}
					if err := tx.AppendEvent(&e); err != nil {
						return err
					}
				}
				return nil
			})
			wantOverflow(t, "ChargedTotal", viewErr(s, func(r openecs.Reader) error {
				_, err := r.ChargedTotal("a1")
				return err
			}))
		},
		"ChargeHour refuses an account total out of range": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			hour := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
			for _, id := range []string{"i-1", "i-2"} {
				insertInstances(t, s, newInstance(id, "a1", func(in *openecs.Instance) {
					in.HourlyPrice, in.CreatedAt = most/2+1, hour.Add(-time.Hour)
				}))
			}
			wantOverflow(t, "ChargeHour", updateErr(s, func(tx openecs.Tx) error {
				_, err := tx.ChargeHour(hour, hour)
				return err
			}))
			evs := read(t, s, func(r openecs.Reader) ([]openecs.Event, error) {
				return r.Events(openecs.EventFilter{Kind: openecs.EventCharge})
			})
			if len(evs) != 0 {
				t.Fatalf("a refused ChargeHour left %d charge events", len(evs))
			}
		},
	})
}
