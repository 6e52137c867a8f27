package service

import (
	"context"
	"slices"

	"github.com/openecs/openecs"
)

// SetSalesState sets whether reserved instances may be bought and renewed in
// a region (zoneID "") or one of its zones: on_sale, suspended (OperationDenied),
// not_on_sale (Zone.NotOnSale: 400 for a region, 403 for a zone) or not_open
// (Zone.NotOpen). The admin API's PUT /admin/v1/sales.
func (s *Service) SetSalesState(ctx context.Context, st openecs.SalesState) (*openecs.SalesState, error) {
	if _, ok := s.cat.Region(st.RegionID); !ok {
		return nil, badRequest("unknown region_id " + st.RegionID)
	}
	if st.ZoneID != "" {
		z, ok := s.cat.Zone(st.ZoneID)
		if !ok || z.RegionID != st.RegionID {
			return nil, badRequest("zone_id " + st.ZoneID + " is not a zone of " + st.RegionID)
		}
	}
	if !slices.Contains(openecs.SalesStatesAll, st.State) {
		return nil, badRequest(`state must be "on_sale", "suspended", "not_on_sale" or "not_open"`)
	}
	err := s.update(ctx, func(tx openecs.Tx) error {
		st.UpdatedAt = tx.Now()
		if err := tx.PutSalesState(st); err != nil {
			return err
		}
		res := st.RegionID
		if st.ZoneID != "" {
			res = st.ZoneID
		}
		return event(tx, st.UpdatedAt, "", openecs.EventSalesState, res, "admin",
			map[string]any{"region_id": st.RegionID, "zone_id": st.ZoneID, "state": st.State})
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// SalesStates lists the regions and zones whose sales are not open.
func (s *Service) SalesStates(ctx context.Context) ([]openecs.SalesState, error) {
	var out []openecs.SalesState
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.SalesStates()
		return err
	})
	return out, err
}

// SetReservedLock adds (on) or removes a lock on a reserved instance through
// the admin API: financial or security. A locked reserved instance covers no
// instance and cannot be renewed (OperationDenied "The resource is out of
// usage."). It returns the reserved instance.
func (s *Service) SetReservedLock(ctx context.Context, id string, reason openecs.LockReason, on bool) (*openecs.ReservedInstance, error) {
	if reason != openecs.LockFinancial && reason != openecs.LockSecurity {
		return nil, badRequest("reason must be financial or security")
	}
	var ri *openecs.ReservedInstance
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		if ri, err = tx.ReservedInstance(id); err != nil {
			return err
		}
		if on == ri.HasLock(reason) {
			return nil
		}
		kind := openecs.EventReservedUnlocked
		if on {
			ri.AddLock(reason)
			kind = openecs.EventReservedLocked
		} else {
			ri.RemoveLock(reason)
		}
		if err := tx.UpdateReservedInstance(ri); err != nil {
			return err
		}
		return event(tx, tx.Now(), ri.AccountID, kind, ri.ID, "admin", map[string]any{"reason": string(reason)})
	})
	return ri, err
}
