package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// testControls covers the failure-case controls: quotas, spot prices with
// their history, and KMS keys.
func testControls(t *testing.T, h harness) {
	quotas := func(t *testing.T, s openecs.Store, account, region string) []openecs.Quota {
		t.Helper()
		return read(t, s, func(r openecs.Reader) ([]openecs.Quota, error) { return r.Quotas(account, region) })
	}
	parallel(t, map[string]func(t *testing.T){
		"quotas: put, replace, list and delete": func(t *testing.T) {
			s := h.store(t)
			if got := quotas(t, s, "", ""); len(got) != 0 {
				t.Fatalf("Quotas on an empty store = %v, want none", got)
			}
			in := []openecs.Quota{
				{AccountID: "a2", RegionID: "cn-hangzhou", Kind: openecs.QuotaVCPUs, Scope: "cn-hangzhou-h", Limit: 8, UpdatedAt: base},
				{AccountID: "a1", RegionID: "cn-shanghai", Kind: openecs.QuotaInstances, Scope: "ecs.g7.large", Limit: 0, UpdatedAt: at(time.Second)},
				{AccountID: "a1", RegionID: "cn-hangzhou", Kind: openecs.QuotaVCPUs, Scope: "cn-hangzhou-i", Limit: 16, UpdatedAt: at(2 * time.Second)},
				{AccountID: "a1", RegionID: "cn-hangzhou", Kind: openecs.QuotaInstances, Scope: "ecs.g7.large", Limit: 3, UpdatedAt: at(3 * time.Second)},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, q := range in {
					if err := tx.PutQuota(q); err != nil {
						return err
					}
				}
				return nil
			})
			all := quotas(t, s, "", "")
			if len(all) != 4 {
				t.Fatalf("Quotas(all) returned %d, want 4", len(all))
			}
			// Ordered by account, region, kind, scope.
			checkDiff(t, "Quotas[0]", all[0], in[3])
			checkDiff(t, "Quotas[1]", all[1], in[2])
			checkDiff(t, "Quotas[2]", all[2], in[1])
			checkDiff(t, "Quotas[3]", all[3], in[0])
			if got := quotas(t, s, "a1", ""); len(got) != 3 {
				t.Fatalf("Quotas(a1) = %v, want 3", got)
			}
			if got := quotas(t, s, "a1", "cn-hangzhou"); len(got) != 2 {
				t.Fatalf("Quotas(a1, cn-hangzhou) = %v, want 2", got)
			}
			if got := quotas(t, s, "", "cn-hangzhou"); len(got) != 3 {
				t.Fatalf("Quotas(any, cn-hangzhou) = %v, want 3", got)
			}

			replaced := in[3]
			replaced.Limit, replaced.UpdatedAt = 5, at(time.Minute)
			exec(t, s, func(tx openecs.Tx) error { return tx.PutQuota(replaced) })
			got := quotas(t, s, "a1", "cn-hangzhou")
			checkDiff(t, "replaced quota", got[0], replaced)

			exec(t, s, func(tx openecs.Tx) error {
				return tx.DeleteQuota("a1", "cn-hangzhou", openecs.QuotaInstances, "ecs.g7.large")
			})
			if got := quotas(t, s, "a1", "cn-hangzhou"); len(got) != 1 || got[0].Kind != openecs.QuotaVCPUs {
				t.Fatalf("after DeleteQuota: %v", got)
			}
			err := updateErr(s, func(tx openecs.Tx) error {
				return tx.DeleteQuota("a1", "cn-hangzhou", openecs.QuotaInstances, "ecs.g7.large")
			})
			wantErr(t, "DeleteQuota of a missing quota", err, openecs.ErrNotFound)
		},
		"spot prices: current, list and history": func(t *testing.T) {
			s := h.store(t)
			err := viewErr(s, func(r openecs.Reader) error { _, err := r.SpotPrice("z1", "t1"); return err })
			wantErr(t, "SpotPrice never set", err, openecs.ErrNotFound)
			puts := []openecs.SpotPrice{
				{ZoneID: "z1", InstanceType: "t1", Price: openecs.MustMoney("0.05"), At: base},
				{ZoneID: "z2", InstanceType: "t1", Price: openecs.MustMoney("0.9"), At: at(time.Minute)},
				{ZoneID: "z1", InstanceType: "t1", Price: openecs.MustMoney("0.0626"), At: at(time.Hour)},
				{ZoneID: "z1", InstanceType: "t2", Price: openecs.MustMoney("1.5"), At: at(2 * time.Hour)},
				{ZoneID: "z1", InstanceType: "t1", Price: openecs.MustMoney("0.123456"), At: at(3 * time.Hour)},
			}
			for _, p := range puts {
				exec(t, s, func(tx openecs.Tx) error { return tx.PutSpotPrice(p) })
			}
			cur := read(t, s, func(r openecs.Reader) (*openecs.SpotPrice, error) { return r.SpotPrice("z1", "t1") })
			checkDiff(t, "SpotPrice(z1, t1)", cur, &puts[4])
			list := read(t, s, func(r openecs.Reader) ([]openecs.SpotPrice, error) { return r.SpotPrices() })
			if len(list) != 3 {
				t.Fatalf("SpotPrices = %v, want 3 (one per zone/type)", list)
			}
			checkDiff(t, "SpotPrices[0]", list[0], puts[4])
			checkDiff(t, "SpotPrices[1]", list[1], puts[3])
			checkDiff(t, "SpotPrices[2]", list[2], puts[1])

			hist := func(zone, itype string, since time.Time, limit int) []openecs.SpotPrice {
				t.Helper()
				return read(t, s, func(r openecs.Reader) ([]openecs.SpotPrice, error) {
					return r.SpotPriceHistory(zone, itype, since, limit)
				})
			}
			h1 := hist("z1", "t1", time.Time{}, 0)
			if len(h1) != 3 {
				t.Fatalf("history of z1/t1 = %v, want 3 entries", h1)
			}
			for i, j := range []int{0, 2, 4} {
				checkDiff(t, "history entry", h1[i], puts[j])
			}
			if got := hist("z1", "t1", at(time.Hour), 0); len(got) != 2 || got[0].Price != puts[2].Price {
				t.Fatalf("history since an hour = %v, want the last 2 (inclusive)", got)
			}
			if got := hist("z1", "t1", time.Time{}, 1); len(got) != 1 || got[0].Price != puts[0].Price {
				t.Fatalf("history limited to 1 = %v, want the oldest", got)
			}
			if got := hist("", "t1", time.Time{}, 0); len(got) != 4 {
				t.Fatalf("history of t1 in any zone = %d entries, want 4", len(got))
			}
			if got := hist("", "", time.Time{}, 0); len(got) != 5 {
				t.Fatalf("whole history = %d entries, want 5", len(got))
			}
		},
		"kms keys: put, replace, list and delete": func(t *testing.T) {
			s := h.store(t)
			err := viewErr(s, func(r openecs.Reader) error { _, err := r.KMSKey("key-1"); return err })
			wantErr(t, "KMSKey missing", err, openecs.ErrNotFound)
			k1 := &openecs.KMSKey{ID: "key-1", State: openecs.KMSEnabled, ECSAuthorized: true, CreatedAt: base, UpdatedAt: base}
			k0 := &openecs.KMSKey{ID: "key-0", State: openecs.KMSPendingDeletion, ECSAuthorized: false, AccountID: "a1", CreatedAt: at(time.Second), UpdatedAt: at(time.Minute)}
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.PutKMSKey(k1); err != nil {
					return err
				}
				return tx.PutKMSKey(k0)
			})
			checkDiff(t, "KMSKey(key-0)", read(t, s, func(r openecs.Reader) (*openecs.KMSKey, error) { return r.KMSKey("key-0") }), k0)
			list := read(t, s, func(r openecs.Reader) ([]openecs.KMSKey, error) { return r.KMSKeys() })
			if len(list) != 2 || list[0].ID != "key-0" || list[1].ID != "key-1" {
				t.Fatalf("KMSKeys = %v, want key-0, key-1", list)
			}
			changed := *k1
			changed.State, changed.ECSAuthorized, changed.AccountID, changed.UpdatedAt = openecs.KMSDisabled, false, "a2", at(time.Hour)
			exec(t, s, func(tx openecs.Tx) error { return tx.PutKMSKey(&changed) })
			checkDiff(t, "replaced key", read(t, s, func(r openecs.Reader) (*openecs.KMSKey, error) { return r.KMSKey("key-1") }), &changed)
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteKMSKey("key-1") })
			err = viewErr(s, func(r openecs.Reader) error { _, err := r.KMSKey("key-1"); return err })
			wantErr(t, "KMSKey after DeleteKMSKey", err, openecs.ErrNotFound)
			wantErr(t, "DeleteKMSKey of a missing key", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteKMSKey("key-1") }), openecs.ErrNotFound)
		},
		"controls roll back with their transaction and survive a restart": func(t *testing.T) {
			open := h.database(t)
			s := openOn(t, open)
			boom := errors.New("boom")
			err := updateErr(s, func(tx openecs.Tx) error {
				if err := tx.PutQuota(openecs.Quota{AccountID: "a1", RegionID: "r", Kind: openecs.QuotaVCPUs, Scope: "z", Limit: 1, UpdatedAt: base}); err != nil {
					return err
				}
				if err := tx.PutSpotPrice(openecs.SpotPrice{ZoneID: "z", InstanceType: "t", Price: 1, At: base}); err != nil {
					return err
				}
				if err := tx.PutKMSKey(&openecs.KMSKey{ID: "k", State: openecs.KMSEnabled, CreatedAt: base, UpdatedAt: base}); err != nil {
					return err
				}
				return boom
			})
			wantErr(t, "failed Update", err, boom)
			if got := quotas(t, s, "", ""); len(got) != 0 {
				t.Fatalf("a rolled-back quota is visible: %v", got)
			}
			if got := read(t, s, func(r openecs.Reader) ([]openecs.SpotPrice, error) { return r.SpotPriceHistory("", "", time.Time{}, 0) }); len(got) != 0 {
				t.Fatalf("a rolled-back spot price is visible: %v", got)
			}
			if got := read(t, s, func(r openecs.Reader) ([]openecs.KMSKey, error) { return r.KMSKeys() }); len(got) != 0 {
				t.Fatalf("a rolled-back key is visible: %v", got)
			}

			q := openecs.Quota{AccountID: "a1", RegionID: "r", Kind: openecs.QuotaInstances, Scope: "t", Limit: 2, UpdatedAt: base}
			p := openecs.SpotPrice{ZoneID: "z", InstanceType: "t", Price: openecs.MustMoney("0.5"), At: base}
			k := &openecs.KMSKey{ID: "k", State: openecs.KMSDisabled, ECSAuthorized: true, CreatedAt: base, UpdatedAt: base}
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.PutQuota(q); err != nil {
					return err
				}
				if err := tx.PutSpotPrice(p); err != nil {
					return err
				}
				return tx.PutKMSKey(k)
			})
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2 := openOn(t, open)
			if got := quotas(t, s2, "a1", "r"); len(got) != 1 {
				t.Fatalf("quotas after a restart: %v", got)
			} else {
				checkDiff(t, "quota after a restart", got[0], q)
			}
			checkDiff(t, "spot price after a restart", read(t, s2, func(r openecs.Reader) (*openecs.SpotPrice, error) { return r.SpotPrice("z", "t") }), &p)
			checkDiff(t, "key after a restart", read(t, s2, func(r openecs.Reader) (*openecs.KMSKey, error) { return r.KMSKey("k") }), k)
		},
	})
}
