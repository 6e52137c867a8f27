package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestGoldenMembership records the exact JSON and XML body of
// JoinSecurityGroup, LeaveSecurityGroup, ModifySecurityGroupPolicy,
// ModifyInstanceAutoRenewAttribute, ModifyInstanceNetworkSpec and
// AllocatePublicIpAddress, and of one error of each. Each format makes and
// acts on its own resources.
func TestGoldenMembership(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	const vpcAPI, ecsAPI = "2016-04-28", "2014-05-26"
	idOf := func(prefix string, body []byte) string {
		return regexp.MustCompile(prefix + `-[0-9a-z]{8,}`).FindString(string(body))
	}
	for _, format := range []string{"JSON", "XML"} {
		call := func(name, version, action string, params map[string]string, wantStatus int) []byte {
			t.Helper()
			p := map[string]string{"Format": format, "Version": version, "RegionId": region}
			for k, v := range params {
				p[k] = v
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			if name != "" {
				golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
			}
			return r.Body
		}
		vpcID := idOf("vpc", call("", vpcAPI, "CreateVpc", map[string]string{"CidrBlock": "10.0.0.0/16"}, 200))
		vsw := idOf("vsw", call("", vpcAPI, "CreateVSwitch", map[string]string{"VpcId": vpcID, "ZoneId": "cn-hangzhou-h", "CidrBlock": "10.0.1.0/24"}, 200))
		g1 := idOf("sg", call("", ecsAPI, "CreateSecurityGroup", map[string]string{"VpcId": vpcID}, 200))
		g2 := idOf("sg", call("", ecsAPI, "CreateSecurityGroup", map[string]string{"VpcId": vpcID}, 200))
		vm := idOf("i", call("", ecsAPI, "RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "VSwitchId": vsw,
			"SecurityGroupId": g1}, 200))
		sub := idOf("i", call("", ecsAPI, "RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "VSwitchId": vsw,
			"SecurityGroupId": g1, "InstanceChargeType": "PrePaid", "Period": "1", "PeriodUnit": "Month"}, 200))

		call("JoinSecurityGroup", ecsAPI, "JoinSecurityGroup", map[string]string{"InstanceId": vm, "SecurityGroupId": g2}, 200)
		call("JoinSecurityGroup.error", ecsAPI, "JoinSecurityGroup", map[string]string{"InstanceId": vm, "SecurityGroupId": g2}, 403)
		call("LeaveSecurityGroup", ecsAPI, "LeaveSecurityGroup", map[string]string{"InstanceId": vm, "SecurityGroupId": g2}, 200)
		call("LeaveSecurityGroup.error", ecsAPI, "LeaveSecurityGroup", map[string]string{"InstanceId": vm, "SecurityGroupId": g1}, 403)
		call("ModifySecurityGroupPolicy", ecsAPI, "ModifySecurityGroupPolicy", map[string]string{"SecurityGroupId": g1, "InnerAccessPolicy": "Drop"}, 200)
		call("ModifySecurityGroupPolicy.error", ecsAPI, "ModifySecurityGroupPolicy", map[string]string{"SecurityGroupId": g1, "InnerAccessPolicy": "Maybe"}, 400)
		call("ModifyInstanceAutoRenewAttribute", ecsAPI, "ModifyInstanceAutoRenewAttribute", map[string]string{"InstanceId": sub,
			"RenewalStatus": "AutoRenewal", "Duration": "1", "PeriodUnit": "Month"}, 200)
		call("ModifyInstanceAutoRenewAttribute.error", ecsAPI, "ModifyInstanceAutoRenewAttribute", map[string]string{"InstanceId": vm,
			"RenewalStatus": "AutoRenewal"}, 403)
		call("ModifyInstanceNetworkSpec", ecsAPI, "ModifyInstanceNetworkSpec", map[string]string{"InstanceId": vm, "InternetMaxBandwidthOut": "10"}, 200)
		call("ModifyInstanceNetworkSpec.error", ecsAPI, "ModifyInstanceNetworkSpec", map[string]string{"InstanceId": vm, "InternetMaxBandwidthOut": "1000"}, 400)
		call("AllocatePublicIpAddress", ecsAPI, "AllocatePublicIpAddress", map[string]string{"InstanceId": vm, "IpAddress": "47.100.1.2"}, 200)
		call("AllocatePublicIpAddress.error", ecsAPI, "AllocatePublicIpAddress", map[string]string{"InstanceId": vm}, 403)
	}
}
