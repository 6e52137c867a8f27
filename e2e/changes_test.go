package e2e

// ModifyInstanceSpec and ModifyInstanceChargeType through the legacy Go SDK,
// with what billing does after them (docs/instance-changes.md). Helpers
// carry a "ch" prefix.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
)

func chSpec(c *ecs.Client, id string, mutate func(*ecs.ModifyInstanceSpecRequest)) error {
	req := ecs.CreateModifyInstanceSpecRequest()
	req.RegionId, req.InstanceId = region, id
	mutate(req)
	_, err := c.ModifyInstanceSpec(req)
	return err
}

func chType(c *ecs.Client, id, instanceType string) error {
	return chSpec(c, id, func(r *ecs.ModifyInstanceSpecRequest) { r.InstanceType = instanceType })
}

func chCharge(c *ecs.Client, ids []string, mutate func(*ecs.ModifyInstanceChargeTypeRequest)) (*ecs.ModifyInstanceChargeTypeResponse, error) {
	req := ecs.CreateModifyInstanceChargeTypeRequest()
	req.RegionId = region
	req.InstanceIds = `["` + strings.Join(ids, `","`) + `"]`
	if mutate != nil {
		mutate(req)
	}
	return c.ModifyInstanceChargeType(req)
}

func chPrePaid(period, unit string) func(*ecs.ModifyInstanceChargeTypeRequest) {
	return func(r *ecs.ModifyInstanceChargeTypeRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requests.Integer(period), unit
	}
}

// chCharges lists the amounts an instance was charged, in order.
func (e *env) chCharges(accountID, id string) []string {
	e.t.Helper()
	var out []string
	for _, c := range e.charges(accountID)[id] {
		out = append(out, c["amount"].(string))
	}
	return out
}

// chNow is the service's clock.
func (e *env) chNow() time.Time {
	e.t.Helper()
	now, err := time.Parse(time.RFC3339, e.admin("GET", "/admin/v1/clock", nil, 200)["now"].(string))
	if err != nil {
		e.t.Fatal(err)
	}
	return now
}

// chToNextHour advances the clock to just past the next whole hour, so that
// what follows happens inside one billing hour.
func (e *env) chToNextHour() {
	e.t.Helper()
	now := e.chNow()
	e.advance((now.Truncate(time.Hour).Add(time.Hour + time.Minute).Sub(now)).String())
}

func TestModifyInstanceSpecAndBilling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	e.chToNextHour()
	id := ctlRun(t, a.ECS, itype)
	apiError(t, chType(a.ECS, id, "ecs.g7.xlarge"), "InvalidInstanceStatus.NotStopped", 400)
	e.advance("1h") // one hour as ecs.g7.large
	ok(t, stop(a.ECS, id, ""))
	apiError(t, chSpec(a.ECS, id, func(r *ecs.ModifyInstanceSpecRequest) {
		r.InstanceType, r.DryRun = "ecs.g7.xlarge", requests.NewBoolean(true)
	}), "DryRunOperation", 400)
	if got := describe(t, a.ECS, id).InstanceType; got != itype {
		t.Fatalf("a DryRun changed the type to %s", got)
	}
	ok(t, chType(a.ECS, id, "ecs.g7.xlarge"))
	in := describe(t, a.ECS, id)
	if in.InstanceType != "ecs.g7.xlarge" || in.Cpu != 4 || in.Memory != 16384 || in.InstanceTypeFamily != "ecs.g7" || in.Status != "Stopped" {
		t.Fatalf("after ModifyInstanceSpec: %s, %d vCPU, %d MiB, %s", in.InstanceType, in.Cpu, in.Memory, in.Status)
	}
	if p := e.ctlInstance(id)["hourly_price"]; p != "1.252" {
		t.Fatalf("hourly price after the change: %v", p)
	}
	ok(t, start(a.ECS, id))
	e.advance("2h") // two hours as ecs.g7.xlarge
	if got := e.chCharges(a.ID, id); fmt.Sprint(got) != "[0.626 1.252 1.252]" {
		t.Fatalf("charges: %v, want one hour of the old type, then the new type's price", got)
	}
	if got := e.balance(a.ID); got != "996.87" { // 1000 - 0.626 - 2 × 1.252
		t.Fatalf("balance %s, want 996.87", got)
	}
	ev := e.ctlEvents(id, "instance.spec_changed")
	if len(ev) != 1 {
		t.Fatalf("spec events: %v", ev)
	}

	// Bandwidth, Running or Stopped; never with a type in the same call.
	ok(t, chSpec(a.ECS, id, func(r *ecs.ModifyInstanceSpecRequest) { r.InternetMaxBandwidthOut = requestsInt(10) }))
	if in = describe(t, a.ECS, id); in.InternetMaxBandwidthOut != 10 || len(in.PublicIpAddress.IpAddress) != 1 {
		t.Fatalf("bandwidth %d, public addresses %v", in.InternetMaxBandwidthOut, in.PublicIpAddress.IpAddress)
	}
	apiError(t, chSpec(a.ECS, id, func(r *ecs.ModifyInstanceSpecRequest) {
		r.InstanceType, r.InternetMaxBandwidthOut = "ecs.g7.large", requestsInt(5)
	}), "InvalidParameter.Mismatch", 400)
	apiError(t, chSpec(a.ECS, id, func(r *ecs.ModifyInstanceSpecRequest) { r.InternetMaxBandwidthOut = requestsInt(101) }), "InvalidParameter", 400)
	apiError(t, chSpec(a.ECS, id, func(r *ecs.ModifyInstanceSpecRequest) {}), "MissingParameter", 400)
}

func TestModifyInstanceSpecErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := ctlRun(t, e.ecs, itype)
	ok(t, stop(e.ecs, id, ""))
	pre := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.ZoneId, r.InstanceChargeType, r.Period, r.PeriodUnit = ctlZone, "PrePaid", "1", "Month"
	})[0]
	local := ctlRun(t, e.ecs, "ecs.i2.xlarge")
	ok(t, stop(e.ecs, local, ""))
	apiError(t, chType(e.ecs, id, "ecs.nosuch.type"), "InvalidInstanceType.ValueNotSupported", 400)
	apiError(t, chType(e.ecs, pre, "ecs.g7.xlarge"), "ChargeTypeViolation", 403)
	apiError(t, chType(e.ecs, local, "ecs.g7.xlarge"), "CategoryViolation", 403)
	apiError(t, chType(e.ecs, id, "ecs.i2.xlarge"), "CategoryViolation", 403)
	apiError(t, chType(e.ecs, "i-bpnosuchinstance000", "ecs.g7.xlarge"), "InvalidInstanceId.NotFound", 404)

	// A type the zone does not sell.
	kid := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) { r.ZoneId = "cn-hangzhou-k" })[0]
	ok(t, stop(e.ecs, kid, ""))
	apiError(t, chType(e.ecs, kid, "ecs.g7.2xlarge"), "InvalidInstanceType.ValueNotSupported", 403)

	// Capacity and quota of the new type.
	e.ctlSetCapacity("ecs.g7.xlarge", 0)
	apiError(t, chType(e.ecs, id, "ecs.g7.xlarge"), "OperationDenied.NoStock", 403)
	e.ctlSetCapacity("ecs.g7.xlarge", 1)
	e.ctlSetCapacity(itype, 0)
	acct := e.ctlInstance(id)["account_id"].(string)
	e.admin("PUT", "/admin/v1/quotas", map[string]any{"account_id": acct, "region_id": region, "instance_type": "ecs.g7.xlarge", "instances": 0}, 200)
	apiError(t, chType(e.ecs, id, "ecs.g7.xlarge"), "QuotaExceed.ElasticQuota", 403)
	apiError(t, chSpec(e.ecs, id, func(r *ecs.ModifyInstanceSpecRequest) {
		r.InstanceType, r.DryRun = "ecs.g7.xlarge", requests.NewBoolean(true)
	}), "QuotaExceed.ElasticQuota", 403)
	if e.ctlFree("ecs.g7.xlarge") != 1 || e.ctlFree(itype) != 0 {
		t.Fatalf("a refused change moved capacity: %d free of the new type, %d of the old", e.ctlFree("ecs.g7.xlarge"), e.ctlFree(itype))
	}
	e.admin("PUT", "/admin/v1/quotas", map[string]any{"account_id": acct, "region_id": region, "instance_type": "ecs.g7.xlarge", "instances": nil}, 200)
	ok(t, chType(e.ecs, id, "ecs.g7.xlarge"))
	if e.ctlFree("ecs.g7.xlarge") != 0 || e.ctlFree(itype) != 1 {
		t.Fatalf("after the change: %d free of the new type, %d of the old; want its slot moved", e.ctlFree("ecs.g7.xlarge"), e.ctlFree(itype))
	}

	// Arrears, security lock, another account.
	e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
	apiError(t, chType(e.ecs, id, itype), "InstanceLockedForSecurity", 403)
	other := e.newAccount("1.00")
	apiError(t, chType(other.ECS, id, itype), "InvalidInstanceId.NotFound", 404)
	oid := ctlRun(t, other.ECS, itype)
	ok(t, stop(other.ECS, oid, ""))
	e.admin("POST", "/admin/v1/accounts/"+other.ID+"/balance", map[string]any{"set": "-5.00"}, 200)
	e.advance("1h")
	apiError(t, chType(other.ECS, oid, "ecs.g7.xlarge"), "Account.Arrearage", 400)
}

func TestModifyInstanceChargeTypeAndBilling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	e.chToNextHour()
	id := ctlRun(t, a.ECS, itype)
	e.advance("1h")
	if got := e.chCharges(a.ID, id); fmt.Sprint(got) != "[0.626]" {
		t.Fatalf("charges before the change: %v", got)
	}

	// DryRun and AutoPay=false change nothing.
	_, err := chCharge(a.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		chPrePaid("1", "Month")(r)
		r.DryRun = requests.NewBoolean(true)
	})
	apiError(t, err, "DryRunOperation", 400)
	unpaid, err := chCharge(a.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		chPrePaid("1", "Month")(r)
		r.AutoPay = requests.NewBoolean(false)
	})
	ok(t, err)
	if unpaid.OrderId == "" || describe(t, a.ECS, id).InstanceChargeType != "PostPaid" || e.balance(a.ID) != "999.374" {
		t.Fatalf("AutoPay=false: order %q, charge type %s, balance %s", unpaid.OrderId, describe(t, a.ECS, id).InstanceChargeType, e.balance(a.ID))
	}

	// To a subscription: paid at once; no more hourly charges.
	resp, err := chCharge(a.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		chPrePaid("1", "Month")(r)
		r.ClientToken = "convert-" + id
	})
	ok(t, err)
	fees := resp.FeeOfInstances.FeeOfInstance
	if resp.OrderId == "" || len(fees) != 1 || fees[0].InstanceId != id || fees[0].Fee != "292.00" || fees[0].Currency != "CNY" {
		t.Fatalf("ModifyInstanceChargeType answered %+v", resp)
	}
	again, err := chCharge(a.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		chPrePaid("1", "Month")(r)
		r.ClientToken = "convert-" + id
	})
	ok(t, err)
	if again.OrderId != resp.OrderId {
		t.Fatalf("the same ClientToken placed a second order %s (first %s)", again.OrderId, resp.OrderId)
	}
	if got := e.balance(a.ID); got != "707.374" { // 1000 - 0.626 - 292
		t.Fatalf("balance after the conversion: %s, want 707.374", got)
	}
	in := describe(t, a.ECS, id)
	now := e.chNow()
	expires, err := time.Parse("2006-01-02T15:04Z", in.ExpiredTime)
	ok(t, err)
	if in.InstanceChargeType != "PrePaid" || in.StoppedMode != "Not-applicable" || expires.Before(now.AddDate(0, 1, -1)) || expires.After(now.AddDate(0, 1, 0)) {
		t.Fatalf("after the conversion: %s, stopped mode %s, expires %s (now %s)", in.InstanceChargeType, in.StoppedMode, in.ExpiredTime, now)
	}
	sys := dkDisks(t, a.ECS, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "system" }).Disks.Disk[0]
	if sys.DiskChargeType != "PrePaid" || sys.ExpiredTime != in.ExpiredTime {
		t.Fatalf("the system disk after the conversion: %s, expires %q", sys.DiskChargeType, sys.ExpiredTime)
	}
	e.advance("5h")
	if got := e.chCharges(a.ID, id); fmt.Sprint(got) != "[0.626]" {
		t.Fatalf("a subscription was charged by the hour: %v", got)
	}
	if r, err := atAutoRenew(a.ECS, id, ""); err != nil || r.InstanceRenewAttributes.InstanceRenewAttribute[0].RenewalStatus != "Normal" {
		t.Fatalf("DescribeInstanceAutoRenewAttribute after the conversion: %+v, %v", r, err)
	}

	// Back to pay-as-you-go (the same token, as Terraform sends): a
	// thirtieth of the monthly price for each whole day left comes back.
	now = e.chNow()
	days := int64(expires.Sub(now) / (24 * time.Hour))
	monthly, err := openecs.MustMoney("292.00").Mul(days)
	if err != nil {
		t.Fatal(err)
	}
	refund := monthly.DivInt(30)
	back, err := chCharge(a.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		r.InstanceChargeType, r.ClientToken, r.IsDetailFee = "PostPaid", "convert-"+id, requests.NewBoolean(true)
	})
	ok(t, err)
	if len(back.FeeOfInstances.FeeOfInstance) != 1 || back.FeeOfInstances.FeeOfInstance[0].Fee != (-refund).String() || back.OrderId == resp.OrderId {
		t.Fatalf("back to PostPaid: %+v, want a refund of %s", back, refund)
	}
	if got, want := e.balance(a.ID), (openecs.MustMoney("707.374") + refund).String(); got != want {
		t.Fatalf("balance after the refund: %s, want %s", got, want)
	}
	in = describe(t, a.ECS, id)
	if in.InstanceChargeType != "PostPaid" || in.ExpiredTime != "2099-12-31T15:59Z" || in.StoppedMode != "KeepCharging" {
		t.Fatalf("back to PostPaid: %s, expires %s, stopped mode %s", in.InstanceChargeType, in.ExpiredTime, in.StoppedMode)
	}
	e.advance("2h")
	if got := e.chCharges(a.ID, id); fmt.Sprint(got) != "[0.626 0.626 0.626]" {
		t.Fatalf("charges after returning to PostPaid: %v", got)
	}
	// The expiry job of the subscription that is no more does nothing.
	e.advance("800h")
	if s := describe(t, a.ECS, id).Status; s != "Stopped" && s != "Running" {
		t.Fatalf("status %s", s)
	}
	if len(e.ctlEvents(id, "instance.expired")) != 0 {
		t.Fatal("a converted-back instance expired")
	}
}

func TestModifyInstanceChargeTypeExpiryAndDataDisks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := dkRunWithDisks(t, e.ecs)
	ok(t, stop(e.ecs, id, ""))
	_, err := chCharge(e.ecs, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) {
		chPrePaid("1", "Week")(r)
		r.IncludeDataDisks = requests.NewBoolean(true)
	})
	ok(t, err)
	for _, d := range dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = id }).Disks.Disk {
		if d.DiskChargeType != "PrePaid" || (d.Type == "data" && d.Portable) {
			t.Fatalf("disk %s after a conversion with IncludeDataDisks: %s, portable %v", d.DiskId, d.DiskChargeType, d.Portable)
		}
	}
	e.advance("169h") // a week and an hour
	in := describe(t, e.ecs, id)
	if in.Status != "Stopped" || len(in.OperationLocks.LockReason) != 1 || in.OperationLocks.LockReason[0].LockReason != "financial" {
		t.Fatalf("a week after converting to a one-week subscription: %s, locks %v", in.Status, in.OperationLocks.LockReason)
	}
	_, err = chCharge(e.ecs, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) { r.InstanceChargeType = "PostPaid" })
	apiError(t, err, "ExpiredInstance", 400)
}

func TestModifyInstanceChargeTypeErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	poor := e.newAccount("10.00")
	id := ctlRun(t, poor.ECS, itype)
	_, err := chCharge(poor.ECS, []string{id}, chPrePaid("1", "Month"))
	apiError(t, err, "InvalidAccountStatus.NotEnoughBalance", 403)
	_, err = chCharge(poor.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) { r.InstanceChargeType = "PostPaid" })
	apiError(t, err, "InvalidInstanceChargeType.ValueNotSupported", 400)
	_, err = chCharge(poor.ECS, []string{id}, chPrePaid("10", "Month"))
	apiError(t, err, "InvalidPeriod", 400)
	_, err = chCharge(poor.ECS, []string{id}, chPrePaid("1", "Year"))
	apiError(t, err, "InvalidPeriodUnit.ValueNotSupported", 400)
	_, err = chCharge(poor.ECS, []string{id}, func(r *ecs.ModifyInstanceChargeTypeRequest) { r.InstanceChargeType = "Free" })
	apiError(t, err, "InvalidParameter", 400)
	_, err = chCharge(poor.ECS, []string{"i-bpnosuchinstance000"}, nil)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	req := ecs.CreateModifyInstanceChargeTypeRequest()
	req.RegionId, req.InstanceIds = region, id
	_, err = poor.ECS.ModifyInstanceChargeType(req)
	apiError(t, err, "InvalidParameter.InstanceIds", 400)
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("i-%d", i)
	}
	_, err = chCharge(poor.ECS, many, nil)
	apiError(t, err, "InstancesIdQuotaExceed", 400)

	rich := e.newAccount("5000.00")
	timed := ctlRun(t, rich.ECS, itype, func(r *ecs.RunInstancesRequest) { r.AutoReleaseTime = "2099-01-01T00:00:00Z" })
	_, err = chCharge(rich.ECS, []string{timed}, chPrePaid("1", "Month"))
	apiError(t, err, "ReleaseTimeHaveBeenSet", 400)
	spot := ctlRun(t, rich.ECS, itype, ctlSpot("SpotAsPriceGo", "", ""))
	_, err = chCharge(rich.ECS, []string{spot}, chPrePaid("1", "Month"))
	apiError(t, err, "InvalidSpotStrategy", 400)
	_, err = chCharge(rich.ECS, []string{id}, chPrePaid("1", "Month"))
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	// All or nothing: one refused instance converts none.
	good := ctlRun(t, rich.ECS, itype)
	_, err = chCharge(rich.ECS, []string{good, spot}, chPrePaid("1", "Month"))
	apiError(t, err, "InvalidSpotStrategy", 400)
	if describe(t, rich.ECS, good).InstanceChargeType != "PostPaid" || e.balance(rich.ID) != "5000.00" {
		t.Fatal("a refused batch converted an instance or charged the account")
	}
	// A stopped instance that gave its capacity back needs a slot again.
	e.admin("PATCH", "/admin/v1/accounts/"+rich.ID, map[string]any{"economical_mode": true}, 200)
	ok(t, stop(rich.ECS, good, "StopCharging"))
	e.ctlSetCapacity(itype, 0)
	_, err = chCharge(rich.ECS, []string{good}, chPrePaid("1", "Month"))
	apiError(t, err, "OperationDenied.NoStock", 403)
}

// With a transition delay, an instance on its way can not be converted.
func TestModifyInstanceChargeTypeStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	id := ctlRun(t, e.ecs, itype)
	_, err := chCharge(e.ecs, []string{id}, chPrePaid("1", "Month"))
	apiError(t, err, "InvalidStatus.ValueNotSupported", 400)
	apiError(t, chSpec(e.ecs, id, func(r *ecs.ModifyInstanceSpecRequest) { r.InternetMaxBandwidthOut = requestsInt(5) }), "InvalidStatus.ValueNotSupported", 403)
}

// The calls Terraform's alicloud_instance makes for a user_data and
// host_name change, an instance_type change and a status change (Stopped,
// then Running), in its order, with a transition delay: the answers and the
// statuses it waits for (terraform.md rows 19, 20, 28 and "Nearby
// variations"), then its destroy.
func TestTerraformUpdateSequence(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Minute))
	id := ctlRun(t, e.ecs, itype, func(r *ecs.RunInstancesRequest) {
		r.SystemDiskCategory, r.SystemDiskSize = "cloud_essd", "40"
	})
	// Create waits for Running, with Pending, Starting and Stopped pending.
	for _, want := range []string{"Pending", "Starting", "Running"} {
		wantStatus(t, e.ecs, id, want)
		if want != "Running" {
			e.advance("1m")
		}
	}
	// user_data and host_name: ModifyInstanceAttribute while Running, then a
	// stop and a start.
	ud := "IyEvYmluL3NoCmVjaG8gdGY="
	ok(t, atModify(e.ecs, id, func(r *ecs.ModifyInstanceAttributeRequest) { r.UserData, r.HostName = ud, "tf-host" }))
	stopReq := ecs.CreateStopInstanceRequest()
	stopReq.InstanceId, stopReq.ForceStop = id, requests.NewBoolean(false)
	_, err := e.ecs.StopInstance(stopReq)
	ok(t, err)
	wantStatus(t, e.ecs, id, "Stopping")
	apiError(t, start(e.ecs, id), "IncorrectInstanceStatus", 403) // the provider retries this
	apiError(t, chType(e.ecs, id, "ecs.g7.xlarge"), "InvalidInstanceStatus.NotStopped", 400)
	e.advance("1m")
	wantStatus(t, e.ecs, id, "Stopped")
	// instance_type: ModifyInstanceSpec while Stopped, then polls until
	// DescribeInstances shows the new type.
	ok(t, chType(e.ecs, id, "ecs.g7.xlarge"))
	if got := describe(t, e.ecs, id).InstanceType; got != "ecs.g7.xlarge" {
		t.Fatalf("DescribeInstances after ModifyInstanceSpec: %s", got)
	}
	ok(t, start(e.ecs, id))
	wantStatus(t, e.ecs, id, "Starting")
	e.advance("1m")
	wantStatus(t, e.ecs, id, "Running")
	if got, err := atUserData(e.ecs, id); err != nil || got != ud || describe(t, e.ecs, id).HostName != "tf-host" {
		t.Fatalf("after the restart: user data %q (%v), host %q", got, err, describe(t, e.ecs, id).HostName)
	}
	// status = "Stopped": a stop; then "Running": a start.
	_, err = e.ecs.StopInstance(stopReq)
	ok(t, err)
	e.advance("1m")
	wantStatus(t, e.ecs, id, "Stopped")
	_, err = e.ecs.StopInstance(stopReq)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	ok(t, start(e.ecs, id))
	e.advance("1m")
	wantStatus(t, e.ecs, id, "Running")
	// The next read: the system disk echoes what RunInstances asked for.
	sys := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId, r.DiskType = id, "system" }).Disks.Disk
	if len(sys) != 1 || sys[0].Category != "cloud_essd" || sys[0].Size != 40 || sys[0].InstanceId != id {
		t.Fatalf("system disk after the updates: %+v", sys)
	}
	// Destroy: DeleteInstance with Force, then DescribeInstances until the
	// list is empty; nothing of the instance is left.
	ok(t, ctlDelete(e.ecs, id))
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.InstanceIds = region, `["`+id+`"]`
	resp, err := e.ecs.DescribeInstances(req)
	ok(t, err)
	if len(resp.Instances.Instance) != 0 {
		t.Fatalf("DescribeInstances after DeleteInstance: %d instances", len(resp.Instances.Instance))
	}
	if left := dkDisks(t, e.ecs, func(r *ecs.DescribeDisksRequest) { r.InstanceId = id }); len(left.Disks.Disk) != 0 {
		t.Fatalf("disks left after the destroy: %v", dkIDs(left))
	}
	_, err = atUserData(e.ecs, id)
	apiError(t, err, "InvalidInstanceId.NotFound", 404)
	apiError(t, ctlDelete(e.ecs, id), "InvalidInstanceId.NotFound", 404)
}
