package e2e

// Tags through the ECS tag actions and the legacy Go SDK: TagResources,
// UntagResources, ListTagResources and DescribeTags, on instances and disks.
// Helpers carry a "tg" prefix.

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func tgTag(c *ecs.Client, typ string, ids []string, tags ...string) error {
	req := ecs.CreateTagResourcesRequest()
	req.RegionId, req.ResourceType, req.ResourceId = region, typ, &ids
	var list []ecs.TagResourcesTag
	for i := 0; i+1 < len(tags); i += 2 {
		list = append(list, ecs.TagResourcesTag{Key: tags[i], Value: tags[i+1]})
	}
	req.Tag = &list
	_, err := c.TagResources(req)
	return err
}

func tgUntag(c *ecs.Client, typ string, ids []string, all bool, keys ...string) error {
	req := ecs.CreateUntagResourcesRequest()
	req.RegionId, req.ResourceType, req.ResourceId = region, typ, &ids
	if all {
		req.All = requests.NewBoolean(true)
	}
	if len(keys) > 0 {
		req.TagKey = &keys
	}
	_, err := c.UntagResources(req)
	return err
}

// tgList returns "id key=value" lines of ListTagResources, following
// NextToken.
func tgList(t *testing.T, c *ecs.Client, typ string, mutate func(*ecs.ListTagResourcesRequest)) []string {
	t.Helper()
	var out []string
	token := ""
	for range 20 {
		req := ecs.CreateListTagResourcesRequest()
		req.RegionId, req.ResourceType, req.NextToken = region, typ, token
		if mutate != nil {
			mutate(req)
		}
		resp, err := c.ListTagResources(req)
		ok(t, err)
		for _, r := range resp.TagResources.TagResource {
			if r.ResourceType != typ {
				t.Fatalf("ListTagResources(%s) answered ResourceType %q", typ, r.ResourceType)
			}
			out = append(out, r.ResourceId+" "+r.TagKey+"="+r.TagValue)
		}
		if token = resp.NextToken; token == "" {
			return out
		}
	}
	t.Fatal("ListTagResources never ended")
	return nil
}

func tgInstanceTags(t *testing.T, c *ecs.Client, id string) []string {
	t.Helper()
	var out []string
	for _, tag := range describe(t, c, id).Tags.Tag {
		out = append(out, tag.TagKey+"="+tag.TagValue)
	}
	sort.Strings(out)
	return out
}

func TestTagResourcesOnInstancesAndDisks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 2, func(r *ecs.RunInstancesRequest) { r.Tag = &[]ecs.RunInstancesTag{{Key: "env", Value: "dev"}} })
	ok(t, tgTag(e.ecs, "instance", ids, "env", "prod", "team", "core"))
	for _, id := range ids {
		if got := tgInstanceTags(t, e.ecs, id); !slices.Equal(got, []string{"env=prod", "team=core"}) {
			t.Fatalf("tags of %s: %v", id, got)
		}
	}
	// DescribeInstances' Tag filter follows (the instance tag index).
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.Tag = region, &[]ecs.DescribeInstancesTag{{Key: "team", Value: "core"}}
	resp, err := e.ecs.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 2 {
		t.Fatalf("DescribeInstances by the new tag: %d", resp.TotalCount)
	}
	ok(t, tgUntag(e.ecs, "instance", ids[:1], false, "team", "absent"))
	if got := tgInstanceTags(t, e.ecs, ids[0]); !slices.Equal(got, []string{"env=prod"}) {
		t.Fatalf("after UntagResources: %v", got)
	}
	ok(t, tgUntag(e.ecs, "instance", ids[1:], true))
	if got := tgInstanceTags(t, e.ecs, ids[1]); len(got) != 0 {
		t.Fatalf("after UntagResources All: %v", got)
	}
	resp, err = e.ecs.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 0 {
		t.Fatalf("an untagged instance still matches: %d", resp.TotalCount)
	}

	// Disks.
	disk, err := dkCreate(e.ecs, nil)
	ok(t, err)
	sys := e.ctlDisk(ids[0], "system")
	ok(t, tgTag(e.ecs, "disk", []string{disk, sys}, "backup", "daily"))
	if d := dkDisk(t, e.ecs, disk); len(d.Tags.Tag) != 1 || d.Tags.Tag[0].TagKey != "backup" || d.Tags.Tag[0].TagValue != "daily" {
		t.Fatalf("disk tags: %+v", d.Tags)
	}
	byTag := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.Tag = &[]ecs.DescribeDisksTag{{Key: "backup", Value: "daily"}} })
	if got := dkIDs(byTag); !slices.Equal(got, []string{sys, disk}) {
		t.Fatalf("DescribeDisks by tag: %v", got)
	}

	// ListTagResources.
	if got := tgList(t, e.ecs, "instance", nil); !slices.Equal(got, []string{ids[0] + " env=prod"}) {
		t.Fatalf("ListTagResources(instance): %v", got)
	}
	if got := tgList(t, e.ecs, "disk", func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{disk} }); !slices.Equal(got, []string{disk + " backup=daily"}) {
		t.Fatalf("ListTagResources(disk, %s): %v", disk, got)
	}
	if got := tgList(t, e.ecs, "disk", func(r *ecs.ListTagResourcesRequest) {
		r.TagFilter = &[]ecs.ListTagResourcesTagFilter{{TagKey: "backup", TagValues: &[]string{"weekly", "daily"}}}
	}); len(got) != 2 {
		t.Fatalf("ListTagResources with a TagFilter: %v", got)
	}
	if got := tgList(t, e.ecs, "image", nil); len(got) != 0 {
		t.Fatalf("ListTagResources(image): %v", got)
	}

	// DescribeTags counts by type; an image has none.
	dt := ecs.CreateDescribeTagsRequest()
	dt.RegionId = region
	tags, err := e.ecs.DescribeTags(dt)
	ok(t, err)
	counts := map[string]string{}
	for _, tag := range tags.Tags.Tag {
		counts[tag.TagKey+"="+tag.TagValue] = fmt.Sprintf("%d/%d", tag.ResourceTypeCount.Instance, tag.ResourceTypeCount.Disk)
	}
	if len(counts) != 2 || counts["env=prod"] != "1/0" || counts["backup=daily"] != "0/2" || tags.TotalCount != 2 {
		t.Fatalf("DescribeTags: %v (TotalCount %d)", counts, tags.TotalCount)
	}
	// Reserved instances carry tags of their own too.
	ri, _ := riBuy(t, e.ecs)
	ok(t, tgTag(e.ecs, "reservedinstance", []string{ri}, "env", "prod"))
	if got := riGet(t, e.ecs, ri).Tags.Tag; len(got) != 1 || got[0].TagKey != "env" || got[0].TagValue != "prod" {
		t.Fatalf("reserved instance tags: %+v", got)
	}
	if got := tgList(t, e.ecs, "reservedinstance", nil); !slices.Equal(got, []string{ri + " env=prod"}) {
		t.Fatalf("ListTagResources(reservedinstance): %v", got)
	}
	dt.ResourceType = "reservedinstance"
	tags, err = e.ecs.DescribeTags(dt)
	ok(t, err)
	if len(tags.Tags.Tag) != 1 || tags.Tags.Tag[0].ResourceTypeCount.ReservedInstance != 1 {
		t.Fatalf("DescribeTags of reserved instances: %+v", tags.Tags)
	}
	dt.ResourceType, dt.ResourceId = "image", image
	tags, err = e.ecs.DescribeTags(dt)
	ok(t, err)
	if len(tags.Tags.Tag) != 0 {
		t.Fatalf("DescribeTags of an image: %+v", tags.Tags)
	}
	dt.ResourceType, dt.ResourceId = "disk", disk
	tags, err = e.ecs.DescribeTags(dt)
	ok(t, err)
	if len(tags.Tags.Tag) != 1 || tags.Tags.Tag[0].ResourceTypeCount.Disk != 1 {
		t.Fatalf("DescribeTags of one disk: %+v", tags.Tags)
	}
}

func TestTagResourcesErrorsAndTenancy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1)[0]
	many := make([]string, 0, 42)
	for i := range 21 {
		many = append(many, fmt.Sprintf("k%d", i), "v")
	}
	for _, c := range []struct {
		name   string
		err    error
		code   string
		status int
	}{
		{"resource type", tgTag(e.ecs, "bucket", []string{id}, "a", "b"), "InvalidResourceType.NotFound", 404},
		{"no such instance", tgTag(e.ecs, "instance", []string{id, "i-bpnosuchinstance000"}, "a", "b"), "InvalidResourceId.NotFound", 404},
		{"an instance as a disk", tgTag(e.ecs, "disk", []string{id}, "a", "b"), "InvalidResourceId.NotFound", 404},
		{"a type without tags here", tgTag(e.ecs, "snapshot", []string{"s-bp1"}, "a", "b"), "InvalidResourceId.NotFound", 404},
		{"no tags", tgTag(e.ecs, "instance", []string{id}), "MissingParameter", 400},
		{"too many tags", tgTag(e.ecs, "instance", []string{id}, many...), "NumberExceed.Tags", 400},
		{"bad key", tgTag(e.ecs, "instance", []string{id}, "aliyun:x", "v"), "InvalidTagKey.Malformed", 400},
		{"duplicate key", tgTag(e.ecs, "instance", []string{id}, "a", "1", "a", "2"), "Duplicate.TagKey", 400},
		{"duplicate id", tgTag(e.ecs, "instance", []string{id, id}, "a", "b"), "Duplicate.ResourceId", 400},
		{"untag without keys", tgUntag(e.ecs, "instance", []string{id}, false), "MissingParameter", 400},
		{"untag unknown", tgUntag(e.ecs, "instance", []string{"i-bpnosuchinstance000"}, true), "InvalidResourceId.NotFound", 404},
	} {
		t.Run(c.name, func(t *testing.T) { apiError(t, c.err, c.code, c.status) })
	}
	if got := tgInstanceTags(t, e.ecs, id); len(got) != 0 {
		t.Fatalf("refused calls tagged the instance: %v", got)
	}
	// Twenty tags in all, then one more is over the quota.
	twenty := make([]string, 0, 40)
	for i := range 20 {
		twenty = append(twenty, fmt.Sprintf("k%d", i), "v")
	}
	ok(t, tgTag(e.ecs, "instance", []string{id}, twenty...))
	apiError(t, tgTag(e.ecs, "instance", []string{id}, "one-more", "v"), "OperationDenied.QuotaExceed", 400)
	ok(t, tgTag(e.ecs, "instance", []string{id}, "k0", "changed"))

	req := ecs.CreateListTagResourcesRequest()
	req.RegionId = region
	_, err := e.ecs.ListTagResources(req)
	apiError(t, err, "MissingParameter.ResourceType", 400)
	req.ResourceType = "bucket"
	_, err = e.ecs.ListTagResources(req)
	apiError(t, err, "InvalidResourceType.NotFound", 400)
	dt := ecs.CreateDescribeTagsRequest()
	dt.RegionId, dt.ResourceType = region, "bucket"
	_, err = e.ecs.DescribeTags(dt)
	apiError(t, err, "InvalidResourceType.NotFound", 404)

	// Paging of ListTagResources: 20 tags + another instance's 40 = 60 lines.
	other := run(t, e.ecs, 1)[0]
	forty := make([]string, 0, 40)
	for i := range 20 {
		forty = append(forty, fmt.Sprintf("x%d", i), "v")
	}
	ok(t, tgTag(e.ecs, "instance", []string{other}, forty...))
	if got := tgList(t, e.ecs, "instance", nil); len(got) != 40 {
		t.Fatalf("ListTagResources over pages: %d lines, want 40", len(got))
	}

	// Another account sees none of it and can tag none of it.
	a := e.newAccount("100.00")
	apiError(t, tgTag(a.ECS, "instance", []string{id}, "a", "b"), "InvalidResourceId.NotFound", 404)
	apiError(t, tgUntag(a.ECS, "instance", []string{id}, true), "InvalidResourceId.NotFound", 404)
	if got := tgList(t, a.ECS, "instance", func(r *ecs.ListTagResourcesRequest) { r.ResourceId = &[]string{id} }); len(got) != 0 {
		t.Fatalf("another account lists %v", got)
	}
	dt = ecs.CreateDescribeTagsRequest() // a reused request keeps the values it sent
	dt.RegionId = region
	tags, err := a.ECS.DescribeTags(dt)
	ok(t, err)
	if len(tags.Tags.Tag) != 0 {
		t.Fatalf("another account's DescribeTags: %+v", tags.Tags)
	}
}
