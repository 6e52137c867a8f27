package service

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/openecs/openecs"
)

// Billing rules as implemented:
//
//   - A billing point is every whole clock hour H. At H, every pay-as-you-go
//     instance that is billable at H (created before H, not suspended, not
//     Stopped with StopCharging) is charged its full hourly price for the hour
//     ending at H, exactly once: the charge event for (instance, H) is unique
//     and the billing watermark moves in the same commit.
//   - Then the balances are looked at: an account below zero that is not in
//     arrears enters arrears (ArrearsAt = H). Its pay-as-you-go instances are
//     suspended OverdueGrace later (at H itself with the default 0s), if it is
//     still in arrears then.
//   - Suspension: Stopping → Stopped, a financial lock, billing state Expired
//     (EcsAndImageExpired if the image had expired), no more charges. Fifteen
//     days after the suspension the instance is released.
//   - A subscription instance is paid up front; at ExpiredTime it renews
//     itself if AutoRenew is on and the balance pays, otherwise it stops with a
//     financial lock and is released fifteen days after ExpiredTime.

// maxPointsPerCommit bounds how many billing points one commit runs.
const maxPointsPerCommit = 24

// billingPoints runs the billing point an hour after prev (if the watermark
// still says prev: another replica may have run it) and then, in the same
// commit, the following ones while they are due by upTo and no job falls due
// before them, up to maxPointsPerCommit. A clock advance over days replays
// hundreds of points back to back; a commit for each would cost more than
// the charging. It returns how many points ran.
func (s *Service) billingPoints(ctx context.Context, prev, upTo time.Time) (int, error) {
	n := 0
	err := s.store.Update(ctx, func(tx openecs.Tx) error {
		n = 0
		for at := prev; ; {
			hour := at.Add(time.Hour)
			ran, err := s.billingPoint(tx, at, hour)
			if err != nil || !ran {
				return err
			}
			n++
			at = hour
			next := hour.Add(time.Hour)
			if n >= maxPointsPerCommit || next.After(upTo) {
				return nil
			}
			due, ok, err := tx.NextJobDue()
			if err != nil {
				return err
			}
			if ok && !due.After(next) {
				return nil // the job runs first (RunDue's order)
			}
		}
	})
	if err == nil && n > 0 {
		s.wake()
	}
	return n, err
}

// billingPoint runs the billing point `hour` in tx if the watermark still
// says `prev`, and reports whether it did.
func (s *Service) billingPoint(tx openecs.Tx, prev, hour time.Time) (bool, error) {
	ok, err := tx.CompareAndSetMeta(metaBilledHour, formatMillis(prev), formatMillis(hour))
	if err != nil || !ok {
		return false, err
	}
	// Reserved instances first: their fees, and the instance-hours they
	// cover charged at zero, which ChargeHour then leaves alone.
	if err := s.chargeReserved(tx, hour); err != nil {
		return false, err
	}
	totals, err := tx.ChargeHour(hour, hour)
	if err != nil {
		return false, err
	}
	accts := make([]string, 0, len(totals))
	for a, amt := range totals {
		if amt != 0 {
			accts = append(accts, a)
		}
	}
	sort.Strings(accts)
	for _, a := range accts {
		debit, err := totals[a].Neg()
		if err != nil {
			return false, err
		}
		if _, err := tx.AddBalance(a, debit); err != nil {
			return false, err
		}
	}
	if err := s.markArrears(tx, hour); err != nil {
		return false, err
	}
	return true, nil
}

// markArrears puts every account whose balance is below zero into arrears and
// suspends (or schedules the suspension of) its pay-as-you-go instances.
func (s *Service) markArrears(tx openecs.Tx, hour time.Time) error {
	accounts, err := tx.Accounts()
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if a.Balance >= 0 || a.InArrears {
			continue
		}
		a.InArrears, a.ArrearsAt = true, hour
		if err := tx.UpdateAccount(a); err != nil {
			return err
		}
		if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: a.ID, Kind: openecs.EventAccountArrears, ResourceID: a.ID,
			Amount: a.Balance, Cause: "billing", Data: map[string]any{"balance": a.Balance.String()}}); err != nil {
			return err
		}
		if s.cfg.OverdueGrace <= 0 {
			if err := s.suspendAccount(tx, a.ID, hour, "billing"); err != nil {
				return err
			}
			continue
		}
		if _, err := schedule(tx, a.ID, hour.Add(s.cfg.OverdueGrace), suspendAccountArgs{ArrearsAt: openecs.Millis(hour)}); err != nil {
			return err
		}
	}
	return nil
}

// suspendAccountArgs is the payload of an account's suspension job: the
// arrears it was scheduled for.
type suspendAccountArgs struct {
	ArrearsAt int64 `json:"arrears_at"` // the account's ArrearsAt (Unix ms)
}

func (suspendAccountArgs) Kind() openecs.JobKind { return openecs.JobSuspendAccount }

// suspendAccountJob suspends an account's instances once the overdue grace
// has passed, if the account is still in the same arrears.
func (s *Service) suspendAccountJob(tx openecs.Tx, j openecs.Job, p suspendAccountArgs) error {
	a, err := tx.Account(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !a.InArrears || openecs.Millis(a.ArrearsAt) != p.ArrearsAt {
		return nil
	}
	return s.suspendAccount(tx, a.ID, j.DueAt, "overdue")
}

// suspendAccount suspends every pay-as-you-go instance of the account that is
// not suspended yet.
func (s *Service) suspendAccount(tx openecs.Tx, accountID string, at time.Time, cause string) error {
	ins, err := tx.Instances(openecs.InstanceFilter{AccountID: accountID, ChargeType: openecs.PostPaid,
		BillingStates: []openecs.BillingState{openecs.BillingNormal, openecs.BillingImageExpired}})
	if err != nil {
		return err
	}
	for _, in := range ins {
		if err := s.suspend(tx, in, in.BillingState.WithEcsExpired(), at, cause); err != nil {
			return err
		}
	}
	return nil
}

// Why a release job was scheduled.
const (
	releaseSuspended = "suspended" // fifteen days after a suspension
	releaseAuto      = "auto"      // at AutoReleaseTime
)

// releaseArgs says why a release job was scheduled.
type releaseArgs struct {
	Reason string `json:"reason"` // releaseSuspended or releaseAuto
	Since  int64  `json:"since"`  // SuspendedAt (or AutoReleaseAt) it was scheduled for
}

func (releaseArgs) Kind() openecs.JobKind { return openecs.JobRelease }

// suspend moves an instance to a suspended billing state: a financial lock,
// stopped, not charged, released fifteen days after the first suspension.
func (s *Service) suspend(tx openecs.Tx, in *openecs.Instance, state openecs.BillingState, at time.Time, cause string) error {
	wasSuspended := in.BillingState.Suspended()
	in.BillingState = state
	if !in.HasLock(openecs.LockFinancial) {
		in.AddLock(openecs.LockFinancial)
		if err := event(tx, at, in.AccountID, openecs.EventInstanceLocked, in.ID, cause, map[string]any{"reason": "financial"}); err != nil {
			return err
		}
	}
	if err := event(tx, at, in.AccountID, openecs.EventInstanceSuspend, in.ID, cause, map[string]any{"billing_state": string(state)}); err != nil {
		return err
	}
	if !wasSuspended {
		since := at
		if in.ChargeType == openecs.PrePaid && !in.ExpiredAt.IsZero() {
			since = in.ExpiredAt
		}
		in.SuspendedAt = since
		if _, err := schedule(tx, in.ID, since.Add(ReleaseAfter), releaseArgs{Reason: releaseSuspended, Since: openecs.Millis(since)}); err != nil {
			return err
		}
	}
	switch in.Status {
	case openecs.StatusPending, openecs.StatusStarting, openecs.StatusRunning:
		if err := s.beginTransition(tx, in, at, cause, openecs.TransitionSuspend); err != nil {
			return err
		}
	}
	return tx.UpdateInstance(in)
}

// releaseJob releases an instance that is still in the state the job was
// scheduled for.
func (s *Service) releaseJob(tx openecs.Tx, j openecs.Job, p releaseArgs) error {
	in, err := tx.Instance(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch p.Reason {
	case releaseSuspended:
		if !in.BillingState.Suspended() || openecs.Millis(in.SuspendedAt) != p.Since {
			return nil
		}
	case releaseAuto:
		if openecs.Millis(in.AutoReleaseAt) != p.Since {
			return nil
		}
	default:
		return nil
	}
	return s.release(tx, in, j.DueAt, "release."+p.Reason)
}

// release removes an instance with its disks and gives its capacity back.
func (s *Service) release(tx openecs.Tx, in *openecs.Instance, at time.Time, cause string) error {
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	ids := make([]string, len(disks))
	for i, d := range disks {
		ids[i] = d.ID
	}
	if in.HoldsCapacity {
		if err := tx.ReturnCapacity(in.ZoneID, in.InstanceType); err != nil {
			return err
		}
	}
	kept, err := keepDisks(tx, in, disks, at, cause) // diskops.go: detach those not released with it
	if err != nil {
		return err
	}
	if err := tx.DeleteInstance(in.ID); err != nil {
		return err
	}
	return event(tx, at, in.AccountID, openecs.EventInstanceReleased, in.ID, cause,
		map[string]any{"disks": released(ids, kept), "disks_kept": kept, "status": string(in.Status)})
}

// SetImageExpired marks a marketplace image subscription expired (or
// renewed). Expiry puts every instance running the image into billing state
// ImageExpired (EcsAndImageExpired if it was already Expired): stopped with a
// financial lock until ReActivateInstances.
func (s *Service) SetImageExpired(ctx context.Context, imageID string, expired bool) (int, error) {
	if _, ok := s.cat.Image(imageID); !ok {
		return 0, openecs.ErrNotFound
	}
	n := 0
	err := s.update(ctx, func(tx openecs.Tx) error {
		n = 0
		if err := tx.SetImageExpired(imageID, expired); err != nil {
			return err
		}
		if !expired {
			return nil
		}
		now := tx.Now()
		if err := event(tx, now, "", openecs.EventImageExpired, imageID, "admin", nil); err != nil {
			return err
		}
		ins, err := tx.Instances(openecs.InstanceFilter{ImageID: imageID})
		if err != nil {
			return err
		}
		for _, in := range ins {
			if in.BillingState == openecs.BillingImageExpired || in.BillingState == openecs.BillingEcsAndImageExpired {
				continue
			}
			if err := s.suspend(tx, in, in.BillingState.WithImageExpired(), now, "image.expired"); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err == nil {
		s.wake()
	}
	return n, err
}
