package rpc

import (
	"encoding/base64"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Tags of network resources: the VPC API's TagResources, UnTagResources and
// ListTagResources (ResourceType VPC, VSWITCH, ROUTETABLE, EIP), in the shared tag
// store (service/nettags.go). The ECS API's tag actions (tagresources.go)
// reach security groups in the same store.

// vpcTagTypes maps the VPC API's ResourceType (any case) to the store's.
var vpcTagTypes = map[string]openecs.TagResourceType{
	"vpc": openecs.TagVpc, "vswitch": openecs.TagVSwitch, "routetable": openecs.TagRouteTable, "eip": openecs.TagEip,
}

// vpcTagType reads the VPC API's ResourceType; wire is the spelling to
// echo.
func vpcTagType(p *Params) (t openecs.TagResourceType, wire string) {
	wire = p.Required("ResourceType")
	if wire == "" {
		return "", ""
	}
	t, ok := vpcTagTypes[strings.ToLower(wire)]
	if !ok {
		p.Fail(openecs.ErrVpcTagType)
	}
	return t, strings.ToUpper(wire)
}

// maxTagResources is how many ResourceId.N one VPC API tag call takes.
const maxTagResources = 20

func tagResourceIDs(p *Params, max int, tooMany *openecs.Error) []string {
	ids := p.List("ResourceId", 50)
	if len(ids) > max {
		p.Fail(tooMany)
	}
	return ids
}

func vpcTagResources(c *Call) (any, error) {
	p := c.P
	r := service.TagRequest{RegionID: c.region(true), Errors: service.VpcTagErrors}
	r.Type, _ = vpcTagType(p)
	r.IDs = tagResourceIDs(p, maxTagResources, openecs.ErrVpcTagResourceIDs)
	r.Tags = vpcTags(p)
	if len(r.IDs) == 0 {
		p.Fail(openecs.Missing("ResourceId.1"))
	}
	if len(r.Tags) == 0 {
		p.Fail(openecs.Missing("Tag.1.Key"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().NetTagResources(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func vpcUntagResources(c *Call) (any, error) {
	p := c.P
	r := service.UntagRequest{RegionID: c.region(true), Errors: service.VpcTagErrors, All: p.Bool("All", false)}
	r.Type, _ = vpcTagType(p)
	r.IDs = tagResourceIDs(p, maxTagResources, openecs.ErrVpcTagResourceIDs)
	r.Keys = p.List("TagKey", MaxTags)
	if len(r.IDs) == 0 {
		p.Fail(openecs.Missing("ResourceId.1"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().NetUntagResources(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func vpcListTagResources(c *Call) (any, error) {
	p := c.P
	r := service.ListTagsRequest{RegionID: c.region(true), Limit: p.Int("MaxResults", 50, 1, 50)}
	var wire string
	r.Type, wire = vpcTagType(p)
	r.IDs = p.List("ResourceId", 50)
	r.Tags = tagFilter(p, openecs.ErrVpcTagKey)
	if len(r.IDs) == 0 {
		r.IDs = nil
		if len(r.Tags) == 0 && p.Err() == nil {
			p.Fail(openecs.ErrVpcTagBothEmpty)
		}
	}
	if tok := p.Str("NextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		id, key, ok := strings.Cut(string(b), "\n")
		if err != nil || !ok {
			p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
		}
		r.After = [2]string{id, key}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	tags, more, err := c.Svc().NetListTagResources(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &ListTagResourcesResponse{}
	out.TagResources.TagResource = make([]WireTagResource, 0, len(tags))
	for _, t := range tags {
		out.TagResources.TagResource = append(out.TagResources.TagResource, WireTagResource{ResourceType: wire, ResourceId: t.ResourceID, TagKey: t.Key, TagValue: t.Value})
	}
	if more {
		last := tags[len(tags)-1]
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(last.ResourceID + "\n" + last.Key))
	}
	return out, nil
}
