package service

import (
	"context"
	"errors"

	"github.com/openecs/openecs"
)

// vSwitches (docs/networks.md, "vSwitches").

// CreateVSwitchRequest is CreateVSwitch.
type CreateVSwitchRequest struct {
	RegionID    string
	ZoneID      string
	VpcID       string
	CidrBlock   string
	Name        string
	Description string
	Tags        []openecs.Tag
	Idem        Idem
}

// vswitchAvailableArgs is the payload of a JobVSwitchAvailable job (Ref:
// the vSwitch).
type vswitchAvailableArgs struct{}

func (vswitchAvailableArgs) Kind() openecs.JobKind { return openecs.JobVSwitchAvailable }

// CreateVSwitch creates a vSwitch in a zone of the VPC's region, with a
// block inside the VPC's that overlaps none of its other vSwitches: Pending,
// Available after the transition delay.
//
// Errors: InvalidVpcId.NotFound, InvalidZoneId.NotFound, IncorrectVpcStatus,
// InvalidCidrBlock.Malformed, InvalidCirdrBlock.MaskLength,
// InvalidParameter (block not in the VPC's), InvalidCidrBlock.Overlapped,
// IdempotentParameterMismatch.
func (s *Service) CreateVSwitch(ctx context.Context, c Caller, r CreateVSwitchRequest) (string, error) {
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return "", openecs.ErrRegionNotFound
	}
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (string, error) {
		vpc, err := ownVpc(tx, c.AccountID, region.ID, r.VpcID)
		if err != nil {
			return "", err
		}
		z, ok := s.cat.Zone(r.ZoneID)
		if !ok || z.RegionID != region.ID {
			return "", openecs.ErrZoneNotFoundVpc
		}
		if vpc.Status != openecs.NetAvailable {
			return "", openecs.ErrIncorrectVpcStatus
		}
		block, ok := parseBlock(r.CidrBlock)
		if !ok {
			return "", openecs.ErrCidrMalformed
		}
		if block.Bits() < vswitchMinBits || block.Bits() > vswitchMaxBits {
			return "", openecs.ErrCidrMaskLength.With("Specified CIDR block is not valid: a vSwitch's mask must be 16 to 29 bits long.")
		}
		if vb, ok := parseBlock(vpc.CidrBlock); !ok || !within(vb, block) {
			return "", openecs.ErrCidrNotInVpc
		}
		others, err := tx.VSwitches(openecs.VSwitchFilter{VpcID: vpc.ID})
		if err != nil {
			return "", err
		}
		if overlapsAny(block, others) {
			return "", openecs.ErrCidrOverlapped
		}
		now := tx.Now()
		v := &openecs.VSwitch{ID: openecs.NewResourceID("vsw", region.Code), AccountID: c.AccountID, RegionID: region.ID, ZoneID: z.ID,
			VpcID: vpc.ID, Name: r.Name, Description: r.Description, CidrBlock: block.String(), CreatedAt: now}
		if err := settle(s, tx, v.ID, now, &v.Status, vswitchAvailableArgs{}); err != nil {
			return "", err
		}
		if err := tx.InsertVSwitch(v); err != nil {
			return "", err
		}
		if err := putTags(tx, c.AccountID, region.ID, openecs.TagVSwitch, v.ID, r.Tags); err != nil {
			return "", err
		}
		return v.ID, event(tx, now, c.AccountID, openecs.EventNetworkCreated, v.ID, c.Action, map[string]any{"cidr_block": v.CidrBlock, "vpc_id": vpc.ID})
	})
}

// vswitchAvailableJob makes a Pending vSwitch Available; one gone or no
// longer Pending is left alone.
func (s *Service) vswitchAvailableJob(tx openecs.Tx, j openecs.Job, _ vswitchAvailableArgs) error {
	v, err := tx.VSwitch(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil || v.Status != openecs.NetPending {
		return err
	}
	v.Status = openecs.NetAvailable
	return tx.UpdateVSwitch(v)
}

// VSwitchView is a vSwitch as the Describe calls show it.
type VSwitchView struct {
	*openecs.VSwitch
	RouteTableID  string
	AvailableIPs  int64
	InstanceCount int
	Tags          []openecs.Tag
	VRouterID     string
}

func vswitchView(r openecs.Reader, v *openecs.VSwitch) (VSwitchView, error) {
	out := VSwitchView{VSwitch: v}
	vpc, err := r.Vpc(v.VpcID)
	if err != nil {
		return out, err
	}
	out.RouteTableID, out.VRouterID = vpc.RouteTableID, vpc.VRouterID
	used, err := r.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{VSwitchID: v.ID})
	if err != nil {
		return out, err
	}
	if b, ok := parseBlock(v.CidrBlock); ok {
		out.AvailableIPs = max(usable(b)-int64(used), 0)
	}
	if out.InstanceCount, err = r.CountInstances(openecs.InstanceFilter{VSwitchID: v.ID}); err != nil {
		return out, err
	}
	out.Tags, err = r.ResourceTags(openecs.TagVSwitch, v.ID)
	return out, err
}

// VSwitchQuery is DescribeVSwitches.
type VSwitchQuery struct {
	Filter openecs.VSwitchFilter // the caller's account is set here
	// RouteTableID keeps the vSwitches on that route table: those of the
	// VPC whose system table it is.
	RouteTableID string
	Page         Page
}

// VSwitchPage is one page of DescribeVSwitches.
type VSwitchPage struct {
	VSwitches []VSwitchView
	Total     int
}

// DescribeVSwitches lists the caller's vSwitches, oldest first.
func (s *Service) DescribeVSwitches(ctx context.Context, c Caller, q VSwitchQuery) (*VSwitchPage, error) {
	out := &VSwitchPage{VSwitches: []VSwitchView{}}
	f := q.Filter
	f.AccountID, f.Offset, f.Limit = c.AccountID, q.Page.offset(), q.Page.Size
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.VSwitches = out.VSwitches[:0]
		if q.RouteTableID != "" {
			v, err := r.VpcByRouteTable(q.RouteTableID)
			switch {
			case errors.Is(err, openecs.ErrNotFound) || (err == nil && (v.AccountID != c.AccountID || (f.VpcID != "" && f.VpcID != v.ID))):
				f.IDs = []string{}
			case err != nil:
				return err
			default:
				f.VpcID = v.ID
			}
		}
		var err error
		if out.Total, err = r.CountVSwitches(f); err != nil {
			return err
		}
		vs, err := r.VSwitches(f)
		if err != nil {
			return err
		}
		for _, v := range vs {
			view, err := vswitchView(r, v)
			if err != nil {
				return err
			}
			out.VSwitches = append(out.VSwitches, view)
		}
		return nil
	})
	return out, err
}

// DescribeVSwitchAttributes returns one of the caller's vSwitches.
//
// Errors: InvalidVSwitchId.NotFound (404).
func (s *Service) DescribeVSwitchAttributes(ctx context.Context, c Caller, regionID, id string) (*VSwitchView, error) {
	var out VSwitchView
	err := s.store.View(ctx, func(r openecs.Reader) error {
		v, err := ownVSwitch(r, c.AccountID, regionID, id, openecs.ErrVSwitchNotExist)
		if err != nil {
			return err
		}
		out, err = vswitchView(r, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ModifyVSwitchRequest is ModifyVSwitchAttribute; nil fields are left as
// they are.
type ModifyVSwitchRequest struct {
	RegionID    string
	VSwitchID   string
	Name        *string
	Description *string
}

// ModifyVSwitchAttribute renames a vSwitch or changes its description.
//
// Errors: InvalidVSwitchId.NotFound.
func (s *Service) ModifyVSwitchAttribute(ctx context.Context, c Caller, r ModifyVSwitchRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		v, err := ownVSwitch(tx, c.AccountID, r.RegionID, r.VSwitchID, openecs.ErrVSwitchNotExist)
		if err != nil {
			return err
		}
		if r.Name != nil {
			v.Name = *r.Name
		}
		if r.Description != nil {
			v.Description = *r.Description
		}
		return tx.UpdateVSwitch(v)
	})
}

// DeleteVSwitch deletes a vSwitch no instance or network interface uses.
//
// Errors: InvalidVSwitchId.NotFound ("VSwitch not exist."),
// IncorrectVSwitchStatus (Pending), DependencyViolation.
func (s *Service) DeleteVSwitch(ctx context.Context, c Caller, regionID, id string) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		v, err := ownVSwitch(tx, c.AccountID, regionID, id, openecs.ErrVSwitchNotExistDelete)
		if err != nil {
			return err
		}
		if v.Status != openecs.NetAvailable {
			return openecs.ErrIncorrectVSwitchDelete
		}
		if n, err := tx.CountInstances(openecs.InstanceFilter{VSwitchID: v.ID}); err != nil || n > 0 {
			return errOr(err, openecs.ErrVSwitchHasResources)
		}
		if n, err := tx.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{VSwitchID: v.ID}); err != nil || n > 0 {
			return errOr(err, openecs.ErrVSwitchHasResources)
		}
		if err := tx.DeleteVSwitch(v.ID); err != nil {
			return err
		}
		return event(tx, tx.Now(), c.AccountID, openecs.EventNetworkDeleted, v.ID, c.Action, nil)
	})
}
