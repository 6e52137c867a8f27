package service

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/openecs/openecs"
)

func TestVpcBlock(t *testing.T) {
	t.Parallel()
	for cidr, ok := range map[string]bool{
		"10.0.0.0/8": true, "172.16.0.0/12": true, "192.168.0.0/16": true, "10.1.2.0/28": true, "172.31.0.0/16": true,
		"10.0.0.0/7": false, "10.0.0.0/29": false, "11.0.0.0/8": false, "172.32.0.0/16": false, "172.0.0.0/8": false,
		"10.0.0.1/8": false, "10.0.0.0": false, "": false, "::/0": false, "192.168.0.0/33": false,
	} {
		_, err := vpcBlock(cidr)
		if (err == nil) != ok {
			t.Errorf("vpcBlock(%q) = %v, want ok=%v", cidr, err, ok)
		}
		if err != nil && !errors.Is(err, openecs.ErrCidrMalformed) {
			t.Errorf("vpcBlock(%q) = %v, want InvalidCidrBlock.Malformed", cidr, err)
		}
	}
}

func TestAddresses(t *testing.T) {
	t.Parallel()
	p := netip.MustParsePrefix("10.0.1.0/24")
	if n := usable(p); n != 252 {
		t.Fatalf("usable(/24) = %d, want 252", n)
	}
	if n := usable(netip.MustParsePrefix("10.0.0.0/29")); n != 4 {
		t.Fatalf("usable(/29) = %d, want 4", n)
	}
	for ip, want := range map[string]bool{"10.0.1.0": false, "10.0.1.1": true, "10.0.1.252": true, "10.0.1.253": false,
		"10.0.1.255": false, "10.0.2.1": false} {
		if got := assignable(p, netip.MustParseAddr(ip)); got != want {
			t.Errorf("assignable(%s) = %v, want %v", ip, got, want)
		}
	}
	if a := hostAddr(netip.MustParsePrefix("172.16.0.0/16"), 307); a.String() != "172.16.1.51" {
		t.Fatalf("offset 307 of 172.16.0.0/16 = %s", a)
	}
	if off := hostOffset(p, netip.MustParseAddr("10.0.1.200")); off != 200 {
		t.Fatalf("hostOffset = %d", off)
	}
}

func TestSubnets(t *testing.T) {
	t.Parallel()
	got := subnets(netip.MustParsePrefix("172.16.0.0/12"), 16, 14, 4)
	want := []string{"172.30.0.0/16", "172.31.0.0/16", "172.16.0.0/16", "172.17.0.0/16"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Fatalf("subnets = %v, want %v", got, want)
		}
	}
	// A block smaller than the wanted size is one subnet: itself.
	if got := subnets(netip.MustParsePrefix("10.0.0.0/24"), 16, 3, 10); len(got) != 1 || got[0].String() != "10.0.0.0/24" {
		t.Fatalf("subnets of a /24 at /16 = %v", got)
	}
}
