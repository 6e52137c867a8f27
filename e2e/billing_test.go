package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// g7.large costs 0.626 an hour in the built-in catalogue.

func (e *env) account(id string) map[string]any {
	e.t.Helper()
	return e.admin("GET", "/admin/v1/accounts/"+id, nil, 200)
}

func (e *env) topUp(id, amount string) {
	e.t.Helper()
	e.admin("POST", "/admin/v1/accounts/"+id+"/balance", map[string]any{"add": amount}, 200)
}

func reactivate(c *ecs.Client, id string) error {
	req := ecs.CreateReActivateInstancesRequest()
	req.InstanceId = id
	_, err := c.ReActivateInstances(req)
	return err
}

func locks(t *testing.T, c *ecs.Client, id string) []string {
	t.Helper()
	var out []string
	for _, l := range describe(t, c, id).OperationLocks.LockReason {
		out = append(out, l.LockReason)
	}
	return out
}

// charges returns every charge event of an account, per instance, paging
// through the log.
func (e *env) charges(accountID string) map[string][]map[string]any {
	e.t.Helper()
	by := map[string][]map[string]any{}
	after := int64(0)
	for {
		out := e.admin("GET", fmt.Sprintf("/admin/v1/accounts/%s/charges?after=%d&limit=10000", accountID, after), nil, 200)
		list := out["charges"].([]any)
		if len(list) == 0 {
			return by
		}
		for _, c := range list {
			m := c.(map[string]any)
			by[m["resource_id"].(string)] = append(by[m["resource_id"].(string)], m)
			after = int64(m["id"].(float64))
		}
	}
}

func TestOverdueStory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1.00")
	id := run(t, a.ECS, 1)[0]
	other := run(t, a.ECS, 1)[0]
	ok(t, stop(a.ECS, other, "StopCharging")) // not billable while stopped in economical mode

	e.advance("1h")
	if got := e.balance(a.ID); got != "0.374" {
		t.Fatalf("after one hour the balance is %s, want 0.374", got)
	}
	wantStatus(t, a.ECS, id, "Running")

	e.advance("1h") // 0.374 - 0.626 < 0: arrears, and with no grace, suspension
	acct := e.account(a.ID)
	if acct["balance"] != "-0.252" || acct["in_arrears"] != true {
		t.Fatalf("after two hours: %v", acct)
	}
	in := describe(t, a.ECS, id)
	if in.Status != "Stopped" || len(in.OperationLocks.LockReason) != 1 || in.OperationLocks.LockReason[0].LockReason != "financial" {
		t.Fatalf("suspended instance: %s %+v", in.Status, in.OperationLocks)
	}
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.LockReason = region, "financial"
	resp, err := a.ECS.DescribeInstances(req)
	ok(t, err)
	if resp.TotalCount != 2 {
		t.Fatalf("LockReason=financial finds %d instances, want both", resp.TotalCount)
	}
	se := apiError(t, start(a.ECS, id), "InstanceExpired", 403)
	if !strings.Contains(se.Message(), "postPaid") {
		t.Fatalf("InstanceExpired message %q is not the postPaid one", se.Message())
	}
	apiError(t, reboot(a.ECS, id), "InstanceExpiredOrInArrears", 403)
	apiError(t, reactivate(a.ECS, id), "InsufficientBalance", 403)

	e.advance("5h") // a suspended instance accrues nothing
	if got := e.balance(a.ID); got != "-0.252" {
		t.Fatalf("a suspended instance was charged: balance %s", got)
	}
	if n := len(e.charges(a.ID)[id]); n != 2 {
		t.Fatalf("%d charges for the suspended instance, want 2", n)
	}

	e.topUp(a.ID, "10.00")
	if e.account(a.ID)["in_arrears"] != false {
		t.Fatal("a top-up to a positive balance did not end the arrears")
	}
	ok(t, reactivate(a.ECS, id))
	wantStatus(t, a.ECS, id, "Running")
	if l := locks(t, a.ECS, id); len(l) != 0 {
		t.Fatalf("locks after reactivation: %v", l)
	}
	e.advance("1h") // charging resumes
	if got := e.balance(a.ID); got != "9.122" {
		t.Fatalf("after reactivation and an hour the balance is %s, want 9.122", got)
	}

	// The other instance stays suspended and is released 15 days (360h) after
	// its suspension, which was 6h ago.
	e.advance("353h")
	wantStatus(t, a.ECS, other, "Stopped")
	e.advance("2h")
	apiError(t, start(a.ECS, other), "InvalidInstanceId.NotFound", 404)
	if n := countInstances(t, a.ECS); n != 1 {
		t.Fatalf("%d instances after the release, want 1", n)
	}
	rel := e.admin("GET", "/admin/v1/events?kind=instance.released&resource_id="+other, nil, 200)["events"].([]any)
	if len(rel) != 1 {
		t.Fatalf("release events: %v", rel)
	}
	if disks := rel[0].(map[string]any)["data"].(map[string]any)["disks"].([]any); len(disks) == 0 {
		t.Fatal("the release event lists no disks")
	}
}

// Every instance-hour is charged exactly once, at each whole hour.
func TestHourlyChargesAreExact(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	ids := run(t, a.ECS, 3)
	e.advance("10h")
	e.advance("30m")
	e.advance("30m")
	by := e.charges(a.ID)
	for _, id := range ids {
		hours := map[string]bool{}
		for _, c := range by[id] {
			if c["amount"] != "0.626" {
				t.Fatalf("charge %v is not the hourly price", c)
			}
			if hours[c["hour"].(string)] {
				t.Fatalf("hour %s charged twice", c["hour"])
			}
			hours[c["hour"].(string)] = true
		}
		if len(hours) != 11 {
			t.Fatalf("%s: %d charged hours, want 11", id, len(hours))
		}
	}
	if got := e.balance(a.ID); got != "979.342" { // 1000 - 33 × 0.626
		t.Fatalf("balance %s, want 979.342", got)
	}
}

func TestOverdueGraceDelaysSuspension(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withGrace(48*time.Hour))
	a := e.newAccount("0.10")
	id := run(t, a.ECS, 1)[0]
	e.advance("1h")
	if e.account(a.ID)["in_arrears"] != true {
		t.Fatal("not in arrears")
	}
	wantStatus(t, a.ECS, id, "Running") // inside the grace it keeps running…
	ok(t, stop(a.ECS, id, ""))
	apiError(t, start(a.ECS, id), "InsufficientBalance", 403) // …but cannot be started
	e.advance("48h")
	if l := locks(t, a.ECS, id); len(l) != 1 || l[0] != "financial" {
		t.Fatalf("after the grace: locks %v", l)
	}
	apiError(t, start(a.ECS, id), "InstanceExpired", 403)
}

func TestSubscriptionExpiryRenewalAndRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	prepaid := func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Month"
	}
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	prepaid(req)
	resp, err := a.ECS.RunInstances(req)
	ok(t, err)
	id := resp.InstanceIdSets.InstanceIdSet[0]
	if resp.OrderId == "" || resp.TradePrice != 292 {
		t.Fatalf("prepaid order: %q %v", resp.OrderId, resp.TradePrice)
	}
	if got := e.balance(a.ID); got != "708.00" {
		t.Fatalf("balance after buying a month: %s", got)
	}
	in := describe(t, a.ECS, id)
	if in.InstanceChargeType != "PrePaid" || in.ExpiredTime == "" || in.ExpiredTime == "2099-12-31T15:59Z" || in.StoppedMode != "Not-applicable" {
		t.Fatalf("prepaid instance: %s %s %s", in.InstanceChargeType, in.ExpiredTime, in.StoppedMode)
	}
	e.advance("100h")
	if got := e.balance(a.ID); got != "708.00" {
		t.Fatalf("a subscription was charged by the hour: %s", got)
	}
	apiError(t, reactivate(a.ECS, id), "InvalidPayType.NotSupport", 404)

	e.advance("744h") // past the month
	in = describe(t, a.ECS, id)
	if in.Status != "Stopped" || len(in.OperationLocks.LockReason) != 1 || in.OperationLocks.LockReason[0].LockReason != "financial" {
		t.Fatalf("expired subscription: %s %+v", in.Status, in.OperationLocks)
	}
	se := apiError(t, start(a.ECS, id), "InstanceExpired", 403)
	if se.Message() != "The prePaid instance has been expired." {
		t.Fatalf("InstanceExpired message %q", se.Message())
	}
	apiError(t, reboot(a.ECS, id), "InstanceExpiredOrInArrears", 403)
	apiError(t, reactivate(a.ECS, id), "InvalidPayType.NotSupport", 404)
	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId = id
	_, err = a.ECS.DeleteInstance(del)
	apiError(t, err, "ChargeTypeViolation", 403)

	renew := ecs.CreateRenewInstanceRequest()
	renew.InstanceId, renew.Period, renew.PeriodUnit, renew.ClientToken = id, "2", "Month", "renew-1"
	rr, err := a.ECS.RenewInstance(renew)
	ok(t, err)
	again, err := a.ECS.RenewInstance(renew)
	ok(t, err)
	if rr.OrderId == "" || again.OrderId != rr.OrderId {
		t.Fatalf("idempotent renewal: %q then %q", rr.OrderId, again.OrderId)
	}
	if got := e.balance(a.ID); got != "124.00" { // 708 - 2 × 292, once
		t.Fatalf("balance after renewing two months: %s", got)
	}
	in = describe(t, a.ECS, id)
	if in.Status != "Running" || len(in.OperationLocks.LockReason) != 0 {
		t.Fatalf("renewed instance: %s %+v", in.Status, in.OperationLocks)
	}
	renew2 := ecs.CreateRenewInstanceRequest()
	renew2.InstanceId, renew2.Period, renew2.ClientToken = id, "1", "renew-1"
	_, err = a.ECS.RenewInstance(renew2)
	apiError(t, err, "IdempotenceParamNotMatch", 400)
	renew3 := ecs.CreateRenewInstanceRequest()
	renew3.InstanceId, renew3.Period = id, "12"
	_, err = a.ECS.RenewInstance(renew3)
	apiError(t, err, "InsufficientBalance", 403)

	// Not renewed again: it expires, and 15 days later it is released.
	e.advance("1500h")
	wantStatus(t, a.ECS, id, "Stopped")
	e.advance("360h")
	apiError(t, start(a.ECS, id), "InvalidInstanceId.NotFound", 404)

	// PostPaid instances cannot be renewed.
	payg := run(t, a.ECS, 1)[0]
	renew4 := ecs.CreateRenewInstanceRequest()
	renew4.InstanceId, renew4.Period = payg, "1"
	_, err = a.ECS.RenewInstance(renew4)
	apiError(t, err, "ChargeTypeViolation", 403)
}

func TestSubscriptionAutoRenewAndPurchaseChecks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("700.00")
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType = region, image, itype
	req.InstanceChargeType, req.Period, req.AutoRenew, req.AutoRenewPeriod = "PrePaid", "1", requests.NewBoolean(true), "1"
	resp, err := a.ECS.RunInstances(req)
	ok(t, err)
	id := resp.InstanceIdSets.InstanceIdSet[0]
	first := describe(t, a.ECS, id).ExpiredTime
	e.advance("745h") // the first expiry: auto-renewed (balance 408 ≥ 292)
	in := describe(t, a.ECS, id)
	if in.Status != "Running" || in.ExpiredTime == first {
		t.Fatalf("auto-renewal: %s, expiry %s (was %s)", in.Status, in.ExpiredTime, first)
	}
	if got := e.balance(a.ID); got != "116.00" {
		t.Fatalf("balance after one auto-renewal: %s", got)
	}
	e.advance("745h") // the second: 116 < 292, so it expires
	if l := locks(t, a.ECS, id); len(l) != 1 || l[0] != "financial" {
		t.Fatalf("auto-renewal without money: locks %v", l)
	}

	// Buying more than the balance pays.
	big := ecs.CreateRunInstancesRequest()
	big.RegionId, big.ImageId, big.InstanceType, big.InstanceChargeType, big.Period = region, image, itype, "PrePaid", "12"
	_, err = a.ECS.RunInstances(big)
	apiError(t, err, "InsufficientBalance", 403)
	orders := e.admin("GET", "/admin/v1/accounts/"+a.ID+"/orders", nil, 200)["orders"].([]any)
	if len(orders) != 2 {
		t.Fatalf("orders: %v", orders)
	}
}

func TestImageExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	const market = "m-marketplace-lamp-php74-20240101"
	id := run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.ImageId = market })[0]
	plain := run(t, a.ECS, 1)[0]
	e.admin("PUT", "/admin/v1/images/"+market, map[string]any{"expired": true}, 200)
	if l := locks(t, a.ECS, id); len(l) != 1 || l[0] != "financial" {
		t.Fatalf("image expiry did not lock the instance: %v", l)
	}
	if st := e.admin("GET", "/admin/v1/instances/"+id, nil, 200)["billing_state"]; st != "ImageExpired" {
		t.Fatalf("billing state %v, want ImageExpired", st)
	}
	wantStatus(t, a.ECS, plain, "Running")
	ok(t, reactivate(a.ECS, id))
	wantStatus(t, a.ECS, id, "Running")

	// Overdue and image-expired at once: EcsAndImageExpired.
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h")
	e.admin("PUT", "/admin/v1/images/"+market, map[string]any{"expired": true}, 200)
	if st := e.admin("GET", "/admin/v1/instances/"+id, nil, 200)["billing_state"]; st != "EcsAndImageExpired" {
		t.Fatalf("billing state %v, want EcsAndImageExpired", st)
	}
	apiError(t, reactivate(a.ECS, id), "InsufficientBalance", 403)
	e.topUp(a.ID, "50.00")
	ok(t, reactivate(a.ECS, id))
}
