package service

import (
	"encoding/binary"
	"net/netip"

	"github.com/openecs/openecs"
)

// Address blocks (docs/networks.md, "Blocks and addresses").

// DefaultVpcCidr is the block of a VPC created without CidrBlock, and of
// every default VPC.
const DefaultVpcCidr = "172.16.0.0/12"

// privateRanges are the blocks a VPC's block must lie in.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// The prefix lengths allowed for a VPC and for a vSwitch.
const (
	vpcMinBits, vpcMaxBits         = 8, 28
	vswitchMinBits, vswitchMaxBits = 16, 29
)

// Every vSwitch keeps its first address and its last three to itself (the
// network address, the gateway and two reserved ones).
const (
	reservedLow  = 1
	reservedHigh = 3
)

// parseBlock reads an IPv4 block written a.b.c.d/n with no host bits set.
func parseBlock(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return netip.Prefix{}, false
	}
	return p, true
}

// vpcBlock checks a VPC's block: well formed, /8 to /28, inside one of the
// private ranges. InvalidCidrBlock.Malformed otherwise.
func vpcBlock(s string) (netip.Prefix, error) {
	p, ok := parseBlock(s)
	if !ok {
		return p, openecs.ErrCidrMalformed
	}
	if p.Bits() < vpcMinBits || p.Bits() > vpcMaxBits {
		return p, openecs.ErrCidrMalformed.With("Specified CIDR block is not valid: the mask must be 8 to 28 bits long.")
	}
	for _, r := range privateRanges {
		if within(r, p) {
			return p, nil
		}
	}
	return p, openecs.ErrCidrMalformed.With("Specified CIDR block is not valid: it must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.")
}

// within reports whether inner lies wholly in outer.
func within(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// usable is the number of addresses of a block instances may have.
func usable(p netip.Prefix) int64 {
	return int64(1)<<(32-p.Bits()) - reservedLow - reservedHigh
}

// hostAddr returns the address at offset from the start of the block.
func hostAddr(p netip.Prefix, offset int64) netip.Addr {
	b := p.Addr().As4()
	n := binary.BigEndian.Uint32(b[:]) + uint32(offset)
	binary.BigEndian.PutUint32(b[:], n)
	return netip.AddrFrom4(b)
}

// hostOffset returns an address's offset from the start of the block.
func hostOffset(p netip.Prefix, a netip.Addr) int64 {
	b, s := a.As4(), p.Addr().As4()
	return int64(binary.BigEndian.Uint32(b[:])) - int64(binary.BigEndian.Uint32(s[:]))
}

// assignable reports whether an address of the block may be given to an
// instance (it is in the block and not one of its reserved addresses).
func assignable(p netip.Prefix, a netip.Addr) bool {
	if !a.Is4() || !p.Contains(a) {
		return false
	}
	off := hostOffset(p, a)
	return off >= reservedLow && off < int64(1)<<(32-p.Bits())-reservedHigh
}

// subnets returns the blocks of length bits inside p, starting with the
// first-th and wrapping round (at most limit of them).
func subnets(p netip.Prefix, bits, first, limit int) []netip.Prefix {
	if bits < p.Bits() {
		bits = p.Bits()
	}
	n := 1 << (bits - p.Bits())
	var out []netip.Prefix
	for i := range min(n, limit) {
		k := (first + i) % n
		a := hostAddr(p, int64(k)<<(32-bits))
		out = append(out, netip.PrefixFrom(a, bits))
	}
	return out
}
