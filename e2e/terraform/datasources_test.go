package terraform

import (
	"maps"
	"slices"
	"testing"
)

type typeOut struct {
	ID           string   `json:"id"`
	CPUCoreCount int      `json:"cpu_core_count"`
	MemorySize   float64  `json:"memory_size"`
	Family       string   `json:"family"`
	Zones        []string `json:"zones"`
}

type imageOut struct {
	ID           string `json:"id"`
	OSType       string `json:"os_type"`
	Architecture string `json:"architecture"`
	CreationTime string `json:"creation_time"`
	OwnerAlias   string `json:"owner_alias"`
}

// checkDataSources compares the configuration's outputs with what is
// expected: the zone ids, each instance type with its zones, and the image.
func checkDataSources(zones []string, types map[string][]string, img string, cores int, memory float64) func(*testing.T, *Workspace) {
	return func(t *testing.T, w *Workspace) {
		t.Helper()
		var gotZones []string
		w.Output("zone_ids", &gotZones)
		if !slices.Equal(gotZones, zones) {
			t.Errorf("alicloud_zones: %v, want %v", gotZones, zones)
		}
		var gotTypes []typeOut
		w.Output("instance_types", &gotTypes)
		byID := map[string][]string{}
		for _, it := range gotTypes {
			if it.CPUCoreCount != cores || it.MemorySize != memory {
				t.Errorf("alicloud_instance_types: %s has %d cores and %v GiB, want %d and %v", it.ID, it.CPUCoreCount, it.MemorySize, cores, memory)
			}
			slices.Sort(it.Zones)
			byID[it.ID] = it.Zones
		}
		if !maps.EqualFunc(byID, types, slices.Equal) {
			t.Errorf("alicloud_instance_types: %v, want %v", byID, types)
		}
		var gotImage imageOut
		w.Output("image", &gotImage)
		if gotImage.ID != img || gotImage.OSType != "linux" || gotImage.Architecture != "x86_64" || gotImage.OwnerAlias != "system" || gotImage.CreationTime == "" {
			t.Errorf("alicloud_images: %+v, want %s", gotImage, img)
		}
	}
}

// The three data sources of a first configuration, read by the real
// provider: apply, plan clean; then, with a type sold out in one zone and
// other variables, apply and plan clean again; destroy.
func TestDataSources(t *testing.T) {
	t.Parallel()
	w := New(t, "data-sources", Options{})
	all := []string{"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"}
	took := w.Cycle(
		Step{
			Name: "defaults",
			Check: checkDataSources(all,
				map[string][]string{"ecs.g6.large": all[:3], "ecs.g7.large": all},
				"ubuntu_22_04_x64_20G_alibase_20240926.vhd", 2, 8),
		},
		Step{
			Name: "another size, a sold-out zone, another image",
			Before: func(t *testing.T, w *Workspace) {
				w.Server.Admin(t, "PUT", "/admin/v1/capacity",
					map[string]any{"zone_id": "cn-hangzhou-h", "instance_type": "ecs.g7.xlarge", "available": 0}, nil)
			},
			Vars: Vars{"instance_type": "ecs.d1ne.2xlarge", "disk_category": "cloud_efficiency", "cpu_core_count": "4", "memory_size": "16",
				"image_name_regex": "^centos_7"},
			Check: checkDataSources(all[:3],
				map[string][]string{"ecs.g7.xlarge": all[1:], "ecs.i1.xlarge": all[:3]},
				"centos_7_9_x64_20G_alibase_20240628.vhd", 4, 16),
		},
	)
	t.Logf("Terraform data-source cycle (2 applies, 2 plans, destroy): %s", took.Round(1e6))

	// What the provider called: the five catalogue actions, every one served.
	called := map[string]int{}
	for _, c := range w.Server.Calls(t) {
		if c.Status != 200 {
			t.Errorf("%s answered %d %s", c.Action, c.Status, c.Code)
		}
		called[c.Action]++
	}
	for _, action := range []string{"DescribeAvailableResource", "DescribeZones", "DescribeInstanceTypes", "DescribeImages", "DescribeTags"} {
		if called[action] == 0 {
			t.Errorf("the provider never called %s: %v", action, called)
		}
		delete(called, action)
	}
	delete(called, "DescribeRegions")   // the harness's own check
	delete(called, "DescribeInstances") // that the server holds nothing
	if len(called) > 0 {
		t.Errorf("the provider called more than the data sources need: %v", called)
	}
}
