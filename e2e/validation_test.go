package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// TestInputTheRealServiceRefuses: names, descriptions, host names, tags and
// list indexes that the real service refuses get its codes (400), through
// the official SDK; nothing is created.
func TestInputTheRealServiceRefuses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	runWith := func(mutate func(*ecs.RunInstancesRequest)) error {
		req := ecs.CreateRunInstancesRequest()
		req.RegionId, req.ImageId, req.InstanceType = region, image, itype
		mutate(req)
		_, err := e.ecs.RunInstances(req)
		return err
	}
	tags := func(n int) *[]ecs.RunInstancesTag {
		var out []ecs.RunInstancesTag
		for i := range n {
			out = append(out, ecs.RunInstancesTag{Key: "k" + strconv.Itoa(i), Value: "v"})
		}
		return &out
	}
	cases := []struct {
		name   string
		mutate func(*ecs.RunInstancesRequest)
		code   string
		status int
	}{
		{"control character in the name", func(r *ecs.RunInstancesRequest) { r.InstanceName = "web\x07one" }, "InvalidInstanceName.Malformed", 400},
		{"name too long", func(r *ecs.RunInstancesRequest) { r.InstanceName = strings.Repeat("n", 129) }, "InvalidInstanceName.Malformed", 400},
		{"name with a space", func(r *ecs.RunInstancesRequest) { r.InstanceName = "web one" }, "InvalidInstanceName.Malformed", 400},
		{"description too long", func(r *ecs.RunInstancesRequest) { r.Description = strings.Repeat("d", 257) }, "InvalidDescription.Malformed", 400},
		{"description with a URL first", func(r *ecs.RunInstancesRequest) { r.Description = "http://example.com" }, "InvalidDescription.Malformed", 400},
		{"host name with a control character", func(r *ecs.RunInstancesRequest) { r.HostName = "web\x00one" }, "InvalidHostName.Malformed", 400},
		{"host name too long", func(r *ecs.RunInstancesRequest) { r.HostName = strings.Repeat("h", 65) }, "InvalidHostName.Malformed", 400},
		{"Windows host name with a period", func(r *ecs.RunInstancesRequest) {
			r.ImageId, r.HostName = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd", "web.one"
		}, "InvalidHostName.Malformed", 400},
		{"tag key with the reserved prefix", func(r *ecs.RunInstancesRequest) {
			r.Tag = &[]ecs.RunInstancesTag{{Key: "acs:owner", Value: "x"}}
		}, "InvalidTagKey.Malformed", 400},
		{"tag key with aliyun", func(r *ecs.RunInstancesRequest) { r.Tag = &[]ecs.RunInstancesTag{{Key: "aliyun-x", Value: "x"}} }, "InvalidTagKey.Malformed", 400},
		{"tag key too long", func(r *ecs.RunInstancesRequest) {
			r.Tag = &[]ecs.RunInstancesTag{{Key: strings.Repeat("k", 129), Value: "x"}}
		}, "InvalidTagKey.Malformed", 400},
		{"tag value too long", func(r *ecs.RunInstancesRequest) {
			r.Tag = &[]ecs.RunInstancesTag{{Key: "k", Value: strings.Repeat("v", 129)}}
		}, "InvalidTagValue.Malformed", 400},
		{"a tag key twice", func(r *ecs.RunInstancesRequest) {
			r.Tag = &[]ecs.RunInstancesTag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
		}, "Duplicate.TagKey", 400},
		{"21 tags", func(r *ecs.RunInstancesRequest) { r.Tag = tags(21) }, "InvalidParameter", 400},
		{"UniqueSuffix with a 126-character name", func(r *ecs.RunInstancesRequest) {
			r.Amount, r.UniqueSuffix, r.InstanceName = requestsInt(2), "true", "n"+strings.Repeat("x", 125)
		}, "InvalidParams.InstanceNameExceed", 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apiError(t, runWith(c.mutate), c.code, c.status)
		})
	}

	// Indexes the SDK never sends, through raw signed calls: beyond the
	// documented range, or one entry under two spellings.
	raw := []struct {
		name   string
		action string
		params map[string]string
	}{
		{"Tag.21 alone", "RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "Tag.21.Key": "k", "Tag.21.Value": "v"}},
		{"DataDisk.17 alone", "RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "DataDisk.17.Size": "40"}},
		{"Tag.1 and Tag.01", "RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "Tag.1.Key": "a", "Tag.01.Key": "b"}},
		{"InstanceId.101", "StartInstances", map[string]string{"InstanceId.101": "i-x"}},
		{"InstanceId.1 and InstanceId.01", "StopInstances", map[string]string{"InstanceId.1": "i-x", "InstanceId.01": "i-y"}},
		{"MaxResults 0", "DescribeInstances", map[string]string{"MaxResults": "0"}},
		{"MaxResults negative", "DescribeInstances", map[string]string{"MaxResults": "-3"}},
	}
	for _, c := range raw {
		t.Run(c.name, func(t *testing.T) {
			wantRawError(t, e.raw(c.action, rawCall{Params: c.params}), 400, "InvalidParameter")
		})
	}

	// Nothing was created by any of it.
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	resp, err := e.ecs.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 0 {
		t.Fatalf("%d instances exist after refused calls", resp.TotalCount)
	}
}

// TestHostNamePlaceholder: ${instance_id} in HostName becomes the instance
// id, and a valid name with every allowed character is kept as given.
func TestHostNamePlaceholder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.HostName, r.InstanceName = "k8s-${instance_id}", "k8s:node_1.blue-a"
	})[0]
	in := describe(t, e.ecs, id)
	if in.HostName != "k8s-"+id || in.InstanceName != "k8s:node_1.blue-a" {
		t.Fatalf("HostName %q, InstanceName %q", in.HostName, in.InstanceName)
	}
}
