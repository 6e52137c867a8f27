package storetest

import (
	"testing"

	"github.com/openecs/openecs"
)

func newKeyPair(id, account, name string, opts ...func(*openecs.KeyPair)) *openecs.KeyPair {
	k := &openecs.KeyPair{ID: id, AccountID: account, RegionID: "cn-hangzhou", Name: name,
		FingerPrint: "fp-" + name, PublicKey: "ssh-ed25519 AAAA" + name, CreatedAt: base}
	for _, o := range opts {
		o(k)
	}
	return k
}

func keyPairNames(ks []*openecs.KeyPair) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.Name)
	}
	return out
}

// SSH key pairs: by account, region and name; unique names; the filters of
// DescribeKeyPairs; tags that go with the key pair; and the instances that
// use one (the KeyPairName instance filter, which follows updates).
func testKeyPairs(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"insert, read back, unique name, delete": func(t *testing.T) {
			s := h.store(t)
			k := newKeyPair("skp-1", "a1", "web", func(k *openecs.KeyPair) { k.ResourceGroupID = "rg-1" })
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertKeyPair(k) })
			if k.Seq == 0 {
				t.Fatal("InsertKeyPair did not set Seq")
			}
			got := read(t, s, func(r openecs.Reader) (*openecs.KeyPair, error) { return r.KeyPair("a1", "cn-hangzhou", "web") })
			checkDiff(t, "key pair read back", got, k)
			for what, other := range map[string][2]string{"another account": {"a2", "cn-hangzhou"}, "another region": {"a1", "cn-beijing"}} {
				wantErr(t, what, updateErr(s, func(tx openecs.Tx) error {
					_, err := tx.KeyPair(other[0], other[1], "web")
					return err
				}), openecs.ErrNotFound)
			}
			wantErr(t, "the same name again", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertKeyPair(newKeyPair("skp-2", "a1", "web"))
			}), openecs.ErrConflict)
			// The same name is free in another account and another region.
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertKeyPair(newKeyPair("skp-3", "a2", "web")) },
				func(tx openecs.Tx) error {
					return tx.InsertKeyPair(newKeyPair("skp-4", "a1", "web", func(k *openecs.KeyPair) { k.RegionID = "cn-beijing" }))
				})
			insert(t, s, func(tx openecs.Tx) error {
				return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagKeyPair, ResourceID: "skp-1", AccountID: "a1", RegionID: "cn-hangzhou", Key: "env", Value: "prod"})
			})
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteKeyPair("skp-1") })
			wantErr(t, "a deleted key pair", updateErr(s, func(tx openecs.Tx) error {
				_, err := tx.KeyPair("a1", "cn-hangzhou", "web")
				return err
			}), openecs.ErrNotFound)
			tags := read(t, s, func(r openecs.Reader) ([]openecs.Tag, error) { return r.ResourceTags(openecs.TagKeyPair, "skp-1") })
			if len(tags) != 0 {
				t.Fatalf("a deleted key pair's tags remain: %v", tags)
			}
			wantErr(t, "deleting it again", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteKeyPair("skp-1") }), openecs.ErrNotFound)
			// The name is free again.
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertKeyPair(newKeyPair("skp-5", "a1", "web")) })
		},
		"filters, count and paging": func(t *testing.T) {
			s := h.store(t)
			insert(t, s,
				func(tx openecs.Tx) error { return tx.InsertKeyPair(newKeyPair("skp-1", "a1", "web-1")) },
				func(tx openecs.Tx) error {
					return tx.InsertKeyPair(newKeyPair("skp-2", "a1", "web_2", func(k *openecs.KeyPair) { k.ResourceGroupID = "rg-1" }))
				},
				func(tx openecs.Tx) error { return tx.InsertKeyPair(newKeyPair("skp-3", "a1", "db")) },
				func(tx openecs.Tx) error { return tx.InsertKeyPair(newKeyPair("skp-4", "a2", "web-9")) },
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagKeyPair, ResourceID: "skp-3", AccountID: "a1", RegionID: "cn-hangzhou", Key: "env", Value: "prod"})
				})
			list := func(f openecs.KeyPairFilter) []string {
				t.Helper()
				f.AccountID = "a1"
				return keyPairNames(read(t, s, func(r openecs.Reader) ([]*openecs.KeyPair, error) { return r.KeyPairs(f) }))
			}
			wantIDs(t, "all, oldest first", list(openecs.KeyPairFilter{}), []string{"web-1", "web_2", "db"})
			wantIDs(t, "web*", list(openecs.KeyPairFilter{NamePattern: "web*"}), []string{"web-1", "web_2"})
			wantIDs(t, "_ is literal", list(openecs.KeyPairFilter{NamePattern: "web_*"}), []string{"web_2"})
			wantIDs(t, "*EB* is case-sensitive", list(openecs.KeyPairFilter{NamePattern: "*EB*"}), nil)
			wantIDs(t, "exact name", list(openecs.KeyPairFilter{NamePattern: "db"}), []string{"db"})
			wantIDs(t, "names", list(openecs.KeyPairFilter{Names: []string{"db", "web-1", "nope"}}), []string{"web-1", "db"})
			wantIDs(t, "no names", list(openecs.KeyPairFilter{Names: []string{}}), nil)
			wantIDs(t, "fingerprint", list(openecs.KeyPairFilter{FingerPrint: "fp-db"}), []string{"db"})
			wantIDs(t, "resource group", list(openecs.KeyPairFilter{ResourceGroupID: "rg-1"}), []string{"web_2"})
			wantIDs(t, "tag", list(openecs.KeyPairFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}}}), []string{"db"})
			wantIDs(t, "tag key only", list(openecs.KeyPairFilter{Tags: []openecs.Tag{{Key: "env"}}}), []string{"db"})
			wantIDs(t, "tag value differs", list(openecs.KeyPairFilter{Tags: []openecs.Tag{{Key: "env", Value: "dev"}}}), nil)
			wantIDs(t, "page 2 of 2", list(openecs.KeyPairFilter{Offset: 2, Limit: 2}), []string{"db"})
			wantIDs(t, "offset without limit", list(openecs.KeyPairFilter{Offset: 1}), []string{"web_2", "db"})
			n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountKeyPairs(openecs.KeyPairFilter{AccountID: "a1", Offset: 2, Limit: 1})
			})
			if n != 3 {
				t.Fatalf("CountKeyPairs = %d, want 3 (Offset and Limit ignored)", n)
			}
		},
		"instances that use a key pair": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			insertInstances(t, s,
				newInstance("i-1", "a1", func(in *openecs.Instance) { in.KeyPairName = "web" }),
				newInstance("i-2", "a1"),
				newInstance("i-3", "a2", func(in *openecs.Instance) { in.KeyPairName = "web" }))
			using := func(account, name string) []string {
				t.Helper()
				return ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
					return r.Instances(openecs.InstanceFilter{AccountID: account, KeyPairName: name})
				}))
			}
			wantIDs(t, "a1 using web", using("a1", "web"), []string{"i-1"})
			in := getInstance(t, s, "i-2")
			in.KeyPairName = "web"
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(in) })
			wantIDs(t, "after attaching to i-2", using("a1", "web"), []string{"i-1", "i-2"})
			in = getInstance(t, s, "i-1")
			in.KeyPairName = ""
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(in) })
			wantIDs(t, "after detaching from i-1", using("a1", "web"), []string{"i-2"})
			n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountInstances(openecs.InstanceFilter{AccountID: "a1", RegionID: "cn-hangzhou", KeyPairName: "web"})
			})
			if n != 1 {
				t.Fatalf("CountInstances(KeyPairName) = %d, want 1", n)
			}
		},
	})
}
