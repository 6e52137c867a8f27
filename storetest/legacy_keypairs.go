package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/openecs/openecs"
)

// LegacyKeyPairNames checks migration 0014 on a database made before it,
// where an instance's key pair name lived only in its JSON document: after
// the migration the KeyPairName filter finds those instances, and an update
// keeps the column and the document in step. The driver's test gives a
// database migrated to just before 0014, exec to run a statement there ($N
// placeholders), and open to open the store over it (which applies 0014).
func LegacyKeyPairNames(t *testing.T, exec func(query string, args ...any) error, open func(t *testing.T) openecs.Store) {
	t.Helper()
	for i, in := range []struct{ id, keyPair string }{{"i-kp1", "old-key"}, {"i-kp2", ""}, {"i-kp3", "old-key"}} {
		doc := `{"cpu":2,"mem":8192,"local":{"Amount":0,"Capacity":0,"Category":""},"os_name":"","os_name_en":"","os_type":"linux","host":"h","spot":"NoSpot","spot_limit":"0","sgs":["sg-1"],"ip":"172.16.0.2","eni":"eni-x","mac":"00:16:3e:00:00:01","serial":"s"`
		if in.keyPair != "" {
			doc += `,"key_pair":"` + in.keyPair + `"`
		}
		doc += `,"io_opt":true}`
		if err := exec(`INSERT INTO instances (id, account_id, region_id, zone_id, instance_type, family, image_id, name, status, charge_type, stopped_mode,
			billing_state, vpc_id, vswitch_id, security_group_id, hourly_price, created_at, version, doc)
			VALUES ($1, 'a1', 'cn-hangzhou', 'cn-hangzhou-h', 'ecs.g7.large', 'ecs.g7', 'img', $1, 'Running', 'PostPaid', 'KeepCharging', 'Normal', 'vpc-1', 'vsw-1', 'sg-1', 500000, $2, 1, $3)`,
			in.id, openecs.Millis(at(0))+int64(i), doc); err != nil {
			t.Fatalf("inserting an old instance: %v", err)
		}
	}
	s := open(t)
	defer s.Close()
	using := func() []string {
		t.Helper()
		return ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
			return r.Instances(openecs.InstanceFilter{AccountID: "a1", RegionID: "cn-hangzhou", KeyPairName: "old-key"})
		}))
	}
	if got := using(); !slices.Equal(got, []string{"i-kp1", "i-kp3"}) {
		t.Fatalf("after the migration, instances using old-key: %v, want [i-kp1 i-kp3]", got)
	}
	in := getInstance(t, s, "i-kp3")
	if in.KeyPairName != "old-key" {
		t.Fatalf("i-kp3 reads KeyPairName %q", in.KeyPairName)
	}
	in.KeyPairName = ""
	if err := s.Update(context.Background(), func(tx openecs.Tx) error { return tx.UpdateInstance(in) }); err != nil {
		t.Fatal(err)
	}
	if got := using(); !slices.Equal(got, []string{"i-kp1"}) {
		t.Fatalf("after detaching i-kp3: %v, want [i-kp1]", got)
	}
}
