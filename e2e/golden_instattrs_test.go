package e2e

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"
)

// diskSerial matches a disk's SerialNumber (its id without the prefix),
// which the shared normaliser does not know.
var diskSerial = regexp.MustCompile(`(SerialNumber(?:":"|>))bp[0-9a-z]{18}`)

// TestGoldenDisksAndInstanceAttributes records the exact JSON and XML body
// of the disk, instance-attribute, spec, charge-type and tag actions. Each
// format acts on its own instances and disks, so both see the same state.
func TestGoldenDisksAndInstanceAttributes(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	formats := []string{"JSON", "XML"}
	ids := map[string]map[string]string{} // format → name → id
	for _, f := range formats {
		ids[f] = map[string]string{}
	}
	call := func(name, action string, params func(format string) map[string]string, wantStatus int, keep ...string) {
		t.Helper()
		for _, format := range formats {
			p := map[string]string{"Format": format}
			if params != nil {
				for k, v := range params(format) {
					p[k] = v
				}
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			// keep names what the answer's first id of its kind is called.
			for _, k := range keep {
				prefix, as, _ := strings.Cut(k, "=")
				ids[format][as] = regexp.MustCompile(prefix + `-[0-9a-z]{20}`).FindString(string(r.Body))
			}
			golden(t, name+"."+strings.ToLower(format), n.apply(diskSerial.ReplaceAll(r.Body, []byte("${1}<disk-serial>"))))
		}
	}
	with := func(m map[string]string, refs ...string) func(string) map[string]string {
		return func(format string) map[string]string {
			out := map[string]string{}
			for k, v := range m {
				out[k] = v
			}
			for _, r := range refs { // Param=name: the id kept under name
				k, name, _ := strings.Cut(r, "=")
				v := ids[format][name]
				if k == "InstanceIds" || k == "DiskIds" { // JSON arrays
					v = `["` + v + `"]`
				}
				out[k] = v
			}
			return out
		}
	}
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho golden\n"))

	call("CreateInstance.disks", "CreateInstance", with(map[string]string{"ImageId": image, "InstanceType": itype, "ZoneId": "cn-hangzhou-h",
		"InstanceName": "golden-disks", "HostName": "golden-host", "SystemDisk.Category": "cloud_essd", "SystemDisk.Size": "40", "UserData": userData,
		"DataDisk.1.Size": "100", "DataDisk.1.Category": "cloud_ssd", "DataDisk.1.DiskName": "data1", "DataDisk.1.DeleteWithInstance": "false"}),
		200, "i=vm")
	call("CreateDisk", "CreateDisk", with(map[string]string{"ZoneId": "cn-hangzhou-h", "Size": "50", "DiskCategory": "cloud_essd",
		"DiskName": "golden-disk", "Description": "a golden disk", "Tag.1.Key": "env", "Tag.1.Value": "golden"}), 200, "d=disk")
	call("AttachDisk", "AttachDisk", with(nil, "InstanceId=vm", "DiskId=disk"), 200)
	call("DescribeDisks", "DescribeDisks", with(map[string]string{"PageSize": "10"}, "InstanceId=vm"), 200)
	call("ModifyDiskAttribute", "ModifyDiskAttribute", with(map[string]string{"DiskName": "golden-renamed", "DeleteAutoSnapshot": "true"}, "DiskId=disk"), 200)
	call("ModifyDiskAttribute.error", "ModifyDiskAttribute", with(nil, "DiskId=disk"), 400)
	call("ResizeDisk", "ResizeDisk", with(map[string]string{"NewSize": "80"}, "DiskId=disk"), 200)
	call("DetachDisk", "DetachDisk", with(nil, "InstanceId=vm", "DiskId=disk"), 200)
	call("DescribeDisks.available", "DescribeDisks", with(map[string]string{"MaxResults": "10"}, "DiskIds=disk"), 200)
	call("DeleteDisk", "DeleteDisk", with(nil, "DiskId=disk"), 200)
	call("DeleteDisk.error", "DeleteDisk", with(nil, "DiskId=disk"), 404)
	call("DescribeDisks.error", "DescribeDisks", with(map[string]string{"DiskType": "boot"}), 400)

	call("DescribeInstanceAttribute", "DescribeInstanceAttribute", with(nil, "InstanceId=vm"), 200)
	call("ModifyInstanceAttribute", "ModifyInstanceAttribute", with(map[string]string{"InstanceName": "golden-renamed",
		"Description": "renamed", "Password": "Golden@2026"}, "InstanceId=vm"), 200)
	call("ModifyInstanceAttribute.error", "ModifyInstanceAttribute", with(map[string]string{"UserData": "not base64"}, "InstanceId=vm"), 400)
	call("DescribeUserData", "DescribeUserData", with(nil, "InstanceId=vm"), 200)
	call("DescribeInstanceRamRole", "DescribeInstanceRamRole", with(nil, "InstanceIds=vm"), 200)
	call("ModifyInstanceMaintenanceAttributes", "ModifyInstanceMaintenanceAttributes", with(map[string]string{
		"MaintenanceWindow.1.StartTime": "18:00:00Z", "MaintenanceWindow.1.EndTime": "20:00:00Z", "ActionOnMaintenance": "Stop"}, "InstanceId.1=vm"), 200)
	call("DescribeInstanceMaintenanceAttributes", "DescribeInstanceMaintenanceAttributes", with(nil, "InstanceId.1=vm"), 200)
	call("DescribeInstanceAttachmentAttributes", "DescribeInstanceAttachmentAttributes", with(nil, "InstanceIds=vm"), 200)

	call("ModifyInstanceSpec", "ModifyInstanceSpec", with(map[string]string{"InstanceType": "ecs.g7.xlarge"}, "InstanceId=vm"), 200)
	call("ModifyInstanceSpec.error", "ModifyInstanceSpec", with(map[string]string{"InstanceType": "ecs.g7.large", "InternetMaxBandwidthOut": "5"}, "InstanceId=vm"), 400)
	call("ModifyInstanceChargeType", "ModifyInstanceChargeType", with(map[string]string{"InstanceChargeType": "PrePaid", "Period": "1",
		"PeriodUnit": "Month"}, "InstanceIds=vm"), 200)
	call("ModifyInstanceChargeType.error", "ModifyInstanceChargeType", with(map[string]string{"InstanceChargeType": "PrePaid", "Period": "1"},
		"InstanceIds=vm"), 400)
	call("DescribeInstanceAutoRenewAttribute", "DescribeInstanceAutoRenewAttribute", with(nil, "InstanceId=vm"), 200)

	call("TagResources", "TagResources", with(map[string]string{"ResourceType": "instance", "Tag.1.Key": "team", "Tag.1.Value": "core",
		"Tag.2.Key": "tier", "Tag.2.Value": "web"}, "ResourceId.1=vm"), 200)
	call("UntagResources", "UntagResources", with(map[string]string{"ResourceType": "instance", "TagKey.1": "tier"}, "ResourceId.1=vm"), 200)
	call("TagResources.error", "TagResources", with(map[string]string{"ResourceType": "bucket", "Tag.1.Key": "a", "Tag.1.Value": "b"}, "ResourceId.1=vm"), 404)
	call("ListTagResources", "ListTagResources", with(map[string]string{"ResourceType": "instance"}, "ResourceId.1=vm"), 200)
	call("DescribeTags.tagged", "DescribeTags", with(map[string]string{"ResourceType": "instance"}, "ResourceId=vm"), 200)
	call("DescribeTags.public-image", "DescribeTags", with(map[string]string{"ResourceType": "image", "ResourceId": image}), 200)

	// vm, a subscription since ModifyInstanceChargeType, changes type.
	call("ModifyPrepayInstanceSpec", "ModifyPrepayInstanceSpec", with(map[string]string{"InstanceType": "ecs.g7.2xlarge"}, "InstanceId=vm"), 200)
	call("ModifyPrepayInstanceSpec.error", "ModifyPrepayInstanceSpec", with(map[string]string{"InstanceType": "ecs.g7.large"}, "InstanceId=vm"), 400)
}
