package admin

import (
	"net/http"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
)

// The reserved-instance controls: the sales switches that gate purchases and
// renewals, and a look at (and locks on) one reserved instance.

// putSales sets the sales state of a region or, with "zone_id", of a zone.
func (h *Handler) putSales(r *http.Request) (int, any, error) {
	var in adminapi.SetSales
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
	return http.StatusOK, adminapi.SalesStateFrom(*st), nil
}

// listSales lists the regions and zones whose sales are not open.
func (h *Handler) listSales(r *http.Request) (int, any, error) {
	ss, err := h.svc.SalesStates(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Sales{Sales: make([]adminapi.SalesState, 0, len(ss))}
	for _, s := range ss {
		out.Sales = append(out.Sales, adminapi.SalesStateFrom(s))
	}
	return http.StatusOK, out, nil
}

// reserved answers with a reserved instance.
func reserved(ri *openecs.ReservedInstance, err error) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	out, err := adminapi.ReservedInstanceFrom(ri)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

func (h *Handler) reservedInstance(r *http.Request) (int, any, error) {
	return reserved(h.svc.ReservedInstance(r.Context(), r.PathValue("id")))
}

func (h *Handler) addReservedLock(r *http.Request) (int, any, error) {
	var in adminapi.Lock
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	return reserved(h.svc.SetReservedLock(r.Context(), r.PathValue("id"), in.Reason, true))
}

func (h *Handler) removeReservedLock(r *http.Request) (int, any, error) {
	return reserved(h.svc.SetReservedLock(r.Context(), r.PathValue("id"), openecs.LockReason(r.PathValue("reason")), false))
}
