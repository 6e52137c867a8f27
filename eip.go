package openecs

import "time"

// Elastic IP addresses (docs/eips.md): a public address an account holds in
// a region, on its own or associated with one of its instances. Every row
// carries its account: another account's EIP is not found.

// EipStatus is the status of an EIP. The real service also shows
// Associating, Unassociating and Releasing for a moment; here association,
// unassociation and release take effect at once.
type EipStatus string

const (
	// EipAvailable: allocated, associated with nothing.
	EipAvailable EipStatus = "Available"
	// EipInUse: associated with an instance.
	EipInUse EipStatus = "InUse"
)

// EipInstanceECS is the only kind of resource an EIP is associated with
// here: an ECS instance in a VPC.
const EipInstanceECS = "EcsInstance"

// Internet charge types of an EIP.
const (
	EipPayByTraffic   = "PayByTraffic"
	EipPayByBandwidth = "PayByBandwidth"
)

// TagEip is an EIP's row type in the shared tag store.
const TagEip TagResourceType = "eip"

// Eip is an elastic IP address.
type Eip struct {
	Seq                int64  // creation order; stable paging key
	ID                 string // eip-…
	AccountID          string
	RegionID           string
	IPAddress          string // unique in its region
	Name               string
	Description        string
	Bandwidth          int // Mbit/s
	InternetChargeType string
	ChargeType         ChargeType // PostPaid only
	ISP                string
	Status             EipStatus
	ResourceGroupID    string
	InstanceID         string // the associated instance; "" when Available
	InstanceType       string // EipInstanceECS when associated
	CreatedAt          time.Time
	Version            int64 // compare-and-set version
}

// EipFilter selects EIPs. Zero fields do not filter; a non-nil empty IDs,
// IPs or InstanceIDs matches nothing.
type EipFilter struct {
	AccountID    string
	RegionID     string
	IDs          []string
	IPs          []string
	InstanceIDs  []string
	Status       EipStatus
	InstanceType string
	ISP          string
	ChargeType   ChargeType
	// ResourceGroupID keeps the EIPs of a resource group.
	ResourceGroupID string
	Tags            []Tag // Value "" matches any value of the key
	Offset          int
	Limit           int // 0: no limit
}

// EipReader reads EIPs. Eip returns ErrNotFound for a missing row and does
// not check the account (the service does).
type EipReader interface {
	Eip(id string) (*Eip, error)
	// Eips lists the EIPs the filter selects, oldest first.
	Eips(f EipFilter) ([]*Eip, error)
	// CountEips counts them (Offset and Limit ignored).
	CountEips(f EipFilter) (int, error)
}

// EipWriter writes EIPs. InsertEip sets Seq and Version (1) and answers
// ErrConflict for an id that exists or an address already held in the
// region. UpdateEip is compare-and-set on Version (ErrConflict when it
// moved, ErrNotFound when the row is gone), writes every field but Seq, ID,
// AccountID, RegionID, IPAddress and CreatedAt, and increments Version.
// DeleteEip removes the EIP and its tags (ErrNotFound for a missing row).
// DeleteInstance unassociates the instance's EIP (it stays, Available).
type EipWriter interface {
	InsertEip(e *Eip) error
	UpdateEip(e *Eip) error
	DeleteEip(id string) error
}

// Event kinds of EIPs (ResourceID names the EIP).
const (
	EventEipAllocated    EventKind = "eip.allocated"
	EventEipAssociated   EventKind = "eip.associated"
	EventEipUnassociated EventKind = "eip.unassociated"
	EventEipReleased     EventKind = "eip.released"
)
