package storetest

import (
	"context"
	"testing"

	"github.com/openecs/openecs"
)

// LegacyNetworks checks migration 0005 on a database made before it: the
// old per-zone `networks` rows (one VPC and security group per account and
// region, one vSwitch per zone, a host cursor) and instances in them. The
// driver's test gives a database migrated to just before 0005, exec to run
// a statement there ($N placeholders), and open to open the store over it
// (which applies the rest). Afterwards the default networks are ordinary
// rows, every instance has its primary interface with its address, and the
// next address is the one the old code would have handed out. The database
// is also from before 0015: the filter columns it adds are filled from the
// instances' documents.
func LegacyNetworks(t *testing.T, exec func(query string, args ...any) error, open func(t *testing.T) openecs.Store) {
	t.Helper()
	type net struct{ account, zone, region, vpc, vsw, sg, cidr string }
	nets := []struct {
		net
		next int
	}{
		{net{"a1", "cn-hangzhou-h", "cn-hangzhou", "vpc-old1", "vsw-old1h", "sg-old1", "172.16.0.0/16"}, 300},
		{net{"a1", "cn-hangzhou-i", "cn-hangzhou", "vpc-old1", "vsw-old1i", "sg-old1", "172.17.0.0/16"}, 1},
		{net{"a2", "cn-hangzhou-h", "cn-hangzhou", "vpc-old2", "vsw-old2h", "sg-old2", "172.16.0.0/16"}, 2},
	}
	for _, n := range nets {
		if err := exec(`INSERT INTO networks (account_id, zone_id, region_id, vpc_id, vswitch_id, security_group_id, cidr, next_host) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			n.account, n.zone, n.region, n.vpc, n.vsw, n.sg, n.cidr, n.next); err != nil {
			t.Fatalf("inserting an old network: %v", err)
		}
	}
	instances := []struct{ id, account, zone, vpc, vsw, sg, ip, eni, mac string }{
		{"i-old1", "a1", "cn-hangzhou-h", "vpc-old1", "vsw-old1h", "sg-old1", "172.16.0.2", "eni-old1", "00:16:3e:00:00:01"},
		{"i-old2", "a1", "cn-hangzhou-h", "vpc-old1", "vsw-old1h", "sg-old1", "172.16.1.50", "eni-old2", "00:16:3e:00:00:02"},
		{"i-old3", "a2", "cn-hangzhou-h", "vpc-old2", "vsw-old2h", "sg-old2", "172.16.0.2", "eni-old3", "00:16:3e:00:00:03"},
	}
	for i, in := range instances {
		doc := `{"cpu":2,"mem":8192,"local":{"Amount":0,"Capacity":0,"Category":""},"os_name":"","os_name_en":"","os_type":"linux","host":"h","spot":"NoSpot","spot_limit":"0","sgs":["` +
			in.sg + `"],"ip":"` + in.ip + `","eni":"` + in.eni + `","mac":"` + in.mac + `","serial":"s","io_opt":true`
		if i == 1 { // one with a public address and a resource group (migration 0015)
			doc += `,"public_ip":"47.0.0.2","rg":"rg-old"`
		}
		doc += `}`
		if err := exec(`INSERT INTO instances (id, account_id, region_id, zone_id, instance_type, family, image_id, name, status, charge_type, stopped_mode,
			billing_state, vpc_id, vswitch_id, security_group_id, hourly_price, created_at, version, doc)
			VALUES ($1, $2, 'cn-hangzhou', $3, 'ecs.g7.large', 'ecs.g7', 'img', $1, 'Running', 'PostPaid', 'KeepCharging', 'Normal', $4, $5, $6, 500000, $7, 1, $8)`,
			in.id, in.account, in.zone, in.vpc, in.vsw, in.sg, openecs.Millis(at(0))+int64(i), doc); err != nil {
			t.Fatalf("inserting an old instance: %v", err)
		}
	}

	s := open(t)
	defer s.Close()
	err := s.View(context.Background(), func(r openecs.Reader) error {
		v, err := r.DefaultVpc("a1", "cn-hangzhou")
		if err != nil {
			t.Errorf("a1's default VPC: %v", err)
			return nil
		}
		checkDiff(t, "a1's default VPC", v, &openecs.Vpc{Seq: v.Seq, ID: "vpc-old1", AccountID: "a1", RegionID: "cn-hangzhou",
			Description: "System created default VPC.", CidrBlock: "172.16.0.0/12", IsDefault: true, Status: openecs.NetAvailable,
			VRouterID: "vrt-old1", RouteTableID: "vtb-old1", CreatedAt: openecs.FromMillis(openecs.Millis(at(0))), Version: 1})
		if rt, err := r.VpcByRouteTable("vtb-old1"); err != nil || rt.ID != "vpc-old1" {
			t.Errorf("the route table of vpc-old1: %v, %v", rt, err)
		}
		for _, n := range nets {
			vsw, err := r.DefaultVSwitch(n.account, n.zone)
			if err != nil {
				t.Errorf("default vSwitch of %s in %s: %v", n.account, n.zone, err)
				continue
			}
			// The old cursor h gave a.b.(h/250).(h%250+1); the new one c gives
			// offset c+1 of the block.
			want := int64((n.next/250)*256 + n.next%250)
			if vsw.ID != n.vsw || vsw.VpcID != n.vpc || vsw.CidrBlock != n.cidr || !vsw.IsDefault || vsw.Status != openecs.NetAvailable || vsw.NextHost != want {
				t.Errorf("vSwitch %s = %+v, want VPC %s, block %s, default, Available, cursor %d", n.vsw, vsw, n.vpc, n.cidr, want)
			}
			g, err := r.DefaultSecurityGroup(n.account, n.region)
			if err != nil || g.ID != n.sg || g.VpcID != n.vpc || g.Type != openecs.SecurityGroupNormal {
				t.Errorf("default group of %s: %+v, %v; want %s in %s", n.account, g, err, n.sg, n.vpc)
			}
		}
		if n, err := r.CountVpcs(openecs.VpcFilter{}); err != nil || n != 2 {
			t.Errorf("VPCs after the migration = %d (%v), want 2", n, err)
		}
		if n, err := r.CountSecurityGroups(openecs.SecurityGroupFilter{}); err != nil || n != 2 {
			t.Errorf("groups after the migration = %d (%v), want 2", n, err)
		}
		for _, in := range instances {
			enis, err := r.NetworkInterfaces(openecs.NetworkInterfaceFilter{InstanceID: in.id})
			if err != nil || len(enis) != 1 {
				t.Errorf("interfaces of %s = %v (%v), want 1", in.id, enis, err)
				continue
			}
			e := enis[0]
			if e.ID != in.eni || e.PrivateIP != in.ip || e.VSwitchID != in.vsw || e.VpcID != in.vpc || e.MacAddress != in.mac ||
				e.Type != openecs.ENIPrimary || len(e.SecurityGroupIDs) != 1 || e.SecurityGroupIDs[0] != in.sg || e.AccountID != in.account {
				t.Errorf("interface of %s = %+v", in.id, e)
			}
			got, err := r.Instance(in.id)
			if err != nil || got.PrivateIP != in.ip || got.VSwitchID != in.vsw {
				t.Errorf("instance %s after the migration: %+v, %v", in.id, got, err)
			}
		}
		for _, f := range []openecs.InstanceFilter{{PublicIPs: []string{"47.0.0.2"}}, {ResourceGroupID: "rg-old"}, {PrivateIPs: []string{"172.16.1.50"}}} {
			if got, err := r.Instances(f); err != nil || len(got) != 1 || got[0].ID != "i-old2" {
				t.Errorf("Instances(%+v) after the migration = %v, %v; want i-old2", f, got, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	// The old table is gone.
	if err := exec(`SELECT COUNT(*) FROM networks`); err == nil {
		t.Error("the networks table is still there")
	}
}
