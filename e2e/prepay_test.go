package e2e

// ModifyPrepayInstanceSpec through the legacy Go SDK: a subscription's type
// change, the order it places and the balance it moves
// (docs/instance-changes.md). Helpers carry a "pp" prefix.

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
)

const ppDay = 24 * time.Hour

// ppRun runs a one-month subscription of the type in ctlZone.
func ppRun(t *testing.T, c *ecs.Client, instanceType string) string {
	t.Helper()
	return ctlRun(t, c, instanceType, func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", "1", "Month"
	})
}

func ppSpec(c *ecs.Client, id, instanceType string, mutate ...func(*ecs.ModifyPrepayInstanceSpecRequest)) (string, error) {
	req := ecs.CreateModifyPrepayInstanceSpecRequest()
	req.RegionId, req.InstanceId, req.InstanceType = region, id, instanceType
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.ModifyPrepayInstanceSpec(req)
	if err != nil {
		return "", err
	}
	return resp.OrderId, nil
}

func ppDowngrade(r *ecs.ModifyPrepayInstanceSpecRequest) { r.OperatorType = "downgrade" }

// ppLeft is the time left of an instance's subscription, from its exact
// expiry (the admin API) and the service's clock.
func (e *env) ppLeft(id string) time.Duration {
	e.t.Helper()
	exp, err := time.Parse(time.RFC3339, e.admin("GET", "/admin/v1/instances/"+id, nil, 200)["expired_at"].(string))
	if err != nil {
		e.t.Fatal(err)
	}
	return exp.Sub(e.chNow())
}

// ppFee is the documented price of a type change: a thirtieth of the
// monthly difference per day, days begun for an upgrade, whole days for a
// downgrade.
func ppFee(t *testing.T, from, to string, days int64) openecs.Money {
	t.Helper()
	diff, err := openecs.MustMoney(to).Sub(openecs.MustMoney(from))
	if err != nil {
		t.Fatal(err)
	}
	m, err := diff.Mul(days)
	if err != nil {
		t.Fatal(err)
	}
	return m.DivInt(30)
}

// ppOrders are the account's orders, newest first: kind and amount.
func (e *env) ppOrders(accountID string) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for _, o := range e.admin("GET", "/admin/v1/accounts/"+accountID+"/orders", nil, 200)["orders"].([]any) {
		out = append(out, o.(map[string]any))
	}
	return out
}

func TestModifyPrepayInstanceSpecAndBilling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("5000.00")
	id := ppRun(t, a.ECS, "ecs.g7.large")
	if got := e.balance(a.ID); got != "4708.00" { // one month of g7.large: 292
		t.Fatalf("balance after buying: %s", got)
	}
	expiredTime := describe(t, a.ECS, id).ExpiredTime
	// Ten and a half days on, the time left is half a day off a whole day:
	// no rounding edge between reading the clock and the call.
	e.advance("252h")

	// An upgrade of the running instance pays the difference for every day
	// begun: (584 - 292) / 30 a day.
	left := e.ppLeft(id)
	upDays := int64((left + ppDay - 1) / ppDay)
	fee := ppFee(t, "292.00", "584.00", upDays)
	token := "up-" + id
	order, err := ppSpec(a.ECS, id, "ecs.g7.xlarge", func(r *ecs.ModifyPrepayInstanceSpecRequest) { r.ClientToken = token })
	ok(t, err)
	if order == "" {
		t.Fatal("no OrderId")
	}
	want := (openecs.MustMoney("4708.00") - fee).String()
	if got := e.balance(a.ID); got != want {
		t.Fatalf("balance after the upgrade (%d days of 9.733333): %s, want %s", upDays, got, want)
	}
	again, err := ppSpec(a.ECS, id, "ecs.g7.xlarge", func(r *ecs.ModifyPrepayInstanceSpecRequest) { r.ClientToken = token })
	ok(t, err)
	if again != order || e.balance(a.ID) != want {
		t.Fatalf("the same ClientToken: order %s (first %s), balance %s", again, order, e.balance(a.ID))
	}
	_, err = ppSpec(a.ECS, id, "ecs.g7.2xlarge", func(r *ecs.ModifyPrepayInstanceSpecRequest) { r.ClientToken = token })
	apiError(t, err, "IdempotenceParamNotMatch", 400)
	in := describe(t, a.ECS, id)
	if in.InstanceType != "ecs.g7.xlarge" || in.Cpu != 4 || in.Memory != 16384 || in.InstanceChargeType != "PrePaid" || in.ExpiredTime != expiredTime || in.Status != "Running" {
		t.Fatalf("after the upgrade: %s, %d CPUs, %d MiB, %s, expires %s (was %s), %s", in.InstanceType, in.Cpu, in.Memory, in.InstanceChargeType, in.ExpiredTime, expiredTime, in.Status)
	}
	orders := e.ppOrders(a.ID)
	if len(orders) != 2 || orders[0]["order_id"] != order || orders[0]["kind"] != "instance.modify" || orders[0]["amount"] != fee.String() {
		t.Fatalf("orders after the upgrade: %v, want %s of %s", orders, order, fee)
	}
	evs := e.ctlEvents(id, "instance.spec_changed")
	if len(evs) != 1 || evs[0]["data"].(map[string]any)["operator"] != "upgrade" || evs[0]["data"].(map[string]any)["order_id"] != order {
		t.Fatalf("events of the upgrade: %v", evs)
	}

	// A cheaper type needs OperatorType=downgrade, and a stopped instance.
	_, err = ppSpec(a.ECS, id, "ecs.g7.large")
	apiError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	_, err = ppSpec(a.ECS, id, "ecs.g7.2xlarge", ppDowngrade)
	apiError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	_, err = ppSpec(a.ECS, id, "ecs.g7.large", ppDowngrade)
	apiError(t, err, "InvalidStatus.NotStopped", 400)
	ok(t, stop(a.ECS, id, ""))
	wantStatus(t, a.ECS, id, "Stopped")

	// The downgrade refunds the difference for each whole day left: an
	// order of a negative amount.
	left = e.ppLeft(id)
	refund := ppFee(t, "584.00", "292.00", int64(left/ppDay))
	down, err := ppSpec(a.ECS, id, "ecs.g7.large", ppDowngrade)
	ok(t, err)
	want = (openecs.MustMoney(want) - refund).String()
	if got := e.balance(a.ID); got != want || down == "" || down == order {
		t.Fatalf("balance after the downgrade (refund %s): %s, want %s; order %s", refund, got, want, down)
	}
	if orders := e.ppOrders(a.ID); orders[0]["amount"] != refund.String() || orders[0]["kind"] != "instance.modify" {
		t.Fatalf("the downgrade's order: %v, want %s", orders[0], refund)
	}
	if in := describe(t, a.ECS, id); in.InstanceType != "ecs.g7.large" || in.Cpu != 2 || in.Memory != 8192 {
		t.Fatalf("after the downgrade: %s, %d CPUs, %d MiB", in.InstanceType, in.Cpu, in.Memory)
	}

	// Three downgrades an instance, no more.
	for i := 0; i < 2; i++ {
		_, err := ppSpec(a.ECS, id, "ecs.g7.xlarge")
		ok(t, err)
		_, err = ppSpec(a.ECS, id, "ecs.g7.large", ppDowngrade)
		ok(t, err)
	}
	_, err = ppSpec(a.ECS, id, "ecs.g7.xlarge")
	ok(t, err)
	_, err = ppSpec(a.ECS, id, "ecs.g7.large", ppDowngrade)
	apiError(t, err, "InstanceDowngrade.QuotaExceed", 400)

	// The balance moved by exactly the orders.
	total := openecs.MustMoney("5000.00")
	for _, o := range e.ppOrders(a.ID) {
		total -= openecs.MustMoney(o["amount"].(string))
	}
	if got := e.balance(a.ID); got != total.String() {
		t.Fatalf("balance %s, but the orders leave %s", got, total)
	}

	// A renewal is priced at the new type's monthly price.
	req := ecs.CreateRenewInstanceRequest()
	req.InstanceId, req.Period, req.PeriodUnit = id, "1", "Month"
	_, err = a.ECS.RenewInstance(req)
	ok(t, err)
	if o := e.ppOrders(a.ID)[0]; o["kind"] != "instance.renew" || o["amount"] != "584.00" {
		t.Fatalf("renewal after the change: %v, want 584.00", o)
	}
}

func TestModifyPrepayInstanceSpecErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("5000.00")
	id := ppRun(t, a.ECS, "ecs.g7.large")
	post := ctlRun(t, a.ECS, "ecs.g7.large")

	_, err := ppSpec(a.ECS, post, "ecs.g7.xlarge")
	apiError(t, err, "InvalidInstanceChargeType.ValueNotSupported", 400)
	_, err = ppSpec(a.ECS, "i-bpnosuchinstance000", "ecs.g7.xlarge")
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	_, err = ppSpec(a.ECS, id, "")
	apiError(t, err, "MissingParameter", 400)
	_, err = ppSpec(a.ECS, id, "ecs.nosuch.large")
	apiError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	_, err = ppSpec(a.ECS, id, "ecs.g7.xlarge", func(r *ecs.ModifyPrepayInstanceSpecRequest) { r.OperatorType = "sideways" })
	apiError(t, err, "InvalidParameter", 400)
	_, err = ppSpec(a.ECS, id, "ecs.g7.large")
	apiError(t, err, "InvalidInstanceType.ValueNotSupported", 400)
	_, err = ppSpec(a.ECS, id, "ecs.i2.xlarge")
	apiError(t, err, "OperationDenied.LocalDiskUnsupported", 403)

	// Sold out: no slot of the new type.
	e.ctlSetCapacity("ecs.g7.2xlarge", 0)
	_, err = ppSpec(a.ECS, id, "ecs.g7.2xlarge")
	apiError(t, err, "OperationDenied.NoStock", 403)

	// Short of money: refused; with AutoPay=false an unpaid order and no
	// change.
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "1.00"}, 200)
	_, err = ppSpec(a.ECS, id, "ecs.g7.xlarge")
	apiError(t, err, "InvalidAccountStatus.NotEnoughBalance", 403)
	unpaid, err := ppSpec(a.ECS, id, "ecs.g7.xlarge", func(r *ecs.ModifyPrepayInstanceSpecRequest) { r.AutoPay = requests.NewBoolean(false) })
	ok(t, err)
	if in := describe(t, a.ECS, id); unpaid == "" || in.InstanceType != "ecs.g7.large" || e.balance(a.ID) != "1.00" {
		t.Fatalf("AutoPay=false: order %q, type %s, balance %s", unpaid, in.InstanceType, e.balance(a.ID))
	}

	// Locked for security.
	e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
	_, err = ppSpec(a.ECS, id, "ecs.g7.xlarge")
	apiError(t, err, "InstanceLockedForSecurity", 403)

	// In arrears: the pay-as-you-go instance's next hour takes the balance
	// below zero.
	b := e.newAccount("5000.00")
	sub := ppRun(t, b.ECS, "ecs.g7.large")
	ctlRun(t, b.ECS, "ecs.g7.large")
	e.admin("POST", "/admin/v1/accounts/"+b.ID+"/balance", map[string]any{"set": "0.10"}, 200)
	e.advance("1h")
	_, err = ppSpec(b.ECS, sub, "ecs.g7.xlarge")
	apiError(t, err, "Account.Arrearage", 400)

	// Expired: renew first.
	c := e.newAccount("5000.00")
	old := ppRun(t, c.ECS, "ecs.g7.large")
	e.advance("745h") // a month of 31 days and an hour
	_, err = ppSpec(c.ECS, old, "ecs.g7.xlarge")
	apiError(t, err, "InvalidInstanceStatus", 403)
}

// With a transition delay, an instance on its way can not change type.
func TestModifyPrepayInstanceSpecStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := ppRun(t, e.ecs, "ecs.g7.large")
	_, err := ppSpec(e.ecs, id, "ecs.g7.xlarge")
	apiError(t, err, "IncorrectInstanceStatus", 403)
}

// Terraform's provider stops a subscription before changing its type with
// the StoppedMode it read from DescribeInstances, Not-applicable: the stop
// is the ordinary one.
func TestStopSubscriptionNotApplicable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ppRun(t, e.ecs, "ecs.g7.large")
	if got := describe(t, e.ecs, id).StoppedMode; got != "Not-applicable" {
		t.Fatalf("a running subscription's StoppedMode: %s", got)
	}
	ok(t, stop(e.ecs, id, "Not-applicable"))
	wantStatus(t, e.ecs, id, "Stopped")
	if in := describe(t, e.ecs, id); in.StoppedMode != "Not-applicable" {
		t.Fatalf("a stopped subscription's StoppedMode: %s", in.StoppedMode)
	}
	apiError(t, stop(e.ecs, id, "Sometimes"), "InvalidParameter", 400)
}
