package terraform

import (
	"testing"
	"time"
)

// KeyPairProbes are NetworkProbes and the key pairs of every region.
var KeyPairProbes = append(append([]Probe{}, NetworkProbes...),
	Probe{Name: "key pairs", Action: "DescribeKeyPairs", Params: map[string]string{"PageSize": "50"}})

// Key pairs through the real provider (testdata/key-pairs): an
// alicloud_ecs_key_pair and an older alicloud_key_pair from fixed public
// keys, and an instance with key_name. Apply, a clean plan; move key_name
// to the other key pair (AttachKeyPair and a reboot), a clean plan;
// destroy, and the server holds nothing, key pairs included.
func TestKeyPairCycle(t *testing.T) {
	t.Parallel()
	w := New(t, "key-pairs", Options{Probes: KeyPairProbes})
	const firstFP = "34:13:be:f4:01:85:d6:92:15:73:82:1c:29:98:67:f7" // ssh-keygen -l -E md5
	check := func(want string) func(t *testing.T, w *Workspace) {
		return func(t *testing.T, w *Workspace) {
			t.Helper()
			var id, fp1, fp2 string
			w.Output("instance_id", &id)
			w.Output("first_fingerprint", &fp1)
			w.Output("second_fingerprint", &fp2)
			if fp1 != firstFP {
				t.Errorf("alicloud_ecs_key_pair's finger_print = %q, want OpenSSH's MD5 %s", fp1, firstFP)
			}
			pairs := w.Server.Call(t, "DescribeKeyPairs", map[string]string{"RegionId": "cn-hangzhou"})
			byName := map[string]map[string]any{}
			for _, k := range list(t, pairs, "KeyPairs", "KeyPair") {
				m := k.(map[string]any)
				byName[m["KeyPairName"].(string)] = m
			}
			if len(byName) != 2 || byName["tf-key-first"] == nil || byName["tf-key-second"] == nil {
				t.Fatalf("DescribeKeyPairs = %v", byName)
			}
			if got := str(t, byName["tf-key-second"], "KeyPairFingerPrint"); got != fp2 || got == "" {
				t.Errorf("alicloud_key_pair's finger_print %q, the server's %q", fp2, got)
			}
			if tags := tagMap(t, list(t, byName["tf-key-first"], "Tags", "Tag"), "TagKey", "TagValue"); len(tags) != 1 || tags["Environment"] != "test" {
				t.Errorf("tf-key-first's tags = %v", tags)
			}
			inst := w.Server.Call(t, "DescribeInstances", map[string]string{"RegionId": "cn-hangzhou", "InstanceIds": `["` + id + `"]`})
			if got := str(t, inst, "Instances", "Instance", 0, "KeyPairName"); got != want {
				t.Errorf("the instance's KeyPairName = %q, want %q", got, want)
			}
			using := w.Server.Call(t, "DescribeInstances", map[string]string{"RegionId": "cn-hangzhou", "KeyPairName": want})
			if n := len(list(t, using, "Instances", "Instance")); n != 1 {
				t.Errorf("DescribeInstances(KeyPairName=%s) finds %d instances", want, n)
			}
		}
	}
	took := w.Cycle(
		Step{Name: "create", Check: check("tf-key-first")},
		Step{Name: "move key_name to the second key pair", Vars: Vars{"instance_key": "second"}, Check: check("tf-key-second")},
	)
	t.Logf("Terraform key pair cycle (2 applies, 2 plans, destroy): %s", took.Round(time.Millisecond))

	called := map[string]int{}
	for _, c := range w.Server.Calls(t) {
		called[c.Action]++
		if c.Status >= 300 && c.Code != "InvalidVpcId.NotFound" && c.Code != "InvalidVSwitchId.NotFound" { // the waits for a deletion
			t.Errorf("%s answered %d %s", c.Action, c.Status, c.Code)
		}
	}
	// Changing key_name detaches the old key pair, attaches the new one and
	// reboots the instance.
	for _, action := range []string{"ImportKeyPair", "DescribeKeyPairs", "DetachKeyPair", "AttachKeyPair", "RebootInstance", "DeleteKeyPairs"} {
		if called[action] == 0 {
			t.Errorf("the provider never called %s", action)
		}
	}
	t.Logf("calls: %v", called)
}
