package rpc

import "github.com/openecs/openecs"

// ECSVersion is the ECS API version served.
const ECSVersion = "2014-05-26"

// APIVersion is the ECS API version (kept for callers that name it so).
const APIVersion = ECSVersion

// action is one line of the action table.
type action struct {
	version string // the API version it belongs to
	name    string
	handle  handler
}

// actionTable lists every action this server answers, with its handler, by
// API version. The request's Version picks the API and its Action the line.
// To add an action: write its handler in the file of its resource (the
// handler reads parameters from c.P, calls the service and returns a
// response struct) and add its line here.
func actionTable() []action {
	return []action{
		// Instances (instances.go).
		{ECSVersion, "RunInstances", runInstances},
		{ECSVersion, "CreateInstance", createInstance},
		{ECSVersion, "StartInstance", single(startInstances)},
		{ECSVersion, "StartInstances", batch(startInstances)},
		{ECSVersion, "StopInstance", single(stopInstances)},
		{ECSVersion, "StopInstances", batch(stopInstances)},
		{ECSVersion, "RebootInstance", single(rebootInstances)},
		{ECSVersion, "RebootInstances", batch(rebootInstances)},
		{ECSVersion, "DeleteInstance", deleteInstance},
		{ECSVersion, "DeleteInstances", deleteInstances},
		{ECSVersion, "DescribeInstances", describeInstances},
		{ECSVersion, "DescribeInstanceStatus", describeInstanceStatus},
		{ECSVersion, "RenewInstance", renewInstance},
		{ECSVersion, "ReActivateInstances", reactivateInstances},
		{ECSVersion, "ReactivateInstances", reactivateInstances},

		// Instance attributes and changes (attributes.go, changes.go).
		{ECSVersion, "DescribeInstanceAttribute", describeInstanceAttribute},
		{ECSVersion, "ModifyInstanceAttribute", modifyInstanceAttribute},
		{ECSVersion, "DescribeUserData", describeUserData},
		{ECSVersion, "DescribeInstanceRamRole", describeInstanceRamRole},
		{ECSVersion, "DescribeInstanceMaintenanceAttributes", describeInstanceMaintenanceAttributes},
		{ECSVersion, "ModifyInstanceMaintenanceAttributes", modifyInstanceMaintenanceAttributes},
		{ECSVersion, "DescribeInstanceAttachmentAttributes", describeInstanceAttachmentAttributes},
		{ECSVersion, "DescribeInstanceAutoRenewAttribute", describeInstanceAutoRenewAttribute},
		{ECSVersion, "ModifyInstanceSpec", modifyInstanceSpec},
		{ECSVersion, "ModifyInstanceChargeType", modifyInstanceChargeType},
		{ECSVersion, "ModifyPrepayInstanceSpec", modifyPrepayInstanceSpec},

		// Disks (disks.go).
		{ECSVersion, "DescribeDisks", describeDisks},
		{ECSVersion, "CreateDisk", createDisk},
		{ECSVersion, "AttachDisk", attachDisk},
		{ECSVersion, "DetachDisk", detachDisk},
		{ECSVersion, "DeleteDisk", deleteDisk},
		{ECSVersion, "ResizeDisk", resizeDisk},
		{ECSVersion, "ModifyDiskAttribute", modifyDiskAttribute},

		// Tags (tagresources.go).
		{ECSVersion, "TagResources", tagResources},
		{ECSVersion, "UntagResources", untagResources},
		{ECSVersion, "ListTagResources", listTagResources},
		{ECSVersion, "DescribeTags", describeResourceTags},

		// SSH key pairs (keypairs.go).
		{ECSVersion, "CreateKeyPair", createKeyPair},
		{ECSVersion, "ImportKeyPair", importKeyPair},
		{ECSVersion, "DescribeKeyPairs", describeKeyPairs},
		{ECSVersion, "DeleteKeyPairs", deleteKeyPairs},
		{ECSVersion, "AttachKeyPair", keyPairInstances(true)},
		{ECSVersion, "DetachKeyPair", keyPairInstances(false)},

		// Reserved instances (reserved.go).
		{ECSVersion, "PurchaseReservedInstancesOffering", purchaseReservedInstancesOffering},
		{ECSVersion, "DescribeReservedInstances", describeReservedInstances},
		{ECSVersion, "RenewReservedInstances", renewReservedInstances},
		{ECSVersion, "ModifyReservedInstanceAutoRenewAttribute", modifyReservedInstanceAutoRenewAttribute},
		{ECSVersion, "DescribeReservedInstanceAutoRenewAttribute", describeReservedInstanceAutoRenewAttribute},

		// Spot prices (spot.go).
		{ECSVersion, "DescribeSpotPriceHistory", describeSpotPriceHistory},

		// The catalogue (catalog.go).
		{ECSVersion, "DescribeRegions", describeRegions},
		{ECSVersion, "DescribeZones", describeZones},
		{ECSVersion, "DescribeImages", describeImages},
		{ECSVersion, "DescribeAvailableResource", describeAvailableResource},
		{ECSVersion, "DescribeInstanceTypes", describeInstanceTypes},
		{ECSVersion, "DescribeInstanceTypeFamilies", describeInstanceTypeFamilies},

		// Security groups and network interfaces (secgroups.go, enis.go,
		// nettags.go).
		{ECSVersion, "CreateSecurityGroup", createSecurityGroup},
		{ECSVersion, "DescribeSecurityGroups", describeSecurityGroups},
		{ECSVersion, "DescribeSecurityGroupAttribute", describeSecurityGroupAttribute},
		{ECSVersion, "ModifySecurityGroupAttribute", modifySecurityGroupAttribute},
		{ECSVersion, "DeleteSecurityGroup", deleteSecurityGroup},
		{ECSVersion, "AuthorizeSecurityGroup", authorize(openecs.Ingress)},
		{ECSVersion, "AuthorizeSecurityGroupEgress", authorize(openecs.Egress)},
		{ECSVersion, "RevokeSecurityGroup", revoke(openecs.Ingress)},
		{ECSVersion, "RevokeSecurityGroupEgress", revoke(openecs.Egress)},
		{ECSVersion, "ModifySecurityGroupRule", modifyRule(openecs.Ingress)},
		{ECSVersion, "ModifySecurityGroupEgressRule", modifyRule(openecs.Egress)},
		{ECSVersion, "DescribeNetworkInterfaces", describeNetworkInterfaces},

		// An instance's groups, a group's inner access policy, renewal and
		// public network after launch (membership.go).
		{ECSVersion, "JoinSecurityGroup", joinSecurityGroup},
		{ECSVersion, "LeaveSecurityGroup", leaveSecurityGroup},
		{ECSVersion, "ModifySecurityGroupPolicy", modifySecurityGroupPolicy},
		{ECSVersion, "ModifyInstanceAutoRenewAttribute", modifyInstanceAutoRenewAttribute},
		{ECSVersion, "ModifyInstanceNetworkSpec", modifyInstanceNetworkSpec},
		{ECSVersion, "AllocatePublicIpAddress", allocatePublicIpAddress},

		// The VPC API (vpc.go, vswitch.go, nettags.go).
		{VPCVersion, "CreateVpc", createVpc},
		{VPCVersion, "DescribeVpcs", describeVpcs},
		{VPCVersion, "DescribeVpcAttribute", describeVpcAttribute},
		{VPCVersion, "ModifyVpcAttribute", modifyVpcAttribute},
		{VPCVersion, "DeleteVpc", deleteVpc},
		{VPCVersion, "DescribeRouteTableList", describeRouteTableList},
		{VPCVersion, "CreateVSwitch", createVSwitch},
		{VPCVersion, "DescribeVSwitches", describeVSwitches},
		{VPCVersion, "DescribeVSwitchAttributes", describeVSwitchAttributes},
		{VPCVersion, "ModifyVSwitchAttribute", modifyVSwitchAttribute},
		{VPCVersion, "DeleteVSwitch", deleteVSwitch},
		{VPCVersion, "TagResources", vpcTagResources},
		{VPCVersion, "UnTagResources", vpcUntagResources},
		{VPCVersion, "UntagResources", vpcUntagResources},
		{VPCVersion, "ListTagResources", vpcListTagResources},

		// Elastic IP addresses (eips.go).
		{VPCVersion, "AllocateEipAddress", allocateEipAddress},
		{VPCVersion, "DescribeEipAddresses", describeEipAddresses},
		{VPCVersion, "ModifyEipAddressAttribute", modifyEipAddressAttribute},
		{VPCVersion, "AssociateEipAddress", associateEipAddress},
		{VPCVersion, "UnassociateEipAddress", unassociateEipAddress},
		{VPCVersion, "ReleaseEipAddress", releaseEipAddress},
	}
}

// actionSet is the action table by version and name.
type actionSet map[string]map[string]handler

// newActionSet indexes the table; a line given twice is a programming error.
func newActionSet(table []action) actionSet {
	set := actionSet{}
	for _, a := range table {
		byName := set[a.version]
		if byName == nil {
			byName = map[string]handler{}
			set[a.version] = byName
		}
		if _, dup := byName[a.name]; dup {
			panic("rpc: action listed twice: " + a.version + " " + a.name)
		}
		byName[a.name] = a.handle
	}
	return set
}

// known reports whether any API serves the action (for metric labels).
func (set actionSet) known(name string) bool {
	for _, byName := range set {
		if _, ok := byName[name]; ok {
			return true
		}
	}
	return false
}

// Actions lists the actions a server built from the table answers, as
// "Version/Action".
func Actions() []string {
	var out []string
	for _, a := range actionTable() {
		out = append(out, a.version+"/"+a.name)
	}
	return out
}
