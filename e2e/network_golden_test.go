package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestNetworkGoldenBodies records the exact JSON and XML body of every
// action of the network model. Each format makes and acts on its own
// resources.
func TestNetworkGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	ids := map[string]map[string]string{"JSON": {}, "XML": {}}
	grab := map[string]*regexp.Regexp{
		"vpc": regexp.MustCompile(`vpc-[0-9a-z]{8,}`), "vsw": regexp.MustCompile(`vsw-[0-9a-z]{8,}`),
		"sg": regexp.MustCompile(`sg-[0-9a-z]{8,}`), "i": regexp.MustCompile(`i-[0-9a-z]{20}`), "vtb": regexp.MustCompile(`vtb-[0-9a-z]{8,}`),
	}
	const vpcAPI = "2016-04-28"
	call := func(name, version, action string, params func(ids map[string]string) map[string]string, wantStatus int, record bool) {
		t.Helper()
		for _, format := range []string{"JSON", "XML"} {
			p := map[string]string{"Format": format, "Version": version}
			if params != nil {
				for k, v := range params(ids[format]) {
					p[k] = v
				}
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			if strings.HasPrefix(action, "Create") || action == "RunInstances" || action == "DescribeRouteTableList" {
				for k, re := range grab {
					if id := re.FindString(string(r.Body)); id != "" && ids[format][k] == "" {
						ids[format][k] = id
					}
				}
			}
			if record {
				golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
			}
		}
	}
	with := func(kv ...string) func(map[string]string) map[string]string {
		return func(ids map[string]string) map[string]string {
			m := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				v := kv[i+1]
				if strings.HasPrefix(v, "$") {
					v = ids[v[1:]]
				}
				m[kv[i]] = v
			}
			return m
		}
	}

	call("CreateVpc", vpcAPI, "CreateVpc", with("CidrBlock", "10.0.0.0/16", "VpcName", "golden", "Description", "golden VPC",
		"Tag.1.Key", "env", "Tag.1.Value", "golden"), 200, true)
	call("DescribeVpcs", vpcAPI, "DescribeVpcs", with("VpcId", "$vpc"), 200, true)
	call("DescribeVpcAttribute", vpcAPI, "DescribeVpcAttribute", with("VpcId", "$vpc"), 200, true)
	call("DescribeVpcAttribute.error", vpcAPI, "DescribeVpcAttribute", with("VpcId", "vpc-bpnosuchvpc000000"), 404, true)
	call("ModifyVpcAttribute", vpcAPI, "ModifyVpcAttribute", with("VpcId", "$vpc", "VpcName", "golden2"), 200, true)
	call("DescribeRouteTableList", vpcAPI, "DescribeRouteTableList", with("VpcId", "$vpc"), 200, true)
	call("CreateVSwitch", vpcAPI, "CreateVSwitch", with("VpcId", "$vpc", "ZoneId", "cn-hangzhou-h", "CidrBlock", "10.0.1.0/24",
		"VSwitchName", "golden"), 200, true)
	call("CreateVSwitch.error", vpcAPI, "CreateVSwitch", with("VpcId", "$vpc", "ZoneId", "cn-hangzhou-h", "CidrBlock", "10.0.1.0/25"), 400, true)
	call("DescribeVSwitches", vpcAPI, "DescribeVSwitches", with("VpcId", "$vpc"), 200, true)
	call("DescribeVSwitchAttributes", vpcAPI, "DescribeVSwitchAttributes", with("VSwitchId", "$vsw"), 200, true)
	call("ModifyVSwitchAttribute", vpcAPI, "ModifyVSwitchAttribute", with("VSwitchId", "$vsw", "Description", "golden vSwitch"), 200, true)
	call("TagResources.vpc", vpcAPI, "TagResources", with("ResourceType", "VSWITCH", "ResourceId.1", "$vsw", "Tag.1.Key", "tier",
		"Tag.1.Value", "web"), 200, true)
	call("ListTagResources.vpc", vpcAPI, "ListTagResources", with("ResourceType", "VSWITCH", "ResourceId.1", "$vsw"), 200, true)
	call("UnTagResources.vpc", vpcAPI, "UnTagResources", with("ResourceType", "VSWITCH", "ResourceId.1", "$vsw", "TagKey.1", "tier"), 200, true)

	call("CreateSecurityGroup", ECSVersionForTests, "CreateSecurityGroup", with("VpcId", "$vpc", "SecurityGroupName", "golden",
		"Description", "golden group"), 200, true)
	call("AuthorizeSecurityGroup", ECSVersionForTests, "AuthorizeSecurityGroup", with("SecurityGroupId", "$sg", "Permissions.1.IpProtocol", "tcp",
		"Permissions.1.PortRange", "22/22", "Permissions.1.SourceCidrIp", "0.0.0.0/0", "Permissions.1.Policy", "accept", "Permissions.1.Priority", "1",
		"Permissions.1.NicType", "intranet", "Permissions.1.Description", "ssh"), 200, true)
	call("AuthorizeSecurityGroupEgress", ECSVersionForTests, "AuthorizeSecurityGroupEgress", with("SecurityGroupId", "$sg",
		"IpProtocol", "all", "PortRange", "-1/-1", "DestCidrIp", "0.0.0.0/0"), 200, true)
	call("TagResources.ecs", ECSVersionForTests, "TagResources", with("ResourceType", "securitygroup", "ResourceId.1", "$sg",
		"Tag.1.Key", "env", "Tag.1.Value", "golden"), 200, true)
	call("DescribeSecurityGroups", ECSVersionForTests, "DescribeSecurityGroups", with("SecurityGroupId", "$sg"), 200, true)
	call("DescribeSecurityGroupAttribute", ECSVersionForTests, "DescribeSecurityGroupAttribute", with("SecurityGroupId", "$sg"), 200, true)
	call("DescribeSecurityGroupAttribute.error", ECSVersionForTests, "DescribeSecurityGroupAttribute", with("SecurityGroupId", "sg-bpnosuchgroup0000"), 404, true)
	call("ModifySecurityGroupRule", ECSVersionForTests, "ModifySecurityGroupRule", with("SecurityGroupId", "$sg", "IpProtocol", "tcp",
		"PortRange", "22/22", "SourceCidrIp", "0.0.0.0/0", "Description", "ssh in"), 200, true)
	call("ModifySecurityGroupAttribute", ECSVersionForTests, "ModifySecurityGroupAttribute", with("SecurityGroupId", "$sg",
		"SecurityGroupName", "golden2"), 200, true)
	call("AuthorizeSecurityGroup.error", ECSVersionForTests, "AuthorizeSecurityGroup", with("SecurityGroupId", "$sg",
		"IpProtocol", "tcp", "PortRange", "22/21", "SourceCidrIp", "0.0.0.0/0"), 400, true)
	call("UntagResources.securitygroup", ECSVersionForTests, "UntagResources", with("ResourceType", "securitygroup", "ResourceId.1", "$sg", "TagKey.1", "env"), 200, true)

	call("RunInstances", ECSVersionForTests, "RunInstances", with("ImageId", image, "InstanceType", itype, "VSwitchId", "$vsw",
		"SecurityGroupIds.1", "$sg", "PrivateIpAddress", "10.0.1.10"), 200, false)
	call("DescribeNetworkInterfaces", ECSVersionForTests, "DescribeNetworkInterfaces", with("InstanceId", "$i"), 200, true)
	call("DeleteVSwitch.error", vpcAPI, "DeleteVSwitch", with("VSwitchId", "$vsw"), 400, true)
	call("DeleteSecurityGroup.error", ECSVersionForTests, "DeleteSecurityGroup", with("SecurityGroupId", "$sg"), 403, true)
	call("DeleteVpc.error", vpcAPI, "DeleteVpc", with("VpcId", "$vpc"), 400, true)
	call("DeleteInstance", ECSVersionForTests, "DeleteInstance", with("InstanceId", "$i", "Force", "true"), 200, false)
	call("RevokeSecurityGroup", ECSVersionForTests, "RevokeSecurityGroup", with("SecurityGroupId", "$sg", "IpProtocol", "tcp",
		"PortRange", "22/22", "SourceCidrIp", "0.0.0.0/0", "Policy", "accept", "Priority", "1", "NicType", "intranet"), 200, true)
	call("RevokeSecurityGroupEgress", ECSVersionForTests, "RevokeSecurityGroupEgress", with("SecurityGroupId", "$sg",
		"IpProtocol", "all", "PortRange", "-1/-1", "DestCidrIp", "0.0.0.0/0"), 200, true)
	call("DeleteSecurityGroup", ECSVersionForTests, "DeleteSecurityGroup", with("SecurityGroupId", "$sg"), 200, true)
	call("DeleteVSwitch", vpcAPI, "DeleteVSwitch", with("VSwitchId", "$vsw"), 200, true)
	call("DeleteVpc", vpcAPI, "DeleteVpc", with("VpcId", "$vpc"), 200, true)
}

// ECSVersionForTests is the ECS API version raw calls name.
const ECSVersionForTests = "2014-05-26"
