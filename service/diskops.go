package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/openecs/openecs"
)

// Disk operations (docs/disks.md): DescribeDisks, CreateDisk, AttachDisk,
// DetachDisk, DeleteDisk and ResizeDisk. Attaching and detaching take the
// service's transition delay (Attaching, then In_use; Detaching, then
// Available), as instance transitions do; with a zero delay they complete in
// the call's commit. Disks are not charged.

// ownDisk loads a disk the caller owns. Another account's disk, or one in
// another region than the request names, does not exist for the caller:
// InvalidDiskId.NotFound.
func ownDisk(r openecs.Reader, c Caller, id, regionID string) (*openecs.Disk, error) {
	d, err := r.Disk(id)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil, openecs.ErrDiskNotFound
	}
	if err != nil {
		return nil, err
	}
	if d.AccountID != c.AccountID || (regionID != "" && d.RegionID != regionID) {
		return nil, openecs.ErrDiskNotFound
	}
	return d, nil
}

// DescribeDisksRequest is DescribeDisks: a filter and either a page number
// or a token.
type DescribeDisksRequest struct {
	Filter     openecs.DiskFilter
	PageNumber int
	PageSize   int
	ByToken    bool // NextToken/MaxResults paging: Filter.AfterSeq is the token
}

// DiskPage is one page of DescribeDisks.
type DiskPage struct {
	Disks      []openecs.Disk
	TotalCount int
	PageNumber int
	PageSize   int
	NextSeq    int64 // the token of the next page (0: this is the last)
	// Expires holds, for each disk paid with a subscription instance, the
	// instance's ExpiredTime.
	Expires map[string]time.Time
}

// DescribeDisks lists the caller's disks that match the filter.
func (s *Service) DescribeDisks(ctx context.Context, c Caller, r DescribeDisksRequest) (*DiskPage, error) {
	f := r.Filter
	f.AccountID = c.AccountID
	page := &DiskPage{PageNumber: r.PageNumber, PageSize: r.PageSize}
	err := s.store.View(ctx, func(rd openecs.Reader) error {
		n, err := rd.CountDisks(f)
		if err != nil {
			return err
		}
		page.TotalCount = n
		f.Limit = r.PageSize + 1
		if !r.ByToken {
			f.Offset = (r.PageNumber - 1) * r.PageSize
		}
		ds, err := rd.ListDisks(f)
		if err != nil {
			return err
		}
		if len(ds) > r.PageSize {
			ds = ds[:r.PageSize]
			if r.ByToken {
				page.NextSeq = ds[len(ds)-1].Seq
			}
		}
		page.Disks = ds
		page.Expires = map[string]time.Time{}
		for _, d := range ds {
			if d.ChargeType != openecs.PrePaid || !d.Attached() {
				continue
			}
			in, err := rd.Instance(d.InstanceID)
			if errors.Is(err, openecs.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			page.Expires[d.ID] = in.ExpiredAt
		}
		return nil
	})
	return page, err
}

// CreateDiskRequest is CreateDisk.
type CreateDiskRequest struct {
	RegionID         string
	ZoneID           string
	InstanceID       string // create it attached to this instance (then ZoneID is empty)
	SnapshotID       string
	Name             string
	Description      string
	Category         string
	PerformanceLevel string
	SizeGiB          int
	Encrypted        bool
	KMSKeyID         string
	ResourceGroupID  string
	Tags             []openecs.Tag
	Idem             Idem
}

// CreateDisk makes a data disk: Available in its zone, or attached at once
// to InstanceID (it then takes the instance's zone and charge type).
//
// Errors: InvalidParameter.Conflict (ZoneId with InstanceId),
// InvalidZoneId.NotFound, InvalidInstanceId.NotFound,
// InvalidSnapshotId.NotFound (OpenECS has no snapshots),
// InvalidSize.ValueNotSupported, Account.Arrearage, the KMS key errors,
// IncorrectInstanceStatus, InstanceDiskLimitExceeded,
// IdempotentParameterMismatch.
func (s *Service) CreateDisk(ctx context.Context, c Caller, r CreateDiskRequest) (string, error) {
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (string, error) {
		now := tx.Now()
		region, ok := s.cat.Region(r.RegionID)
		if !ok {
			return "", openecs.ErrRegionNotFound
		}
		var in *openecs.Instance
		zoneID := r.ZoneID
		if r.InstanceID != "" {
			var err error
			if in, err = s.ownInstance(tx, c, r.InstanceID, r.RegionID); err != nil {
				return "", err
			}
			zoneID = in.ZoneID
		} else if z, ok := s.cat.Zone(zoneID); !ok || z.RegionID != region.ID {
			return "", openecs.ErrZoneNotFound
		}
		if r.SnapshotID != "" {
			return "", openecs.ErrSnapshotNotFound
		}
		min, max, ok := openecs.DiskSizeRange(r.Category, r.PerformanceLevel)
		if !ok {
			return "", openecs.ErrDiskCategoryInvalid
		}
		if r.SizeGiB < min || r.SizeGiB > max {
			return "", openecs.ErrDiskSizeInvalid.With("The specified parameter Size is not valid: a %s disk is %d to %d GiB.", r.Category, min, max)
		}
		acct, err := tx.Account(c.AccountID)
		if err != nil {
			return "", err
		}
		if acct.InArrears {
			return "", openecs.ErrAccountArrearage
		}
		d := plannedDisk(openecs.DiskData, DiskSpec{Category: r.Category, SizeGiB: r.SizeGiB, Encrypted: r.Encrypted, KMSKeyID: r.KMSKeyID,
			Name: r.Name, Description: r.Description, PerformanceLevel: r.PerformanceLevel})
		if err := kmsCheck(tx, c.AccountID, []openecs.Disk{d}); err != nil {
			return "", err
		}
		d.ID = openecs.NewResourceID("d", region.Code)
		d.AccountID, d.RegionID, d.ZoneID, d.CreatedAt = c.AccountID, region.ID, zoneID, now
		d.Status, d.ChargeType, d.Portable, d.DeleteWithInstance = openecs.DiskAvailable, openecs.PostPaid, true, false
		d.ResourceGroupID, d.Tags = r.ResourceGroupID, r.Tags
		if in != nil {
			if err := attachChecks(tx, in, &d); err != nil {
				return "", err
			}
			d.ChargeType, d.Portable, d.DeleteWithInstance = in.ChargeType, in.ChargeType == openecs.PostPaid, true
		}
		if err := tx.InsertDisk(&d); err != nil {
			return "", err
		}
		if err := event(tx, now, c.AccountID, openecs.EventDiskCreated, d.ID, c.Action,
			map[string]any{"zone_id": d.ZoneID, "category": d.Category, "size_gib": d.SizeGiB}); err != nil {
			return "", err
		}
		if in != nil {
			if err := s.attach(tx, c, in, &d, true, now); err != nil {
				return "", err
			}
		}
		return d.ID, nil
	})
}

// AttachDiskRequest is AttachDisk.
type AttachDiskRequest struct {
	RegionID           string
	InstanceID         string
	DiskID             string
	DeleteWithInstance bool
}

// AttachDisk attaches an Available data disk to a Running or Stopped
// instance of its zone.
//
// Errors, in check order: InvalidDiskId.NotFound, InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, InstanceExpiredOrInArrears,
// IncorrectInstanceStatus (400), DiskNotPortable, InvalidDevice.InUse,
// IncorrectDiskStatus, DiskInArrears, ResourcesNotInSameZone,
// InstanceDiskLimitExceeded, the KMS key errors.
func (s *Service) AttachDisk(ctx context.Context, c Caller, r AttachDiskRequest) error {
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		d, err := ownDisk(tx, c, r.DiskID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		if err := attachChecks(tx, in, d); err != nil {
			return struct{}{}, err
		}
		d.DeleteWithInstance = r.DeleteWithInstance
		return struct{}{}, s.attach(tx, c, in, d, false, tx.Now())
	})
	return err
}

// attachChecks are AttachDisk's checks once disk and instance are known.
func attachChecks(tx openecs.Tx, in *openecs.Instance, d *openecs.Disk) error {
	if in.HasLock(openecs.LockSecurity) {
		return openecs.ErrInstanceLockedForSecurity
	}
	if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
		return openecs.ErrInstanceExpiredOrArrears
	}
	if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
		return openecs.ErrAttachInstanceStatus
	}
	if !d.Portable {
		return openecs.ErrDiskNotPortable
	}
	if d.Attached() {
		return openecs.ErrDiskInUse
	}
	if d.Status != openecs.DiskAvailable {
		return openecs.ErrAttachDiskStatus
	}
	if d.InArrears {
		return openecs.ErrDiskOwingFee
	}
	if d.ZoneID != in.ZoneID {
		return openecs.ErrResourcesNotInSameZone
	}
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	n := 0
	for _, x := range disks {
		if x.Type != openecs.DiskSystem {
			n++
		}
	}
	if n >= openecs.MaxDataDisks {
		return openecs.ErrInstanceDiskLimit
	}
	return kmsCheck(tx, in.AccountID, []openecs.Disk{*d})
}

// attach attaches d to in (the checks passed) and writes it: Attaching, then
// In_use after the transition delay; In_use at once when immediate (a disk
// CreateDisk makes attached).
func (s *Service) attach(tx openecs.Tx, c Caller, in *openecs.Instance, d *openecs.Disk, immediate bool, now time.Time) error {
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	var used []string
	for _, x := range disks {
		if x.ID != d.ID {
			used = append(used, x.Device)
		}
	}
	d.InstanceID, d.Device, d.AttachedAt = in.ID, nextDevice(d.Type, used), now
	if err := event(tx, now, d.AccountID, openecs.EventDiskAttached, d.ID, c.Action,
		map[string]any{"instance_id": in.ID, "device": d.Device, "delete_with_instance": d.DeleteWithInstance}); err != nil {
		return err
	}
	if immediate {
		d.Status = openecs.DiskInUse
		return tx.UpdateDisk(d)
	}
	return s.beginDiskTransition(tx, d, openecs.DiskAttach, now, c.Action)
}

// DetachDiskRequest is DetachDisk.
type DetachDiskRequest struct {
	RegionID   string
	InstanceID string
	DiskID     string
}

// DetachDisk detaches a portable data disk from its instance: Detaching,
// then Available. A detached disk is no longer released with the instance.
//
// Errors: InvalidDiskId.NotFound, InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, DiskTypeViolation (system disk), DiskNotPortable,
// InvalidDisk.AlreadyDetached, DependencyViolation (attached elsewhere),
// IncorrectDiskStatus, IncorrectInstanceStatus.
func (s *Service) DetachDisk(ctx context.Context, c Caller, r DetachDiskRequest) error {
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		now := tx.Now()
		d, err := ownDisk(tx, c, r.DiskID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		switch {
		case in.HasLock(openecs.LockSecurity):
			return struct{}{}, openecs.ErrInstanceLockedForSecurity
		case d.Type == openecs.DiskSystem:
			return struct{}{}, openecs.ErrDiskTypeViolation
		case !d.Portable:
			return struct{}{}, openecs.ErrDiskNotPortable
		case !d.Attached():
			return struct{}{}, openecs.ErrDiskAlreadyDetached
		case d.InstanceID != in.ID:
			return struct{}{}, openecs.ErrDiskNotAttachedHere
		case d.Status != openecs.DiskInUse:
			return struct{}{}, openecs.ErrDiskStatusNotSupported
		case in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped:
			return struct{}{}, openecs.ErrIncorrectInstanceStatus
		}
		d.DeleteWithInstance = false
		return struct{}{}, s.beginDiskTransition(tx, d, openecs.DiskDetach, now, c.Action)
	})
	return err
}

// DeleteDisk releases an Available disk.
//
// Errors: InvalidDiskId.NotFound, DiskTypeViolation, DiskNotPortable,
// IncorrectDiskStatus.
func (s *Service) DeleteDisk(ctx context.Context, c Caller, regionID, diskID string) error {
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		d, err := ownDisk(tx, c, diskID, regionID)
		if err != nil {
			return struct{}{}, err
		}
		switch {
		case d.Type == openecs.DiskSystem:
			return struct{}{}, openecs.ErrDiskTypeViolation
		case !d.Portable:
			return struct{}{}, openecs.ErrDiskNotPortable
		case d.Attached() || d.Status != openecs.DiskAvailable:
			return struct{}{}, openecs.ErrDiskStatusNotSupported
		}
		if err := tx.DeleteDisk(d.ID); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), d.AccountID, openecs.EventDiskDeleted, d.ID, c.Action, map[string]any{"size_gib": d.SizeGiB})
	})
	return err
}

// ResizeDiskRequest is ResizeDisk.
type ResizeDiskRequest struct {
	RegionID string
	DiskID   string
	NewSize  int
	Online   bool // Type=online: no restart needed; not for basic (cloud) disks
	Idem     Idem
}

// ResizeDisk grows a disk. Offline resizing (the default) takes effect on
// the instance's next start or restart in the real service; OpenECS shows the
// new size at once either way.
//
// Errors: InvalidDiskId.NotFound, OperationDenied (local disk, basic disk
// online, disk or instance status), DiskInArrears, IncorrectInstanceStatus,
// InstanceExpiredOrInArrears, InvalidDiskSize.TooSmall,
// InvalidDiskSize.TooLarge, IdempotentParameterMismatch.
func (s *Service) ResizeDisk(ctx context.Context, c Caller, r ResizeDiskRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		now := tx.Now()
		d, err := ownDisk(tx, c, r.DiskID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		if d.Type == openecs.DiskLocal || (r.Online && d.Category == "cloud") {
			return struct{}{}, openecs.ErrResizeDiskCategory
		}
		if d.Status != openecs.DiskInUse && d.Status != openecs.DiskAvailable {
			return struct{}{}, openecs.ErrResizeDiskStatus
		}
		if d.InArrears {
			return struct{}{}, openecs.ErrDiskOwingFee
		}
		if d.Attached() {
			in, err := tx.Instance(d.InstanceID)
			if err != nil {
				return struct{}{}, err
			}
			if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
				return struct{}{}, openecs.ErrInstanceExpiredOrArrears
			}
			if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
				return struct{}{}, openecs.ErrIncorrectInstanceStatus
			}
		}
		if r.NewSize <= d.SizeGiB {
			return struct{}{}, openecs.ErrDiskSizeTooSmall
		}
		max := openecs.MaxSystemDiskGiB
		if d.Type != openecs.DiskSystem {
			_, max, _ = openecs.DiskSizeRange(d.Category, d.PerformanceLevel)
		}
		if max > 0 && r.NewSize > max {
			return struct{}{}, openecs.ErrDiskSizeTooLarge
		}
		old := d.SizeGiB
		d.SizeGiB = r.NewSize
		if err := tx.UpdateDisk(d); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, now, d.AccountID, openecs.EventDiskResized, d.ID, c.Action,
			map[string]any{"from_gib": old, "to_gib": r.NewSize, "online": r.Online})
	})
	return err
}

// DiskAttributeChange is ModifyDiskAttribute; nil fields are left as they
// are.
type DiskAttributeChange struct {
	RegionID           string
	DiskIDs            []string
	Name               *string
	Description        *string
	DeleteWithInstance *bool
	DeleteAutoSnapshot *bool
	EnableAutoSnapshot *bool
	BurstingEnabled    *bool
}

// ModifyDiskAttribute changes the name, description and flags of disks;
// every disk must be the caller's before any changes.
//
// Errors: InvalidDiskId.NotFound, IncorrectDiskStatus (neither In_use nor
// Available), DiskNotPortable (DeleteWithInstance=false on a disk that lives
// and dies with its instance), InvalidParameter (BurstingEnabled on a disk
// other than cloud_auto).
func (s *Service) ModifyDiskAttribute(ctx context.Context, c Caller, r DiskAttributeChange) error {
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		var disks []*openecs.Disk
		for _, id := range dedupe(r.DiskIDs) {
			d, err := ownDisk(tx, c, id, r.RegionID)
			if err != nil {
				return struct{}{}, err
			}
			switch {
			case d.Status != openecs.DiskInUse && d.Status != openecs.DiskAvailable:
				return struct{}{}, openecs.ErrAttachDiskStatus
			case r.DeleteWithInstance != nil && !*r.DeleteWithInstance && !d.Portable:
				return struct{}{}, openecs.ErrDiskNotPortable
			case r.BurstingEnabled != nil && d.Category != "cloud_auto":
				return struct{}{}, openecs.Invalid("BurstingEnabled", "only cloud_auto disks burst")
			}
			disks = append(disks, d)
		}
		now := tx.Now()
		for _, d := range disks {
			var changed []string
			set := func(name string, apply func()) {
				apply()
				changed = append(changed, name)
			}
			if r.Name != nil {
				set("DiskName", func() { d.Name = *r.Name })
			}
			if r.Description != nil {
				set("Description", func() { d.Description = *r.Description })
			}
			if r.DeleteWithInstance != nil {
				set("DeleteWithInstance", func() { d.DeleteWithInstance = *r.DeleteWithInstance })
			}
			if r.DeleteAutoSnapshot != nil {
				set("DeleteAutoSnapshot", func() { d.DeleteAutoSnapshot = *r.DeleteAutoSnapshot })
			}
			if r.EnableAutoSnapshot != nil {
				set("EnableAutoSnapshot", func() { d.AutoSnapshotOff = !*r.EnableAutoSnapshot })
			}
			if r.BurstingEnabled != nil {
				set("BurstingEnabled", func() { d.BurstingEnabled = *r.BurstingEnabled })
			}
			if err := tx.UpdateDisk(d); err != nil {
				return struct{}{}, err
			}
			if err := event(tx, now, d.AccountID, openecs.EventDiskModified, d.ID, c.Action, map[string]any{"changed": changed}); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}

// diskTransitionArgs is the payload of a disk's attach or detach job: the
// status it ends in.
type diskTransitionArgs struct {
	To openecs.DiskStatus `json:"to"`
}

func (diskTransitionArgs) Kind() openecs.JobKind { return openecs.JobDiskTransition }

// beginDiskTransition moves the disk to t.Via now and to t.To after the
// transition delay (in this commit with a zero delay), and writes it.
func (s *Service) beginDiskTransition(tx openecs.Tx, d *openecs.Disk, t openecs.DiskTransition, now time.Time, cause string) error {
	if err := setDiskStatus(tx, d, t.Via, now, cause); err != nil {
		return err
	}
	if s.cfg.TransitionDelay <= 0 {
		d.TransitionJob = 0
		if err := finishDisk(tx, d, t.To, now, cause); err != nil {
			return err
		}
		return tx.UpdateDisk(d)
	}
	j, err := schedule(tx, d.ID, now.Add(s.cfg.TransitionDelay), diskTransitionArgs{To: t.To})
	if err != nil {
		return err
	}
	d.TransitionJob = j.ID
	return tx.UpdateDisk(d)
}

// diskTransitionJob finishes an attach or detach. A job that is no longer
// the disk's pending transition (the disk was deleted, or released or
// detached with its instance) does nothing.
func (s *Service) diskTransitionJob(tx openecs.Tx, j openecs.Job, p diskTransitionArgs) error {
	d, err := tx.Disk(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.TransitionJob != j.ID {
		return nil
	}
	d.TransitionJob = 0
	if err := finishDisk(tx, d, p.To, j.DueAt, "transition"); err != nil {
		return err
	}
	return tx.UpdateDisk(d)
}

// finishDisk sets the final status of a transition; a detach leaves the
// disk attached to nothing.
func finishDisk(tx openecs.Tx, d *openecs.Disk, to openecs.DiskStatus, at time.Time, cause string) error {
	if to == openecs.DiskAvailable && d.Attached() {
		from := d.InstanceID
		d.InstanceID, d.Device, d.DetachedAt = "", "", at
		if err := event(tx, at, d.AccountID, openecs.EventDiskDetached, d.ID, cause, map[string]any{"instance_id": from}); err != nil {
			return err
		}
	}
	return setDiskStatus(tx, d, to, at, cause)
}

// setDiskStatus changes the status and records the event; it does not write
// the disk.
func setDiskStatus(tx openecs.Tx, d *openecs.Disk, to openecs.DiskStatus, at time.Time, cause string) error {
	if d.Status == to {
		return nil
	}
	from := d.Status
	d.Status = to
	return event(tx, at, d.AccountID, openecs.EventDiskStatus, d.ID, cause, map[string]any{"from": string(from), "to": string(to)})
}

// keepDisks detaches, as the instance is released, the disks that are not
// released with it (DeleteWithInstance off): they become Available at once.
// An instance locked for security reasons takes all its disks with it. It
// returns the ids of the disks kept.
func keepDisks(tx openecs.Tx, in *openecs.Instance, disks []openecs.Disk, at time.Time, cause string) ([]string, error) {
	kept := []string{}
	if in.HasLock(openecs.LockSecurity) {
		return kept, nil
	}
	for _, d := range disks {
		if d.DeleteWithInstance || !d.Portable {
			continue
		}
		d.TransitionJob = 0
		if err := finishDisk(tx, &d, openecs.DiskAvailable, at, cause); err != nil {
			return nil, err
		}
		if err := tx.UpdateDisk(&d); err != nil {
			return nil, err
		}
		kept = append(kept, d.ID)
	}
	return kept, nil
}

// released lists the ids not kept.
func released(ids, kept []string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return slices.Contains(kept, id) })
}
