package openecs

// The errors of the actions that change an instance's groups, a group's
// inner access policy, a subscription's renewal and an instance's public
// network: JoinSecurityGroup, LeaveSecurityGroup,
// ModifySecurityGroupPolicy, ModifyInstanceAutoRenewAttribute,
// ModifyInstanceNetworkSpec and AllocatePublicIpAddress. docs/networks.md
// and docs/instance-changes.md list them, and say which are this server's
// own choice where the API pages name no code.
var (
	ErrGroupPolicyMalformed  = def(400, "InvalidPolicy.Malformed", "The InnerAccessPolicy is invalid. Only Accept and Drop are supported.")
	ErrGroupPolicyEnterprise = def(403, "OperationDenied", "The inner access policy of an enterprise level security group cannot be modified.")

	ErrInstanceGroupLimit       = def(400, "InstanceSecurityGroupLimitExceeded", "Exceeding the allowed amount of security groups that an instance can be in.")
	ErrGroupInstanceLimit       = def(403, "SecurityGroupInstanceLimitExceeded", "The maximum number of instances in a security group is exceeded.")
	ErrInstanceGroupMismatch    = def(400, "InvalidInstanceId.Mismatch", "Specified instance and security group are not in the same VPC.")
	ErrInstanceInGroup          = def(403, "InvalidInstanceId.AlreadyExists", "The specified instance already exists in the specified security group.")
	ErrInstanceLastGroup        = def(403, "InstanceLastSecurityGroup", "The specified security group is the last security group for the instance.")
	ErrInstanceNotInGroup       = def(404, "InvalidSecurityGroupAssociation.NotFound", "The specified instance is not in the specified security group.")
	ErrGroupTargetConflict      = def(400, "InvalidParameter.Conflict", "The parameters InstanceId and NetworkInterfaceId cannot be specified at the same time.")
	ErrNetworkInterfaceNotFound = def(404, "InvalidEniId.NotFound", "The specified NetworkInterfaceId does not exist.")

	ErrPublicIPAllocated   = def(403, "AllocatedAlready", "The instance has a public IP address already.")
	ErrPublicIPNoBandwidth = def(403, "OperationDenied", "The instance has no public bandwidth (InternetMaxBandwidthOut is 0).")
)
