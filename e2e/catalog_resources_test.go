package e2e

import (
	"encoding/json"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// availReq is a DescribeAvailableResource request of the destination in
// the test region, changed by the mutators.
func availReq(dest string, mutate ...func(*ecs.DescribeAvailableResourceRequest)) *ecs.DescribeAvailableResourceRequest {
	r := ecs.CreateDescribeAvailableResourceRequest()
	r.RegionId, r.DestinationResource = region, dest
	r.IoOptimized, r.InstanceChargeType, r.SpotStrategy = "optimized", "PostPaid", "NoSpot"
	for _, m := range mutate {
		m(r)
	}
	return r
}

// availability flattens an answer: zone → "Status/StatusCategory", and
// zone → value → "Status/StatusCategory".
func availability(t *testing.T, resp *ecs.DescribeAvailableResourceResponse, wantType string) (map[string]string, map[string]map[string]string) {
	t.Helper()
	zones, values := map[string]string{}, map[string]map[string]string{}
	for _, z := range resp.AvailableZones.AvailableZone {
		if z.RegionId != region {
			t.Fatalf("zone %s has RegionId %q", z.ZoneId, z.RegionId)
		}
		zones[z.ZoneId] = z.Status + "/" + z.StatusCategory
		values[z.ZoneId] = map[string]string{}
		if len(z.AvailableResources.AvailableResource) != 1 || z.AvailableResources.AvailableResource[0].Type != wantType {
			t.Fatalf("zone %s: resources %+v, want one of type %s", z.ZoneId, z.AvailableResources.AvailableResource, wantType)
		}
		for _, v := range z.AvailableResources.AvailableResource[0].SupportedResources.SupportedResource {
			values[z.ZoneId][v.Value] = v.Status + "/" + v.StatusCategory
		}
	}
	return zones, values
}

const (
	inStock = "Available/WithStock"
	soldOut = "SoldOut/WithoutStock"
)

func setCapacity(e *env, zone, instanceType string, available any) {
	e.t.Helper()
	e.admin("PUT", "/admin/v1/capacity", map[string]any{"zone_id": zone, "instance_type": instanceType, "available": available}, 200)
}

// DescribeAvailableResource as the Terraform data sources ask it, with
// Available/SoldOut following the capacity rows, and its errors.
func TestDescribeAvailableResource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	// Zones: every zone of the region, in stock.
	resp, err := e.ecs.DescribeAvailableResource(availReq("Zone"))
	ok(t, err)
	zones, values := availability(t, resp, "Zone")
	want := map[string]string{"cn-hangzhou-h": inStock, "cn-hangzhou-i": inStock, "cn-hangzhou-j": inStock, "cn-hangzhou-k": inStock}
	if !mapsEqual(zones, want) {
		t.Fatalf("zones = %v, want %v", zones, want)
	}
	for z, v := range values {
		if len(v) != 1 || v[z] != inStock {
			t.Fatalf("zone %s lists %v, want itself", z, v)
		}
	}

	// Instance types by cores and memory, as alicloud_instance_types asks
	// (Memory formatted %f); cn-hangzhou-k sells no g6.
	resp, err = e.ecs.DescribeAvailableResource(availReq("InstanceType", func(r *ecs.DescribeAvailableResourceRequest) {
		r.Cores, r.Memory = "2", "8.000000"
	}))
	ok(t, err)
	_, values = availability(t, resp, "InstanceType")
	if len(values) != 4 || len(values["cn-hangzhou-k"]) != 1 || values["cn-hangzhou-k"]["ecs.g7.large"] != inStock ||
		values["cn-hangzhou-h"]["ecs.g6.large"] != inStock || values["cn-hangzhou-h"]["ecs.g7.large"] != inStock || len(values["cn-hangzhou-h"]) != 2 {
		t.Fatalf("types with 2 cores and 8 GiB: %v", values)
	}

	// A type a zone does not sell leaves the zone out.
	resp, err = e.ecs.DescribeAvailableResource(availReq("Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType = "ecs.d1ne.2xlarge" }))
	ok(t, err)
	zones, _ = availability(t, resp, "Zone")
	if _, sold := zones["cn-hangzhou-k"]; sold || len(zones) != 3 {
		t.Fatalf("zones selling ecs.d1ne.2xlarge: %v", zones)
	}

	// Capacity: a row with no free slot is SoldOut, for the type and for a
	// zone whose every allowed type is sold out; RunInstances agrees.
	setCapacity(e, "cn-hangzhou-h", itype, 0)
	resp, err = e.ecs.DescribeAvailableResource(availReq("InstanceType", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType = itype }))
	ok(t, err)
	zones, values = availability(t, resp, "InstanceType")
	if zones["cn-hangzhou-h"] != soldOut || values["cn-hangzhou-h"][itype] != soldOut || zones["cn-hangzhou-i"] != inStock || values["cn-hangzhou-i"][itype] != inStock {
		t.Fatalf("after capacity 0 in cn-hangzhou-h: zones %v values %v", zones, values)
	}
	_, err = ctlRunErr(e.ecs, itype)
	apiError(t, err, "OperationDenied.NoStock", 403)
	resp, err = e.ecs.DescribeAvailableResource(availReq("InstanceType", func(r *ecs.DescribeAvailableResourceRequest) {
		r.Cores, r.Memory = "2", "8"
	}))
	ok(t, err)
	zones, values = availability(t, resp, "InstanceType")
	if zones["cn-hangzhou-h"] != inStock || values["cn-hangzhou-h"][itype] != soldOut || values["cn-hangzhou-h"]["ecs.g6.large"] != inStock {
		t.Fatalf("one of two types sold out: zones %v values %v", zones, values)
	}
	setCapacity(e, "cn-hangzhou-h", itype, 1)
	resp, err = e.ecs.DescribeAvailableResource(availReq("Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType = itype }))
	ok(t, err)
	if zones, _ = availability(t, resp, "Zone"); zones["cn-hangzhou-h"] != inStock {
		t.Fatalf("one free slot: %v", zones)
	}
	ctlRun(t, e.ecs, itype) // takes the last slot
	resp, err = e.ecs.DescribeAvailableResource(availReq("Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType = itype }))
	ok(t, err)
	if zones, values = availability(t, resp, "Zone"); zones["cn-hangzhou-h"] != soldOut || values["cn-hangzhou-h"]["cn-hangzhou-h"] != soldOut {
		t.Fatalf("the last slot taken: %v %v", zones, values)
	}
	// Every type of cn-hangzhou-k sold out: the zone is SoldOut.
	for _, typ := range []string{"ecs.g7.large", "ecs.g7.xlarge", "ecs.c7.large", "ecs.t6-c1m1.large"} {
		setCapacity(e, "cn-hangzhou-k", typ, 0)
	}
	resp, err = e.ecs.DescribeAvailableResource(availReq("Zone"))
	ok(t, err)
	if zones, _ = availability(t, resp, "Zone"); zones["cn-hangzhou-k"] != soldOut || zones["cn-hangzhou-j"] != inStock {
		t.Fatalf("cn-hangzhou-k sold out: %v", zones)
	}

	// Disks: categories with their size range.
	resp, err = e.ecs.DescribeAvailableResource(availReq("SystemDisk", func(r *ecs.DescribeAvailableResourceRequest) {
		r.ZoneId, r.InstanceType = "cn-hangzhou-i", itype
	}))
	ok(t, err)
	if len(resp.AvailableZones.AvailableZone) != 1 {
		t.Fatalf("SystemDisk in one zone: %+v", resp.AvailableZones)
	}
	disks := resp.AvailableZones.AvailableZone[0].AvailableResources.AvailableResource[0].SupportedResources.SupportedResource
	var cats []string
	for _, d := range disks {
		if d.Min != 20 || d.Max != 2048 || d.Unit != "GiB" || d.Status != "Available" {
			t.Fatalf("system disk %+v", d)
		}
		cats = append(cats, d.Value)
	}
	if !slices.Contains(cats, "cloud_essd") || !slices.Contains(cats, "cloud_efficiency") {
		t.Fatalf("system disk categories %v", cats)
	}
	resp, err = e.ecs.DescribeAvailableResource(availReq("DataDisk", func(r *ecs.DescribeAvailableResourceRequest) {
		r.ResourceType, r.DataDiskCategory = "disk", "cloud_essd"
	}))
	ok(t, err)
	_, values = availability(t, resp, "DataDisk")
	if len(values) != 4 || len(values["cn-hangzhou-k"]) != 1 || values["cn-hangzhou-k"]["cloud_essd"] != inStock {
		t.Fatalf("data disks bought alone: %v", values)
	}

	// What OpenECS does not sell finds nothing.
	for _, m := range []func(*ecs.DescribeAvailableResourceRequest){
		func(r *ecs.DescribeAvailableResourceRequest) { r.IoOptimized = "none" },
		func(r *ecs.DescribeAvailableResourceRequest) { r.NetworkCategory = "classic" },
		func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType = "ecs.nosuch.large" },
	} {
		resp, err = e.ecs.DescribeAvailableResource(availReq("Zone", m))
		ok(t, err)
		if len(resp.AvailableZones.AvailableZone) != 0 {
			t.Fatalf("expected no zone: %+v", resp.AvailableZones)
		}
	}

	// Errors: 4xx with the real codes.
	cases := []struct {
		name   string
		dest   string
		mutate func(*ecs.DescribeAvailableResourceRequest)
		code   string
		status int
	}{
		{"bad region", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.RegionId = "cn-nowhere" }, "InvalidRegionId.NotFound", 404},
		{"no destination", "", nil, "MissingParameter", 400},
		{"bad destination", "Zones", nil, "Invalid.DestinationResource", 404},
		{"bad resource type", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.ResourceType = "vm" }, "Invalid.ResourceType", 404},
		{"bad charge type", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceChargeType = "Prepaid" }, "Invalid.InstanceChargeType", 400},
		{"bad spot strategy", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.SpotStrategy = "Spot" }, "Invalid.SpotStrategy", 404},
		{"bad io optimized", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.IoOptimized = "yes" }, "Invalid.IoOptimized", 404},
		{"bad network", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.NetworkCategory = "VPC" }, "Invalid.NetworkCategory", 404},
		{"bad memory", "InstanceType", func(r *ecs.DescribeAvailableResourceRequest) { r.Memory = "eight" }, "InvalidParameter", 400},
		{"bad cores", "InstanceType", func(r *ecs.DescribeAvailableResourceRequest) { r.Cores = "two" }, "InvalidParameter", 400},
		{"type and cores", "InstanceType", func(r *ecs.DescribeAvailableResourceRequest) { r.InstanceType, r.Cores = itype, "2" }, "InvalidParam.TypeAndCpuMem.Conflict", 403},
		{"cores for zones", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.Cores = "2" }, "InvalidParam.Cores", 403},
		{"memory for disks", "SystemDisk", func(r *ecs.DescribeAvailableResourceRequest) { r.Memory = "8" }, "InvalidParam.Memory", 403},
		{"dedicated host", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.DedicatedHostId = "dh-bp1nosuchhost" }, "InvalidDedicatedHostId.NotFound", 403},
		{"zone of another region", "Zone", func(r *ecs.DescribeAvailableResourceRequest) { r.ZoneId = "cn-shanghai-e" }, "InvalidZoneId.NotFound", 404},
	}
	for _, c := range cases {
		var m []func(*ecs.DescribeAvailableResourceRequest)
		if c.mutate != nil {
			m = append(m, c.mutate)
		}
		_, err := e.ecs.DescribeAvailableResource(availReq(c.dest, m...))
		t.Run(c.name, func(t *testing.T) { apiError(t, err, c.code, c.status) })
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// DescribeInstanceTypes: every catalogue type, its filters and its paging;
// numbers are JSON numbers (the Terraform provider type-asserts them).
func TestDescribeInstanceTypes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := e.app.Service.Catalog().InstanceTypes

	resp, err := e.ecs.DescribeInstanceTypes(ecs.CreateDescribeInstanceTypesRequest())
	ok(t, err)
	if len(resp.InstanceTypes.InstanceType) != len(all) || resp.NextToken != "" {
		t.Fatalf("%d types (NextToken %q), want %d", len(resp.InstanceTypes.InstanceType), resp.NextToken, len(all))
	}
	byID := map[string]ecs.InstanceType{}
	for _, it := range resp.InstanceTypes.InstanceType {
		byID[it.InstanceTypeId] = it
	}
	g7 := byID["ecs.g7.large"]
	if g7.CpuCoreCount != 2 || g7.MemorySize != 8 || g7.InstanceTypeFamily != "ecs.g7" || g7.EniQuantity < 2 ||
		g7.EniPrivateIpAddressQuantity < 2 || g7.PrimaryEniQueueNumber != 2 || g7.CpuArchitecture != "X86" || g7.LocalStorageAmount != 0 {
		t.Fatalf("ecs.g7.large = %+v", g7)
	}
	d1ne := byID["ecs.d1ne.2xlarge"]
	if d1ne.LocalStorageAmount != 4 || d1ne.LocalStorageCapacity != 5500 || d1ne.LocalStorageCategory != "local_hdd_pro" {
		t.Fatalf("ecs.d1ne.2xlarge local disks = %d × %d GiB %s", d1ne.LocalStorageAmount, d1ne.LocalStorageCapacity, d1ne.LocalStorageCategory)
	}
	if gn := byID["ecs.gn6i-c4g1.xlarge"]; gn.GPUAmount != 1 || gn.GPUSpec != "NVIDIA T4" || gn.InstanceCategory != "Compute-optimized with GPU" {
		t.Fatalf("ecs.gn6i-c4g1.xlarge = %+v", gn)
	}
	if t6 := byID["ecs.t6-c1m1.large"]; t6.InitialCredit == 0 || t6.BaselineCredit == 0 || t6.InstanceFamilyLevel != "CreditEntryLevel" {
		t.Fatalf("ecs.t6-c1m1.large = %+v", t6)
	}

	// The raw JSON: counts are integers, LocalStorageCapacity a number and
	// only on local-disk types.
	r := e.raw("DescribeInstanceTypes", rawCall{Params: map[string]string{"InstanceTypes.1": "ecs.g7.large", "InstanceTypes.2": "ecs.d1ne.2xlarge"}})
	var body struct {
		InstanceTypes struct{ InstanceType []map[string]json.RawMessage }
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body.InstanceTypes.InstanceType) != 2 {
		t.Fatalf("raw body %s: %v", r.Body, err)
	}
	for _, it := range body.InstanceTypes.InstanceType {
		if string(it["CpuCoreCount"]) != "2" && string(it["CpuCoreCount"]) != "8" {
			t.Fatalf("CpuCoreCount written %s", it["CpuCoreCount"])
		}
		capacity, has := it["LocalStorageCapacity"]
		if id := string(it["InstanceTypeId"]); (id == `"ecs.d1ne.2xlarge"`) != has || (has && string(capacity) != "5500") {
			t.Fatalf("%s: LocalStorageCapacity %q (present %v)", id, capacity, has)
		}
	}

	// Filters.
	filter := func(m func(*ecs.DescribeInstanceTypesRequest)) []string {
		t.Helper()
		req := ecs.CreateDescribeInstanceTypesRequest()
		m(req)
		resp, err := e.ecs.DescribeInstanceTypes(req)
		ok(t, err)
		var ids []string
		for _, it := range resp.InstanceTypes.InstanceType {
			ids = append(ids, it.InstanceTypeId)
		}
		sort.Strings(ids)
		return ids
	}
	for _, c := range []struct {
		name string
		m    func(*ecs.DescribeInstanceTypesRequest)
		want []string
	}{
		{"ids", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypes = &[]string{"ecs.g7.large", "ecs.c7.large"} }, []string{"ecs.c7.large", "ecs.g7.large"}},
		{"family", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypeFamily = "ecs.g7" }, []string{"ecs.g7.2xlarge", "ecs.g7.large", "ecs.g7.xlarge"}},
		{"families", func(r *ecs.DescribeInstanceTypesRequest) { r.InstanceTypeFamilies = &[]string{"ecs.c7", "ecs.r7"} },
			[]string{"ecs.c7.large", "ecs.c7.xlarge", "ecs.r7.large"}},
		{"cores and memory", func(r *ecs.DescribeInstanceTypesRequest) {
			r.MinimumCpuCoreCount, r.MaximumCpuCoreCount, r.MinimumMemorySize, r.MaximumMemorySize = "2", "2", "8", "8"
		}, []string{"ecs.g6.large", "ecs.g7.large"}},
		{"gpus", func(r *ecs.DescribeInstanceTypesRequest) { r.MinimumGPUAmount = "1" }, []string{"ecs.gn6i-c4g1.xlarge"}},
		{"local disks", func(r *ecs.DescribeInstanceTypesRequest) { r.LocalStorageCategory = "local_ssd_pro" }, []string{"ecs.i1.xlarge", "ecs.i2.xlarge"}},
		{"no match", func(r *ecs.DescribeInstanceTypesRequest) { r.CpuArchitecture = "ARM" }, nil},
	} {
		if got := filter(c.m); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// Paging with MaxResults and NextToken covers every type once.
	var paged []string
	token, pages := "", 0
	for {
		req := ecs.CreateDescribeInstanceTypesRequest()
		req.MaxResults, req.NextToken = requests.NewInteger(5), token
		resp, err := e.ecs.DescribeInstanceTypes(req)
		ok(t, err)
		pages++
		for _, it := range resp.InstanceTypes.InstanceType {
			paged = append(paged, it.InstanceTypeId)
		}
		if token = resp.NextToken; token == "" || pages > 10 {
			break
		}
	}
	if len(paged) != len(all) || pages != (len(all)+4)/5 {
		t.Fatalf("paging: %d types in %d pages, want %d", len(paged), pages, len(all))
	}
	for i := range all {
		if paged[i] != all[i].ID {
			t.Fatalf("page order: %v", paged)
		}
	}

	// Errors.
	req := ecs.CreateDescribeInstanceTypesRequest()
	req.NextToken = "not-a-token"
	_, err = e.ecs.DescribeInstanceTypes(req)
	apiError(t, err, "InvalidParameter", 400)
	req = ecs.CreateDescribeInstanceTypesRequest()
	req.MaxResults = "0"
	_, err = e.ecs.DescribeInstanceTypes(req)
	apiError(t, err, "InvalidParameter", 400)
	req = ecs.CreateDescribeInstanceTypesRequest()
	req.RegionId = "cn-nowhere"
	_, err = e.ecs.DescribeInstanceTypes(req)
	apiError(t, err, "InvalidRegionId.NotFound", 404)
	ids := make([]string, 11)
	for i := range ids {
		ids[i] = "ecs.g7.large"
	}
	req = ecs.CreateDescribeInstanceTypesRequest()
	req.InstanceTypes = &ids
	_, err = e.ecs.DescribeInstanceTypes(req)
	apiError(t, err, "InvalidParameter", 400)
}

// DescribeInstanceTypeFamilies lists the families a region sells.
func TestDescribeInstanceTypeFamilies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	families := func(regionID, generation string) map[string]string {
		t.Helper()
		req := ecs.CreateDescribeInstanceTypeFamiliesRequest()
		req.RegionId, req.Generation = regionID, generation
		resp, err := e.ecs.DescribeInstanceTypeFamilies(req)
		ok(t, err)
		out := map[string]string{}
		for _, f := range resp.InstanceTypeFamilies.InstanceTypeFamily {
			out[f.InstanceTypeFamilyId] = f.Generation
		}
		return out
	}
	all := families(region, "")
	if len(all) != 10 || all["ecs.g7"] != "ecs-4" || all["ecs.d1"] != "ecs-1" {
		t.Fatalf("families of %s: %v", region, all)
	}
	if g3 := families(region, "ecs-3"); len(g3) != 4 || g3["ecs.g6"] != "ecs-3" {
		t.Fatalf("ecs-3 families: %v", g3)
	}
	if none := families(region, "ecs-9"); len(none) != 0 {
		t.Fatalf("ecs-9 families: %v", none)
	}
	req := ecs.CreateDescribeInstanceTypeFamiliesRequest()
	req.RegionId = "cn-nowhere"
	_, err := e.ecs.DescribeInstanceTypeFamilies(req)
	apiError(t, err, "InvalidRegionId.NotFound", 404)
	wantRawError(t, e.raw("DescribeInstanceTypeFamilies", rawCall{Params: map[string]string{"RegionId": ""}}), 400, "MissingParameter")
}

// Every public image carries the fields alicloud_images filters and sorts
// on, and DescribeImages filters as the provider asks.
func TestDescribeImagesForTheDataSource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	images := func(m func(*ecs.DescribeImagesRequest)) []ecs.Image {
		t.Helper()
		req := ecs.CreateDescribeImagesRequest()
		req.RegionId, req.PageSize = region, "100"
		if m != nil {
			m(req)
		}
		resp, err := e.ecs.DescribeImages(req)
		ok(t, err)
		if resp.TotalCount != len(resp.Images.Image) {
			t.Fatalf("TotalCount %d for %d images on one page", resp.TotalCount, len(resp.Images.Image))
		}
		return resp.Images.Image
	}
	ids := func(imgs []ecs.Image) []string {
		var out []string
		for _, img := range imgs {
			out = append(out, img.ImageId)
		}
		sort.Strings(out)
		return out
	}

	system := images(func(r *ecs.DescribeImagesRequest) { r.ImageOwnerAlias, r.Status = "system", "Available" })
	if len(system) < 13 {
		t.Fatalf("%d system images", len(system))
	}
	for _, img := range system {
		created, err := time.Parse(time.RFC3339, img.CreationTime)
		if err != nil || created.IsZero() || img.ImageName == "" || img.OSName == "" || img.OSNameEn == "" || img.Platform == "" ||
			img.ImageOwnerAlias != "system" || img.Status != "Available" || img.Size < 20 || img.Usage != "instance" || !img.IsSupportIoOptimized ||
			(img.OSType != "linux" && img.OSType != "windows") || (img.Architecture != "x86_64" && img.Architecture != "arm64") ||
			len(img.DiskDeviceMappings.DiskDeviceMapping) != 1 || img.DiskDeviceMappings.DiskDeviceMapping[0].SnapshotId == "" ||
			img.DiskDeviceMappings.DiskDeviceMapping[0].Device == "" {
			t.Fatalf("image %s lacks a field the data source reads: %+v", img.ImageId, img)
		}
	}
	for _, want := range []string{"aliyun_3_x64_20G_alibase_20240819.vhd", "aliyun_2_1903_x64_20G_alibase_20240628.vhd",
		"ubuntu_20_04_x64_20G_alibase_20240819.vhd", "ubuntu_22_04_x64_20G_alibase_20240926.vhd", "ubuntu_24_04_x64_20G_alibase_20240812.vhd",
		"centos_7_9_x64_20G_alibase_20240628.vhd", "centos_8_5_x64_20G_alibase_20240528.vhd",
		"win2019_1809_x64_dtc_en-us_40G_alibase_20240912.vhd", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd"} {
		if !slices.Contains(ids(system), want) {
			t.Errorf("no public image %s", want)
		}
	}

	check := func(name string, got []ecs.Image, want []string) {
		t.Helper()
		if g := ids(got); !slices.Equal(g, want) {
			t.Errorf("%s: %v, want %v", name, g, want)
		}
	}
	check("windows", images(func(r *ecs.DescribeImagesRequest) { r.OSType = "windows" }),
		[]string{"win2019_1809_x64_dtc_en-us_40G_alibase_20240912.vhd", "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd"})
	check("arm64", images(func(r *ecs.DescribeImagesRequest) { r.Architecture = "arm64" }),
		[]string{"aliyun_3_arm64_20G_alibase_20240819.vhd", "ubuntu_22_04_arm64_20G_alibase_20240818.vhd"})
	check("name", images(func(r *ecs.DescribeImagesRequest) { r.ImageName, r.Architecture = "ubuntu_22_04", "x86_64" }),
		[]string{"ubuntu_22_04_x64_20G_alibase_20240130.vhd", "ubuntu_22_04_x64_20G_alibase_20240926.vhd"})
	check("unavailable", images(func(r *ecs.DescribeImagesRequest) { r.Status = "UnAvailable,CreateFailed" }), nil)
	check("any status", images(func(r *ecs.DescribeImagesRequest) { r.ImageId, r.Status = image, "Creating,Available" }), []string{image})

	// Paging as the provider pages (PageNumber, PageSize).
	req := ecs.CreateDescribeImagesRequest()
	req.RegionId, req.ImageOwnerAlias, req.PageSize, req.PageNumber = region, "system", "5", "3"
	resp, err := e.ecs.DescribeImages(req)
	ok(t, err)
	if resp.TotalCount != len(system) || resp.PageNumber != 3 || len(resp.Images.Image) != min(5, len(system)-10) {
		t.Fatalf("page 3 of 5: total %d, %d images", resp.TotalCount, len(resp.Images.Image))
	}

	for _, c := range []struct {
		m    func(*ecs.DescribeImagesRequest)
		code string
		st   int
	}{
		{func(r *ecs.DescribeImagesRequest) { r.Status = "Ready" }, "InvalidParameter", 400},
		{func(r *ecs.DescribeImagesRequest) { r.OSType = "Linux" }, "InvalidParameter", 400},
		{func(r *ecs.DescribeImagesRequest) { r.ImageOwnerAlias = "public" }, "InvalidParameter", 400},
		{func(r *ecs.DescribeImagesRequest) { r.RegionId = "cn-nowhere" }, "InvalidRegionId.NotFound", 404},
	} {
		req := ecs.CreateDescribeImagesRequest()
		req.RegionId = region
		c.m(req)
		_, err := e.ecs.DescribeImages(req)
		apiError(t, err, c.code, c.st)
	}
}

// DescribeTags: images carry none; instances count theirs, per account.
func TestDescribeTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tags := func(c *ecs.Client, m func(*ecs.DescribeTagsRequest)) map[string]int {
		t.Helper()
		req := ecs.CreateDescribeTagsRequest()
		req.RegionId = region
		m(req)
		resp, err := c.DescribeTags(req)
		ok(t, err)
		out := map[string]int{}
		for _, tag := range resp.Tags.Tag {
			out[tag.TagKey+"="+tag.TagValue] = tag.ResourceTypeCount.Instance
		}
		if resp.TotalCount != len(out) {
			t.Fatalf("TotalCount %d for %v", resp.TotalCount, out)
		}
		return out
	}
	if got := tags(e.ecs, func(r *ecs.DescribeTagsRequest) { r.ResourceType, r.ResourceId = "image", image }); len(got) != 0 {
		t.Fatalf("image tags: %v", got)
	}
	tag := func(pairs ...string) func(*ecs.RunInstancesRequest) {
		return func(r *ecs.RunInstancesRequest) {
			var ts []ecs.RunInstancesTag
			for i := 0; i < len(pairs); i += 2 {
				ts = append(ts, ecs.RunInstancesTag{Key: pairs[i], Value: pairs[i+1]})
			}
			r.Tag = &ts
		}
	}
	a := run(t, e.ecs, 1, tag("env", "dev", "team", "core"))[0]
	run(t, e.ecs, 1, tag("env", "prod"))
	run(t, e.ecs, 1, tag("env", "dev"))

	all := tags(e.ecs, func(r *ecs.DescribeTagsRequest) { r.ResourceType = "instance" })
	if !mapsEqualInt(all, map[string]int{"env=dev": 2, "env=prod": 1, "team=core": 1}) {
		t.Fatalf("instance tags: %v", all)
	}
	if one := tags(e.ecs, func(r *ecs.DescribeTagsRequest) { r.ResourceType, r.ResourceId = "instance", a }); !mapsEqualInt(one, map[string]int{"env=dev": 1, "team=core": 1}) {
		t.Fatalf("tags of %s: %v", a, one)
	}
	byKey := tags(e.ecs, func(r *ecs.DescribeTagsRequest) {
		r.ResourceType, r.Tag = "instance", &[]ecs.DescribeTagsTag{{Key: "env"}}
	})
	if !mapsEqualInt(byKey, map[string]int{"env=dev": 2, "env=prod": 1}) {
		t.Fatalf("tags with key env: %v", byKey)
	}
	if untyped := tags(e.ecs, func(r *ecs.DescribeTagsRequest) {}); !mapsEqualInt(untyped, all) {
		t.Fatalf("every resource type: %v", untyped)
	}
	if none := tags(e.ecs, func(r *ecs.DescribeTagsRequest) { r.ResourceType, r.ResourceId = "instance", "i-bpnosuchinstance000" }); len(none) != 0 {
		t.Fatalf("unknown instance: %v", none)
	}
	other := e.newAccount("100.00")
	if theirs := tags(other.ECS, func(r *ecs.DescribeTagsRequest) { r.ResourceType = "instance" }); len(theirs) != 0 {
		t.Fatalf("another account sees %v", theirs)
	}
	if disks := tags(e.ecs, func(r *ecs.DescribeTagsRequest) { r.ResourceType = "disk" }); len(disks) != 0 {
		t.Fatalf("disk tags: %v", disks)
	}

	for _, c := range []struct {
		m    func(*ecs.DescribeTagsRequest)
		code string
		st   int
	}{
		{func(r *ecs.DescribeTagsRequest) { r.ResourceType = "vm" }, "InvalidResourceType.NotFound", 404},
		{func(r *ecs.DescribeTagsRequest) { r.RegionId = "cn-nowhere" }, "InvalidRegionId.NotFound", 404},
		{func(r *ecs.DescribeTagsRequest) { r.Tag = &[]ecs.DescribeTagsTag{{Value: "dev"}} }, "InvalidTagKey.Malformed", 400},
		{func(r *ecs.DescribeTagsRequest) { r.PageSize = "101" }, "InvalidParameter", 400},
	} {
		req := ecs.CreateDescribeTagsRequest()
		req.RegionId = region
		c.m(req)
		_, err := e.ecs.DescribeTags(req)
		apiError(t, err, c.code, c.st)
	}
}

func mapsEqualInt(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if n, ok := b[k]; !ok || n != v {
			return false
		}
	}
	return true
}

// DescribeZones as alicloud_zones reads it (docs/catalog.md, "What the
// Terraform data sources read"): every zone lists its instance types and
// the disk categories a configuration asks for, and the zones and types
// agree with DescribeAvailableResource.
func TestDescribeZonesForTheDataSource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req := ecs.CreateDescribeZonesRequest()
	req.RegionId, req.InstanceChargeType, req.SpotStrategy = region, "PostPaid", "NoSpot"
	zones, err := e.ecs.DescribeZones(req)
	ok(t, err)
	avail, err := e.ecs.DescribeAvailableResource(availReq("InstanceType"))
	ok(t, err)
	_, sold := availability(t, avail, "InstanceType")
	if len(zones.Zones.Zone) != len(sold) {
		t.Fatalf("DescribeZones has %d zones, DescribeAvailableResource %d", len(zones.Zones.Zone), len(sold))
	}
	for _, z := range zones.Zones.Zone {
		types := z.AvailableInstanceTypes.InstanceTypes
		if len(types) == 0 {
			t.Fatalf("zone %s lists no instance type", z.ZoneId)
		}
		for _, cat := range []string{"cloud_efficiency", "cloud_ssd", "cloud_essd"} {
			if !slices.Contains(z.AvailableDiskCategories.DiskCategories, cat) {
				t.Fatalf("zone %s lacks disk category %s: %v", z.ZoneId, cat, z.AvailableDiskCategories.DiskCategories)
			}
		}
		var fromAvail []string
		for v := range sold[z.ZoneId] {
			fromAvail = append(fromAvail, v)
		}
		sort.Strings(fromAvail)
		sorted := slices.Sorted(slices.Values(types))
		if !slices.Equal(sorted, fromAvail) {
			t.Fatalf("zone %s: DescribeZones sells %v, DescribeAvailableResource %v", z.ZoneId, sorted, fromAvail)
		}
	}
}
