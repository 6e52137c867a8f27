package openecs

import (
	"slices"
	"time"
)

// Status is an instance's API status.
type Status string

// The API statuses (docs/protocol.md, "Instance statuses").
const (
	StatusPending  Status = "Pending"
	StatusStarting Status = "Starting"
	StatusRunning  Status = "Running"
	StatusStopping Status = "Stopping"
	StatusStopped  Status = "Stopped"
)

// Statuses lists every API status, in lifecycle order.
var Statuses = []Status{StatusPending, StatusStarting, StatusRunning, StatusStopping, StatusStopped}

// ChargeType is how an instance is billed.
type ChargeType string

const (
	PostPaid ChargeType = "PostPaid" // pay-as-you-go
	PrePaid  ChargeType = "PrePaid"  // subscription
)

// StoppedMode says whether a stopped instance keeps its compute (and is
// charged) or released it.
type StoppedMode string

const (
	KeepCharging  StoppedMode = "KeepCharging"
	StopCharging  StoppedMode = "StopCharging"
	NotApplicable StoppedMode = "Not-applicable"
)

// BillingState is the internal billing sub-state named by
// ReopenInstance.InstanceStatusNotValid. It is not an API status: an instance
// in any state but Normal shows as Stopped with a financial lock.
type BillingState string

const (
	BillingNormal             BillingState = "Normal"
	BillingExpired            BillingState = "Expired"
	BillingImageExpired       BillingState = "ImageExpired"
	BillingEcsAndImageExpired BillingState = "EcsAndImageExpired"
)

// Suspended reports whether the state is one ReActivateInstances accepts.
func (b BillingState) Suspended() bool { return b != BillingNormal && b != "" }

// WithEcsExpired returns the state after the instance itself (not its image)
// expires or falls into arrears.
func (b BillingState) WithEcsExpired() BillingState {
	if b == BillingImageExpired || b == BillingEcsAndImageExpired {
		return BillingEcsAndImageExpired
	}
	return BillingExpired
}

// WithImageExpired returns the state after the instance's image subscription
// expires.
func (b BillingState) WithImageExpired() BillingState {
	if b == BillingExpired || b == BillingEcsAndImageExpired {
		return BillingEcsAndImageExpired
	}
	return BillingImageExpired
}

// SpotStrategy is the preemptible policy of an instance.
type SpotStrategy string

const (
	NoSpot             SpotStrategy = "NoSpot"
	SpotWithPriceLimit SpotStrategy = "SpotWithPriceLimit"
	SpotAsPriceGo      SpotStrategy = "SpotAsPriceGo"
)

// LockReason is why an instance (or reserved instance) is locked.
type LockReason string

const (
	LockFinancial LockReason = "financial"
	LockSecurity  LockReason = "security"
	LockRecycling LockReason = "recycling"
)

// LockReasons are the values DescribeInstances' LockReason filter accepts.
var LockReasons = []LockReason{LockFinancial, LockSecurity, LockRecycling, "dedicatedhostfinancial", "refunded"}

// LockMessage is the LockMsg shown for a lock.
func LockMessage(r LockReason) string {
	switch r {
	case LockFinancial:
		return "The specified instance is locked due to financial reasons."
	case LockSecurity:
		return "The specified instance is locked for security reasons."
	case LockRecycling:
		return "The spot instance is locked and waiting to be released."
	}
	return "The specified instance is locked."
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Instance is an ECS instance: the fields DescribeInstances shows plus the
// internal billing and scheduling state.
type Instance struct {
	Seq       int64 // creation order; stable paging key
	ID        string
	AccountID string
	RegionID  string
	ZoneID    string

	InstanceType string
	Family       string
	CPU          int
	MemoryMiB    int
	GPUAmount    int
	LocalStorage LocalStorage

	ImageID  string
	OSName   string
	OSNameEn string
	OSType   string

	Name        string
	Description string
	HostName    string

	Status       Status
	ChargeType   ChargeType
	StoppedMode  StoppedMode
	BillingState BillingState
	Locks        []LockReason

	SpotStrategy             SpotStrategy
	SpotPriceLimit           Money
	SpotInterruptionBehavior string
	SpotDuration             int

	HourlyPrice Money // pay-as-you-go price per hour, fixed at creation

	InternetChargeType      string
	InternetMaxBandwidthIn  int
	InternetMaxBandwidthOut int
	VpcID                   string
	VSwitchID               string
	SecurityGroupIDs        []string
	PrivateIP               string
	PublicIP                string
	NetworkInterfaceID      string
	MacAddress              string
	SerialNumber            string
	KeyPairName             string
	ResourceGroupID         string
	DeletionProtection      bool
	IoOptimized             bool
	CreditSpecification     string
	EnableJumboFrame        bool
	Maintenance             Maintenance // ModifyInstanceMaintenanceAttributes (disk.go)

	Period          int    // subscription length in PeriodUnit
	PeriodUnit      string // Month or Week
	AutoRenew       bool
	AutoRenewPeriod int
	// NotRenewal: the owner said the subscription will not be renewed
	// (RenewalStatus NotRenewal); it expires as one that is not renewed.
	NotRenewal bool

	CreatedAt     time.Time
	StartedAt     time.Time
	ExpiredAt     time.Time // subscription expiry; zero for pay-as-you-go
	AutoReleaseAt time.Time
	SuspendedAt   time.Time // when billing stopped it; zero otherwise

	HoldsCapacity bool  // takes one slot of its zone/type capacity
	HostReady     bool  // false while its host is being prepared (InstanceNotReady)
	TransitionJob int64 // the pending transition job, 0 if none

	Tags    []Tag
	Version int64 // compare-and-set version
}

// HasLock reports whether the instance carries the lock.
func (i *Instance) HasLock(r LockReason) bool { return slices.Contains(i.Locks, r) }

// AddLock adds a lock if absent.
func (i *Instance) AddLock(r LockReason) {
	if !i.HasLock(r) {
		i.Locks = append(i.Locks, r)
	}
}

// RemoveLock removes a lock if present.
func (i *Instance) RemoveLock(r LockReason) {
	i.Locks = slices.DeleteFunc(i.Locks, func(x LockReason) bool { return x == r })
}

// EconomicalEligible reports whether the instance may stop in StopCharging
// mode: pay-as-you-go, in a VPC, without local disks.
func (i *Instance) EconomicalEligible() bool {
	return i.ChargeType == PostPaid && i.VpcID != "" && i.LocalStorage.Amount == 0
}

// LocalStorage describes an instance type's local disks.
type LocalStorage struct {
	Amount   int   // number of local disks
	Capacity int64 // total GiB
	Category string
}

// InstanceIDPlaceholder in a HostName stands for the new instance's id.
const InstanceIDPlaceholder = "${instance_id}"

// PostPaidExpiredTime is the ExpiredTime the real service shows for
// pay-as-you-go instances.
var PostPaidExpiredTime = time.Date(2099, 12, 31, 15, 59, 0, 0, time.UTC)

// Transition is one row of the lifecycle table: an action allowed From the
// listed statuses moves the instance to Via at once and to To after the
// transition delay.
type Transition struct {
	From []Status
	Via  Status
	To   Status
}

// Allowed reports whether the transition may start from s.
func (t Transition) Allowed(s Status) bool { return slices.Contains(t.From, s) }

// The lifecycle as data (docs/architecture.md "Lifecycle"). RunInstances goes
// Pending → Starting → Running and is handled as two steps of TransitionRun.
var (
	TransitionStart      = Transition{From: []Status{StatusStopped}, Via: StatusStarting, To: StatusRunning}
	TransitionStop       = Transition{From: []Status{StatusRunning}, Via: StatusStopping, To: StatusStopped}
	TransitionReboot     = Transition{From: []Status{StatusRunning}, Via: StatusStarting, To: StatusRunning}
	TransitionReactivate = Transition{From: []Status{StatusStopped}, Via: StatusStarting, To: StatusRunning}
	TransitionRenew      = Transition{From: []Status{StatusStopped}, Via: StatusStarting, To: StatusRunning}
	// TransitionSuspend is billing stopping an instance (arrears, expiry).
	TransitionSuspend = Transition{From: []Status{StatusPending, StatusStarting, StatusRunning}, Via: StatusStopping, To: StatusStopped}
	// TransitionReclaim is a spot reclaim that stops (StopCharging) instead
	// of releasing.
	TransitionReclaim = Transition{From: []Status{StatusPending, StatusStarting, StatusRunning}, Via: StatusStopping, To: StatusStopped}
)
