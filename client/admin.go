package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Admin is a client for the admin API (/admin/v1/...). Every call carries
// "Authorization: Bearer <Token>".
type Admin struct {
	Endpoint string // e.g. http://127.0.0.1:8686; a bare host:port means http
	Token    string
	HTTP     *http.Client
}

// AdminError is an admin call answered with a status other than 2xx; Message
// is the "error" field of the body (or the body itself if it has none).
type AdminError struct {
	Status  int
	Message string
}

func (e *AdminError) Error() string {
	return fmt.Sprintf("admin API: HTTP %d: %s", e.Status, e.Message)
}

// Do sends one admin call. body, unless nil, is sent as JSON; a 2xx answer is
// decoded into out unless out is nil or the answer is empty. Any other status
// gives an *AdminError.
func (a *Admin) Do(ctx context.Context, method, path string, body, out any) error {
	u, err := baseURL(a.Endpoint)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	target := u.String() + path

	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("client: encoding the body of %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := a.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("client: reading the answer to %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return adminError(resp.StatusCode, data)
	}
	if out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("client: decoding the answer to %s %s: %w", method, path, err)
	}
	return nil
}

func adminError(status int, body []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg = e.Error
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return &AdminError{Status: status, Message: msg}
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// NewAccount is the answer to CreateAccount: the account and its first
// AccessKey pair.
type NewAccount struct {
	AccountID       string `json:"account_id"`
	Name            string `json:"name,omitempty"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	Balance         string `json:"balance"`
	EconomicalMode  bool   `json:"economical_mode,omitempty"`
}

// Account is an account as the admin API shows it. Money is a decimal string.
type Account struct {
	AccountID                 string   `json:"account_id"`
	Name                      string   `json:"name,omitempty"`
	Balance                   string   `json:"balance"`
	InArrears                 bool     `json:"in_arrears"`
	ArrearsSince              string   `json:"arrears_since,omitempty"`
	EconomicalMode            bool     `json:"economical_mode"`
	UnauthorizedInstanceTypes []string `json:"unauthorized_instance_types,omitempty"`
	UnauthorizedRegions       []string `json:"unauthorized_regions,omitempty"`
	CreatedAt                 string   `json:"created_at,omitempty"`
}

// AccessKey is a new AccessKey pair; AllowedActions empty means any action.
type AccessKey struct {
	AccountID       string   `json:"account_id,omitempty"`
	AccessKeyID     string   `json:"access_key_id"`
	AccessKeySecret string   `json:"access_key_secret"`
	AllowedActions  []string `json:"allowed_actions"`
}

// STSCredentials are temporary credentials; sign with SecurityToken set.
type STSCredentials struct {
	AccountID       string   `json:"account_id,omitempty"`
	AccessKeyID     string   `json:"access_key_id"`
	AccessKeySecret string   `json:"access_key_secret"`
	SecurityToken   string   `json:"security_token"`
	Expiration      string   `json:"expiration"`
	AllowedActions  []string `json:"allowed_actions,omitempty"`
}

// ClockTime is the virtual clock's reading.
type ClockTime struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset,omitempty"`
}

// Locks are an instance's operation locks.
type Locks struct {
	InstanceID string   `json:"instance_id"`
	Locks      []string `json:"locks"`
}

// Capacity is the number of free slots for one instance type in one zone;
// nil Available means unlimited.
type Capacity struct {
	ZoneID       string `json:"zone_id"`
	InstanceType string `json:"instance_type"`
	Available    *int   `json:"available"`
}

// Fault is an injected-failure rule.
type Fault struct {
	ID          int64   `json:"id"`
	Action      string  `json:"action"`
	Code        string  `json:"code"`
	Message     string  `json:"message,omitempty"`
	Count       int     `json:"count"`
	AccountID   string  `json:"account_id"`
	Probability float64 `json:"probability"`
	LatencyMS   int     `json:"latency_ms"`
	HTTPStatus  int     `json:"http_status"`
	Until       string  `json:"until,omitempty"`
}

// Event is one entry of the event log. Amount is a decimal string; Hour is
// the billing point of a charge.
type Event struct {
	ID         int64          `json:"id"`
	At         string         `json:"at"`
	AccountID  string         `json:"account_id"`
	Kind       string         `json:"kind"`
	ResourceID string         `json:"resource_id"`
	Hour       string         `json:"hour,omitempty"`
	Amount     string         `json:"amount,omitempty"`
	Cause      string         `json:"cause"`
	Data       map[string]any `json:"data,omitempty"`
}

// CreateAccount makes an account with an opening balance (a decimal string
// such as "100.00") and its first AccessKey pair.
func (a *Admin) CreateAccount(ctx context.Context, name, balance string, economical bool) (*NewAccount, error) {
	body := map[string]any{"name": name, "balance": balance}
	if economical {
		body["economical_mode"] = true
	}
	var out NewAccount
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/accounts", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Account returns one account.
func (a *Admin) Account(ctx context.Context, id string) (*Account, error) {
	var out Account
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/accounts/"+seg(id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (a *Admin) balance(ctx context.Context, id, op, amount string) (*Account, error) {
	var out Account
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/accounts/"+seg(id)+"/balance", map[string]string{op: amount}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SetBalance sets an account's balance (it may be negative).
func (a *Admin) SetBalance(ctx context.Context, id, amount string) (*Account, error) {
	return a.balance(ctx, id, "set", amount)
}

// AddBalance adds to an account's balance (a top-up; negative takes away).
func (a *Admin) AddBalance(ctx context.Context, id, amount string) (*Account, error) {
	return a.balance(ctx, id, "add", amount)
}

// PatchAccount changes account settings: economical_mode,
// unauthorized_instance_types, unauthorized_regions.
func (a *Admin) PatchAccount(ctx context.Context, id string, patch map[string]any) (*Account, error) {
	var out Account
	if err := a.Do(ctx, http.MethodPatch, "/admin/v1/accounts/"+seg(id), patch, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateKey makes another AccessKey pair for an account; with allowedActions
// the key may call only those actions.
func (a *Admin) CreateKey(ctx context.Context, id string, allowedActions []string) (*AccessKey, error) {
	body := map[string]any{}
	if len(allowedActions) > 0 {
		body["allowed_actions"] = allowedActions
	}
	var out AccessKey
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/accounts/"+seg(id)+"/keys", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateSTS issues temporary credentials for an account, valid for duration
// (a Go duration such as "1h"; empty for the server's default).
func (a *Admin) CreateSTS(ctx context.Context, id string, duration string) (*STSCredentials, error) {
	body := map[string]any{}
	if duration != "" {
		body["duration"] = duration
	}
	var out STSCredentials
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/accounts/"+seg(id)+"/sts", body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Clock reads the virtual clock.
func (a *Admin) Clock(ctx context.Context) (*ClockTime, error) {
	var out ClockTime
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/clock", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Advance moves the virtual clock forward by duration (a Go duration such as
// "360h"); it answers once every job due by the new time has run.
func (a *Admin) Advance(ctx context.Context, duration string) (*ClockTime, error) {
	var out ClockTime
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/clock/advance", map[string]string{"duration": duration}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Lock sets an operation lock (e.g. "security") on an instance.
func (a *Admin) Lock(ctx context.Context, instanceID, reason string) (*Locks, error) {
	var out Locks
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/instances/"+seg(instanceID)+"/locks", map[string]string{"reason": reason}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Unlock removes an operation lock from an instance.
func (a *Admin) Unlock(ctx context.Context, instanceID, reason string) (*Locks, error) {
	var out Locks
	if err := a.Do(ctx, http.MethodDelete, "/admin/v1/instances/"+seg(instanceID)+"/locks/"+seg(reason), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Instance returns everything the server knows about one instance.
func (a *Admin) Instance(ctx context.Context, id string) (map[string]any, error) {
	var out map[string]any
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/instances/"+seg(id), nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SetCapacity sets the free slots of an instance type in a zone; nil
// available makes it unlimited again.
func (a *Admin) SetCapacity(ctx context.Context, zone, instanceType string, available *int) (*Capacity, error) {
	var out Capacity
	in := Capacity{ZoneID: zone, InstanceType: instanceType, Available: available}
	if err := a.Do(ctx, http.MethodPut, "/admin/v1/capacity", in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddFault adds a fault rule; rule holds "action", "code" and optionally
// "count", "account_id", "probability", "latency_ms", "http_status".
func (a *Admin) AddFault(ctx context.Context, rule map[string]any) (*Fault, error) {
	var out Fault
	if err := a.Do(ctx, http.MethodPost, "/admin/v1/faults", rule, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Faults lists the fault rules in the order they apply.
func (a *Admin) Faults(ctx context.Context) ([]Fault, error) {
	var out struct {
		Faults []Fault `json:"faults"`
	}
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/faults", nil, &out); err != nil {
		return nil, err
	}
	return out.Faults, nil
}

// DeleteFault removes a fault rule.
func (a *Admin) DeleteFault(ctx context.Context, id int64) error {
	return a.Do(ctx, http.MethodDelete, "/admin/v1/faults/"+strconv.FormatInt(id, 10), nil, nil)
}

// Events returns the event log from after event number after on.
func (a *Admin) Events(ctx context.Context, after int64) ([]Event, error) {
	var out struct {
		Events []Event `json:"events"`
	}
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/events?after="+strconv.FormatInt(after, 10), nil, &out); err != nil {
		return nil, err
	}
	return out.Events, nil
}

// Orders returns an account's orders.
func (a *Admin) Orders(ctx context.Context, accountID string) ([]map[string]any, error) {
	var out struct {
		Orders []map[string]any `json:"orders"`
	}
	if err := a.Do(ctx, http.MethodGet, "/admin/v1/accounts/"+seg(accountID)+"/orders", nil, &out); err != nil {
		return nil, err
	}
	return out.Orders, nil
}

// SetImageExpired marks a marketplace image expired (or not).
func (a *Admin) SetImageExpired(ctx context.Context, imageID string, expired bool) (map[string]any, error) {
	var out map[string]any
	if err := a.Do(ctx, http.MethodPut, "/admin/v1/images/"+seg(imageID), map[string]bool{"expired": expired}, &out); err != nil {
		return nil, err
	}
	return out, nil
}
