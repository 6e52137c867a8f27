package openecs

// The errors of disks, instance attributes, spec and charge-type changes and
// tags (docs/disks.md, docs/instance-changes.md). Codes, statuses and
// messages are the ones the ECS API reference gives for those actions; where
// one code has several documented statuses or messages, each is its own
// value.
var (
	// Disks.
	ErrDiskNotFound            = def(404, "InvalidDiskId.NotFound", "The specified disk does not exist.")
	ErrDiskIDsMalformed        = def(400, "InvalidParameter.DiskIds", "The specified parameter diskIds is not valid.")
	ErrDiskIDsTooMany          = def(403, "InvalidDiskIds.Malformed", "The amount of specified disk Ids exceeds the limit.")
	ErrDiskTypeNotSupported    = def(400, "InvalidDiskType.ValueNotSupported", "The specified disk type is not supported.")
	ErrDiskCategoryFilter      = def(400, "InvalidCategory.ValueNotSupported", "The specified disk category is not supported.")
	ErrDiskStatusFilter        = def(400, "InvalidStatus.ValueNotSupported", "The specified disk status is not supported.")
	ErrDiskZoneNotFound        = def(400, "InvalidZoneId.NotFound", "The zoneId provided does not exist in our records.")
	ErrDiskCategoryInvalid     = def(400, "InvalidDiskCategory.ValueNotSupported", "The specified parameter \"DiskCategory\" is not valid.")
	ErrDiskSizeInvalid         = def(400, "InvalidSize.ValueNotSupported", "The specified parameter Size is not valid.")
	ErrDiskSizeOrSnapshot      = def(400, "MissingParameter", "The input parameter either \"SnapshotId\" or \"Size\" should be specified.")
	ErrSnapshotNotFound        = def(404, "InvalidSnapshotId.NotFound", "The specified SnapshotId does not exist.")
	ErrDiskNameMalformed       = def(400, "InvalidDiskName.Malformed", "The specified disk name is wrongly formed.")
	ErrDiskDescMalformed       = def(400, "InvalidDescription.Malformed", "The specified description is wrongly formed.")
	ErrPerformanceLevel        = def(400, "InvalidPerformanceLevel.Malformed", "The specified parameter PerformanceLevel is not valid.")
	ErrEncryptedIllegal        = def(400, "InvalidParameter.EncryptedIllegal", "The specified parameter Encrypted must be true when kmsKeyId is not empty.")
	ErrZoneInstanceConflict    = def(400, "InvalidParameter.Conflict", "The specified parameters ZoneId and InstanceId cannot be set together.")
	ErrAttachInstanceStatus    = def(400, "IncorrectInstanceStatus", "The current status of the resource does not support this operation.")
	ErrAttachDiskStatus        = def(403, "IncorrectDiskStatus", "The operation is not supported in this status.")
	ErrDiskStatusNotSupported  = def(403, "IncorrectDiskStatus", "The current disk status does not support this operation.")
	ErrDiskNotPortable         = def(403, "DiskNotPortable", "The specified disk is not a portable disk.")
	ErrDiskInUse               = def(403, "InvalidDevice.InUse", "The specified device has been occupied.")
	ErrResourcesNotInSameZone  = def(403, "ResourcesNotInSameZone", "The specified instance and disk are not in the same zone.")
	ErrInstanceDiskLimit       = def(403, "InstanceDiskLimitExceeded", "The amount of the disk on instance in question reach its limits.")
	ErrDiskTypeViolation       = def(403, "DiskTypeViolation", "The specified disk is a system disk and cannot support the operation.")
	ErrDiskNotAttachedHere     = def(403, "DependencyViolation", "The specified disk has not been attached on the specified instance.")
	ErrDiskAlreadyDetached     = def(404, "InvalidDisk.AlreadyDetached", "The specified disk has been detached.")
	ErrDiskSizeTooSmall        = def(403, "InvalidDiskSize.TooSmall", "Specified new disk size is less than the original disk size.")
	ErrDiskSizeTooLarge        = def(403, "InvalidDiskSize.TooLarge", "Specified new disk size is beyond the permitted range.")
	ErrResizeDiskStatus        = def(403, "OperationDenied", "The status of the disk or the instance that the disk is attaching with does not support the operation.")
	ErrResizeDiskCategory      = def(403, "OperationDenied", "The type of the disk does not support the operation.")
	ErrDiskOwingFee            = def(403, "DiskInArrears", "The specified operation is denied as your disk owing fee.")
	ErrInvalidDataDiskCategory = def(400, "InvalidDataDiskCategory.ValueNotSupported", "The specified parameter \"DataDisk.n.Category\" is not valid.")
	ErrNoAttributeToModify     = def(400, "NoAttributeToModify", "No attribute to be modified in this request.")
	ErrInvalidDataDiskSize     = def(400, "InvalidDataDiskSize.ValueNotSupported", "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot exceeds the size limit of the specified disk category.")

	// Instance attributes.
	ErrInvalidPassword      = def(400, "InvalidPassword.Malformed", "The specified parameter \"Password\" is not valid.")
	ErrUserDataTooLarge     = def(400, "InvalidUserData.SizeExceeded", "The specified parameter \"UserData\" exceeds the size.")
	ErrUserDataNotBase64    = def(400, "InvalidUserData.Base64FormatInvalid", "The specified parameter UserData must be base64 encoded.")
	ErrAutoRenewPostPaid    = def(403, "ChargeTypeViolation", "Pay-As-You-Go instances do not support this operation.")
	ErrRenewalStatusInvalid = def(403, "InvalidParameter.RenewalStatus", "The specified parameter RenewalStatus is not valid.")
	ErrRenewalNoFilter      = def(403, "InvalidParameter.RenewalStatusInstanceId", "The parameter RenewalStatus and InstanceId can not be both empty.")
	ErrRenewTooManyIDs      = def(403, "InvalidParameter.ToManyInstanceIds", "InstanceId should be less than 100.")
	ErrRenewInvalidID       = def(403, "InvalidParameter.InvalidInstanceId", "The specified InstanceId %s does not exist.")
	ErrMaintenanceAction    = def(400, "InvalidParameter.ActionOnMaintenance", "The specified parameter ActionOnMaintenance is not valid.")
	ErrMaintenanceWindow    = def(400, "InvalidParameter.MaintenanceWindow", "The specified parameter MaintenanceWindow is not valid.")

	// ModifyInstanceSpec.
	ErrSpecNotStopped      = def(400, "InvalidInstanceStatus.NotStopped", "The specified Instance status is not stopped.")
	ErrSpecTooManyParams   = def(400, "InvalidParameter.Mismatch", "Too many parameters in one request.")
	ErrSpecTypeNotInZone   = def(403, "InvalidInstanceType.ValueNotSupported", "The specified zone does not offer the specified instancetype.")
	ErrSpecTypeUnknown     = def(400, "InvalidInstanceType.ValueNotSupported", "The specified InstanceType does not exist or beyond the permitted range.")
	ErrSpecDiskCategory    = def(403, "CategoryViolation", "The specified instance does not support this operation because of its disk category.")
	ErrSpecStatus          = def(403, "InvalidStatus.ValueNotSupported", "The current status of the resource does not support this operation.")
	ErrAccountArrearage400 = def(400, "Account.Arrearage", "Your account has an outstanding payment.")
	ErrSpecBandwidth       = def(400, "InvalidParameter", "The specified parameter \"InternetMaxBandwidthOut\" is not valid.")

	// ModifyInstanceChargeType.
	ErrChargeTypeIDs         = def(400, "InvalidParameter.InstanceIds", "The specified InstanceIds are invalid.")
	ErrChargeTypeTooMany     = def(400, "InstancesIdQuotaExceed", "The maximum number of Instances is exceeded.")
	ErrChargeTypeStatus      = def(400, "InvalidStatus.ValueNotSupported", "The current status of the resource does not support this operation.")
	ErrChargeTypeSame        = def(400, "InvalidInstanceChargeType.ValueNotSupported", "The specified instance is already of the InstanceChargeType %s.")
	ErrChargeTypeExpired     = def(400, "ExpiredInstance", "The specified instance has expired.")
	ErrChargeTypeReleaseTime = def(400, "ReleaseTimeHaveBeenSet", "The specified instance has been set released time.")
	ErrChargeTypeBalance     = def(403, "InvalidAccountStatus.NotEnoughBalance", "Your account does not have enough balance.")
	ErrChargeTypeSpot        = def(400, "InvalidSpotStrategy", "The specified SpotStrategy is not valid.")
	ErrPeriodUnitMismatch    = def(400, "InvalidPeriod.UnitMismatch", "The specified Period must be correlated with the PeriodUnit.")

	// Tags.
	ErrTagResourceType     = def(404, "InvalidResourceType.NotFound", "The ResourceType provided does not exist in our records.")
	ErrResourceIDNotFound  = def(404, "InvalidResourceId.NotFound", "The specified ResourceIds are not found in our records.")
	ErrResourceIDsTooMany  = def(400, "NumberExceed.ResourceIds", "The ResourceIds parameter's number is exceed , Valid : 50")
	ErrTagsTooMany         = def(400, "NumberExceed.Tags", "The Tags parameter's number is exceed , Valid : 20")
	ErrTagQuota            = def(400, "OperationDenied.QuotaExceed", "The quota of tags on resource is beyond permitted range.")
	ErrMissingResourceType = def(400, "MissingParameter.ResourceType", "You must specify ResourceType.")
	ErrListResourceType    = def(400, "InvalidResourceType.NotFound", "The specified ResourceType does not exist.")
	ErrDuplicateResourceID = def(400, "Duplicate.ResourceId", "The ResourceId contains duplicate values.")
	ErrMissingTags         = def(404, "MissingParameter.Tags", "The parameter - Tags should not be null")
	ErrMissingTagKeys      = def(400, "MissingParameter", "The input parameter \"TagKey\" or \"All\" that is mandatory for processing this request is not supplied.")
)
