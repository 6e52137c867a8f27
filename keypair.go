package openecs

import "time"

// SSH key pairs (docs/keypairs.md): an account's public keys in a region,
// by name. The server keeps the public key and its fingerprint, never a
// private key. Instances name the key pair they use (Instance.KeyPairName);
// a key pair in use cannot be deleted.

// TagKeyPair is the shared tag store's type for key pairs (their tags live in
// resource_tags, by key pair id).
const TagKeyPair TagResourceType = "keypair"

// KeyPair is an SSH key pair's public half.
type KeyPair struct {
	Seq             int64 // creation order; stable paging key
	ID              string
	AccountID       string
	RegionID        string
	Name            string // unique per account and region
	FingerPrint     string // MD5 of the public key, colon-separated hex
	PublicKey       string // OpenSSH authorized_keys form
	ResourceGroupID string
	CreatedAt       time.Time
}

// KeyPairFilter selects key pairs. Zero fields do not filter; a non-nil
// empty Names matches nothing.
type KeyPairFilter struct {
	AccountID       string
	RegionID        string
	Names           []string
	NamePattern     string // '*' is a wildcard
	FingerPrint     string
	ResourceGroupID string
	Tags            []Tag // Value "" matches any value of the key
	Offset          int
	Limit           int // 0: no limit
}

// KeyPairReader holds the key pair read methods.
type KeyPairReader interface {
	// KeyPair returns the account's key pair of that name in the region;
	// ErrNotFound if there is none.
	KeyPair(accountID, regionID, name string) (*KeyPair, error)
	// KeyPairs lists the key pairs the filter selects, oldest first.
	KeyPairs(f KeyPairFilter) ([]*KeyPair, error)
	// CountKeyPairs counts them (Offset and Limit ignored).
	CountKeyPairs(f KeyPairFilter) (int, error)
}

// KeyPairWriter holds the key pair write methods.
type KeyPairWriter interface {
	// InsertKeyPair stores a new key pair and sets its Seq; ErrConflict if
	// the account already has a key pair of that name in the region (or the
	// id exists).
	InsertKeyPair(k *KeyPair) error
	// DeleteKeyPair removes the key pair and its tags; ErrNotFound if there
	// is no such key pair.
	DeleteKeyPair(id string) error
}

// Event kinds of key pairs: a key pair created (or imported) or deleted
// (ResourceID is its id); an instance's key pair attached or detached
// (ResourceID is the instance).
const (
	EventKeyPairCreated  EventKind = "keypair.created"
	EventKeyPairDeleted  EventKind = "keypair.deleted"
	EventKeyPairAttached EventKind = "keypair.attached"
	EventKeyPairDetached EventKind = "keypair.detached"
)
