package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func testMeta(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"missing key is ErrNotFound": func(t *testing.T) {
			s := h.store(t)
			wantErr(t, "Meta(absent)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Meta("absent")
				return err
			}), openecs.ErrNotFound)
		},
		"SetMeta sets and overwrites": func(t *testing.T) {
			s := h.store(t)
			exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta("k", "one") })
			if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != "one" {
				t.Fatalf("Meta(k) = %q, want %q", got, "one")
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta("k", "two") })
			if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != "two" {
				t.Fatalf("Meta(k) after overwrite = %q, want %q", got, "two")
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta("k", "") })
			if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != "" {
				t.Fatalf("Meta(k) after setting it empty = %q, want \"\"", got)
			}
		},
		"CompareAndSetMeta": func(t *testing.T) {
			s := h.store(t)
			cas := func(key, old, value string) bool {
				t.Helper()
				return write(t, s, func(tx openecs.Tx) (bool, error) { return tx.CompareAndSetMeta(key, old, value) })
			}
			meta := func(key string) (string, error) {
				var v string
				err := viewErr(s, func(r openecs.Reader) error {
					var err error
					v, err = r.Meta(key)
					return err
				})
				return v, err
			}
			// An absent key matches only old == "".
			if cas("k", "something", "v1") {
				t.Fatal(`CompareAndSetMeta(absent, "something", "v1") = true, want false`)
			}
			if _, err := meta("k"); !errors.Is(err, openecs.ErrNotFound) {
				t.Fatalf("Meta(k) after a failed CAS on an absent key: error = %v, want ErrNotFound", err)
			}
			if !cas("k", "", "v1") {
				t.Fatal(`CompareAndSetMeta(absent, "", "v1") = false, want true`)
			}
			if v, err := meta("k"); err != nil || v != "v1" {
				t.Fatalf("Meta(k) = %q, %v; want %q", v, err, "v1")
			}
			// A present key no longer matches "".
			if cas("k", "", "v2") {
				t.Fatal(`CompareAndSetMeta(present, "", "v2") = true, want false`)
			}
			if cas("k", "wrong", "v2") {
				t.Fatal(`CompareAndSetMeta(k, "wrong", "v2") = true, want false`)
			}
			if v, _ := meta("k"); v != "v1" {
				t.Fatalf("Meta(k) after failed CAS = %q, want %q", v, "v1")
			}
			if !cas("k", "v1", "v2") {
				t.Fatal(`CompareAndSetMeta(k, "v1", "v2") = false, want true`)
			}
			if v, _ := meta("k"); v != "v2" {
				t.Fatalf("Meta(k) = %q, want %q", v, "v2")
			}
			// Other keys are untouched.
			if _, err := meta("other"); !errors.Is(err, openecs.ErrNotFound) {
				t.Fatalf("Meta(other): error = %v, want ErrNotFound", err)
			}
		},
	})
}

func testAccounts(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"round-trip every field": func(t *testing.T) {
			s := h.store(t)
			want := &openecs.Account{
				ID: "1234567890123456", Name: "QA team", Balance: openecs.MustMoney("-12.345678"),
				InArrears: true, ArrearsAt: at(time.Hour), CreatedAt: at(-time.Hour), EconomicalMode: true,
				UnauthorizedInstanceTypes: []string{"ecs.g7.large", "ecs.c7.xlarge"},
				UnauthorizedRegions:       []string{"cn-beijing"},
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertAccount(want) })
			got := read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account(want.ID) })
			checkDiff(t, "Account", got, want)
		},
		"missing is ErrNotFound": func(t *testing.T) {
			s := h.store(t)
			wantErr(t, "Account(missing)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Account("missing")
				return err
			}), openecs.ErrNotFound)
			wantErr(t, "UpdateAccount(missing)", updateErr(s, func(tx openecs.Tx) error {
				return tx.UpdateAccount(newAccount("missing"))
			}), openecs.ErrNotFound)
			wantErr(t, "AddBalance(missing)", updateErr(s, func(tx openecs.Tx) error {
				_, err := tx.AddBalance("missing", openecs.Yuan(1))
				return err
			}), openecs.ErrNotFound)
		},
		"duplicate id is ErrConflict": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			wantErr(t, "InsertAccount(duplicate)", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertAccount(newAccount("a1"))
			}), openecs.ErrConflict)
		},
		"Accounts lists every account by creation": func(t *testing.T) {
			s := h.store(t)
			if got := read(t, s, func(r openecs.Reader) ([]*openecs.Account, error) { return r.Accounts() }); len(got) != 0 {
				t.Fatalf("Accounts() on an empty store returned %d accounts", len(got))
			}
			exec(t, s, func(tx openecs.Tx) error {
				for i, id := range []string{"c", "a", "b"} {
					a := newAccount(id)
					a.CreatedAt = at(time.Duration(i) * time.Minute)
					if err := tx.InsertAccount(a); err != nil {
						return err
					}
				}
				return nil
			})
			got := read(t, s, func(r openecs.Reader) ([]*openecs.Account, error) { return r.Accounts() })
			var gotIDs []string
			for _, a := range got {
				gotIDs = append(gotIDs, a.ID)
			}
			if want := []string{"c", "a", "b"}; !slices.Equal(gotIDs, want) {
				t.Fatalf("Accounts() = %v, want %v (creation order)", gotIDs, want)
			}
		},
		"UpdateAccount writes every mutable field": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1", "a2")
			want := &openecs.Account{
				ID: "a1", Name: "renamed", Balance: openecs.MustMoney("-0.000001"), InArrears: true, ArrearsAt: at(3 * time.Hour),
				CreatedAt: base, EconomicalMode: true, UnauthorizedInstanceTypes: []string{"ecs.t6"}, UnauthorizedRegions: []string{"cn-qingdao", "cn-zhangjiakou"},
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateAccount(want) })
			checkDiff(t, "updated account", read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a1") }), want)
			checkDiff(t, "untouched account", read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a2") }), newAccount("a2"))

			// And back: settings and flags can be cleared.
			cleared := newAccount("a1")
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateAccount(cleared) })
			checkDiff(t, "cleared account", read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a1") }), cleared)
		},
		"AddBalance is exact and may go negative": func(t *testing.T) {
			s := h.store(t)
			a := newAccount("a1")
			a.Balance = openecs.MustMoney("0.1")
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertAccount(a) })
			steps := []struct {
				delta, want string
			}{
				{"0.2", "0.3"}, // the classic float trap: 0.1 + 0.2 must be exactly 0.3
				{"-0.300001", "-0.000001"},
				{"-1000000", "-1000000.000001"},
				{"1000000.000001", "0"},
				{"999999999999.999999", "999999999999.999999"},
				{"-999999999999.999999", "0"},
			}
			for _, st := range steps {
				got := write(t, s, func(tx openecs.Tx) (openecs.Money, error) { return tx.AddBalance("a1", openecs.MustMoney(st.delta)) })
				if want := openecs.MustMoney(st.want); got != want {
					t.Fatalf("AddBalance(%s) returned %s, want %s", st.delta, got, want)
				}
				stored := read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a1") }).Balance
				if want := openecs.MustMoney(st.want); stored != want {
					t.Fatalf("balance after AddBalance(%s) = %s, want %s", st.delta, stored, want)
				}
			}
			// Many micro-yuan add up exactly.
			exec(t, s, func(tx openecs.Tx) error {
				for range 1000 {
					if _, err := tx.AddBalance("a1", openecs.MustMoney("0.000001")); err != nil {
						return err
					}
				}
				return nil
			})
			if got, want := read(t, s, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a1") }).Balance, openecs.MustMoney("0.001"); got != want {
				t.Fatalf("balance after 1000 × 0.000001 = %s, want %s", got, want)
			}
		},
	})
}

func testAccessKeys(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"AllowedActions nil, empty and listed are kept apart": func(t *testing.T) {
			s := h.store(t)
			keys := []*openecs.AccessKey{
				{ID: "LTAIall", AccountID: "a1", Secret: "s1", AllowedActions: nil, CreatedAt: base},
				{ID: "LTAInone", AccountID: "a1", Secret: "s2", AllowedActions: []string{}, CreatedAt: base},
				{ID: "LTAIsome", AccountID: "a1", Secret: "s3", AllowedActions: []string{"DescribeInstances", "StartInstance"}, CreatedAt: base},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, k := range keys {
					if err := tx.InsertAccessKey(k); err != nil {
						return err
					}
				}
				return nil
			})
			for _, want := range keys {
				got := read(t, s, func(r openecs.Reader) (*openecs.AccessKey, error) { return r.AccessKey(want.ID) })
				checkDiff(t, "AccessKey "+want.ID, got, want)
				if (got.AllowedActions == nil) != (want.AllowedActions == nil) {
					t.Fatalf("AccessKey %s: AllowedActions = %#v, want %#v (nil means every action, empty means none)", want.ID, got.AllowedActions, want.AllowedActions)
				}
			}
			all := read(t, s, func(r openecs.Reader) (*openecs.AccessKey, error) { return r.AccessKey("LTAIall") })
			none := read(t, s, func(r openecs.Reader) (*openecs.AccessKey, error) { return r.AccessKey("LTAInone") })
			if !all.Allows("RunInstances") || none.Allows("RunInstances") {
				t.Fatalf("Allows(RunInstances): unrestricted key %v, empty allow-list %v; want true, false", all.Allows("RunInstances"), none.Allows("RunInstances"))
			}
		},
		"STS token and expiry round-trip": func(t *testing.T) {
			s := h.store(t)
			want := &openecs.AccessKey{ID: "STS.Nabc", AccountID: "a1", Secret: "sts-secret", SecurityToken: "CAIS/token+with=chars==",
				ExpiresAt: at(time.Hour), CreatedAt: at(time.Second)}
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertAccessKey(want) })
			got := read(t, s, func(r openecs.Reader) (*openecs.AccessKey, error) { return r.AccessKey(want.ID) })
			checkDiff(t, "STS key", got, want)
			if got.AllowedActions != nil {
				t.Fatalf("STS key AllowedActions = %#v, want nil", got.AllowedActions)
			}
		},
		"missing is ErrNotFound, duplicate is ErrConflict": func(t *testing.T) {
			s := h.store(t)
			wantErr(t, "AccessKey(missing)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.AccessKey("LTAImissing")
				return err
			}), openecs.ErrNotFound)
			k := &openecs.AccessKey{ID: "LTAIdup", AccountID: "a1", Secret: "s", CreatedAt: base}
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertAccessKey(k) })
			wantErr(t, "InsertAccessKey(duplicate)", updateErr(s, func(tx openecs.Tx) error { return tx.InsertAccessKey(k) }), openecs.ErrConflict)
		},
	})
}
