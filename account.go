package openecs

import (
	"slices"
	"time"
)

// Account owns AccessKey pairs and resources; one account never sees another's.
type Account struct {
	ID        string
	Name      string
	Balance   Money
	InArrears bool      // set at a billing point with a negative balance; cleared as soon as the balance is ≥ 0
	ArrearsAt time.Time // the billing point that put it in arrears
	CreatedAt time.Time

	// Settings (PATCH /admin/v1/accounts/{id}).
	EconomicalMode            bool
	UnauthorizedInstanceTypes []string
	UnauthorizedRegions       []string
}

// MayUseInstanceType reports whether the account may buy the type.
func (a *Account) MayUseInstanceType(t string) bool {
	return !slices.Contains(a.UnauthorizedInstanceTypes, t)
}

// MayUseRegion reports whether the account may buy in the region.
func (a *Account) MayUseRegion(r string) bool { return !slices.Contains(a.UnauthorizedRegions, r) }

// AccessKey is an AccessKey pair. Permanent keys have no SecurityToken; STS
// keys carry one and expire.
type AccessKey struct {
	ID             string
	AccountID      string
	Secret         string
	AllowedActions []string // nil: every action; otherwise an allow-list (Forbidden.RAM outside it)
	SecurityToken  string
	ExpiresAt      time.Time
	CreatedAt      time.Time
}

// Allows reports whether the key may call the action.
func (k *AccessKey) Allows(action string) bool {
	return k.AllowedActions == nil || slices.Contains(k.AllowedActions, action)
}

// BearerKeyPrefix prefixes the id under which a bearer token is stored as a
// key (with an empty secret, the HMAC key bearer requests sign with being "&").
const BearerKeyPrefix = "bearer:"
