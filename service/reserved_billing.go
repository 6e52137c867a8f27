package service

import (
	"cmp"
	"slices"
	"time"

	"github.com/openecs/openecs"
)

// coverPage is how many candidate instances one query fetches.
const coverPage = 64

// chargeReserved runs at every billing point before the pay-as-you-go
// instances are charged. For each reserved instance whose term holds the hour
// it charges the recurring fee (Partial and No Upfront), and, unless it is
// locked, covers up to InstanceAmount matching billable instance-hours with
// a zero charge naming it; ChargeHour then leaves those instances alone.
// Zone-scope reserved instances cover first, so that Region-scope ones are
// left for instances the zonal ones cannot reach.
func (s *Service) chargeReserved(tx openecs.Tx, hour time.Time) error {
	ris, err := tx.ReservedInstances(openecs.ReservedFilter{InTermAt: hour})
	if err != nil {
		return err
	}
	slices.SortStableFunc(ris, func(a, b *openecs.ReservedInstance) int {
		if (a.Scope == openecs.ScopeZone) != (b.Scope == openecs.ScopeZone) {
			if a.Scope == openecs.ScopeZone {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	for _, ri := range ris {
		fee, err := ri.HourlyFee()
		if err != nil {
			return err
		}
		if fee > 0 {
			if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: ri.AccountID, Kind: openecs.EventCharge, ResourceID: ri.ID,
				Hour: hour, Amount: fee, Cause: "reserved-instance.fee", Data: map[string]any{"offering_type": ri.OfferingType}}); err != nil {
				return err
			}
		}
		if len(ri.Locks) > 0 {
			continue
		}
		if err := cover(tx, ri, hour); err != nil {
			return err
		}
	}
	return nil
}

// cover charges at zero up to ri.InstanceAmount instance-hours that ri
// covers, oldest instance first.
func cover(tx openecs.Tx, ri *openecs.ReservedInstance, hour time.Time) error {
	f := openecs.CoverFilter{AccountID: ri.AccountID, RegionID: ri.RegionID, InstanceType: ri.InstanceType, Hour: hour, Limit: coverPage}
	if ri.Scope == openecs.ScopeZone {
		f.ZoneID = ri.ZoneID
	}
	left := ri.InstanceAmount
	for left > 0 {
		ins, err := tx.CoverableInstances(f)
		if err != nil {
			return err
		}
		for _, in := range ins {
			f.AfterSeq = in.Seq
			if !ri.Covers(in) {
				continue
			}
			if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: in.AccountID, Kind: openecs.EventCharge, ResourceID: in.ID,
				Hour: hour, Amount: 0, Cause: "reserved-instance", Data: map[string]any{"reserved_instance_id": ri.ID, "saved": in.HourlyPrice.String()}}); err != nil {
				return err
			}
			if left--; left == 0 {
				break
			}
		}
		if len(ins) < coverPage {
			break
		}
	}
	return nil
}
