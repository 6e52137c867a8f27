package service

import (
	"context"
	"slices"
	"time"

	"github.com/openecs/openecs"
)

// Disks (docs/errors.md, "Disks"; PATCH /admin/v1/disks/{disk_id}).
//
//   - A disk whose status is anything but In_use (set through the admin API,
//     e.g. "Error") makes StartInstance and RebootInstance answer DiskError
//     403 ("IncorrectDiskStatus.").
//   - A disk in arrears makes StartInstance answer DiskInArrears 403.
//     RebootInstance does not check it (its seed does not list it).
//   - A failed local disk (local-disk families d1, d1ne, i1, i2) makes
//     StartInstance and RebootInstance answer DiskError until StartInstance
//     is called with InitLocalDisk=true: that start restores the instance to
//     its initial health, re-initialising every local disk and discarding its
//     data (event instance.local_disks_reset). InitLocalDisk on an instance
//     without a failed local disk is accepted and does nothing.

// DiskPatch is PATCH /admin/v1/disks/{disk_id}; nil fields are unchanged.
type DiskPatch struct {
	Status    *openecs.DiskStatus
	InArrears *bool
	Failed    *bool
}

// PatchDisk changes a disk's simulated state.
func (s *Service) PatchDisk(ctx context.Context, id string, p DiskPatch) (*openecs.Disk, error) {
	if p.Status != nil && !slices.Contains(openecs.DiskStatuses, *p.Status) {
		return nil, badRequest("status must be one of In_use, Available, Attaching, Detaching, Creating, ReIniting, Error")
	}
	var d *openecs.Disk
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		if d, err = tx.Disk(id); err != nil {
			return err
		}
		if p.Failed != nil && d.Type != openecs.DiskLocal {
			return badRequest(`"failed" applies to local disks only; ` + id + " is a " + string(d.Type) + " disk")
		}
		data := map[string]any{"instance_id": d.InstanceID}
		if p.Status != nil {
			d.Status = *p.Status
			data["status"] = d.Status
		}
		if p.InArrears != nil {
			d.InArrears = *p.InArrears
			data["in_arrears"] = d.InArrears
		}
		if p.Failed != nil {
			d.Failed = *p.Failed
			data["failed"] = d.Failed
		}
		if err := tx.UpdateDisk(d); err != nil {
			return err
		}
		return event(tx, tx.Now(), d.AccountID, openecs.EventDiskChanged, d.ID, "admin", data)
	})
	return d, err
}

// Disk returns one disk.
func (s *Service) Disk(ctx context.Context, id string) (*openecs.Disk, error) {
	var d *openecs.Disk
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		d, err = r.Disk(id)
		return err
	})
	return d, err
}

// diskStatusError answers DiskError for a disk that is not In_use or a failed
// local disk (unless the start re-initialises local disks).
func diskStatusError(disks []openecs.Disk, initLocal bool) error {
	for _, d := range disks {
		if d.Status != openecs.DiskInUse {
			return openecs.ErrDiskError
		}
	}
	for _, d := range disks {
		if d.Type == openecs.DiskLocal && d.Failed && !initLocal {
			return openecs.ErrDiskError
		}
	}
	return nil
}

// checkDisks is StartInstance's disk check: DiskError, then DiskInArrears.
func checkDisks(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	if err := diskStatusError(disks, r.InitLocalDisk); err != nil {
		return err
	}
	for _, d := range disks {
		if d.InArrears {
			return openecs.ErrDiskInArrears
		}
	}
	return nil
}

// checkRebootDisks is RebootInstance's: DiskError only.
func checkRebootDisks(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	return diskStatusError(disks, false)
}

// initLocalDisks re-initialises the local disks of an instance started
// with InitLocalDisk=true if one of them failed; their data is discarded.
func initLocalDisks(tx openecs.Tx, in *openecs.Instance, init bool, now time.Time) error {
	if !init || in.LocalStorage.Amount == 0 {
		return nil
	}
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	failed := slices.ContainsFunc(disks, func(d openecs.Disk) bool { return d.Type == openecs.DiskLocal && d.Failed })
	if !failed {
		return nil
	}
	var ids []string
	for _, d := range disks {
		if d.Type != openecs.DiskLocal {
			continue
		}
		d.Failed = false
		if err := tx.UpdateDisk(&d); err != nil {
			return err
		}
		ids = append(ids, d.ID)
	}
	return event(tx, now, in.AccountID, openecs.EventLocalDisksReset, in.ID, "StartInstance",
		map[string]any{"disks": ids, "init_local_disk": true, "data_discarded": true})
}
