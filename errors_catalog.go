package openecs

// The errors of the catalogue queries the data sources of Terraform and the
// consoles read: DescribeAvailableResource (its own codes for a value outside
// an enumeration, most of them 404) and DescribeTags.
var (
	ErrInvalidDestinationResource = def(404, "Invalid.DestinationResource", "The specified DestinationResource is not valid.")
	ErrInvalidResourceTypeParam   = def(404, "Invalid.ResourceType", "The ResourceType provided does not exist in our records.")
	ErrInvalidIoOptimized         = def(404, "Invalid.IoOptimized", "The specified IoOptimized is not valid.")
	ErrInvalidNetworkCategory     = def(404, "Invalid.NetworkCategory", "The specified NetworkCategory is not valid.")
	ErrInvalidSpotStrategy        = def(404, "Invalid.SpotStrategy", "The specified SpotStrategy is not valid.")
	ErrInvalidChargeTypeParam     = def(400, "Invalid.InstanceChargeType", "The specified InstanceChargeType is not valid.")
	ErrTypeAndCPUMemConflict      = def(403, "InvalidParam.TypeAndCpuMem.Conflict", "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time.")
	ErrCoresShouldBeEmpty         = def(403, "InvalidParam.Cores", "The specified parameter 'Cores' should be empty")
	ErrMemoryShouldBeEmpty        = def(403, "InvalidParam.Memory", "The specified parameter 'Memory' should be empty")
	ErrDedicatedHostNotFound      = def(403, "InvalidDedicatedHostId.NotFound", "The specified DedicatedHostId does not exist.")

	ErrResourceTypeNotFound = def(404, "InvalidResourceType.NotFound", "The ResourceType provided does not exist in our records.")
)
