package rpc_test

import (
	"net/url"
	"testing"
)

// FuzzNetworkActions throws arbitrary parameters at the network actions of
// both APIs, correctly signed: never a panic, never a 5xx for a client's
// input, always a well-formed error body.
func FuzzNetworkActions(f *testing.F) {
	f.Add("CidrBlock=10.0.0.0/8&VpcName=x", 0)
	f.Add("VpcId=vpc-x&CidrBlock=10.0.0.0/33", 1)
	f.Add("VpcId=,,,&IsDefault=maybe&PageSize=0&Tag.1.Key=", 2)
	f.Add("ZoneId=cn-hangzhou-h&CidrBlock=172.16.0.0/29&VpcId=vpc-x", 3)
	f.Add("ResourceType=VPC&ResourceId.1=x&Tag.1.Key=k&NextToken=%%%", 4)
	f.Add("Permissions=[{\"IpProtocol\":1}]&SecurityGroupId=sg-x", 5)
	f.Add("Permissions.1.IpProtocol=tcp&Permissions.1.PortRange=99999/1&IpProtocol=x", 6)
	f.Add("SecurityGroupRuleId.1=a&SecurityGroupRuleId.1=b&Priority=1e9", 7)
	f.Add("NetworkInterfaceId.101=x&MaxResults=-5&NextToken=zz", 8)
	f.Add("SecurityGroupIds=[1,2]&VSwitchId=vsw-x&PrivateIpAddress=::1&ImageId=aliyun_3_x64_20G_alibase_20240819.vhd&InstanceType=ecs.g7.large", 9)
	h := newServer(f)
	type act struct{ version, name string }
	actions := []act{
		{"2016-04-28", "CreateVpc"}, {"2016-04-28", "ModifyVpcAttribute"}, {"2016-04-28", "DescribeVpcs"}, {"2016-04-28", "CreateVSwitch"},
		{"2016-04-28", "ListTagResources"}, {"2014-05-26", "AuthorizeSecurityGroup"}, {"2014-05-26", "AuthorizeSecurityGroupEgress"},
		{"2014-05-26", "RevokeSecurityGroup"}, {"2014-05-26", "DescribeNetworkInterfaces"}, {"2014-05-26", "RunInstances"},
		{"2016-04-28", "DescribeRouteTableList"}, {"2016-04-28", "DescribeVSwitches"}, {"2016-04-28", "TagResources"},
		{"2014-05-26", "DescribeSecurityGroups"}, {"2014-05-26", "CreateSecurityGroup"}, {"2014-05-26", "ModifySecurityGroupRule"},
		{"2014-05-26", "DescribeSecurityGroupAttribute"}, {"2016-04-28", "DeleteVpc"}, {"2016-04-28", "UnTagResources"},
	}
	f.Fuzz(func(t *testing.T, query string, pick int) {
		extra, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		a := actions[((pick%len(actions))+len(actions))%len(actions)]
		extra.Set("Version", a.version)
		checkAnswer(t, serve(h, a.name, extra), a.name, query)
	})
}
