package service

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/openecs/openecs"
)

// Elastic IP addresses (docs/eips.md): allocated from EipPool, associated
// with one instance at a time, released when associated with nothing.
// Association, unassociation and release take effect at once.

// EipPool is where EIP addresses come from: 198.18.0.0/15, the block set
// aside for network benchmarks (RFC 2544), which is never routed on the
// internet but looks public to clients. An address is held by at most one
// EIP of a region.
const EipPool = "198.18.0.0/15"

// eipAddress picks a host of EipPool at random (never .0 or .255 of a /24).
func eipAddress() string {
	n := rand.IntN(2 * 256 * 254) // two /16s of 256 /24s of 254 hosts
	return fmt.Sprintf("198.%d.%d.%d", 18+n/(256*254), n/254%256, n%254+1)
}

// EipBandwidthMax is the most Mbit/s a pay-as-you-go EIP takes, by its
// internet charge type.
var EipBandwidthMax = map[string]int{openecs.EipPayByTraffic: 200, openecs.EipPayByBandwidth: 500}

// AllocateEipRequest is AllocateEipAddress.
type AllocateEipRequest struct {
	RegionID           string
	Bandwidth          int // Mbit/s, checked against EipBandwidthMax
	InternetChargeType string
	ISP                string
	Name               string
	Description        string
	ResourceGroupID    string
	Idem               Idem
}

// AllocateEipResult is AllocateEipAddress's answer.
type AllocateEipResult struct {
	AllocationID    string `json:"allocation_id"`
	EipAddress      string `json:"eip_address"`
	ResourceGroupID string `json:"resource_group_id"`
}

// AllocateEip allocates an EIP in the region: Available at once.
//
// Errors: InvalidRegionId.NotFound, InvalidBandwidth.Malformed,
// QuotaExceeded.Eip, IdempotentParameterMismatch.
func (s *Service) AllocateEip(ctx context.Context, c Caller, r AllocateEipRequest) (*AllocateEipResult, error) {
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return nil, openecs.ErrRegionNotFound
	}
	if r.Bandwidth < 1 || r.Bandwidth > EipBandwidthMax[r.InternetChargeType] {
		return nil, openecs.ErrEipBandwidth
	}
	res, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (AllocateEipResult, error) {
		n, err := tx.CountEips(openecs.EipFilter{AccountID: c.AccountID, RegionID: region.ID})
		if err != nil {
			return AllocateEipResult{}, err
		}
		if n >= openecs.MaxEipsPerRegion {
			return AllocateEipResult{}, openecs.ErrEipQuota
		}
		now := tx.Now()
		e := &openecs.Eip{ID: openecs.NewResourceID("eip", region.Code), AccountID: c.AccountID, RegionID: region.ID,
			IPAddress: eipAddress(), Name: r.Name, Description: r.Description, Bandwidth: r.Bandwidth,
			InternetChargeType: r.InternetChargeType, ChargeType: openecs.PostPaid, ISP: r.ISP, Status: openecs.EipAvailable,
			ResourceGroupID: r.ResourceGroupID, CreatedAt: now}
		// An address another EIP of the region holds is a conflict: the
		// update runs again with another address.
		if err := tx.InsertEip(e); err != nil {
			return AllocateEipResult{}, err
		}
		return AllocateEipResult{AllocationID: e.ID, EipAddress: e.IPAddress, ResourceGroupID: e.ResourceGroupID},
			event(tx, now, c.AccountID, openecs.EventEipAllocated, e.ID, c.Action, map[string]any{"ip_address": e.IPAddress})
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// ownEip reads an EIP of the caller in the region; InvalidAllocationId.NotFound
// otherwise.
func ownEip(r openecs.Reader, accountID, regionID, id string) (*openecs.Eip, error) {
	e, err := r.Eip(id)
	if errors.Is(err, openecs.ErrNotFound) || (err == nil && (e.AccountID != accountID || (regionID != "" && e.RegionID != regionID))) {
		return nil, openecs.ErrEipNotFound
	}
	return e, err
}

// EipView is an EIP as DescribeEipAddresses shows it.
type EipView struct {
	*openecs.Eip
	Tags []openecs.Tag
}

// EipQuery is DescribeEipAddresses.
type EipQuery struct {
	Filter openecs.EipFilter // the caller's account is set here
	Page   Page
}

// EipPage is one page of DescribeEipAddresses.
type EipPage struct {
	Eips  []EipView
	Total int
}

// DescribeEips lists the caller's EIPs in a region, oldest first.
func (s *Service) DescribeEips(ctx context.Context, c Caller, q EipQuery) (*EipPage, error) {
	out := &EipPage{Eips: []EipView{}}
	f := q.Filter
	f.AccountID, f.Offset, f.Limit = c.AccountID, q.Page.offset(), q.Page.Size
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.Eips = out.Eips[:0]
		var err error
		if out.Total, err = r.CountEips(f); err != nil {
			return err
		}
		es, err := r.Eips(f)
		if err != nil {
			return err
		}
		for _, e := range es {
			tags, err := r.ResourceTags(openecs.TagEip, e.ID)
			if err != nil {
				return err
			}
			out.Eips = append(out.Eips, EipView{Eip: e, Tags: tags})
		}
		return nil
	})
	return out, err
}

// ModifyEipRequest is ModifyEipAddressAttribute; nil fields are left as they
// are.
type ModifyEipRequest struct {
	RegionID    string
	ID          string
	Name        *string
	Description *string
	Bandwidth   *int
}

// ModifyEip renames an EIP, changes its description or its bandwidth.
//
// Errors: InvalidAllocationId.NotFound, InvalidBandwidth.Malformed.
func (s *Service) ModifyEip(ctx context.Context, c Caller, r ModifyEipRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		e, err := ownEip(tx, c.AccountID, r.RegionID, r.ID)
		if err != nil {
			return err
		}
		if r.Bandwidth != nil {
			if *r.Bandwidth < 1 || *r.Bandwidth > EipBandwidthMax[e.InternetChargeType] {
				return openecs.ErrEipBandwidth
			}
			e.Bandwidth = *r.Bandwidth
		}
		if r.Name != nil {
			e.Name = *r.Name
		}
		if r.Description != nil {
			e.Description = *r.Description
		}
		return tx.UpdateEip(e)
	})
}

// AssociateEipRequest is AssociateEipAddress (InstanceType EcsInstance).
type AssociateEipRequest struct {
	RegionID   string
	ID         string
	InstanceID string
	Idem       Idem
}

// AssociateEip associates an Available EIP with an instance of the caller
// in the EIP's region that is Running or Stopped, has no public address of
// its own and no EIP yet.
//
// Errors, in this order: InvalidAllocationId.NotFound,
// InvalidInstanceId.NotFound, IncorrectEipStatus, IncorrectInstanceStatus,
// InvalidStatus.InstanceHasBandWidth, InvalidAssociation.Duplicated.
func (s *Service) AssociateEip(ctx context.Context, c Caller, r AssociateEipRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		e, err := ownEip(tx, c.AccountID, r.RegionID, r.ID)
		if err != nil {
			return struct{}{}, err
		}
		in, err := tx.Instance(r.InstanceID)
		if errors.Is(err, openecs.ErrNotFound) || (err == nil && (in.AccountID != c.AccountID || in.RegionID != e.RegionID)) {
			return struct{}{}, openecs.ErrEipInstanceNotFound
		}
		if err != nil {
			return struct{}{}, err
		}
		if e.Status != openecs.EipAvailable {
			return struct{}{}, openecs.ErrIncorrectEipStatus
		}
		if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
			return struct{}{}, openecs.ErrEipInstanceStatus
		}
		if in.PublicIP != "" {
			return struct{}{}, openecs.ErrEipInstanceHasPublic
		}
		held, err := tx.CountEips(openecs.EipFilter{InstanceIDs: []string{in.ID}})
		if err != nil {
			return struct{}{}, err
		}
		if held > 0 {
			return struct{}{}, openecs.ErrEipInstanceHasEip
		}
		e.Status, e.InstanceID, e.InstanceType = openecs.EipInUse, in.ID, openecs.EipInstanceECS
		if err := tx.UpdateEip(e); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), c.AccountID, openecs.EventEipAssociated, e.ID, c.Action, map[string]any{"instance_id": in.ID})
	})
	return err
}

// UnassociateEipRequest is UnassociateEipAddress.
type UnassociateEipRequest struct {
	RegionID   string
	ID         string
	InstanceID string // "": whatever the EIP is associated with
	Idem       Idem
}

// UnassociateEip leaves an associated EIP Available.
//
// Errors: InvalidAllocationId.NotFound, IncorrectEipStatus (not
// associated), InvalidAssociation.NotFound (associated with another
// instance than the one named).
func (s *Service) UnassociateEip(ctx context.Context, c Caller, r UnassociateEipRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		e, err := ownEip(tx, c.AccountID, r.RegionID, r.ID)
		if err != nil {
			return struct{}{}, err
		}
		if e.Status != openecs.EipInUse {
			return struct{}{}, openecs.ErrIncorrectEipStatus
		}
		if r.InstanceID != "" && r.InstanceID != e.InstanceID {
			return struct{}{}, openecs.ErrEipNotAssociatedWith
		}
		was := e.InstanceID
		e.Status, e.InstanceID, e.InstanceType = openecs.EipAvailable, "", ""
		if err := tx.UpdateEip(e); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), c.AccountID, openecs.EventEipUnassociated, e.ID, c.Action, map[string]any{"instance_id": was})
	})
	return err
}

// ReleaseEip releases an EIP that is associated with nothing, with its
// tags.
//
// Errors: InvalidAllocationId.NotFound, IncorrectEipStatus (associated),
// Forbidden.ChargeTypeIsPrepaid.
func (s *Service) ReleaseEip(ctx context.Context, c Caller, regionID, id string) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		e, err := ownEip(tx, c.AccountID, regionID, id)
		if err != nil {
			return err
		}
		if e.Status != openecs.EipAvailable {
			return openecs.ErrIncorrectEipStatus
		}
		if e.ChargeType == openecs.PrePaid {
			return openecs.ErrEipPrePaidRelease
		}
		if err := tx.DeleteEip(e.ID); err != nil {
			return err
		}
		return event(tx, tx.Now(), c.AccountID, openecs.EventEipReleased, e.ID, c.Action, map[string]any{"ip_address": e.IPAddress})
	})
}

// instanceEips maps each of the instances that has an EIP to it.
func instanceEips(r openecs.Reader, accountID string, ids []string) (map[string]*openecs.Eip, error) {
	out := map[string]*openecs.Eip{}
	if len(ids) == 0 {
		return out, nil
	}
	es, err := r.Eips(openecs.EipFilter{AccountID: accountID, InstanceIDs: ids})
	for _, e := range es {
		out[e.InstanceID] = e
	}
	return out, err
}
