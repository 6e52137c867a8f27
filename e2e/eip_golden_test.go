package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEipGoldenBodies records the exact JSON and XML body of every EIP
// action (docs/eips.md), success and error. Each format makes and acts on
// its own EIP and instance.
func TestEipGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	ids := map[string]map[string]string{"JSON": {}, "XML": {}}
	grab := map[string]*regexp.Regexp{"eip": regexp.MustCompile(`eip-[0-9a-z]{8,}`), "i": regexp.MustCompile(`i-[0-9a-z]{20}`)}
	call := func(name, version, action string, wantStatus int, record bool, kv ...string) {
		t.Helper()
		for _, format := range []string{"JSON", "XML"} {
			p := map[string]string{"Format": format, "Version": version, "RegionId": region}
			for i := 0; i+1 < len(kv); i += 2 {
				v := kv[i+1]
				for k, id := range ids[format] {
					v = strings.ReplaceAll(v, "$"+k, id)
				}
				p[kv[i]] = v
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			for k, re := range grab {
				if id := re.FindString(string(r.Body)); id != "" && ids[format][k] == "" {
					ids[format][k] = id
				}
			}
			if record {
				golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
			}
		}
	}
	const vpcAPI = "2016-04-28"
	call("AllocateEipAddress", vpcAPI, "AllocateEipAddress", 200, true, "Name", "golden", "Description", "golden EIP",
		"Bandwidth", "10", "InternetChargeType", "PayByTraffic")
	call("AllocateEipAddress.error", vpcAPI, "AllocateEipAddress", 400, true, "Bandwidth", "0")
	call("ModifyEipAddressAttribute", vpcAPI, "ModifyEipAddressAttribute", 200, true, "AllocationId", "$eip", "Name", "golden2", "Bandwidth", "20")
	call("ModifyEipAddressAttribute.error", vpcAPI, "ModifyEipAddressAttribute", 404, true, "AllocationId", "eip-bpnosucheip000000", "Name", "x1")
	call("TagResources.eip", vpcAPI, "TagResources", 200, true, "ResourceType", "EIP", "ResourceId.1", "$eip", "Tag.1.Key", "env",
		"Tag.1.Value", "golden")
	call("ListTagResources.eip", vpcAPI, "ListTagResources", 200, true, "ResourceType", "EIP", "ResourceId.1", "$eip")
	call("DescribeEipAddresses", vpcAPI, "DescribeEipAddresses", 200, true, "AllocationId", "$eip")
	call("RunInstances", ECSVersionForTests, "RunInstances", 200, false, "ImageId", image, "InstanceType", itype, "HostName", "golden")
	call("AssociateEipAddress", vpcAPI, "AssociateEipAddress", 200, true, "AllocationId", "$eip", "InstanceId", "$i")
	call("AssociateEipAddress.error", vpcAPI, "AssociateEipAddress", 400, true, "AllocationId", "$eip", "InstanceId", "$i")
	call("DescribeEipAddresses.inuse", vpcAPI, "DescribeEipAddresses", 200, true, "Status", "InUse")
	call("DescribeInstances.eip", ECSVersionForTests, "DescribeInstances", 200, true, "InstanceIds", `["$i"]`)
	call("ReleaseEipAddress.error", vpcAPI, "ReleaseEipAddress", 400, true, "AllocationId", "$eip")
	call("UnassociateEipAddress", vpcAPI, "UnassociateEipAddress", 200, true, "AllocationId", "$eip", "InstanceId", "$i")
	call("UnassociateEipAddress.error", vpcAPI, "UnassociateEipAddress", 400, true, "AllocationId", "$eip", "InstanceId", "$i")
	call("ReleaseEipAddress", vpcAPI, "ReleaseEipAddress", 200, true, "AllocationId", "$eip")
}
