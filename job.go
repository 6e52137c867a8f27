package openecs

import "time"

// JobKind names a kind of due work. Each kind has one payload type and one
// handler in the service (service/jobs.go lists them all); the store keeps
// the kind as text, so a kind this binary does not know — written by a newer
// replica during a rolling upgrade — is kept and retried, never dropped.
type JobKind string

// The job kinds. Ref names the resource a job acts on.
const (
	// JobTransition finishes a status transition (Ref: instance).
	JobTransition JobKind = "transition"
	// JobSuspendAccount suspends an account's pay-as-you-go instances once
	// the overdue grace has passed, if it is still in arrears (Ref: account).
	JobSuspendAccount JobKind = "suspend.account"
	// JobRelease releases an instance still suspended (or due for automatic
	// release) at its time (Ref: instance).
	JobRelease JobKind = "release"
	// JobExpire ends a subscription at its ExpiredTime: auto-renew or stop
	// (Ref: instance).
	JobExpire JobKind = "expire"
	// JobReservedActivate makes a Creating reserved instance Active at its
	// StartTime (Ref: reserved instance).
	JobReservedActivate JobKind = "reserved.activate"
	// JobReservedExpire auto-renews or expires a reserved instance at its
	// ExpiredTime (Ref: reserved instance).
	JobReservedExpire JobKind = "reserved.expire"
	// JobSpotReclaim finishes a spot reclaim: release the instance, or stop
	// it with StopCharging (SpotInterruptionBehavior Stop) (Ref: instance).
	JobSpotReclaim JobKind = "spot.reclaim"
	// JobVpcAvailable makes a Pending VPC Available after the transition
	// delay (Ref: VPC).
	JobVpcAvailable JobKind = "vpc.available"
	// JobVSwitchAvailable makes a Pending vSwitch Available after the
	// transition delay (Ref: vSwitch).
	JobVSwitchAvailable JobKind = "vswitch.available"
	// JobDiskTransition finishes a disk's attach or detach (Ref: disk).
	JobDiskTransition JobKind = "disk.transition"
)

// Job is a unit of durable scheduled work. It lives in the store with its due
// time; a worker claims it and runs its kind's handler in the same commit as
// the job's deletion.
type Job struct {
	ID       int64
	Kind     JobKind
	Ref      string // the resource it acts on
	DueAt    time.Time
	Payload  []byte // the kind's payload, JSON
	Attempts int    // failed or deferred runs so far
}
