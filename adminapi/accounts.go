package adminapi

import (
	"github.com/openecs/openecs"
)

// CreateAccount is the body of POST /admin/v1/accounts.
type CreateAccount struct {
	Name                      string         `json:"name,omitempty"`
	Balance                   *openecs.Money `json:"balance,omitempty"` // the opening balance; absent: 0
	EconomicalMode            bool           `json:"economical_mode,omitempty"`
	UnauthorizedInstanceTypes []string       `json:"unauthorized_instance_types,omitempty"`
	UnauthorizedRegions       []string       `json:"unauthorized_regions,omitempty"`
}

// NewAccount answers POST /admin/v1/accounts (201): the account and its
// first AccessKey pair.
type NewAccount struct {
	AccessKeyID     string        `json:"access_key_id"`
	AccessKeySecret string        `json:"access_key_secret"`
	AccountID       string        `json:"account_id"`
	Balance         openecs.Money `json:"balance"`
	EconomicalMode  bool          `json:"economical_mode"`
	Name            string        `json:"name"`
}

// Account is an account as the admin API shows it: GET and PATCH
// /admin/v1/accounts/{id}, POST …/balance, and the items of Accounts.
type Account struct {
	AccountID                 string        `json:"account_id"`
	Name                      string        `json:"name"`
	Balance                   openecs.Money `json:"balance"`
	InArrears                 bool          `json:"in_arrears"`
	ArrearsSince              Time          `json:"arrears_since,omitzero"` // the billing point that put it in arrears
	EconomicalMode            bool          `json:"economical_mode"`
	UnauthorizedInstanceTypes []string      `json:"unauthorized_instance_types"` // never null
	UnauthorizedRegions       []string      `json:"unauthorized_regions"`        // never null
	CreatedAt                 Time          `json:"created_at"`
}

// AccountFrom is the wire form of an account.
func AccountFrom(a *openecs.Account) Account {
	out := Account{AccountID: a.ID, Name: a.Name, Balance: a.Balance, InArrears: a.InArrears, ArrearsSince: At(a.ArrearsAt),
		EconomicalMode: a.EconomicalMode, UnauthorizedInstanceTypes: a.UnauthorizedInstanceTypes,
		UnauthorizedRegions: a.UnauthorizedRegions, CreatedAt: At(a.CreatedAt)}
	if out.UnauthorizedInstanceTypes == nil {
		out.UnauthorizedInstanceTypes = []string{}
	}
	if out.UnauthorizedRegions == nil {
		out.UnauthorizedRegions = []string{}
	}
	return out
}

// Accounts answers GET /admin/v1/accounts.
type Accounts struct {
	Accounts []Account `json:"accounts"`
}

// AccountPatch is the body of PATCH /admin/v1/accounts/{id}: the settings to
// change; absent ones stay as they are.
type AccountPatch struct {
	Name                      *string   `json:"name,omitempty"`
	EconomicalMode            *bool     `json:"economical_mode,omitempty"`
	UnauthorizedInstanceTypes *[]string `json:"unauthorized_instance_types,omitempty"` // [] lifts every restriction
	UnauthorizedRegions       *[]string `json:"unauthorized_regions,omitempty"`
}

// BalanceChange is the body of POST /admin/v1/accounts/{id}/balance: exactly
// one of Set (any amount, negative included) and Add (a positive top-up).
type BalanceChange struct {
	Set *openecs.Money `json:"set,omitempty"`
	Add *openecs.Money `json:"add,omitempty"`
}

// CreateKey is the optional body of POST /admin/v1/accounts/{id}/keys.
type CreateKey struct {
	AllowedActions []string `json:"allowed_actions,omitempty"` // absent: any action
}

// AccessKey answers POST /admin/v1/accounts/{id}/keys (201). AllowedActions
// is null when the key may call any action.
type AccessKey struct {
	AccessKeyID     string   `json:"access_key_id"`
	AccessKeySecret string   `json:"access_key_secret"`
	AccountID       string   `json:"account_id"`
	AllowedActions  []string `json:"allowed_actions"`
}

// AccessKeyFrom is the wire form of a new permanent AccessKey pair.
func AccessKeyFrom(k *openecs.AccessKey) AccessKey {
	return AccessKey{AccessKeyID: k.ID, AccessKeySecret: k.Secret, AccountID: k.AccountID, AllowedActions: k.AllowedActions}
}

// CreateCredentials is the optional body of POST …/sts and
// …/bearer-tokens.
type CreateCredentials struct {
	Duration       string   `json:"duration,omitempty"` // a Go duration such as "1h"; absent: the server's default
	AllowedActions []string `json:"allowed_actions,omitempty"`
}

// STSCredentials answers POST /admin/v1/accounts/{id}/sts (201): temporary
// credentials, signed with SecurityToken.
type STSCredentials struct {
	AccessKeyID     string   `json:"access_key_id"`
	AccessKeySecret string   `json:"access_key_secret"`
	AccountID       string   `json:"account_id"`
	AllowedActions  []string `json:"allowed_actions"`
	Expiration      Time     `json:"expiration"`
	SecurityToken   string   `json:"security_token"`
}

// STSCredentialsFrom is the wire form of an STS key.
func STSCredentialsFrom(k *openecs.AccessKey) STSCredentials {
	return STSCredentials{AccessKeyID: k.ID, AccessKeySecret: k.Secret, AccountID: k.AccountID, AllowedActions: k.AllowedActions,
		Expiration: At(k.ExpiresAt), SecurityToken: k.SecurityToken}
}

// BearerToken answers POST /admin/v1/accounts/{id}/bearer-tokens (201).
type BearerToken struct {
	AccountID      string   `json:"account_id"`
	AllowedActions []string `json:"allowed_actions"`
	BearerToken    string   `json:"bearer_token"`
	Expiration     Time     `json:"expiration"`
}

// Order is a purchase or renewal.
type Order struct {
	AccountID string            `json:"account_id"`
	Amount    openecs.Money     `json:"amount"`
	CreatedAt Time              `json:"created_at"`
	Kind      openecs.OrderKind `json:"kind"`
	OrderID   string            `json:"order_id"`
	Resources []string          `json:"resources"`
}

// OrderFrom is the wire form of an order.
func OrderFrom(o *openecs.Order) Order {
	return Order{AccountID: o.AccountID, Amount: o.Amount, CreatedAt: At(o.CreatedAt), Kind: o.Kind, OrderID: o.ID, Resources: o.Resources}
}

// Orders answers GET /admin/v1/accounts/{id}/orders, newest first.
type Orders struct {
	Orders []Order `json:"orders"`
}

// Charges answers GET /admin/v1/accounts/{id}/charges[?after=N&limit=M]:
// one page of the account's charge events, oldest first.
type Charges struct {
	AccountID string `json:"account_id"`
	// AccountTotal is the sum of every charge the account has ever had,
	// whatever the page.
	AccountTotal openecs.Money `json:"account_total"`
	Balance      openecs.Money `json:"balance"`
	Charges      []Event       `json:"charges"`
	InArrears    bool          `json:"in_arrears"`
	// Next, when present, is the "after" of the next page: more charges
	// follow this page. Absent on the last page.
	Next int64 `json:"next,omitempty"`
	// Total is the sum of this page's charges.
	Total openecs.Money `json:"total"`
}
