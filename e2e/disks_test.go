package e2e

// Disks as resources through the legacy Go SDK: DescribeDisks, CreateDisk,
// AttachDisk, DetachDisk, DeleteDisk, ResizeDisk, and the DataDisk.N of
// RunInstances (docs/disks.md). Helpers carry a "dk" prefix.

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// dkDisks lists disks with DescribeDisks; mutate sets the filters.
func dkDisks(t *testing.T, c *ecs.Client, mutate func(*ecs.DescribeDisksRequest)) *ecs.DescribeDisksResponse {
	t.Helper()
	req := ecs.CreateDescribeDisksRequest()
	req.RegionId = region
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.DescribeDisks(req)
	ok(t, err)
	return resp
}

// dkDisksErr is DescribeDisks returning its error.
func dkDisksErr(c *ecs.Client, mutate func(*ecs.DescribeDisksRequest)) error {
	req := ecs.CreateDescribeDisksRequest()
	req.RegionId = region
	mutate(req)
	_, err := c.DescribeDisks(req)
	return err
}

// dkDisk returns one disk by id.
func dkDisk(t *testing.T, c *ecs.Client, id string) ecs.Disk {
	t.Helper()
	resp := dkDisks(t, c, func(r *ecs.DescribeDisksRequest) { r.DiskIds = fmt.Sprintf(`["%s"]`, id) })
	if len(resp.Disks.Disk) != 1 {
		t.Fatalf("DescribeDisks(DiskIds=[%s]) found %d disks", id, len(resp.Disks.Disk))
	}
	return resp.Disks.Disk[0]
}

// dkIDs returns the ids of a DescribeDisks answer, in order.
func dkIDs(resp *ecs.DescribeDisksResponse) []string {
	out := []string{}
	for _, d := range resp.Disks.Disk {
		out = append(out, d.DiskId)
	}
	return out
}

func dkCreate(c *ecs.Client, mutate func(*ecs.CreateDiskRequest)) (string, error) {
	req := ecs.CreateCreateDiskRequest()
	req.RegionId, req.ZoneId, req.Size, req.DiskCategory = region, ctlZone, "50", "cloud_essd"
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.CreateDisk(req)
	if err != nil {
		return "", err
	}
	return resp.DiskId, nil
}

func dkAttach(c *ecs.Client, instance, disk string, deleteWithInstance string) error {
	req := ecs.CreateAttachDiskRequest()
	req.RegionId, req.InstanceId, req.DiskId = region, instance, disk
	if deleteWithInstance != "" {
		req.DeleteWithInstance = requests.Boolean(deleteWithInstance)
	}
	_, err := c.AttachDisk(req)
	return err
}

func dkDetach(c *ecs.Client, instance, disk string) error {
	req := ecs.CreateDetachDiskRequest()
	req.RegionId, req.InstanceId, req.DiskId = region, instance, disk
	_, err := c.DetachDisk(req)
	return err
}

func dkDelete(c *ecs.Client, disk string) error {
	req := ecs.CreateDeleteDiskRequest()
	req.RegionId, req.DiskId = region, disk
	_, err := c.DeleteDisk(req)
	return err
}

func dkResize(c *ecs.Client, disk string, size int, typ string) error {
	req := ecs.CreateResizeDiskRequest()
	req.RegionId, req.DiskId, req.NewSize, req.Type = region, disk, requestsInt(size), typ
	_, err := c.ResizeDisk(req)
	return err
}

// dkRunWithDisks runs an instance the way Terraform's alicloud_instance does
// (system disk category and size given) with two data disks.
func dkRunWithDisks(t *testing.T, c *ecs.Client) string {
	t.Helper()
	return ctlRun(t, c, itype, func(r *ecs.RunInstancesRequest) {
		r.SystemDiskCategory, r.SystemDiskSize, r.SystemDiskDiskName = "cloud_efficiency", "60", "root"
		r.DataDisk = &[]ecs.RunInstancesDataDisk{
			{Size: "100", Category: "cloud_ssd", DiskName: "logs", Description: "log volume", DeleteWithInstance: "false"},
			{Size: "500", Category: "cloud_essd", PerformanceLevel: "PL2", Encrypted: "true"},
		}
	})
}

func TestDescribeDisksEchoesRunInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := dkRunWithDisks(t, e.ecs)

	// What Terraform reads after creating an instance (terraform.md row 21).
	sys := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "system" })
	if len(sys.Disks.Disk) != 1 {
		t.Fatalf("system disks of %s: %d", id, len(sys.Disks.Disk))
	}
	d := sys.Disks.Disk[0]
	if d.InstanceId != id || d.Category != "cloud_efficiency" || d.Size != 60 || d.Type != "system" || d.DiskName != "root" ||
		d.Status != "In_use" || d.Device != "/dev/xvda" || d.Portable || !d.DeleteWithInstance || d.ImageId != image ||
		d.ZoneId != ctlZone || d.RegionId != region || d.DiskChargeType != "PostPaid" || d.PerformanceLevel != "" || d.Encrypted {
		t.Fatalf("system disk %+v", d)
	}
	if len(d.Attachments.Attachment) != 1 || d.Attachments.Attachment[0].InstanceId != id || d.CreationTime == "" || d.AttachedTime == "" {
		t.Fatalf("system disk attachments %+v, times %q %q", d.Attachments, d.CreationTime, d.AttachedTime)
	}

	data := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "data" })
	if len(data.Disks.Disk) != 2 || data.TotalCount != 2 {
		t.Fatalf("data disks: %d (TotalCount %d)", len(data.Disks.Disk), data.TotalCount)
	}
	logs, fast := data.Disks.Disk[0], data.Disks.Disk[1]
	if logs.Size != 100 || logs.Category != "cloud_ssd" || logs.DiskName != "logs" || logs.Description != "log volume" ||
		logs.DeleteWithInstance || !logs.Portable || logs.Device != "/dev/xvdb" || logs.Type != "data" {
		t.Fatalf("first data disk %+v", logs)
	}
	if fast.Size != 500 || fast.Category != "cloud_essd" || fast.PerformanceLevel != "PL2" || !fast.Encrypted || !fast.DeleteWithInstance ||
		fast.Device != "/dev/xvdc" || fast.IOPS == 0 {
		t.Fatalf("second data disk %+v", fast)
	}
	if all := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = id }); !slices.Equal(dkIDs(all), []string{d.DiskId, logs.DiskId, fast.DiskId}) {
		t.Fatalf("DiskType=all lists %v", dkIDs(all))
	}

	// Filters.
	check := func(name string, mutate func(*ecs.DescribeDisksRequest), want ...string) {
		t.Helper()
		resp := dkDisks(t, e.ecs, mutate)
		if got := dkIDs(resp); !slices.Equal(got, want) || resp.TotalCount != len(want) {
			t.Fatalf("%s: %v (TotalCount %d), want %v", name, got, resp.TotalCount, want)
		}
	}
	check("DiskIds", func(r *ecs.DescribeDisksRequest) {
		r.DiskIds = fmt.Sprintf(`["%s","%s","d-bpnosuchdisk00000"]`, fast.DiskId, d.DiskId)
	}, d.DiskId, fast.DiskId)
	check("DiskIds empty", func(r *ecs.DescribeDisksRequest) { r.DiskIds = `[]` })
	check("Category", func(r *ecs.DescribeDisksRequest) { r.Category = "cloud_ssd" }, logs.DiskId)
	check("Category all", func(r *ecs.DescribeDisksRequest) { r.Category, r.InstanceId = "all", id }, d.DiskId, logs.DiskId, fast.DiskId)
	check("Status", func(r *ecs.DescribeDisksRequest) { r.Status = "Available" })
	check("Status In_use", func(r *ecs.DescribeDisksRequest) { r.Status = "In_use" }, d.DiskId, logs.DiskId, fast.DiskId)
	check("ZoneId", func(r *ecs.DescribeDisksRequest) { r.ZoneId = "cn-hangzhou-i" })
	check("DiskName", func(r *ecs.DescribeDisksRequest) { r.DiskName = "logs" }, logs.DiskId)
	check("Portable", func(r *ecs.DescribeDisksRequest) { r.Portable = "true" }, logs.DiskId, fast.DiskId)
	check("DeleteWithInstance false", func(r *ecs.DescribeDisksRequest) { r.DeleteWithInstance = "false" }, logs.DiskId)
	check("Encrypted", func(r *ecs.DescribeDisksRequest) { r.Encrypted = "true" }, fast.DiskId)
	check("SnapshotId", func(r *ecs.DescribeDisksRequest) { r.SnapshotId = "s-bp1nosuchsnapshot00" })
	check("KMSKeyId", func(r *ecs.DescribeDisksRequest) { r.KMSKeyId = "key-none" })

	// Paging: by page number, and by token.
	p1 := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.PageSize, r.PageNumber = requestsInt(2), requestsInt(2) })
	if got := dkIDs(p1); !slices.Equal(got, []string{fast.DiskId}) || p1.TotalCount != 3 || p1.PageNumber != 2 || p1.PageSize != 2 {
		t.Fatalf("page 2 of 2: %v, TotalCount %d, PageNumber %d", got, p1.TotalCount, p1.PageNumber)
	}
	var seen []string
	token := ""
	for range 5 {
		resp := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.MaxResults, r.NextToken = requestsInt(1), token })
		seen = append(seen, dkIDs(resp)...)
		if token = resp.NextToken; token == "" {
			break
		}
	}
	if !slices.Equal(seen, []string{d.DiskId, logs.DiskId, fast.DiskId}) {
		t.Fatalf("paging by token saw %v", seen)
	}
}

func TestDescribeDisksErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name   string
		mutate func(*ecs.DescribeDisksRequest)
		code   string
		status int
	}{
		{"unknown region", func(r *ecs.DescribeDisksRequest) { r.RegionId = "cn-nowhere" }, "InvalidRegionId.NotFound", 404},
		{"unknown zone", func(r *ecs.DescribeDisksRequest) { r.ZoneId = "cn-shanghai-e" }, "InvalidZoneId.NotFound", 400},
		{"DiskIds not JSON", func(r *ecs.DescribeDisksRequest) { r.DiskIds = "d-1,d-2" }, "InvalidParameter.DiskIds", 400},
		{"too many DiskIds", func(r *ecs.DescribeDisksRequest) {
			ids := make([]string, 101)
			for i := range ids {
				ids[i] = fmt.Sprintf(`"d-%d"`, i)
			}
			r.DiskIds = "[" + joinComma(ids) + "]"
		}, "InvalidDiskIds.Malformed", 403},
		{"DiskType", func(r *ecs.DescribeDisksRequest) { r.DiskType = "boot" }, "InvalidDiskType.ValueNotSupported", 400},
		{"Category", func(r *ecs.DescribeDisksRequest) { r.Category = "floppy" }, "InvalidCategory.ValueNotSupported", 400},
		{"Status", func(r *ecs.DescribeDisksRequest) { r.Status = "Broken" }, "InvalidStatus.ValueNotSupported", 400},
		{"PageSize", func(r *ecs.DescribeDisksRequest) { r.PageSize = requestsInt(101) }, "InvalidParameter", 400},
		{"MaxResults", func(r *ecs.DescribeDisksRequest) { r.MaxResults = requestsInt(501) }, "InvalidParameter", 400},
		{"NextToken", func(r *ecs.DescribeDisksRequest) { r.NextToken = "not-a-token" }, "InvalidParameter", 400},
		{"Portable", func(r *ecs.DescribeDisksRequest) { r.Portable = "maybe" }, "InvalidParameter", 400},
		{"tag without key", func(r *ecs.DescribeDisksRequest) { r.Tag = &[]ecs.DescribeDisksTag{{Value: "v"}} }, "InvalidTagKey.Malformed", 400},
		{"DryRun", func(r *ecs.DescribeDisksRequest) { r.DryRun = "true" }, "DryRunOperation", 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apiError(t, dkDisksErr(e.ecs, c.mutate), c.code, c.status)
		})
	}
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}

func TestDiskLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	disk, err := dkCreate(e.ecs, func(r *ecs.CreateDiskRequest) {
		r.DiskName, r.Description, r.PerformanceLevel = "scratch", "a scratch disk", "PL0"
		r.Tag = &[]ecs.CreateDiskTag{{Key: "team", Value: "core"}}
	})
	ok(t, err)
	d := dkDisk(t, e.ecs, disk)
	if d.Status != "Available" || d.InstanceId != "" || d.Device != "" || d.Size != 50 || d.Category != "cloud_essd" || d.PerformanceLevel != "PL0" ||
		d.DiskName != "scratch" || d.Description != "a scratch disk" || !d.Portable || d.DeleteWithInstance || d.Type != "data" ||
		d.ZoneId != ctlZone || len(d.Tags.Tag) != 1 || d.Tags.Tag[0].TagKey != "team" || d.Tags.Tag[0].TagValue != "core" {
		t.Fatalf("a new disk: %+v", d)
	}

	ok(t, dkAttach(e.ecs, id, disk, ""))
	d = dkDisk(t, e.ecs, disk)
	if d.Status != "In_use" || d.InstanceId != id || d.Device != "/dev/xvdb" || d.DeleteWithInstance || d.AttachedTime == "" {
		t.Fatalf("attached: %+v", d)
	}
	// The instance starts and reboots with it (its status is In_use).
	ok(t, reboot(e.ecs, id))
	ok(t, dkResize(e.ecs, disk, 80, "online"))
	if got := dkDisk(t, e.ecs, disk).Size; got != 80 {
		t.Fatalf("size after ResizeDisk online: %d", got)
	}
	apiError(t, dkResize(e.ecs, disk, 80, ""), "InvalidDiskSize.TooSmall", 403)
	apiError(t, dkResize(e.ecs, disk, 70000, ""), "InvalidDiskSize.TooLarge", 403)

	ok(t, dkDetach(e.ecs, id, disk))
	d = dkDisk(t, e.ecs, disk)
	if d.Status != "Available" || d.InstanceId != "" || d.Device != "" || d.DetachedTime == "" || len(d.Attachments.Attachment) != 0 {
		t.Fatalf("detached: %+v", d)
	}
	ok(t, dkResize(e.ecs, disk, 100, ""))
	ok(t, dkAttach(e.ecs, id, disk, "true"))
	if d = dkDisk(t, e.ecs, disk); !d.DeleteWithInstance || d.Size != 100 {
		t.Fatalf("attached again with DeleteWithInstance: %+v", d)
	}
	ok(t, dkDetach(e.ecs, id, disk))
	if d = dkDisk(t, e.ecs, disk); d.DeleteWithInstance {
		t.Fatal("a detached disk is still released with the instance")
	}
	ok(t, dkDelete(e.ecs, disk))
	if resp := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.DiskIds = `["` + disk + `"]` }); len(resp.Disks.Disk) != 0 {
		t.Fatal("a deleted disk is still listed")
	}
	apiError(t, dkDelete(e.ecs, disk), "InvalidDiskId.NotFound", 404)

	// CreateDisk with InstanceId makes it attached at once.
	attached, err := dkCreate(e.ecs, func(r *ecs.CreateDiskRequest) { r.ZoneId, r.InstanceId = "", id })
	ok(t, err)
	if d = dkDisk(t, e.ecs, attached); d.Status != "In_use" || d.InstanceId != id || !d.DeleteWithInstance || d.ZoneId != ctlZone {
		t.Fatalf("CreateDisk with InstanceId: %+v", d)
	}
	if len(e.ctlEvents(attached, "disk.attached")) != 1 || len(e.ctlEvents(attached, "disk.created")) != 1 {
		t.Fatal("no disk.created / disk.attached events")
	}
}

func TestDiskErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := dkRunWithDisks(t, e.ecs)
	data := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "data" }).Disks.Disk
	sys := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "system" }).Disks.Disk[0].DiskId
	other := ctlRun(t, e.ecs, itype)
	free, err := dkCreate(e.ecs, nil)
	ok(t, err)
	elsewhere, err := dkCreate(e.ecs, func(r *ecs.CreateDiskRequest) { r.ZoneId = "cn-hangzhou-i" })
	ok(t, err)

	t.Run("CreateDisk", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			mutate func(*ecs.CreateDiskRequest)
			code   string
			status int
		}{
			{"no size", func(r *ecs.CreateDiskRequest) { r.Size = "" }, "MissingParameter", 400},
			{"snapshot", func(r *ecs.CreateDiskRequest) { r.SnapshotId = "s-bp1nosuchsnapshot00" }, "InvalidSnapshotId.NotFound", 404},
			{"category", func(r *ecs.CreateDiskRequest) { r.DiskCategory = "local_ssd_pro" }, "InvalidDiskCategory.ValueNotSupported", 400},
			{"too small", func(r *ecs.CreateDiskRequest) { r.Size = "10" }, "InvalidSize.ValueNotSupported", 400},
			{"too large for basic", func(r *ecs.CreateDiskRequest) { r.DiskCategory, r.Size = "cloud", "3000" }, "InvalidSize.ValueNotSupported", 400},
			{"PL3 too small", func(r *ecs.CreateDiskRequest) { r.PerformanceLevel, r.Size = "PL3", "100" }, "InvalidSize.ValueNotSupported", 400},
			{"performance level", func(r *ecs.CreateDiskRequest) { r.PerformanceLevel = "PL9" }, "InvalidPerformanceLevel.Malformed", 400},
			{"zone", func(r *ecs.CreateDiskRequest) { r.ZoneId = "cn-shanghai-e" }, "InvalidZoneId.NotFound", 404},
			{"no zone", func(r *ecs.CreateDiskRequest) { r.ZoneId = "" }, "MissingParameter", 400},
			{"zone and instance", func(r *ecs.CreateDiskRequest) { r.InstanceId = id }, "InvalidParameter.Conflict", 400},
			{"key without encryption", func(r *ecs.CreateDiskRequest) { r.KMSKeyId = "key-1" }, "InvalidParameter.EncryptedIllegal", 400},
			{"unknown key", func(r *ecs.CreateDiskRequest) { r.Encrypted, r.KMSKeyId = "true", "key-none" }, "InvalidParameter.KMSKeyId.NotFound", 404},
			{"name", func(r *ecs.CreateDiskRequest) { r.DiskName = "1disk" }, "InvalidDiskName.Malformed", 400},
			{"description", func(r *ecs.CreateDiskRequest) { r.Description = "http://x" }, "InvalidDescription.Malformed", 400},
			{"tag", func(r *ecs.CreateDiskRequest) { r.Tag = &[]ecs.CreateDiskTag{{Key: "aliyun:x", Value: "v"}} }, "InvalidTagKey.Malformed", 400},
			{"no instance", func(r *ecs.CreateDiskRequest) { r.ZoneId, r.InstanceId = "", "i-bpnosuchinstance000" }, "InvalidInstanceId.NotFound", 404},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := dkCreate(e.ecs, c.mutate)
				apiError(t, err, c.code, c.status)
			})
		}
	})
	t.Run("AttachDisk", func(t *testing.T) {
		apiError(t, dkAttach(e.ecs, id, "d-bpnosuchdisk00000", ""), "InvalidDiskId.NotFound", 404)
		apiError(t, dkAttach(e.ecs, "i-bpnosuchinstance000", free, ""), "InvalidInstanceId.NotFound", 404)
		apiError(t, dkAttach(e.ecs, other, sys, ""), "DiskNotPortable", 403)
		apiError(t, dkAttach(e.ecs, other, data[0].DiskId, ""), "InvalidDevice.InUse", 403)
		apiError(t, dkAttach(e.ecs, other, elsewhere, ""), "ResourcesNotInSameZone", 403)
		apiError(t, dkAttach(e.ecs, other, free, "maybe"), "InvalidParameter", 400)
		e.ctlPatchDisk(free, map[string]any{"status": "Error"})
		apiError(t, dkAttach(e.ecs, other, free, ""), "IncorrectDiskStatus", 403)
		e.ctlPatchDisk(free, map[string]any{"status": "Available", "in_arrears": true})
		apiError(t, dkAttach(e.ecs, other, free, ""), "DiskInArrears", 403)
		e.ctlPatchDisk(free, map[string]any{"in_arrears": false})
		e.admin("POST", "/admin/v1/instances/"+other+"/locks", map[string]any{"reason": "security"}, 200)
		apiError(t, dkAttach(e.ecs, other, free, ""), "InstanceLockedForSecurity", 403)
		e.admin("DELETE", "/admin/v1/instances/"+other+"/locks/security", nil, 200)
		ok(t, dkAttach(e.ecs, other, free, ""))
	})
	t.Run("DetachDisk", func(t *testing.T) {
		apiError(t, dkDetach(e.ecs, id, sys), "DiskTypeViolation", 403)
		apiError(t, dkDetach(e.ecs, other, data[0].DiskId), "DependencyViolation", 403)
		apiError(t, dkDetach(e.ecs, id, elsewhere), "InvalidDisk.AlreadyDetached", 404)
		apiError(t, dkDetach(e.ecs, id, "d-bpnosuchdisk00000"), "InvalidDiskId.NotFound", 404)
		e.ctlPatchDisk(data[1].DiskId, map[string]any{"status": "Error"})
		apiError(t, dkDetach(e.ecs, id, data[1].DiskId), "IncorrectDiskStatus", 403)
		e.ctlPatchDisk(data[1].DiskId, map[string]any{"status": "In_use"})
	})
	t.Run("DeleteDisk", func(t *testing.T) {
		apiError(t, dkDelete(e.ecs, sys), "DiskTypeViolation", 403)
		apiError(t, dkDelete(e.ecs, data[0].DiskId), "IncorrectDiskStatus", 403)
	})
	t.Run("ResizeDisk", func(t *testing.T) {
		basic, err := dkCreate(e.ecs, func(r *ecs.CreateDiskRequest) { r.DiskCategory = "cloud" })
		ok(t, err)
		apiError(t, dkResize(e.ecs, basic, 100, "online"), "OperationDenied", 403)
		apiError(t, dkResize(e.ecs, basic, 100, "sideways"), "InvalidParameter", 400)
		ok(t, dkResize(e.ecs, basic, 100, "offline"))
		ok(t, dkResize(e.ecs, sys, 100, ""))
		apiError(t, dkResize(e.ecs, sys, 3000, ""), "InvalidDiskSize.TooLarge", 403)
		apiError(t, dkResize(e.ecs, "d-bpnosuchdisk00000", 100, ""), "InvalidDiskId.NotFound", 404)
		local := ctlRun(t, e.ecs, "ecs.i2.xlarge")
		ld := e.ctlDisk(local, "local")
		apiError(t, dkResize(e.ecs, ld, 2000, ""), "OperationDenied", 403)
	})
}

// A released instance takes the disks marked DeleteWithInstance with it;
// the others stay, Available.
func TestReleaseKeepsDisksNotDeletedWithInstance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := dkRunWithDisks(t, e.ecs) // logs: DeleteWithInstance false
	all := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = id }).Disks.Disk
	sys, logs, fast := all[0].DiskId, all[1].DiskId, all[2].DiskId
	extra, err := dkCreate(e.ecs, nil)
	ok(t, err)
	ok(t, dkAttach(e.ecs, id, extra, "")) // AttachDisk's default: kept
	withIt, err := dkCreate(e.ecs, nil)
	ok(t, err)
	ok(t, dkAttach(e.ecs, id, withIt, "true"))

	req := ecs.CreateDeleteInstanceRequest()
	req.InstanceId, req.Force = id, requests.NewBoolean(true)
	_, err = e.ecs.DeleteInstance(req)
	ok(t, err)
	left := dkDisks(t, e.ecs, nil)
	if got := dkIDs(left); !slices.Equal(got, []string{logs, extra}) {
		t.Fatalf("disks after the release: %v, want [%s %s] (released %s, %s, %s)", got, logs, extra, sys, fast, withIt)
	}
	for _, d := range left.Disks.Disk {
		if d.Status != "Available" || d.InstanceId != "" || d.DetachedTime == "" {
			t.Fatalf("a kept disk: %+v", d)
		}
	}
	ev := e.ctlEvents(id, "instance.released")
	if len(ev) != 1 || len(ev[0]["data"].(map[string]any)["disks_kept"].([]any)) != 2 {
		t.Fatalf("release events: %v", ev)
	}
	// A kept disk goes on: attach it elsewhere, then delete it.
	other := ctlRun(t, e.ecs, itype)
	ok(t, dkAttach(e.ecs, other, logs, ""))
	ok(t, dkDetach(e.ecs, other, logs))
	ok(t, dkDelete(e.ecs, logs))
}

// With a transition delay, attaching and detaching go through Attaching and
// Detaching on the clock; an instance with a disk on the way does not start.
func TestDiskTransitionsOnTheClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := ctlRun(t, e.ecs, itype)
	e.advance("3h") // Pending → Starting → Running
	wantStatus(t, e.ecs, id, "Running")
	disk, err := dkCreate(e.ecs, nil)
	ok(t, err)
	ok(t, dkAttach(e.ecs, id, disk, ""))
	if d := dkDisk(t, e.ecs, disk); d.Status != "Attaching" || d.InstanceId != id {
		t.Fatalf("just attached: %+v", d)
	}
	apiError(t, dkDetach(e.ecs, id, disk), "IncorrectDiskStatus", 403)
	apiError(t, reboot(e.ecs, id), "DiskError", 403)
	e.advance("1h")
	if d := dkDisk(t, e.ecs, disk); d.Status != "In_use" {
		t.Fatalf("an hour later: %+v", d)
	}
	ok(t, dkDetach(e.ecs, id, disk))
	if d := dkDisk(t, e.ecs, disk); d.Status != "Detaching" || d.InstanceId != id {
		t.Fatalf("just detached: %+v", d)
	}
	apiError(t, dkDelete(e.ecs, disk), "IncorrectDiskStatus", 403)
	e.advance("1h")
	if d := dkDisk(t, e.ecs, disk); d.Status != "Available" || d.InstanceId != "" {
		t.Fatalf("an hour later: %+v", d)
	}
	// Attaching to an instance on its way: IncorrectInstanceStatus (400).
	ok(t, stop(e.ecs, id, ""))
	apiError(t, dkAttach(e.ecs, id, disk, ""), "IncorrectInstanceStatus", 400)
	// A disk still attaching when its instance is released is kept, and
	// the attach job that fires later leaves it alone.
	e.advance("1h")
	ok(t, dkAttach(e.ecs, id, disk, ""))
	ok(t, ctlDelete(e.ecs, id))
	e.advance("2h")
	if d := dkDisk(t, e.ecs, disk); d.Status != "Available" || d.InstanceId != "" {
		t.Fatalf("after the release and the attach job: %+v", d)
	}
}

// Another account's disks do not exist for the caller.
func TestDiskTenancy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	mine, err := dkCreate(e.ecs, nil)
	ok(t, err)
	theirs := ctlRun(t, a.ECS, itype)
	theirDisk, err := dkCreate(a.ECS, nil)
	ok(t, err)
	if got := dkIDs(dkDisks(t, a.ECS, nil)); slices.Contains(got, mine) || len(got) != 2 {
		t.Fatalf("the other account lists %v", got)
	}
	if got := dkIDs(dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = theirs })); len(got) != 0 {
		t.Fatalf("another account's instance's disks are listed: %v", got)
	}
	apiError(t, dkAttach(a.ECS, theirs, mine, ""), "InvalidDiskId.NotFound", 404)
	apiError(t, dkDelete(a.ECS, mine), "InvalidDiskId.NotFound", 404)
	apiError(t, dkResize(a.ECS, mine, 100, ""), "InvalidDiskId.NotFound", 404)
	myInstance := ctlRun(t, e.ecs, itype)
	apiError(t, dkAttach(e.ecs, myInstance, theirDisk, ""), "InvalidDiskId.NotFound", 404)
	apiError(t, dkAttach(a.ECS, myInstance, theirDisk, ""), "InvalidInstanceId.NotFound", 404)
	apiError(t, dkDetach(a.ECS, myInstance, theirDisk), "InvalidInstanceId.NotFound", 404)
	_, err = dkCreate(a.ECS, func(r *ecs.CreateDiskRequest) { r.ZoneId, r.InstanceId = "", myInstance })
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	// The same disk in another region does not exist either.
	req := ecs.CreateDeleteDiskRequest()
	req.RegionId, req.DiskId = "cn-shanghai", mine
	_, err = e.ecs.DeleteDisk(req)
	apiError(t, err, "InvalidDiskId.NotFound", 404)
}

func dkModify(c *ecs.Client, mutate func(*ecs.ModifyDiskAttributeRequest)) error {
	req := ecs.CreateModifyDiskAttributeRequest()
	req.RegionId = region
	mutate(req)
	_, err := c.ModifyDiskAttribute(req)
	return err
}

// ModifyDiskAttribute, as Terraform's alicloud_ecs_disk sends it for a
// rename and its flags; the flags a new disk shows are the ones the provider
// expects of a disk made without them.
func TestModifyDiskAttribute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := dkRunWithDisks(t, e.ecs)
	all := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = id }).Disks.Disk
	sys, logs := all[0].DiskId, all[1].DiskId
	disk, err := dkCreate(e.ecs, nil)
	ok(t, err)
	if d := dkDisk(t, e.ecs, disk); d.DeleteAutoSnapshot || !d.EnableAutoSnapshot || d.BurstingEnabled {
		t.Fatalf("a new disk's flags: DeleteAutoSnapshot %v, EnableAutoSnapshot %v, BurstingEnabled %v", d.DeleteAutoSnapshot, d.EnableAutoSnapshot, d.BurstingEnabled)
	}
	ok(t, dkModify(e.ecs, func(r *ecs.ModifyDiskAttributeRequest) {
		r.DiskId, r.DiskName, r.Description = disk, "renamed", "described"
		r.DeleteAutoSnapshot, r.EnableAutoSnapshot = requests.NewBoolean(true), requests.NewBoolean(false)
	}))
	if d := dkDisk(t, e.ecs, disk); d.DiskName != "renamed" || d.Description != "described" || !d.DeleteAutoSnapshot || d.EnableAutoSnapshot {
		t.Fatalf("after ModifyDiskAttribute: %+v", d)
	}
	// Several disks at once; DeleteWithInstance of an attached data disk.
	ok(t, dkModify(e.ecs, func(r *ecs.ModifyDiskAttributeRequest) {
		r.DiskIds, r.DeleteWithInstance = &[]string{logs, disk}, requests.NewBoolean(true)
	}))
	if !dkDisk(t, e.ecs, logs).DeleteWithInstance || !dkDisk(t, e.ecs, disk).DeleteWithInstance {
		t.Fatal("DeleteWithInstance did not stick on both disks")
	}
	auto, err := dkCreate(e.ecs, func(r *ecs.CreateDiskRequest) { r.DiskCategory = "cloud_auto" })
	ok(t, err)
	ok(t, dkModify(e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.BurstingEnabled = auto, requests.NewBoolean(true) }))
	if !dkDisk(t, e.ecs, auto).BurstingEnabled {
		t.Fatal("BurstingEnabled did not stick")
	}
	a := e.newAccount("100.00")
	for _, c := range []struct {
		name   string
		client *ecs.Client
		mutate func(*ecs.ModifyDiskAttributeRequest)
		code   string
		status int
	}{
		{"nothing to change", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId = disk }, "NoAttributeToModify", 400},
		{"no disk", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskName = "x1" }, "MissingParameter", 400},
		{"unknown disk", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.DiskName = "d-bpnosuchdisk00000", "x1" }, "InvalidDiskId.NotFound", 404},
		{"one unknown among several", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) {
			r.DiskIds, r.DiskName = &[]string{disk, "d-bpnosuchdisk00000"}, "x1"
		}, "InvalidDiskId.NotFound", 404},
		{"name", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.DiskName = disk, "9lives" }, "InvalidDiskName.Malformed", 400},
		{"description", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.Description = disk, "http://x" }, "InvalidDescription.Malformed", 400},
		{"system disk kept", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) {
			r.DiskId, r.DeleteWithInstance = sys, requests.NewBoolean(false)
		}, "DiskNotPortable", 403},
		{"bursting", e.ecs, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.BurstingEnabled = disk, requests.NewBoolean(true) }, "InvalidParameter", 400},
		{"another account's", a.ECS, func(r *ecs.ModifyDiskAttributeRequest) { r.DiskId, r.DiskName = disk, "x1" }, "InvalidDiskId.NotFound", 404},
	} {
		t.Run(c.name, func(t *testing.T) { apiError(t, dkModify(c.client, c.mutate), c.code, c.status) })
	}
	if dkDisk(t, e.ecs, disk).DiskName != "renamed" {
		t.Fatal("a refused call renamed the disk")
	}
}
