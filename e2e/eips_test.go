package e2e

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Elastic IP addresses through the SDK's services/vpc (docs/eips.md).

// allocateEip allocates an EIP and returns its id and address.
func allocateEip(t *testing.T, c *vpc.Client, mutate ...func(*vpc.AllocateEipAddressRequest)) (string, string) {
	t.Helper()
	req := vpc.CreateAllocateEipAddressRequest()
	req.RegionId = region
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.AllocateEipAddress(req)
	ok(t, err)
	if resp.AllocationId == "" || resp.EipAddress == "" {
		t.Fatalf("AllocateEipAddress answered %+v", resp)
	}
	return resp.AllocationId, resp.EipAddress
}

// describeEips lists EIPs with a filter.
func describeEips(t *testing.T, c *vpc.Client, mutate ...func(*vpc.DescribeEipAddressesRequest)) *vpc.DescribeEipAddressesResponse {
	t.Helper()
	req := vpc.CreateDescribeEipAddressesRequest()
	req.RegionId = region
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.DescribeEipAddresses(req)
	ok(t, err)
	return resp
}

// eipOf reads one EIP by id.
func eipOf(t *testing.T, c *vpc.Client, id string) vpc.EipAddress {
	t.Helper()
	resp := describeEips(t, c, func(r *vpc.DescribeEipAddressesRequest) { r.AllocationId = id })
	if resp.TotalCount != 1 || len(resp.EipAddresses.EipAddress) != 1 || resp.EipAddresses.EipAddress[0].AllocationId != id {
		t.Fatalf("DescribeEipAddresses AllocationId=%s = %+v", id, resp)
	}
	return resp.EipAddresses.EipAddress[0]
}

func eipIDs(resp *vpc.DescribeEipAddressesResponse) []string {
	out := []string{}
	for _, e := range resp.EipAddresses.EipAddress {
		out = append(out, e.AllocationId)
	}
	return out
}

func associate(c *vpc.Client, id, instance string) error {
	req := vpc.CreateAssociateEipAddressRequest()
	req.RegionId, req.AllocationId, req.InstanceId = region, id, instance
	_, err := c.AssociateEipAddress(req)
	return err
}

func unassociate(c *vpc.Client, id, instance string) error {
	req := vpc.CreateUnassociateEipAddressRequest()
	req.RegionId, req.AllocationId, req.InstanceId = region, id, instance
	_, err := c.UnassociateEipAddress(req)
	return err
}

func releaseEip(c *vpc.Client, id string) error {
	req := vpc.CreateReleaseEipAddressRequest()
	req.RegionId, req.AllocationId = region, id
	_, err := c.ReleaseEipAddress(req)
	return err
}

// instanceEip reads an instance's EipAddress through DescribeInstances, and
// checks that DescribeInstanceAttribute shows the same.
func instanceEip(t *testing.T, c *ecs.Client, id string) ecs.EipAddressInDescribeInstances {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.InstanceIds = region, `["`+id+`"]`
	resp, err := c.DescribeInstances(req)
	ok(t, err)
	if len(resp.Instances.Instance) != 1 {
		t.Fatalf("DescribeInstances %s = %+v", id, resp.Instances)
	}
	got := resp.Instances.Instance[0].EipAddress
	attr, err := atAttribute(c, id)
	ok(t, err)
	if a := attr.EipAddress; a.AllocationId != got.AllocationId || a.IpAddress != got.IpAddress ||
		a.Bandwidth != got.Bandwidth || a.InternetChargeType != got.InternetChargeType {
		t.Fatalf("DescribeInstanceAttribute shows EipAddress %+v, DescribeInstances %+v", a, got)
	}
	return got
}

// instancesWithEip lists the instances DescribeInstances' EipAddresses
// filter selects.
func instancesWithEip(t *testing.T, c *ecs.Client, addrs string) []string {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.EipAddresses = region, addrs
	resp, err := c.DescribeInstances(req)
	ok(t, err)
	out := []string{}
	for _, in := range resp.Instances.Instance {
		out = append(out, in.InstanceId)
	}
	return out
}

func TestEipLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")
	pool := netip.MustParsePrefix("198.18.0.0/15")

	id, ip := allocateEip(t, c, func(r *vpc.AllocateEipAddressRequest) {
		r.Name, r.Description, r.Bandwidth, r.InternetChargeType = "web", "the web address", "10", "PayByTraffic"
		r.ClientToken = "alloc-1"
	})
	if addr, err := netip.ParseAddr(ip); err != nil || !pool.Contains(addr) {
		t.Fatalf("EipAddress %q is not in %s", ip, pool)
	}
	// The same ClientToken answers the same EIP without allocating another.
	again, _ := allocateEip(t, c, func(r *vpc.AllocateEipAddressRequest) {
		r.Name, r.Description, r.Bandwidth, r.InternetChargeType = "web", "the web address", "10", "PayByTraffic"
		r.ClientToken = "alloc-1"
	})
	if again != id {
		t.Fatalf("a repeated ClientToken allocated %s, want %s", again, id)
	}
	got := eipOf(t, c, id)
	if got.IpAddress != ip || got.Status != "Available" || got.Name != "web" || got.Description != "the web address" ||
		got.Bandwidth != "10" || got.EipBandwidth != "10" || got.InternetChargeType != "PayByTraffic" || got.ChargeType != "PostPaid" ||
		got.ISP != "BGP" || got.RegionId != region || got.InstanceId != "" || got.InstanceType != "" || got.Netmode != "public" {
		t.Fatalf("the EIP = %+v", got)
	}
	if _, err := time.Parse(time.RFC3339, got.AllocationTime); err != nil {
		t.Fatalf("AllocationTime %q is not RFC 3339: %v", got.AllocationTime, err)
	}

	// Defaults: 5 Mbit/s, PayByBandwidth.
	id2, ip2 := allocateEip(t, c)
	if ip2 == ip {
		t.Fatalf("two EIPs hold %s", ip)
	}
	if d := eipOf(t, c, id2); d.Bandwidth != "5" || d.InternetChargeType != "PayByBandwidth" || d.Name != "" {
		t.Fatalf("a default EIP = %+v", d)
	}

	// Filters and paging.
	for name, tc := range map[string]struct {
		f    func(*vpc.DescribeEipAddressesRequest)
		want []string
	}{
		"all":           {func(*vpc.DescribeEipAddressesRequest) {}, []string{id, id2}},
		"by address":    {func(r *vpc.DescribeEipAddressesRequest) { r.EipAddress = ip2 }, []string{id2}},
		"two ids":       {func(r *vpc.DescribeEipAddressesRequest) { r.AllocationId = id + "," + id2 }, []string{id, id2}},
		"two addresses": {func(r *vpc.DescribeEipAddressesRequest) { r.EipAddress = ip + "," + ip2 }, []string{id, id2}},
		"available":     {func(r *vpc.DescribeEipAddressesRequest) { r.Status = "Available" }, []string{id, id2}},
		"in use":        {func(r *vpc.DescribeEipAddressesRequest) { r.Status = "InUse" }, []string{}},
		"page 2 of 2":   {func(r *vpc.DescribeEipAddressesRequest) { r.PageSize, r.PageNumber = "1", "2" }, []string{id2}},
	} {
		if ids := eipIDs(describeEips(t, c, tc.f)); !slices.Equal(ids, tc.want) {
			t.Errorf("%s: DescribeEipAddresses = %v, want %v", name, ids, tc.want)
		}
	}
	if p := describeEips(t, c, func(r *vpc.DescribeEipAddressesRequest) { r.PageSize = "1" }); p.TotalCount != 2 || p.PageSize != 1 || p.PageNumber != 1 {
		t.Fatalf("a page of one: TotalCount %d, PageSize %d, PageNumber %d", p.TotalCount, p.PageSize, p.PageNumber)
	}

	// Tags, with ResourceType EIP.
	tag := vpc.CreateTagResourcesRequest()
	tag.RegionId, tag.ResourceType, tag.ResourceId = region, "EIP", &[]string{id}
	tag.Tag = &[]vpc.TagResourcesTag{{Key: "env", Value: "prod"}}
	_, err := c.TagResources(tag)
	ok(t, err)
	tagged := describeEips(t, c, func(r *vpc.DescribeEipAddressesRequest) {
		r.Tag = &[]vpc.DescribeEipAddressesTag{{Key: "env", Value: "prod"}}
	})
	if ids := eipIDs(tagged); !slices.Equal(ids, []string{id}) {
		t.Fatalf("Tag filter = %v, want [%s]", ids, id)
	}
	if tg := tagged.EipAddresses.EipAddress[0].Tags.Tag; len(tg) != 1 || tg[0].Key != "env" || tg[0].Value != "prod" {
		t.Fatalf("Tags = %+v", tg)
	}
	lt := vpc.CreateListTagResourcesRequest()
	lt.RegionId, lt.ResourceType, lt.ResourceId = region, "EIP", &[]string{id}
	listed, err := c.ListTagResources(lt)
	ok(t, err)
	if tr := listed.TagResources.TagResource; len(tr) != 1 || tr[0].ResourceId != id || tr[0].ResourceType != "EIP" || tr[0].TagKey != "env" {
		t.Fatalf("ListTagResources = %+v", tr)
	}
	untag := vpc.CreateUnTagResourcesRequest()
	untag.RegionId, untag.ResourceType, untag.ResourceId, untag.TagKey = region, "EIP", &[]string{id}, &[]string{"env"}
	_, err = c.UnTagResources(untag)
	ok(t, err)
	if tg := eipOf(t, c, id).Tags.Tag; len(tg) != 0 {
		t.Fatalf("tags after UnTagResources = %+v", tg)
	}

	// ModifyEipAddressAttribute.
	mod := vpc.CreateModifyEipAddressAttributeRequest()
	mod.RegionId, mod.AllocationId, mod.Name, mod.Description, mod.Bandwidth = region, id, "api", "the API address", "20"
	_, err = c.ModifyEipAddressAttribute(mod)
	ok(t, err)
	if m := eipOf(t, c, id); m.Name != "api" || m.Description != "the API address" || m.Bandwidth != "20" || m.EipBandwidth != "20" {
		t.Fatalf("after ModifyEipAddressAttribute: %+v", m)
	}

	// Association with an instance of the default VPC.
	ins := run(t, e.ecs, 2)
	inst, other := ins[0], ins[1]
	ok(t, associate(c, id, inst))
	a := eipOf(t, c, id)
	if a.Status != "InUse" || a.InstanceId != inst || a.InstanceType != "EcsInstance" || a.InstanceRegionId != region ||
		a.PrivateIpAddress != "" || a.VpcId != "" {
		t.Fatalf("the associated EIP = %+v", a)
	}
	if ee := instanceEip(t, e.ecs, inst); ee.AllocationId != id || ee.IpAddress != ip || ee.Bandwidth != 20 ||
		ee.InternetChargeType != "PayByTraffic" || !ee.IsSupportUnassociate {
		t.Fatalf("DescribeInstances EipAddress = %+v", ee)
	}
	if ee := instanceEip(t, e.ecs, other); ee.AllocationId != "" || ee.IpAddress != "" {
		t.Fatalf("an instance without an EIP shows %+v", ee)
	}
	if got := instancesWithEip(t, e.ecs, `["`+ip+`"]`); !slices.Equal(got, []string{inst}) {
		t.Fatalf("EipAddresses=[%s] = %v, want [%s]", ip, got, inst)
	}
	if got := instancesWithEip(t, e.ecs, `["`+ip2+`","203.0.113.9"]`); len(got) != 0 {
		t.Fatalf("EipAddresses of addresses no instance holds = %v", got)
	}
	for name, f := range map[string]func(*vpc.DescribeEipAddressesRequest){
		"AssociatedInstanceId":   func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceId = inst },
		"AssociatedInstanceType": func(r *vpc.DescribeEipAddressesRequest) { r.AssociatedInstanceType = "EcsInstance" },
		"InUse":                  func(r *vpc.DescribeEipAddressesRequest) { r.Status = "InUse" },
	} {
		if ids := eipIDs(describeEips(t, c, f)); !slices.Equal(ids, []string{id}) {
			t.Errorf("%s: DescribeEipAddresses = %v, want [%s]", name, ids, id)
		}
	}

	// Unassociate, then associate with the other instance and delete it:
	// the EIP stays, Available.
	ok(t, unassociate(c, id, inst))
	if u := eipOf(t, c, id); u.Status != "Available" || u.InstanceId != "" || u.InstanceType != "" {
		t.Fatalf("after UnassociateEipAddress: %+v", u)
	}
	if ee := instanceEip(t, e.ecs, inst); ee.AllocationId != "" {
		t.Fatalf("an unassociated instance shows %+v", ee)
	}
	ok(t, associate(c, id, other))
	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = other, boolParam(true)
	_, err = e.ecs.DeleteInstance(del)
	ok(t, err)
	if u := eipOf(t, c, id); u.Status != "Available" || u.InstanceId != "" {
		t.Fatalf("the EIP of a deleted instance: %+v", u)
	}

	// Release.
	ok(t, releaseEip(c, id))
	ok(t, releaseEip(c, id2))
	if ids := eipIDs(describeEips(t, c)); len(ids) != 0 {
		t.Fatalf("EIPs after release: %v", ids)
	}
}

func TestEipErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")
	const missing = "eip-bpnosucheip000000"

	// Bad input.
	for name, tc := range map[string]struct {
		f    func(*vpc.AllocateEipAddressRequest)
		code string
	}{
		"bandwidth 0":           {func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "0" }, "InvalidBandwidth.Malformed"},
		"bandwidth text":        {func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "ten" }, "InvalidBandwidth.Malformed"},
		"201 by traffic":        {func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth, r.InternetChargeType = "201", "PayByTraffic" }, "InvalidBandwidth.Malformed"},
		"501 by bandwidth":      {func(r *vpc.AllocateEipAddressRequest) { r.Bandwidth = "501" }, "InvalidBandwidth.Malformed"},
		"internet charge type":  {func(r *vpc.AllocateEipAddressRequest) { r.InternetChargeType = "PayByHour" }, "InvalidParameter"},
		"prepaid":               {func(r *vpc.AllocateEipAddressRequest) { r.InstanceChargeType = "PrePaid" }, "OperationUnsupported.PrePaid"},
		"instance charge type":  {func(r *vpc.AllocateEipAddressRequest) { r.InstanceChargeType = "Monthly" }, "InvalidInstanceChargeType.ValueNotSupported"},
		"ISP":                   {func(r *vpc.AllocateEipAddressRequest) { r.ISP = "Moon" }, "InvalidParameter.ISP"},
		"name starting http://": {func(r *vpc.AllocateEipAddressRequest) { r.Name = "http://x" }, "InvalidName.Malformed"},
	} {
		req := vpc.CreateAllocateEipAddressRequest()
		req.RegionId = region
		tc.f(req)
		_, err := c.AllocateEipAddress(req)
		if err == nil {
			t.Errorf("%s: allocated", name)
			continue
		}
		apiError(t, err, tc.code, 400)
	}
	req := vpc.CreateAllocateEipAddressRequest()
	req.RegionId = "xx-nowhere-1"
	_, err := c.AllocateEipAddress(req)
	apiError(t, err, "InvalidRegionId.NotFound", 404)
	if ids := eipIDs(describeEips(t, c)); len(ids) != 0 {
		t.Fatalf("refused allocations left %v", ids)
	}

	id, _ := allocateEip(t, c)
	id2, _ := allocateEip(t, c)
	ins := run(t, e.ecs, 2)
	inst, inst2 := ins[0], ins[1]

	// Unknown ids.
	apiError(t, associate(c, missing, inst), "InvalidAllocationId.NotFound", 404)
	apiError(t, associate(c, id, "i-bpnosuchinstance000"), "InvalidInstanceId.NotFound", 404)
	apiError(t, unassociate(c, missing, inst), "InvalidAllocationId.NotFound", 404)
	apiError(t, releaseEip(c, missing), "InvalidAllocationId.NotFound", 404)
	mod := vpc.CreateModifyEipAddressAttributeRequest()
	mod.RegionId, mod.AllocationId, mod.Name = region, missing, "x1"
	_, err = c.ModifyEipAddressAttribute(mod)
	apiError(t, err, "InvalidAllocationId.NotFound", 404)
	mod.AllocationId, mod.Name, mod.Bandwidth = id, "", "501"
	_, err = c.ModifyEipAddressAttribute(mod)
	apiError(t, err, "InvalidBandwidth.Malformed", 400)
	keep := vpc.CreateModifyEipAddressAttributeRequest()
	keep.RegionId, keep.AllocationId = region, id
	_, err = c.ModifyEipAddressAttribute(keep)
	ok(t, err)
	nat := vpc.CreateAssociateEipAddressRequest()
	nat.RegionId, nat.AllocationId, nat.InstanceId, nat.InstanceType = region, id, "ngw-bp1", "Nat"
	_, err = c.AssociateEipAddress(nat)
	apiError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	noID := vpc.CreateAssociateEipAddressRequest()
	noID.RegionId, noID.AllocationId = region, id
	_, err = c.AssociateEipAddress(noID)
	apiError(t, err, "MissingParameter", 400)

	// State.
	apiError(t, unassociate(c, id, inst), "IncorrectEipStatus", 400)
	ok(t, associate(c, id, inst))
	apiError(t, associate(c, id, inst2), "IncorrectEipStatus", 400)
	apiError(t, associate(c, id2, inst), "InvalidAssociation.Duplicated", 400)
	apiError(t, releaseEip(c, id), "IncorrectEipStatus", 400)
	apiError(t, unassociate(c, id, inst2), "InvalidAssociation.NotFound", 400)
	if a := eipOf(t, c, id); a.Status != "InUse" || a.InstanceId != inst {
		t.Fatalf("refused calls changed the EIP: %+v", a)
	}

	// An instance with a public address of its own.
	pub := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) { r.InternetMaxBandwidthOut = intParam(5) })[0]
	apiError(t, associate(c, id2, pub), "InvalidStatus.InstanceHasBandWidth", 400)

	// An instance that is neither Running nor Stopped.
	slow := newEnv(t, withDelay(time.Hour))
	sc := slow.vpcClient("test", "test")
	sid, _ := allocateEip(t, sc)
	pending := run(t, slow.ecs, 1)[0]
	apiError(t, associate(sc, sid, pending), "IncorrectInstanceStatus", 400)

	// The quota: MaxEipsPerRegion (20) per account and region.
	q := e.newAccount("100")
	qc := e.vpcOf(q)
	for range 20 {
		allocateEip(t, qc)
	}
	_, err = qc.AllocateEipAddress(func() *vpc.AllocateEipAddressRequest {
		r := vpc.CreateAllocateEipAddressRequest()
		r.RegionId = region
		return r
	}())
	apiError(t, err, "QuotaExceeded.Eip", 400)
}

func TestEipTenancy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.vpcClient("test", "test")
	id, ip := allocateEip(t, owner)
	mine := run(t, e.ecs, 1)[0]
	b := e.newAccount("1000")
	bc := e.vpcOf(b)
	theirs := run(t, b.ECS, 1)[0]

	if ids := eipIDs(describeEips(t, bc)); len(ids) != 0 {
		t.Fatalf("another account lists %v", ids)
	}
	if ids := eipIDs(describeEips(t, bc, func(r *vpc.DescribeEipAddressesRequest) { r.AllocationId = id })); len(ids) != 0 {
		t.Fatalf("another account reads the EIP by id: %v", ids)
	}
	mod := vpc.CreateModifyEipAddressAttributeRequest()
	mod.RegionId, mod.AllocationId, mod.Name = region, id, "stolen"
	_, err := bc.ModifyEipAddressAttribute(mod)
	apiError(t, err, "InvalidAllocationId.NotFound", 404)
	apiError(t, associate(bc, id, theirs), "InvalidAllocationId.NotFound", 404)
	apiError(t, releaseEip(bc, id), "InvalidAllocationId.NotFound", 404)
	apiError(t, associate(owner, id, theirs), "InvalidInstanceId.NotFound", 404)
	tag := vpc.CreateTagResourcesRequest()
	tag.RegionId, tag.ResourceType, tag.ResourceId = region, "EIP", &[]string{id}
	tag.Tag = &[]vpc.TagResourcesTag{{Key: "k", Value: "v"}}
	_, err = bc.TagResources(tag)
	apiError(t, err, "InvalidInstanceIds.NotFound", 400)

	ok(t, associate(owner, id, mine))
	apiError(t, unassociate(bc, id, mine), "InvalidAllocationId.NotFound", 404)
	if got := instancesWithEip(t, b.ECS, `["`+ip+`"]`); len(got) != 0 {
		t.Fatalf("another account's EipAddresses filter finds %v", got)
	}
	if a := eipOf(t, owner, id); a.Status != "InUse" || a.InstanceId != mine || a.Name != "" {
		t.Fatalf("another account changed the EIP: %+v", a)
	}
}
