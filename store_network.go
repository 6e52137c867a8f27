package openecs

// NetworkReader holds the read methods of the network model. Single-row
// reads return ErrNotFound for a missing row; they do not check the
// account (the service does).
type NetworkReader interface {
	Vpc(id string) (*Vpc, error)
	// VpcByRouteTable returns the VPC whose system route table is id.
	VpcByRouteTable(id string) (*Vpc, error)
	// DefaultVpc returns the account's default VPC in the region.
	DefaultVpc(accountID, regionID string) (*Vpc, error)
	// Vpcs lists the VPCs the filter selects, oldest first.
	Vpcs(f VpcFilter) ([]*Vpc, error)
	// CountVpcs counts them (Offset and Limit ignored).
	CountVpcs(f VpcFilter) (int, error)

	VSwitch(id string) (*VSwitch, error)
	// DefaultVSwitch returns the account's default vSwitch in the zone.
	DefaultVSwitch(accountID, zoneID string) (*VSwitch, error)
	VSwitches(f VSwitchFilter) ([]*VSwitch, error)
	CountVSwitches(f VSwitchFilter) (int, error)

	SecurityGroup(id string) (*SecurityGroup, error)
	// DefaultSecurityGroup returns the account's default group in the region.
	DefaultSecurityGroup(accountID, regionID string) (*SecurityGroup, error)
	SecurityGroups(f SecurityGroupFilter) ([]*SecurityGroup, error)
	CountSecurityGroups(f SecurityGroupFilter) (int, error)
	// SecurityGroupRules lists a group's rules in the order they were added.
	SecurityGroupRules(groupID string) ([]SecurityGroupRule, error)
	// CountRulesReferencing counts the rules of other groups that name the
	// group as their source or destination.
	CountRulesReferencing(groupID string) (int, error)

	NetworkInterface(id string) (*NetworkInterface, error)
	NetworkInterfaces(f NetworkInterfaceFilter) ([]*NetworkInterface, error)
	CountNetworkInterfaces(f NetworkInterfaceFilter) (int, error)

	// ResourceTags returns a resource's tags, by key.
	ResourceTags(t TagResourceType, resourceID string) ([]Tag, error)
	// ListResourceTags lists the tags the filter selects, by resource id and
	// key.
	ListResourceTags(f ResourceTagFilter) ([]ResourceTag, error)
}

// NetworkWriter holds the write methods of the network model. Inserts set
// Seq and Version (1) and answer ErrConflict for an id that exists — or for
// a second default VPC of an account and region, a second default vSwitch
// of an account and zone, a second default group of an account and region,
// or an address a vSwitch has already given out. Updates are
// compare-and-set on Version (ErrConflict when it moved, ErrNotFound when
// the row is gone) and increment it. Deletes answer ErrNotFound for a
// missing row.
type NetworkWriter interface {
	InsertVpc(v *Vpc) error
	UpdateVpc(v *Vpc) error
	// DeleteVpc removes the VPC and the tags of it and its route table.
	DeleteVpc(id string) error

	InsertVSwitch(v *VSwitch) error
	// UpdateVSwitch writes every field but NextHost.
	UpdateVSwitch(v *VSwitch) error
	// DeleteVSwitch removes the vSwitch and its tags.
	DeleteVSwitch(id string) error
	// NextPrivateHost moves the vSwitch's address cursor on by one and
	// returns its value before the move. Concurrent calls get distinct
	// values.
	NextPrivateHost(vswitchID string) (int64, error)

	InsertSecurityGroup(g *SecurityGroup) error
	UpdateSecurityGroup(g *SecurityGroup) error
	// DeleteSecurityGroup removes the group, its rules and its tags.
	DeleteSecurityGroup(id string) error
	InsertSecurityGroupRule(r *SecurityGroupRule) error
	// UpdateSecurityGroupRule writes the rule's fields (by id).
	UpdateSecurityGroupRule(r *SecurityGroupRule) error
	DeleteSecurityGroupRule(id string) error

	InsertNetworkInterface(n *NetworkInterface) error
	// SetNetworkInterfaceGroups replaces the interface's security groups.
	SetNetworkInterfaceGroups(id string, groupIDs []string) error
	DeleteNetworkInterface(id string) error

	// PutResourceTag sets a tag (adding it or changing its value).
	PutResourceTag(t ResourceTag) error
	// DeleteResourceTags removes the resource's tags with these keys; nil
	// keys remove them all.
	DeleteResourceTags(t TagResourceType, resourceID string, keys []string) error
}
