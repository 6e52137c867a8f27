package e2e

import (
	"slices"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// Instances in the user's network, and the default network as ordinary
// resources.

func TestInstancesInTheUsersNetwork(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-i", "10.0.1.0/24")
	g1, g2 := makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, vpcID)
	authorizeSSH(t, e.ecs, g1)

	ids := run(t, e.ecs, 2, inNetwork(vsw, g1, g2))
	a, b := describe(t, e.ecs, ids[0]), describe(t, e.ecs, ids[1])
	for _, in := range []ecs.Instance{a, b} {
		if in.ZoneId != "cn-hangzhou-i" || in.VpcAttributes.VpcId != vpcID || in.VpcAttributes.VSwitchId != vsw ||
			!slices.Equal(in.SecurityGroupIds.SecurityGroupId, []string{g1, g2}) {
			t.Fatalf("instance network = zone %s, %+v, groups %v", in.ZoneId, in.VpcAttributes, in.SecurityGroupIds.SecurityGroupId)
		}
		ips := in.VpcAttributes.PrivateIpAddress.IpAddress
		if len(ips) != 1 || !inBlock(t, ips[0], "10.0.1.1/32") && !inBlock(t, ips[0], "10.0.1.2/31") && !inBlock(t, ips[0], "10.0.1.4/30") {
			t.Fatalf("private address %v is not a the first usable addresses of 10.0.1.0/24 (10.0.1.0 is reserved)", ips)
		}
		eni := in.NetworkInterfaces.NetworkInterface
		if len(eni) != 1 || eni[0].Type != "Primary" || eni[0].PrimaryIpAddress != ips[0] {
			t.Fatalf("network interfaces = %+v", eni)
		}
	}
	if a.VpcAttributes.PrivateIpAddress.IpAddress[0] == b.VpcAttributes.PrivateIpAddress.IpAddress[0] {
		t.Fatal("two instances share an address")
	}

	// DescribeInstances filters.
	for name, f := range map[string]func(*ecs.DescribeInstancesRequest){
		"VpcId":           func(r *ecs.DescribeInstancesRequest) { r.VpcId = vpcID },
		"VSwitchId":       func(r *ecs.DescribeInstancesRequest) { r.VSwitchId = vsw },
		"SecurityGroupId": func(r *ecs.DescribeInstancesRequest) { r.SecurityGroupId = g2 },
	} {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId = region
		f(req)
		resp, err := e.ecs.DescribeInstances(req)
		ok(t, err)
		if resp.TotalCount != 2 {
			t.Fatalf("DescribeInstances by %s found %d", name, resp.TotalCount)
		}
	}

	// DescribeNetworkInterfaces, as the provider reads an instance's ENI.
	eniID := a.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
	nr := ecs.CreateDescribeNetworkInterfacesRequest()
	nr.RegionId, nr.NetworkInterfaceId = region, &[]string{eniID}
	resp, err := e.ecs.DescribeNetworkInterfaces(nr)
	ok(t, err)
	if resp.TotalCount != 1 || len(resp.NetworkInterfaceSets.NetworkInterfaceSet) != 1 {
		t.Fatalf("DescribeNetworkInterfaces = %+v", resp)
	}
	n := resp.NetworkInterfaceSets.NetworkInterfaceSet[0]
	if n.NetworkInterfaceId != eniID || n.InstanceId != ids[0] || n.VSwitchId != vsw || n.VpcId != vpcID || n.Type != "Primary" ||
		n.Status != "InUse" || n.PrivateIpAddress != a.VpcAttributes.PrivateIpAddress.IpAddress[0] || n.ZoneId != "cn-hangzhou-i" ||
		n.MacAddress != a.NetworkInterfaces.NetworkInterface[0].MacAddress || !slices.Equal(n.SecurityGroupIds.SecurityGroupId, []string{g1, g2}) ||
		len(n.PrivateIpSets.PrivateIpSet) != 1 || !n.PrivateIpSets.PrivateIpSet[0].Primary || n.Attachment.InstanceId != ids[0] {
		t.Fatalf("the interface = %+v", n)
	}
	for name, f := range map[string]func(*ecs.DescribeNetworkInterfacesRequest){
		"InstanceId": func(r *ecs.DescribeNetworkInterfacesRequest) { r.InstanceId = ids[1] },
		"VSwitchId":  func(r *ecs.DescribeNetworkInterfacesRequest) { r.VSwitchId = vsw },
		"VpcId":      func(r *ecs.DescribeNetworkInterfacesRequest) { r.VpcId = vpcID },
		"Type":       func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Primary" },
		"Secondary":  func(r *ecs.DescribeNetworkInterfacesRequest) { r.Type = "Secondary" },
	} {
		req := ecs.CreateDescribeNetworkInterfacesRequest()
		req.RegionId = region
		f(req)
		resp, err := e.ecs.DescribeNetworkInterfaces(req)
		ok(t, err)
		want := 2
		switch name {
		case "InstanceId":
			want = 1
		case "Secondary":
			want = 0
		}
		if len(resp.NetworkInterfaceSets.NetworkInterfaceSet) != want {
			t.Fatalf("DescribeNetworkInterfaces by %s: %d, want %d", name, len(resp.NetworkInterfaceSets.NetworkInterfaceSet), want)
		}
	}
	page := ecs.CreateDescribeNetworkInterfacesRequest()
	page.RegionId, page.MaxResults = region, intParam(1) // below 10 counts as 10
	pr, err := e.ecs.DescribeNetworkInterfaces(page)
	ok(t, err)
	if len(pr.NetworkInterfaceSets.NetworkInterfaceSet) != 2 || pr.NextToken != "" {
		t.Fatalf("MaxResults 1 = %+v", pr)
	}

	// A chosen address; the same one again; one outside; nonsense.
	id := run(t, e.ecs, 1, inNetwork(vsw, g1), func(r *ecs.RunInstancesRequest) { r.PrivateIpAddress = "10.0.1.200" })[0]
	if ip := describe(t, e.ecs, id).VpcAttributes.PrivateIpAddress.IpAddress[0]; ip != "10.0.1.200" {
		t.Fatalf("PrivateIpAddress 10.0.1.200 gave %s", ip)
	}
	for addr, code := range map[string]string{"10.0.1.200": "InvalidPrivateIpAddress.Duplicated", "10.0.2.5": "InvalidPrivateIpAddress",
		"10.0.1.255": "InvalidPrivateIpAddress", "10.0.1.0": "InvalidPrivateIpAddress", "10.0.1.x": "InvalidPrivateIpAddress.Malformed"} {
		req := runIn(vsw, g1)
		req.PrivateIpAddress = addr
		_, err := e.ecs.RunInstances(req)
		apiError(t, err, code, 400)
	}
	// Released with the instance: the address is free again.
	release(t, e.ecs, id)
	id = run(t, e.ecs, 1, inNetwork(vsw, g1), func(r *ecs.RunInstancesRequest) { r.PrivateIpAddress = "10.0.1.200" })[0]

	// The vSwitch and the groups are in use.
	dv := vpc.CreateDeleteVSwitchRequest()
	dv.RegionId, dv.VSwitchId = region, vsw
	_, err = v.DeleteVSwitch(dv)
	apiError(t, err, "DependencyViolation", 400)
	for _, x := range append(ids, id) {
		release(t, e.ecs, x)
	}
	if va := vswAttr(t, v, vsw); va.AvailableIpAddressCount != 252 {
		t.Fatalf("after the releases %d addresses are free, want 252", va.AvailableIpAddressCount)
	}
	_, err = v.DeleteVSwitch(dv)
	ok(t, err)
}

func TestRunInstancesNetworkErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	other := makeVpc(t, v, "192.168.0.0/16")
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-i", "10.0.1.0/24")
	g, far := makeGroup(t, e.ecs, vpcID), makeGroup(t, e.ecs, other)
	for _, tc := range []struct {
		name   string
		mutate func(*ecs.RunInstancesRequest)
		code   string
		status int
	}{
		{"unknown vSwitch", inNetwork("vsw-nope", g), "InvalidVSwitchId.NotFound", 404},
		{"unknown group", inNetwork(vsw, "sg-nope"), "InvalidSecurityGroupId.NotFound", 404},
		{"zone mismatch", func(r *ecs.RunInstancesRequest) { inNetwork(vsw, g)(r); r.ZoneId = "cn-hangzhou-h" }, "InvalidParameter.Mismatch", 400},
		{"group of another VPC", inNetwork(vsw, far), "InvalidParameter.Mismatch", 400},
		{"no group outside the default VPC", inNetwork(vsw), "MissingParameter", 400},
		{"a group outside the default VPC without a vSwitch", func(r *ecs.RunInstancesRequest) { r.SecurityGroupId = g }, "InvalidSecurityGroup.NotInDefaultVpc", 400},
		{"both group parameters", func(r *ecs.RunInstancesRequest) { inNetwork(vsw, g)(r); r.SecurityGroupId = g }, "InvalidParameter.Conflict", 400},
	} {
		req := ecs.CreateRunInstancesRequest()
		req.RegionId, req.ImageId, req.InstanceType = region, image, itype
		tc.mutate(req)
		_, err := e.ecs.RunInstances(req)
		t.Run(tc.name, func(t *testing.T) { apiError(t, err, tc.code, tc.status) })
	}
	// The groups of an instance are checked for CreateInstance too.
	cr := ecs.CreateCreateInstanceRequest()
	cr.RegionId, cr.ImageId, cr.InstanceType, cr.VSwitchId, cr.SecurityGroupId = region, image, itype, vsw, far
	_, err := e.ecs.CreateInstance(cr)
	apiError(t, err, "InvalidParameter.Mismatch", 400)
	cr.SecurityGroupId = g
	out, err := e.ecs.CreateInstance(cr)
	ok(t, err)
	if in := describe(t, e.ecs, out.InstanceId); in.VpcAttributes.VSwitchId != vsw || in.Status != "Stopped" {
		t.Fatalf("CreateInstance in the vSwitch: %+v %s", in.VpcAttributes, in.Status)
	}

	// A full vSwitch: a /29 has 8 - 4 usable addresses.
	small := makeVSwitch(t, v, vpcID, "cn-hangzhou-i", "10.0.9.0/29")
	run(t, e.ecs, 4, inNetwork(small, g))
	_, err = e.ecs.RunInstances(runIn(small, g))
	apiError(t, err, "QuotaExceeded.PrivateIpAddress", 400)
	if va := vswAttr(t, v, small); va.AvailableIpAddressCount != 0 {
		t.Fatalf("a full /29 has %d free", va.AvailableIpAddressCount)
	}
}

func TestDefaultNetworkIsOrdinaryResources(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	ids := run(t, e.ecs, 1)
	in := describe(t, e.ecs, ids[0])

	vr := vpc.CreateDescribeVpcsRequest()
	vr.RegionId, vr.IsDefault = region, boolParam(true)
	vs, err := v.DescribeVpcs(vr)
	ok(t, err)
	if len(vs.Vpcs.Vpc) != 1 || vs.Vpcs.Vpc[0].VpcId != in.VpcAttributes.VpcId || !vs.Vpcs.Vpc[0].IsDefault || vs.Vpcs.Vpc[0].CidrBlock != "172.16.0.0/12" {
		t.Fatalf("default VPCs = %+v, instance in %s", vs.Vpcs.Vpc, in.VpcAttributes.VpcId)
	}
	va := vswAttr(t, v, in.VpcAttributes.VSwitchId)
	if !va.IsDefault || va.ZoneId != in.ZoneId || va.VpcId != in.VpcAttributes.VpcId || !inBlock(t, in.VpcAttributes.PrivateIpAddress.IpAddress[0], va.CidrBlock) {
		t.Fatalf("the default vSwitch = %+v, instance %+v", va, in.VpcAttributes)
	}
	gr := ecs.CreateDescribeSecurityGroupsRequest()
	gr.RegionId, gr.VpcId = region, in.VpcAttributes.VpcId
	gs, err := e.ecs.DescribeSecurityGroups(gr)
	ok(t, err)
	if len(gs.SecurityGroups.SecurityGroup) != 1 || gs.SecurityGroups.SecurityGroup[0].SecurityGroupId != in.SecurityGroupIds.SecurityGroupId[0] ||
		gs.SecurityGroups.SecurityGroup[0].EcsCount != 1 {
		t.Fatalf("the default group = %+v", gs.SecurityGroups)
	}
	// A second instance in the zone uses the same network; another zone
	// gets its own default vSwitch in the same VPC.
	again := describe(t, e.ecs, run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) { r.ZoneId = in.ZoneId })[0])
	if again.VpcAttributes.VSwitchId != in.VpcAttributes.VSwitchId || again.VpcAttributes.PrivateIpAddress.IpAddress[0] == in.VpcAttributes.PrivateIpAddress.IpAddress[0] {
		t.Fatalf("second instance: %+v", again.VpcAttributes)
	}
	zone := "cn-hangzhou-i"
	if in.ZoneId == zone {
		zone = "cn-hangzhou-h"
	}
	third := describe(t, e.ecs, run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) { r.ZoneId = zone })[0])
	if third.VpcAttributes.VpcId != in.VpcAttributes.VpcId || third.VpcAttributes.VSwitchId == in.VpcAttributes.VSwitchId {
		t.Fatalf("an instance in %s: %+v", zone, third.VpcAttributes)
	}
	// The default vSwitch is an ordinary one: user vSwitches may join the
	// default VPC, and a default-VPC group needs no vSwitch.
	user := makeVSwitch(t, v, in.VpcAttributes.VpcId, "cn-hangzhou-k", "172.31.0.0/24")
	g := makeGroup(t, e.ecs, in.VpcAttributes.VpcId)
	x := describe(t, e.ecs, run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) { r.SecurityGroupId, r.ZoneId = g, in.ZoneId })[0])
	if x.VpcAttributes.VSwitchId != in.VpcAttributes.VSwitchId || x.SecurityGroupIds.SecurityGroupId[0] != g {
		t.Fatalf("a default-VPC group without a vSwitch: %+v %v", x.VpcAttributes, x.SecurityGroupIds)
	}
	y := describe(t, e.ecs, run(t, e.ecs, 1, inNetwork(user))[0])
	if y.VpcAttributes.VSwitchId != user || y.SecurityGroupIds.SecurityGroupId[0] != in.SecurityGroupIds.SecurityGroupId[0] {
		t.Fatalf("a vSwitch of the default VPC without a group: %+v %v", y.VpcAttributes, y.SecurityGroupIds)
	}
}

// Another account's network resources do not exist for the caller.
func TestNetworkTenancy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.newAccount("100.00"), e.newAccount("100.00")
	av, bv := e.vpcOf(alice), e.vpcOf(bob)
	vpcID := makeVpc(t, av, "10.0.0.0/16")
	vsw := makeVSwitch(t, av, vpcID, "cn-hangzhou-h", "10.0.0.0/24")
	g := makeGroup(t, alice.ECS, vpcID)
	authorizeSSH(t, alice.ECS, g)
	id := run(t, alice.ECS, 1, inNetwork(vsw, g))[0]
	eni := describe(t, alice.ECS, id).NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId
	rt := vpcRouteTable(t, av, vpcID)

	// Bob sees none of it in listings.
	dv := vpc.CreateDescribeVpcsRequest()
	dv.RegionId = region
	vs, err := bv.DescribeVpcs(dv)
	ok(t, err)
	dsw := vpc.CreateDescribeVSwitchesRequest()
	dsw.RegionId = region
	sws, err := bv.DescribeVSwitches(dsw)
	ok(t, err)
	dg := ecs.CreateDescribeSecurityGroupsRequest()
	dg.RegionId, dg.SecurityGroupId = region, g
	gs, err := bob.ECS.DescribeSecurityGroups(dg)
	ok(t, err)
	dn := ecs.CreateDescribeNetworkInterfacesRequest()
	dn.RegionId, dn.NetworkInterfaceId = region, &[]string{eni}
	ns, err := bob.ECS.DescribeNetworkInterfaces(dn)
	ok(t, err)
	drt := vpc.CreateDescribeRouteTableListRequest()
	drt.RegionId, drt.RouteTableId = region, rt
	rts, err := bv.DescribeRouteTableList(drt)
	ok(t, err)
	lt := vpc.CreateListTagResourcesRequest()
	lt.RegionId, lt.ResourceType, lt.ResourceId = region, "VPC", &[]string{vpcID}
	tags, err := bv.ListTagResources(lt)
	ok(t, err)
	if len(vs.Vpcs.Vpc)+len(sws.VSwitches.VSwitch)+len(gs.SecurityGroups.SecurityGroup)+len(ns.NetworkInterfaceSets.NetworkInterfaceSet)+
		len(rts.RouterTableList.RouterTableListType)+len(tags.TagResources.TagResource) != 0 {
		t.Fatalf("bob sees alice's network: %d VPCs, %d vSwitches, %d groups, %d ENIs, %d route tables, %d tags", len(vs.Vpcs.Vpc),
			len(sws.VSwitches.VSwitch), len(gs.SecurityGroups.SecurityGroup), len(ns.NetworkInterfaceSets.NetworkInterfaceSet),
			len(rts.RouterTableList.RouterTableListType), len(tags.TagResources.TagResource))
	}

	// And every call by id answers not found.
	va := vpc.CreateDescribeVpcAttributeRequest()
	va.RegionId, va.VpcId = region, vpcID
	_, err = bv.DescribeVpcAttribute(va)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	mv := vpc.CreateModifyVpcAttributeRequest()
	mv.RegionId, mv.VpcId, mv.VpcName = region, vpcID, "mine"
	_, err = bv.ModifyVpcAttribute(mv)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	del := vpc.CreateDeleteVpcRequest()
	del.RegionId, del.VpcId = region, vpcID
	_, err = bv.DeleteVpc(del)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	cs := vpc.CreateCreateVSwitchRequest()
	cs.RegionId, cs.VpcId, cs.ZoneId, cs.CidrBlock = region, vpcID, "cn-hangzhou-h", "10.0.1.0/24"
	_, err = bv.CreateVSwitch(cs)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	vsa := vpc.CreateDescribeVSwitchAttributesRequest()
	vsa.RegionId, vsa.VSwitchId = region, vsw
	_, err = bv.DescribeVSwitchAttributes(vsa)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	ms := vpc.CreateModifyVSwitchAttributeRequest()
	ms.RegionId, ms.VSwitchId, ms.VSwitchName = region, vsw, "mine"
	_, err = bv.ModifyVSwitchAttribute(ms)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	ds := vpc.CreateDeleteVSwitchRequest()
	ds.RegionId, ds.VSwitchId = region, vsw
	_, err = bv.DeleteVSwitch(ds)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	tr := vpc.CreateTagResourcesRequest()
	tr.RegionId, tr.ResourceType, tr.ResourceId, tr.Tag = region, "VPC", &[]string{vpcID}, &[]vpc.TagResourcesTag{{Key: "k", Value: "v"}}
	_, err = bv.TagResources(tr)
	apiError(t, err, "InvalidInstanceIds.NotFound", 400)
	ut := vpc.CreateUnTagResourcesRequest()
	ut.RegionId, ut.ResourceType, ut.ResourceId, ut.All = region, "ROUTETABLE", &[]string{rt}, boolParam(true)
	_, err = bv.UnTagResources(ut)
	apiError(t, err, "InvalidInstanceIds.NotFound", 400)

	sa := ecs.CreateDescribeSecurityGroupAttributeRequest()
	sa.RegionId, sa.SecurityGroupId = region, g
	_, err = bob.ECS.DescribeSecurityGroupAttribute(sa)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	cg := ecs.CreateCreateSecurityGroupRequest()
	cg.RegionId, cg.VpcId = region, vpcID
	_, err = bob.ECS.CreateSecurityGroup(cg)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	msg := ecs.CreateModifySecurityGroupAttributeRequest()
	msg.RegionId, msg.SecurityGroupId, msg.SecurityGroupName = region, g, "mine"
	_, err = bob.ECS.ModifySecurityGroupAttribute(msg)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	au := ecs.CreateAuthorizeSecurityGroupRequest()
	au.RegionId, au.SecurityGroupId = region, g
	au.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{{IpProtocol: "tcp", PortRange: "80/80", SourceCidrIp: "0.0.0.0/0"}}
	_, err = bob.ECS.AuthorizeSecurityGroup(au)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	aue := ecs.CreateAuthorizeSecurityGroupEgressRequest()
	aue.RegionId, aue.SecurityGroupId = region, g
	aue.Permissions = &[]ecs.AuthorizeSecurityGroupEgressPermissions{{IpProtocol: "tcp", PortRange: "80/80", DestCidrIp: "0.0.0.0/0"}}
	_, err = bob.ECS.AuthorizeSecurityGroupEgress(aue)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	rv := ecs.CreateRevokeSecurityGroupRequest()
	rv.RegionId, rv.SecurityGroupId, rv.IpProtocol, rv.PortRange, rv.SourceCidrIp = region, g, "tcp", "22/22", "0.0.0.0/0"
	_, err = bob.ECS.RevokeSecurityGroup(rv)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	rve := ecs.CreateRevokeSecurityGroupEgressRequest()
	rve.RegionId, rve.SecurityGroupId, rve.IpProtocol, rve.PortRange, rve.DestCidrIp = region, g, "tcp", "22/22", "0.0.0.0/0"
	_, err = bob.ECS.RevokeSecurityGroupEgress(rve)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	mr := ecs.CreateModifySecurityGroupRuleRequest()
	mr.RegionId, mr.SecurityGroupId, mr.IpProtocol, mr.PortRange, mr.SourceCidrIp, mr.Description = region, g, "tcp", "22/22", "0.0.0.0/0", "x"
	_, err = bob.ECS.ModifySecurityGroupRule(mr)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	mre := ecs.CreateModifySecurityGroupEgressRuleRequest()
	mre.RegionId, mre.SecurityGroupId, mre.IpProtocol, mre.PortRange, mre.DestCidrIp, mre.Description = region, g, "tcp", "22/22", "0.0.0.0/0", "x"
	_, err = bob.ECS.ModifySecurityGroupEgressRule(mre)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	dsg := ecs.CreateDeleteSecurityGroupRequest()
	dsg.RegionId, dsg.SecurityGroupId = region, g
	_, err = bob.ECS.DeleteSecurityGroup(dsg)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	et := ecs.CreateTagResourcesRequest()
	et.RegionId, et.ResourceType, et.ResourceId, et.Tag = region, "securitygroup", &[]string{g}, &[]ecs.TagResourcesTag{{Key: "k", Value: "v"}}
	_, err = bob.ECS.TagResources(et)
	apiError(t, err, "InvalidResourceId.NotFound", 404)
	eu := ecs.CreateUntagResourcesRequest()
	eu.RegionId, eu.ResourceType, eu.ResourceId, eu.All = region, "securitygroup", &[]string{g}, boolParam(true)
	_, err = bob.ECS.UntagResources(eu)
	apiError(t, err, "InvalidResourceId.NotFound", 404)
	_, err = bob.ECS.RunInstances(runIn(vsw, g))
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	bvpc := makeVpc(t, bv, "10.0.0.0/16")
	bsw := makeVSwitch(t, bv, bvpc, "cn-hangzhou-h", "10.0.0.0/24")
	_, err = bob.ECS.RunInstances(runIn(bsw, g))
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	// Bob's addresses are his own: the same block, the same first address.
	bg := makeGroup(t, bob.ECS, bvpc)
	bi := describe(t, bob.ECS, run(t, bob.ECS, 1, inNetwork(bsw, bg))[0])
	ai := describe(t, alice.ECS, id)
	if bi.VpcAttributes.PrivateIpAddress.IpAddress[0] != ai.VpcAttributes.PrivateIpAddress.IpAddress[0] {
		t.Fatalf("bob's first address %v, alice's %v: each vSwitch hands out its own", bi.VpcAttributes.PrivateIpAddress, ai.VpcAttributes.PrivateIpAddress)
	}

	// Alice's resources are untouched.
	if a := vpcAttr(t, av, vpcID); a.VpcName != "" || len(a.Tags.Tag) != 0 {
		t.Fatalf("alice's VPC changed: %+v", a)
	}
	if n := len(groupRules(t, alice.ECS, g, "ingress").Permissions.Permission); n != 1 {
		t.Fatalf("alice's group has %d rules", n)
	}
}

// Concurrent RunInstances into one vSwitch never share an address (on
// PostgreSQL the calls run at the same time on different connections).
func TestConcurrentInstancesGetDistinctAddresses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-h", "10.0.0.0/24")
	g := makeGroup(t, e.ecs, vpcID)
	const workers, each = 8, 4
	var mu sync.Mutex
	var ids []string
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		c := e.client("test", "test")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				resp, err := c.RunInstances(runIn(vsw, g))
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				ids = append(ids, resp.InstanceIdSets.InstanceIdSet...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("RunInstances: %v", err)
	}
	seen := map[string]string{}
	for _, id := range ids {
		ip := describe(t, e.ecs, id).VpcAttributes.PrivateIpAddress.IpAddress[0]
		if other, dup := seen[ip]; dup {
			t.Fatalf("%s and %s share %s", id, other, ip)
		}
		seen[ip] = id
	}
	if len(seen) != workers*each {
		t.Fatalf("%d addresses for %d instances", len(seen), workers*each)
	}
	if va := vswAttr(t, v, vsw); va.AvailableIpAddressCount != int64(252-workers*each) {
		t.Fatalf("AvailableIpAddressCount = %d, want %d", va.AvailableIpAddressCount, 252-workers*each)
	}
}
