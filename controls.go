package openecs

import "time"

// The controls of the failure cases: per-account quotas, spot prices and KMS
// keys. The admin API sets them; StartInstance, RebootInstance and
// RunInstances check them (docs/errors.md, "The rules behind the conditions").

// QuotaKind says what a quota limits.
type QuotaKind string

const (
	// QuotaVCPUs limits the vCPUs of an account's instances in one zone.
	QuotaVCPUs QuotaKind = "vcpus"
	// QuotaInstances limits the number of an account's instances of one type
	// in one region.
	QuotaInstances QuotaKind = "instances"
)

// Quota is one per-account limit. A vCPU quota names a zone, an instance
// quota an instance type; both belong to a region. Only instances that hold
// capacity (Pending, Starting, Running, Stopping, KeepCharging-stopped) count.
type Quota struct {
	AccountID string
	RegionID  string
	Kind      QuotaKind
	// Scope is the zone id (QuotaVCPUs) or the instance type (QuotaInstances).
	Scope     string
	Limit     int
	UpdatedAt time.Time
}

// SpotPrice is the spot price of one instance type in one zone from At on.
// A zone/type whose price was never set costs the catalogue's default, a
// tenth of the pay-as-you-go price.
type SpotPrice struct {
	ZoneID       string
	InstanceType string
	Price        Money
	At           time.Time
}

// KMSKeyState is the state of a KMS key.
type KMSKeyState string

// The KMS key states the admin API accepts. A key removed through the admin
// API no longer exists: disks encrypted with it answer
// InvalidParameter.KMSKeyId.NotFound.
const (
	KMSEnabled         KMSKeyState = "Enabled"
	KMSDisabled        KMSKeyState = "Disabled"
	KMSPendingDeletion KMSKeyState = "PendingDeletion"
)

// KMSKeyStates lists the valid states.
var KMSKeyStates = []KMSKeyState{KMSEnabled, KMSDisabled, KMSPendingDeletion}

// KMSKey is a customer master key that encrypts disks. Key ids are global to
// the service.
type KMSKey struct {
	ID    string
	State KMSKeyState
	// ECSAuthorized is false when the ECS service role may not use KMS:
	// InvalidParameter.KMSKeyId.KMSUnauthorized.
	ECSAuthorized bool
	// AccountID, when set, is the only account whose disks the key's policy
	// lets ECS use it for; others get InvalidParameter.KMSKeyId.CMKUnauthorized.
	AccountID string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Event kinds of the controls.
const (
	EventQuotaSet        EventKind = "quota.set"
	EventSpotPrice       EventKind = "spot.price"
	EventSpotReclaim     EventKind = "spot.reclaim"
	EventKMSKey          EventKind = "kms.key"
	EventDiskChanged     EventKind = "disk.changed"
	EventLocalDisksReset EventKind = "instance.local_disks_reset"
)

// SpotReclaimNotice is how long after the price rise a reclaimed spot
// instance is released or stopped.
const SpotReclaimNotice = 5 * time.Minute
