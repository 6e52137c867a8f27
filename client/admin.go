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

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
)

// Admin is a client for the admin API (/admin/v1/...). Every call carries
// "Authorization: Bearer <Token>". Request and answer bodies are the types
// of package adminapi, which the server encodes.
type Admin struct {
	Endpoint string // e.g. http://127.0.0.1:8686; a bare host:port means http
	Token    string
	HTTP     *http.Client
}

// AdminError is an admin call answered with a status other than 2xx; Message
// is the "error" field of the body (or the body itself if it has none), Code
// its "code" (the ECS error code, when the failure is one).
type AdminError struct {
	Status  int
	Code    string
	Message string
}

func (e *AdminError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("admin API: HTTP %d: %s: %s", e.Status, e.Code, e.Message)
	}
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
	var e adminapi.Error
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		msg = e.Message
	} else {
		e.Code = ""
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return &AdminError{Status: status, Code: e.Code, Message: msg}
}

// call is Do decoding into a new T.
func call[T any](ctx context.Context, a *Admin, method, path string, body any) (*T, error) {
	var out T
	if err := a.Do(ctx, method, path, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

func accountPath(id string) string { return "/admin/v1/accounts/" + seg(id) }

// Accounts, keys, credentials, money.

// CreateAccount makes an account with an opening balance and its first
// AccessKey pair.
func (a *Admin) CreateAccount(ctx context.Context, in adminapi.CreateAccount) (*adminapi.NewAccount, error) {
	return call[adminapi.NewAccount](ctx, a, http.MethodPost, "/admin/v1/accounts", in)
}

// Accounts lists every account.
func (a *Admin) Accounts(ctx context.Context) ([]adminapi.Account, error) {
	out, err := call[adminapi.Accounts](ctx, a, http.MethodGet, "/admin/v1/accounts", nil)
	if err != nil {
		return nil, err
	}
	return out.Accounts, nil
}

// Account returns one account.
func (a *Admin) Account(ctx context.Context, id string) (*adminapi.Account, error) {
	return call[adminapi.Account](ctx, a, http.MethodGet, accountPath(id), nil)
}

// PatchAccount changes account settings; nil fields stay as they are.
func (a *Admin) PatchAccount(ctx context.Context, id string, patch adminapi.AccountPatch) (*adminapi.Account, error) {
	return call[adminapi.Account](ctx, a, http.MethodPatch, accountPath(id), patch)
}

// SetBalance sets an account's balance (it may be negative).
func (a *Admin) SetBalance(ctx context.Context, id string, amount openecs.Money) (*adminapi.Account, error) {
	return call[adminapi.Account](ctx, a, http.MethodPost, accountPath(id)+"/balance", adminapi.BalanceChange{Set: &amount})
}

// AddBalance tops up an account's balance by a positive amount; a sum out of
// Money's range is refused (400, code InvalidParameter).
func (a *Admin) AddBalance(ctx context.Context, id string, amount openecs.Money) (*adminapi.Account, error) {
	return call[adminapi.Account](ctx, a, http.MethodPost, accountPath(id)+"/balance", adminapi.BalanceChange{Add: &amount})
}

// CreateKey makes another AccessKey pair for an account; with allowedActions
// the key may call only those actions.
func (a *Admin) CreateKey(ctx context.Context, id string, allowedActions []string) (*adminapi.AccessKey, error) {
	return call[adminapi.AccessKey](ctx, a, http.MethodPost, accountPath(id)+"/keys", adminapi.CreateKey{AllowedActions: allowedActions})
}

// CreateSTS issues temporary STS credentials for an account.
func (a *Admin) CreateSTS(ctx context.Context, id string, in adminapi.CreateCredentials) (*adminapi.STSCredentials, error) {
	return call[adminapi.STSCredentials](ctx, a, http.MethodPost, accountPath(id)+"/sts", in)
}

// CreateBearerToken issues a bearer token for an account.
func (a *Admin) CreateBearerToken(ctx context.Context, id string, in adminapi.CreateCredentials) (*adminapi.BearerToken, error) {
	return call[adminapi.BearerToken](ctx, a, http.MethodPost, accountPath(id)+"/bearer-tokens", in)
}

// Orders returns an account's latest orders (the server's default page).
func (a *Admin) Orders(ctx context.Context, accountID string) ([]adminapi.Order, error) {
	out, err := call[adminapi.Orders](ctx, a, http.MethodGet, accountPath(accountID)+"/orders", nil)
	if err != nil {
		return nil, err
	}
	return out.Orders, nil
}

// Charges returns one page of an account's charges: those after the event
// id after, at most limit (0: the server's default page). Its Next, when not
// 0, is the after of the next page.
func (a *Admin) Charges(ctx context.Context, accountID string, after int64, limit int) (*adminapi.Charges, error) {
	q := url.Values{}
	if after > 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return call[adminapi.Charges](ctx, a, http.MethodGet, withQuery(accountPath(accountID)+"/charges", q), nil)
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// The clock.

// Clock reads the virtual clock.
func (a *Admin) Clock(ctx context.Context) (*adminapi.Clock, error) {
	return call[adminapi.Clock](ctx, a, http.MethodGet, "/admin/v1/clock", nil)
}

// Advance moves the virtual clock forward by duration (a Go duration such as
// "360h"); it answers once every job due by the new time has run.
func (a *Admin) Advance(ctx context.Context, duration string) (*adminapi.Clock, error) {
	return call[adminapi.Clock](ctx, a, http.MethodPost, "/admin/v1/clock/advance", adminapi.Advance{Duration: duration})
}

// Instances, capacity, faults, events, images.

// Instance returns everything the server knows about one instance.
func (a *Admin) Instance(ctx context.Context, id string) (*adminapi.Instance, error) {
	return call[adminapi.Instance](ctx, a, http.MethodGet, "/admin/v1/instances/"+seg(id), nil)
}

// PatchInstance changes an instance's emulator-only state (host_ready).
func (a *Admin) PatchInstance(ctx context.Context, id string, patch adminapi.InstancePatch) (*adminapi.Instance, error) {
	return call[adminapi.Instance](ctx, a, http.MethodPatch, "/admin/v1/instances/"+seg(id), patch)
}

// Lock sets an operation lock (e.g. "security") on an instance.
func (a *Admin) Lock(ctx context.Context, instanceID string, reason openecs.LockReason) (*adminapi.Locks, error) {
	return call[adminapi.Locks](ctx, a, http.MethodPost, "/admin/v1/instances/"+seg(instanceID)+"/locks", adminapi.Lock{Reason: reason})
}

// Unlock removes an operation lock from an instance.
func (a *Admin) Unlock(ctx context.Context, instanceID string, reason openecs.LockReason) (*adminapi.Locks, error) {
	return call[adminapi.Locks](ctx, a, http.MethodDelete, "/admin/v1/instances/"+seg(instanceID)+"/locks/"+seg(string(reason)), nil)
}

// SetCapacity sets the free slots of an instance type in a zone; nil
// available makes it unlimited again.
func (a *Admin) SetCapacity(ctx context.Context, zone, instanceType string, available *int) (*adminapi.Capacity, error) {
	in := adminapi.Capacity{ZoneID: zone, InstanceType: instanceType, Available: available}
	return call[adminapi.Capacity](ctx, a, http.MethodPut, "/admin/v1/capacity", in)
}

// Capacities lists the limited zone/type rows.
func (a *Admin) Capacities(ctx context.Context) ([]adminapi.Capacity, error) {
	out, err := call[adminapi.CapacityList](ctx, a, http.MethodGet, "/admin/v1/capacity", nil)
	if err != nil {
		return nil, err
	}
	return out.Capacity, nil
}

// AddFault adds a fault rule; Action must be an action the server answers.
func (a *Admin) AddFault(ctx context.Context, rule adminapi.AddFault) (*adminapi.Fault, error) {
	return call[adminapi.Fault](ctx, a, http.MethodPost, "/admin/v1/faults", rule)
}

// Faults lists the fault rules in the order they apply.
func (a *Admin) Faults(ctx context.Context) ([]adminapi.Fault, error) {
	out, err := call[adminapi.Faults](ctx, a, http.MethodGet, "/admin/v1/faults", nil)
	if err != nil {
		return nil, err
	}
	return out.Faults, nil
}

// DeleteFault removes a fault rule.
func (a *Admin) DeleteFault(ctx context.Context, id int64) (*adminapi.FaultDeleted, error) {
	return call[adminapi.FaultDeleted](ctx, a, http.MethodDelete, "/admin/v1/faults/"+strconv.FormatInt(id, 10), nil)
}

// EventQuery selects events of the log; zero fields do not filter.
type EventQuery struct {
	After      int64 // only events with a greater id
	AccountID  string
	Kind       openecs.EventKind
	ResourceID string
	Limit      int // 0: the server's default page
}

// Events returns the event log from after event number after on (one page
// of the server's default size).
func (a *Admin) Events(ctx context.Context, after int64) ([]adminapi.Event, error) {
	return a.ListEvents(ctx, EventQuery{After: after})
}

// ListEvents returns one page of the events q selects, oldest first.
func (a *Admin) ListEvents(ctx context.Context, q EventQuery) ([]adminapi.Event, error) {
	v := url.Values{}
	v.Set("after", strconv.FormatInt(q.After, 10))
	for k, s := range map[string]string{"account_id": q.AccountID, "kind": string(q.Kind), "resource_id": q.ResourceID} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	out, err := call[adminapi.Events](ctx, a, http.MethodGet, withQuery("/admin/v1/events", v), nil)
	if err != nil {
		return nil, err
	}
	return out.Events, nil
}

// SetImageExpired marks a marketplace image expired (or not).
func (a *Admin) SetImageExpired(ctx context.Context, imageID string, expired bool) (*adminapi.Image, error) {
	return call[adminapi.Image](ctx, a, http.MethodPut, "/admin/v1/images/"+seg(imageID), adminapi.ImageExpiry{Expired: expired})
}

// The controls of the failure cases.

// SetQuota creates or changes a quota (in's limit set with
// adminapi.QuotaLimit); use DeleteQuota to remove one.
func (a *Admin) SetQuota(ctx context.Context, in adminapi.SetQuota) (*adminapi.Quota, error) {
	return call[adminapi.Quota](ctx, a, http.MethodPut, "/admin/v1/quotas", in)
}

// DeleteQuota removes the quota in names (its limit is sent as null).
func (a *Admin) DeleteQuota(ctx context.Context, in adminapi.SetQuota) (*adminapi.QuotaDeleted, error) {
	if in.ZoneID != "" {
		in.VCPUs, in.Instances = adminapi.QuotaLimit(nil), nil
	} else {
		in.VCPUs, in.Instances = nil, adminapi.QuotaLimit(nil)
	}
	return call[adminapi.QuotaDeleted](ctx, a, http.MethodPut, "/admin/v1/quotas", in)
}

// Quotas lists quotas with their usage; empty arguments do not filter.
func (a *Admin) Quotas(ctx context.Context, accountID, regionID string) ([]adminapi.Quota, error) {
	v := url.Values{}
	if accountID != "" {
		v.Set("account_id", accountID)
	}
	if regionID != "" {
		v.Set("region_id", regionID)
	}
	out, err := call[adminapi.Quotas](ctx, a, http.MethodGet, withQuery("/admin/v1/quotas", v), nil)
	if err != nil {
		return nil, err
	}
	return out.Quotas, nil
}

// SetSpotPrice sets the spot price of a zone/type (nil Price: the default).
func (a *Admin) SetSpotPrice(ctx context.Context, in adminapi.SetSpotPrice) (*adminapi.SpotPriceChange, error) {
	return call[adminapi.SpotPriceChange](ctx, a, http.MethodPut, "/admin/v1/spot-prices", in)
}

// SpotPrices lists the spot prices set.
func (a *Admin) SpotPrices(ctx context.Context) ([]adminapi.SpotPrice, error) {
	out, err := call[adminapi.SpotPrices](ctx, a, http.MethodGet, "/admin/v1/spot-prices", nil)
	if err != nil {
		return nil, err
	}
	return out.SpotPrices, nil
}

// SpotPriceHistory returns the current spot price of a zone/type and the
// prices set before.
func (a *Admin) SpotPriceHistory(ctx context.Context, zoneID, instanceType string) (*adminapi.SpotPriceHistory, error) {
	return call[adminapi.SpotPriceHistory](ctx, a, http.MethodGet, "/admin/v1/spot-prices/"+seg(zoneID)+"/"+seg(instanceType), nil)
}

// Disk returns a disk.
func (a *Admin) Disk(ctx context.Context, id string) (*adminapi.Disk, error) {
	return call[adminapi.Disk](ctx, a, http.MethodGet, "/admin/v1/disks/"+seg(id), nil)
}

// PatchDisk changes a disk's status, arrears or failure.
func (a *Admin) PatchDisk(ctx context.Context, id string, patch adminapi.DiskPatch) (*adminapi.Disk, error) {
	return call[adminapi.Disk](ctx, a, http.MethodPatch, "/admin/v1/disks/"+seg(id), patch)
}

// KMSKeys lists the KMS keys.
func (a *Admin) KMSKeys(ctx context.Context) ([]adminapi.KMSKey, error) {
	out, err := call[adminapi.KMSKeys](ctx, a, http.MethodGet, "/admin/v1/kms-keys", nil)
	if err != nil {
		return nil, err
	}
	return out.KMSKeys, nil
}

// KMSKey returns a KMS key.
func (a *Admin) KMSKey(ctx context.Context, id string) (*adminapi.KMSKey, error) {
	return call[adminapi.KMSKey](ctx, a, http.MethodGet, "/admin/v1/kms-keys/"+seg(id), nil)
}

// PutKMSKey creates or changes a KMS key.
func (a *Admin) PutKMSKey(ctx context.Context, id string, patch adminapi.KMSKeyPatch) (*adminapi.KMSKey, error) {
	return call[adminapi.KMSKey](ctx, a, http.MethodPut, "/admin/v1/kms-keys/"+seg(id), patch)
}

// DeleteKMSKey removes a KMS key.
func (a *Admin) DeleteKMSKey(ctx context.Context, id string) (*adminapi.KMSKeyDeleted, error) {
	return call[adminapi.KMSKeyDeleted](ctx, a, http.MethodDelete, "/admin/v1/kms-keys/"+seg(id), nil)
}

// Reserved-instance controls.

// SetSales sets the sales state of a region or zone.
func (a *Admin) SetSales(ctx context.Context, in adminapi.SetSales) (*adminapi.SalesState, error) {
	return call[adminapi.SalesState](ctx, a, http.MethodPut, "/admin/v1/sales", in)
}

// Sales lists the regions and zones whose sales are not open.
func (a *Admin) Sales(ctx context.Context) ([]adminapi.SalesState, error) {
	out, err := call[adminapi.Sales](ctx, a, http.MethodGet, "/admin/v1/sales", nil)
	if err != nil {
		return nil, err
	}
	return out.Sales, nil
}

// ReservedInstance returns a reserved instance.
func (a *Admin) ReservedInstance(ctx context.Context, id string) (*adminapi.ReservedInstance, error) {
	return call[adminapi.ReservedInstance](ctx, a, http.MethodGet, "/admin/v1/reserved-instances/"+seg(id), nil)
}

// LockReserved sets a lock on a reserved instance.
func (a *Admin) LockReserved(ctx context.Context, id string, reason openecs.LockReason) (*adminapi.ReservedInstance, error) {
	return call[adminapi.ReservedInstance](ctx, a, http.MethodPost, "/admin/v1/reserved-instances/"+seg(id)+"/locks", adminapi.Lock{Reason: reason})
}

// UnlockReserved removes a lock from a reserved instance.
func (a *Admin) UnlockReserved(ctx context.Context, id string, reason openecs.LockReason) (*adminapi.ReservedInstance, error) {
	return call[adminapi.ReservedInstance](ctx, a, http.MethodDelete, "/admin/v1/reserved-instances/"+seg(id)+"/locks/"+seg(string(reason)), nil)
}

// Bulk data and the scheduler.

// Seed creates instances in bulk (at most 200,000 per call).
func (a *Admin) Seed(ctx context.Context, in adminapi.Seed) (*adminapi.Seeded, error) {
	return call[adminapi.Seeded](ctx, a, http.MethodPost, "/admin/v1/seed", in)
}

// JobStats reads the job queue and the scheduler's lateness.
func (a *Admin) JobStats(ctx context.Context) (*adminapi.JobStats, error) {
	return call[adminapi.JobStats](ctx, a, http.MethodGet, "/admin/v1/debug/jobs", nil)
}
