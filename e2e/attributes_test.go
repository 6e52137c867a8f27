package e2e

// Instance attributes through the legacy Go SDK (docs/instance-changes.md):
// what Terraform's alicloud_instance reads after creating an instance, and
// its rename. Helpers carry an "at" prefix.

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func atModify(c *ecs.Client, id string, mutate func(*ecs.ModifyInstanceAttributeRequest)) error {
	req := ecs.CreateModifyInstanceAttributeRequest()
	req.RegionId, req.InstanceId = region, id
	mutate(req)
	_, err := c.ModifyInstanceAttribute(req)
	return err
}

func atAttribute(c *ecs.Client, id string) (*ecs.DescribeInstanceAttributeResponse, error) {
	req := ecs.CreateDescribeInstanceAttributeRequest()
	req.RegionId, req.InstanceId = region, id
	return c.DescribeInstanceAttribute(req)
}

func atUserData(c *ecs.Client, id string) (string, error) {
	req := ecs.CreateDescribeUserDataRequest()
	req.RegionId, req.InstanceId = region, id
	resp, err := c.DescribeUserData(req)
	if err != nil {
		return "", err
	}
	if resp.InstanceId != id || resp.RegionId != region {
		return "", fmt.Errorf("DescribeUserData answered for %s in %s", resp.InstanceId, resp.RegionId)
	}
	return resp.UserData, nil
}

func atMaintenance(t *testing.T, c *ecs.Client, ids ...string) []ecs.MaintenanceAttribute {
	t.Helper()
	req := ecs.CreateDescribeInstanceMaintenanceAttributesRequest()
	req.RegionId = region
	if len(ids) > 0 {
		req.InstanceId = &ids
	}
	resp, err := c.DescribeInstanceMaintenanceAttributes(req)
	ok(t, err)
	return resp.MaintenanceAttributes.MaintenanceAttribute
}

func atSetMaintenance(c *ecs.Client, ids []string, mutate func(*ecs.ModifyInstanceMaintenanceAttributesRequest)) error {
	req := ecs.CreateModifyInstanceMaintenanceAttributesRequest()
	req.RegionId, req.InstanceId = region, &ids
	mutate(req)
	_, err := c.ModifyInstanceMaintenanceAttributes(req)
	return err
}

func atAutoRenew(c *ecs.Client, ids, status string) (*ecs.DescribeInstanceAutoRenewAttributeResponse, error) {
	req := ecs.CreateDescribeInstanceAutoRenewAttributeRequest()
	req.RegionId, req.InstanceId, req.RenewalStatus = region, ids, status
	return c.DescribeInstanceAutoRenewAttribute(req)
}

// Everything Terraform reads after creating an instance (terraform.md rows
// 22, 23, 25, 26, 27), and its rename (row 28), through the SDK.
func TestInstanceAttributesTerraformReads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	script := base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hello\n"))
	id := ctlRun(t, e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.InstanceName, r.Description, r.HostName, r.UserData, r.Password = "web-1", "first web server", "web-1", script, "Openecs@2026"
	})

	attr, err := atAttribute(e.ecs, id)
	ok(t, err)
	in := describe(t, e.ecs, id)
	if attr.InstanceId != id || attr.InstanceName != "web-1" || attr.Description != "first web server" || attr.HostName != "web-1" ||
		attr.Status != "Running" || attr.EnableJumboFrame || attr.ZoneId != ctlZone || attr.InstanceType != itype || attr.Cpu != 2 ||
		attr.Memory != 8192 || attr.IoOptimized != "optimized" || attr.InstanceNetworkType != "vpc" || attr.ImageId != image {
		t.Fatalf("DescribeInstanceAttribute: %+v", attr)
	}
	if attr.VpcAttributes.VpcId != in.VpcAttributes.VpcId || attr.VpcAttributes.VSwitchId != in.VpcAttributes.VSwitchId ||
		len(attr.VpcAttributes.PrivateIpAddress.IpAddress) != 1 || attr.VpcAttributes.PrivateIpAddress.IpAddress[0] != in.VpcAttributes.PrivateIpAddress.IpAddress[0] ||
		len(attr.SecurityGroupIds.SecurityGroupId) != 1 || attr.SecurityGroupIds.SecurityGroupId[0] != in.SecurityGroupIds.SecurityGroupId[0] ||
		attr.OperationLocks.LockReason == nil || attr.CreationTime != in.CreationTime || attr.ExpiredTime != in.ExpiredTime {
		t.Fatalf("DescribeInstanceAttribute network and times: %+v", attr)
	}

	ud, err := atUserData(e.ecs, id)
	ok(t, err)
	if ud != script {
		t.Fatalf("DescribeUserData = %q, want %q", ud, script)
	}

	rr := ecs.CreateDescribeInstanceRamRoleRequest()
	rr.RegionId, rr.InstanceIds = region, `["`+id+`"]`
	roles, err := e.ecs.DescribeInstanceRamRole(rr)
	ok(t, err)
	if sets := roles.InstanceRamRoleSets.InstanceRamRoleSet; len(sets) != 1 || sets[0].InstanceId != id || sets[0].RamRoleName != "" || roles.TotalCount != 1 {
		t.Fatalf("DescribeInstanceRamRole: %+v", roles)
	}
	rr.RamRoleName = "AliyunECSRole"
	roles, err = e.ecs.DescribeInstanceRamRole(rr)
	ok(t, err)
	if len(roles.InstanceRamRoleSets.InstanceRamRoleSet) != 0 {
		t.Fatalf("a RAM role filter matched %+v", roles.InstanceRamRoleSets)
	}

	m := atMaintenance(t, e.ecs, id)
	if len(m) != 1 || m[0].InstanceId != id || len(m[0].MaintenanceWindows.MaintenanceWindow) != 0 || m[0].NotifyOnMaintenance ||
		m[0].ActionOnMaintenance.Value != "AutoRecover" || m[0].ActionOnMaintenance.DefaultValue != "AutoRecover" ||
		len(m[0].ActionOnMaintenance.SupportedValues.SupportedValue) != 3 {
		t.Fatalf("maintenance attributes of a new instance: %+v", m)
	}

	ar := ecs.CreateDescribeInstanceAttachmentAttributesRequest()
	ar.RegionId, ar.InstanceIds = region, `["`+id+`"]`
	att, err := e.ecs.DescribeInstanceAttachmentAttributes(ar)
	ok(t, err)
	if list := att.Instances.Instance; len(list) != 1 || list[0].InstanceId != id || list[0].PrivatePoolOptionsMatchCriteria != "None" || list[0].PrivatePoolOptionsId != "" {
		t.Fatalf("DescribeInstanceAttachmentAttributes: %+v", att.Instances)
	}

	// The rename sticks: DescribeInstances shows it at once (row 28).
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "web-renamed" }))
	if got := describe(t, e.ecs, id).InstanceName; got != "web-renamed" {
		t.Fatalf("after the rename DescribeInstances shows %q", got)
	}
	if got := describe(t, e.ecs, id).Description; got != "first web server" {
		t.Fatalf("a rename changed the description to %q", got)
	}
}

func TestModifyInstanceAttribute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) {
		r.Description, r.HostName, r.Password = "changed", "db-${instance_id}", "Aa1!aaaa"
		r.DeletionProtection, r.CreditSpecification, r.EnableJumboFrame = requests.NewBoolean(true), "Unlimited", requests.NewBoolean(true)
	}))
	in := describe(t, e.ecs, id)
	if in.Description != "changed" || in.HostName != "db-"+id || !in.DeletionProtection || in.CreditSpecification != "Unlimited" {
		t.Fatalf("after ModifyInstanceAttribute: description %q, host %q, protection %v, credit %q", in.Description, in.HostName, in.DeletionProtection, in.CreditSpecification)
	}
	attr, err := atAttribute(e.ecs, id)
	ok(t, err)
	if !attr.EnableJumboFrame {
		t.Fatal("EnableJumboFrame did not stick")
	}
	// Deletion protection now holds; lifting it lets the instance go.
	apiError(t, ctlDelete(e.ecs, id), "InvalidOperation.DeletionProtection", 403)
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.DeletionProtection = requests.NewBoolean(false) }))

	// User data: set, replaced, shown; never for another account.
	if ud, err := atUserData(e.ecs, id); err != nil || ud != "" {
		t.Fatalf("user data of an instance made without: %q, %v", ud, err)
	}
	first := base64.StdEncoding.EncodeToString([]byte("echo one"))
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = first }))
	ok(t, stop(e.ecs, id, ""))
	second := base64.StdEncoding.EncodeToString([]byte("echo two"))
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = second }))
	if ud, err := atUserData(e.ecs, id); err != nil || ud != second {
		t.Fatalf("user data after two changes: %q, %v", ud, err)
	}
	evs := e.ctlEvents(id, "instance.modified")
	if len(evs) != 4 {
		t.Fatalf("%d instance.modified events, want 4", len(evs))
	}
	for _, ev := range evs {
		if strings.Contains(fmt.Sprint(ev), "Aa1!aaaa") {
			t.Fatalf("an event holds the password: %v", ev)
		}
	}

	huge := base64.StdEncoding.EncodeToString(make([]byte, 32*1024+1))
	exact := base64.StdEncoding.EncodeToString(make([]byte, 32*1024))
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = exact }))
	a := e.newAccount("100.00")
	for _, c := range []struct {
		name   string
		client *ecs.Client
		id     string
		mutate func(*ecs.ModifyInstanceAttributeRequest)
		code   string
		status int
	}{
		{"user data too large", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = huge }, "InvalidUserData.SizeExceeded", 400},
		{"user data not base64", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = "#!/bin/sh echo" }, "InvalidUserData.Base64FormatInvalid", 400},
		{"password too short", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "Aa1!" }, "InvalidPassword.Malformed", 400},
		{"password of two kinds", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "abcdefgh12" }, "InvalidPassword.Malformed", 400},
		{"password with a space", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "Abc 12345!" }, "InvalidPassword.Malformed", 400},
		{"password too long", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "Aa1!" + strings.Repeat("a", 27) }, "InvalidPassword.Malformed", 400},
		{"name", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "-web" }, "InvalidInstanceName.Malformed", 400},
		{"description", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Description = "https://x" }, "InvalidDescription.Malformed", 400},
		{"host name", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.HostName = "a..b" }, "InvalidHostName.Malformed", 400},
		{"credit", e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.CreditSpecification = "Turbo" }, "InvalidParameter", 400},
		{"no instance", e.ecs, "i-bpnosuchinstance000", func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "x1" }, "InvalidInstanceId.NotFound", 404},
		{"another account's", a.ECS, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "x1" }, "InvalidInstanceId.NotFound", 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			apiError(t, atModify(c.client, c.id, c.mutate), c.code, c.status)
		})
	}
	if describe(t, e.ecs, id).InstanceName != id {
		t.Fatal("a refused call changed the name")
	}
	_, err = atAttribute(a.ECS, id)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	_, err = atUserData(a.ECS, id)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)

	e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
	apiError(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "locked" }), "InstanceLockedForSecurity", 403)
}

// A password or user data can not change while the instance is on its way
// (Starting); a Windows host name follows Windows' rules.
func TestModifyInstanceAttributeStatusAndWindows(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := ctlRun(t, e.ecs, itype)
	wantStatus(t, e.ecs, id, "Pending")
	apiError(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "Aa1!aaaa" }), "IncorrectInstanceStatus", 403)
	ud := base64.StdEncoding.EncodeToString([]byte("x"))
	apiError(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData = ud }), "IncorrectInstanceStatus", 403)
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.InstanceName = "still-fine" }))

	win := ctlRun(t, e.ecs, itype, func(r *ecs.RunInstancesRequest) { r.ImageId = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd" })
	apiError(t, atModify(e.ecs, win, func(r *ecs.ModifyInstanceAttributeRequest) { r.HostName = "web.example" }), "InvalidHostName.Malformed", 400)
	apiError(t, atModify(e.ecs, win, func(r *ecs.ModifyInstanceAttributeRequest) { r.HostName = "a-very-long-windows-name" }), "InvalidHostName.Malformed", 400)
	e.advance("3h")
	apiError(t, atModify(e.ecs, win, func(r *ecs.ModifyInstanceAttributeRequest) { r.Password = "/Aa1!aaaa" }), "InvalidPassword.Malformed", 400)
	ok(t, atModify(e.ecs, win, func(r *ecs.ModifyInstanceAttributeRequest) { r.HostName = "web01" }))
}

func TestRunInstancesUserDataAndPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) { r.UserData = "not base64!" })
	apiError(t, err, "InvalidUserData.Base64FormatInvalid", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.UserData = base64.StdEncoding.EncodeToString(make([]byte, 40000))
	})
	apiError(t, err, "InvalidUserData.SizeExceeded", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) { r.Password = "password" })
	apiError(t, err, "InvalidPassword.Malformed", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", DeleteWithInstance: "sometimes"}}
	})
	apiError(t, err, "InvalidParameter", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", PerformanceLevel: "PL7"}}
	})
	apiError(t, err, "InvalidParameter", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", DiskName: "-x"}}
	})
	apiError(t, err, "InvalidDiskName.Malformed", 400)
	_, err = ctlRunErr(e.ecs, itype, func(r *ecs.RunInstancesRequest) { r.SystemDiskDescription = "http://nope" })
	apiError(t, err, "InvalidDescription.Malformed", 400)
}

func TestMaintenanceAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 2)
	ok(t, atSetMaintenance(e.ecs, ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) {
		r.MaintenanceWindow = &[]ecs.ModifyInstanceMaintenanceAttributesMaintenanceWindow{{StartTime: "02:00:00Z", EndTime: "03:00:00Z"}}
		r.ActionOnMaintenance, r.NotifyOnMaintenance = "AutoRedeploy", requests.NewBoolean(true)
	}))
	all := atMaintenance(t, e.ecs) // no ids: every instance of the region
	if len(all) != 2 {
		t.Fatalf("%d maintenance attributes, want 2", len(all))
	}
	set, other := all[0], all[1]
	if set.InstanceId != ids[0] || len(set.MaintenanceWindows.MaintenanceWindow) != 1 || set.MaintenanceWindows.MaintenanceWindow[0].StartTime != "02:00:00Z" ||
		set.MaintenanceWindows.MaintenanceWindow[0].EndTime != "03:00:00Z" || set.ActionOnMaintenance.Value != "AutoRedeploy" || !set.NotifyOnMaintenance {
		t.Fatalf("the instance set: %+v", set)
	}
	if len(other.MaintenanceWindows.MaintenanceWindow) != 0 || other.ActionOnMaintenance.Value != "AutoRecover" {
		t.Fatalf("the other instance: %+v", other)
	}
	// Only what is sent changes; an empty window list is not sent by the SDK.
	ok(t, atSetMaintenance(e.ecs, ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) { r.ActionOnMaintenance = "Stop" }))
	if m := atMaintenance(t, e.ecs, ids[0])[0]; m.ActionOnMaintenance.Value != "Stop" || len(m.MaintenanceWindows.MaintenanceWindow) != 1 || !m.NotifyOnMaintenance {
		t.Fatalf("after changing the action: %+v", m)
	}
	for _, c := range []struct {
		name   string
		ids    []string
		mutate func(*ecs.ModifyInstanceMaintenanceAttributesRequest)
		code   string
		status int
	}{
		{"bad time", ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) {
			r.MaintenanceWindow = &[]ecs.ModifyInstanceMaintenanceAttributesMaintenanceWindow{{StartTime: "2am", EndTime: "03:00:00Z"}}
		}, "InvalidParameter.MaintenanceWindow", 400},
		{"no end", ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) {
			r.MaintenanceWindow = &[]ecs.ModifyInstanceMaintenanceAttributesMaintenanceWindow{{StartTime: "02:00:00Z"}}
		}, "InvalidParameter.MaintenanceWindow", 400},
		{"empty window", ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) {
			r.MaintenanceWindow = &[]ecs.ModifyInstanceMaintenanceAttributesMaintenanceWindow{{StartTime: "02:00:00Z", EndTime: "02:00:00Z"}}
		}, "InvalidParameter.MaintenanceWindow", 400},
		{"action", ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) { r.ActionOnMaintenance = "Reboot" }, "InvalidParameter.ActionOnMaintenance", 400},
		{"no instance", []string{"i-bpnosuchinstance000"}, func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) { r.ActionOnMaintenance = "Stop" }, "InvalidInstanceId.NotFound", 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			apiError(t, atSetMaintenance(e.ecs, c.ids, c.mutate), c.code, c.status)
		})
	}
	a := e.newAccount("100.00")
	apiError(t, atSetMaintenance(a.ECS, ids[:1], func(r *ecs.ModifyInstanceMaintenanceAttributesRequest) { r.ActionOnMaintenance = "Stop" }),
		"InvalidInstanceId.NotFound", 404)
	if m := atMaintenance(t, a.ECS, ids...); len(m) != 0 {
		t.Fatalf("another account sees %+v", m)
	}
}

func TestDescribeInstanceAutoRenewAttribute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	post := run(t, e.ecs, 1)[0]
	pre := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Month"
	})[0]
	auto := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit, r.AutoRenew, r.AutoRenewPeriod = "PrePaid", "1", "Month", requests.NewBoolean(true), "3"
	})[0]
	resp, err := atAutoRenew(e.ecs, pre+","+auto, "")
	ok(t, err)
	list := resp.InstanceRenewAttributes.InstanceRenewAttribute
	if len(list) != 2 || resp.TotalCount != 2 {
		t.Fatalf("DescribeInstanceAutoRenewAttribute: %+v", resp)
	}
	if list[0].InstanceId != pre || list[0].RenewalStatus != "Normal" || list[0].AutoRenewEnabled || list[0].Duration != 0 || list[0].PeriodUnit != "Month" {
		t.Fatalf("a subscription without auto-renewal: %+v", list[0])
	}
	if list[1].InstanceId != auto || list[1].RenewalStatus != "AutoRenewal" || !list[1].AutoRenewEnabled || list[1].Duration != 3 {
		t.Fatalf("an auto-renewing subscription: %+v", list[1])
	}
	resp, err = atAutoRenew(e.ecs, "", "AutoRenewal")
	ok(t, err)
	if l := resp.InstanceRenewAttributes.InstanceRenewAttribute; len(l) != 1 || l[0].InstanceId != auto {
		t.Fatalf("RenewalStatus=AutoRenewal: %+v", l)
	}
	_, err = atAutoRenew(e.ecs, post, "")
	apiError(t, err, "ChargeTypeViolation", 403)
	_, err = atAutoRenew(e.ecs, "", "")
	apiError(t, err, "InvalidParameter.RenewalStatusInstanceId", 403)
	_, err = atAutoRenew(e.ecs, pre, "Sometimes")
	apiError(t, err, "InvalidParameter.RenewalStatus", 403)
	_, err = atAutoRenew(e.ecs, "i-bpnosuchinstance000", "")
	apiError(t, err, "InvalidParameter.InvalidInstanceId", 403)
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("i-%d", i)
	}
	_, err = atAutoRenew(e.ecs, strings.Join(ids, ","), "")
	apiError(t, err, "InvalidParameter.ToManyInstanceIds", 403)
	a := e.newAccount("100.00")
	_, err = atAutoRenew(a.ECS, pre, "")
	apiError(t, err, "InvalidParameter.InvalidInstanceId", 403)
}
