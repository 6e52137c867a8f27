package terraform

import (
	"testing"
	"time"
)

// EipProbes find what testdata/eip-cycle makes: NetworkProbes and EIPs.
var EipProbes = append(append([]Probe{}, NetworkProbes...),
	Probe{Name: "EIPs", Action: "DescribeEipAddresses", Params: map[string]string{"Version": vpcAPI, "PageSize": "100"}})

// TestEipCycle gives an instance a public address with an elastic IP
// (testdata/eip-cycle): create the network, the instance, the EIP and the
// association; rename the EIP and change its bandwidth; destroy. After each
// apply the plan must be empty and the server must show the EIP associated
// with the instance, with the configuration's name, bandwidth and tag, and
// DescribeInstances must show it on the instance.
func TestEipCycle(t *testing.T) {
	t.Parallel()
	w := New(t, "eip-cycle", Options{Probes: EipProbes})
	check := func(name, bandwidth string) func(t *testing.T, w *Workspace) {
		return func(t *testing.T, w *Workspace) {
			var instance, eip, address string
			w.Output("instance_id", &instance)
			w.Output("eip_id", &eip)
			w.Output("eip_address", &address)
			got := at(t, w.Server.Call(t, "DescribeEipAddresses", map[string]string{"Version": vpcAPI, "AllocationId": eip}),
				"EipAddresses", "EipAddress", 0)
			if str(t, got, "IpAddress") != address || str(t, got, "Status") != "InUse" || str(t, got, "InstanceId") != instance ||
				str(t, got, "InstanceType") != "EcsInstance" || str(t, got, "Name") != name || str(t, got, "Bandwidth") != bandwidth ||
				str(t, got, "Description") != "the web address" || str(t, got, "InternetChargeType") != "PayByTraffic" ||
				str(t, got, "ChargeType") != "PostPaid" {
				t.Fatalf("the EIP = %v", got)
			}
			if str(t, got, "Tags", "Tag", 0, "Key") != "Environment" || str(t, got, "Tags", "Tag", 0, "Value") != "test" {
				t.Fatalf("the EIP's tags = %v", at(t, got, "Tags"))
			}
			in := at(t, w.Server.Call(t, "DescribeInstances", map[string]string{"EipAddresses": `["` + address + `"]`}), "Instances", "Instance", 0)
			if str(t, in, "InstanceId") != instance || str(t, in, "EipAddress", "AllocationId") != eip ||
				str(t, in, "EipAddress", "IpAddress") != address {
				t.Fatalf("DescribeInstances EipAddresses=[%s] = %v", address, in)
			}
		}
	}
	took := w.Cycle(
		Step{Name: "create", Check: check("tf-eip", "5")},
		Step{Name: "rename, more bandwidth", Vars: Vars{"eip_name": "tf-eip-2", "eip_bandwidth": "10"}, Check: check("tf-eip-2", "10")},
	)
	t.Logf("Terraform EIP cycle (2 applies, 2 plans, destroy): %s", took.Round(time.Millisecond))
}
