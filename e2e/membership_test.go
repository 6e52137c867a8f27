package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// What the Terraform provider sends when a configuration changes an
// instance's security_groups (JoinSecurityGroup, LeaveSecurityGroup), a
// group's inner_access_policy (ModifySecurityGroupPolicy), a subscription's
// renewal_status (ModifyInstanceAutoRenewAttribute) or an instance's
// internet_max_bandwidth_out (ModifyInstanceNetworkSpec, then
// AllocatePublicIpAddress from 0), through the SDK's services/ecs, with
// their errors.

// groupsOf reads an instance's groups and its primary interface's.
func groupsOf(t *testing.T, c *ecs.Client, id string) (instance, eni []string) {
	t.Helper()
	in := describe(t, c, id)
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.RegionId, req.InstanceId = region, id
	resp, err := c.DescribeNetworkInterfaces(req)
	ok(t, err)
	if len(resp.NetworkInterfaceSets.NetworkInterfaceSet) != 1 {
		t.Fatalf("%s has %d interfaces", id, len(resp.NetworkInterfaceSets.NetworkInterfaceSet))
	}
	return in.SecurityGroupIds.SecurityGroupId, resp.NetworkInterfaceSets.NetworkInterfaceSet[0].SecurityGroupIds.SecurityGroupId
}

func TestJoinAndLeaveSecurityGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-h", "10.0.1.0/24")
	g1, g2 := makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID)
	far := makeGroup(t, e.ecs, makeVpc(t, v, "192.168.0.0/16"))
	id := run(t, e.ecs, 1, inNetwork(vsw, g1))[0]

	join := func(f func(*ecs.JoinSecurityGroupRequest)) error {
		req := ecs.CreateJoinSecurityGroupRequest()
		req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, g2
		f(req)
		_, err := e.ecs.JoinSecurityGroup(req)
		return err
	}
	leave := func(group string) error {
		req := ecs.CreateLeaveSecurityGroupRequest()
		req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, group
		_, err := e.ecs.LeaveSecurityGroup(req)
		return err
	}
	ok(t, join(func(*ecs.JoinSecurityGroupRequest) {}))
	if in, eni := groupsOf(t, e.ecs, id); !slices.Equal(in, []string{g1, g2}) || !slices.Equal(eni, []string{g1, g2}) {
		t.Fatalf("after JoinSecurityGroup: instance in %v, interface in %v", in, eni)
	}
	// The group counts it, DescribeInstances finds it by the group, and the
	// group cannot be deleted while it is in it.
	dr := ecs.CreateDescribeInstancesRequest()
	dr.RegionId, dr.SecurityGroupId = region, g2
	found, err := e.ecs.DescribeInstances(dr)
	ok(t, err)
	if found.TotalCount != 1 {
		t.Fatalf("DescribeInstances(SecurityGroupId=%s) found %d", g2, found.TotalCount)
	}
	del := ecs.CreateDeleteSecurityGroupRequest()
	del.RegionId, del.SecurityGroupId = region, g2
	_, err = e.ecs.DeleteSecurityGroup(del)
	apiError(t, err, "DependencyViolation", 403)

	apiError(t, join(func(*ecs.JoinSecurityGroupRequest) {}), "InvalidInstanceId.AlreadyExists", 403)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = far }), "InvalidInstanceId.Mismatch", 400)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = "sg-missing" }), "InvalidSecurityGroupId.NotFound", 404)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.InstanceId = "i-missing" }), "InvalidInstanceId.NotFound", 404)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.InstanceId = "" }), "MissingParameter", 400)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.NetworkInterfaceId = "eni-x" }), "InvalidParameter.Conflict", 400)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.InstanceId, r.NetworkInterfaceId = "", "eni-missing" }), "InvalidEniId.NotFound", 404)

	// By the primary interface, then up to five groups.
	eniID := describe(t, e.ecs, id).NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
	g3, g4, g5, g6 := makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID)
	ok(t, join(func(r *ecs.JoinSecurityGroupRequest) {
		r.InstanceId, r.NetworkInterfaceId, r.SecurityGroupId = "", eniID, g3
	}))
	ok(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = g4 }))
	ok(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = g5 }))
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = g6 }), "InstanceSecurityGroupLimitExceeded", 400)
	if in, eni := groupsOf(t, e.ecs, id); !slices.Equal(in, []string{g1, g2, g3, g4, g5}) || !slices.Equal(eni, in) {
		t.Fatalf("after five joins: instance in %v, interface in %v", in, eni)
	}

	// Leaving: the group can go once nothing is in it; not twice; never the
	// last one.
	ok(t, leave(g2))
	if in, eni := groupsOf(t, e.ecs, id); !slices.Equal(in, []string{g1, g3, g4, g5}) || !slices.Equal(eni, in) {
		t.Fatalf("after LeaveSecurityGroup: instance in %v, interface in %v", in, eni)
	}
	deleteGroup(t, e.ecs, g2)
	apiError(t, leave(g1+"x"), "InvalidSecurityGroupId.NotFound", 404)
	apiError(t, leave(g6), "InvalidSecurityGroupAssociation.NotFound", 404)
	for _, g := range []string{g3, g4, g5} {
		ok(t, leave(g))
	}
	apiError(t, leave(g1), "InstanceLastSecurityGroup", 403)

	// Another account's instance and group do not exist for the caller.
	other := e.newAccount("100.00")
	req := ecs.CreateJoinSecurityGroupRequest()
	req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, g3
	_, err = other.ECS.JoinSecurityGroup(req)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	otherVpc := makeVpc(t, e.vpcOf(other), "10.0.0.0/16")
	otherGroup := makeGroup(t, other.ECS, otherVpc)
	apiError(t, join(func(r *ecs.JoinSecurityGroupRequest) { r.SecurityGroupId = otherGroup }), "InvalidSecurityGroupId.NotFound", 404)
}

// ModifyInstanceAttribute's SecurityGroupIds.N replaces all of an instance's
// groups (and its interface's) at once; a refused call changes none.
func TestModifyInstanceAttributeSecurityGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-h", "10.0.1.0/24")
	g1, g2, g3 := makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID)
	far := makeGroup(t, e.ecs, makeVpc(t, v, "192.168.0.0/16"))
	id := run(t, e.ecs, 1, inNetwork(vsw, g1))[0]
	modify := func(groups ...string) error {
		req := ecs.CreateModifyInstanceAttributeRequest()
		req.RegionId, req.InstanceId, req.SecurityGroupIds = region, id, &groups
		_, err := e.ecs.ModifyInstanceAttribute(req)
		return err
	}
	want := func(groups ...string) {
		t.Helper()
		if in, eni := groupsOf(t, e.ecs, id); !slices.Equal(in, groups) || !slices.Equal(eni, groups) {
			t.Fatalf("instance in %v, interface in %v; want %v", in, eni, groups)
		}
	}
	ok(t, modify(g2, g3, g2)) // a group named twice counts once
	want(g2, g3)
	// g1 is empty now and can go; g2 cannot.
	deleteGroup(t, e.ecs, g1)
	del := ecs.CreateDeleteSecurityGroupRequest()
	del.RegionId, del.SecurityGroupId = region, g2
	_, err := e.ecs.DeleteSecurityGroup(del)
	apiError(t, err, "DependencyViolation", 403)

	apiError(t, modify(g3, far), "InvalidInstanceId.Mismatch", 400)
	apiError(t, modify(g3, "sg-missing"), "InvalidSecurityGroupId.NotFound", 404)
	six := []string{g2, g3}
	for range 4 {
		six = append(six, makeGroup(t, e.ecs, vpcID))
	}
	apiError(t, modify(six...), "InstanceSecurityGroupLimitExceeded", 400)
	seventeen := make([]string, 17)
	for i := range seventeen {
		seventeen[i] = g2
	}
	apiError(t, modify(seventeen...), "InvalidParameter", 400)
	other := e.newAccount("100.00")
	otherGroup := makeGroup(t, other.ECS, makeVpc(t, e.vpcOf(other), "10.0.0.0/16"))
	apiError(t, modify(g3, otherGroup), "InvalidSecurityGroupId.NotFound", 404)
	want(g2, g3)
	ok(t, modify(six[:5]...))
	want(six[:5]...)
	attr, err := atAttribute(e.ecs, id)
	ok(t, err)
	if !slices.Equal(attr.SecurityGroupIds.SecurityGroupId, six[:5]) {
		t.Fatalf("DescribeInstanceAttribute shows groups %v", attr.SecurityGroupIds.SecurityGroupId)
	}

	// Another account cannot move the instance.
	req := ecs.CreateModifyInstanceAttributeRequest()
	req.RegionId, req.InstanceId, req.SecurityGroupIds = region, id, &[]string{g3}
	_, err = other.ECS.ModifyInstanceAttribute(req)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	want(six[:5]...)
}

// An instance that is neither Running nor Stopped keeps its groups.
func TestJoinSecurityGroupStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := run(t, e.ecs, 1)[0] // Pending for an hour, in the default network
	in := describe(t, e.ecs, id)
	g := makeGroup(t, e.ecs, in.VpcAttributes.VpcId)
	req := ecs.CreateJoinSecurityGroupRequest()
	req.RegionId, req.InstanceId, req.SecurityGroupId = region, id, g
	_, err := e.ecs.JoinSecurityGroup(req)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	leave := ecs.CreateLeaveSecurityGroupRequest()
	leave.RegionId, leave.InstanceId, leave.SecurityGroupId = region, id, in.SecurityGroupIds.SecurityGroupId[0]
	_, err = e.ecs.LeaveSecurityGroup(leave)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	modify := ecs.CreateModifyInstanceAttributeRequest()
	modify.RegionId, modify.InstanceId, modify.SecurityGroupIds = region, id, &[]string{g}
	_, err = e.ecs.ModifyInstanceAttribute(modify)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	if got := describe(t, e.ecs, id).SecurityGroupIds.SecurityGroupId; !slices.Equal(got, in.SecurityGroupIds.SecurityGroupId) {
		t.Fatalf("a Pending instance's groups changed to %v", got)
	}
}

func TestModifySecurityGroupPolicy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	g := makeGroup(t, e.ecs, vpcID)
	ent := makeGroup(t, e.ecs, vpcID, func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupType = "enterprise" })
	policy := func(id string) string {
		t.Helper()
		return groupRules(t, e.ecs, id, "").InnerAccessPolicy
	}
	modify := func(id, p, token string) error {
		req := ecs.CreateModifySecurityGroupPolicyRequest()
		req.RegionId, req.SecurityGroupId, req.InnerAccessPolicy, req.ClientToken = region, id, p, token
		_, err := e.ecs.ModifySecurityGroupPolicy(req)
		return err
	}
	if p := policy(g); p != "Accept" {
		t.Fatalf("a new normal group's policy is %q", p)
	}
	ok(t, modify(g, "Drop", "tok-1"))
	if p := policy(g); p != "Drop" {
		t.Fatalf("after ModifySecurityGroupPolicy(Drop): %q", p)
	}
	ok(t, modify(g, "Drop", "tok-1")) // the same call again
	apiError(t, modify(g, "Accept", "tok-1"), "IdempotentParameterMismatch", 400)
	ok(t, modify(g, "accept", "")) // any case
	if p := policy(g); p != "Accept" {
		t.Fatalf("after ModifySecurityGroupPolicy(accept): %q", p)
	}
	apiError(t, modify(g, "", ""), "InvalidPolicy.Malformed", 400)
	apiError(t, modify(g, "Allow", ""), "InvalidPolicy.Malformed", 400)
	apiError(t, modify(ent, "Accept", ""), "OperationDenied", 403)
	if p := policy(ent); p != "Drop" {
		t.Fatalf("an enterprise group's policy is %q", p)
	}
	apiError(t, modify("sg-missing", "Drop", ""), "InvalidSecurityGroupId.NotFound", 404)
	other := e.newAccount("100.00")
	req := ecs.CreateModifySecurityGroupPolicyRequest()
	req.RegionId, req.SecurityGroupId, req.InnerAccessPolicy = region, g, "Drop"
	_, err := other.ECS.ModifySecurityGroupPolicy(req)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	if p := policy(g); p != "Accept" {
		t.Fatalf("another account changed the policy to %q", p)
	}
}

func TestModifyInstanceAutoRenewAttribute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	prepaid := func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Month"
	}
	pre := run(t, a.ECS, 1, prepaid)[0]
	quit := run(t, a.ECS, 1, prepaid)[0]
	post := run(t, a.ECS, 1)[0]
	modify := func(f func(*ecs.ModifyInstanceAutoRenewAttributeRequest)) error {
		req := ecs.CreateModifyInstanceAutoRenewAttributeRequest()
		req.RegionId, req.InstanceId = region, pre
		f(req)
		_, err := a.ECS.ModifyInstanceAutoRenewAttribute(req)
		return err
	}
	renewal := func(id string) ecs.InstanceRenewAttribute {
		t.Helper()
		resp, err := atAutoRenew(a.ECS, id, "")
		ok(t, err)
		return resp.InstanceRenewAttributes.InstanceRenewAttribute[0]
	}
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.RenewalStatus, r.Duration = "AutoRenewal", requests.NewInteger(3)
	}))
	if r := renewal(pre); r.RenewalStatus != "AutoRenewal" || !r.AutoRenewEnabled || r.Duration != 3 || r.PeriodUnit != "Month" {
		t.Fatalf("after AutoRenewal for 3 months: %+v", r)
	}
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.AutoRenew, r.Duration, r.PeriodUnit = requests.NewBoolean(true), requests.NewInteger(1), "Year"
	}))
	if r := renewal(pre); r.RenewalStatus != "AutoRenewal" || r.Duration != 12 {
		t.Fatalf("after AutoRenew for a year: %+v", r)
	}
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) { r.RenewalStatus = "NotRenewal" }))
	if r := renewal(pre); r.RenewalStatus != "NotRenewal" || r.AutoRenewEnabled || r.Duration != 0 {
		t.Fatalf("after NotRenewal: %+v", r)
	}
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) { r.RenewalStatus = "Normal" }))
	if r := renewal(pre); r.RenewalStatus != "Normal" || r.AutoRenewEnabled {
		t.Fatalf("after Normal: %+v", r)
	}

	// Errors; a call naming a pay-as-you-go instance changes none.
	apiError(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.InstanceId, r.RenewalStatus = pre+","+post, "AutoRenewal"
	}),
		"ChargeTypeViolation", 403)
	if r := renewal(pre); r.RenewalStatus != "Normal" {
		t.Fatalf("a refused call changed %s: %+v", pre, r)
	}
	apiError(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) { r.InstanceId = "i-missing" }), "InvalidInstanceId.NotFound", 404)
	apiError(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) { r.InstanceId = "" }), "MissingParameter", 400)
	apiError(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) { r.RenewalStatus = "Sometimes" }), "InvalidParameter.RenewalStatus", 403)
	apiError(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.RenewalStatus, r.Duration = "AutoRenewal", requests.NewInteger(5)
	}),
		"InvalidParameter", 400)
	_, err := e.ecs.ModifyInstanceAutoRenewAttribute(func() *ecs.ModifyInstanceAutoRenewAttributeRequest {
		req := ecs.CreateModifyInstanceAutoRenewAttributeRequest()
		req.RegionId, req.InstanceId, req.RenewalStatus = region, pre, "AutoRenewal"
		return req
	}())
	apiError(t, err, "InvalidInstanceId.NotFound", 404) // another account's

	// Billing follows: at the first expiry the auto-renewing instance is
	// renewed for a month (1000 - 2 × 292 - 292), the NotRenewal one expires.
	// (The pay-as-you-go instance goes first: its hours would eat the
	// balance.)
	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = post, requests.NewBoolean(true)
	_, err = a.ECS.DeleteInstance(del)
	ok(t, err)
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.RenewalStatus, r.Duration = "AutoRenewal", requests.NewInteger(1)
	}))
	ok(t, modify(func(r *ecs.ModifyInstanceAutoRenewAttributeRequest) {
		r.InstanceId, r.RenewalStatus = quit, "NotRenewal"
	}))
	first := describe(t, a.ECS, pre).ExpiredTime
	e.advance("745h")
	if in := describe(t, a.ECS, pre); in.Status != "Running" || in.ExpiredTime == first {
		t.Fatalf("the auto-renewing instance after its expiry: %s, expires %s (was %s)", in.Status, in.ExpiredTime, first)
	}
	if l := locks(t, a.ECS, quit); len(l) != 1 || l[0] != "financial" {
		t.Fatalf("the NotRenewal instance after its expiry: locks %v", l)
	}
	if got := e.balance(a.ID); got != "124.00" {
		t.Fatalf("balance after one auto-renewal: %s", got)
	}
}

func TestModifyInstanceNetworkSpec(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1)[0]
	pre := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Month"
	})[0]
	spec := func(id string, f func(*ecs.ModifyInstanceNetworkSpecRequest)) error {
		req := ecs.CreateModifyInstanceNetworkSpecRequest()
		req.RegionId, req.InstanceId = region, id
		f(req)
		_, err := e.ecs.ModifyInstanceNetworkSpec(req)
		return err
	}
	allocate := func(id string) (string, error) {
		req := ecs.CreateAllocatePublicIpAddressRequest()
		req.RegionId, req.InstanceId = region, id
		resp, err := e.ecs.AllocatePublicIpAddress(req)
		if err != nil {
			return "", err
		}
		return resp.IpAddress, nil
	}
	_, err := allocate(id)
	apiError(t, err, "OperationDenied", 403) // no public bandwidth yet

	// From no bandwidth to 10 Mbit/s, as the provider does it: the network
	// spec, then an address.
	ok(t, spec(id, func(r *ecs.ModifyInstanceNetworkSpecRequest) { r.InternetMaxBandwidthOut = requests.NewInteger(10) }))
	if in := describe(t, e.ecs, id); in.InternetMaxBandwidthOut != 10 || len(in.PublicIpAddress.IpAddress) != 0 {
		t.Fatalf("after ModifyInstanceNetworkSpec: bandwidth %d, public addresses %v", in.InternetMaxBandwidthOut, in.PublicIpAddress.IpAddress)
	}
	ip, err := allocate(id)
	ok(t, err)
	if in := describe(t, e.ecs, id); ip == "" || len(in.PublicIpAddress.IpAddress) != 1 || in.PublicIpAddress.IpAddress[0] != ip {
		t.Fatalf("AllocatePublicIpAddress gave %q; the instance shows %v", ip, in.PublicIpAddress.IpAddress)
	}
	_, err = allocate(id)
	apiError(t, err, "AllocatedAlready", 403)
	ok(t, spec(id, func(r *ecs.ModifyInstanceNetworkSpecRequest) {
		r.InternetMaxBandwidthOut, r.InternetMaxBandwidthIn, r.NetworkChargeType = requests.NewInteger(20), requests.NewInteger(200), "PayByBandwidth"
	}))
	if in := describe(t, e.ecs, id); in.InternetMaxBandwidthOut != 20 || in.InternetMaxBandwidthIn != 200 || in.InternetChargeType != "PayByBandwidth" ||
		in.PublicIpAddress.IpAddress[0] != ip {
		t.Fatalf("after a second change: out %d, in %d, %s, %v", in.InternetMaxBandwidthOut, in.InternetMaxBandwidthIn, in.InternetChargeType,
			in.PublicIpAddress.IpAddress)
	}

	// A subscription instance, with AllocatePublicIp.
	ok(t, spec(pre, func(r *ecs.ModifyInstanceNetworkSpecRequest) {
		r.InternetMaxBandwidthOut, r.AllocatePublicIp = requests.NewInteger(5), requests.NewBoolean(true)
	}))
	if in := describe(t, e.ecs, pre); in.InternetMaxBandwidthOut != 5 || len(in.PublicIpAddress.IpAddress) != 1 {
		t.Fatalf("a subscription after ModifyInstanceNetworkSpec(AllocatePublicIp): %d, %v", in.InternetMaxBandwidthOut, in.PublicIpAddress.IpAddress)
	}

	apiError(t, spec(id, func(r *ecs.ModifyInstanceNetworkSpecRequest) { r.InternetMaxBandwidthOut = requests.NewInteger(101) }), "InvalidParameter", 400)
	apiError(t, spec(id, func(r *ecs.ModifyInstanceNetworkSpecRequest) { r.NetworkChargeType = "PayByLuck" }), "InvalidParameter", 400)
	apiError(t, spec("i-missing", func(r *ecs.ModifyInstanceNetworkSpecRequest) {}), "InvalidInstanceId.NotFound", 404)
	apiError(t, spec("", func(r *ecs.ModifyInstanceNetworkSpecRequest) {}), "MissingParameter", 400)
	_, err = allocate("i-missing")
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	other := e.newAccount("100.00")
	req := ecs.CreateModifyInstanceNetworkSpecRequest()
	req.RegionId, req.InstanceId, req.InternetMaxBandwidthOut = region, id, requests.NewInteger(1)
	_, err = other.ECS.ModifyInstanceNetworkSpec(req)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
}
