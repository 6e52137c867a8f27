package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/service"
)

func (h *Handler) createAccount(r *http.Request) (int, any, error) {
	var in adminapi.CreateAccount
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
	return http.StatusCreated, adminapi.NewAccount{AccessKeyID: k.ID, AccessKeySecret: k.Secret, AccountID: a.ID, Balance: a.Balance,
		EconomicalMode: a.EconomicalMode, Name: a.Name}, nil
}

func (h *Handler) listAccounts(r *http.Request) (int, any, error) {
	as, err := h.svc.Accounts(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Accounts{Accounts: make([]adminapi.Account, 0, len(as))}
	for _, a := range as {
		out.Accounts = append(out.Accounts, adminapi.AccountFrom(a))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) getAccount(r *http.Request) (int, any, error) {
	a, err := h.svc.Account(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.AccountFrom(a), nil
}

func (h *Handler) patchAccount(r *http.Request) (int, any, error) {
	var in adminapi.AccountPatch
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := h.svc.PatchAccount(r.Context(), r.PathValue("id"), service.AccountPatch{Name: in.Name, EconomicalMode: in.EconomicalMode,
		UnauthorizedInstanceTypes: in.UnauthorizedInstanceTypes, UnauthorizedRegions: in.UnauthorizedRegions})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.AccountFrom(a), nil
}

func (h *Handler) balance(r *http.Request) (int, any, error) {
	var in adminapi.BalanceChange
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	a, err := h.svc.ChangeBalance(r.Context(), r.PathValue("id"), in.Set, in.Add)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.AccountFrom(a), nil
}

func (h *Handler) createKey(r *http.Request) (int, any, error) {
	var in adminapi.CreateKey
	if err := decodeOptional(r, &in); err != nil {
		return 0, nil, err
	}
	k, err := h.svc.CreateKey(r.Context(), r.PathValue("id"), in.AllowedActions)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, adminapi.AccessKeyFrom(k), nil
}

// credentialRequest reads the optional body of the temporary-credential
// calls.
func credentialRequest(r *http.Request) (time.Duration, []string, error) {
	var in adminapi.CreateCredentials
	if err := decodeOptional(r, &in); err != nil {
		return 0, nil, err
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
	return http.StatusCreated, adminapi.STSCredentialsFrom(k), nil
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
	return http.StatusCreated, adminapi.BearerToken{AccountID: k.AccountID, AllowedActions: k.AllowedActions, BearerToken: tok,
		Expiration: adminapi.At(k.ExpiresAt)}, nil
}

func (h *Handler) orders(r *http.Request) (int, any, error) {
	limit, err := intQuery(r, "limit", 100)
	if err != nil {
		return 0, nil, err
	}
	os, err := h.svc.Orders(r.Context(), r.PathValue("id"), min(limit, maxPage))
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Orders{Orders: make([]adminapi.Order, 0, len(os))}
	for i := range os {
		out.Orders = append(out.Orders, adminapi.OrderFrom(&os[i]))
	}
	return http.StatusOK, out, nil
}

// charges is one page of an account's charges: at most limit (default
// 1000, at most 10000) after the event id in "after"; "next" is the "after"
// of the next page while there is one.
func (h *Handler) charges(r *http.Request) (int, any, error) {
	after, err := int64Query(r, "after", 0)
	if err != nil {
		return 0, nil, err
	}
	limit, err := intQuery(r, "limit", service.DefaultChargesPage)
	if err != nil {
		return 0, nil, err
	}
	p, err := h.svc.Charges(r.Context(), r.PathValue("id"), after, limit)
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Charges{AccountID: p.Account.ID, AccountTotal: p.AccountTotal, Balance: p.Account.Balance,
		Charges: make([]adminapi.Event, 0, len(p.Charges)), InArrears: p.Account.InArrears, Total: p.Total}
	for _, e := range p.Charges {
		out.Charges = append(out.Charges, adminapi.EventFrom(e))
	}
	if p.More {
		out.Next = p.Charges[len(p.Charges)-1].ID
	}
	return http.StatusOK, out, nil
}

func (h *Handler) clock(r *http.Request) (int, any, error) {
	c, err := h.svc.Clock(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.Clock{Now: adminapi.At(c.Now), Offset: c.Offset.String()}, nil
}

func (h *Handler) advance(r *http.Request) (int, any, error) {
	var in adminapi.Advance
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
	return http.StatusOK, adminapi.Clock{Now: adminapi.At(now)}, nil
}

func (h *Handler) instance(r *http.Request) (int, any, error) {
	d, err := h.svc.InstanceDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.InstanceFrom(d.Instance, d.Disks), nil
}

func (h *Handler) patchInstance(r *http.Request) (int, any, error) {
	var in adminapi.InstancePatch
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if _, err := h.svc.PatchInstance(r.Context(), r.PathValue("id"), service.InstancePatch{HostReady: in.HostReady}); err != nil {
		return 0, nil, err
	}
	return h.instance(r)
}

func (h *Handler) addLock(r *http.Request) (int, any, error) {
	var in adminapi.Lock
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	locks, err := h.svc.SetLock(r.Context(), r.PathValue("id"), in.Reason, true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.LocksFrom(r.PathValue("id"), locks), nil
}

func (h *Handler) removeLock(r *http.Request) (int, any, error) {
	locks, err := h.svc.SetLock(r.Context(), r.PathValue("id"), openecs.LockReason(r.PathValue("reason")), false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.LocksFrom(r.PathValue("id"), locks), nil
}

func (h *Handler) putCapacity(r *http.Request) (int, any, error) {
	var in adminapi.Capacity
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.ZoneID == "" || in.InstanceType == "" {
		return 0, nil, badRequest(`"zone_id" and "instance_type" are required`)
	}
	if err := h.svc.SetCapacity(r.Context(), in.Domain()); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, in, nil
}

func (h *Handler) listCapacity(r *http.Request) (int, any, error) {
	cs, err := h.svc.Capacities(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.CapacityList{Capacity: make([]adminapi.Capacity, 0, len(cs))}
	for _, c := range cs {
		out.Capacity = append(out.Capacity, adminapi.CapacityFrom(c))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) deleteCapacity(r *http.Request) (int, any, error) {
	c := adminapi.Capacity{ZoneID: r.PathValue("zone_id"), InstanceType: r.PathValue("instance_type")}
	if err := h.svc.SetCapacity(r.Context(), c.Domain()); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, c, nil
}

func (h *Handler) addFault(r *http.Request) (int, any, error) {
	var in adminapi.AddFault
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := h.knownAction(in.Action); err != nil {
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
	f, err := h.svc.AddFault(r.Context(), in.Domain(), window)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, adminapi.FaultFrom(*f), nil
}

func (h *Handler) listFaults(r *http.Request) (int, any, error) {
	fs, err := h.svc.Faults(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Faults{Faults: make([]adminapi.Fault, 0, len(fs))}
	for _, f := range fs {
		out.Faults = append(out.Faults, adminapi.FaultFrom(f))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) deleteFault(r *http.Request) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, nil, badRequest("fault id must be an integer")
	}
	if err := h.svc.DeleteFault(r.Context(), id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.FaultDeleted{Deleted: true, ID: id}, nil
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
		ResourceID: q.Get("resource_id"), Limit: min(limit, maxPage)})
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Events{Events: make([]adminapi.Event, 0, len(evs))}
	for _, e := range evs {
		out.Events = append(out.Events, adminapi.EventFrom(e))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) putImage(r *http.Request) (int, any, error) {
	var in adminapi.ImageExpiry
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	n, err := h.svc.SetImageExpired(r.Context(), r.PathValue("image_id"), in.Expired)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.Image{Expired: in.Expired, ImageID: r.PathValue("image_id"), InstancesAffected: n}, nil
}

// maxPage is the most items a listing answers at once.
const maxPage = 10_000

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
