package openecs

import "time"

// ControlsReader holds the read methods of the capacity, quota, spot price,
// KMS key and sales controls.
type ControlsReader interface {
	// Quotas lists an account's quotas ("" for every account), in a region
	// ("" for every region), ordered by account, region, kind and scope.
	Quotas(accountID, regionID string) ([]Quota, error)

	// SpotPrice returns the price last set for a zone/type; ErrNotFound if it
	// was never set (the catalogue default applies).
	SpotPrice(zoneID, instanceType string) (*SpotPrice, error)
	// SpotPrices lists the prices set, by zone and type.
	SpotPrices() ([]SpotPrice, error)
	// SpotPriceHistory lists the prices set for a zone/type ("" matches any)
	// at or after since, oldest first, at most limit (0: no limit).
	SpotPriceHistory(zoneID, instanceType string, since time.Time, limit int) ([]SpotPrice, error)

	// KMSKey returns a key; ErrNotFound if it does not exist.
	KMSKey(id string) (*KMSKey, error)
	// KMSKeys lists the keys by id.
	KMSKeys() ([]KMSKey, error)
}

// ControlsWriter holds their write methods.
type ControlsWriter interface {
	// PutQuota creates or replaces the quota of (account, region, kind, scope).
	PutQuota(q Quota) error
	// DeleteQuota removes a quota; ErrNotFound if there was none.
	DeleteQuota(accountID, regionID string, kind QuotaKind, scope string) error

	// PutSpotPrice makes p the current price of its zone/type and appends it
	// to the history.
	PutSpotPrice(p SpotPrice) error

	// PutKMSKey creates or replaces a key.
	PutKMSKey(k *KMSKey) error
	// DeleteKMSKey removes a key; ErrNotFound if there was none.
	DeleteKMSKey(id string) error
}
