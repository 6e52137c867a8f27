package openecs

import (
	"context"
	"errors"
	"time"
)

// Store errors. Drivers translate their own errors into these in one place;
// nothing above a driver sees sql.ErrNoRows or a driver error type.
var (
	// ErrNotFound: no such row.
	ErrNotFound = errors.New("openecs: not found")
	// ErrConflict: a compare-and-set lost (the row changed since it was read)
	// or a unique key already exists.
	ErrConflict = errors.New("openecs: conflict")
	// ErrUnavailable: the database cannot be reached; the API answers
	// ServiceUnavailable.
	ErrUnavailable = errors.New("openecs: store unavailable")
)

// Store is the persistence boundary. Each driver (sqlite, postgres) implements
// it and passes the shared suite in storetest.
type Store interface {
	// Update runs fn in a write transaction and commits it before returning.
	// Drivers may group several calls' fns into one commit (each in its own
	// savepoint), so fn must touch nothing but tx and must be safe to run
	// again: a driver may retry it after a serialization failure. If fn
	// returns an error its writes are rolled back and the error is returned.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// View runs fn against a consistent read snapshot.
	View(ctx context.Context, fn func(r Reader) error) error
	// Nonces is the store of signature nonces that the RPC transport checks
	// replays against: shared by every replica on PostgreSQL.
	Nonces() NonceStore
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Reader holds the read methods. Every method returns ErrNotFound for a
// missing single row.
type Reader interface {
	ReservedReader
	ControlsReader
	NetworkReader
	EipReader
	DiskReader
	UserDataReader
	KeyPairReader

	// Now is this transaction's virtual time: the wall time when it began
	// plus the clock offset stored in its own snapshot (MetaClockOffset),
	// read once. Every row a call writes carries it; job handlers use their
	// job's due time instead.
	Now() time.Time

	Meta(key string) (string, error)
	// NonceFloors returns, for each AccessKey, the latest request signing
	// time recorded at or after since (rpc.MemoryNonces).
	NonceFloors(since time.Time) (map[string]time.Time, error)

	Account(id string) (*Account, error)
	Accounts() ([]*Account, error)
	AccessKey(id string) (*AccessKey, error)

	Instance(id string) (*Instance, error)
	Instances(f InstanceFilter) ([]*Instance, error)
	// InstanceStatuses is Instances reduced to each instance's Seq, ID and
	// Status (what DescribeInstanceStatus shows), without reading the rest.
	InstanceStatuses(f InstanceFilter) ([]InstanceStatus, error)
	CountInstances(f InstanceFilter) (int, error)
	InstanceStatusCounts() (map[Status]int, error)
	// Disks lists the disks attached to an instance, in creation order.
	Disks(instanceID string) ([]Disk, error)
	Disk(id string) (*Disk, error)

	Idempotency(accountID, action, token string) (*IdempotencyRecord, error)
	Events(f EventFilter) ([]Event, error)
	// ChargedTotal is the sum of every charge event of the account
	// (ErrMoneyOverflow if it is out of Money's range).
	ChargedTotal(accountID string) (Money, error)
	Orders(accountID string, limit int) ([]Order, error)

	NextJobDue() (time.Time, bool, error)
	JobCount() (int, error)

	Capacity(zoneID, instanceType string) (*Capacity, error)
	Capacities() ([]Capacity, error)
	Faults() ([]Fault, error)
	ImageExpired(imageID string) (bool, error)
}

// Tx is a write transaction.
type Tx interface {
	Reader
	ReservedWriter
	ControlsWriter
	NetworkWriter
	EipWriter
	DiskWriter
	UserDataWriter
	KeyPairWriter

	SetMeta(key, value string) error
	// RaiseNonceFloor records t as the key's latest request signing time
	// unless a later one is recorded.
	RaiseNonceFloor(keyID string, t time.Time) error
	// PruneNonceFloors drops the times recorded before t.
	PruneNonceFloors(before time.Time) error
	// CompareAndSetMeta sets key to value only if it currently holds old ("" for
	// absent); it reports whether it did.
	CompareAndSetMeta(key, old, value string) (bool, error)

	InsertAccount(a *Account) error
	UpdateAccount(a *Account) error
	// AddBalance adds delta (which may be negative) atomically and returns the
	// new balance; ErrMoneyOverflow, with the balance unchanged, if the sum is
	// out of Money's range.
	AddBalance(accountID string, delta Money) (Money, error)
	InsertAccessKey(k *AccessKey) error

	// InsertInstance stores a new instance and sets its Seq and Version.
	InsertInstance(in *Instance) error
	// UpdateInstance writes in if the stored version still equals in.Version
	// (compare-and-set), then increments in.Version. ErrConflict otherwise.
	UpdateInstance(in *Instance) error
	// DeleteInstance removes the instance, the disks still attached to it,
	// its tags, its user data and its network interfaces, and leaves its
	// EIP, if any, Available.
	DeleteInstance(id string) error
	// InsertDisk stores a new disk and sets its Seq and Version.
	InsertDisk(d *Disk) error
	// UpdateDisk writes d if the stored version still equals d.Version
	// (compare-and-set), then increments d.Version. ErrConflict otherwise,
	// ErrNotFound if there is no such disk.
	UpdateDisk(d *Disk) error

	PutIdempotency(rec *IdempotencyRecord) error
	AppendEvent(e *Event) error
	InsertOrder(o *Order) error

	InsertJob(j *Job) error
	DeleteJob(id int64) error
	RescheduleJob(id int64, due time.Time, attempts int) error
	// ClaimDueJobs returns up to limit jobs due at or before now, in due order,
	// claimed for this transaction: a job claimed by another open transaction
	// is skipped, and a claim ends with the transaction (a crashed worker's
	// claims are retaken).
	ClaimDueJobs(now time.Time, limit int) ([]Job, error)

	// ChargeHour charges every billable pay-as-you-go instance created before
	// hour, once: it appends a charge event (kind "charge", Hour = hour) for
	// each one that has none for that hour yet, and returns the total charged
	// per account for that hour (covered hours charged at zero included).
	// Balances are not touched; the caller applies the totals.
	ChargeHour(hour, at time.Time) (map[string]Money, error)

	PutCapacity(c Capacity) error
	// TakeCapacity takes one slot if the zone/type is limited; false when none
	// is free. Unlimited always succeeds.
	TakeCapacity(zoneID, instanceType string) (bool, error)
	// ReturnCapacity gives one slot back if the zone/type is limited.
	ReturnCapacity(zoneID, instanceType string) error

	InsertFault(f *Fault) error
	DeleteFault(id int64) error
	// ConsumeFault decrements a counted fault; it reports false if it had no
	// calls left (it is then removed).
	ConsumeFault(id int64) (bool, error)

	SetImageExpired(imageID string, expired bool) error
}

// NonceStore remembers signature nonces until the end of their request's
// timestamp window, so that a replayed request is refused
// (SignatureNonceUsed).
type NonceStore interface {
	// Use records the key's nonce of a request signed at signedAt and
	// reports whether it was fresh. It may refuse with an *Error (a request
	// it can no longer tell from a replay).
	Use(ctx context.Context, keyID, nonce string, signedAt time.Time) (bool, error)
}

// TimestampWindow is how far a request's signing time may be from the wall
// clock; a nonce is remembered for as long.
const TimestampWindow = 15 * time.Minute

// InstanceFilter selects instances. Zero fields do not filter, except IDs: a
// non-nil empty IDs matches nothing (DescribeInstances InstanceIds=[]).
type InstanceFilter struct {
	AccountID     string
	RegionID      string
	IDs           []string
	Statuses      []Status
	ZoneID        string
	InstanceType  string
	Family        string
	ChargeType    ChargeType
	LockReason    LockReason
	Name          string // '*' is a wildcard
	ImageID       string
	VpcID         string
	VSwitchID     string
	SecurityGroup string
	KeyPairName   string
	BillingStates []BillingState
	Tags          []Tag // Value "" matches any value of the key
	// PrivateIPs and PublicIPs match an instance having any of the
	// addresses; nil does not filter, an empty non-nil list matches nothing.
	PrivateIPs []string
	PublicIPs  []string
	// EipAddresses matches an instance associated with an EIP of any of the
	// addresses (nil does not filter, an empty non-nil list matches nothing).
	EipAddresses    []string
	ResourceGroupID string
	// CreatedFrom … ExpiresTo bound CreatedAt and ExpiredAt, ends included;
	// a zero time does not bound. An instance that never expires (ExpiredAt
	// zero) is after every ExpiresFrom and before no ExpiresTo.
	CreatedFrom, CreatedTo time.Time
	ExpiresFrom, ExpiresTo time.Time
	AfterSeq               int64 // keyset paging: only Seq > AfterSeq
	Offset                 int
	Limit                  int // 0: no limit
}

// InstanceStatus is an instance's identity and API status.
type InstanceStatus struct {
	Seq    int64
	ID     string
	Status Status
}

// EventFilter selects events.
type EventFilter struct {
	After      int64 // only ID > After
	AccountID  string
	Kind       EventKind
	ResourceID string
	Limit      int
}
