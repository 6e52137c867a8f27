package service

import (
	"context"
	"slices"
	"strings"

	"github.com/openecs/openecs"
)

// Instance attributes (docs/instance-changes.md): DescribeInstanceAttribute,
// ModifyInstanceAttribute, DescribeUserData, DescribeInstanceRamRole,
// DescribeInstanceMaintenanceAttributes, ModifyInstanceMaintenanceAttributes,
// DescribeInstanceAttachmentAttributes, DescribeInstanceAutoRenewAttribute.

// InstanceAttribute returns one of the caller's instances
// (DescribeInstanceAttribute).
//
// Errors: InvalidInstanceId.NotFound.
func (s *Service) InstanceAttribute(ctx context.Context, c Caller, regionID, id string) (*openecs.Instance, error) {
	in, _, err := s.InstanceWithEip(ctx, c, regionID, id)
	return in, err
}

// InstanceWithEip returns one of the caller's instances and the elastic IP
// address associated with it (nil if none), read together.
//
// Errors: InvalidInstanceId.NotFound.
func (s *Service) InstanceWithEip(ctx context.Context, c Caller, regionID, id string) (*openecs.Instance, *openecs.Eip, error) {
	var in *openecs.Instance
	var eip *openecs.Eip
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		if in, err = s.ownInstance(r, c, id, regionID); err != nil {
			return err
		}
		eips, err := instanceEips(r, c.AccountID, []string{in.ID})
		eip = eips[in.ID]
		return err
	})
	return in, eip, err
}

// ModifyAttributeRequest is ModifyInstanceAttribute; nil fields are left as
// they are.
type ModifyAttributeRequest struct {
	RegionID            string
	InstanceID          string
	Name                *string
	Description         *string
	HostName            *string
	Password            *string // checked by the transport; never stored or shown
	UserData            *string // base64, checked by the transport; "" removes it
	DeletionProtection  *bool
	CreditSpecification *string
	EnableJumboFrame    *bool
	SecurityGroupIDs    []string // nil: unchanged; else the instance's groups from now on
	Idem                Idem
}

// ModifyInstanceAttribute changes an instance's name, description, host
// name, password, user data, deletion protection, credit mode, jumbo frames
// or security groups (the named ones replace all of them). The new values show on the next DescribeInstances. A new host
// name, password or user data reaches the guest at its next start, as on the
// real service (which asks for a restart).
//
// Errors, in check order: InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, InvalidHostName.Malformed (the Windows rules),
// InvalidPassword.Malformed (a Windows password starting with "/"),
// IncorrectInstanceStatus (a password while the instance is Starting; user
// data while it is neither Running nor Stopped),
// then for SecurityGroupIds: IncorrectInstanceStatus (neither Running nor
// Stopped), InstanceSecurityGroupLimitExceeded (more than five),
// InvalidSecurityGroupId.NotFound, InvalidInstanceId.Mismatch (another VPC),
// SecurityGroupInstanceLimitExceeded (a new group is full); then
// IdempotentParameterMismatch.
func (s *Service) ModifyInstanceAttribute(ctx context.Context, c Caller, r ModifyAttributeRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		now := tx.Now()
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		if in.HasLock(openecs.LockSecurity) {
			return struct{}{}, openecs.ErrInstanceLockedForSecurity
		}
		var changed []string
		if r.HostName != nil {
			host := strings.ReplaceAll(*r.HostName, openecs.InstanceIDPlaceholder, in.ID)
			if img, ok := s.cat.Image(in.ImageID); ok {
				if err := checkNames(RunRequest{HostName: host}, img); err != nil {
					return struct{}{}, err
				}
			}
			in.HostName, changed = host, append(changed, "HostName")
		}
		if r.Password != nil {
			if in.OSType == "windows" && strings.HasPrefix(*r.Password, "/") {
				return struct{}{}, openecs.ErrInvalidPassword.With("The specified parameter \"Password\" is not valid: a Windows password must not start with \"/\".")
			}
			if in.Status == openecs.StatusStarting || in.Status == openecs.StatusPending {
				return struct{}{}, openecs.ErrIncorrectInstanceStatus
			}
			changed = append(changed, "Password")
		}
		if r.UserData != nil {
			if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
				return struct{}{}, openecs.ErrIncorrectInstanceStatus
			}
			if err := tx.PutUserData(in.ID, *r.UserData); err != nil {
				return struct{}{}, err
			}
			changed = append(changed, "UserData")
		}
		if r.Name != nil {
			in.Name, changed = *r.Name, append(changed, "InstanceName")
			if in.Name == "" {
				in.Name = in.ID
			}
		}
		if r.Description != nil {
			in.Description, changed = *r.Description, append(changed, "Description")
		}
		if r.DeletionProtection != nil {
			in.DeletionProtection, changed = *r.DeletionProtection, append(changed, "DeletionProtection")
		}
		if r.CreditSpecification != nil {
			in.CreditSpecification, changed = *r.CreditSpecification, append(changed, "CreditSpecification")
		}
		if r.EnableJumboFrame != nil {
			in.EnableJumboFrame, changed = *r.EnableJumboFrame, append(changed, "EnableJumboFrame")
		}
		groupsChanged := false
		if r.SecurityGroupIDs != nil {
			groups, err := replacementGroups(tx, in, r.SecurityGroupIDs)
			if err != nil {
				return struct{}{}, err
			}
			if !slices.Equal(groups, in.SecurityGroupIDs) {
				in.SecurityGroupIDs, groupsChanged, changed = groups, true, append(changed, "SecurityGroupIds")
			}
		}
		if len(changed) == 0 {
			return struct{}{}, nil
		}
		if err := tx.UpdateInstance(in); err != nil {
			return struct{}{}, err
		}
		if groupsChanged {
			if err := setInterfaceGroups(tx, in); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, event(tx, now, in.AccountID, openecs.EventInstanceModified, in.ID, c.Action, map[string]any{"changed": changed})
	})
	return err
}

// UserData returns an instance's user data (base64; "" if none).
//
// Errors: InvalidInstanceId.NotFound.
func (s *Service) UserData(ctx context.Context, c Caller, regionID, id string) (string, error) {
	var out string
	err := s.store.View(ctx, func(r openecs.Reader) error {
		in, err := s.ownInstance(r, c, id, regionID)
		if err != nil {
			return err
		}
		out, err = r.UserData(in.ID)
		return err
	})
	return out, err
}

// InstancePage is a page of the caller's instances for the attribute
// queries that list several.
type InstancePage struct {
	Instances  []*openecs.Instance
	TotalCount int
}

// InstancesByID returns the caller's instances in the region among ids (all
// of them when ids is nil), in creation order, one page of them (pageSize 0:
// all); ids that name no instance of the caller's are left out.
func (s *Service) InstancesByID(ctx context.Context, c Caller, regionID string, ids []string, pageNumber, pageSize int) (*InstancePage, error) {
	f := openecs.InstanceFilter{AccountID: c.AccountID, RegionID: regionID, IDs: ids}
	var out InstancePage
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		if out.TotalCount, err = r.CountInstances(f); err != nil {
			return err
		}
		if pageSize > 0 {
			f.Offset, f.Limit = (max(pageNumber, 1)-1)*pageSize, pageSize
		}
		out.Instances, err = r.Instances(f)
		return err
	})
	return &out, err
}

// MaintenanceChange is ModifyInstanceMaintenanceAttributes; nil fields are
// left as they are.
type MaintenanceChange struct {
	RegionID    string
	InstanceIDs []string
	Windows     *[]openecs.MaintenanceWindow
	Action      *string
	Notify      *bool
}

// ModifyInstanceMaintenanceAttributes sets the maintenance windows, action
// and notice of instances; every instance must be the caller's.
//
// Errors: InvalidInstanceId.NotFound.
func (s *Service) ModifyInstanceMaintenanceAttributes(ctx context.Context, c Caller, m MaintenanceChange) error {
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		now := tx.Now()
		for _, id := range dedupe(m.InstanceIDs) {
			in, err := s.ownInstance(tx, c, id, m.RegionID)
			if err != nil {
				return struct{}{}, err
			}
			if m.Windows != nil {
				in.Maintenance.Windows = *m.Windows
			}
			if m.Action != nil {
				in.Maintenance.Action = *m.Action
			}
			if m.Notify != nil {
				in.Maintenance.Notify = *m.Notify
			}
			if err := tx.UpdateInstance(in); err != nil {
				return struct{}{}, err
			}
			if err := event(tx, now, in.AccountID, openecs.EventInstanceModified, in.ID, c.Action,
				map[string]any{"changed": []string{"Maintenance"}}); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}

// AutoRenewQuery is DescribeInstanceAutoRenewAttribute.
type AutoRenewQuery struct {
	RegionID      string
	InstanceIDs   []string
	RenewalStatus string // AutoRenewal, Normal, NotRenewal or "" (any)
	PageNumber    int
	PageSize      int
}

// RenewalStatus is an instance's RenewalStatus.
func RenewalStatus(in *openecs.Instance) string {
	if in.AutoRenew {
		return "AutoRenewal"
	}
	if in.NotRenewal {
		return "NotRenewal"
	}
	return "Normal"
}

// InstanceAutoRenewAttributes answers DescribeInstanceAutoRenewAttribute:
// the caller's subscription instances among the ids (or all of them, with a
// RenewalStatus), with that status if one is given.
//
// Errors: InvalidParameter.InvalidInstanceId (an id that is not the
// caller's), ChargeTypeViolation (a pay-as-you-go instance named by id).
func (s *Service) InstanceAutoRenewAttributes(ctx context.Context, c Caller, q AutoRenewQuery) (*InstancePage, error) {
	var match []*openecs.Instance
	err := s.store.View(ctx, func(r openecs.Reader) error {
		f := openecs.InstanceFilter{AccountID: c.AccountID, RegionID: q.RegionID}
		if q.InstanceIDs != nil {
			for _, id := range dedupe(q.InstanceIDs) {
				in, err := s.ownInstance(r, c, id, q.RegionID)
				if err == openecs.ErrInstanceNotFound {
					return openecs.ErrRenewInvalidID.With("The specified InstanceId %s does not exist.", id)
				}
				if err != nil {
					return err
				}
				if in.ChargeType != openecs.PrePaid {
					return openecs.ErrAutoRenewPostPaid
				}
			}
			f.IDs = q.InstanceIDs
		} else {
			f.ChargeType = openecs.PrePaid
		}
		ins, err := r.Instances(f)
		if err != nil {
			return err
		}
		for _, in := range ins {
			if q.RenewalStatus == "" || RenewalStatus(in) == q.RenewalStatus {
				match = append(match, in)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &InstancePage{TotalCount: len(match)}
	from := min((q.PageNumber-1)*q.PageSize, len(match))
	out.Instances = match[from:min(from+q.PageSize, len(match))]
	return out, nil
}
