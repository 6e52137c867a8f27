package e2e

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestDiskAdminValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	sys := e.ctlDisk(id, "system")
	e.admin("PATCH", "/admin/v1/disks/"+sys, map[string]any{"status": "Broken"}, 400)
	e.admin("PATCH", "/admin/v1/disks/"+sys, map[string]any{"failed": true}, 400)
	e.admin("PATCH", "/admin/v1/disks/d-nope", map[string]any{"status": "Error"}, 404)
	d := e.ctlPatchDisk(sys, map[string]any{"status": "Error", "in_arrears": true})
	if d["status"] != "Error" || d["in_arrears"] != true || d["instance_id"] != id {
		t.Fatalf("PATCH disk answered %v", d)
	}
	if got := e.admin("GET", "/admin/v1/disks/"+sys, nil, 200); got["status"] != "Error" {
		t.Fatalf("GET disk %v", got)
	}
	if len(e.ctlEvents(sys, "disk.changed")) != 1 {
		t.Fatal("no disk.changed event")
	}
}

func TestDiskErrorsOnStartAndReboot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", Category: "cloud_essd"}}
	})
	data := e.ctlDisk(id, "data")
	e.ctlPatchDisk(data, map[string]any{"status": "Error"})
	se := apiError(t, reboot(e.ecs, id), "DiskError", 403)
	if se.Message() != "IncorrectDiskStatus." {
		t.Fatalf("DiskError message %q", se.Message())
	}
	ok(t, stop(e.ecs, id, ""))
	apiError(t, start(e.ecs, id), "DiskError", 403)
	apiError(t, ctlStartWith(e.ecs, id, false, true), "DiskError", 403)
	e.ctlPatchDisk(data, map[string]any{"status": "In_use", "in_arrears": true})
	apiError(t, start(e.ecs, id), "DiskInArrears", 403)
	e.ctlPatchDisk(data, map[string]any{"in_arrears": false})
	ok(t, start(e.ecs, id))
	// RebootInstance does not check arrears (its seed does not list it).
	e.ctlPatchDisk(data, map[string]any{"in_arrears": true})
	ok(t, reboot(e.ecs, id))
}

func TestLocalDiskFailureAndInitLocalDisk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const local = "ecs.i2.xlarge"
	id := ctlRun(t, e.ecs, local)
	ld := e.ctlDisk(id, "local")
	e.ctlPatchDisk(ld, map[string]any{"failed": true})
	apiError(t, reboot(e.ecs, id), "DiskError", 403)
	ok(t, stop(e.ecs, id, ""))
	apiError(t, start(e.ecs, id), "DiskError", 403)
	// A DryRun with InitLocalDisk passes and changes nothing.
	apiError(t, ctlStartWith(e.ecs, id, true, true), "DryRunOperation", 400)
	if e.admin("GET", "/admin/v1/disks/"+ld, nil, 200)["failed"] != true {
		t.Fatal("a DryRun re-initialised the local disk")
	}
	ok(t, ctlStartWith(e.ecs, id, true, false))
	wantStatus(t, e.ecs, id, "Running")
	if e.admin("GET", "/admin/v1/disks/"+ld, nil, 200)["failed"] != false {
		t.Fatal("InitLocalDisk did not restore the local disk")
	}
	evs := e.ctlEvents(id, "instance.local_disks_reset")
	if len(evs) != 1 || evs[0]["data"].(map[string]any)["data_discarded"] != true {
		t.Fatalf("local disk reset events: %v", evs)
	}
	ok(t, reboot(e.ecs, id))

	// InitLocalDisk on another family is accepted and does nothing.
	other := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, other, ""))
	ok(t, ctlStartWith(e.ecs, other, true, false))
	if len(e.ctlEvents(other, "instance.local_disks_reset")) != 0 {
		t.Fatal("InitLocalDisk reset disks of an instance without local disks")
	}
	// Nor does it on a healthy local-disk instance.
	ok(t, stop(e.ecs, id, ""))
	ok(t, ctlStartWith(e.ecs, id, true, false))
	if len(e.ctlEvents(id, "instance.local_disks_reset")) != 1 {
		t.Fatal("InitLocalDisk reset healthy local disks")
	}
}

func TestKMSKeysAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	k := e.admin("PUT", "/admin/v1/kms-keys/key-a", nil, 200)
	if k["state"] != "Enabled" || k["ecs_authorized"] != true || k["account_id"] != "" {
		t.Fatalf("a new key: %v", k)
	}
	k = e.admin("PUT", "/admin/v1/kms-keys/key-a", map[string]any{"state": "Disabled"}, 200)
	if k["state"] != "Disabled" || k["ecs_authorized"] != true {
		t.Fatalf("after disabling: %v", k)
	}
	e.admin("PUT", "/admin/v1/kms-keys/key-a", map[string]any{"state": "Gone"}, 400)
	e.admin("PUT", "/admin/v1/kms-keys/key-a", map[string]any{"account_id": "nobody"}, 400)
	e.admin("PUT", "/admin/v1/kms-keys/key-b", map[string]any{"ecs_authorized": false}, 200)
	if ks := e.admin("GET", "/admin/v1/kms-keys", nil, 200)["kms_keys"].([]any); len(ks) != 2 {
		t.Fatalf("GET kms-keys: %v", ks)
	}
	e.admin("DELETE", "/admin/v1/kms-keys/key-a", nil, 200)
	e.admin("DELETE", "/admin/v1/kms-keys/key-a", nil, 404)
	e.admin("GET", "/admin/v1/kms-keys/key-a", nil, 404)
}

func TestKMSOnRunStartAndReboot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	b := e.newAccount("1000.00")
	const key = "key-kms-e2e"

	// Creation needs a usable key.
	_, err := ctlRunErr(a.ECS, itype, ctlKMS(key))
	se := apiError(t, err, "InvalidParameter.KMSKeyId.NotFound", 404)
	if !strings.Contains(se.Message(), key) {
		t.Fatalf("NotFound message %q does not name the key", se.Message())
	}
	e.ctlKey(key, map[string]any{"state": "PendingDeletion"})
	_, err = ctlRunErr(a.ECS, itype, ctlKMS(key))
	apiError(t, err, "InvalidParameter.KMSKeyId.CMKNotEnabled", 403)
	e.ctlKey(key, map[string]any{"state": "Enabled", "account_id": b.ID})
	_, err = ctlRunErr(a.ECS, itype, ctlKMS(key))
	apiError(t, err, "InvalidParameter.KMSKeyId.CMKUnauthorized", 403)
	e.ctlKey(key, map[string]any{"account_id": "", "ecs_authorized": false})
	_, err = ctlRunErr(a.ECS, itype, func(r *ecs.RunInstancesRequest) {
		r.DataDisk = &[]ecs.RunInstancesDataDisk{{Size: "40", Encrypted: "true", KMSKeyId: key}}
	})
	apiError(t, err, "InvalidParameter.KMSKeyId.KMSUnauthorized", 403)
	e.ctlKey(key, map[string]any{"ecs_authorized": true})
	id := ctlRun(t, a.ECS, itype, ctlKMS(key))
	if e.ctlInstance(id)["disks"].([]any)[0].(map[string]any)["kms_key_id"] != key {
		t.Fatal("the system disk does not show its key")
	}
	// Encrypted with the default key: nothing to check.
	ctlRun(t, a.ECS, itype, func(r *ecs.RunInstancesRequest) { r.SystemDisk.Encrypted = "true" })

	// Then the key changes under the running instance.
	steps := []struct {
		body   map[string]any
		code   string
		status int
	}{
		{map[string]any{"state": "Disabled"}, "InvalidParameter.KMSKeyId.CMKNotEnabled", 403},
		{map[string]any{"state": "PendingDeletion"}, "InvalidParameter.KMSKeyId.CMKNotEnabled", 403},
		{map[string]any{"state": "Enabled", "account_id": b.ID}, "InvalidParameter.KMSKeyId.CMKUnauthorized", 403},
		{map[string]any{"account_id": "", "ecs_authorized": false}, "InvalidParameter.KMSKeyId.KMSUnauthorized", 403},
	}
	for _, s := range steps {
		e.ctlKey(key, s.body)
		apiError(t, reboot(a.ECS, id), s.code, s.status)
	}
	e.ctlKey(key, map[string]any{"ecs_authorized": true})
	ok(t, reboot(a.ECS, id))
	ok(t, stop(a.ECS, id, ""))
	e.ctlKey(key, map[string]any{"ecs_authorized": false})
	se = apiError(t, start(a.ECS, id), "InvalidParameter.KMSKeyId.KMSUnauthorized", 403)
	if se.Message() != "ECS service have no right to access your KMS." {
		t.Fatalf("KMSUnauthorized message %q", se.Message())
	}
	e.ctlKey(key, map[string]any{"ecs_authorized": true, "state": "Disabled"})
	apiError(t, start(a.ECS, id), "InvalidParameter.KMSKeyId.CMKNotEnabled", 403)
	e.admin("DELETE", "/admin/v1/kms-keys/"+key, nil, 200)
	apiError(t, start(a.ECS, id), "InvalidParameter.KMSKeyId.NotFound", 404)
	e.ctlKey(key, nil)
	ok(t, start(a.ECS, id))
}

func TestInstanceNotReady(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	created := ctlCreate(t, e.ecs, itype)
	e.admin("PATCH", "/admin/v1/instances/"+created, map[string]any{"host_ready": false}, 200)
	se := apiError(t, start(e.ecs, created), "InstanceNotReady", 403)
	if se.Message() != "The specified instance is not ready for use." {
		t.Fatalf("403 message %q", se.Message())
	}
	e.admin("PATCH", "/admin/v1/instances/"+created, map[string]any{"host_ready": true}, 200)
	ok(t, start(e.ecs, created))

	ran := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, ran, ""))
	e.admin("PATCH", "/admin/v1/instances/"+ran, map[string]any{"host_ready": false}, 200)
	se = apiError(t, start(e.ecs, ran), "InstanceNotReady", 500)
	if se.Message() != "The specified instance is not ready for use" {
		t.Fatalf("500 message %q", se.Message())
	}
	e.admin("PATCH", "/admin/v1/instances/"+ran, map[string]any{"host_ready": true}, 200)
	ok(t, start(e.ecs, ran))
}
