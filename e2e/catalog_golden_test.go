package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestCatalogGoldenBodies records the exact JSON and XML bodies of the
// catalogue queries the Terraform data sources read (go test ./e2e -run
// CatalogGolden -update rewrites them). One zone/type of cn-shenzhen is sold
// out, so SoldOut and WithoutStock show.
func TestCatalogGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	setCapacity(e, "cn-shenzhen-e", "ecs.g7.large", 0)
	// The server's wall clock is fixed, so calls are signed with that time.
	if r := e.raw("RunInstances", rawCall{Time: goldenWall, Params: map[string]string{"RegionId": "cn-shenzhen", "ZoneId": "cn-shenzhen-d",
		"ImageId": image, "InstanceType": itype, "Tag.1.Key": "env", "Tag.1.Value": "golden", "Tag.2.Key": "team", "Tag.2.Value": "core"}}); r.Status != 200 {
		t.Fatalf("RunInstances: %d %s", r.Status, r.Body)
	}
	var n normaliser
	call := func(name, action string, params map[string]string, wantStatus int) {
		t.Helper()
		for _, format := range []string{"JSON", "XML"} {
			p := map[string]string{"Format": format, "RegionId": "cn-shenzhen"}
			for k, v := range params {
				p[k] = v
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
		}
	}
	terraform := map[string]string{"IoOptimized": "optimized", "InstanceChargeType": "PostPaid", "SpotStrategy": "NoSpot"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range terraform {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	call("DescribeAvailableResource.zone", "DescribeAvailableResource", with(map[string]string{"DestinationResource": "Zone"}), 200)
	call("DescribeAvailableResource.instancetype", "DescribeAvailableResource",
		with(map[string]string{"DestinationResource": "InstanceType", "Cores": "2", "Memory": "8.000000"}), 200)
	call("DescribeAvailableResource.soldout", "DescribeAvailableResource",
		with(map[string]string{"DestinationResource": "Zone", "InstanceType": "ecs.g7.large"}), 200)
	call("DescribeAvailableResource.systemdisk", "DescribeAvailableResource",
		with(map[string]string{"DestinationResource": "SystemDisk", "ZoneId": "cn-shenzhen-d", "InstanceType": "ecs.g7.large"}), 200)
	call("DescribeAvailableResource.error", "DescribeAvailableResource", with(map[string]string{"DestinationResource": "Zones"}), 404)
	call("DescribeInstanceTypes", "DescribeInstanceTypes",
		map[string]string{"RegionId": "", "InstanceTypes.1": "ecs.g7.large", "InstanceTypes.2": "ecs.d1ne.2xlarge", "InstanceTypes.3": "ecs.gn6i-c4g1.xlarge"}, 200)
	call("DescribeInstanceTypes.page", "DescribeInstanceTypes", map[string]string{"InstanceTypeFamily": "ecs.g7", "MaxResults": "2"}, 200)
	call("DescribeInstanceTypeFamilies", "DescribeInstanceTypeFamilies", nil, 200)
	call("DescribeTags.image", "DescribeTags", map[string]string{"ResourceType": "image", "ResourceId": image}, 200)
	call("DescribeTags.instance", "DescribeTags", map[string]string{"ResourceType": "instance"}, 200)
	call("DescribeTags.error", "DescribeTags", map[string]string{"ResourceType": "vm"}, 404)
}
