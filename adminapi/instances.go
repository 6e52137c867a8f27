package adminapi

import (
	"github.com/openecs/openecs"
)

// Clock answers GET /admin/v1/clock (Now and Offset) and POST
// /admin/v1/clock/advance (Now only).
type Clock struct {
	Now    Time   `json:"now"`
	Offset string `json:"offset,omitempty"` // how far the virtual clock is ahead of the wall clock, e.g. "360h0m0s"
}

// Advance is the body of POST /admin/v1/clock/advance.
type Advance struct {
	Duration string `json:"duration"` // a Go duration such as "360h"
}

// Instance answers GET and PATCH /admin/v1/instances/{id}: everything about
// one instance, its disks included. Unset times are "".
type Instance struct {
	AccountID         string               `json:"account_id"`
	AutoReleaseAt     Time                 `json:"auto_release_at"`
	AutoRenew         bool                 `json:"auto_renew"`
	BillingState      openecs.BillingState `json:"billing_state"`
	ChargeType        openecs.ChargeType   `json:"charge_type"`
	CreatedAt         Time                 `json:"created_at"`
	Disks             []InstanceDisk       `json:"disks"`
	ExpiredAt         Time                 `json:"expired_at"`
	HoldsCapacity     bool                 `json:"holds_capacity"`
	HostReady         bool                 `json:"host_ready"`
	HourlyPrice       openecs.Money        `json:"hourly_price"`
	InstanceID        string               `json:"instance_id"`
	InstanceType      string               `json:"instance_type"`
	Locks             []openecs.LockReason `json:"locks"`
	PendingTransition bool                 `json:"pending_transition"`
	RegionID          string               `json:"region_id"`
	SpotPriceLimit    openecs.Money        `json:"spot_price_limit"`
	SpotStrategy      openecs.SpotStrategy `json:"spot_strategy"`
	StartedAt         Time                 `json:"started_at"`
	Status            openecs.Status       `json:"status"`
	StoppedMode       openecs.StoppedMode  `json:"stopped_mode"`
	SuspendedAt       Time                 `json:"suspended_at"`
	Version           int64                `json:"version"`
	ZoneID            string               `json:"zone_id"`
}

// InstanceDisk is a disk as Instance lists it.
type InstanceDisk struct {
	Category  string             `json:"category"`
	DiskID    string             `json:"disk_id"`
	Encrypted bool               `json:"encrypted"`
	Failed    bool               `json:"failed"`
	InArrears bool               `json:"in_arrears"`
	KMSKeyID  string             `json:"kms_key_id"`
	SizeGiB   int                `json:"size_gib"`
	Status    openecs.DiskStatus `json:"status"`
	Type      openecs.DiskType   `json:"type"`
}

// InstanceFrom is the wire form of an instance and its disks.
func InstanceFrom(in *openecs.Instance, disks []openecs.Disk) Instance {
	out := Instance{AccountID: in.AccountID, AutoReleaseAt: At(in.AutoReleaseAt), AutoRenew: in.AutoRenew, BillingState: in.BillingState,
		ChargeType: in.ChargeType, CreatedAt: At(in.CreatedAt), Disks: make([]InstanceDisk, 0, len(disks)), ExpiredAt: At(in.ExpiredAt),
		HoldsCapacity: in.HoldsCapacity, HostReady: in.HostReady, HourlyPrice: in.HourlyPrice, InstanceID: in.ID,
		InstanceType: in.InstanceType, Locks: locks(in.Locks), PendingTransition: in.TransitionJob != 0, RegionID: in.RegionID,
		SpotPriceLimit: in.SpotPriceLimit, SpotStrategy: in.SpotStrategy, StartedAt: At(in.StartedAt), Status: in.Status,
		StoppedMode: in.StoppedMode, SuspendedAt: At(in.SuspendedAt), Version: in.Version, ZoneID: in.ZoneID}
	for _, d := range disks {
		out.Disks = append(out.Disks, InstanceDisk{Category: d.Category, DiskID: d.ID, Encrypted: d.Encrypted, Failed: d.Failed,
			InArrears: d.InArrears, KMSKeyID: d.KMSKeyID, SizeGiB: d.SizeGiB, Status: d.Status, Type: d.Type})
	}
	return out
}

// locks copies a lock list, never nil.
func locks(ls []openecs.LockReason) []openecs.LockReason {
	return append([]openecs.LockReason{}, ls...)
}

// InstancePatch is the body of PATCH /admin/v1/instances/{id}.
type InstancePatch struct {
	HostReady *bool `json:"host_ready,omitempty"` // false: calls that need the host answer InstanceNotReady
}

// Lock is the body of POST /admin/v1/instances/{id}/locks and
// /admin/v1/reserved-instances/{id}/locks.
type Lock struct {
	Reason openecs.LockReason `json:"reason"`
}

// Locks answers POST and DELETE /admin/v1/instances/{id}/locks…: the
// instance's locks after the change.
type Locks struct {
	InstanceID string               `json:"instance_id"`
	Locks      []openecs.LockReason `json:"locks"`
}

// LocksFrom is the wire form of an instance's locks.
func LocksFrom(instanceID string, ls []openecs.LockReason) Locks {
	return Locks{InstanceID: instanceID, Locks: locks(ls)}
}

// Capacity is the body and the answer of PUT /admin/v1/capacity, the
// answer of DELETE /admin/v1/capacity/{zone_id}/{instance_type} and an item
// of CapacityList: the free slots of one instance type in one zone. A nil
// Available (null) is unlimited.
type Capacity struct {
	ZoneID       string `json:"zone_id"`
	InstanceType string `json:"instance_type"`
	Available    *int   `json:"available"`
}

// CapacityFrom is the wire form of a capacity row.
func CapacityFrom(c openecs.Capacity) Capacity {
	return Capacity{ZoneID: c.ZoneID, InstanceType: c.InstanceType, Available: c.Available}
}

// Domain is the capacity row c describes.
func (c Capacity) Domain() openecs.Capacity {
	return openecs.Capacity{ZoneID: c.ZoneID, InstanceType: c.InstanceType, Available: c.Available}
}

// CapacityList answers GET /admin/v1/capacity: the limited rows only.
type CapacityList struct {
	Capacity []Capacity `json:"capacity"`
}

// AddFault is the body of POST /admin/v1/faults. Zero values are the
// defaults: Count 0 fails every call until the rule is removed (or Duration
// ends), Probability 0 means 1, HTTPStatus 0 the code's documented status.
type AddFault struct {
	Action      string  `json:"action"`
	Code        string  `json:"code"`
	Message     string  `json:"message,omitempty"`
	Count       int     `json:"count,omitempty"`
	AccountID   string  `json:"account_id,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	LatencyMS   int     `json:"latency_ms,omitempty"`
	HTTPStatus  int     `json:"http_status,omitempty"`
	Duration    string  `json:"duration,omitempty"` // a Go duration: the rule ends then
}

// Domain is the fault rule f asks for (its Duration apart).
func (f AddFault) Domain() openecs.Fault {
	return openecs.Fault{Action: f.Action, Code: f.Code, Message: f.Message, Count: f.Count, AccountID: f.AccountID,
		Probability: f.Probability, LatencyMS: f.LatencyMS, HTTPStatus: f.HTTPStatus}
}

// Fault is a fault rule: the answer of POST /admin/v1/faults (201) and an
// item of Faults. Count 0 means no limit.
type Fault struct {
	AccountID   string  `json:"account_id"`
	Action      string  `json:"action"`
	Code        string  `json:"code"`
	Count       int     `json:"count"`
	HTTPStatus  int     `json:"http_status"`
	ID          int64   `json:"id"`
	LatencyMS   int     `json:"latency_ms"`
	Message     string  `json:"message,omitempty"`
	Probability float64 `json:"probability"`
	Until       Time    `json:"until,omitzero"` // when the rule ends, if it has a duration
}

// FaultFrom is the wire form of a fault rule.
func FaultFrom(f openecs.Fault) Fault {
	return Fault{AccountID: f.AccountID, Action: f.Action, Code: f.Code, Count: max(f.Count, 0), HTTPStatus: f.HTTPStatus, ID: f.ID,
		LatencyMS: f.LatencyMS, Message: f.Message, Probability: f.Probability, Until: At(f.Until)}
}

// Faults answers GET /admin/v1/faults, in the order the rules apply.
type Faults struct {
	Faults []Fault `json:"faults"`
}

// FaultDeleted answers DELETE /admin/v1/faults/{id}.
type FaultDeleted struct {
	Deleted bool  `json:"deleted"`
	ID      int64 `json:"id"`
}

// Event is one entry of the event log. Hour is the billing point of a
// charge (absent otherwise); Data is the kind's own detail, absent when
// empty.
type Event struct {
	ID         int64             `json:"id"`
	At         Time              `json:"at"`
	AccountID  string            `json:"account_id"`
	Kind       openecs.EventKind `json:"kind"`
	ResourceID string            `json:"resource_id"`
	Hour       Time              `json:"hour,omitzero"`
	Amount     openecs.Money     `json:"amount"`
	Cause      string            `json:"cause"`
	// Data is a free-form object whose keys depend on the event's kind
	// ("from" and "to" of instance.status, "balance" of account.balance,
	// …): about thirty kinds, each with its own detail, written by the code
	// that records the event. It is the one dynamic part of the admin API.
	Data map[string]any `json:"data,omitempty"`
}

// EventFrom is the wire form of an event.
func EventFrom(e openecs.Event) Event {
	return Event{ID: e.ID, At: At(e.At), AccountID: e.AccountID, Kind: e.Kind, ResourceID: e.ResourceID, Hour: At(e.Hour),
		Amount: e.Amount, Cause: e.Cause, Data: e.Data}
}

// Events answers GET /admin/v1/events, oldest first.
type Events struct {
	Events []Event `json:"events"`
}

// ImageExpiry is the body of PUT /admin/v1/images/{image_id}.
type ImageExpiry struct {
	Expired bool `json:"expired"`
}

// Image answers PUT /admin/v1/images/{image_id}.
type Image struct {
	Expired           bool   `json:"expired"`
	ImageID           string `json:"image_id"`
	InstancesAffected int    `json:"instances_affected"` // instances the expiry suspended
}
