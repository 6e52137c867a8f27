package service

import (
	"context"
	"errors"

	"github.com/openecs/openecs"
)

// ownInstance loads an instance the caller owns. Another account's instance,
// or one in another region than the request names, does not exist for the
// caller: InvalidInstanceId.NotFound.
func (s *Service) ownInstance(r openecs.Reader, c Caller, id, regionID string) (*openecs.Instance, error) {
	in, err := r.Instance(id)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil, openecs.ErrInstanceNotFound
	}
	if err != nil {
		return nil, err
	}
	if in.AccountID != c.AccountID || (regionID != "" && in.RegionID != regionID) {
		return nil, openecs.ErrInstanceNotFound
	}
	return in, nil
}

// InstanceDetail is everything about one instance, for the admin API.
type InstanceDetail struct {
	Instance *openecs.Instance
	Disks    []openecs.Disk
}

// InstanceDetail returns an instance with its disks, whoever owns it.
func (s *Service) InstanceDetail(ctx context.Context, id string) (*InstanceDetail, error) {
	var d InstanceDetail
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		if d.Instance, err = r.Instance(id); err != nil {
			return err
		}
		d.Disks, err = r.Disks(id)
		return err
	})
	return &d, err
}

// SetLock adds (on) or removes a lock on an instance through the admin API.
// Only the security lock (and, for tests, financial and recycling) is
// settable; it returns the instance's locks.
func (s *Service) SetLock(ctx context.Context, id string, reason openecs.LockReason, on bool) ([]openecs.LockReason, error) {
	switch reason {
	case openecs.LockSecurity, openecs.LockFinancial, openecs.LockRecycling:
	default:
		return nil, badRequest("reason must be security, financial or recycling")
	}
	var locks []openecs.LockReason
	err := s.update(ctx, func(tx openecs.Tx) error {
		in, err := tx.Instance(id)
		if err != nil {
			return err
		}
		now := tx.Now()
		if on != in.HasLock(reason) {
			kind := openecs.EventInstanceUnlocked
			if on {
				in.AddLock(reason)
				kind = openecs.EventInstanceLocked
			} else {
				in.RemoveLock(reason)
			}
			if err := tx.UpdateInstance(in); err != nil {
				return err
			}
			if err := event(tx, now, in.AccountID, kind, in.ID, "admin", map[string]any{"reason": string(reason)}); err != nil {
				return err
			}
		}
		locks = append([]openecs.LockReason{}, in.Locks...)
		return nil
	})
	return locks, err
}

// InstancePatch is PATCH /admin/v1/instances/{id}.
type InstancePatch struct {
	HostReady *bool
}

// PatchInstance changes an instance's simulated host state.
func (s *Service) PatchInstance(ctx context.Context, id string, p InstancePatch) (*openecs.Instance, error) {
	var in *openecs.Instance
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		if in, err = tx.Instance(id); err != nil {
			return err
		}
		if p.HostReady != nil {
			in.HostReady = *p.HostReady
		}
		return tx.UpdateInstance(in)
	})
	return in, err
}
