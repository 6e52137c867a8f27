package openecs

import (
	"slices"
	"time"
)

// The network model (docs/networks.md): VPCs, each with its system route
// table and vRouter; vSwitches, a zone's slice of a VPC's address block;
// security groups with their rules; network interfaces, one primary
// interface per instance holding its private address; and tags on any of
// them. Every row carries its account: another account's resource is not
// found.

// NetStatus is the status of a VPC or a vSwitch.
type NetStatus string

const (
	// NetPending: just created, not usable yet.
	NetPending NetStatus = "Pending"
	// NetAvailable: ready.
	NetAvailable NetStatus = "Available"
)

// Vpc is a virtual private cloud with its system route table and vRouter,
// which are created and deleted with it.
type Vpc struct {
	Seq             int64 // creation order; stable paging key
	ID              string
	AccountID       string
	RegionID        string
	Name            string
	Description     string
	CidrBlock       string
	IsDefault       bool // the VPC RunInstances makes when no vSwitch is named
	Status          NetStatus
	VRouterID       string
	RouteTableID    string
	ResourceGroupID string
	CreatedAt       time.Time
	Version         int64 // compare-and-set version
}

// VSwitch is a vSwitch: a zone's part of a VPC's address block, from which
// the private addresses of the instances in it are taken.
type VSwitch struct {
	Seq         int64
	ID          string
	AccountID   string
	RegionID    string
	ZoneID      string
	VpcID       string
	Name        string
	Description string
	CidrBlock   string
	IsDefault   bool // the zone's vSwitch RunInstances makes in the default VPC
	Status      NetStatus
	// NextHost is the address cursor: the next private address handed out is
	// the (NextHost mod usable)-th usable address of the block. Only
	// InsertVSwitch writes it; NextPrivateHost moves it.
	NextHost  int64
	CreatedAt time.Time
	Version   int64
}

// SecurityGroupType is normal (basic) or enterprise (advanced).
type SecurityGroupType string

const (
	SecurityGroupNormal     SecurityGroupType = "normal"
	SecurityGroupEnterprise SecurityGroupType = "enterprise"
)

// InnerAccessPolicy is how the instances of a group reach each other:
// normal groups accept, enterprise groups drop.
func (t SecurityGroupType) InnerAccessPolicy() string {
	if t == SecurityGroupEnterprise {
		return "Drop"
	}
	return "Accept"
}

// SecurityGroup is a security group of a VPC.
type SecurityGroup struct {
	Seq             int64
	ID              string
	AccountID       string
	RegionID        string
	VpcID           string
	Name            string
	Description     string
	Type            SecurityGroupType
	IsDefault       bool // the group RunInstances makes in the default VPC
	ResourceGroupID string
	// InnerAccessPolicy is Accept or Drop once ModifySecurityGroupPolicy
	// has set it; "" is the type's own (InnerPolicy).
	InnerAccessPolicy string
	CreatedAt         time.Time
	Version           int64
}

// InnerPolicy is how the group's instances reach each other: the policy
// ModifySecurityGroupPolicy set, else its type's.
func (g *SecurityGroup) InnerPolicy() string {
	if g.InnerAccessPolicy != "" {
		return g.InnerAccessPolicy
	}
	return g.Type.InnerAccessPolicy()
}

// RuleDirection is the direction of a security group rule.
type RuleDirection string

const (
	Ingress RuleDirection = "ingress"
	Egress  RuleDirection = "egress"
)

// SecurityGroupRule is one rule of a security group. Protocol and Policy
// are kept in lower case, as DescribeSecurityGroupAttribute shows them.
type SecurityGroupRule struct {
	ID                 string // sgr-…
	GroupID            string
	AccountID          string
	Direction          RuleDirection
	IpProtocol         string // tcp, udp, icmp, icmpv6, gre, all
	PortRange          string // "22/22", "-1/-1"
	SourcePortRange    string
	SourceCidrIp       string
	Ipv6SourceCidrIp   string
	SourceGroupID      string
	SourcePrefixListID string
	DestCidrIp         string
	Ipv6DestCidrIp     string
	DestGroupID        string
	DestPrefixListID   string
	Policy             string // accept, drop
	Priority           int    // 1–100
	NicType            string // intranet
	Description        string
	CreatedAt          time.Time
}

// SameRule reports whether two rules are the same rule: every field but the
// id, group, account, description and creation time agrees. Authorizing a
// rule that exists adds nothing; revoking by fields removes the rule that is
// the same.
func (r SecurityGroupRule) SameRule(o SecurityGroupRule) bool {
	r.ID, r.GroupID, r.AccountID, r.Description, r.CreatedAt = o.ID, o.GroupID, o.AccountID, o.Description, o.CreatedAt
	return r == o
}

// ENIType is the type of a network interface.
type ENIType string

const (
	ENIPrimary   ENIType = "Primary"
	ENISecondary ENIType = "Secondary"
)

// NetworkInterface is an elastic network interface. Every instance has one,
// its primary interface, which holds its private address in its vSwitch:
// no two interfaces of a vSwitch share an address.
type NetworkInterface struct {
	Seq              int64
	ID               string
	AccountID        string
	RegionID         string
	ZoneID           string
	VpcID            string
	VSwitchID        string
	InstanceID       string
	Type             ENIType
	PrivateIP        string
	MacAddress       string
	SecurityGroupIDs []string
	CreatedAt        time.Time
}

// TagResourceType is the kind of resource a tag of the shared tag store is
// on (instances keep their tags in their own rows).
type TagResourceType string

const (
	TagVpc           TagResourceType = "vpc"
	TagVSwitch       TagResourceType = "vswitch"
	TagRouteTable    TagResourceType = "routetable"
	TagSecurityGroup TagResourceType = "securitygroup"
)

// ResourceTag is one tag of a resource in the shared tag store.
type ResourceTag struct {
	ResourceType TagResourceType
	ResourceID   string
	AccountID    string
	RegionID     string
	Key          string
	Value        string
}

// VpcFilter selects VPCs. Zero fields do not filter; a non-nil empty IDs
// matches nothing.
type VpcFilter struct {
	AccountID string
	RegionID  string
	IDs       []string
	Name      string
	IsDefault *bool
	VRouterID string
	// ResourceGroupID keeps the VPCs of a resource group.
	ResourceGroupID string
	RouteTableID    string
	Tags            []Tag // Value "" matches any value of the key
	Offset          int
	Limit           int // 0: no limit
}

// VSwitchFilter selects vSwitches.
type VSwitchFilter struct {
	AccountID string
	RegionID  string
	IDs       []string
	VpcID     string
	ZoneID    string
	Name      string
	IsDefault *bool
	Tags      []Tag
	Offset    int
	Limit     int
}

// SecurityGroupFilter selects security groups.
type SecurityGroupFilter struct {
	AccountID string
	RegionID  string
	IDs       []string
	VpcID     string
	Name      string
	Type      SecurityGroupType
	IsDefault *bool
	// ResourceGroupID keeps the groups of a resource group.
	ResourceGroupID string
	Tags            []Tag
	AfterSeq        int64 // keyset paging: only Seq > AfterSeq
	Offset          int
	Limit           int
}

// NetworkInterfaceFilter selects network interfaces.
type NetworkInterfaceFilter struct {
	AccountID       string
	RegionID        string
	IDs             []string
	InstanceID      string
	VpcID           string
	VSwitchID       string
	SecurityGroupID string // any of the interface's groups
	PrivateIP       string
	Type            ENIType
	AfterSeq        int64
	Offset          int
	Limit           int
}

// ResourceTagFilter selects tags of the shared store, ordered by resource
// and key.
type ResourceTagFilter struct {
	AccountID    string
	RegionID     string
	ResourceType TagResourceType
	ResourceIDs  []string
	// Tags keeps the tags of resources carrying every one of these (a tag
	// without a value matches any value of its key).
	Tags []Tag
	// After pages: only tags after this (resource id, key).
	AfterResource, AfterKey string
	Limit                   int
}

// HasGroup reports whether the interface is in the security group.
func (n *NetworkInterface) HasGroup(id string) bool { return slices.Contains(n.SecurityGroupIDs, id) }

// Event kinds of the network model: a VPC, vSwitch or security group
// created or deleted (ResourceID names it).
const (
	EventNetworkCreated EventKind = "network.created"
	EventNetworkDeleted EventKind = "network.deleted"
)
