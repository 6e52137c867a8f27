package e2e

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// vpcClient returns a VPC API client (the SDK's services/vpc, version
// 2016-04-28) for an AccessKey pair, pointed at the server.
func (e *env) vpcClient(keyID, secret string) *vpc.Client {
	e.t.Helper()
	sdkMu.Lock()
	defer sdkMu.Unlock()
	c, err := vpc.NewClientWithAccessKey(region, keyID, secret)
	if err != nil {
		e.t.Fatal(err)
	}
	c.Domain = e.addr()
	return c
}

// vpcOf is the VPC client of an account.
func (e *env) vpcOf(a *account) *vpc.Client { return e.vpcClient(a.Key, a.Secret) }

// makeVpc creates a VPC and returns its id.
func makeVpc(t *testing.T, c *vpc.Client, cidr string, mutate ...func(*vpc.CreateVpcRequest)) string {
	t.Helper()
	req := vpc.CreateCreateVpcRequest()
	req.RegionId, req.CidrBlock = region, cidr
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.CreateVpc(req)
	ok(t, err)
	if resp.VpcId == "" || resp.VRouterId == "" || resp.RouteTableId == "" {
		t.Fatalf("CreateVpc answered %+v", resp)
	}
	return resp.VpcId
}

// makeVSwitch creates a vSwitch and returns its id.
func makeVSwitch(t *testing.T, c *vpc.Client, vpcID, zone, cidr string) string {
	t.Helper()
	req := vpc.CreateCreateVSwitchRequest()
	req.RegionId, req.VpcId, req.ZoneId, req.CidrBlock = region, vpcID, zone, cidr
	resp, err := c.CreateVSwitch(req)
	ok(t, err)
	return resp.VSwitchId
}

// makeGroup creates a security group in the VPC and returns its id.
func makeGroup(t *testing.T, c *ecs.Client, vpcID string, mutate ...func(*ecs.CreateSecurityGroupRequest)) string {
	t.Helper()
	req := ecs.CreateCreateSecurityGroupRequest()
	req.RegionId, req.VpcId = region, vpcID
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.CreateSecurityGroup(req)
	ok(t, err)
	return resp.SecurityGroupId
}

// vpcAttr reads a VPC through DescribeVpcAttribute.
func vpcAttr(t *testing.T, c *vpc.Client, id string) *vpc.DescribeVpcAttributeResponse {
	t.Helper()
	req := vpc.CreateDescribeVpcAttributeRequest()
	req.RegionId, req.VpcId = region, id
	resp, err := c.DescribeVpcAttribute(req)
	ok(t, err)
	return resp
}

// vswAttr reads a vSwitch through DescribeVSwitchAttributes.
func vswAttr(t *testing.T, c *vpc.Client, id string) *vpc.DescribeVSwitchAttributesResponse {
	t.Helper()
	req := vpc.CreateDescribeVSwitchAttributesRequest()
	req.RegionId, req.VSwitchId = region, id
	resp, err := c.DescribeVSwitchAttributes(req)
	ok(t, err)
	return resp
}

// groupRules reads a group's rules through DescribeSecurityGroupAttribute.
func groupRules(t *testing.T, c *ecs.Client, id, direction string) *ecs.DescribeSecurityGroupAttributeResponse {
	t.Helper()
	req := ecs.CreateDescribeSecurityGroupAttributeRequest()
	req.RegionId, req.SecurityGroupId, req.Direction = region, id, direction
	resp, err := c.DescribeSecurityGroupAttribute(req)
	ok(t, err)
	return resp
}

// authorizeSSH opens tcp 22 from 0.0.0.0/0 with Permissions.1, as Terraform
// sends it.
func authorizeSSH(t *testing.T, c *ecs.Client, group string) {
	t.Helper()
	req := ecs.CreateAuthorizeSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId = region, group
	req.Permissions = &[]ecs.AuthorizeSecurityGroupPermissions{{IpProtocol: "tcp", PortRange: "22/22", SourceCidrIp: "0.0.0.0/0",
		Policy: "accept", Priority: "1", NicType: "intranet"}}
	_, err := c.AuthorizeSecurityGroup(req)
	ok(t, err)
}

// inNetwork sets RunInstances' vSwitch and groups.
func inNetwork(vsw string, groups ...string) func(*ecs.RunInstancesRequest) {
	return func(r *ecs.RunInstancesRequest) {
		r.VSwitchId = vsw
		if len(groups) > 0 {
			r.SecurityGroupIds = &groups
		}
	}
}

// inBlock reports whether an address is in a block.
func inBlock(t *testing.T, ip, cidr string) bool {
	t.Helper()
	a, err := netip.ParseAddr(ip)
	if err != nil {
		t.Fatalf("%q is not an address", ip)
	}
	return netip.MustParsePrefix(cidr).Contains(a)
}

func boolParam(b bool) requests.Boolean { return requests.NewBoolean(b) }

func intParam(n int) requests.Integer { return requests.Integer(fmt.Sprint(n)) }

// deleteGroup deletes a security group.
func deleteGroup(t *testing.T, c *ecs.Client, id string) {
	t.Helper()
	req := ecs.CreateDeleteSecurityGroupRequest()
	req.RegionId, req.SecurityGroupId = region, id
	_, err := c.DeleteSecurityGroup(req)
	ok(t, err)
}

// runIn is a RunInstances request for one instance in the vSwitch and
// groups.
func runIn(vsw string, groups ...string) *ecs.RunInstancesRequest {
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	inNetwork(vsw, groups...)(req)
	return req
}
