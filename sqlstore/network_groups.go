package sqlstore

import "strings"

// SetNetworkInterfaceGroups replaces an interface's security groups
// (JoinSecurityGroup and LeaveSecurityGroup keep an instance's primary
// interface in its groups).
func (t *txn) SetNetworkInterfaceGroups(id string, groupIDs []string) error {
	return mustAffect(t.exec(`UPDATE network_interfaces SET security_group_ids = $2 WHERE id = $1`, id, strings.Join(groupIDs, ",")))
}
