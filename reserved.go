package openecs

import (
	"slices"
	"strings"
	"time"
)

// Reserved instances (ecsri-…) are a billing commitment, not machines: for
// their term they cover matching pay-as-you-go instance-hours, which are then
// not charged. docs/reserved-instances.md gives the rules in full.

// ReservedStatus is a reserved instance's API status.
type ReservedStatus string

// The statuses DescribeReservedInstances shows.
const (
	// ReservedCreating: bought with a StartTime in the future; Active from then.
	ReservedCreating ReservedStatus = "Creating"
	// ReservedActive: in its term.
	ReservedActive ReservedStatus = "Active"
	// ReservedExpired: its term ended without a renewal.
	ReservedExpired ReservedStatus = "Expired"
	// ReservedUpdating: being modified (ModifyReservedInstances, which
	// OpenECS does not serve): no reserved instance enters it; the value
	// exists for the Status filter.
	ReservedUpdating ReservedStatus = "Updating"
)

// ReservedStatuses lists the statuses, for parameter checks.
var ReservedStatuses = []ReservedStatus{ReservedCreating, ReservedActive, ReservedExpired, ReservedUpdating}

// Reserved instance scopes.
const (
	ScopeRegion = "Region" // covers matching instances in any zone of its region
	ScopeZone   = "Zone"   // covers matching instances in its zone only
)

// Payment options (OfferingType).
const (
	AllUpfront     = "All Upfront"
	PartialUpfront = "Partial Upfront"
	NoUpfront      = "No Upfront"
)

// OfferingTypes lists the payment options.
var OfferingTypes = []string{NoUpfront, PartialUpfront, AllUpfront}

// Platforms of a reserved instance.
const (
	PlatformLinux   = "Linux"
	PlatformWindows = "Windows"
)

// HoursPerYear is the number of hours the recurring fee of a year is spread
// over.
const HoursPerYear = 8760

// ReservedInstance is one reserved instance: InstanceAmount instance-hours of
// one instance type every hour of its term, in one zone or anywhere in one
// region.
type ReservedInstance struct {
	Seq       int64 // purchase order; stable paging key
	ID        string
	AccountID string
	RegionID  string
	ZoneID    string // "" for Region scope
	Scope     string // ScopeRegion or ScopeZone

	InstanceType   string
	Family         string
	InstanceAmount int
	Platform       string // Linux or Windows
	OfferingType   string // All Upfront, Partial Upfront, No Upfront
	// YearlyPrice is the catalogue's reserved-instance yearly price of one
	// instance of the type, fixed at purchase; renewals and the recurring fee
	// use it.
	YearlyPrice Money

	Name            string
	Description     string
	ResourceGroupID string

	Status          ReservedStatus
	Locks           []LockReason
	AutoRenew       bool
	AutoRenewPeriod int // months: 12 or 36

	CreatedAt time.Time
	StartAt   time.Time // the term starts here (the purchase, or StartTime)
	ExpiredAt time.Time // and ends here

	Tags    []Tag
	Version int64 // compare-and-set version
}

// HasLock reports whether the reserved instance carries the lock.
func (ri *ReservedInstance) HasLock(r LockReason) bool { return slices.Contains(ri.Locks, r) }

// AddLock adds a lock if absent.
func (ri *ReservedInstance) AddLock(r LockReason) {
	if !ri.HasLock(r) {
		ri.Locks = append(ri.Locks, r)
	}
}

// RemoveLock removes a lock if present.
func (ri *ReservedInstance) RemoveLock(r LockReason) {
	ri.Locks = slices.DeleteFunc(ri.Locks, func(x LockReason) bool { return x == r })
}

// InTerm reports whether the hour ending at the billing point `hour` lies in
// the term: StartAt < hour ≤ ExpiredAt. This is the hour the recurring fee is
// charged for and the hour coverage applies to, mirroring instances, which
// are charged for every hour ending after their creation.
func (ri *ReservedInstance) InTerm(hour time.Time) bool {
	return ri.StartAt.Before(hour) && !ri.ExpiredAt.Before(hour)
}

// Covers reports whether the reserved instance may cover an hour of in
// (amount and term aside): same account, same instance type, same region
// and, for Zone scope, same zone; the platform matches the image's OS; spot
// instances are never covered. The caller has already checked that in is
// billable for the hour.
func (ri *ReservedInstance) Covers(in *Instance) bool {
	if in.AccountID != ri.AccountID || in.InstanceType != ri.InstanceType || in.RegionID != ri.RegionID {
		return false
	}
	if ri.Scope == ScopeZone && in.ZoneID != ri.ZoneID {
		return false
	}
	if in.SpotStrategy != "" && in.SpotStrategy != NoSpot {
		return false
	}
	windows := strings.EqualFold(in.OSType, "windows")
	return windows == (ri.Platform == PlatformWindows)
}

// UpfrontShare is the part of a year's price paid up front, per payment
// option: all of it, half of it, or none.
func UpfrontShare(offering string, yearly Money) Money {
	switch offering {
	case AllUpfront:
		return yearly
	case PartialUpfront:
		return yearly.DivInt(2)
	}
	return 0
}

// yearly is the price of one year of the whole reserved instance.
func (ri *ReservedInstance) yearly() (Money, error) {
	return ri.YearlyPrice.Mul(int64(ri.InstanceAmount))
}

// UpfrontPrice is what buying or renewing `years` of the reserved instance
// costs at once: the up-front share of a year times the years
// (ErrMoneyOverflow if that is out of Money's range).
func (ri *ReservedInstance) UpfrontPrice(years int) (Money, error) {
	y, err := ri.yearly()
	if err != nil {
		return 0, err
	}
	return UpfrontShare(ri.OfferingType, y).Mul(int64(years))
}

// HourlyFee is the recurring fee charged for every hour of the term: the part
// of a year's price not paid up front, spread over HoursPerYear hours and
// rounded to the micro-yuan. Zero for All Upfront.
func (ri *ReservedInstance) HourlyFee() (Money, error) {
	y, err := ri.yearly()
	if err != nil {
		return 0, err
	}
	rest, err := y.Sub(UpfrontShare(ri.OfferingType, y))
	if err != nil || rest == 0 {
		return 0, err
	}
	return rest.DivInt(HoursPerYear), nil
}

// ReservedFilter selects reserved instances. Zero fields do not filter,
// except IDs: a non-nil empty IDs matches nothing.
type ReservedFilter struct {
	AccountID    string
	RegionID     string
	IDs          []string
	Name         string
	Statuses     []ReservedStatus
	LockReason   LockReason
	InstanceType string
	Family       string
	ZoneID       string
	Scope        string
	OfferingType string
	Tags         []Tag // Value "" matches any value of the key
	// InTermAt selects the reserved instances whose term holds the hour
	// ending at InTermAt (StartAt < InTermAt ≤ ExpiredAt).
	InTermAt time.Time
	Offset   int
	Limit    int // 0: no limit
}

// CoverFilter selects the pay-as-you-go instances a reserved instance could
// cover at a billing point: those ChargeHour would charge for Hour
// (pay-as-you-go, billing state Normal, not Stopped with StopCharging,
// created before Hour) that have no charge for Hour yet, of one account and
// type in a region (and zone, if ZoneID is set), oldest first.
type CoverFilter struct {
	AccountID    string
	RegionID     string
	ZoneID       string
	InstanceType string
	Hour         time.Time
	AfterSeq     int64 // keyset paging: only Seq > AfterSeq
	Limit        int
}

// Sales states of a region or zone (PUT /admin/v1/sales).
const (
	SalesOnSale    = "on_sale"
	SalesSuspended = "suspended"
	SalesNotOnSale = "not_on_sale"
	SalesNotOpen   = "not_open"
)

// SalesStatesAll lists the sales states.
var SalesStatesAll = []string{SalesOnSale, SalesSuspended, SalesNotOnSale, SalesNotOpen}

// SalesState is whether reserved instances may be bought and renewed in a
// region (ZoneID "") or a zone. Without a row, sales are open.
type SalesState struct {
	RegionID  string
	ZoneID    string
	State     string
	UpdatedAt time.Time
}

// Event kinds of reserved instances.
const (
	EventReservedCreated   EventKind = "reserved.created"
	EventReservedActivated EventKind = "reserved.activated"
	EventReservedRenewed   EventKind = "reserved.renewed"
	EventReservedExpired   EventKind = "reserved.expired"
	EventReservedAutoRenew EventKind = "reserved.auto_renew"
	EventReservedLocked    EventKind = "reserved.locked"
	EventReservedUnlocked  EventKind = "reserved.unlocked"
	EventSalesState        EventKind = "sales.set"
)
