package openecs

// The errors of elastic IP addresses (the VPC API, version 2016-04-28):
// codes, messages and statuses of the API pages of each action
// (docs/eips.md lists them).
var (
	ErrEipNotFound          = def(404, "InvalidAllocationId.NotFound", "Specified allocation ID is not found")
	ErrIncorrectEipStatus   = def(400, "IncorrectEipStatus", "Current elastic IP status does not support this operation.")
	ErrEipBandwidth         = def(400, "InvalidBandwidth.Malformed", "The specified Bandwidth is invalid.")
	ErrEipInternetCharge    = def(400, "InvalidParameter", "Specified value of \"InternetChargeType\" is not valid")
	ErrEipInstanceCharge    = def(400, "InvalidInstanceChargeType.ValueNotSupported", "The specified InstanceChargeType is not supported.")
	ErrEipPrePaid           = def(400, "OperationUnsupported.PrePaid", "Subscription (PrePaid) EIPs are not supported by this service; use PostPaid.")
	ErrEipISP               = def(400, "InvalidParameter.ISP", "The specified ISP is not valid.")
	ErrEipNameMalformed     = def(400, "InvalidName.Malformed", "The specified Name is invalid.")
	ErrEipDescMalformed     = def(400, "InvalidDescription.Malformed", "The specified Description is invalid.")
	ErrEipInstanceType      = def(400, "InvalidInstanceType.ValueNotSupported", "The specified InstanceType is not supported.")
	ErrEipInstanceNotFound  = def(404, "InvalidInstanceId.NotFound", "Specified instance does not exist.")
	ErrEipInstanceStatus    = def(400, "IncorrectInstanceStatus", "The current status of the instance does not support this operation.")
	ErrEipInstanceHasPublic = def(400, "InvalidStatus.InstanceHasBandWidth", "The instance has a public IP address; an elastic IP cannot be associated with it.")
	ErrEipInstanceHasEip    = def(400, "InvalidAssociation.Duplicated", "Specified instance is already associated with an elastic IP.")
	ErrEipNotAssociatedWith = def(400, "InvalidAssociation.NotFound", "Specified elastic IP is not associated with the specified instance.")
	ErrEipPrePaidRelease    = def(400, "Forbidden.ChargeTypeIsPrepaid", "It's forbidden to release a prepaid EIP")
	ErrEipQuota             = def(400, "QuotaExceeded.Eip", "Elastic IP address quota exceeded")
)

// MaxEipsPerRegion is how many EIPs one account holds in a region.
const MaxEipsPerRegion = 20
