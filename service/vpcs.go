package service

import (
	"context"
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// VPCs and their system route tables (docs/networks.md, "VPCs").

// CreateVpcRequest is CreateVpc.
type CreateVpcRequest struct {
	RegionID        string
	CidrBlock       string // "": DefaultVpcCidr
	Name            string
	Description     string
	ResourceGroupID string
	Tags            []openecs.Tag
	DryRun          bool
	Idem            Idem
}

// CreateVpcResult is CreateVpc's answer.
type CreateVpcResult struct {
	VpcID           string `json:"vpc_id"`
	VRouterID       string `json:"vrouter_id"`
	RouteTableID    string `json:"route_table_id"`
	ResourceGroupID string `json:"resource_group_id"`
}

// vpcAvailableArgs is the payload of a JobVpcAvailable job (Ref: the VPC).
type vpcAvailableArgs struct{}

func (vpcAvailableArgs) Kind() openecs.JobKind { return openecs.JobVpcAvailable }

// CreateVpc creates a VPC with its system route table and vRouter: Pending,
// Available after the transition delay (at once with a zero delay).
//
// Errors: InvalidRegionId.NotFound, InvalidCidrBlock.Malformed,
// DryRunOperation, IdempotentParameterMismatch.
func (s *Service) CreateVpc(ctx context.Context, c Caller, r CreateVpcRequest) (*CreateVpcResult, error) {
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return nil, openecs.ErrRegionNotFound
	}
	if r.CidrBlock == "" {
		r.CidrBlock = DefaultVpcCidr
	}
	block, err := vpcBlock(r.CidrBlock)
	if err != nil {
		return nil, err
	}
	if r.DryRun {
		return nil, openecs.ErrDryRunOperation
	}
	res, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (CreateVpcResult, error) {
		now := tx.Now()
		v := &openecs.Vpc{ID: openecs.NewResourceID("vpc", region.Code), AccountID: c.AccountID, RegionID: region.ID, Name: r.Name,
			Description: r.Description, CidrBlock: block.String(), Status: openecs.NetPending,
			VRouterID: openecs.NewResourceID("vrt", region.Code), RouteTableID: openecs.NewResourceID("vtb", region.Code),
			ResourceGroupID: r.ResourceGroupID, CreatedAt: now}
		if err := settle(s, tx, v.ID, now, &v.Status, vpcAvailableArgs{}); err != nil {
			return CreateVpcResult{}, err
		}
		if err := tx.InsertVpc(v); err != nil {
			return CreateVpcResult{}, err
		}
		if err := putTags(tx, c.AccountID, region.ID, openecs.TagVpc, v.ID, r.Tags); err != nil {
			return CreateVpcResult{}, err
		}
		return CreateVpcResult{VpcID: v.ID, VRouterID: v.VRouterID, RouteTableID: v.RouteTableID, ResourceGroupID: v.ResourceGroupID},
			event(tx, now, c.AccountID, openecs.EventNetworkCreated, v.ID, c.Action, map[string]any{"cidr_block": v.CidrBlock})
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// settle makes a new VPC or vSwitch Available now when there is no
// transition delay, else leaves it Pending and schedules the job (args'
// kind) that ends that.
func settle[T jobArgs](s *Service, tx openecs.Tx, id string, now time.Time, status *openecs.NetStatus, args T) error {
	if s.cfg.TransitionDelay <= 0 {
		*status = openecs.NetAvailable
		return nil
	}
	*status = openecs.NetPending
	_, err := schedule(tx, id, now.Add(s.cfg.TransitionDelay), args)
	return err
}

// vpcAvailableJob makes a Pending VPC Available; a VPC gone or no longer
// Pending is left alone.
func (s *Service) vpcAvailableJob(tx openecs.Tx, j openecs.Job, _ vpcAvailableArgs) error {
	v, err := tx.Vpc(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil || v.Status != openecs.NetPending {
		return err
	}
	v.Status = openecs.NetAvailable
	return tx.UpdateVpc(v)
}

// VpcView is a VPC as the Describe calls show it.
type VpcView struct {
	*openecs.Vpc
	VSwitchIDs []string
	Tags       []openecs.Tag
}

func vpcView(r openecs.Reader, v *openecs.Vpc) (VpcView, error) {
	out := VpcView{Vpc: v, VSwitchIDs: []string{}}
	vsws, err := r.VSwitches(openecs.VSwitchFilter{VpcID: v.ID})
	if err != nil {
		return out, err
	}
	for _, w := range vsws {
		out.VSwitchIDs = append(out.VSwitchIDs, w.ID)
	}
	out.Tags, err = r.ResourceTags(openecs.TagVpc, v.ID)
	return out, err
}

// Page is a page request: PageNumber from 1.
type Page struct {
	Number int
	Size   int
}

func (p Page) offset() int { return (max(p.Number, 1) - 1) * p.Size }

// VpcQuery is DescribeVpcs.
type VpcQuery struct {
	Filter openecs.VpcFilter // the caller's account and region are set here
	Page   Page
}

// VpcPage is one page of DescribeVpcs.
type VpcPage struct {
	Vpcs  []VpcView
	Total int
}

// DescribeVpcs lists the caller's VPCs in a region, oldest first.
func (s *Service) DescribeVpcs(ctx context.Context, c Caller, q VpcQuery) (*VpcPage, error) {
	out := &VpcPage{Vpcs: []VpcView{}}
	f := q.Filter
	f.AccountID, f.Offset, f.Limit = c.AccountID, q.Page.offset(), q.Page.Size
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.Vpcs = out.Vpcs[:0]
		var err error
		if out.Total, err = r.CountVpcs(f); err != nil {
			return err
		}
		vs, err := r.Vpcs(f)
		if err != nil {
			return err
		}
		for _, v := range vs {
			view, err := vpcView(r, v)
			if err != nil {
				return err
			}
			out.Vpcs = append(out.Vpcs, view)
		}
		return nil
	})
	return out, err
}

// DescribeVpcAttribute returns one of the caller's VPCs.
//
// Errors: InvalidVpcId.NotFound (404).
func (s *Service) DescribeVpcAttribute(ctx context.Context, c Caller, regionID, id string) (*VpcView, error) {
	var out VpcView
	err := s.store.View(ctx, func(r openecs.Reader) error {
		v, err := ownVpc(r, c.AccountID, regionID, id)
		if err != nil {
			return err
		}
		out, err = vpcView(r, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ModifyVpcRequest is ModifyVpcAttribute; nil fields are left as they are.
type ModifyVpcRequest struct {
	RegionID    string
	VpcID       string
	Name        *string
	Description *string
	CidrBlock   string // "": unchanged
}

// ModifyVpcAttribute renames a VPC, changes its description or its block: a
// larger or smaller block at the same start, which must still hold every
// vSwitch of the VPC.
//
// Errors: InvalidVpcId.NotFound, IncorrectVpcStatus,
// InvalidCidrBlock.Malformed.
func (s *Service) ModifyVpcAttribute(ctx context.Context, c Caller, r ModifyVpcRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		v, err := ownVpc(tx, c.AccountID, r.RegionID, r.VpcID)
		if err != nil {
			return err
		}
		if r.CidrBlock != "" && r.CidrBlock != v.CidrBlock {
			if v.Status != openecs.NetAvailable {
				return openecs.ErrIncorrectVpcStatus
			}
			if err := checkVpcResize(tx, v, r.CidrBlock); err != nil {
				return err
			}
			v.CidrBlock = r.CidrBlock
		}
		if r.Name != nil {
			v.Name = *r.Name
		}
		if r.Description != nil {
			v.Description = *r.Description
		}
		return tx.UpdateVpc(v)
	})
}

// checkVpcResize checks a new block for a VPC: valid for a VPC, one of the
// old and new blocks holding the other, and every vSwitch inside it.
func checkVpcResize(tx openecs.Tx, v *openecs.Vpc, cidr string) error {
	nb, err := vpcBlock(cidr)
	if err != nil {
		return err
	}
	old, ok := parseBlock(v.CidrBlock)
	if !ok || !(within(old, nb) || within(nb, old)) {
		return openecs.ErrCidrMalformed.With("Specified CIDR block is not valid: the new block must contain, or lie in, the VPC's block %s.", v.CidrBlock)
	}
	vsws, err := tx.VSwitches(openecs.VSwitchFilter{VpcID: v.ID})
	if err != nil {
		return err
	}
	for _, w := range vsws {
		if b, ok := parseBlock(w.CidrBlock); ok && !within(nb, b) {
			return openecs.ErrCidrMalformed.With("Specified CIDR block is not valid: the vSwitch %s (%s) would lie outside it.", w.ID, w.CidrBlock)
		}
	}
	return nil
}

// DeleteVpcRequest is DeleteVpc.
type DeleteVpcRequest struct {
	RegionID string
	VpcID    string
	DryRun   bool
	Idem     Idem
}

// DeleteVpc deletes an empty VPC with its route table and vRouter.
//
// Errors: InvalidVpcId.NotFound, IncorrectVpcStatus (Pending),
// DependencyViolation.VSwitch, DependencyViolation.SecurityGroup,
// DryRunOperation.
func (s *Service) DeleteVpc(ctx context.Context, c Caller, r DeleteVpcRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		v, err := ownVpc(tx, c.AccountID, r.RegionID, r.VpcID)
		if err != nil {
			return struct{}{}, err
		}
		if v.Status != openecs.NetAvailable {
			return struct{}{}, openecs.ErrIncorrectVpcStatus
		}
		if n, err := tx.CountVSwitches(openecs.VSwitchFilter{VpcID: v.ID}); err != nil || n > 0 {
			return struct{}{}, errOr(err, openecs.ErrVpcHasVSwitches)
		}
		if n, err := tx.CountSecurityGroups(openecs.SecurityGroupFilter{VpcID: v.ID}); err != nil || n > 0 {
			return struct{}{}, errOr(err, openecs.ErrVpcHasSecurityGroups)
		}
		if r.DryRun {
			return struct{}{}, openecs.ErrDryRunOperation
		}
		if err := tx.DeleteVpc(v.ID); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), c.AccountID, openecs.EventNetworkDeleted, v.ID, c.Action, nil)
	})
	return err
}

// errOr returns err if there is one, else e.
func errOr(err error, e *openecs.Error) error {
	if err != nil {
		return err
	}
	return e
}

// RouteTableQuery is DescribeRouteTableList. Every VPC has one route table,
// its system table; Custom tables and VBR routers do not exist here.
type RouteTableQuery struct {
	RegionID       string
	VpcID          string
	RouterID       string
	RouterType     string // VRouter or VBR
	RouteTableID   string
	RouteTableType string // System or Custom
	RouteTableName string
	Tags           []openecs.Tag
	Page           Page
}

// RouteTableView is a VPC's system route table.
type RouteTableView struct {
	Vpc        *openecs.Vpc
	VSwitchIDs []string
	Tags       []openecs.Tag
}

// RouteTablePage is one page of DescribeRouteTableList.
type RouteTablePage struct {
	Tables []RouteTableView
	Total  int
}

// DescribeRouteTableList lists the system route tables of the caller's VPCs.
func (s *Service) DescribeRouteTableList(ctx context.Context, c Caller, q RouteTableQuery) (*RouteTablePage, error) {
	out := &RouteTablePage{Tables: []RouteTableView{}}
	if (q.RouteTableType != "" && q.RouteTableType != "System") || (q.RouterType != "" && q.RouterType != "VRouter") || q.RouteTableName != "" {
		return out, nil // only unnamed system tables of vRouters exist
	}
	f := openecs.VpcFilter{AccountID: c.AccountID, RegionID: q.RegionID, VRouterID: q.RouterID, RouteTableID: q.RouteTableID,
		Offset: q.Page.offset(), Limit: q.Page.Size}
	if q.VpcID != "" {
		f.IDs = []string{q.VpcID}
	}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.Tables = out.Tables[:0]
		vs, err := r.Vpcs(f)
		if err != nil {
			return err
		}
		for _, v := range vs {
			tags, err := r.ResourceTags(openecs.TagRouteTable, v.RouteTableID)
			if err != nil {
				return err
			}
			if !hasTags(tags, q.Tags) {
				continue
			}
			view, err := vpcView(r, v)
			if err != nil {
				return err
			}
			out.Tables = append(out.Tables, RouteTableView{Vpc: v, VSwitchIDs: view.VSwitchIDs, Tags: tags})
		}
		if len(q.Tags) > 0 {
			out.Total = len(out.Tables)
			return nil
		}
		out.Total, err = r.CountVpcs(f)
		return err
	})
	return out, err
}

// hasTags reports whether tags hold every tag of want (a wanted tag without
// a value matches any value of its key).
func hasTags(tags, want []openecs.Tag) bool {
	for _, w := range want {
		found := false
		for _, t := range tags {
			if t.Key == w.Key && (w.Value == "" || t.Value == w.Value) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}
