package e2e

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func runReq(zone string) *ecs.RunInstancesRequest {
	r := ecs.CreateRunInstancesRequest()
	r.RegionId, r.ImageId, r.InstanceType, r.ZoneId = region, image, itype, zone
	return r
}

// The catalogue actions decode into the SDK's structs, including
// DescribeZones' lower-case inner keys.
func TestCatalogThroughTheSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	regions, err := e.ecs.DescribeRegions(ecs.CreateDescribeRegionsRequest())
	ok(t, err)
	found := false
	for _, r := range regions.Regions.Region {
		if r.RegionId == region && r.Status == "available" && r.RegionEndpoint != "" && r.LocalName != "" {
			found = true
		}
	}
	if !found {
		t.Fatalf("DescribeRegions lacks %s: %+v", region, regions.Regions.Region)
	}

	zreq := ecs.CreateDescribeZonesRequest()
	zreq.RegionId = region
	zones, err := e.ecs.DescribeZones(zreq)
	ok(t, err)
	if len(zones.Zones.Zone) != 4 {
		t.Fatalf("%d zones in %s", len(zones.Zones.Zone), region)
	}
	z := zones.Zones.Zone[0]
	if len(z.AvailableInstanceTypes.InstanceTypes) == 0 || len(z.AvailableResources.ResourcesInfo) != 1 {
		t.Fatalf("zone %s: %+v", z.ZoneId, z)
	}
	info := z.AvailableResources.ResourcesInfo[0]
	if len(info.InstanceTypes.SupportedInstanceType) == 0 || len(info.SystemDiskCategories.SupportedSystemDiskCategory) == 0 ||
		len(info.InstanceTypeFamilies.SupportedInstanceTypeFamily) == 0 || len(info.NetworkTypes.SupportedNetworkCategory) == 0 {
		t.Fatalf("ResourcesInfo did not decode (lower-case keys): %+v", info)
	}

	ireq := ecs.CreateDescribeImagesRequest()
	ireq.RegionId, ireq.ImageId = region, image
	imgs, err := e.ecs.DescribeImages(ireq)
	ok(t, err)
	if imgs.TotalCount != 1 || imgs.Images.Image[0].ImageId != image || imgs.Images.Image[0].OSType != "linux" || imgs.Images.Image[0].Status != "Available" {
		t.Fatalf("DescribeImages: %+v", imgs.Images)
	}
	ireq = ecs.CreateDescribeImagesRequest()
	ireq.RegionId, ireq.ImageOwnerAlias = region, "marketplace"
	imgs, err = e.ecs.DescribeImages(ireq)
	ok(t, err)
	if imgs.TotalCount != 1 || imgs.Images.Image[0].ImageOwnerAlias != "marketplace" {
		t.Fatalf("marketplace images: %+v", imgs.Images)
	}
}
