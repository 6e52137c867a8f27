package service

import (
	"context"
	"errors"
	"slices"

	"github.com/openecs/openecs"
)

// An instance's security groups after it runs (JoinSecurityGroup,
// LeaveSecurityGroup) and a group's inner access policy
// (ModifySecurityGroupPolicy); docs/networks.md.

// maxGroupsPerInstance is how many security groups an instance may be in.
const maxGroupsPerInstance = 5

// GroupMembership is JoinSecurityGroup or LeaveSecurityGroup: one instance,
// named by its id or by its primary network interface's, and one group.
type GroupMembership struct {
	RegionID           string // "" : any region (the instance names it)
	GroupID            string
	InstanceID         string
	NetworkInterfaceID string
	Idem               Idem
}

// JoinSecurityGroup puts a Running or Stopped instance (and its primary
// network interface) into one more security group of its VPC.
//
// Errors, in check order: InvalidInstanceId.NotFound (InvalidEniId.NotFound
// for an interface), InvalidSecurityGroupId.NotFound,
// InstanceLockedForSecurity, IncorrectInstanceStatus,
// InvalidInstanceId.Mismatch (another VPC), InvalidInstanceId.AlreadyExists,
// InstanceSecurityGroupLimitExceeded (five groups),
// SecurityGroupInstanceLimitExceeded, IdempotentParameterMismatch.
func (s *Service) JoinSecurityGroup(ctx context.Context, c Caller, r GroupMembership) error {
	return s.membership(ctx, c, r, func(tx openecs.Tx, in *openecs.Instance, g *openecs.SecurityGroup) ([]string, error) {
		if g.VpcID != in.VpcID {
			return nil, openecs.ErrInstanceGroupMismatch
		}
		if slices.Contains(in.SecurityGroupIDs, g.ID) {
			return nil, openecs.ErrInstanceInGroup
		}
		if len(in.SecurityGroupIDs) >= maxGroupsPerInstance {
			return nil, openecs.ErrInstanceGroupLimit
		}
		if err := checkGroupRoom(tx, g); err != nil {
			return nil, err
		}
		return append(slices.Clone(in.SecurityGroupIDs), g.ID), nil
	})
}

// LeaveSecurityGroup takes a Running or Stopped instance out of one of its
// security groups; an instance keeps at least one.
//
// Errors, in check order: InvalidInstanceId.NotFound (InvalidEniId.NotFound
// for an interface), InvalidSecurityGroupId.NotFound,
// InstanceLockedForSecurity, IncorrectInstanceStatus,
// InvalidSecurityGroupAssociation.NotFound (not in it),
// InstanceLastSecurityGroup, IdempotentParameterMismatch.
func (s *Service) LeaveSecurityGroup(ctx context.Context, c Caller, r GroupMembership) error {
	return s.membership(ctx, c, r, func(tx openecs.Tx, in *openecs.Instance, g *openecs.SecurityGroup) ([]string, error) {
		if !slices.Contains(in.SecurityGroupIDs, g.ID) {
			return nil, openecs.ErrInstanceNotInGroup
		}
		if len(in.SecurityGroupIDs) == 1 {
			return nil, openecs.ErrInstanceLastGroup
		}
		return slices.DeleteFunc(slices.Clone(in.SecurityGroupIDs), func(id string) bool { return id == g.ID }), nil
	})
}

// GroupCapacity is how many instances a group may hold: 2,000 in a normal
// group, 65,536 in an enterprise one.
func GroupCapacity(t openecs.SecurityGroupType) int {
	if t == openecs.SecurityGroupEnterprise {
		return 65536
	}
	return 2000
}

// checkGroupRoom answers SecurityGroupInstanceLimitExceeded when a group
// holds as many instances as it may.
func checkGroupRoom(tx openecs.Tx, g *openecs.SecurityGroup) error {
	n, err := tx.CountInstances(openecs.InstanceFilter{SecurityGroup: g.ID})
	if err != nil {
		return err
	}
	if n >= GroupCapacity(g.Type) {
		return openecs.ErrGroupInstanceLimit
	}
	return nil
}

// membership runs the checks Join and Leave share, then writes the groups
// change returns to the instance and its primary interface.
func (s *Service) membership(ctx context.Context, c Caller, r GroupMembership,
	change func(tx openecs.Tx, in *openecs.Instance, g *openecs.SecurityGroup) ([]string, error)) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		in, err := s.membershipInstance(tx, c, r)
		if err != nil {
			return struct{}{}, err
		}
		g, err := ownGroup(tx, c.AccountID, in.RegionID, r.GroupID)
		if err != nil {
			return struct{}{}, err
		}
		if in.HasLock(openecs.LockSecurity) {
			return struct{}{}, openecs.ErrInstanceLockedForSecurity
		}
		if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
			return struct{}{}, openecs.ErrIncorrectInstanceStatus
		}
		groups, err := change(tx, in, g)
		if err != nil {
			return struct{}{}, err
		}
		in.SecurityGroupIDs = groups
		if err := tx.UpdateInstance(in); err != nil {
			return struct{}{}, err
		}
		if err := setInterfaceGroups(tx, in); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), in.AccountID, openecs.EventInstanceModified, in.ID, c.Action,
			map[string]any{"changed": []string{"SecurityGroupIds"}, "security_group_ids": groups})
	})
	return err
}

// setInterfaceGroups gives an instance's primary interface the instance's
// groups. Every instance has its interface's row (RunInstances, the seeds and
// migration 0005 make one); were it missing, the instance's own groups, which
// DescribeInstances shows, have still changed.
func setInterfaceGroups(tx openecs.Tx, in *openecs.Instance) error {
	if in.NetworkInterfaceID == "" {
		return nil
	}
	err := tx.SetNetworkInterfaceGroups(in.NetworkInterfaceID, in.SecurityGroupIDs)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	return err
}

// replacementGroups checks the groups ModifyInstanceAttribute's
// SecurityGroupIds names for an instance and returns them in the order
// given, each once: the instance Running or Stopped, at most five groups,
// each the caller's, in the instance's region and VPC, and room in every
// group the instance is not in yet.
func replacementGroups(tx openecs.Tx, in *openecs.Instance, ids []string) ([]string, error) {
	if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
		return nil, openecs.ErrIncorrectInstanceStatus
	}
	var groups []string
	for _, id := range ids {
		if !slices.Contains(groups, id) {
			groups = append(groups, id)
		}
	}
	if len(groups) > maxGroupsPerInstance {
		return nil, openecs.ErrInstanceGroupLimit
	}
	for _, id := range groups {
		g, err := ownGroup(tx, in.AccountID, in.RegionID, id)
		if err != nil {
			return nil, err
		}
		if g.VpcID != in.VpcID {
			return nil, openecs.ErrInstanceGroupMismatch
		}
		if !slices.Contains(in.SecurityGroupIDs, id) {
			if err := checkGroupRoom(tx, g); err != nil {
				return nil, err
			}
		}
	}
	return groups, nil
}

// membershipInstance finds the instance a Join or Leave names, by its id or
// by its primary network interface's.
func (s *Service) membershipInstance(tx openecs.Tx, c Caller, r GroupMembership) (*openecs.Instance, error) {
	if r.NetworkInterfaceID == "" {
		return s.ownInstance(tx, c, r.InstanceID, r.RegionID)
	}
	n, err := tx.NetworkInterface(r.NetworkInterfaceID)
	if errors.Is(err, openecs.ErrNotFound) || (err == nil && (n.AccountID != c.AccountID || (r.RegionID != "" && n.RegionID != r.RegionID))) {
		return nil, openecs.ErrNetworkInterfaceNotFound
	}
	if err != nil {
		return nil, err
	}
	in, err := s.ownInstance(tx, c, n.InstanceID, "")
	if errors.Is(err, openecs.ErrInstanceNotFound) {
		return nil, openecs.ErrNetworkInterfaceNotFound
	}
	return in, err
}

// GroupPolicyRequest is ModifySecurityGroupPolicy.
type GroupPolicyRequest struct {
	RegionID string
	GroupID  string
	Policy   string // Accept or Drop
	Idem     Idem
}

// ModifySecurityGroupPolicy sets how the instances of a normal group reach
// each other (Accept or Drop); DescribeSecurityGroupAttribute shows it as
// InnerAccessPolicy.
//
// Errors: InvalidSecurityGroupId.NotFound, OperationDenied (an enterprise
// group, whose policy is always Drop), IdempotentParameterMismatch.
func (s *Service) ModifySecurityGroupPolicy(ctx context.Context, c Caller, r GroupPolicyRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		g, err := ownGroup(tx, c.AccountID, r.RegionID, r.GroupID)
		if err != nil {
			return struct{}{}, err
		}
		if g.Type == openecs.SecurityGroupEnterprise {
			return struct{}{}, openecs.ErrGroupPolicyEnterprise
		}
		if g.InnerPolicy() == r.Policy {
			return struct{}{}, nil
		}
		g.InnerAccessPolicy = r.Policy
		return struct{}{}, tx.UpdateSecurityGroup(g)
	})
	return err
}
