package openecs

import "time"

// Event is one entry of the audit trail: every state change, charge, lock,
// order and release, with its cause.
type Event struct {
	ID         int64
	At         time.Time
	AccountID  string
	Kind       string
	ResourceID string
	Hour       time.Time // charges: the billing point that charged the hour ending then
	Amount     Money     // charges and orders
	Cause      string    // the API action, admin call or job that made it
	Data       map[string]any
}

// Event kinds.
const (
	EventAccountCreated   = "account.created"
	EventAccountBalance   = "account.balance"
	EventAccountArrears   = "account.arrears"
	EventAccountSettled   = "account.settled"
	EventInstanceCreated  = "instance.created"
	EventInstanceStatus   = "instance.status"
	EventInstanceLocked   = "instance.locked"
	EventInstanceUnlocked = "instance.unlocked"
	EventInstanceSuspend  = "instance.suspended"
	EventInstanceReactive = "instance.reactivated"
	EventInstanceExpired  = "instance.expired"
	EventInstanceRenewed  = "instance.renewed"
	EventInstanceReleased = "instance.released"
	EventImageExpired     = "image.expired"
	EventCharge           = "charge"
	EventOrder            = "order"
	EventCapacity         = "capacity.set"
	EventClockAdvanced    = "clock.advanced"
	EventFaultInjected    = "fault.injected"
)

// Order is a purchase or renewal.
type Order struct {
	ID        string
	AccountID string
	Kind      string // instance.buy, instance.renew, reserved.buy, reserved.renew
	Amount    Money
	CreatedAt time.Time
	Resources []string
}

// Job is a unit of durable scheduled work: a transition finishing, a
// suspension after the grace period, a release, an expiry. It lives in the
// store with its due time; a worker claims and runs it.
type Job struct {
	ID       int64
	Kind     string
	Ref      string // the resource it acts on
	DueAt    time.Time
	Payload  []byte
	Attempts int
}

// Job kinds.
const (
	JobTransition     = "transition"      // Ref instance; payload {to, then, job}
	JobSuspendAccount = "suspend.account" // Ref account: suspend its pay-as-you-go instances if still in arrears
	JobRelease        = "release"         // Ref instance: release if still suspended/expired
	JobExpire         = "expire"          // Ref instance: subscription expiry (auto-renew or stop)
)

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
	ZoneID       string `json:"zone_id"`
	InstanceType string `json:"instance_type"`
	Available    *int   `json:"available"`
}

// Fault is an injected failure: the next Count calls of Action (optionally
// only from one account, with a probability, until a time) fail with Code.
type Fault struct {
	ID          int64     `json:"id"`
	Action      string    `json:"action"`
	Code        string    `json:"code"`
	Message     string    `json:"message,omitempty"`
	Count       int       `json:"count"` // calls left; -1 for no limit (then Until bounds it, if set)
	AccountID   string    `json:"account_id"`
	Probability float64   `json:"probability"`
	LatencyMS   int       `json:"latency_ms"`
	HTTPStatus  int       `json:"http_status"`
	Until       time.Time `json:"-"`
	CreatedAt   time.Time `json:"-"`
}

// Disk is a cloud disk or a local disk of an instance.
type Disk struct {
	ID         string
	InstanceID string
	AccountID  string
	Type       string // system, data, local
	Category   string
	SizeGiB    int
	Status     string // In_use, Error, ...
	Encrypted  bool
	KMSKeyID   string
	InArrears  bool
	Failed     bool // local disks only
	CreatedAt  time.Time
}

// Disk types.
const (
	DiskSystem = "system"
	DiskData   = "data"
	DiskLocal  = "local"
)
