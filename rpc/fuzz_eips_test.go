package rpc_test

import (
	"net/url"
	"testing"
)

// FuzzEipActions throws arbitrary parameters at the EIP actions, correctly
// signed: never a panic, never a 5xx for a client's input, always a
// well-formed error body.
func FuzzEipActions(f *testing.F) {
	f.Add("Bandwidth=99999999999999999999&InternetChargeType=PayByTraffic", 0)
	f.Add("Bandwidth=-1&ISP=&Name=http://x&InstanceChargeType=PrePaid", 0)
	f.Add("AllocationId=,,,&EipAddress=1.2.3.4,,&Status=Gone&PageSize=1000&Tag.1.Key=", 1)
	f.Add("AllocationId=eip-x&Bandwidth=1.5&Name=%00", 2)
	f.Add("AllocationId=eip-x&InstanceId=i-x&InstanceType=Nat&DryRun=maybe", 3)
	f.Add("AllocationId=eip-x&InstanceId=&Force=yes", 4)
	f.Add("AllocationId=", 5)
	f.Add("ResourceType=eip&ResourceId.1=eip-x&Tag.1.Key=k", 6)
	h := newServer(f)
	actions := []string{"AllocateEipAddress", "DescribeEipAddresses", "ModifyEipAddressAttribute", "AssociateEipAddress",
		"UnassociateEipAddress", "ReleaseEipAddress", "TagResources"}
	f.Fuzz(func(t *testing.T, query string, pick int) {
		extra, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		name := actions[((pick%len(actions))+len(actions))%len(actions)]
		extra.Set("Version", "2016-04-28")
		checkAnswer(t, serve(h, name, extra), name, query)
	})
}
