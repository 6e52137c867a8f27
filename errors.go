package openecs

import (
	"errors"
	"fmt"
)

// Error is an ECS API error: a code, a message and the HTTP status the real
// service answers it with. Every error the API can return is an *Error; the
// transport writes Status and the body from it, and turns anything else into
// InternalError (logging the detail, never sending it).
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// With returns a copy of e with a new message; for the seeds' "%s" rows.
func (e *Error) With(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Is makes errors.Is match on code and status, so a message variant still
// matches its template.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Status == e.Status
}

// AsError returns err as an *Error if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// registry holds every error of the table, in declaration order.
var registry []*Error

func def(status int, code, msg string) *Error {
	e := &Error{Status: status, Code: code, Message: msg}
	registry = append(registry, e)
	return e
}

// LookupError returns the documented error for a code: the first variant the
// action's seed page lists, else the first in the whole table; nil if the
// code is undocumented. Fault injection uses it to answer with the right
// status and message.
func LookupError(action, code string) *Error {
	for _, e := range SeedErrors[action] {
		if e.Code == code {
			return e
		}
	}
	for _, e := range registry {
		if e.Code == code {
			return e
		}
	}
	return nil
}

// The error table. Codes, messages and statuses come from the API pages of
// StartInstance, RebootInstance, ReActivateInstances and
// RenewReservedInstances (their rows are listed in docs/errors.md and
// docs/reserved-instances.md) and from the table of errors common to every
// action (docs/protocol.md). Where a code has several documented messages or
// statuses, each variant is its own value.
var (
	// Common: authentication, protocol, parameters.
	ErrMissingParameter        = def(400, "MissingParameter", "The input parameter %q that is mandatory for processing this request is not supplied.")
	ErrInvalidParameter        = def(400, "InvalidParameter", "The specified parameter is not valid.")
	ErrInvalidParamaterSig     = def(400, "InvalidParamater", "The specified parameter is not valid.")
	ErrUnsupportedParameter    = def(400, "UnsupportedParameter", "The parameter is not supported.")
	ErrIncompleteSignature     = def(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
	ErrSignatureDoesNotMatch   = def(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
	ErrAccessKeyNotFound       = def(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
	ErrAccessKeyDisabled       = def(403, "Forbidden.AccessKeyDisabled", "The Access Key is disabled.")
	ErrSecurityTokenInvalid    = def(400, "InvalidSecurityToken.Malformed", "The security token you provided is invalid.")
	ErrSecurityTokenExpired    = def(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
	ErrBearerTokenExpired      = def(400, "InvalidBearerToken.Expired", "The specified BearerToken has expired.")
	ErrSignatureNonceUsed      = def(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
	ErrTimestampExpired        = def(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
	ErrIllegalTimestamp        = def(400, "IllegalTimestamp", "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied or is malformed.")
	ErrForbiddenRAM            = def(403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM.")
	ErrActionNotFound          = def(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
	ErrUnsupportedHTTPMethod   = def(403, "UnsupportedHTTPMethod", "This http method is not supported.")
	ErrInvalidVersion          = def(400, "InvalidVersion", "Specified parameter Version is not valid.")
	ErrThrottling              = def(400, "Throttling", "Request was denied due to request throttling.")
	ErrRegionNotFound          = def(404, "InvalidRegionId.NotFound", "The specified RegionId does not exist.")
	ErrZoneNotFound            = def(404, "InvalidZoneId.NotFound", "The specified zone does not exist.")
	ErrInternal                = def(500, "InternalError", "The request processing has failed due to some unknown error.")
	ErrInternalException       = def(500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
	ErrServiceUnavailable      = def(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
	ErrDryRunOperation         = def(400, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
	ErrIdempotentMismatch      = def(400, "IdempotentParameterMismatch", "The request uses the same client token as a previous, but non-identical request.")
	ErrIdempotenceParamNoMatch = def(400, "IdempotenceParamNotMatch", "The request uses the same client token as a previous, but non-identical request.")
	ErrInvalidClientToken      = def(400, "InvalidClientToken.ValueNotSupported", "The ClientToken provided is invalid.")
	ErrOperationConflict       = def(409, "OperationConflict", "Request was denied due to conflict with a previous request, please try again later.")

	// Instances.
	ErrInstanceNotFound          = def(404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.")
	ErrIncorrectInstanceStatus   = def(403, "IncorrectInstanceStatus", "The current status of the resource does not support this operation.")
	ErrInstanceLockedForSecurity = def(403, "InstanceLockedForSecurity", "The specified operation is denied as your instance is locked for security reasons.")
	ErrInsufficientBalance       = def(403, "InsufficientBalance", "Your account does not have enough balance.")
	ErrInstanceExpiredPostPaid   = def(403, "InstanceExpired", "The postPaid instance has been expired.Please ensure your account have enough balance.")
	ErrInstanceExpiredPrePaid    = def(403, "InstanceExpired", "The prePaid instance has been expired.")
	ErrInstanceExpiredOrArrears  = def(403, "InstanceExpiredOrInArrears", "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).")
	ErrInstanceNotReady500       = def(500, "InstanceNotReady", "The specified instance is not ready for use")
	ErrInstanceNotReady403       = def(403, "InstanceNotReady", "The specified instance is not ready for use.")
	ErrDiskError                 = def(403, "DiskError", "IncorrectDiskStatus.")
	ErrDiskInArrears             = def(403, "DiskInArrears", "The specified operation is denied as your disk has expired.")
	ErrNoStock                   = def(403, "OperationDenied.NoStock", "The requested resource is sold out in the specified zone; try other types of resources or other regions and zones.")
	ErrSpotPriceTooLow           = def(403, "OperationDenied.SpotPriceLowerThanPublicPrice", "The spot instance price is lower than public price.")
	ErrQuotaInstanceType         = def(403, "QuotaExceed.ElasticQuota", "No additional quota is available for the specified ECS instance type.")
	ErrQuotaInstanceTypeCount    = def(403, "QuotaExceed.ElasticQuota", "The number of the specified ECS instances has exceeded the quota of the specified instance type.")
	ErrQuotaVCPU                 = def(403, "QuotaExceed.ElasticQuota", "The number of vCPUs assigned to the ECS instances has exceeded the quota in the zone.")
	ErrQuotaEither               = def(403, "QuotaExceed.ElasticQuota", "The number of the specified ECS instances has exceeded the quota of the specified instance type, or the number of vCPUs assigned to the ECS instances has exceeded the quota in the zone.")
	ErrKMSUnauthorized           = def(403, "InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS.")
	ErrCMKUnauthorized           = def(403, "InvalidParameter.KMSKeyId.CMKUnauthorized", "The CMK is not authorized for this operation.")
	ErrCMKNotEnabled             = def(403, "InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled.")
	ErrKMSKeyNotFound            = def(404, "InvalidParameter.KMSKeyId.NotFound", "The specified KMSKeyId does not exist.")
	ErrChargeTypeViolation       = def(403, "ChargeTypeViolation", "The operation is not permitted due to charge type of the instance.")
	ErrDeletionProtection        = def(403, "InvalidOperation.DeletionProtection", "The instance is protected from being released; disable DeletionProtection first.")
	ErrNodeControllerUnavailable = def(403, "NodeControllerUnavailable", "The Node Controller is temporarily unavailable.")

	// ReActivateInstances (seed 001 and, for its older spelling, seed 000).
	ErrPayTypeNotSupport        = def(404, "InvalidPayType.NotSupport", "The specified pre pay instance not support.")
	ErrReopenStatusNotValid     = def(400, "ReopenInstance.InstanceStatusNotValid", "Instance status is not Expired, ImageExpired or EcsAndImageExpired.")
	ErrReactivateStatusNotValid = def(403, "ReactivateInstances.InstanceStatusNotValid", "Instance status is not Expired, ImageExpired or EcsAndImageExpired.")

	// Purchases, renewals, images and networks.
	ErrAccountArrearage       = def(403, "Account.Arrearage", "Your account has been in arrears.")
	ErrImageNotFound          = def(404, "InvalidImageId.NotFound", "The specified ImageId does not exist.")
	ErrInstanceTypeNotFound   = def(404, "InvalidInstanceType.NotFound", "The specified InstanceType does not exist.")
	ErrInvalidInstanceType    = def(400, "InvalidInstanceType.ValueNotSupported", "The specified InstanceType does not exist or is not supported in this zone.")
	ErrInstanceTypeUnauth     = def(400, "InvalidInstanceType.ValueUnauthorized", "The specified InstanceType is not authorized.")
	ErrRegionUnauthorized     = def(400, "RegionUnauthorized", "%s")
	ErrVSwitchNotFound        = def(404, "InvalidVSwitchId.NotFound", "The specified VSwitchId does not exist.")
	ErrSecurityGroupNotFound  = def(404, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
	ErrInvalidPeriod          = def(400, "InvalidPeriod", "The specified period is not valid.")
	ErrInvalidPeriodUnit      = def(400, "InvalidPeriodUnit.ValueNotSupported", "The specified parameter PeriodUnit is not valid.")
	ErrInvalidChargeType      = def(400, "InvalidChargeType.ValueNotSupported", "ChargeType is not valid.")
	ErrInvalidTagKey          = def(400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.")
	ErrInvalidTagValue        = def(400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.")
	ErrDuplicateTagKey        = def(400, "Duplicate.TagKey", "The Tag.N.Key contain duplicate key.")
	ErrInvalidInstanceName    = def(400, "InvalidInstanceName.Malformed", "The specified parameter \"InstanceName\" is not valid.")
	ErrInvalidDescription     = def(400, "InvalidDescription.Malformed", "The specified parameter \"Description\" is not valid.")
	ErrInvalidHostName        = def(400, "InvalidHostName.Malformed", "The specified parameter \"HostName\" is not valid.")
	ErrInstanceNameExceed     = def(403, "InvalidParams.InstanceNameExceed", "The uniqueSuffix takes three naming places, please shorten your InstanceName.")
	ErrHostNameExceed         = def(403, "InvalidParams.HostnameExceed", "The uniqueSuffix takes three naming places, please shorten your Hostname.")
	ErrInvalidStoppedMode     = def(400, "InvalidParameter.StoppedMode", "The specified StoppedMode is not valid.")
	ErrOperationDeniedSales   = def(403, "OperationDenied", "Sales of this resource are temporarily suspended in the specified region; please try again later.")
	ErrOperationDeniedUsage   = def(403, "OperationDenied", "The resource is out of usage.")
	ErrZoneNotOnSale400       = def(400, "Zone.NotOnSale", "%s")
	ErrZoneNotOnSale          = def(403, "Zone.NotOnSale", "The specified zone is not available for purchase.")
	ErrZoneNotOpen            = def(403, "Zone.NotOpen", "The specified zone is not granted to you to buy resources yet.")
	ErrResourceOwnerAccount   = def(403, "InvalidParameter.ResourceOwnerAccount", "ResourceOwnerAccount is Invalid.")
	ErrParameterNotMatch      = def(403, "InvalidParameter.NotMatch", "%s")
	ErrParameterConflict      = def(400, "InvalidParameter.Conflict", "The specified region and cluster do not match.")
	ErrReservedNotFound       = def(404, "InvalidReservedInstanceId.NotFound", "The specified ReservedInstanceId does not exist.")
	ErrInvalidRIPeriod        = def(400, "InvalidPeriod.ValueNotSupported", "The specified parameter Period is not valid.")
	ErrInvalidAutoRenewPeriod = def(400, "InvalidAutoRenewPeriod.ValueNotSupported", "The specified parameter AutoRenewPeriod is not valid.")
)

// Missing returns MissingParameter (400) with a message naming the parameter,
// the form of the common-error table.
func Missing(name string) *Error {
	return ErrMissingParameter.With(ErrMissingParameter.Message, name)
}

// Invalid returns InvalidParameter (400) with a message naming the parameter
// and saying what is wrong with it.
func Invalid(name, why string) *Error {
	return ErrInvalidParameter.With("The specified parameter %q is not valid: %s.", name, why)
}

// SeedErrors lists, per action, the errors of its seed page in the page's
// order (ReactivateInstances, the older spelling, has its own page).
var SeedErrors = map[string][]*Error{
	"StartInstance": {ErrInstanceNotFound, ErrIncorrectInstanceStatus, ErrInstanceLockedForSecurity, ErrInsufficientBalance,
		ErrInstanceNotReady500, ErrInternal, ErrDiskError, ErrInstanceExpiredPostPaid, ErrInstanceExpiredPrePaid, ErrInstanceNotReady403,
		ErrDiskInArrears, ErrNoStock, ErrSpotPriceTooLow, ErrKMSUnauthorized, ErrInternalException, ErrQuotaInstanceType,
		ErrQuotaInstanceTypeCount, ErrQuotaVCPU, ErrQuotaEither},
	"RebootInstance": {ErrIncorrectInstanceStatus, ErrInstanceLockedForSecurity, ErrDiskError, ErrInstanceExpiredOrArrears,
		ErrCMKUnauthorized, ErrCMKNotEnabled, ErrKMSUnauthorized, ErrKMSKeyNotFound, ErrInstanceNotFound, ErrInternal, ErrInternalException},
	"ReActivateInstances": {ErrInstanceNotFound, ErrPayTypeNotSupport, ErrIncorrectInstanceStatus, ErrInstanceLockedForSecurity,
		ErrInsufficientBalance, ErrInternal, ErrReopenStatusNotValid},
	"ReactivateInstances": {ErrIncorrectInstanceStatus, ErrInstanceLockedForSecurity, ErrInsufficientBalance, ErrReactivateStatusNotValid,
		ErrInstanceNotFound, ErrPayTypeNotSupport, ErrInternal},
	"RenewReservedInstances": {ErrInstanceTypeUnauth, ErrParameterConflict, ErrInvalidTagKey, ErrRegionUnauthorized, ErrZoneNotOnSale400,
		ErrInvalidPeriodUnit, ErrInvalidTagValue, ErrInvalidChargeType, ErrNoStock, ErrOperationDeniedSales, ErrNodeControllerUnavailable,
		ErrOperationDeniedUsage, ErrResourceOwnerAccount, ErrZoneNotOpen, ErrZoneNotOnSale, ErrParameterNotMatch, ErrAccountArrearage,
		ErrIncorrectInstanceStatus, ErrChargeTypeViolation, ErrInternal},
}
