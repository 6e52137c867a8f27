package service

import (
	"context"
	"fmt"

	"github.com/openecs/openecs"
)

// Quotas (docs/errors.md, "Quotas"). An account may have, per region, a
// vCPU quota per zone and an instance quota per instance type. Usage counts
// the account's instances that hold capacity (Pending, Starting, Running,
// Stopping, KeepCharging-stopped), so starting an instance that already holds
// capacity never exceeds a quota.
//
// Which QuotaExceed.ElasticQuota message (all 403) answers which condition:
//
//   - the type's instance quota is 0 (the type is not granted at all in the
//     region): "No additional quota is available for the specified ECS
//     instance type."
//   - the type's instance quota is above 0 and the new instances would exceed
//     it: "The number of the specified ECS instances has exceeded the quota
//     of the specified instance type."
//   - only the zone's vCPU quota would be exceeded: "The number of vCPUs
//     assigned to the ECS instances has exceeded the quota in the zone."
//   - both the type's (non-zero) instance quota and the zone's vCPU quota
//     would be exceeded: the "… or the number of vCPUs …" message.

// QuotaSpec is PUT /admin/v1/quotas: either ZoneID with VCPUs or
// InstanceType with Instances. A nil limit removes the quota.
type QuotaSpec struct {
	AccountID    string
	RegionID     string
	ZoneID       string
	InstanceType string
	VCPUs        *int
	Instances    *int
	// SetVCPUs and SetInstances say which field the body named (a named
	// field set to null removes the quota).
	SetVCPUs, SetInstances bool
}

// QuotaUsage is a quota with what the account uses of it.
type QuotaUsage struct {
	openecs.Quota
	Used int
}

// SetQuota creates, changes or (with a null limit) removes a quota. It
// answers the quota with its usage; removal answers a nil quota.
func (s *Service) SetQuota(ctx context.Context, q QuotaSpec) (*QuotaUsage, error) {
	kind, scope, limit, err := s.validateQuota(q)
	if err != nil {
		return nil, err
	}
	var out *QuotaUsage
	err = s.update(ctx, func(tx openecs.Tx) error {
		out = nil
		if _, err := tx.Account(q.AccountID); err != nil {
			return err
		}
		now := tx.Now()
		data := map[string]any{"region_id": q.RegionID, "kind": string(kind), "scope": scope, "limit": nil}
		if limit == nil {
			if err := tx.DeleteQuota(q.AccountID, q.RegionID, kind, scope); err != nil {
				return err
			}
		} else {
			data["limit"] = *limit
			row := openecs.Quota{AccountID: q.AccountID, RegionID: q.RegionID, Kind: kind, Scope: scope, Limit: *limit, UpdatedAt: now}
			if err := tx.PutQuota(row); err != nil {
				return err
			}
			used, err := s.quotaUsed(tx, row)
			if err != nil {
				return err
			}
			out = &QuotaUsage{Quota: row, Used: used}
		}
		return event(tx, now, q.AccountID, openecs.EventQuotaSet, q.AccountID, "admin", data)
	})
	return out, err
}

func (s *Service) validateQuota(q QuotaSpec) (openecs.QuotaKind, string, *int, error) {
	if q.AccountID == "" || q.RegionID == "" {
		return "", "", nil, badRequest(`"account_id" and "region_id" are required`)
	}
	region, ok := s.cat.Region(q.RegionID)
	if !ok {
		return "", "", nil, badRequest("unknown region_id " + q.RegionID)
	}
	vcpu := q.ZoneID != "" || q.SetVCPUs
	inst := q.InstanceType != "" || q.SetInstances
	if vcpu == inst {
		return "", "", nil, badRequest(`give either {"zone_id", "vcpus"} or {"instance_type", "instances"}`)
	}
	if vcpu {
		z, ok := s.cat.Zone(q.ZoneID)
		if !ok || z.RegionID != region.ID {
			return "", "", nil, badRequest(fmt.Sprintf("unknown zone_id %q in region %s", q.ZoneID, region.ID))
		}
		if !q.SetVCPUs {
			return "", "", nil, badRequest(`"vcpus" is required with "zone_id" (null removes the quota)`)
		}
		if q.VCPUs != nil && *q.VCPUs < 0 {
			return "", "", nil, badRequest(`"vcpus" must be ≥ 0`)
		}
		return openecs.QuotaVCPUs, q.ZoneID, q.VCPUs, nil
	}
	if _, ok := s.cat.InstanceType(q.InstanceType); !ok {
		return "", "", nil, badRequest(fmt.Sprintf("unknown instance_type %q", q.InstanceType))
	}
	if !q.SetInstances {
		return "", "", nil, badRequest(`"instances" is required with "instance_type" (null removes the quota)`)
	}
	if q.Instances != nil && *q.Instances < 0 {
		return "", "", nil, badRequest(`"instances" must be ≥ 0`)
	}
	return openecs.QuotaInstances, q.InstanceType, q.Instances, nil
}

// Quotas lists quotas with their usage; empty ids do not filter.
func (s *Service) Quotas(ctx context.Context, accountID, regionID string) ([]QuotaUsage, error) {
	var out []QuotaUsage
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out = nil
		qs, err := r.Quotas(accountID, regionID)
		if err != nil {
			return err
		}
		for _, q := range qs {
			used, err := s.quotaUsed(r, q)
			if err != nil {
				return err
			}
			out = append(out, QuotaUsage{Quota: q, Used: used})
		}
		return nil
	})
	return out, err
}

// quotaUsed is what the account uses of a quota: instances of the type in
// the region, or vCPUs in the zone, of the instances holding capacity.
func (s *Service) quotaUsed(r openecs.Reader, q openecs.Quota) (int, error) {
	f := openecs.InstanceFilter{AccountID: q.AccountID, RegionID: q.RegionID}
	if q.Kind == openecs.QuotaVCPUs {
		f.ZoneID = q.Scope
	} else {
		f.InstanceType = q.Scope
	}
	ins, err := r.Instances(f)
	if err != nil {
		return 0, err
	}
	used := 0
	for _, in := range ins {
		if !in.HoldsCapacity {
			continue
		}
		if q.Kind == openecs.QuotaVCPUs {
			used += in.CPU
		} else {
			used++
		}
	}
	return used, nil
}

// quotaCheck answers QuotaExceed.ElasticQuota if count more instances of the
// type (cpu vCPUs each) in the zone would exceed one of the account's quotas.
// The instances asked for must not be counted in the store yet.
func (s *Service) quotaCheck(r openecs.Reader, accountID, regionID, zoneID, instanceType string, cpu, count int) error {
	qs, err := r.Quotas(accountID, regionID)
	if err != nil || len(qs) == 0 {
		return err
	}
	typeZero, typeOver, vcpuOver := false, false, false
	for _, q := range qs {
		switch {
		case q.Kind == openecs.QuotaInstances && q.Scope == instanceType:
			if q.Limit == 0 {
				typeZero = true
				continue
			}
			used, err := s.quotaUsed(r, q)
			if err != nil {
				return err
			}
			typeOver = used+count > q.Limit
		case q.Kind == openecs.QuotaVCPUs && q.Scope == zoneID:
			used, err := s.quotaUsed(r, q)
			if err != nil {
				return err
			}
			vcpuOver = used+cpu*count > q.Limit
		}
	}
	switch {
	case typeZero:
		return openecs.ErrQuotaInstanceType
	case typeOver && vcpuOver:
		return openecs.ErrQuotaEither
	case typeOver:
		return openecs.ErrQuotaInstanceTypeCount
	case vcpuOver:
		return openecs.ErrQuotaVCPU
	}
	return nil
}

// quotaEnforce is quotaCheck for the write path, once the call goes ahead: it
// first rewrites the quota rows that apply (unchanged), so that concurrent
// calls counting against the same quota serialise on them whatever the
// store's isolation level (on PostgreSQL the later one is retried and then
// sees the earlier one's instances), and then checks.
func (s *Service) quotaEnforce(tx openecs.Tx, accountID, regionID, zoneID, instanceType string, cpu, count int) error {
	qs, err := tx.Quotas(accountID, regionID)
	if err != nil || len(qs) == 0 {
		return err
	}
	for _, q := range qs {
		if (q.Kind == openecs.QuotaInstances && q.Scope == instanceType) || (q.Kind == openecs.QuotaVCPUs && q.Scope == zoneID) {
			if err := tx.PutQuota(q); err != nil {
				return err
			}
		}
	}
	return s.quotaCheck(tx, accountID, regionID, zoneID, instanceType, cpu, count)
}

// checkCreateQuota is RunInstances' and CreateInstance's quota check.
func checkCreateQuota(s *Service, tx openecs.Tx, c CreateSpec) error {
	return s.quotaCheck(tx, c.AccountID, c.RegionID, c.ZoneID, c.InstanceType, c.CPU, c.Count)
}

// enforceCreateQuota enforces the quotas again once each new instance is in
// the store (and so counted): the check above read what concurrent calls had
// committed before this one.
func enforceCreateQuota(s *Service, tx openecs.Tx, in *openecs.Instance) error {
	return s.quotaEnforce(tx, in.AccountID, in.RegionID, in.ZoneID, in.InstanceType, in.CPU, 0)
}

// checkStartQuota is StartInstance's: an instance that does not hold
// capacity (stopped with StopCharging) would count again once started.
func checkStartQuota(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HoldsCapacity {
		return nil
	}
	return s.quotaCheck(tx, in.AccountID, in.RegionID, in.ZoneID, in.InstanceType, in.CPU, 1)
}

// enforceStartQuota enforces the quota when the start goes ahead: a batch
// start checks every instance before it starts any, so only now does the
// store count the instances started before this one, and concurrent starts
// serialise here (quotaEnforce). By now the start has taken capacity
// (in.HoldsCapacity is set); the stored copy says whether the instance held
// it before. A refusal gives the slot back at once, so that it never keeps a
// slot whatever becomes of the transaction.
func enforceStartQuota(s *Service, tx openecs.Tx, in *openecs.Instance) error {
	stored, err := tx.Instance(in.ID)
	if err != nil {
		return err
	}
	if stored.HoldsCapacity {
		return nil
	}
	qerr := s.quotaEnforce(tx, in.AccountID, in.RegionID, in.ZoneID, in.InstanceType, in.CPU, 1)
	if _, refused := openecs.AsError(qerr); refused && in.HoldsCapacity {
		if err := tx.ReturnCapacity(in.ZoneID, in.InstanceType); err != nil {
			return err
		}
		in.HoldsCapacity = false
	}
	return qerr
}
