package service

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// Where new instances go (docs/networks.md, "Instances in a network"): the
// named vSwitch, or the account's default vSwitch of the zone — created on
// first need, with the default VPC and the default security group of the
// region — and the named groups or the default one.

// netPlan is the network of instances about to be created.
type netPlan struct {
	zone   *catalog.Zone
	vsw    *openecs.VSwitch
	groups []string
}

// defaultVSwitchBits is the prefix length of a default vSwitch (one /16 of
// the default VPC's 172.16.0.0/12 per zone).
const defaultVSwitchBits = 16

// placement resolves the zone, the vSwitch and the security groups of a
// RunInstances/CreateInstance, in the order the real service checks them.
//
// Errors: InvalidVSwitchId.NotFound, IncorrectVSwitchStatus,
// InvalidParameter.Mismatch (zone; group and vSwitch), InvalidZoneId.NotFound,
// InvalidInstanceType.ValueNotSupported, InvalidParameter.Conflict,
// InvalidSecurityGroupId.NotFound, InvalidSecurityGroup.NotInDefaultVpc,
// MissingParameter (SecurityGroupId, for a vSwitch outside the default VPC).
func (s *Service) placement(tx openecs.Tx, accountID string, region *catalog.Region, itype *catalog.InstanceType, r RunRequest) (*netPlan, error) {
	plan := &netPlan{}
	if r.VSwitchID != "" {
		vsw, err := ownVSwitch(tx, accountID, region.ID, r.VSwitchID, openecs.ErrVSwitchNotExist)
		if err != nil {
			return nil, err
		}
		if vsw.Status != openecs.NetAvailable {
			return nil, openecs.ErrIncorrectVSwitchStatus
		}
		if r.ZoneID != "" && r.ZoneID != vsw.ZoneID {
			return nil, openecs.ErrVSwitchZoneMismatch
		}
		z, ok := s.cat.Zone(vsw.ZoneID)
		if !ok {
			return nil, openecs.ErrZoneNotFound
		}
		plan.zone, plan.vsw = z, vsw
	} else if r.ZoneID != "" {
		z, ok := s.cat.Zone(r.ZoneID)
		if !ok || z.RegionID != region.ID {
			return nil, openecs.ErrZoneNotFound
		}
		plan.zone = z
	} else {
		z, ok := s.cat.FirstZoneFor(region.ID, itype.ID)
		if !ok {
			return nil, openecs.ErrInvalidInstanceType
		}
		plan.zone = z
	}
	if !plan.zone.ZoneSells(itype.ID) {
		return nil, openecs.ErrInvalidInstanceType
	}
	if plan.vsw == nil {
		vsw, err := s.defaultVSwitch(tx, accountID, region, plan.zone, tx.Now())
		if err != nil {
			return nil, err
		}
		plan.vsw = vsw
	}
	groups, err := s.instanceGroups(tx, accountID, region, plan.vsw, r)
	if err != nil {
		return nil, err
	}
	plan.groups = groups
	return plan, nil
}

// instanceGroups checks the named security groups against the vSwitch, or
// picks the default group when none is named and the vSwitch is in the
// default VPC.
func (s *Service) instanceGroups(tx openecs.Tx, accountID string, region *catalog.Region, vsw *openecs.VSwitch, r RunRequest) ([]string, error) {
	if len(r.SecurityGroupIDs) == 0 {
		vpc, err := tx.Vpc(vsw.VpcID)
		if err != nil {
			return nil, err
		}
		if !vpc.IsDefault {
			return nil, openecs.Missing("SecurityGroupId")
		}
		g, err := s.defaultGroup(tx, accountID, region, vpc, tx.Now())
		if err != nil {
			return nil, err
		}
		return []string{g.ID}, nil
	}
	var out []string
	for _, id := range r.SecurityGroupIDs {
		if slices.Contains(out, id) {
			continue
		}
		g, err := ownGroup(tx, accountID, region.ID, id)
		if err != nil {
			return nil, err
		}
		if g.VpcID != vsw.VpcID {
			if r.VSwitchID == "" {
				return nil, openecs.ErrGroupNotInDefaultVpc
			}
			return nil, openecs.ErrGroupVSwitchMismatch
		}
		out = append(out, id)
	}
	return out, nil
}

// defaultVpc returns the account's default VPC in the region, creating it
// (Available at once) on first need.
func (s *Service) defaultVpc(tx openecs.Tx, accountID string, region *catalog.Region, now time.Time) (*openecs.Vpc, error) {
	v, err := tx.DefaultVpc(accountID, region.ID)
	if err == nil || !errors.Is(err, openecs.ErrNotFound) {
		return v, err
	}
	v = &openecs.Vpc{ID: openecs.NewResourceID("vpc", region.Code), AccountID: accountID, RegionID: region.ID,
		Description: "System created default VPC.", CidrBlock: DefaultVpcCidr, IsDefault: true, Status: openecs.NetAvailable,
		VRouterID: openecs.NewResourceID("vrt", region.Code), RouteTableID: openecs.NewResourceID("vtb", region.Code), CreatedAt: now}
	return v, tx.InsertVpc(v)
}

// defaultVSwitch returns the account's default vSwitch in the zone,
// creating it (and the default VPC) on first need: the zone's /16 of the
// default VPC (172.16+i.0.0/16 for the region's i-th zone), or the next one
// that overlaps no vSwitch of the VPC.
func (s *Service) defaultVSwitch(tx openecs.Tx, accountID string, region *catalog.Region, zone *catalog.Zone, now time.Time) (*openecs.VSwitch, error) {
	v, err := tx.DefaultVSwitch(accountID, zone.ID)
	if err == nil || !errors.Is(err, openecs.ErrNotFound) {
		return v, err
	}
	vpc, err := s.defaultVpc(tx, accountID, region, now)
	if err != nil {
		return nil, err
	}
	block, ok := parseBlock(vpc.CidrBlock)
	if !ok {
		return nil, fmt.Errorf("default VPC %s has a malformed block %q", vpc.ID, vpc.CidrBlock)
	}
	others, err := tx.VSwitches(openecs.VSwitchFilter{VpcID: vpc.ID})
	if err != nil {
		return nil, err
	}
	index := 0
	for i, z := range region.Zones {
		if z.ID == zone.ID {
			index = i
		}
	}
	for _, cand := range subnets(block, max(defaultVSwitchBits, block.Bits()), index, 1<<12) {
		if overlapsAny(cand, others) {
			continue
		}
		v = &openecs.VSwitch{ID: openecs.NewResourceID("vsw", region.Code), AccountID: accountID, RegionID: region.ID, ZoneID: zone.ID,
			VpcID: vpc.ID, Description: "System created default vSwitch.", CidrBlock: cand.String(), IsDefault: true,
			Status: openecs.NetAvailable, CreatedAt: now}
		return v, tx.InsertVSwitch(v)
	}
	return nil, openecs.ErrCidrOverlapped.With("No free block is left in the default VPC %s for a default vSwitch in %s; name a vSwitch.", vpc.ID, zone.ID)
}

// overlapsAny reports whether the block overlaps the block of any vSwitch.
func overlapsAny(p netip.Prefix, vsws []*openecs.VSwitch) bool {
	for _, o := range vsws {
		if q, ok := parseBlock(o.CidrBlock); ok && q.Overlaps(p) {
			return true
		}
	}
	return false
}

// defaultGroup returns the account's default security group of the region
// (in the default VPC), creating it on first need.
func (s *Service) defaultGroup(tx openecs.Tx, accountID string, region *catalog.Region, vpc *openecs.Vpc, now time.Time) (*openecs.SecurityGroup, error) {
	g, err := tx.DefaultSecurityGroup(accountID, region.ID)
	switch {
	case err == nil && g.VpcID == vpc.ID:
		return g, nil
	case err == nil:
		// The default VPC was replaced: the old default group stays an
		// ordinary group of its VPC.
		g.IsDefault = false
		if err := tx.UpdateSecurityGroup(g); err != nil {
			return nil, err
		}
	case !errors.Is(err, openecs.ErrNotFound):
		return nil, err
	}
	g = &openecs.SecurityGroup{ID: openecs.NewResourceID("sg", region.Code), AccountID: accountID, RegionID: region.ID, VpcID: vpc.ID,
		Description: "System created security group.", Type: openecs.SecurityGroupNormal, IsDefault: true, CreatedAt: now}
	return g, tx.InsertSecurityGroup(g)
}

// allocateIP gives out a private address of the vSwitch: want, if given
// (checked), else the next free one from the vSwitch's cursor.
//
// Errors: InvalidPrivateIpAddress.Malformed, InvalidPrivateIpAddress,
// InvalidPrivateIpAddress.Duplicated, QuotaExceeded.PrivateIpAddress.
func allocateIP(tx openecs.Tx, vsw *openecs.VSwitch, want string) (string, error) {
	block, ok := parseBlock(vsw.CidrBlock)
	if !ok {
		return "", fmt.Errorf("vSwitch %s has a malformed block %q", vsw.ID, vsw.CidrBlock)
	}
	if want != "" {
		a, err := netip.ParseAddr(want)
		if err != nil || !a.Is4() {
			return "", openecs.ErrPrivateIPMalformed
		}
		if !assignable(block, a) {
			return "", openecs.ErrPrivateIPNotInVSwitch
		}
		taken, err := addressTaken(tx, vsw.ID, a.String())
		if err != nil {
			return "", err
		}
		if taken {
			return "", openecs.ErrPrivateIPDuplicated
		}
		return a.String(), nil
	}
	// The cursor walks the block round and round; an address is taken at
	// most once. The vSwitch is counted only after a run of taken addresses
	// (a full vSwitch, or one whose cursor came round to old instances), so
	// an address costs a cursor move and an index lookup.
	n := usable(block)
	for i := range n {
		if i == min(n, probesBeforeCount) {
			used, err := tx.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{VSwitchID: vsw.ID})
			if err != nil {
				return "", err
			}
			if int64(used) >= n {
				return "", openecs.ErrPrivateIPQuota
			}
		}
		c, err := tx.NextPrivateHost(vsw.ID)
		if err != nil {
			return "", err
		}
		ip := hostAddr(block, reservedLow+((c%n)+n)%n).String()
		taken, err := addressTaken(tx, vsw.ID, ip)
		if err != nil {
			return "", err
		}
		if !taken {
			return ip, nil
		}
	}
	return "", openecs.ErrPrivateIPQuota
}

// probesBeforeCount is how many taken addresses the cursor passes before
// the vSwitch is counted to tell a full one.
const probesBeforeCount = 16

func addressTaken(tx openecs.Tx, vswitchID, ip string) (bool, error) {
	n, err := tx.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{VSwitchID: vswitchID, PrivateIP: ip})
	return n > 0, err
}

// attachPrimaryENI gives a new instance its address in the plan's vSwitch
// and its primary network interface, and sets its network fields.
func attachPrimaryENI(tx openecs.Tx, in *openecs.Instance, plan *netPlan, want string) error {
	ip, err := allocateIP(tx, plan.vsw, want)
	if err != nil {
		return err
	}
	in.VpcID, in.VSwitchID, in.SecurityGroupIDs, in.PrivateIP = plan.vsw.VpcID, plan.vsw.ID, slices.Clone(plan.groups), ip
	return tx.InsertNetworkInterface(&openecs.NetworkInterface{ID: in.NetworkInterfaceID, AccountID: in.AccountID, RegionID: in.RegionID,
		ZoneID: in.ZoneID, VpcID: in.VpcID, VSwitchID: in.VSwitchID, InstanceID: in.ID, Type: openecs.ENIPrimary, PrivateIP: ip,
		MacAddress: in.MacAddress, SecurityGroupIDs: slices.Clone(plan.groups), CreatedAt: in.CreatedAt})
}

// ownVSwitch reads a vSwitch of the caller in the region; notFound otherwise.
func ownVSwitch(r openecs.Reader, accountID, regionID, id string, notFound *openecs.Error) (*openecs.VSwitch, error) {
	v, err := r.VSwitch(id)
	if errors.Is(err, openecs.ErrNotFound) || (err == nil && (v.AccountID != accountID || (regionID != "" && v.RegionID != regionID))) {
		return nil, notFound
	}
	return v, err
}

// ownVpc reads a VPC of the caller in the region; InvalidVpcId.NotFound
// otherwise.
func ownVpc(r openecs.Reader, accountID, regionID, id string) (*openecs.Vpc, error) {
	v, err := r.Vpc(id)
	if errors.Is(err, openecs.ErrNotFound) || (err == nil && (v.AccountID != accountID || (regionID != "" && v.RegionID != regionID))) {
		return nil, openecs.ErrVpcNotFound
	}
	return v, err
}

// ownGroup reads a security group of the caller in the region;
// InvalidSecurityGroupId.NotFound otherwise.
func ownGroup(r openecs.Reader, accountID, regionID, id string) (*openecs.SecurityGroup, error) {
	g, err := r.SecurityGroup(id)
	if errors.Is(err, openecs.ErrNotFound) || (err == nil && (g.AccountID != accountID || (regionID != "" && g.RegionID != regionID))) {
		return nil, openecs.ErrSecurityGroupNotFound
	}
	return g, err
}
