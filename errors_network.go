package openecs

// The errors of the network model: the VPC API (version 2016-04-28) and the
// ECS security-group, network-interface and RunInstances network checks.
// Codes, messages and statuses are those of the API pages of each action
// (docs/networks.md lists them), including the real service's spellings
// (InvalidVpcDiscription, InvalidCirdrBlock, InvalidParamter).
var (
	// VPCs and vSwitches.
	ErrVpcNotFound              = def(404, "InvalidVpcId.NotFound", "Specified VPC does not exist.")
	ErrVSwitchNotExist          = def(404, "InvalidVSwitchId.NotFound", "Specified virtual switch does not exist.")
	ErrVSwitchNotExistDelete    = def(404, "InvalidVSwitchId.NotFound", "VSwitch not exist.")
	ErrCidrMalformed            = def(400, "InvalidCidrBlock.Malformed", "Specified CIDR block is not valid.")
	ErrCidrNotInVpc             = def(400, "InvalidParameter", "Specified CIDR block is not valid in VPC.")
	ErrCidrOverlapped           = def(400, "InvalidCidrBlock.Overlapped", "Specified CIDR block overlapped with other subnets.")
	ErrCidrMaskLength           = def(400, "InvalidCirdrBlock.MaskLength", "Specified CIDR block is not valid .")
	ErrVpcNameMalformed         = def(400, "InvalidVpcName.Malformed", "Specified VPC name is not valid.")
	ErrVpcDescriptionMalformed  = def(400, "InvalidVpcDiscription.Malformed", "Specified VPC description is not valid.")
	ErrVSwitchNameMalformed     = def(400, "InvalidVSwitchName.Malformed", "Specified virtual switch name is not valid.")
	ErrVSwitchDescMalformed     = def(400, "InvalidVSwitchDiscription.Malformed", "Specified virtual switch description is not valid.")
	ErrIncorrectVpcStatus       = def(400, "IncorrectVpcStatus", "Current VPC status does not support this operation.")
	ErrIncorrectVSwitchStatus   = def(400, "IncorrectVSwitchStatus", "The current status of virtual switch does not support this operation.")
	ErrIncorrectVSwitchDelete   = def(400, "IncorrectVSwitchStatus", "The current virtual switch status does not support this operation.")
	ErrVpcHasVSwitches          = def(400, "DependencyViolation.VSwitch", "Specified object has dependent resources")
	ErrVpcHasSecurityGroups     = def(400, "DependencyViolation.SecurityGroup", "Specified object has dependent resources SecurityGroup.")
	ErrVSwitchHasResources      = def(400, "DependencyViolation", "Specified object has dependent resources.")
	ErrZoneNotFoundVpc          = def(404, "InvalidZoneId.NotFound", "Specified zone does not exist.")
	ErrRouteTableTypeNotSupport = def(400, "InvalidRouteTableType.NotSupport", "The specified route table type is not supported.")

	// Tags through the VPC API.
	ErrVpcTagKey         = def(400, "InvalidTagKey", "The tag keys are not valid.")
	ErrVpcTagValue       = def(400, "InvalidTagValue", "The tag values are not valid.")
	ErrVpcTagQuota       = def(400, "QuotaExceeded.TagNum", "Custom Tags quota exceeded")
	ErrVpcTagsTooMany    = def(400, "SizeLimitExceeded.TagNum", "The maximum number of tags is exceeded.")
	ErrVpcTagResourceIDs = def(400, "SizeLimitExceeded.ResourceId", "The maximum number of resource IDs is exceeded.")
	ErrVpcTagType        = def(400, "InvalidInstanceType.NotFound", "The instance type is not found")
	ErrVpcTagResource    = def(400, "InvalidInstanceIds.NotFound", "The instanceIds are not found")
	ErrVpcTagBothEmpty   = def(403, "BothEmpty.TagsAndResources", "The specified Tags and ResourcesIds are not allow to both empty.")

	// Security groups.
	ErrSecurityGroupNameMalformed = def(400, "InvalidSecurityGroupName.Malformed", "Specified security group name is not valid.")
	ErrSecurityGroupDescMalformed = def(400, "InvalidSecurityGroupDiscription.Malformed", "Specified security group description is not valid.")
	ErrSecurityGroupVpcRequired   = def(403, "InvalidVpcId.NotFound", "The VpcId must not empty when only support vpc vm.")
	ErrSecurityGroupType          = def(400, "InvalidParams.GroupType", "The specified security group type is not valid.")
	ErrSecurityGroupInUse         = def(403, "DependencyViolation", "There is still instance(s) in the specified security group.")
	ErrSecurityGroupReferenced    = def(403, "DependencyViolation", "The specified security group has been authorized in another one.")

	// Security group rules.
	ErrIpProtocol          = def(400, "InvalidIpProtocol.ValueNotSupported", "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
	ErrPortRangeMissing    = def(400, "InvalidPortRange.Malformed", "The specified parameter PortRange must set.")
	ErrPortRange           = def(400, "InvalidIpPortRange.Malformed", "The specified parameter PortRange is not valid.")
	ErrSourcePortRange     = def(400, "InvalidSourcePortRange.Malformed", "The specified parameter SourcePortRange is not valid.")
	ErrSourceCidrIp        = def(400, "InvalidSourceCidrIp.Malformed", "The specified parameter SourceCidrIp is not valid.")
	ErrDestCidrIp          = def(400, "InvalidDestCidrIp.Malformed", "The specified parameter DestCidrIp is not valid.")
	ErrIpv6SourceCidrIp    = def(400, "InvalidParam.Ipv6SourceCidrIp", "The specified parameter Ipv6SourceCidrIp is not valid.")
	ErrIpv6DestCidrIp      = def(400, "InvalidParam.Ipv6DestCidrIp", "The specified parameter Ipv6DestCidrIp is not valid.")
	ErrSourceIPBoth        = def(400, "InvalidParam.SourceIp", "The Parameters SourceCidrIp and Ipv6SourceCidrIp cannot be set at the same time.")
	ErrDestIPBoth          = def(400, "InvalidParam.DestIp", "The Parameters DestCidrIp and Ipv6DestCidrIp cannot be set at the same time.")
	ErrPolicy              = def(400, "InvalidPolicy.Malformed", "The specified parameter Policy is not valid.")
	ErrPriorityMalformed   = def(400, "InvalidPriority.Malformed", "The parameter Priority is invalid.")
	ErrPriorityValue       = def(400, "InvalidPriority.ValueNotSupported", "The specified parameter Priority is invalid.")
	ErrNicType             = def(400, "InvalidNicType.ValueNotSupported", "The specified NicType does not exist.")
	ErrRuleSourceMissing   = def(400, "MissingParameter.Source", "One of the parameters SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId must be specified.")
	ErrRuleDestMissing     = def(400, "MissingParameter.Dest", "One of the parameters DestCidrIp, Ipv6DestCidrIp, DestGroupId or DestPrefixListId must be specified.")
	ErrSourceGroupNotFound = def(404, "InvalidSourceGroupId.NotFound", "The SourceGroupId provided does not exist in our records.")
	ErrDestGroupNotFound   = def(404, "InvalidDestGroupId.NotFound", "The DestGroupId provided does not exist in our records.")
	ErrSourceGroupMismatch = def(400, "InvalidSourceGroupId.Mismatch", "Specified security group and source group are not in the same VPC.")
	ErrDestGroupMismatch   = def(400, "InvalidDestGroupId.Mismatch", "Specified security group and destination group are not in the same VPC.")
	ErrRuleGroupItself     = def(400, "InvalidParamter.Conflict", "The specified SecurityGroupId should be different from the SourceGroupId.")
	ErrRulePermissionsMix  = def(400, "InvalidParam.Permissions", "The specified parameter Permissions cannot coexist with other parameters.")
	ErrRuleDuplicates      = def(400, "InvalidParam.DuplicatePermissions", "There are duplicate permissions in the specified parameter Permissions.")
	ErrRuleLimit           = def(403, "AuthorizationLimitExceed", "The limit of authorization records in the security group reaches.")
	ErrRuleDescription     = def(400, "InvalidSecurityGroupDiscription.Malformed", "The specified security group rule description is not valid.")
	ErrRuleIDNotValid      = def(400, "InvalidParam.SecurityGroupRuleId", "The specified parameter SecurityGroupRuleId is not valid.")
	ErrRuleIDRepeated      = def(400, "InvalidParam.SecurityGroupRuleIdRepeated", "The specified parameter SecurityGroupRuleId is repeated.")
	ErrRuleIDNotFound      = def(404, "InvalidSecurityGroupRuleId.NotFound", "The specified SecurityGroupRuleId is not exists.")
	ErrRuleNotFound        = def(404, "SecurityGroupRule.NotFound", "The target security group rule not exist.")
	ErrEnterpriseRule      = def(400, "InvalidGroupParameter.OperationDenied", "The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified.")

	// Instances in a network.
	ErrVSwitchZoneMismatch    = def(400, "InvalidParameter.Mismatch", "Specified virtual switch is not in the specified zone.")
	ErrGroupVSwitchMismatch   = def(400, "InvalidParameter.Mismatch", "Specified security group and virtual switch are not in the same VPC.")
	ErrGroupNotInDefaultVpc   = def(400, "InvalidSecurityGroup.NotInDefaultVpc", "The specified security group is not in the default VPC; name a vSwitch of its VPC.")
	ErrSecurityGroupsConflict = def(400, "InvalidParameter.Conflict", "The parameters SecurityGroupId and SecurityGroupIds cannot be specified at the same time.")
	ErrPrivateIPNotInVSwitch  = def(400, "InvalidPrivateIpAddress", "Specified private IP address is not in the CIDR block of virtual switch.")
	ErrPrivateIPMalformed     = def(400, "InvalidPrivateIpAddress.Malformed", "Specified private IP address is malformed.")
	ErrPrivateIPDuplicated    = def(400, "InvalidPrivateIpAddress.Duplicated", "Specified private IP address is duplicated.")
	ErrPrivateIPQuota         = def(400, "QuotaExceeded.PrivateIpAddress", "Don't have enough private IPs in this switch")
)

// ErrPrefixListNotFound answers a rule naming a prefix list: there are none
// here.
var ErrPrefixListNotFound = def(404, "InvalidPrefixListId.NotFound", "The specified prefix list was not found.")
