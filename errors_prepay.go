package openecs

// The errors of ModifyPrepayInstanceSpec (docs/instance-changes.md) that no
// other action answers with the same status and message. The others it
// shares: InvalidInstanceId.NotFound, InstanceLockedForSecurity,
// Account.Arrearage (400), the InvalidInstanceType codes of
// ModifyInstanceSpec, IncorrectInstanceStatus, OperationDenied.NoStock,
// InvalidAccountStatus.NotEnoughBalance and IdempotenceParamNotMatch.
var (
	ErrPrepayChargeType   = def(400, "InvalidInstanceChargeType.ValueNotSupported", "The specified instance %s is not a subscription (PrePaid) instance; change a pay-as-you-go instance's type with ModifyInstanceSpec.")
	ErrPrepayExpired      = def(403, "InvalidInstanceStatus", "The current status of the instance does not support this operation.")
	ErrPrepayLocalDisk    = def(403, "OperationDenied.LocalDiskUnsupported", "The configuration change is not allowed when the specified instance has local disks mounted.")
	ErrPrepayDirection    = def(400, "InvalidInstanceType.ValueNotSupported", "The specified InstanceType %s is not an %s of %s.")
	ErrPrepaySameType     = def(400, "InvalidInstanceType.ValueNotSupported", "The specified instance is already of the InstanceType %s.")
	ErrPrepayNotStopped   = def(400, "InvalidStatus.NotStopped", "Instance status must be stopped.")
	ErrPrepayDowngradeMax = def(400, "InstanceDowngrade.QuotaExceed", "Quota of instance downgrade is exceed.")
)
