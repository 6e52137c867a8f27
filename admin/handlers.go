package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// accountJSON is an account as the admin API shows it.
type accountJSON struct {
	AccountID                 string        `json:"account_id"`
	Name                      string        `json:"name"`
	Balance                   openecs.Money `json:"balance"`
	InArrears                 bool          `json:"in_arrears"`
	ArrearsSince              string        `json:"arrears_since,omitempty"`
	EconomicalMode            bool          `json:"economical_mode"`
	UnauthorizedInstanceTypes []string      `json:"unauthorized_instance_types"`
	UnauthorizedRegions       []string      `json:"unauthorized_regions"`
	CreatedAt                 string        `json:"created_at"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func toAccountJSON(a *openecs.Account) accountJSON {
	j := accountJSON{AccountID: a.ID, Name: a.Name, Balance: a.Balance, InArrears: a.InArrears, ArrearsSince: rfc3339(a.ArrearsAt),
		EconomicalMode: a.EconomicalMode, UnauthorizedInstanceTypes: a.UnauthorizedInstanceTypes, UnauthorizedRegions: a.UnauthorizedRegions,
		CreatedAt: rfc3339(a.CreatedAt)}
	if j.UnauthorizedInstanceTypes == nil {
		j.UnauthorizedInstanceTypes = []string{}
	}
	if j.UnauthorizedRegions == nil {
		j.UnauthorizedRegions = []string{}
	}
	return j
}

func (h *Handler) createAccount(r *http.Request) (int, any, error) {
	var in struct {
		Name                      string         `json:"name"`
		Balance                   *openecs.Money `json:"balance"`
		EconomicalMode            bool           `json:"economical_mode"`
		UnauthorizedInstanceTypes []string       `json:"unauthorized_instance_types"`
		UnauthorizedRegions       []string       `json:"unauthorized_regions"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	n := service.NewAccount{Name: in.Name, EconomicalMode: in.EconomicalMode,
		UnauthorizedInstanceTypes: in.UnauthorizedInstanceTypes, UnauthorizedRegions: in.UnauthorizedRegions}
	if in.Balance != nil {
		n.Balance = *in.Balance
	}
	a, k, err := h.svc.CreateAccount(r.Context(), n)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"account_id": a.ID, "name": a.Name, "access_key_id": k.ID, "access_key_secret": k.Secret,
		"balance": a.Balance, "economical_mode": a.EconomicalMode}, nil
}

func (h *Handler) listAccounts(r *http.Request) (int, any, error) {
	as, err := h.svc.Accounts(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]accountJSON, 0, len(as))
	for _, a := range as {
		out = append(out, toAccountJSON(a))
	}
	return http.StatusOK, map[string]any{"accounts": out}, nil
}

func (h *Handler) getAccount(r *http.Request) (int, any, error) {
	a, err := h.svc.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, toAccountJSON(a), nil
}

func (h *Handler) patchAccount(r *http.Request) (int, any, error) {
	var in struct {
		Name                      *string   `json:"name"`
		EconomicalMode            *bool     `json:"economical_mode"`
		UnauthorizedInstanceTypes *[]string `json:"unauthorized_instance_types"`
		UnauthorizedRegions       *[]string `json:"unauthorized_regions"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := h.svc.PatchAccount(r.Context(), r.PathValue("id"), service.AccountPatch{Name: in.Name, EconomicalMode: in.EconomicalMode,
		UnauthorizedInstanceTypes: in.UnauthorizedInstanceTypes, UnauthorizedRegions: in.UnauthorizedRegions})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, toAccountJSON(a), nil
}

func (h *Handler) balance(r *http.Request) (int, any, error) {
	var in struct {
		Set *openecs.Money `json:"set"`
		Add *openecs.Money `json:"add"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := h.svc.ChangeBalance(r.Context(), r.PathValue("id"), in.Set, in.Add)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, toAccountJSON(a), nil
}

func (h *Handler) createKey(r *http.Request) (int, any, error) {
	var in struct {
		AllowedActions []string `json:"allowed_actions"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
	}
	k, err := h.svc.CreateKey(r.Context(), r.PathValue("id"), in.AllowedActions)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"account_id": k.AccountID, "access_key_id": k.ID, "access_key_secret": k.Secret,
		"allowed_actions": k.AllowedActions}, nil
}

// credentialRequest reads the optional {"duration", "allowed_actions"} body
// of the temporary-credential calls.
func credentialRequest(r *http.Request) (time.Duration, []string, error) {
	var in struct {
		Duration       string   `json:"duration"`
		AllowedActions []string `json:"allowed_actions"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
	}
	if in.Duration == "" {
		return 0, in.AllowedActions, nil
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d <= 0 {
		return 0, nil, badRequest("duration must be a positive Go duration such as 1h")
	}
	return d, in.AllowedActions, nil
}

func (h *Handler) createSTS(r *http.Request) (int, any, error) {
	ttl, allowed, err := credentialRequest(r)
	if err != nil {
		return 0, nil, err
	}
	k, err := h.svc.CreateSTS(r.Context(), r.PathValue("id"), ttl, allowed)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"account_id": k.AccountID, "access_key_id": k.ID, "access_key_secret": k.Secret,
		"security_token": k.SecurityToken, "expiration": rfc3339(k.ExpiresAt), "allowed_actions": k.AllowedActions}, nil
}

func (h *Handler) createBearer(r *http.Request) (int, any, error) {
	ttl, allowed, err := credentialRequest(r)
	if err != nil {
		return 0, nil, err
	}
	tok, k, err := h.svc.CreateBearerToken(r.Context(), r.PathValue("id"), ttl, allowed)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"account_id": k.AccountID, "bearer_token": tok, "expiration": rfc3339(k.ExpiresAt),
		"allowed_actions": k.AllowedActions}, nil
}

func (h *Handler) orders(r *http.Request) (int, any, error) {
	limit, err := intQuery(r, "limit", 100)
	if err != nil {
		return 0, nil, err
	}
	os, err := h.svc.Orders(r.Context(), r.PathValue("id"), limit)
	if err != nil {
		return 0, nil, err
	}
	out := make([]map[string]any, 0, len(os))
	for _, o := range os {
		out = append(out, map[string]any{"order_id": o.ID, "account_id": o.AccountID, "kind": o.Kind, "amount": o.Amount,
			"created_at": rfc3339(o.CreatedAt), "resources": o.Resources})
	}
	return http.StatusOK, map[string]any{"orders": out}, nil
}

func (h *Handler) charges(r *http.Request) (int, any, error) {
	id := r.PathValue("id")
	a, err := h.svc.Account(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	after, err := int64Query(r, "after", 0)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intQuery(r, "limit", 1000)
	if err != nil {
		return 0, nil, err
	}
	evs, err := h.svc.Events(r.Context(), openecs.EventFilter{After: after, AccountID: id, Kind: openecs.EventCharge, Limit: limit})
	if err != nil {
		return 0, nil, err
	}
	var total openecs.Money
	list := make([]eventJSON, 0, len(evs))
	for _, e := range evs {
		total += e.Amount
		list = append(list, toEventJSON(e))
	}
	return http.StatusOK, map[string]any{"account_id": a.ID, "balance": a.Balance, "in_arrears": a.InArrears, "charges": list, "total": total}, nil
}

func (h *Handler) clock(r *http.Request) (int, any, error) {
	c, err := h.svc.Clock(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"now": rfc3339(c.Now), "offset": c.Offset.String()}, nil
}

func (h *Handler) advance(r *http.Request) (int, any, error) {
	var in struct {
		Duration string `json:"duration"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d < 0 {
		return 0, nil, badRequest(`duration must be a non-negative Go duration such as "1h" or "360h"`)
	}
	now, err := h.svc.AdvanceClock(r.Context(), d)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"now": rfc3339(now)}, nil
}

// instanceJSON is everything about an instance, for tests and operators.
func instanceJSON(d *service.InstanceDetail) map[string]any {
	in := d.Instance
	disks := make([]map[string]any, 0, len(d.Disks))
	for _, k := range d.Disks {
		disks = append(disks, map[string]any{"disk_id": k.ID, "type": k.Type, "category": k.Category, "size_gib": k.SizeGiB,
			"status": k.Status, "encrypted": k.Encrypted, "kms_key_id": k.KMSKeyID, "in_arrears": k.InArrears, "failed": k.Failed})
	}
	locks := make([]string, 0, len(in.Locks))
	for _, l := range in.Locks {
		locks = append(locks, string(l))
	}
	return map[string]any{
		"instance_id": in.ID, "account_id": in.AccountID, "region_id": in.RegionID, "zone_id": in.ZoneID,
		"instance_type": in.InstanceType, "status": in.Status, "charge_type": in.ChargeType, "stopped_mode": in.StoppedMode,
		"billing_state": in.BillingState, "locks": locks, "spot_strategy": in.SpotStrategy, "spot_price_limit": in.SpotPriceLimit,
		"hourly_price": in.HourlyPrice, "created_at": rfc3339(in.CreatedAt), "started_at": rfc3339(in.StartedAt),
		"expired_at": rfc3339(in.ExpiredAt), "suspended_at": rfc3339(in.SuspendedAt), "auto_release_at": rfc3339(in.AutoReleaseAt),
		"holds_capacity": in.HoldsCapacity, "host_ready": in.HostReady, "auto_renew": in.AutoRenew,
		"pending_transition": in.TransitionJob != 0, "version": in.Version, "disks": disks,
	}
}

func (h *Handler) instance(r *http.Request) (int, any, error) {
	d, err := h.svc.InstanceDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, instanceJSON(d), nil
}

func (h *Handler) patchInstance(r *http.Request) (int, any, error) {
	var in struct {
		HostReady *bool `json:"host_ready"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := h.svc.PatchInstance(r.Context(), r.PathValue("id"), service.InstancePatch{HostReady: in.HostReady}); err != nil {
		return 0, nil, err
	}
	return h.instance(r)
}

func lockList(id string, locks []openecs.LockReason) map[string]any {
	out := make([]string, 0, len(locks))
	for _, l := range locks {
		out = append(out, string(l))
	}
	return map[string]any{"instance_id": id, "locks": out}
}

func (h *Handler) addLock(r *http.Request) (int, any, error) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	locks, err := h.svc.SetLock(r.Context(), r.PathValue("id"), openecs.LockReason(in.Reason), true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, lockList(r.PathValue("id"), locks), nil
}

func (h *Handler) removeLock(r *http.Request) (int, any, error) {
	locks, err := h.svc.SetLock(r.Context(), r.PathValue("id"), openecs.LockReason(r.PathValue("reason")), false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, lockList(r.PathValue("id"), locks), nil
}

func (h *Handler) putCapacity(r *http.Request) (int, any, error) {
	var in openecs.Capacity
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.ZoneID == "" || in.InstanceType == "" {
		return 0, nil, badRequest(`"zone_id" and "instance_type" are required`)
	}
	if err := h.svc.SetCapacity(r.Context(), in); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, in, nil
}

func (h *Handler) listCapacity(r *http.Request) (int, any, error) {
	cs, err := h.svc.Capacities(r.Context())
	if err != nil {
		return 0, nil, err
	}
	if cs == nil {
		cs = []openecs.Capacity{}
	}
	return http.StatusOK, map[string]any{"capacity": cs}, nil
}

func (h *Handler) deleteCapacity(r *http.Request) (int, any, error) {
	c := openecs.Capacity{ZoneID: r.PathValue("zone_id"), InstanceType: r.PathValue("instance_type")}
	if err := h.svc.SetCapacity(r.Context(), c); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c, nil
}

// faultJSON is a fault rule; count 0 means no limit.
func faultJSON(f openecs.Fault) map[string]any {
	count := f.Count
	if count < 0 {
		count = 0
	}
	m := map[string]any{"id": f.ID, "action": f.Action, "code": f.Code, "count": count, "account_id": f.AccountID,
		"probability": f.Probability, "latency_ms": f.LatencyMS, "http_status": f.HTTPStatus}
	if f.Message != "" {
		m["message"] = f.Message
	}
	if !f.Until.IsZero() {
		m["until"] = rfc3339(f.Until)
	}
	return m
}

func (h *Handler) addFault(r *http.Request) (int, any, error) {
	var in struct {
		openecs.Fault
		Duration string `json:"duration"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	var window time.Duration
	if in.Duration != "" {
		d, err := time.ParseDuration(in.Duration)
		if err != nil || d <= 0 {
			return 0, nil, badRequest("duration must be a positive Go duration such as 30s")
		}
		window = d
	}
	f, err := h.svc.AddFault(r.Context(), in.Fault, window)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, faultJSON(*f), nil
}

func (h *Handler) listFaults(r *http.Request) (int, any, error) {
	fs, err := h.svc.Faults(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]map[string]any, 0, len(fs))
	for _, f := range fs {
		out = append(out, faultJSON(f))
	}
	return http.StatusOK, map[string]any{"faults": out}, nil
}

func (h *Handler) deleteFault(r *http.Request) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, nil, badRequest("fault id must be an integer")
	}
	if err := h.svc.DeleteFault(r.Context(), id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"id": id, "deleted": true}, nil
}

// eventJSON is one event of the log.
type eventJSON struct {
	ID         int64             `json:"id"`
	At         string            `json:"at"`
	AccountID  string            `json:"account_id"`
	Kind       openecs.EventKind `json:"kind"`
	ResourceID string            `json:"resource_id"`
	Hour       string            `json:"hour,omitempty"`
	Amount     openecs.Money     `json:"amount"`
	Cause      string            `json:"cause"`
	Data       map[string]any    `json:"data,omitempty"`
}

func toEventJSON(e openecs.Event) eventJSON {
	return eventJSON{ID: e.ID, At: rfc3339(e.At), AccountID: e.AccountID, Kind: e.Kind, ResourceID: e.ResourceID,
		Hour: rfc3339(e.Hour), Amount: e.Amount, Cause: e.Cause, Data: e.Data}
}

func (h *Handler) events(r *http.Request) (int, any, error) {
	after, err := int64Query(r, "after", 0)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intQuery(r, "limit", 1000)
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	evs, err := h.svc.Events(r.Context(), openecs.EventFilter{After: after, AccountID: q.Get("account_id"), Kind: openecs.EventKind(q.Get("kind")),
		ResourceID: q.Get("resource_id"), Limit: min(limit, 10000)})
	if err != nil {
		return 0, nil, err
	}
	out := make([]eventJSON, 0, len(evs))
	for _, e := range evs {
		out = append(out, toEventJSON(e))
	}
	return http.StatusOK, map[string]any{"events": out}, nil
}

func (h *Handler) putImage(r *http.Request) (int, any, error) {
	var in struct {
		Expired bool `json:"expired"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	n, err := h.svc.SetImageExpired(r.Context(), r.PathValue("image_id"), in.Expired)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"image_id": r.PathValue("image_id"), "expired": in.Expired, "instances_affected": n}, nil
}

func intQuery(r *http.Request, name string, def int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest("%s must be a non-negative integer", name)
	}
	return n, nil
}

func int64Query(r *http.Request, name string, def int64) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest("%s must be a non-negative integer", name)
	}
	return n, nil
}
