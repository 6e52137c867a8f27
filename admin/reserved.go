package admin

import (
	"net/http"

	"github.com/openecs/openecs"
)

// The reserved-instance controls: the sales switches that gate purchases and
// renewals, and a look at (and locks on) one reserved instance.
func salesJSON(s openecs.SalesState) map[string]any {
	return map[string]any{"region_id": s.RegionID, "zone_id": s.ZoneID, "state": s.State, "updated_at": rfc3339(s.UpdatedAt)}
}

// putSales sets the sales state of a region or, with "zone_id", of a zone:
// {"region_id", "zone_id"?, "state": "on_sale"|"suspended"|"not_on_sale"|"not_open"}.
func (h *Handler) putSales(r *http.Request) (int, any, error) {
	var in struct {
		RegionID string `json:"region_id"`
		ZoneID   string `json:"zone_id"`
		State    string `json:"state"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.RegionID == "" || in.State == "" {
		return 0, nil, badRequest(`"region_id" and "state" are required`)
	}
	st, err := h.svc.SetSalesState(r.Context(), openecs.SalesState{RegionID: in.RegionID, ZoneID: in.ZoneID, State: in.State})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, salesJSON(*st), nil
}

// listSales lists the regions and zones whose sales are not open.
func (h *Handler) listSales(r *http.Request) (int, any, error) {
	ss, err := h.svc.SalesStates(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]map[string]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, salesJSON(s))
	}
	return http.StatusOK, map[string]any{"sales": out}, nil
}

// reservedJSON is everything about a reserved instance.
func reservedJSON(ri *openecs.ReservedInstance) map[string]any {
	locks := make([]string, 0, len(ri.Locks))
	for _, l := range ri.Locks {
		locks = append(locks, string(l))
	}
	tags := map[string]string{}
	for _, t := range ri.Tags {
		tags[t.Key] = t.Value
	}
	return map[string]any{
		"reserved_instance_id": ri.ID, "account_id": ri.AccountID, "region_id": ri.RegionID, "zone_id": ri.ZoneID, "scope": ri.Scope,
		"instance_type": ri.InstanceType, "instance_amount": ri.InstanceAmount, "platform": ri.Platform, "offering_type": ri.OfferingType,
		"yearly_price": ri.YearlyPrice, "hourly_fee": ri.HourlyFee(), "name": ri.Name, "description": ri.Description,
		"status": ri.Status, "locks": locks, "auto_renew": ri.AutoRenew, "auto_renew_period": ri.AutoRenewPeriod,
		"created_at": rfc3339(ri.CreatedAt), "start_at": rfc3339(ri.StartAt), "expired_at": rfc3339(ri.ExpiredAt),
		"tags": tags, "version": ri.Version,
	}
}

func (h *Handler) reservedInstance(r *http.Request) (int, any, error) {
	ri, err := h.svc.ReservedInstance(r.Context(), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reservedJSON(ri), nil
}

func (h *Handler) addReservedLock(r *http.Request) (int, any, error) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	ri, err := h.svc.SetReservedLock(r.Context(), r.PathValue("id"), openecs.LockReason(in.Reason), true)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reservedJSON(ri), nil
}

func (h *Handler) removeReservedLock(r *http.Request) (int, any, error) {
	ri, err := h.svc.SetReservedLock(r.Context(), r.PathValue("id"), openecs.LockReason(r.PathValue("reason")), false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, reservedJSON(ri), nil
}
