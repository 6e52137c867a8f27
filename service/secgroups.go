package service

import (
	"context"

	"github.com/openecs/openecs"
)

// Security groups (docs/networks.md, "Security groups").

// CreateSecurityGroupRequest is CreateSecurityGroup.
type CreateSecurityGroupRequest struct {
	RegionID        string
	VpcID           string
	Name            string
	Description     string
	Type            openecs.SecurityGroupType // "": normal
	ResourceGroupID string
	Tags            []openecs.Tag
	Idem            Idem
}

// CreateSecurityGroup creates a security group in one of the caller's VPCs.
//
// Errors: InvalidVpcId.NotFound (403 without VpcId, 404 for another
// account's or an unknown VPC), IncorrectVpcStatus,
// IdempotentParameterMismatch.
func (s *Service) CreateSecurityGroup(ctx context.Context, c Caller, r CreateSecurityGroupRequest) (string, error) {
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return "", openecs.ErrRegionNotFound
	}
	if r.VpcID == "" {
		return "", openecs.ErrSecurityGroupVpcRequired
	}
	if r.Type == "" {
		r.Type = openecs.SecurityGroupNormal
	}
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (string, error) {
		vpc, err := ownVpc(tx, c.AccountID, region.ID, r.VpcID)
		if err != nil {
			return "", err
		}
		if vpc.Status != openecs.NetAvailable {
			return "", openecs.ErrIncorrectVpcStatus
		}
		now := tx.Now()
		g := &openecs.SecurityGroup{ID: openecs.NewResourceID("sg", region.Code), AccountID: c.AccountID, RegionID: region.ID, VpcID: vpc.ID,
			Name: r.Name, Description: r.Description, Type: r.Type, ResourceGroupID: r.ResourceGroupID, CreatedAt: now}
		if err := tx.InsertSecurityGroup(g); err != nil {
			return "", err
		}
		if err := putTags(tx, c.AccountID, region.ID, openecs.TagSecurityGroup, g.ID, r.Tags); err != nil {
			return "", err
		}
		return g.ID, event(tx, now, c.AccountID, openecs.EventNetworkCreated, g.ID, c.Action, map[string]any{"vpc_id": vpc.ID})
	})
}

// GroupView is a security group as DescribeSecurityGroups shows it.
type GroupView struct {
	*openecs.SecurityGroup
	Instances  int // instances in the group
	Rules      int
	GroupRules int // rules naming another group
	Tags       []openecs.Tag
}

func groupView(r openecs.Reader, g *openecs.SecurityGroup) (GroupView, error) {
	out := GroupView{SecurityGroup: g}
	var err error
	if out.Instances, err = r.CountInstances(openecs.InstanceFilter{SecurityGroup: g.ID}); err != nil {
		return out, err
	}
	rules, err := r.SecurityGroupRules(g.ID)
	if err != nil {
		return out, err
	}
	out.Rules = len(rules)
	for _, ru := range rules {
		if ru.SourceGroupID != "" || ru.DestGroupID != "" {
			out.GroupRules++
		}
	}
	out.Tags, err = r.ResourceTags(openecs.TagSecurityGroup, g.ID)
	return out, err
}

// GroupQuery is DescribeSecurityGroups: paged by number, or by token
// (ByToken, Filter.AfterSeq).
type GroupQuery struct {
	Filter  openecs.SecurityGroupFilter // the caller's account is set here
	Page    Page
	ByToken bool
}

// GroupPage is one page of DescribeSecurityGroups.
type GroupPage struct {
	Groups  []GroupView
	Total   int
	NextSeq int64 // the token of the next page; 0 on the last
}

// DescribeSecurityGroups lists the caller's security groups, oldest first.
func (s *Service) DescribeSecurityGroups(ctx context.Context, c Caller, q GroupQuery) (*GroupPage, error) {
	out := &GroupPage{Groups: []GroupView{}}
	f := q.Filter
	f.AccountID, f.Limit = c.AccountID, q.Page.Size
	if !q.ByToken {
		f.Offset = q.Page.offset()
	} else {
		f.Limit++
	}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.Groups, out.NextSeq = out.Groups[:0], 0
		var err error
		if out.Total, err = r.CountSecurityGroups(f); err != nil {
			return err
		}
		gs, err := r.SecurityGroups(f)
		if err != nil {
			return err
		}
		if q.ByToken && len(gs) > q.Page.Size {
			gs = gs[:q.Page.Size]
			out.NextSeq = gs[len(gs)-1].Seq
		}
		for _, g := range gs {
			view, err := groupView(r, g)
			if err != nil {
				return err
			}
			out.Groups = append(out.Groups, view)
		}
		return nil
	})
	return out, err
}

// GroupAttributes is DescribeSecurityGroupAttribute's answer.
type GroupAttributes struct {
	Group *openecs.SecurityGroup
	Rules []openecs.SecurityGroupRule
	Next  int // the offset of the next page of rules; 0 on the last
}

// DescribeSecurityGroupAttribute returns a group of the caller with its
// rules in one direction ("" or all: both), a page of at most limit rules
// from offset.
//
// Errors: InvalidSecurityGroupId.NotFound (404).
func (s *Service) DescribeSecurityGroupAttribute(ctx context.Context, c Caller, regionID, id string, dir openecs.RuleDirection, offset, limit int) (*GroupAttributes, error) {
	out := &GroupAttributes{}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		g, err := ownGroup(r, c.AccountID, regionID, id)
		if err != nil {
			return err
		}
		rules, err := r.SecurityGroupRules(g.ID)
		if err != nil {
			return err
		}
		out.Group, out.Rules, out.Next = g, []openecs.SecurityGroupRule{}, 0
		for _, ru := range rules {
			if dir == "" || ru.Direction == dir {
				out.Rules = append(out.Rules, ru)
			}
		}
		out.Rules = out.Rules[min(offset, len(out.Rules)):]
		if limit > 0 && len(out.Rules) > limit {
			out.Rules, out.Next = out.Rules[:limit], offset+limit
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ModifyGroupRequest is ModifySecurityGroupAttribute; nil fields are left
// as they are.
type ModifyGroupRequest struct {
	RegionID    string
	GroupID     string
	Name        *string
	Description *string
}

// ModifySecurityGroupAttribute renames a group or changes its description.
//
// Errors: InvalidSecurityGroupId.NotFound.
func (s *Service) ModifySecurityGroupAttribute(ctx context.Context, c Caller, r ModifyGroupRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		g, err := ownGroup(tx, c.AccountID, r.RegionID, r.GroupID)
		if err != nil {
			return err
		}
		if r.Name != nil {
			g.Name = *r.Name
		}
		if r.Description != nil {
			g.Description = *r.Description
		}
		return tx.UpdateSecurityGroup(g)
	})
}

// DeleteSecurityGroup deletes a group no instance uses and no other group's
// rule names.
//
// Errors: InvalidSecurityGroupId.NotFound, DependencyViolation (403: an
// instance in it; another group authorizes it).
func (s *Service) DeleteSecurityGroup(ctx context.Context, c Caller, regionID, id string) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		g, err := ownGroup(tx, c.AccountID, regionID, id)
		if err != nil {
			return err
		}
		if n, err := tx.CountInstances(openecs.InstanceFilter{SecurityGroup: g.ID}); err != nil || n > 0 {
			return errOr(err, openecs.ErrSecurityGroupInUse)
		}
		if n, err := tx.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{SecurityGroupID: g.ID}); err != nil || n > 0 {
			return errOr(err, openecs.ErrSecurityGroupInUse)
		}
		if n, err := tx.CountRulesReferencing(g.ID); err != nil || n > 0 {
			return errOr(err, openecs.ErrSecurityGroupReferenced)
		}
		if err := tx.DeleteSecurityGroup(g.ID); err != nil {
			return err
		}
		return event(tx, tx.Now(), c.AccountID, openecs.EventNetworkDeleted, g.ID, c.Action, nil)
	})
}
