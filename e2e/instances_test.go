package e2e

import (
	"fmt"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestRunInstancesAmountAndClientToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	req.Amount, req.ClientToken, req.InstanceName, req.UniqueSuffix = "3", "run-token-1", "web", "true"
	first, err := e.ecs.RunInstances(req)
	ok(t, err)
	if len(first.InstanceIdSets.InstanceIdSet) != 3 {
		t.Fatalf("Amount=3 made %v", first.InstanceIdSets.InstanceIdSet)
	}
	again, err := e.ecs.RunInstances(req)
	ok(t, err)
	if fmt.Sprint(again.InstanceIdSets.InstanceIdSet) != fmt.Sprint(first.InstanceIdSets.InstanceIdSet) {
		t.Fatalf("the same ClientToken made new instances: %v then %v", first.InstanceIdSets.InstanceIdSet, again.InstanceIdSets.InstanceIdSet)
	}
	if n := countInstances(t, e.ecs); n != 3 {
		t.Fatalf("%d instances exist after a repeated ClientToken, want 3", n)
	}
	names := map[string]bool{}
	for _, id := range first.InstanceIdSets.InstanceIdSet {
		names[describe(t, e.ecs, id).InstanceName] = true
	}
	if !names["web001"] || !names["web002"] || !names["web003"] {
		t.Fatalf("UniqueSuffix names: %v", names)
	}
	req.Amount = "2"
	_, err = e.ecs.RunInstances(req)
	apiError(t, err, "IdempotentParameterMismatch", 400)

	// Tokens are scoped to the account.
	other := e.newAccount("10.00")
	req.Amount = "3"
	resp, err := other.ECS.RunInstances(req)
	ok(t, err)
	if resp.InstanceIdSets.InstanceIdSet[0] == first.InstanceIdSets.InstanceIdSet[0] {
		t.Fatal("another account's ClientToken returned the first account's instances")
	}

	// The SDK keeps parameters in a request object once sent, so every case
	// builds a fresh one.
	badRuns := []struct {
		mutate func(*ecs.RunInstancesRequest)
		code   string
		status int
	}{
		{func(r *ecs.RunInstancesRequest) { r.ClientToken = "é-not-ascii" }, "InvalidClientToken.ValueNotSupported", 400},
		{func(r *ecs.RunInstancesRequest) { r.Amount = "101" }, "InvalidParameter", 400},
		{func(r *ecs.RunInstancesRequest) { r.InstanceType = "ecs.nope.large" }, "InvalidInstanceType.ValueNotSupported", 400},
		{func(r *ecs.RunInstancesRequest) { r.InstanceType, r.ZoneId = "ecs.d1ne.2xlarge", "cn-hangzhou-k" }, "InvalidInstanceType.ValueNotSupported", 400},
		{func(r *ecs.RunInstancesRequest) { r.ZoneId = "cn-beijing-g" }, "InvalidZoneId.NotFound", 404},
		{func(r *ecs.RunInstancesRequest) { r.VSwitchId = "vsw-nope" }, "InvalidVSwitchId.NotFound", 404},
		{func(r *ecs.RunInstancesRequest) { r.SecurityGroupId = "sg-nope" }, "InvalidSecurityGroupId.NotFound", 404},
		{func(r *ecs.RunInstancesRequest) { r.ImageId = "" }, "MissingParameter", 400},
		{func(r *ecs.RunInstancesRequest) { r.InstanceChargeType = "PrePaid" }, "MissingParameter", 400},
		{func(r *ecs.RunInstancesRequest) {
			r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Decade"
		}, "InvalidPeriodUnit.ValueNotSupported", 400},
		{func(r *ecs.RunInstancesRequest) { r.InstanceChargeType, r.Period = "PrePaid", "10" }, "InvalidPeriod", 400},
		{func(r *ecs.RunInstancesRequest) { r.InstanceChargeType = "Monthly" }, "InvalidParameter", 400},
		{func(r *ecs.RunInstancesRequest) { r.SpotStrategy = "SpotWithPriceLimit" }, "MissingParameter", 400},
		{func(r *ecs.RunInstancesRequest) { r.Tag = &[]ecs.RunInstancesTag{{Key: "aliyun-reserved", Value: "x"}} }, "InvalidTagKey.Malformed", 400},
		{func(r *ecs.RunInstancesRequest) { r.Tag = &[]ecs.RunInstancesTag{{Key: "k", Value: "http://x"}} }, "InvalidTagValue.Malformed", 400},
	}
	for i, c := range badRuns {
		bad := ecs.CreateRunInstancesRequest()
		bad.RegionId, bad.ImageId, bad.InstanceType = region, image, itype
		c.mutate(bad)
		_, err = e.ecs.RunInstances(bad)
		if err == nil {
			t.Fatalf("bad RunInstances #%d succeeded", i)
		}
		apiError(t, err, c.code, c.status)
	}
}

func TestCreateInstanceIsStoppedAndStartable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req := ecs.CreateCreateInstanceRequest()
	req.RegionId, req.ImageId, req.InstanceType, req.ZoneId = region, image, "ecs.c7.large", "cn-hangzhou-i"
	req.Tag = &[]ecs.CreateInstanceTag{{Key: "env", Value: "dev"}}
	resp, err := e.ecs.CreateInstance(req)
	ok(t, err)
	in := describe(t, e.ecs, resp.InstanceId)
	if in.Status != "Stopped" || in.ZoneId != "cn-hangzhou-i" || len(in.Tags.Tag) != 1 || in.Tags.Tag[0].TagKey != "env" || in.Tags.Tag[0].TagValue != "dev" {
		t.Fatalf("CreateInstance: %+v tags %+v", in.Status, in.Tags)
	}
	ok(t, start(e.ecs, resp.InstanceId))
	wantStatus(t, e.ecs, resp.InstanceId, "Running")
}

func TestDescribeInstancesFiltersAndPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	web := run(t, e.ecs, 4, func(r *ecs.RunInstancesRequest) {
		r.InstanceName = "web-1"
		r.Tag = &[]ecs.RunInstancesTag{{Key: "role", Value: "web"}}
	})
	db := run(t, e.ecs, 2, func(r *ecs.RunInstancesRequest) {
		r.InstanceName, r.InstanceType, r.ZoneId = "db-1", "ecs.r7.large", "cn-hangzhou-j"
		r.Tag = &[]ecs.RunInstancesTag{{Key: "role", Value: "db"}}
	})
	ok(t, stop(e.ecs, db[0], ""))
	e.admin("POST", "/admin/v1/instances/"+web[0]+"/locks", map[string]any{"reason": "security"}, 200)

	find := func(mutate func(*ecs.DescribeInstancesRequest)) []string {
		t.Helper()
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId, req.PageSize = region, "100"
		mutate(req)
		resp, err := e.ecs.DescribeInstances(req)
		ok(t, err)
		var ids []string
		for _, in := range resp.Instances.Instance {
			ids = append(ids, in.InstanceId)
		}
		if resp.TotalCount != len(ids) {
			t.Fatalf("TotalCount %d for %d instances", resp.TotalCount, len(ids))
		}
		return ids
	}
	checks := []struct {
		name   string
		mutate func(*ecs.DescribeInstancesRequest)
		want   int
	}{
		{"all", func(r *ecs.DescribeInstancesRequest) {}, 6},
		{"status", func(r *ecs.DescribeInstancesRequest) { r.Status = "Stopped" }, 1},
		{"zone", func(r *ecs.DescribeInstancesRequest) { r.ZoneId = "cn-hangzhou-j" }, 2},
		{"type", func(r *ecs.DescribeInstancesRequest) { r.InstanceType = "ecs.r7.large" }, 2},
		{"charge type", func(r *ecs.DescribeInstancesRequest) { r.InstanceChargeType = "PostPaid" }, 6},
		{"prepaid", func(r *ecs.DescribeInstancesRequest) { r.InstanceChargeType = "PrePaid" }, 0},
		{"lock reason", func(r *ecs.DescribeInstancesRequest) { r.LockReason = "security" }, 1},
		{"name", func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "db-1" }, 2},
		{"name wildcard", func(r *ecs.DescribeInstancesRequest) { r.InstanceName = "web*" }, 4},
		{"tag", func(r *ecs.DescribeInstancesRequest) {
			r.Tag = &[]ecs.DescribeInstancesTag{{Key: "role", Value: "db"}}
		}, 2},
		{"ids", func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = fmt.Sprintf(`["%s","%s"]`, web[1], db[1]) }, 2},
		{"empty ids", func(r *ecs.DescribeInstancesRequest) { r.InstanceIds = `[]` }, 0},
		{"other region", func(r *ecs.DescribeInstancesRequest) { r.RegionId = "cn-beijing" }, 0},
	}
	for _, c := range checks {
		if got := find(c.mutate); len(got) != c.want {
			t.Errorf("%s: %d instances, want %d", c.name, len(got), c.want)
		}
	}

	// PageNumber/PageSize.
	all := find(func(r *ecs.DescribeInstancesRequest) {})
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.PageSize, req.PageNumber = region, "4", "2"
	resp, err := e.ecs.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 6 || resp.PageNumber != 2 || resp.PageSize != 4 || len(resp.Instances.Instance) != 2 || resp.Instances.Instance[0].InstanceId != all[4] {
		t.Fatalf("page 2 of 4: total %d page %d size %d got %d", resp.TotalCount, resp.PageNumber, resp.PageSize, len(resp.Instances.Instance))
	}

	// NextToken/MaxResults: MaxResults below 10 counts as 10; walk 15 instances.
	run(t, e.ecs, 9)
	var walked []string
	token := ""
	for pages := 0; ; pages++ {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId, req.MaxResults, req.NextToken = region, "3", token
		resp, err := e.ecs.DescribeInstances(req)
		ok(t, err)
		for _, in := range resp.Instances.Instance {
			walked = append(walked, in.InstanceId)
		}
		if resp.NextToken == "" {
			break
		}
		if pages > 5 {
			t.Fatal("NextToken never ends")
		}
		token = resp.NextToken
	}
	if len(walked) != 15 {
		t.Fatalf("NextToken paging walked %d instances, want 15", len(walked))
	}
	seen := map[string]bool{}
	for _, id := range walked {
		if seen[id] {
			t.Fatalf("NextToken paging returned %s twice", id)
		}
		seen[id] = true
	}
	bad := ecs.CreateDescribeInstancesRequest()
	bad.RegionId, bad.NextToken = region, "not-a-token"
	_, err = e.ecs.DescribeInstances(bad)
	apiError(t, err, "InvalidParameter", 400)
}

func TestDescribeInstanceStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 3)
	ok(t, stop(e.ecs, ids[1], ""))
	req := ecs.CreateDescribeInstanceStatusRequest()
	req.RegionId = region
	req.InstanceId = &[]string{ids[1], ids[2]}
	resp, err := e.ecs.DescribeInstanceStatus(req)
	ok(t, err)
	got := map[string]string{}
	for _, s := range resp.InstanceStatuses.InstanceStatus {
		got[s.InstanceId] = s.Status
	}
	if resp.TotalCount != 2 || got[ids[1]] != "Stopped" || got[ids[2]] != "Running" {
		t.Fatalf("DescribeInstanceStatus: total %d %v", resp.TotalCount, got)
	}
	req.InstanceId, req.PageSize = nil, "51"
	_, err = e.ecs.DescribeInstanceStatus(req)
	apiError(t, err, "InvalidParameter", 400)
}

func TestBatchActions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 3)
	ok(t, stop(e.ecs, ids[0], ""))

	// AllTogether (the default): one bad instance and nothing happens.
	req := ecs.CreateStopInstancesRequest()
	req.RegionId, req.InstanceId = region, &ids
	_, err := e.ecs.StopInstances(req)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	wantStatus(t, e.ecs, ids[1], "Running")

	// SuccessFirst: each instance on its own, with per-instance results.
	req.BatchOptimization = "SuccessFirst"
	resp, err := e.ecs.StopInstances(req)
	ok(t, err)
	codes := map[string]ecs.InstanceResponse{}
	for _, r := range resp.InstanceResponses.InstanceResponse {
		codes[r.InstanceId] = r
	}
	if codes[ids[0]].Code != "IncorrectInstanceStatus" || codes[ids[1]].Code != "200" || codes[ids[1]].PreviousStatus != "Running" || codes[ids[1]].CurrentStatus != "Stopped" {
		t.Fatalf("SuccessFirst results: %+v", resp.InstanceResponses.InstanceResponse)
	}
	wantStatus(t, e.ecs, ids[2], "Stopped")

	// DryRun with SuccessFirst reports DRYRUN.SUCCESS and changes nothing.
	sreq := ecs.CreateStartInstancesRequest()
	sreq.RegionId, sreq.InstanceId, sreq.BatchOptimization, sreq.DryRun = region, &ids, "SuccessFirst", requests.NewBoolean(true)
	sresp, err := e.ecs.StartInstances(sreq)
	ok(t, err)
	for _, r := range sresp.InstanceResponses.InstanceResponse {
		if r.Code != "DRYRUN.SUCCESS" {
			t.Fatalf("DryRun SuccessFirst: %+v", r)
		}
	}
	wantStatus(t, e.ecs, ids[0], "Stopped")
	sreq = ecs.CreateStartInstancesRequest()
	sreq.RegionId, sreq.InstanceId = region, &ids
	_, err = e.ecs.StartInstances(sreq)
	ok(t, err)
	for _, id := range ids {
		wantStatus(t, e.ecs, id, "Running")
	}
	rreq := ecs.CreateRebootInstancesRequest()
	rreq.RegionId, rreq.InstanceId = region, &ids
	_, err = e.ecs.RebootInstances(rreq)
	ok(t, err)

	dreq := ecs.CreateDeleteInstancesRequest()
	dreq.RegionId, dreq.InstanceId, dreq.ClientToken = region, &ids, "delete-all"
	_, err = e.ecs.DeleteInstances(dreq)
	apiError(t, err, "IncorrectInstanceStatus", 403) // Running, no Force; errors are not remembered
	dreq = ecs.CreateDeleteInstancesRequest()
	dreq.RegionId, dreq.InstanceId, dreq.ClientToken, dreq.Force = region, &ids, "delete-all", "true"
	_, err = e.ecs.DeleteInstances(dreq)
	ok(t, err)
	_, err = e.ecs.DeleteInstances(dreq) // a retry answers the first result
	ok(t, err)
	dreq = ecs.CreateDeleteInstancesRequest()
	dreq.RegionId, dreq.InstanceId, dreq.ClientToken = region, &ids, "delete-all"
	_, err = e.ecs.DeleteInstances(dreq)
	apiError(t, err, "IdempotentParameterMismatch", 400) // same token, other parameters
	if n := countInstances(t, e.ecs); n != 0 {
		t.Fatalf("%d instances left after DeleteInstances", n)
	}
}

func TestSecurityLock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 2)
	for _, id := range ids {
		e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
	}
	in := describe(t, e.ecs, ids[0])
	if len(in.OperationLocks.LockReason) != 1 || in.OperationLocks.LockReason[0].LockReason != "security" {
		t.Fatalf("OperationLocks: %+v", in.OperationLocks)
	}
	apiError(t, reboot(e.ecs, ids[0]), "InstanceLockedForSecurity", 403)
	ok(t, stop(e.ecs, ids[0], "")) // stop still works
	apiError(t, start(e.ecs, ids[0]), "InstanceLockedForSecurity", 403)
	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId, del.Force = ids[1], "true"
	_, err := e.ecs.DeleteInstance(del) // delete still works
	ok(t, err)
	out := e.admin("DELETE", "/admin/v1/instances/"+ids[0]+"/locks/security", nil, 200)
	if locks := out["locks"].([]any); len(locks) != 0 {
		t.Fatalf("locks after removal: %v", locks)
	}
	ok(t, start(e.ecs, ids[0]))
}
