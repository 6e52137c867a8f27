package e2e

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

const (
	msgQuotaNone  = "No additional quota is available for the specified ECS instance type."
	msgQuotaCount = "The number of the specified ECS instances has exceeded the quota of the specified instance type."
	msgQuotaVCPU  = "The number of vCPUs assigned to the ECS instances has exceeded the quota in the zone."
	msgQuotaBoth  = "The number of the specified ECS instances has exceeded the quota of the specified instance type, or the number of vCPUs assigned to the ECS instances has exceeded the quota in the zone."
)

// quotaError asserts QuotaExceed.ElasticQuota 403 with the message.
func quotaError(t *testing.T, err error, msg string) {
	t.Helper()
	se := apiError(t, err, "QuotaExceed.ElasticQuota", 403)
	if se.Message() != msg {
		t.Fatalf("quota message %q, want %q", se.Message(), msg)
	}
}

func (e *env) ctlQuota(accountID string, body map[string]any) map[string]any {
	e.t.Helper()
	body["account_id"], body["region_id"] = accountID, region
	return e.admin("PUT", "/admin/v1/quotas", body, 200)
}

func TestQuotaAdminValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	for _, body := range []map[string]any{
		{"account_id": a.ID, "region_id": region},
		{"account_id": a.ID, "region_id": region, "zone_id": ctlZone, "vcpus": 4, "instance_type": itype, "instances": 1},
		{"account_id": a.ID, "region_id": region, "zone_id": "cn-shanghai-e", "vcpus": 4},
		{"account_id": a.ID, "region_id": region, "zone_id": ctlZone},
		{"account_id": a.ID, "region_id": region, "instance_type": "ecs.nope", "instances": 1},
		{"account_id": a.ID, "region_id": region, "instance_type": itype, "instances": -1},
		{"account_id": a.ID, "region_id": "mars-1", "instance_type": itype, "instances": 1},
	} {
		if status, out := e.adminRaw("PUT", "/admin/v1/quotas", body); status != 400 {
			t.Fatalf("PUT quotas %v: %d %v, want 400", body, status, out)
		}
	}
	e.admin("PUT", "/admin/v1/quotas", map[string]any{"account_id": "nobody", "region_id": region, "instance_type": itype, "instances": 1}, 404)
	q := e.ctlQuota(a.ID, map[string]any{"zone_id": ctlZone, "vcpus": 8})
	if q["vcpus"] != float64(8) || q["zone_id"] != ctlZone || q["used"] != float64(0) {
		t.Fatalf("PUT quota answered %v", q)
	}
	e.ctlQuota(a.ID, map[string]any{"instance_type": itype, "instances": 3})
	list := e.admin("GET", "/admin/v1/quotas?account_id="+a.ID, nil, 200)["quotas"].([]any)
	if len(list) != 2 {
		t.Fatalf("GET quotas: %v", list)
	}
	e.ctlQuota(a.ID, map[string]any{"zone_id": ctlZone, "vcpus": nil})
	if list := e.admin("GET", "/admin/v1/quotas?account_id="+a.ID, nil, 200)["quotas"].([]any); len(list) != 1 {
		t.Fatalf("a null vcpus did not remove the quota: %v", list)
	}
}

func TestQuotaRunInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	other := e.newAccount("100000.00")

	// An instance quota of 0: the type is not granted at all.
	e.ctlQuota(a.ID, map[string]any{"instance_type": "ecs.c7.large", "instances": 0})
	_, err := ctlRunErr(a.ECS, "ecs.c7.large")
	quotaError(t, err, msgQuotaNone)

	// An instance quota of 2: three at once exceed it, two fit, then one more does not.
	e.ctlQuota(a.ID, map[string]any{"instance_type": itype, "instances": 2})
	_, err = ctlRunErr(a.ECS, itype, func(r *ecs.RunInstancesRequest) { r.Amount = requestsInt(3) })
	quotaError(t, err, msgQuotaCount)
	run(t, a.ECS, 2, func(r *ecs.RunInstancesRequest) { r.ZoneId = ctlZone })
	_, err = ctlRunErr(a.ECS, itype)
	quotaError(t, err, msgQuotaCount)
	ctlRun(t, other.ECS, itype) // quotas are per account

	// A vCPU quota of 6 in the zone: 4 are used (two 2-vCPU instances).
	e.ctlQuota(a.ID, map[string]any{"zone_id": ctlZone, "vcpus": 6})
	ctlRun(t, a.ECS, "ecs.t6-c1m1.large") // 2 vCPUs: 6 of 6
	_, err = ctlRunErr(a.ECS, "ecs.c7.xlarge")
	quotaError(t, err, msgQuotaVCPU)
	// Both quotas exceeded at once.
	_, err = ctlRunErr(a.ECS, itype)
	quotaError(t, err, msgQuotaBoth)
	// Another zone has no vCPU quota.
	run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.ZoneId, r.InstanceType = "cn-hangzhou-i", "ecs.c7.xlarge" })

	list := e.admin("GET", "/admin/v1/quotas?account_id="+a.ID+"&region_id="+region, nil, 200)["quotas"].([]any)
	used := map[string]float64{}
	for _, x := range list {
		m := x.(map[string]any)
		key, _ := m["zone_id"].(string)
		if key == "" {
			key = m["instance_type"].(string)
		}
		used[key] = m["used"].(float64)
	}
	if used[ctlZone] != 6 || used[itype] != 2 || used["ecs.c7.large"] != 0 {
		t.Fatalf("quota usage %v, want 6 vCPUs in %s, 2 %s, 0 ecs.c7.large", used, ctlZone, itype)
	}
}

func TestQuotaStartInstance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	e.ctlSetCapacity(itype, 3)
	ids := run(t, a.ECS, 3, func(r *ecs.RunInstancesRequest) { r.ZoneId = ctlZone })
	// A KeepCharging stop keeps counting; StopCharging does not.
	ok(t, stop(a.ECS, ids[0], "KeepCharging"))
	ok(t, stop(a.ECS, ids[1], "StopCharging"))
	ok(t, stop(a.ECS, ids[2], "StopCharging"))
	e.ctlQuota(a.ID, map[string]any{"instance_type": itype, "instances": 2})
	ok(t, start(a.ECS, ids[0])) // held its slot: never checked against the quota

	// Two instances would need quota, only one fits: AllTogether refuses both.
	req := ecs.CreateStartInstancesRequest()
	req.RegionId, req.InstanceId = region, &[]string{ids[1], ids[2]}
	_, err := a.ECS.StartInstances(req)
	quotaError(t, err, msgQuotaCount)
	wantStatus(t, a.ECS, ids[1], "Stopped")
	wantStatus(t, a.ECS, ids[2], "Stopped")
	// SuccessFirst starts the first and reports the quota for the second.
	req = ecs.CreateStartInstancesRequest()
	req.RegionId, req.InstanceId, req.BatchOptimization = region, &[]string{ids[1], ids[2]}, "SuccessFirst"
	resp, err := a.ECS.StartInstances(req)
	ok(t, err)
	got := resp.InstanceResponses.InstanceResponse
	if len(got) != 2 || got[0].Code != "200" || got[1].Code != "QuotaExceed.ElasticQuota" || got[1].Message != msgQuotaCount {
		t.Fatalf("SuccessFirst answers %+v", got)
	}
	// The refused start gave its slot back: two held, one free.
	e.ctlConserved(itype, ids, 3)
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("free after the SuccessFirst batch: %d, want 1", free)
	}
	// A DryRun start answers the quota error, not DryRunOperation.
	apiError(t, ctlStartWith(a.ECS, ids[2], false, true), "QuotaExceed.ElasticQuota", 403)
	// Removing the quota lets it start.
	e.ctlQuota(a.ID, map[string]any{"instance_type": itype, "instances": nil})
	ok(t, start(a.ECS, ids[2]))
}

// TestQuotaConcurrentStarts races starts of instances stopped with
// StopCharging against an instance quota: exactly the quota's worth start.
func TestQuotaConcurrentStarts(t *testing.T) {
	t.Parallel()
	const instances, quota = 12, 4
	e := newEnv(t)
	a := e.newAccount("100000.00")
	ids := run(t, a.ECS, instances, func(r *ecs.RunInstancesRequest) { r.ZoneId = ctlZone })
	for _, id := range ids {
		ok(t, stop(a.ECS, id, "StopCharging"))
	}
	e.ctlQuota(a.ID, map[string]any{"instance_type": itype, "instances": quota})
	errs := ctlParallel(instances, func(i int) error { return start(e.client(a.Key, a.Secret), ids[i]) })
	okN, failN := ctlCount(t, errs, "QuotaExceed.ElasticQuota", 403)
	t.Logf("%d concurrent starts under an instance quota of %d: %d started, %d refused", instances, quota, okN, failN)
	if okN != quota {
		t.Fatalf("%d starts succeeded, want %d", okN, quota)
	}
}

// TestQuotaConcurrentRuns races RunInstances against a vCPU quota.
func TestQuotaConcurrentRuns(t *testing.T) {
	t.Parallel()
	const racers, vcpus = 16, 10 // 2-vCPU instances: 5 fit
	e := newEnv(t)
	a := e.newAccount("100000.00")
	e.ctlQuota(a.ID, map[string]any{"zone_id": ctlZone, "vcpus": vcpus})
	errs := ctlParallel(racers, func(i int) error {
		_, err := ctlRunErr(e.client(a.Key, a.Secret), itype)
		return err
	})
	okN, failN := ctlCount(t, errs, "QuotaExceed.ElasticQuota", 403)
	t.Logf("%d concurrent RunInstances under a quota of %d vCPUs: %d created, %d refused", racers, vcpus, okN, failN)
	if okN != vcpus/2 {
		t.Fatalf("%d RunInstances succeeded, want %d", okN, vcpus/2)
	}
}
