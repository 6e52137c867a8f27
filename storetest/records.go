package storetest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// newDisk returns a disk of the instance created minutes after base.
func newDisk(id, instanceID string, typ openecs.DiskType, minutes int) *openecs.Disk {
	return &openecs.Disk{ID: id, InstanceID: instanceID, AccountID: "a1", Type: typ, Category: "cloud_essd", SizeGiB: 40,
		Status: openecs.DiskInUse, CreatedAt: at(time.Duration(minutes) * time.Minute)}
}

func testDisks(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"insert, read, list and update": func(t *testing.T) {
			s := h.store(t)
			data := &openecs.Disk{ID: "d-data", InstanceID: "i-1", AccountID: "a1", Type: openecs.DiskData, Category: "cloud_essd", SizeGiB: 500,
				Status: openecs.DiskInUse, Encrypted: true, KMSKeyID: "key-123", InArrears: true, Failed: true, CreatedAt: at(time.Minute)}
			sys := newDisk("d-sys", "i-1", openecs.DiskSystem, 0)
			local := newDisk("d-local", "i-1", openecs.DiskLocal, 2)
			otherInstance := newDisk("d-other", "i-2", openecs.DiskSystem, 0)
			exec(t, s, func(tx openecs.Tx) error {
				for _, d := range []*openecs.Disk{local, data, otherInstance, sys} {
					if err := tx.InsertDisk(d); err != nil {
						return err
					}
				}
				return nil
			})
			checkDiff(t, "Disk(d-data)", read(t, s, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk("d-data") }), data)

			list := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.Disks("i-1") })
			var got []string
			for _, d := range list {
				got = append(got, d.ID)
			}
			if want := []string{"d-sys", "d-data", "d-local"}; !slices.Equal(got, want) {
				t.Fatalf("Disks(i-1) = %v, want %v (creation order)", got, want)
			}
			checkDiff(t, "Disks(i-1)[1]", &list[1], data)

			if none := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.Disks("i-none") }); len(none) != 0 {
				t.Fatalf("Disks(instance without disks) = %v, want none", none)
			}

			updated := *sys
			updated.Status, updated.Encrypted, updated.KMSKeyID, updated.InArrears, updated.Failed = "Error", true, "key-9", true, true
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateDisk(&updated) })
			checkDiff(t, "Disk after UpdateDisk", read(t, s, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk("d-sys") }), &updated)
			back := updated
			back.Status, back.Encrypted, back.KMSKeyID, back.InArrears, back.Failed = openecs.DiskInUse, false, "", false, false
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateDisk(&back) })
			checkDiff(t, "Disk after clearing", read(t, s, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk("d-sys") }), &back)
			checkDiff(t, "other disk", read(t, s, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk("d-data") }), data)
		},
		"missing is ErrNotFound, duplicate is ErrConflict": func(t *testing.T) {
			s := h.store(t)
			d := newDisk("d-1", "i-1", openecs.DiskSystem, 0)
			wantErr(t, "Disk(missing)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Disk("d-1")
				return err
			}), openecs.ErrNotFound)
			wantErr(t, "UpdateDisk(missing)", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateDisk(d) }), openecs.ErrNotFound)
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertDisk(d) })
			wantErr(t, "InsertDisk(duplicate)", updateErr(s, func(tx openecs.Tx) error { return tx.InsertDisk(d) }), openecs.ErrConflict)
		},
	})
}

func testIdempotency(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"put and get, scoped to account and action": func(t *testing.T) {
			s := h.store(t)
			recs := []*openecs.IdempotencyRecord{
				{AccountID: "a1", Action: "RunInstances", Token: "tok", ParamsHash: "h1", Response: []byte(`{"InstanceIdSets":{"InstanceIdSet":["i-1"]}}`), CreatedAt: base},
				{AccountID: "a1", Action: "StartInstance", Token: "tok", ParamsHash: "h2", Response: []byte(`{"RequestId":"X"}`), CreatedAt: at(time.Second)},
				{AccountID: "a2", Action: "RunInstances", Token: "tok", ParamsHash: "h3", Response: []byte(`{}`), CreatedAt: at(2 * time.Second)},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, r := range recs {
					if err := tx.PutIdempotency(r); err != nil {
						return err
					}
				}
				return nil
			})
			for _, want := range recs {
				got := read(t, s, func(r openecs.Reader) (*openecs.IdempotencyRecord, error) {
					return r.Idempotency(want.AccountID, want.Action, want.Token)
				})
				checkDiff(t, "IdempotencyRecord "+want.AccountID+"/"+want.Action, got, want)
			}
			wantErr(t, "Idempotency(other token)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Idempotency("a1", "RunInstances", "other")
				return err
			}), openecs.ErrNotFound)
			wantErr(t, "PutIdempotency(same account, action and token)", updateErr(s, func(tx openecs.Tx) error {
				return tx.PutIdempotency(&openecs.IdempotencyRecord{AccountID: "a1", Action: "RunInstances", Token: "tok", ParamsHash: "h9", Response: []byte(`{}`), CreatedAt: base})
			}), openecs.ErrConflict)
			if got := read(t, s, func(r openecs.Reader) (*openecs.IdempotencyRecord, error) {
				return r.Idempotency("a1", "RunInstances", "tok")
			}); got.ParamsHash != "h1" {
				t.Fatalf("a rejected duplicate replaced the record: ParamsHash = %q, want h1", got.ParamsHash)
			}
		},
	})
}

func testEvents(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"AppendEvent ids increase and every field round-trips": func(t *testing.T) {
			s := h.store(t)
			first := &openecs.Event{At: base, AccountID: "a1", Kind: openecs.EventInstanceStatus, ResourceID: "i-1", Hour: at(time.Hour),
				Amount: openecs.MustMoney("-3.141593"), Cause: "StopInstance",
				Data: map[string]any{
					"from": "Running", "to": "Stopped", "n": float64(3), "ratio": 0.25, "forced": true, "none": nil,
					"list": []any{"a", float64(1)}, "nested": map[string]any{"k": "v", "deep": map[string]any{"x": false}},
					"text": "quotes \" and 中文 and \\ backslash",
				}}
			second := &openecs.Event{At: at(time.Second), AccountID: "a1", Kind: openecs.EventOrder, ResourceID: "o-1", Cause: "RunInstances"}
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.AppendEvent(first); err != nil {
					return err
				}
				return tx.AppendEvent(second)
			})
			third := &openecs.Event{At: at(2 * time.Second), Kind: openecs.EventClockAdvanced, Cause: "admin"}
			exec(t, s, func(tx openecs.Tx) error { return tx.AppendEvent(third) })
			if first.ID <= 0 || second.ID <= first.ID || third.ID <= second.ID {
				t.Fatalf("event ids = %d, %d, %d; want positive and increasing", first.ID, second.ID, third.ID)
			}
			got := read(t, s, func(r openecs.Reader) ([]openecs.Event, error) { return r.Events(openecs.EventFilter{}) })
			if len(got) != 3 {
				t.Fatalf("Events() returned %d events, want 3", len(got))
			}
			for i, want := range []*openecs.Event{first, second, third} {
				checkDiff(t, "event "+strconv.Itoa(i), &got[i], want)
			}
		},
		"Events filters": func(t *testing.T) {
			s := h.store(t)
			type ev struct {
				account  string
				kind     openecs.EventKind
				resource string
			}
			evs := []ev{
				{"a1", openecs.EventInstanceCreated, "i-1"},
				{"a2", openecs.EventInstanceCreated, "i-2"},
				{"a1", openecs.EventInstanceStatus, "i-1"},
				{"a1", openecs.EventCharge, "i-1"},
				{"a2", openecs.EventInstanceStatus, "i-2"},
				{"", openecs.EventClockAdvanced, ""},
				{"a1", openecs.EventInstanceStatus, "i-3"},
			}
			appended := make([]int64, len(evs))
			exec(t, s, func(tx openecs.Tx) error {
				for i, e := range evs {
					x := &openecs.Event{At: at(time.Duration(i) * time.Second), AccountID: e.account, Kind: e.kind, ResourceID: e.resource, Hour: at(time.Hour)}
					if err := tx.AppendEvent(x); err != nil {
						return err
					}
					appended[i] = x.ID
				}
				return nil
			})
			// idx turns positions in evs into the ids AppendEvent gave.
			idx := func(is ...int) []int64 {
				var out []int64
				for _, i := range is {
					out = append(out, appended[i])
				}
				return out
			}
			cases := []struct {
				name string
				f    openecs.EventFilter
				want []int64
			}{
				{"none", openecs.EventFilter{}, idx(0, 1, 2, 3, 4, 5, 6)},
				{"After", openecs.EventFilter{After: appended[3]}, idx(4, 5, 6)},
				{"After the last", openecs.EventFilter{After: appended[6]}, nil},
				{"AccountID", openecs.EventFilter{AccountID: "a2"}, idx(1, 4)},
				{"Kind", openecs.EventFilter{Kind: openecs.EventInstanceStatus}, idx(2, 4, 6)},
				{"ResourceID", openecs.EventFilter{ResourceID: "i-1"}, idx(0, 2, 3)},
				{"Limit", openecs.EventFilter{Limit: 2}, idx(0, 1)},
				{"After and Limit", openecs.EventFilter{After: appended[1], Limit: 2}, idx(2, 3)},
				{"all together", openecs.EventFilter{After: appended[0], AccountID: "a1", Kind: openecs.EventInstanceStatus, ResourceID: "i-3", Limit: 5}, idx(6)},
			}
			for _, c := range cases {
				got := read(t, s, func(r openecs.Reader) ([]openecs.Event, error) { return r.Events(c.f) })
				var gotIDs []int64
				for _, e := range got {
					gotIDs = append(gotIDs, e.ID)
				}
				if !slices.Equal(gotIDs, c.want) {
					t.Fatalf("%s: Events(%+v) = ids %v, want %v", c.name, c.f, gotIDs, c.want)
				}
			}
		},
	})
}

func testOrders(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"insert and list newest first, per account": func(t *testing.T) {
			s := h.store(t)
			orders := []*openecs.Order{
				{ID: "200000000000001", AccountID: "a1", Kind: "instance.buy", Amount: openecs.MustMoney("1.234567"), CreatedAt: base, Resources: []string{"i-1", "i-2"}},
				{ID: "200000000000002", AccountID: "a1", Kind: "instance.renew", Amount: openecs.MustMoney("99.99"), CreatedAt: at(time.Hour), Resources: []string{"i-1"}},
				{ID: "200000000000003", AccountID: "a2", Kind: "reserved.buy", Amount: openecs.Yuan(1000), CreatedAt: at(2 * time.Hour), Resources: []string{"ecsri-1"}},
				{ID: "200000000000004", AccountID: "a1", Kind: "reserved.renew", Amount: openecs.MustMoney("0.000001"), CreatedAt: at(3 * time.Hour), Resources: []string{"ecsri-2"}},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, o := range orders {
					if err := tx.InsertOrder(o); err != nil {
						return err
					}
				}
				return nil
			})
			got := read(t, s, func(r openecs.Reader) ([]openecs.Order, error) { return r.Orders("a1", 10) })
			if len(got) != 3 {
				t.Fatalf("Orders(a1) returned %d orders, want 3", len(got))
			}
			for i, want := range []*openecs.Order{orders[3], orders[1], orders[0]} {
				checkDiff(t, "Orders(a1)["+strconv.Itoa(i)+"]", &got[i], want)
			}
			limited := read(t, s, func(r openecs.Reader) ([]openecs.Order, error) { return r.Orders("a1", 2) })
			if len(limited) != 2 || limited[0].ID != orders[3].ID || limited[1].ID != orders[1].ID {
				t.Fatalf("Orders(a1, 2) = %v, want the two newest", limited)
			}
			if none := read(t, s, func(r openecs.Reader) ([]openecs.Order, error) { return r.Orders("a3", 10) }); len(none) != 0 {
				t.Fatalf("Orders(account without orders) = %v, want none", none)
			}
			wantErr(t, "InsertOrder(duplicate)", updateErr(s, func(tx openecs.Tx) error { return tx.InsertOrder(orders[0]) }), openecs.ErrConflict)
		},
	})
}
