package service

import (
	"context"
	"errors"

	"github.com/openecs/openecs"
)

// Tags of VPCs, vSwitches, route tables, security groups and EIPs, in the
// shared tag store (docs/networks.md, "Tags"). The VPC API tags them with these
// calls; the ECS API's tag calls reach security groups through the
// securitygroup row of tagStores (tagresources.go). TagErrors says which
// codes an API answers with.

// TagErrors are the errors one API answers tag calls with.
type TagErrors struct {
	UnknownType *openecs.Error // a ResourceType the API does not tag
	NotFound    *openecs.Error // a ResourceId that is not the caller's
	Quota       *openecs.Error // more than MaxResourceTags on a resource
}

// VpcTagErrors are the VPC API's.
var VpcTagErrors = TagErrors{UnknownType: openecs.ErrVpcTagType, NotFound: openecs.ErrVpcTagResource, Quota: openecs.ErrVpcTagQuota}

// TagRequest is TagResources: every resource gets every tag.
type TagRequest struct {
	RegionID string
	Type     openecs.TagResourceType
	IDs      []string
	Tags     []openecs.Tag
	Errors   TagErrors
}

// NetTagResources adds tags to (or changes the value of tags of) the caller's
// resources, all or none.
func (s *Service) NetTagResources(ctx context.Context, c Caller, r TagRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		for _, id := range r.IDs {
			if err := ownTagged(tx, c.AccountID, r.RegionID, r.Type, id, r.Errors); err != nil {
				return err
			}
			old, err := tx.ResourceTags(r.Type, id)
			if err != nil {
				return err
			}
			keys := map[string]bool{}
			for _, t := range old {
				keys[t.Key] = true
			}
			for _, t := range r.Tags {
				keys[t.Key] = true
			}
			if len(keys) > MaxResourceTags {
				return r.Errors.Quota
			}
			if err := putTags(tx, c.AccountID, r.RegionID, r.Type, id, r.Tags); err != nil {
				return err
			}
		}
		return nil
	})
}

// UntagRequest is UntagResources (UnTagResources in the VPC API).
type UntagRequest struct {
	RegionID string
	Type     openecs.TagResourceType
	IDs      []string
	Keys     []string
	All      bool // remove every tag (when Keys is empty)
	Errors   TagErrors
}

// NetUntagResources removes tags from the caller's resources; a key a
// resource does not have is ignored.
func (s *Service) NetUntagResources(ctx context.Context, c Caller, r UntagRequest) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		for _, id := range r.IDs {
			if err := ownTagged(tx, c.AccountID, r.RegionID, r.Type, id, r.Errors); err != nil {
				return err
			}
			keys := r.Keys
			if len(keys) == 0 {
				if !r.All {
					continue
				}
				keys = nil
			}
			if err := tx.DeleteResourceTags(r.Type, id, keys); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListTagsRequest is ListTagResources.
type ListTagsRequest struct {
	RegionID string
	Type     openecs.TagResourceType
	IDs      []string
	Tags     []openecs.Tag // resources carrying every one of these
	After    [2]string     // the page token: resource id and key of the last tag shown
	Limit    int
}

// NetListTagResources lists the tags of the caller's resources of a type, by
// resource and key. A resource id that is not the caller's lists nothing.
// More reports whether another page follows.
func (s *Service) NetListTagResources(ctx context.Context, c Caller, r ListTagsRequest) (tags []openecs.ResourceTag, more bool, err error) {
	err = s.store.View(ctx, func(rd openecs.Reader) error {
		var err error
		tags, err = rd.ListResourceTags(openecs.ResourceTagFilter{AccountID: c.AccountID, RegionID: r.RegionID, ResourceType: r.Type,
			ResourceIDs: r.IDs, Tags: r.Tags, AfterResource: r.After[0], AfterKey: r.After[1], Limit: r.Limit + 1})
		return err
	})
	if len(tags) > r.Limit {
		tags, more = tags[:r.Limit], true
	}
	return tags, more, err
}

// ownTagged checks that a resource of the type exists, is the caller's and
// is in the region.
func ownTagged(r openecs.Reader, accountID, regionID string, t openecs.TagResourceType, id string, e TagErrors) error {
	var err error
	switch t {
	case openecs.TagVpc:
		_, err = ownVpc(r, accountID, regionID, id)
	case openecs.TagRouteTable:
		var v *openecs.Vpc
		v, err = r.VpcByRouteTable(id)
		if err == nil && (v.AccountID != accountID || v.RegionID != regionID) {
			err = openecs.ErrNotFound
		}
	case openecs.TagVSwitch:
		_, err = ownVSwitch(r, accountID, regionID, id, openecs.ErrVSwitchNotExist)
	case openecs.TagSecurityGroup:
		_, err = ownGroup(r, accountID, regionID, id)
	case openecs.TagEip:
		_, err = ownEip(r, accountID, regionID, id)
	default:
		return e.UnknownType
	}
	if err == nil {
		return nil
	}
	if _, ok := openecs.AsError(err); ok || errors.Is(err, openecs.ErrNotFound) {
		return e.NotFound
	}
	return err
}

// putTags stores tags of a resource of the caller.
func putTags(tx openecs.Tx, accountID, regionID string, t openecs.TagResourceType, id string, tags []openecs.Tag) error {
	for _, tag := range tags {
		if err := tx.PutResourceTag(openecs.ResourceTag{ResourceType: t, ResourceID: id, AccountID: accountID, RegionID: regionID, Key: tag.Key, Value: tag.Value}); err != nil {
			return err
		}
	}
	return nil
}
