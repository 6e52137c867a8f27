package rpc

import (
	"strconv"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// The ECS tag actions: TagResources, UntagResources, ListTagResources,
// DescribeTags (docs/disks.md, "Tags").

// tagTarget reads ResourceType (required): InvalidResourceType.NotFound for
// a type ECS does not tag.
func tagTarget(p *Params, notFound *openecs.Error) service.TagTarget {
	s := strings.ToLower(p.Str("ResourceType"))
	if s == "" {
		return ""
	}
	for _, t := range service.TagTargets {
		if string(t) == s {
			return t
		}
	}
	p.Fail(notFound)
	return ""
}

// countIndexed counts the distinct N of the parameters prefix.N[.…].
func countIndexed(p *Params, prefix string) int {
	seen := map[string]bool{}
	for k := range p.v {
		if rest, ok := strings.CutPrefix(k, prefix+"."); ok {
			n, _, _ := strings.Cut(rest, ".")
			seen[n] = true
		}
	}
	return len(seen)
}

// resourceIDs reads ResourceId.N (1 to 50, no repeats).
func resourceIDs(p *Params, required bool) []string {
	if countIndexed(p, "ResourceId") > 50 {
		p.Fail(openecs.ErrResourceIDsTooMany)
		return nil
	}
	ids := p.List("ResourceId", 50)
	if required && len(ids) == 0 {
		p.Fail(openecs.Missing("ResourceId.1"))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			p.Fail(openecs.ErrDuplicateResourceID)
		}
		seen[id] = true
	}
	return ids
}

// tagLimit fails with NumberExceed.Tags when more than 20 Tag.N are given.
func tagLimit(p *Params) {
	if countIndexed(p, "Tag") > MaxTags {
		p.Fail(openecs.ErrTagsTooMany)
	}
}

// tagResources answers TagResources. Errors: MissingParameter (RegionId,
// ResourceType, ResourceId.1, Tag.1.Key), InvalidResourceType.NotFound,
// NumberExceed.ResourceIds, Duplicate.ResourceId, NumberExceed.Tags,
// InvalidTagKey.Malformed, InvalidTagValue.Malformed, Duplicate.TagKey,
// InvalidResourceId.NotFound, OperationDenied.QuotaExceed.
func tagResources(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	p.Required("ResourceType")
	typ := tagTarget(p, openecs.ErrTagResourceType)
	ids := resourceIDs(p, true)
	tagLimit(p)
	tags := p.Tags("Tag")
	if len(tags) == 0 {
		p.Fail(openecs.Missing("Tag.1.Key"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().TagResources(c.Ctx, c.Caller, region, typ, ids, tags); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// untagResources answers UntagResources. Errors: MissingParameter
// (RegionId, ResourceType, ResourceId.1, TagKey.1 unless All),
// InvalidResourceType.NotFound, NumberExceed.ResourceIds,
// NumberExceed.Tags, InvalidResourceId.NotFound.
func untagResources(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	p.Required("ResourceType")
	typ := tagTarget(p, openecs.ErrTagResourceType)
	ids := resourceIDs(p, true)
	all := p.Bool("All", false)
	if countIndexed(p, "TagKey") > MaxTags {
		p.Fail(openecs.ErrTagsTooMany)
	}
	keys := p.List("TagKey", MaxTags)
	if len(keys) == 0 && !all {
		p.Fail(openecs.ErrMissingTagKeys)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().UntagResources(c.Ctx, c.Caller, region, typ, ids, keys, all); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListTagResourcesResponse is ListTagResources' answer.
type ListTagResourcesResponse struct {
	RequestId    string `json:"RequestId" xml:"RequestId"`
	NextToken    string `json:"NextToken" xml:"NextToken"`
	TagResources struct {
		TagResource []WireTagResource `json:"TagResource" xml:"TagResource"`
	} `json:"TagResources" xml:"TagResources"`
}

// WireTagResource is one tag of one resource.
type WireTagResource struct {
	ResourceId   string `json:"ResourceId" xml:"ResourceId"`
	ResourceType string `json:"ResourceType" xml:"ResourceType"`
	TagKey       string `json:"TagKey" xml:"TagKey"`
	TagValue     string `json:"TagValue" xml:"TagValue"`
}

// listTagPage is how many tags one ListTagResources page holds.
const listTagPage = 50

// listTagResources answers ListTagResources. Errors: MissingParameter
// (RegionId), MissingParameter.ResourceType, InvalidResourceType.NotFound
// (400), NumberExceed.ResourceIds, NumberExceed.Tags,
// InvalidTagKey.Malformed, InvalidParameter (NextToken).
func listTagResources(c *Call) (any, error) {
	p := c.P
	q := service.TagListing{RegionID: c.region(true), Limit: listTagPage}
	if p.Str("ResourceType") == "" && p.Err() == nil {
		p.Fail(openecs.ErrMissingResourceType)
	}
	q.Type = tagTarget(p, openecs.ErrListResourceType)
	if ids := resourceIDs(p, false); len(ids) > 0 {
		q.IDs = ids
	}
	tagLimit(p)
	q.Tags = tagFilter(p, openecs.ErrInvalidTagKey)
	for _, m := range p.Structs("TagFilter", 5) {
		f := service.TagFilter{Key: m["TagKey"]}
		if f.Key == "" {
			p.Fail(openecs.ErrInvalidTagKey)
		}
		for k, v := range m {
			if strings.HasPrefix(k, "TagValues.") && v != "" {
				f.Values = append(f.Values, v)
			}
		}
		q.Filters = append(q.Filters, f)
	}
	if tok := p.Str("NextToken"); tok != "" {
		n, err := strconv.ParseInt(tok, 16, 64)
		if err != nil || n <= 0 {
			p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
		}
		q.Offset = int(n)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, next, err := c.Svc().ListTagResources(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &ListTagResourcesResponse{}
	if next > 0 {
		out.NextToken = strconv.FormatInt(int64(next), 16)
	}
	out.TagResources.TagResource = make([]WireTagResource, 0, len(res))
	for _, r := range res {
		out.TagResources.TagResource = append(out.TagResources.TagResource,
			WireTagResource{ResourceId: r.ResourceID, ResourceType: string(r.Type), TagKey: r.Tag.Key, TagValue: r.Tag.Value})
	}
	return out, nil
}

// TagTallyResponse is DescribeTags' answer.
type TagTallyResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	Tags       struct {
		Tag []WireTagTally `json:"Tag" xml:"Tag"`
	} `json:"Tags" xml:"Tags"`
}

// WireTagTally is one tag with how many resources of each type carry it.
type WireTagTally struct {
	TagKey            string        `json:"TagKey" xml:"TagKey"`
	TagValue          string        `json:"TagValue" xml:"TagValue"`
	ResourceTypeCount WireTypeTally `json:"ResourceTypeCount" xml:"ResourceTypeCount"`
}

// WireTypeTally counts per resource type (the API's key case).
type WireTypeTally struct {
	Instance         int `json:"Instance" xml:"Instance"`
	Disk             int `json:"Disk" xml:"Disk"`
	Volume           int `json:"Volume" xml:"Volume"`
	Image            int `json:"Image" xml:"Image"`
	Snapshot         int `json:"Snapshot" xml:"Snapshot"`
	Securitygroup    int `json:"Securitygroup" xml:"Securitygroup"`
	LaunchTemplate   int `json:"LaunchTemplate" xml:"LaunchTemplate"`
	Eni              int `json:"Eni" xml:"Eni"`
	Ddh              int `json:"Ddh" xml:"Ddh"`
	KeyPair          int `json:"KeyPair" xml:"KeyPair"`
	SnapshotPolicy   int `json:"SnapshotPolicy" xml:"SnapshotPolicy"`
	ReservedInstance int `json:"ReservedInstance" xml:"ReservedInstance"`
}

func wireTypeTally(n map[service.TagTarget]int) WireTypeTally {
	return WireTypeTally{
		Instance: n[service.TagTargetInstance], Disk: n[service.TagTargetDisk], Volume: n[service.TagTargetVolume],
		Image: n[service.TagTargetImage], Snapshot: n[service.TagTargetSnapshot], Securitygroup: n[service.TagTargetSecurityGroup],
		LaunchTemplate: n[service.TagTargetLaunchTemplate], Eni: n[service.TagTargetENI], Ddh: n[service.TagTargetDDH],
		KeyPair: n[service.TagTargetKeyPair], SnapshotPolicy: n[service.TagTargetSnapshotPolicy], ReservedInstance: n[service.TagTargetReservedInstance],
	}
}

// describeResourceTags answers DescribeTags (the older tag API): the tags of
// the caller's resources in a region, counted by type; of one ResourceType,
// optionally one ResourceId, optionally only those carrying Tag.N. A public
// image carries no tags, so ResourceType=image answers an empty list.
// Errors: MissingParameter (RegionId), InvalidRegionId.NotFound,
// InvalidResourceType.NotFound (404), InvalidTagKey.Malformed (a Tag.N
// without a Key), InvalidParameter (paging, Category).
func describeResourceTags(c *Call) (any, error) {
	p := c.P
	q := service.TagTallyQuery{RegionID: c.region(true), ResourceID: p.Str("ResourceId")}
	q.Type = tagTarget(p, openecs.ErrTagResourceType)
	q.Tags = tagFilter(p, openecs.ErrInvalidTagKey)
	category := p.Enum("Category", "", "Custom", "System")
	q.PageNumber = p.Int("PageNumber", 1, 1, 1<<30)
	q.PageSize = p.Int("PageSize", 50, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &TagTallyResponse{PageNumber: q.PageNumber, PageSize: q.PageSize}
	out.Tags.Tag = []WireTagTally{}
	if category == "System" {
		return out, nil // OpenECS keeps no system (acs:) tags
	}
	tags, total, err := c.Svc().TallyTags(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out.TotalCount = total
	for _, t := range tags {
		out.Tags.Tag = append(out.Tags.Tag, WireTagTally{TagKey: t.Tag.Key, TagValue: t.Tag.Value, ResourceTypeCount: wireTypeTally(t.Counts)})
	}
	return out, nil
}
