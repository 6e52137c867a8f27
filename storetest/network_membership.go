package storetest

import (
	"testing"

	"github.com/openecs/openecs"
)

// What JoinSecurityGroup, LeaveSecurityGroup and ModifySecurityGroupPolicy
// write: a group's inner access policy and an interface's groups.
func testGroupMembership(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"a group's inner access policy": func(t *testing.T) {
			s := h.store(t)
			plain := newGroup("sg-plain", "vpc-1", "a1")
			dropped := newGroup("sg-drop", "vpc-1", "a1", func(g *openecs.SecurityGroup) { g.InnerAccessPolicy = "Drop" })
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertSecurityGroup(plain) },
				func(tx openecs.Tx) error { return tx.InsertSecurityGroup(dropped) })
			get := func(id string) *openecs.SecurityGroup {
				t.Helper()
				return read(t, s, func(r openecs.Reader) (*openecs.SecurityGroup, error) { return r.SecurityGroup(id) })
			}
			if g := get("sg-plain"); g.InnerAccessPolicy != "" || g.InnerPolicy() != "Accept" {
				t.Fatalf("a group inserted without a policy: %q, InnerPolicy %q", g.InnerAccessPolicy, g.InnerPolicy())
			}
			checkDiff(t, "group inserted with Drop", get("sg-drop"), dropped)
			plain.InnerAccessPolicy = "Drop"
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroup(plain) })
			checkDiff(t, "group updated to Drop", get("sg-plain"), plain)
			plain.InnerAccessPolicy = "Accept"
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroup(plain) })
			checkDiff(t, "group updated back to Accept", get("sg-plain"), plain)
		},
		"an interface's groups": func(t *testing.T) {
			s := h.store(t)
			n := newENI("eni-1", "vsw-1", "10.0.0.1")
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(n) })
			in := func(group string) []string {
				t.Helper()
				return eniIDs(read(t, s, func(r openecs.Reader) ([]*openecs.NetworkInterface, error) {
					return r.NetworkInterfaces(openecs.NetworkInterfaceFilter{SecurityGroupID: group})
				}))
			}
			insert(t, s, func(tx openecs.Tx) error { return tx.SetNetworkInterfaceGroups("eni-1", []string{"sg-1", "sg-2"}) })
			n.SecurityGroupIDs = []string{"sg-1", "sg-2"}
			checkDiff(t, "interface in two groups", read(t, s, func(r openecs.Reader) (*openecs.NetworkInterface, error) {
				return r.NetworkInterface("eni-1")
			}), n)
			wantIDs(t, "in the new group", in("sg-2"), []string{"eni-1"})
			insert(t, s, func(tx openecs.Tx) error { return tx.SetNetworkInterfaceGroups("eni-1", []string{"sg-2"}) })
			wantIDs(t, "in the group it left", in("sg-1"), nil)
			wantIDs(t, "in the group it kept", in("sg-2"), []string{"eni-1"})
			wantErr(t, "a missing interface", updateErr(s, func(tx openecs.Tx) error {
				return tx.SetNetworkInterfaceGroups("eni-9", []string{"sg-1"})
			}), openecs.ErrNotFound)
		},
	})
}
