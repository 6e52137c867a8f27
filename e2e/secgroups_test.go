package e2e

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// Security groups and their rules through the SDK's services/ecs.

func TestSecurityGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	other := makeVpc(t, v, "192.168.0.0/16")

	g := makeGroup(t, e.ecs, vpcID, func(r *ecs.CreateSecurityGroupRequest) {
		r.SecurityGroupName, r.Description = "web", "the web servers"
		r.Tag = &[]ecs.CreateSecurityGroupTag{{Key: "env", Value: "prod"}}
	})
	ent := makeGroup(t, e.ecs, vpcID, func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupType = "enterprise" })
	far := makeGroup(t, e.ecs, other)

	// Read back as alicloud_security_group does: the single-id parameter.
	req := ecs.CreateDescribeSecurityGroupsRequest()
	req.RegionId, req.SecurityGroupId = region, g
	resp, err := e.ecs.DescribeSecurityGroups(req)
	ok(t, err)
	if resp.TotalCount != 1 || len(resp.SecurityGroups.SecurityGroup) != 1 {
		t.Fatalf("DescribeSecurityGroups(SecurityGroupId) = %+v", resp)
	}
	sg := resp.SecurityGroups.SecurityGroup[0]
	if sg.SecurityGroupId != g || sg.SecurityGroupName != "web" || sg.Description != "the web servers" || sg.SecurityGroupType != "normal" ||
		sg.VpcId != vpcID || sg.CreationTime == "" || len(sg.Tags.Tag) != 1 || sg.Tags.Tag[0].TagKey != "env" || sg.Tags.Tag[0].TagValue != "prod" {
		t.Fatalf("the group = %+v", sg)
	}
	list := func(f func(*ecs.DescribeSecurityGroupsRequest)) []string {
		t.Helper()
		req := ecs.CreateDescribeSecurityGroupsRequest()
		req.RegionId = region
		f(req)
		resp, err := e.ecs.DescribeSecurityGroups(req)
		ok(t, err)
		var out []string
		for _, g := range resp.SecurityGroups.SecurityGroup {
			out = append(out, g.SecurityGroupId)
		}
		return out
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupIds = `["` + far + `","` + g + `"]` }); !slices.Equal(got, []string{g, far}) {
		t.Fatalf("by SecurityGroupIds = %v", got)
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.VpcId = vpcID }); !slices.Equal(got, []string{g, ent}) {
		t.Fatalf("by VpcId = %v", got)
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupName = "web" }); !slices.Equal(got, []string{g}) {
		t.Fatalf("by name = %v", got)
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupType = "enterprise" }); !slices.Equal(got, []string{ent}) {
		t.Fatalf("by type = %v", got)
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.Tag = &[]ecs.DescribeSecurityGroupsTag{{Key: "env"}} }); !slices.Equal(got, []string{g}) {
		t.Fatalf("by tag = %v", got)
	}
	// Token paging.
	page := ecs.CreateDescribeSecurityGroupsRequest()
	page.RegionId, page.MaxResults = region, intParam(2)
	p1, err := e.ecs.DescribeSecurityGroups(page)
	ok(t, err)
	if len(p1.SecurityGroups.SecurityGroup) != 2 || p1.NextToken == "" {
		t.Fatalf("page 1 = %+v", p1)
	}
	page.NextToken = p1.NextToken
	p2, err := e.ecs.DescribeSecurityGroups(page)
	ok(t, err)
	if len(p2.SecurityGroups.SecurityGroup) != 1 || p2.SecurityGroups.SecurityGroup[0].SecurityGroupId != far || p2.NextToken != "" {
		t.Fatalf("page 2 = %+v", p2)
	}

	if a := groupRules(t, e.ecs, g, ""); a.InnerAccessPolicy != "Accept" || a.VpcId != vpcID || a.SecurityGroupId != g || len(a.Permissions.Permission) != 0 {
		t.Fatalf("DescribeSecurityGroupAttribute = %+v", a)
	}
	if a := groupRules(t, e.ecs, ent, ""); a.InnerAccessPolicy != "Drop" {
		t.Fatalf("an enterprise group's InnerAccessPolicy = %s", a.InnerAccessPolicy)
	}

	mod := ecs.CreateModifySecurityGroupAttributeRequest()
	mod.RegionId, mod.SecurityGroupId, mod.SecurityGroupName, mod.Description = region, g, "web2", "renamed"
	_, err = e.ecs.ModifySecurityGroupAttribute(mod)
	ok(t, err)
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupId = g }); len(got) != 1 {
		t.Fatal("the renamed group is gone")
	}
	if a := groupRules(t, e.ecs, g, ""); a.SecurityGroupName != "web2" || a.Description != "renamed" {
		t.Fatalf("after ModifySecurityGroupAttribute: %+v", a)
	}

	// Tags through ECS TagResources / UntagResources.
	tr := ecs.CreateTagResourcesRequest()
	tr.RegionId, tr.ResourceType, tr.ResourceId = region, "securitygroup", &[]string{g, far}
	tr.Tag = &[]ecs.TagResourcesTag{{Key: "team", Value: "blue"}}
	_, err = e.ecs.TagResources(tr)
	ok(t, err)
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) {
		r.Tag = &[]ecs.DescribeSecurityGroupsTag{{Key: "team", Value: "blue"}}
	}); !slices.Equal(got, []string{g, far}) {
		t.Fatalf("after TagResources = %v", got)
	}
	ut := ecs.CreateUntagResourcesRequest()
	ut.RegionId, ut.ResourceType, ut.ResourceId, ut.TagKey = region, "securitygroup", &[]string{far}, &[]string{"team"}
	_, err = e.ecs.UntagResources(ut)
	ok(t, err)
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.Tag = &[]ecs.DescribeSecurityGroupsTag{{Key: "team"}} }); !slices.Equal(got, []string{g}) {
		t.Fatalf("after UntagResources = %v", got)
	}
	tr.ResourceId = &[]string{"sg-nope"}
	_, err = e.ecs.TagResources(tr)
	apiError(t, err, "InvalidResourceId.NotFound", 404)
	tr.ResourceType = "snapshot" // a type ECS tags, but no such snapshot
	_, err = e.ecs.TagResources(tr)
	apiError(t, err, "InvalidResourceId.NotFound", 404)
	tr.ResourceType = "rocket"
	_, err = e.ecs.TagResources(tr)
	apiError(t, err, "InvalidResourceType.NotFound", 404)

	// Errors of the group calls.
	for _, tc := range []struct {
		mutate func(*ecs.CreateSecurityGroupRequest)
		code   string
		status int
	}{
		{func(r *ecs.CreateSecurityGroupRequest) { r.VpcId = "" }, "InvalidVpcId.NotFound", 403},
		{func(r *ecs.CreateSecurityGroupRequest) { r.VpcId = "vpc-nope" }, "InvalidVpcId.NotFound", 404},
		{func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupName = "1abc" }, "InvalidSecurityGroupName.Malformed", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupName = "a" }, "InvalidSecurityGroupName.Malformed", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.Description = "http://x" }, "InvalidSecurityGroupDiscription.Malformed", 400},
		{func(r *ecs.CreateSecurityGroupRequest) { r.SecurityGroupType = "special" }, "InvalidParams.GroupType", 400},
		{func(r *ecs.CreateSecurityGroupRequest) {
			r.Tag = &[]ecs.CreateSecurityGroupTag{{Key: "acs:x", Value: "v"}}
		}, "InvalidTagKey.Malformed", 400},
	} {
		req := ecs.CreateCreateSecurityGroupRequest()
		req.RegionId, req.VpcId = region, vpcID
		tc.mutate(req)
		_, err := e.ecs.CreateSecurityGroup(req)
		apiError(t, err, tc.code, tc.status)
	}
	attr := ecs.CreateDescribeSecurityGroupAttributeRequest()
	attr.RegionId, attr.SecurityGroupId = region, "sg-nope"
	_, err = e.ecs.DescribeSecurityGroupAttribute(attr)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	mod.SecurityGroupId = "sg-nope"
	_, err = e.ecs.ModifySecurityGroupAttribute(mod)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)
	del := ecs.CreateDeleteSecurityGroupRequest()
	del.RegionId, del.SecurityGroupId = region, "sg-nope"
	_, err = e.ecs.DeleteSecurityGroup(del)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)

	// A group another group's rule names, or an instance uses, stays.
	src := ecs.CreateAuthorizeSecurityGroupRequest()
	src.RegionId, src.SecurityGroupId = region, ent
	src.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{{IpProtocol: "tcp", PortRange: "80/80", SourceGroupId: g}}
	_, err = e.ecs.AuthorizeSecurityGroup(src)
	apiError(t, err, "InvalidGroupParameter.OperationDenied", 400) // enterprise groups name no group
	web := makeGroup(t, e.ecs, vpcID)
	src.SecurityGroupId = web
	_, err = e.ecs.AuthorizeSecurityGroup(src)
	ok(t, err)
	del.SecurityGroupId = g
	_, err = e.ecs.DeleteSecurityGroup(del)
	se := apiError(t, err, "DependencyViolation", 403)
	if !strings.Contains(se.Message(), "authorized in another") {
		t.Fatalf("message %q", se.Message())
	}
	vsw := makeVSwitch(t, v, vpcID, "cn-hangzhou-h", "10.0.1.0/24")
	id := run(t, e.ecs, 1, inNetwork(vsw, web))[0]
	del.SecurityGroupId = web
	_, err = e.ecs.DeleteSecurityGroup(del)
	se = apiError(t, err, "DependencyViolation", 403)
	if !strings.Contains(se.Message(), "still instance") {
		t.Fatalf("message %q", se.Message())
	}
	if got := list(func(r *ecs.DescribeSecurityGroupsRequest) { r.SecurityGroupId = web }); len(got) != 1 {
		t.Fatal("lost the group")
	}
	release(t, e.ecs, id)
	_, err = e.ecs.DeleteSecurityGroup(del)
	ok(t, err)
	deleteGroup(t, e.ecs, g)
}

func TestSecurityGroupRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	g := makeGroup(t, e.ecs, vpcID)
	peer := makeGroup(t, e.ecs, vpcID)

	// Terraform's rule: Permissions.1, lower case, Priority 1, NicType intranet.
	authorizeSSH(t, e.ecs, g)
	// The old top-level parameters, upper case, another priority.
	old := ecs.CreateAuthorizeSecurityGroupRequest()
	old.RegionId, old.SecurityGroupId = region, g
	old.IpProtocol, old.PortRange, old.SourceGroupId, old.Policy, old.Priority, old.Description = "TCP", "3306/3306", peer, "Drop", "10", "mysql"
	_, err := e.ecs.AuthorizeSecurityGroup(old)
	ok(t, err)
	// Egress.
	eg := ecs.CreateAuthorizeSecurityGroupEgressRequest()
	eg.RegionId, eg.SecurityGroupId = region, g
	eg.Permissions = &[]ecs.AuthorizeSecurityGroupEgressPermissions{{IpProtocol: "ALL", PortRange: "-1/-1", DestCidrIp: "0.0.0.0/0"},
		{IpProtocol: "icmp", PortRange: "-1/-1", Ipv6DestCidrIp: "::/0"}}
	_, err = e.ecs.AuthorizeSecurityGroupEgress(eg)
	ok(t, err)

	in := groupRules(t, e.ecs, g, "ingress").Permissions.Permission
	if len(in) != 2 {
		t.Fatalf("ingress rules = %+v", in)
	}
	ssh, db := in[0], in[1]
	if ssh.IpProtocol != "tcp" || ssh.PortRange != "22/22" || ssh.SourceCidrIp != "0.0.0.0/0" || ssh.Policy != "accept" || ssh.Priority != "1" ||
		ssh.NicType != "intranet" || ssh.Direction != "ingress" || !strings.HasPrefix(ssh.SecurityGroupRuleId, "sgr-") || ssh.CreateTime == "" {
		t.Fatalf("the SSH rule = %+v", ssh)
	}
	if db.IpProtocol != "tcp" || db.Policy != "drop" || db.Priority != "10" || db.SourceGroupId != peer || db.Description != "mysql" {
		t.Fatalf("the MySQL rule = %+v", db)
	}
	out := groupRules(t, e.ecs, g, "egress").Permissions.Permission
	if len(out) != 2 || out[0].IpProtocol != "all" || out[0].DestCidrIp != "0.0.0.0/0" || out[1].Ipv6DestCidrIp != "::/0" || out[0].Direction != "egress" {
		t.Fatalf("egress rules = %+v", out)
	}
	if all := groupRules(t, e.ecs, g, ""); len(all.Permissions.Permission) != 4 {
		t.Fatalf("all rules = %d", len(all.Permissions.Permission))
	}
	// The rule read as the provider reads it (Direction and NicType given).
	rd := ecs.CreateDescribeSecurityGroupAttributeRequest()
	rd.RegionId, rd.SecurityGroupId, rd.Direction, rd.NicType = region, g, "ingress", "intranet"
	rr, err := e.ecs.DescribeSecurityGroupAttribute(rd)
	ok(t, err)
	if len(rr.Permissions.Permission) != 2 {
		t.Fatalf("with NicType intranet: %d rules", len(rr.Permissions.Permission))
	}
	// The provider reads a rule made without nic_type with NicType "<nil>".
	rd.NicType = "<nil>"
	rr, err = e.ecs.DescribeSecurityGroupAttribute(rd)
	ok(t, err)
	if len(rr.Permissions.Permission) != 2 {
		t.Fatalf("with NicType <nil>: %d rules", len(rr.Permissions.Permission))
	}

	// The same rule again adds nothing; twice in one call is refused.
	authorizeSSH(t, e.ecs, g)
	if n := len(groupRules(t, e.ecs, g, "ingress").Permissions.Permission); n != 2 {
		t.Fatalf("a repeated authorize made %d rules", n)
	}
	dup := ecs.CreateAuthorizeSecurityGroupRequest()
	dup.RegionId, dup.SecurityGroupId = region, g
	dup.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{{IpProtocol: "udp", PortRange: "53/53", SourceCidrIp: "10.0.0.0/8"},
		{IpProtocol: "UDP", PortRange: "53/53", SourceCidrIp: "10.0.0.0/8"}}
	_, err = e.ecs.AuthorizeSecurityGroup(dup)
	apiError(t, err, "InvalidParam.DuplicatePermissions", 400)

	// Modify the description: by the rule's fields (as Terraform), then by id.
	mr := ecs.CreateModifySecurityGroupRuleRequest()
	mr.RegionId, mr.SecurityGroupId = region, g
	mr.IpProtocol, mr.PortRange, mr.SourceCidrIp, mr.Policy, mr.Priority, mr.NicType, mr.Description = "tcp", "22/22", "0.0.0.0/0", "accept", "1", "intranet", "ssh in"
	_, err = e.ecs.ModifySecurityGroupRule(mr)
	ok(t, err)
	if got := groupRules(t, e.ecs, g, "ingress").Permissions.Permission[0]; got.Description != "ssh in" || got.SecurityGroupRuleId != ssh.SecurityGroupRuleId {
		t.Fatalf("after ModifySecurityGroupRule by fields: %+v", got)
	}
	mr = ecs.CreateModifySecurityGroupRuleRequest()
	mr.RegionId, mr.SecurityGroupId, mr.SecurityGroupRuleId, mr.PortRange, mr.Priority = region, g, ssh.SecurityGroupRuleId, "2222/2222", "5"
	_, err = e.ecs.ModifySecurityGroupRule(mr)
	ok(t, err)
	if got := groupRules(t, e.ecs, g, "ingress").Permissions.Permission[0]; got.PortRange != "2222/2222" || got.Priority != "5" || got.Description != "ssh in" {
		t.Fatalf("after ModifySecurityGroupRule by id: %+v", got)
	}
	mr.SecurityGroupRuleId = "sgr-nope"
	_, err = e.ecs.ModifySecurityGroupRule(mr)
	apiError(t, err, "InvalidSecurityGroupRuleId.NotFound", 404)
	mr = ecs.CreateModifySecurityGroupRuleRequest()
	mr.RegionId, mr.SecurityGroupId, mr.IpProtocol, mr.PortRange, mr.SourceCidrIp, mr.Description = region, g, "tcp", "1/1", "1.2.3.4", "x"
	_, err = e.ecs.ModifySecurityGroupRule(mr)
	apiError(t, err, "SecurityGroupRule.NotFound", 404)

	// Revoke by fields (as Terraform's destroy sends it), by id, and a rule
	// that is not there.
	rv := ecs.CreateRevokeSecurityGroupRequest()
	rv.RegionId, rv.SecurityGroupId = region, g
	rv.IpProtocol, rv.PortRange, rv.SourceCidrIp, rv.Policy, rv.Priority, rv.NicType = "tcp", "2222/2222", "0.0.0.0/0", "accept", "5", "intranet"
	_, err = e.ecs.RevokeSecurityGroup(rv)
	ok(t, err)
	_, err = e.ecs.RevokeSecurityGroup(rv)
	ok(t, err) // gone already: no error, as on the real service
	rid := ecs.CreateRevokeSecurityGroupRequest()
	rid.RegionId, rid.SecurityGroupId, rid.SecurityGroupRuleId = region, g, &[]string{db.SecurityGroupRuleId}
	_, err = e.ecs.RevokeSecurityGroup(rid)
	ok(t, err)
	_, err = e.ecs.RevokeSecurityGroup(rid)
	apiError(t, err, "InvalidParam.SecurityGroupRuleId", 400)
	if n := len(groupRules(t, e.ecs, g, "ingress").Permissions.Permission); n != 0 {
		t.Fatalf("ingress rules left: %d", n)
	}
	rve := ecs.CreateRevokeSecurityGroupEgressRequest()
	rve.RegionId, rve.SecurityGroupId = region, g
	rve.Permissions = &[]ecs.RevokeSecurityGroupEgressPermissions{{IpProtocol: "all", PortRange: "-1/-1", DestCidrIp: "0.0.0.0/0"}}
	_, err = e.ecs.RevokeSecurityGroupEgress(rve)
	ok(t, err)
	if out := groupRules(t, e.ecs, g, "egress").Permissions.Permission; len(out) != 1 || out[0].IpProtocol != "icmp" {
		t.Fatalf("egress rules after the revoke: %+v", out)
	}
	// An egress rule id is not an ingress rule.
	rid.SecurityGroupRuleId = &[]string{out[0].SecurityGroupRuleId}
	_, err = e.ecs.RevokeSecurityGroup(rid)
	apiError(t, err, "InvalidParam.SecurityGroupRuleId", 400)
}

func TestSecurityGroupRuleValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.vpcClient("test", "test")
	vpcID := makeVpc(t, v, "10.0.0.0/16")
	g := makeGroup(t, e.ecs, vpcID)
	far := makeGroup(t, e.ecs, makeVpc(t, v, "192.168.0.0/16"))
	good := ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: "80/80", SourceCidrIp: "10.0.0.0/8"}
	for _, tc := range []struct {
		mutate func(*ecs.AuthorizeSecurityGroupPermissions)
		code   string
		status int
	}{
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.IpProtocol = "sctp" }, "InvalidIpProtocol.ValueNotSupported", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.IpProtocol = "" }, "MissingParameter", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "" }, "InvalidPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "80" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "90/80" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "0/80" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "1/65536" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.PortRange = "-1/-1" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.IpProtocol = "icmp" }, "InvalidIpPortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourcePortRange = "a/b" }, "InvalidSourcePortRange.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp = "10.0.0.0/40" }, "InvalidSourceCidrIp.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp = "::/0" }, "InvalidSourceCidrIp.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp, p.Ipv6SourceCidrIp = "", "10.0.0.0/8" }, "InvalidParam.Ipv6SourceCidrIp", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Ipv6SourceCidrIp = "::/0" }, "InvalidParam.SourceIp", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.DestCidrIp = "x" }, "InvalidDestCidrIp.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp = "" }, "MissingParameter.Source", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Policy = "allow" }, "InvalidPolicy.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Priority = "one" }, "InvalidPriority.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Priority = "0" }, "InvalidPriority.ValueNotSupported", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Priority = "101" }, "InvalidPriority.ValueNotSupported", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.NicType = "wifi" }, "InvalidNicType.ValueNotSupported", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.Description = "https://x" }, "InvalidSecurityGroupDiscription.Malformed", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp, p.SourceGroupId = "", "sg-nope" }, "InvalidSourceGroupId.NotFound", 404},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp, p.SourceGroupId = "", far }, "InvalidSourceGroupId.Mismatch", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp, p.SourceGroupId = "", g }, "InvalidParamter.Conflict", 400},
		{func(p *ecs.AuthorizeSecurityGroupPermissions) { p.SourceCidrIp, p.SourcePrefixListId = "", "pl-1" }, "InvalidPrefixListId.NotFound", 404},
	} {
		p := good
		tc.mutate(&p)
		req := ecs.CreateAuthorizeSecurityGroupRequest()
		req.RegionId, req.SecurityGroupId, req.Permissions = region, g, &[]ecs.AuthorizeSecurityGroupPermissions{p}
		_, err := e.ecs.AuthorizeSecurityGroup(req)
		apiError(t, err, tc.code, tc.status)
	}
	// Accepted variants: any case, icmp/gre/all with -1/-1, a single address.
	for _, p := range []ecs.AuthorizeSecurityGroupPermissions{
		{IpProtocol: "ICMP", PortRange: "-1/-1", SourceCidrIp: "1.2.3.4"},
		{IpProtocol: "Gre", PortRange: "-1/-1", SourceCidrIp: "10.0.0.0/8", Policy: "DROP", Priority: "100"},
		{IpProtocol: "all", PortRange: "-1/-1", Ipv6SourceCidrIp: "2001:db8::/32"},
		{IpProtocol: "udp", PortRange: "1/65535", SourceCidrIp: "0.0.0.0/0", NicType: "internet"},
	} {
		req := ecs.CreateAuthorizeSecurityGroupRequest()
		req.RegionId, req.SecurityGroupId, req.Permissions = region, g, &[]ecs.AuthorizeSecurityGroupPermissions{p}
		_, err := e.ecs.AuthorizeSecurityGroup(req)
		ok(t, err)
	}
	rules := groupRules(t, e.ecs, g, "ingress").Permissions.Permission
	if len(rules) != 4 || rules[0].IpProtocol != "icmp" || rules[1].Policy != "drop" || rules[3].NicType != "intranet" {
		t.Fatalf("accepted rules = %+v", rules)
	}
	// Permissions.N with top-level fields together.
	req := ecs.CreateAuthorizeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId, req.Permissions, req.IpProtocol = region, g, &[]ecs.AuthorizeSecurityGroupPermissions{good}, "tcp"
	_, err := e.ecs.AuthorizeSecurityGroup(req)
	apiError(t, err, "InvalidParam.Permissions", 400)
	// An egress rule needs a destination.
	eg := ecs.CreateAuthorizeSecurityGroupEgressRequest()
	eg.RegionId, eg.SecurityGroupId = region, g
	eg.Permissions = &[]ecs.AuthorizeSecurityGroupEgressPermissions{{IpProtocol: "tcp", PortRange: "80/80"}}
	_, err = e.ecs.AuthorizeSecurityGroupEgress(eg)
	apiError(t, err, "MissingParameter.Dest", 400)
	req = ecs.CreateAuthorizeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId, req.Permissions = region, "sg-nope", &[]ecs.AuthorizeSecurityGroupPermissions{good}
	_, err = e.ecs.AuthorizeSecurityGroup(req)
	apiError(t, err, "InvalidSecurityGroupId.NotFound", 404)

	// At most 200 rules per group.
	var perms []ecs.AuthorizeSecurityGroupPermissions
	for i := range 100 {
		perms = append(perms, ecs.AuthorizeSecurityGroupPermissions{IpProtocol: "tcp", PortRange: intRange(1000 + i), SourceCidrIp: "10.0.0.0/8"})
	}
	big := makeGroup(t, e.ecs, vpcID)
	req = ecs.CreateAuthorizeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId, req.Permissions = region, big, &perms
	_, err = e.ecs.AuthorizeSecurityGroup(req)
	ok(t, err)
	for i := range perms {
		perms[i].PortRange = intRange(2000 + i)
	}
	_, err = e.ecs.AuthorizeSecurityGroup(req)
	ok(t, err)
	req.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{good}
	_, err = e.ecs.AuthorizeSecurityGroup(req)
	apiError(t, err, "AuthorizationLimitExceed", 403)
}

func intRange(port int) string { return strconv.Itoa(port) + "/" + strconv.Itoa(port) }

// release deletes an instance with Force.
func release(t *testing.T, c *ecs.Client, id string) {
	t.Helper()
	req := ecs.CreateDeleteInstanceRequest()
	req.InstanceId, req.Force = id, "true"
	_, err := c.DeleteInstance(req)
	ok(t, err)
}
