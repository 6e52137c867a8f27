package openecs

import "time"

// Event is one entry of the audit trail: every state change, charge, lock,
// order and release, with its cause.
type Event struct {
	ID         int64
	At         time.Time
	AccountID  string
	Kind       EventKind
	ResourceID string
	Hour       time.Time // charges: the billing point that charged the hour ending then
	Amount     Money     // charges and orders
	Cause      string    // the API action, admin call or job that made it
	Data       map[string]any
}

// EventKind names what an event records.
type EventKind string

// Event kinds.
const (
	EventAccountCreated   EventKind = "account.created"
	EventAccountBalance   EventKind = "account.balance"
	EventAccountArrears   EventKind = "account.arrears"
	EventAccountSettled   EventKind = "account.settled"
	EventInstanceCreated  EventKind = "instance.created"
	EventInstanceStatus   EventKind = "instance.status"
	EventInstanceLocked   EventKind = "instance.locked"
	EventInstanceUnlocked EventKind = "instance.unlocked"
	EventInstanceSuspend  EventKind = "instance.suspended"
	EventInstanceReactive EventKind = "instance.reactivated"
	EventInstanceExpired  EventKind = "instance.expired"
	EventInstanceRenewed  EventKind = "instance.renewed"
	EventInstanceReleased EventKind = "instance.released"
	EventImageExpired     EventKind = "image.expired"
	EventCharge           EventKind = "charge"
	EventOrder            EventKind = "order"
	EventCapacity         EventKind = "capacity.set"
	EventClockAdvanced    EventKind = "clock.advanced"
	EventFaultInjected    EventKind = "fault.injected"
)

// OrderKind says what an order bought.
type OrderKind string

// Order kinds.
const (
	OrderInstanceBuy   OrderKind = "instance.buy"
	OrderInstanceRenew OrderKind = "instance.renew"
	OrderReservedBuy   OrderKind = "reserved.buy"
	OrderReservedRenew OrderKind = "reserved.renew"
)

// Order is a purchase or renewal.
type Order struct {
	ID        string
	AccountID string
	Kind      OrderKind
	Amount    Money
	CreatedAt time.Time
	Resources []string
}

// IdempotencyRecord remembers the answer to a call made with a ClientToken.
type IdempotencyRecord struct {
	AccountID  string
	Action     string
	Token      string
	ParamsHash string
	Response   []byte
	CreatedAt  time.Time
}

// Capacity is the number of free slots for one instance type in one zone. A
// zone/type without a row is unlimited.
type Capacity struct {
	ZoneID       string
	InstanceType string
	Available    *int // nil: unlimited
}

// Fault is an injected failure: the next Count calls of Action (optionally
// only from one account, with a probability, until a time) fail with Code.
type Fault struct {
	ID          int64
	Action      string
	Code        string
	Message     string
	Count       int // calls left; -1 for no limit (then Until bounds it, if set)
	AccountID   string
	Probability float64
	LatencyMS   int
	HTTPStatus  int
	Until       time.Time
	CreatedAt   time.Time
}

// Disk is a cloud disk (attached to an instance or on its own) or a local
// disk of an instance (disk.go has its rules).
type Disk struct {
	Seq        int64 // creation order; stable paging key
	ID         string
	InstanceID string // "" while it is attached to none
	AccountID  string
	RegionID   string
	ZoneID     string
	Type       DiskType
	Category   string
	SizeGiB    int
	Status     DiskStatus
	Encrypted  bool
	KMSKeyID   string
	InArrears  bool
	Failed     bool // local disks only
	CreatedAt  time.Time

	Name               string
	Description        string
	PerformanceLevel   string // ESSD only: PL0–PL3
	ChargeType         ChargeType
	Portable           bool // may be detached and attached on its own
	DeleteWithInstance bool // released with the instance it is attached to
	Device             string
	ImageID            string // the image a system disk was made from
	ResourceGroupID    string
	AttachedAt         time.Time
	DetachedAt         time.Time
	TransitionJob      int64 // the pending attach/detach job, 0 if none
	DeleteAutoSnapshot bool  // its automatic snapshots go with it
	AutoSnapshotOff    bool  // EnableAutoSnapshot false
	BurstingEnabled    bool  // cloud_auto only
	Tags               []Tag
	Version            int64 // compare-and-set version
}

// DiskType is what a disk is to its instance.
type DiskType string

// Disk types.
const (
	DiskSystem DiskType = "system"
	DiskData   DiskType = "data"
	DiskLocal  DiskType = "local"
)

// DiskStatus is a disk's API status.
type DiskStatus string

// Disk statuses.
const (
	DiskInUse     DiskStatus = "In_use"
	DiskAvailable DiskStatus = "Available"
	DiskAttaching DiskStatus = "Attaching"
	DiskDetaching DiskStatus = "Detaching"
	DiskCreating  DiskStatus = "Creating"
	DiskReIniting DiskStatus = "ReIniting"
	DiskError     DiskStatus = "Error"
)

// DiskStatuses lists every disk status.
var DiskStatuses = []DiskStatus{DiskInUse, DiskAvailable, DiskAttaching, DiskDetaching, DiskCreating, DiskReIniting, DiskError}
