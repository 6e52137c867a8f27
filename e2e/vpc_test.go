package e2e

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// The VPC API (version 2016-04-28) on the same endpoint, through the SDK's
// services/vpc.

func TestVpcLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")

	id := makeVpc(t, c, "10.0.0.0/8", func(r *vpc.CreateVpcRequest) {
		r.VpcName, r.Description = "main", "the main VPC"
		r.Tag = &[]vpc.CreateVpcTag{{Key: "env", Value: "test"}}
	})
	a := vpcAttr(t, c, id)
	if a.VpcId != id || a.Status != "Available" || a.CidrBlock != "10.0.0.0/8" || a.VpcName != "main" || a.Description != "the main VPC" ||
		a.RegionId != region || a.IsDefault || a.VRouterId == "" || a.CreationTime == "" || a.DnsHostnameStatus != "DISABLED" {
		t.Fatalf("DescribeVpcAttribute = %+v", a)
	}
	if len(a.Tags.Tag) != 1 || a.Tags.Tag[0].Key != "env" || a.Tags.Tag[0].Value != "test" {
		t.Fatalf("tags = %+v, want env=test as Key/Value", a.Tags.Tag)
	}
	if _, err := time.Parse(time.RFC3339, a.CreationTime); err != nil {
		t.Fatalf("CreationTime %q is not RFC 3339: %v", a.CreationTime, err)
	}

	// The system route table, as alicloud_vpc reads it.
	rt := vpc.CreateDescribeRouteTableListRequest()
	rt.RegionId, rt.VpcId = region, id
	rts, err := c.DescribeRouteTableList(rt)
	ok(t, err)
	if rts.TotalCount != 1 || len(rts.RouterTableList.RouterTableListType) != 1 {
		t.Fatalf("DescribeRouteTableList = %+v", rts)
	}
	tbl := rts.RouterTableList.RouterTableListType[0]
	if tbl.RouteTableType != "System" || tbl.VpcId != id || tbl.RouterId != a.VRouterId || tbl.RouteTableId == "" || tbl.RouterType != "VRouter" {
		t.Fatalf("the route table = %+v", tbl)
	}
	for _, f := range []func(*vpc.DescribeRouteTableListRequest){
		func(r *vpc.DescribeRouteTableListRequest) { r.RouterId = a.VRouterId },
		func(r *vpc.DescribeRouteTableListRequest) { r.RouteTableId = tbl.RouteTableId },
		func(r *vpc.DescribeRouteTableListRequest) { r.RouteTableType = "System" },
	} {
		req := vpc.CreateDescribeRouteTableListRequest()
		req.RegionId = region
		f(req)
		got, err := c.DescribeRouteTableList(req)
		ok(t, err)
		if len(got.RouterTableList.RouterTableListType) != 1 || got.RouterTableList.RouterTableListType[0].RouteTableId != tbl.RouteTableId {
			t.Fatalf("filtered DescribeRouteTableList = %+v", got.RouterTableList)
		}
	}
	custom := vpc.CreateDescribeRouteTableListRequest()
	custom.RegionId, custom.VpcId, custom.RouteTableType = region, id, "Custom"
	got, err := c.DescribeRouteTableList(custom)
	ok(t, err)
	if len(got.RouterTableList.RouterTableListType) != 0 {
		t.Fatalf("a Custom route table listed: %+v", got.RouterTableList)
	}

	// DescribeVpcs and its filters.
	other := makeVpc(t, c, "192.168.0.0/16", func(r *vpc.CreateVpcRequest) { r.VpcName = "other" })
	list := func(f func(*vpc.DescribeVpcsRequest)) []string {
		t.Helper()
		req := vpc.CreateDescribeVpcsRequest()
		req.RegionId = region
		f(req)
		resp, err := c.DescribeVpcs(req)
		ok(t, err)
		var ids []string
		for _, v := range resp.Vpcs.Vpc {
			ids = append(ids, v.VpcId)
		}
		return ids
	}
	if got := list(func(*vpc.DescribeVpcsRequest) {}); !slices.Equal(got, []string{id, other}) {
		t.Fatalf("DescribeVpcs = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.VpcId = other }); !slices.Equal(got, []string{other}) {
		t.Fatalf("by VpcId = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.VpcId = id + "," + other }); len(got) != 2 {
		t.Fatalf("by two ids = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.VpcName = "main" }); !slices.Equal(got, []string{id}) {
		t.Fatalf("by VpcName = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.IsDefault = boolParam(true) }); len(got) != 0 {
		t.Fatalf("default VPCs before any instance = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.PageSize, r.PageNumber = intParam(1), intParam(2) }); !slices.Equal(got, []string{other}) {
		t.Fatalf("page 2 of size 1 = %v", got)
	}
	if got := list(func(r *vpc.DescribeVpcsRequest) { r.Tag = &[]vpc.DescribeVpcsTag{{Key: "env", Value: "test"}} }); !slices.Equal(got, []string{id}) {
		t.Fatalf("by tag = %v", got)
	}

	// Rename, describe, grow the block.
	mod := vpc.CreateModifyVpcAttributeRequest()
	mod.RegionId, mod.VpcId, mod.VpcName, mod.Description = region, other, "renamed", "new description"
	_, err = c.ModifyVpcAttribute(mod)
	ok(t, err)
	mod = vpc.CreateModifyVpcAttributeRequest()
	mod.RegionId, mod.VpcId, mod.CidrBlock = region, other, "192.168.0.0/20"
	_, err = c.ModifyVpcAttribute(mod)
	ok(t, err)
	if a := vpcAttr(t, c, other); a.VpcName != "renamed" || a.Description != "new description" || a.CidrBlock != "192.168.0.0/20" {
		t.Fatalf("after ModifyVpcAttribute: %+v", a)
	}

	// A vSwitch in it, described by both calls.
	vsw := makeVSwitch(t, c, other, "cn-hangzhou-i", "192.168.1.0/24")
	va := vswAttr(t, c, vsw)
	if va.VSwitchId != vsw || va.VpcId != other || va.ZoneId != "cn-hangzhou-i" || va.CidrBlock != "192.168.1.0/24" || va.Status != "Available" ||
		va.AvailableIpAddressCount != 252 || va.IsDefault || va.RouteTable.RouteTableType != "System" {
		t.Fatalf("DescribeVSwitchAttributes = %+v", va)
	}
	if a := vpcAttr(t, c, other); !slices.Equal(a.VSwitchIds.VSwitchId, []string{vsw}) {
		t.Fatalf("the VPC's VSwitchIds = %v", a.VSwitchIds.VSwitchId)
	}
	vs := vpc.CreateDescribeVSwitchesRequest()
	vs.RegionId, vs.VpcId = region, other
	vsr, err := c.DescribeVSwitches(vs)
	ok(t, err)
	if vsr.TotalCount != 1 || len(vsr.VSwitches.VSwitch) != 1 || vsr.VSwitches.VSwitch[0].VSwitchId != vsw || vsr.VSwitches.VSwitch[0].AvailableIpAddressCount != 252 {
		t.Fatalf("DescribeVSwitches = %+v", vsr)
	}
	vs = vpc.CreateDescribeVSwitchesRequest()
	vs.RegionId, vs.ZoneId = region, "cn-hangzhou-h"
	vsr, err = c.DescribeVSwitches(vs)
	ok(t, err)
	if len(vsr.VSwitches.VSwitch) != 0 {
		t.Fatalf("DescribeVSwitches in another zone = %+v", vsr.VSwitches)
	}
	mv := vpc.CreateModifyVSwitchAttributeRequest()
	mv.RegionId, mv.VSwitchId, mv.VSwitchName, mv.Description = region, vsw, "web", "the web tier"
	_, err = c.ModifyVSwitchAttribute(mv)
	ok(t, err)
	if va := vswAttr(t, c, vsw); va.VSwitchName != "web" || va.Description != "the web tier" {
		t.Fatalf("after ModifyVSwitchAttribute: %+v", va)
	}

	// The block cannot shrink past its vSwitch.
	mod = vpc.CreateModifyVpcAttributeRequest()
	mod.RegionId, mod.VpcId, mod.CidrBlock = region, other, "192.168.0.0/24"
	_, err = c.ModifyVpcAttribute(mod)
	apiError(t, err, "InvalidCidrBlock.Malformed", 400)

	// Deleting in dependency order.
	del := vpc.CreateDeleteVpcRequest()
	del.RegionId, del.VpcId = region, other
	_, err = c.DeleteVpc(del)
	apiError(t, err, "DependencyViolation.VSwitch", 400)
	dv := vpc.CreateDeleteVSwitchRequest()
	dv.RegionId, dv.VSwitchId = region, vsw
	_, err = c.DeleteVSwitch(dv)
	ok(t, err)
	_, err = c.DeleteVSwitch(dv)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	sg := makeGroup(t, e.ecs, other)
	_, err = c.DeleteVpc(del)
	apiError(t, err, "DependencyViolation.SecurityGroup", 400)
	deleteGroup(t, e.ecs, sg)
	_, err = c.DeleteVpc(del)
	ok(t, err)

	// Gone: 404, as the provider's waits expect.
	req := vpc.CreateDescribeVpcAttributeRequest()
	req.RegionId, req.VpcId = region, other
	_, err = c.DescribeVpcAttribute(req)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	vreq := vpc.CreateDescribeVSwitchAttributesRequest()
	vreq.RegionId, vreq.VSwitchId = region, vsw
	_, err = c.DescribeVSwitchAttributes(vreq)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	_, err = c.DeleteVpc(del)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
}

func TestVpcAndVSwitchArePendingUntilTheClockMoves(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	c := e.vpcClient("test", "test")
	id := makeVpc(t, c, "")
	if a := vpcAttr(t, c, id); a.Status != "Pending" || a.CidrBlock != "172.16.0.0/12" {
		t.Fatalf("a new VPC = %s %s, want Pending 172.16.0.0/12", a.Status, a.CidrBlock)
	}
	del := vpc.CreateDeleteVpcRequest()
	del.RegionId, del.VpcId = region, id
	_, err := c.DeleteVpc(del)
	apiError(t, err, "IncorrectVpcStatus", 400)
	req := vpc.CreateCreateVSwitchRequest()
	req.RegionId, req.VpcId, req.ZoneId, req.CidrBlock = region, id, "cn-hangzhou-h", "172.16.0.0/24"
	_, err = c.CreateVSwitch(req)
	apiError(t, err, "IncorrectVpcStatus", 400)

	e.advance("1h")
	if a := vpcAttr(t, c, id); a.Status != "Available" {
		t.Fatalf("after the delay the VPC is %s", a.Status)
	}
	vsw := makeVSwitch(t, c, id, "cn-hangzhou-h", "172.16.0.0/24")
	if va := vswAttr(t, c, vsw); va.Status != "Pending" {
		t.Fatalf("a new vSwitch is %s", va.Status)
	}
	g := makeGroup(t, e.ecs, id)
	_, err = e.ecs.RunInstances(runIn(vsw, g))
	apiError(t, err, "IncorrectVSwitchStatus", 400)
	dv := vpc.CreateDeleteVSwitchRequest()
	dv.RegionId, dv.VSwitchId = region, vsw
	_, err = c.DeleteVSwitch(dv)
	apiError(t, err, "IncorrectVSwitchStatus", 400)
	e.advance("1h")
	if va := vswAttr(t, c, vsw); va.Status != "Available" {
		t.Fatalf("after the delay the vSwitch is %s", va.Status)
	}
	_, err = c.DeleteVSwitch(dv)
	ok(t, err)
}

func TestVpcErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")
	for _, tc := range []struct {
		cidr, name, desc string
		code             string
	}{
		{cidr: "10.0.0.0/33", code: "InvalidCidrBlock.Malformed"},
		{cidr: "nonsense", code: "InvalidCidrBlock.Malformed"},
		{cidr: "10.0.0.1/8", code: "InvalidCidrBlock.Malformed"}, // host bits
		{cidr: "8.8.0.0/16", code: "InvalidCidrBlock.Malformed"}, // not private
		{cidr: "10.0.0.0/7", code: "InvalidCidrBlock.Malformed"},
		{cidr: "10.0.0.0/29", code: "InvalidCidrBlock.Malformed"},
		{cidr: "2001:db8::/32", code: "InvalidCidrBlock.Malformed"},
		{name: "http://x", code: "InvalidVpcName.Malformed"},
		{desc: "https://x", code: "InvalidVpcDiscription.Malformed"},
	} {
		req := vpc.CreateCreateVpcRequest()
		req.RegionId, req.CidrBlock, req.VpcName, req.Description = region, tc.cidr, tc.name, tc.desc
		_, err := c.CreateVpc(req)
		apiError(t, err, tc.code, 400)
	}
	req := vpc.CreateCreateVpcRequest()
	req.RegionId = "cn-nowhere"
	_, err := c.CreateVpc(req)
	apiError(t, err, "InvalidRegionId.NotFound", 404)
	req = vpc.CreateCreateVpcRequest()
	req.RegionId, req.DryRun = region, boolParam(true)
	_, err = c.CreateVpc(req)
	apiError(t, err, "DryRunOperation", 400)

	// ClientToken: the same call twice makes one VPC; other parameters
	// under the same token are refused.
	req = vpc.CreateCreateVpcRequest()
	req.RegionId, req.CidrBlock, req.ClientToken = region, "10.0.0.0/16", "token-1"
	first, err := c.CreateVpc(req)
	ok(t, err)
	again, err := c.CreateVpc(req)
	ok(t, err)
	if again.VpcId != first.VpcId {
		t.Fatalf("a retry under the same ClientToken made %s, then %s", first.VpcId, again.VpcId)
	}
	req.CidrBlock = "10.1.0.0/16"
	_, err = c.CreateVpc(req)
	apiError(t, err, "IdempotentParameterMismatch", 400)

	id := first.VpcId
	for _, tc := range []struct {
		vpc, zone, cidr string
		code            string
		status          int
	}{
		{"vpc-nope", "cn-hangzhou-h", "10.0.0.0/24", "InvalidVpcId.NotFound", 404},
		{id, "cn-nowhere-a", "10.0.0.0/24", "InvalidZoneId.NotFound", 404},
		{id, "cn-beijing-a", "10.0.0.0/24", "InvalidZoneId.NotFound", 404},
		{id, "cn-hangzhou-h", "10.0.0.0/24x", "InvalidCidrBlock.Malformed", 400},
		{id, "cn-hangzhou-h", "10.0.0.0/30", "InvalidCirdrBlock.MaskLength", 400},
		{id, "cn-hangzhou-h", "10.0.0.0/15", "InvalidCirdrBlock.MaskLength", 400},
		{id, "cn-hangzhou-h", "10.1.0.0/24", "InvalidParameter", 400},
	} {
		r := vpc.CreateCreateVSwitchRequest()
		r.RegionId, r.VpcId, r.ZoneId, r.CidrBlock = region, tc.vpc, tc.zone, tc.cidr
		_, err := c.CreateVSwitch(r)
		apiError(t, err, tc.code, tc.status)
	}
	makeVSwitch(t, c, id, "cn-hangzhou-h", "10.0.0.0/24")
	r := vpc.CreateCreateVSwitchRequest()
	r.RegionId, r.VpcId, r.ZoneId, r.CidrBlock = region, id, "cn-hangzhou-i", "10.0.0.128/25"
	_, err = c.CreateVSwitch(r)
	apiError(t, err, "InvalidCidrBlock.Overlapped", 400)
	r.CidrBlock, r.VSwitchName = "10.0.1.0/24", "https://nope"
	_, err = c.CreateVSwitch(r)
	apiError(t, err, "InvalidVSwitchName.Malformed", 400)
	r = vpc.CreateCreateVSwitchRequest()
	r.RegionId, r.VpcId, r.CidrBlock = region, id, "10.0.1.0/24"
	_, err = c.CreateVSwitch(r)
	apiError(t, err, "MissingParameter", 400)
	dv := vpc.CreateDeleteVSwitchRequest()
	dv.RegionId, dv.VSwitchId = region, "vsw-nope"
	_, err = c.DeleteVSwitch(dv)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	mod := vpc.CreateModifyVpcAttributeRequest()
	mod.RegionId, mod.VpcId, mod.CidrBlock = region, id, "192.168.0.0/16"
	_, err = c.ModifyVpcAttribute(mod)
	apiError(t, err, "InvalidCidrBlock.Malformed", 400)
	mod.VpcId = "vpc-nope"
	_, err = c.ModifyVpcAttribute(mod)
	apiError(t, err, "InvalidVpcId.NotFound", 404)
	mv := vpc.CreateModifyVSwitchAttributeRequest()
	mv.RegionId, mv.VSwitchId, mv.VSwitchName = region, "vsw-nope", "x"
	_, err = c.ModifyVSwitchAttribute(mv)
	apiError(t, err, "InvalidVSwitchId.NotFound", 404)
	dr := vpc.CreateDescribeRouteTableListRequest()
	dr.RegionId, dr.RouteTableType = region, "Other"
	_, err = c.DescribeRouteTableList(dr)
	apiError(t, err, "InvalidParameter", 400)
}

// The provider sends DescribeVSwitchAttributes with VSwitchId in the query
// and RegionId in the form body.
func TestDescribeVSwitchAttributesQueryAndBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")
	id := makeVpc(t, c, "10.0.0.0/16")
	vsw := makeVSwitch(t, c, id, "cn-hangzhou-h", "10.0.0.0/24")
	r := e.raw("DescribeVSwitchAttributes", rawCall{Params: map[string]string{"Version": "2016-04-28", "VSwitchId": vsw, "Format": "json"},
		Form: map[string]string{"RegionId": region}, Tamper: func(q url.Values) { q.Del("RegionId") }})
	if r.Status != 200 || r.JSON["VSwitchId"] != vsw || r.JSON["Status"] != "Available" {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	r = e.raw("DescribeVSwitchAttributes", rawCall{Params: map[string]string{"Version": "2016-04-28", "VSwitchId": "vsw-gone"},
		Form: map[string]string{"RegionId": region}, Tamper: func(q url.Values) { q.Del("RegionId") }})
	if r.Status != 404 || r.JSON["Code"] != "InvalidVSwitchId.NotFound" {
		t.Fatalf("an unknown vSwitch: status %d: %s", r.Status, r.Body)
	}
}

func TestVpcTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.vpcClient("test", "test")
	id := makeVpc(t, c, "10.0.0.0/16")
	vsw := makeVSwitch(t, c, id, "cn-hangzhou-h", "10.0.0.0/24")
	rtable := vpcRouteTable(t, c, id)

	tag := func(typ string, ids []string, tags ...vpc.TagResourcesTag) error {
		req := vpc.CreateTagResourcesRequest()
		req.RegionId, req.ResourceType, req.ResourceId, req.Tag = region, typ, &ids, &tags
		_, err := c.TagResources(req)
		return err
	}
	list := func(typ string, ids []string, tags ...vpc.ListTagResourcesTag) []string {
		t.Helper()
		req := vpc.CreateListTagResourcesRequest()
		req.RegionId, req.ResourceType = region, typ
		if len(ids) > 0 {
			req.ResourceId = &ids
		}
		if len(tags) > 0 {
			req.Tag = &tags
		}
		resp, err := c.ListTagResources(req)
		ok(t, err)
		var out []string
		for _, r := range resp.TagResources.TagResource {
			if r.ResourceType != typ {
				t.Fatalf("ResourceType %q, want %q echoed", r.ResourceType, typ)
			}
			out = append(out, r.ResourceId+":"+r.TagKey+"="+r.TagValue)
		}
		return out
	}
	ok(t, tag("VPC", []string{id}, vpc.TagResourcesTag{Key: "env", Value: "prod"}, vpc.TagResourcesTag{Key: "team", Value: "blue"}))
	ok(t, tag("VSWITCH", []string{vsw}, vpc.TagResourcesTag{Key: "tier", Value: "web"}))
	ok(t, tag("ROUTETABLE", []string{rtable}, vpc.TagResourcesTag{Key: "rt", Value: "1"}))
	ok(t, tag("VPC", []string{id}, vpc.TagResourcesTag{Key: "team", Value: "red"})) // changes a value
	if got := list("VPC", []string{id}); !slices.Equal(got, []string{id + ":env=prod", id + ":team=red"}) {
		t.Fatalf("VPC tags = %v", got)
	}
	if got := list("VSWITCH", nil, vpc.ListTagResourcesTag{Key: "tier", Value: "web"}); !slices.Equal(got, []string{vsw + ":tier=web"}) {
		t.Fatalf("by tag = %v", got)
	}
	if got := list("ROUTETABLE", []string{rtable}); !slices.Equal(got, []string{rtable + ":rt=1"}) {
		t.Fatalf("route table tags = %v", got)
	}
	if a := vpcAttr(t, c, id); len(a.Tags.Tag) != 2 {
		t.Fatalf("DescribeVpcAttribute tags = %+v", a.Tags)
	}
	if va := vswAttr(t, c, vsw); len(va.Tags.Tag) != 1 || va.Tags.Tag[0].Key != "tier" {
		t.Fatalf("DescribeVSwitchAttributes tags = %+v", va.Tags)
	}

	// Paging.
	req := vpc.CreateListTagResourcesRequest()
	req.RegionId, req.ResourceType, req.ResourceId, req.MaxResults = region, "VPC", &[]string{id}, intParam(1)
	page, err := c.ListTagResources(req)
	ok(t, err)
	if len(page.TagResources.TagResource) != 1 || page.NextToken == "" {
		t.Fatalf("page 1 = %+v", page)
	}
	req.NextToken = page.NextToken
	page, err = c.ListTagResources(req)
	ok(t, err)
	if len(page.TagResources.TagResource) != 1 || page.TagResources.TagResource[0].TagKey != "team" || page.NextToken != "" {
		t.Fatalf("page 2 = %+v", page)
	}

	un := vpc.CreateUnTagResourcesRequest()
	un.RegionId, un.ResourceType, un.ResourceId, un.TagKey = region, "VPC", &[]string{id}, &[]string{"team", "nope"}
	_, err = c.UnTagResources(un)
	ok(t, err)
	if got := list("VPC", []string{id}); !slices.Equal(got, []string{id + ":env=prod"}) {
		t.Fatalf("after UnTagResources = %v", got)
	}
	un = vpc.CreateUnTagResourcesRequest()
	un.RegionId, un.ResourceType, un.ResourceId, un.All = region, "VPC", &[]string{id}, boolParam(true)
	_, err = c.UnTagResources(un)
	ok(t, err)
	if got := list("VPC", []string{id}); len(got) != 0 {
		t.Fatalf("after All = %v", got)
	}

	// Errors.
	apiError(t, tag("NATGATEWAY", []string{id}, vpc.TagResourcesTag{Key: "k", Value: "v"}), "InvalidInstanceType.NotFound", 400)
	apiError(t, tag("VPC", []string{"vpc-nope"}, vpc.TagResourcesTag{Key: "k", Value: "v"}), "InvalidInstanceIds.NotFound", 400)
	apiError(t, tag("VPC", []string{vsw}, vpc.TagResourcesTag{Key: "k", Value: "v"}), "InvalidInstanceIds.NotFound", 400)
	apiError(t, tag("VPC", []string{id}, vpc.TagResourcesTag{Key: "aliyun-x", Value: "v"}), "InvalidTagKey", 400)
	apiError(t, tag("VPC", []string{id}, vpc.TagResourcesTag{Key: "k", Value: "https://v"}), "InvalidTagValue", 400)
	var many []vpc.TagResourcesTag
	for i := range 20 {
		many = append(many, vpc.TagResourcesTag{Key: "k" + string(rune('a'+i)), Value: "v"})
	}
	ok(t, tag("VPC", []string{id}, many...))
	apiError(t, tag("VPC", []string{id}, vpc.TagResourcesTag{Key: "one-more", Value: "v"}), "QuotaExceeded.TagNum", 400)
	empty := vpc.CreateListTagResourcesRequest()
	empty.RegionId, empty.ResourceType = region, "VPC"
	_, err = c.ListTagResources(empty)
	apiError(t, err, "BothEmpty.TagsAndResources", 403)
}

// vpcRouteTable returns the id of a VPC's system route table.
func vpcRouteTable(t *testing.T, c *vpc.Client, id string) string {
	t.Helper()
	req := vpc.CreateDescribeRouteTableListRequest()
	req.RegionId, req.VpcId = region, id
	resp, err := c.DescribeRouteTableList(req)
	ok(t, err)
	if len(resp.RouterTableList.RouterTableListType) != 1 {
		t.Fatalf("route tables of %s: %+v", id, resp.RouterTableList)
	}
	return resp.RouterTableList.RouterTableListType[0].RouteTableId
}
