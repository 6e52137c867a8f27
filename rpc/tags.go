package rpc

import (
	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// DescribeTagsResponse is DescribeTags' answer.
type DescribeTagsResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	Tags       struct {
		Tag []WireTagCount `json:"Tag" xml:"Tag"`
	} `json:"Tags" xml:"Tags"`
}

// WireTagCount is one tag with how many resources of each type carry it.
type WireTagCount struct {
	TagKey            string                `json:"TagKey" xml:"TagKey"`
	TagValue          string                `json:"TagValue" xml:"TagValue"`
	ResourceTypeCount WireResourceTypeCount `json:"ResourceTypeCount" xml:"ResourceTypeCount"`
}

// WireResourceTypeCount counts per resource type (the real API's key case).
type WireResourceTypeCount struct {
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

func wireTypeCount(n map[service.TagResourceType]int) WireResourceTypeCount {
	return WireResourceTypeCount{
		Instance: n[service.TagInstance], Disk: n[service.TagDisk], Volume: n[service.TagVolume], Image: n[service.TagImage],
		Snapshot: n[service.TagSnapshot], Securitygroup: n[service.TagSecurityGroup], LaunchTemplate: n[service.TagLaunchTemplate],
		Eni: n[service.TagENI], Ddh: n[service.TagDedicatedHost], KeyPair: n[service.TagKeyPair],
		SnapshotPolicy: n[service.TagSnapshotPolicy], ReservedInstance: n[service.TagReservedInstance],
	}
}

// describeTags (the older tag API) counts the tags of the caller's resources
// in a region: of one ResourceType, optionally one ResourceId, optionally
// only those carrying Tag.N. Public images carry no tags, so
// ResourceType=image answers an empty list. Errors: MissingParameter
// (RegionId), InvalidRegionId.NotFound, InvalidResourceType.NotFound (404),
// InvalidTagKey.Malformed (a Tag.N without a Key), InvalidParameter (paging,
// Category).
func describeTags(c *Call) (any, error) {
	p := c.P
	q := service.TagQuery{RegionID: c.region(true), ResourceID: p.Str("ResourceId")}
	q.Type = service.TagResourceType(p.enumCode("ResourceType", "", openecs.ErrResourceTypeNotFound, names(service.TagResourceTypes)...))
	for _, m := range p.Structs("Tag", 20) {
		if m["Key"] == "" {
			p.Fail(openecs.ErrInvalidTagKey)
		}
		q.Tags = append(q.Tags, openecs.Tag{Key: m["Key"], Value: m["Value"]})
	}
	category := p.Enum("Category", "", "Custom", "System")
	q.PageNumber = p.Int("PageNumber", 1, 1, 1<<30)
	q.PageSize = p.Int("PageSize", 50, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &DescribeTagsResponse{PageNumber: q.PageNumber, PageSize: q.PageSize}
	out.Tags.Tag = []WireTagCount{}
	if category == "System" {
		return out, nil // OpenECS keeps no system (acs:) tags
	}
	page, err := c.Svc().DescribeTags(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out.TotalCount = page.TotalCount
	for _, t := range page.Tags {
		out.Tags.Tag = append(out.Tags.Tag, WireTagCount{TagKey: t.Tag.Key, TagValue: t.Tag.Value, ResourceTypeCount: wireTypeCount(t.Counts)})
	}
	return out, nil
}
