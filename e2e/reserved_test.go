package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// The reserved-instance prices of the built-in catalogue: ecs.g7.large costs
// 2770.00 a year reserved and 0.626 an hour pay-as-you-go.
const riZone = "cn-hangzhou-h"

// riBuy buys a reserved instance (by default: ecs.g7.large, one instance,
// Zone scope in cn-hangzhou-h, All Upfront, one year) and returns its id and
// order id.
func riBuy(t *testing.T, c *ecs.Client, mutate ...func(*ecs.PurchaseReservedInstancesOfferingRequest)) (string, string) {
	t.Helper()
	resp, err := riBuyErr(c, mutate...)
	ok(t, err)
	if len(resp.ReservedInstanceIdSets.ReservedInstanceId) != 1 || resp.OrderId == "" {
		t.Fatalf("purchase answered %+v", resp)
	}
	id := resp.ReservedInstanceIdSets.ReservedInstanceId[0]
	if !strings.HasPrefix(id, "ecsri-") || len(id) != len("ecsri-")+20 {
		t.Fatalf("reserved instance id %q is not shaped ecsri-<20 characters>", id)
	}
	return id, resp.OrderId
}

func riBuyErr(c *ecs.Client, mutate ...func(*ecs.PurchaseReservedInstancesOfferingRequest)) (*ecs.PurchaseReservedInstancesOfferingResponse, error) {
	req := ecs.CreatePurchaseReservedInstancesOfferingRequest()
	req.RegionId, req.InstanceType, req.Scope, req.ZoneId = region, itype, "Zone", riZone
	req.OfferingType, req.Period, req.PeriodUnit = "All Upfront", "1", "Year"
	for _, m := range mutate {
		m(req)
	}
	return c.PurchaseReservedInstancesOffering(req)
}

func riRenewReq(ids ...string) *ecs.RenewReservedInstancesRequest {
	req := ecs.CreateRenewReservedInstancesRequest()
	req.RegionId = region
	req.ReservedInstanceId = &ids
	return req
}

// riGet returns one reserved instance through DescribeReservedInstances.
func riGet(t *testing.T, c *ecs.Client, id string) ecs.ReservedInstance {
	t.Helper()
	req := ecs.CreateDescribeReservedInstancesRequest()
	req.RegionId = region
	req.ReservedInstanceId = &[]string{id}
	resp, err := c.DescribeReservedInstances(req)
	ok(t, err)
	if len(resp.ReservedInstances.ReservedInstance) != 1 || resp.TotalCount != 1 {
		t.Fatalf("DescribeReservedInstances(%s): %+v", id, resp)
	}
	return resp.ReservedInstances.ReservedInstance[0]
}

// riTime parses a minute-precision API time.
func riTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

func riAddYears(t *testing.T, s string, years int) string {
	t.Helper()
	return riTime(t, s).AddDate(years, 0, 0).Format("2006-01-02T15:04Z")
}

// riMidHour is the wall clock of the tests that count billing points: real
// time, shifted by at most 14 minutes (inside the 15-minute timestamp window)
// so that the test starts at least 14 minutes away from a whole hour. No
// billing point then passes in real time while the test runs, besides the
// ones it advances the clock through.
func riMidHour() option {
	var shift time.Duration
	switch m := time.Now().Minute(); {
	case m < 15:
		shift = 14 * time.Minute
	case m >= 45:
		shift = -14 * time.Minute
	}
	return withWall(func() time.Time { return time.Now().Add(shift) })
}

func (e *env) riWantBalance(id, want string) {
	e.t.Helper()
	if got := e.balance(id); got != want {
		e.t.Fatalf("balance %s, want %s", got, want)
	}
}

// riUntilAfter advances the clock to just past an API time.
func (e *env) riUntilAfter(wire string) {
	e.t.Helper()
	now, err := time.Parse(time.RFC3339, e.admin("GET", "/admin/v1/clock", nil, 200)["now"].(string))
	if err != nil {
		e.t.Fatal(err)
	}
	d := riTime(e.t, wire).Add(time.Minute).Sub(now)
	if d < 0 {
		d = 0
	}
	e.advance(d.Round(time.Second).String())
}

// events returns the events of a kind for one resource.
func (e *env) riEvents(kind, resource string) []map[string]any {
	e.t.Helper()
	var out []map[string]any
	for _, ev := range e.admin("GET", "/admin/v1/events?kind="+kind+"&resource_id="+resource, nil, 200)["events"].([]any) {
		out = append(out, ev.(map[string]any))
	}
	return out
}

func TestReservedPurchaseDescribeRenew(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")

	id, order := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
		r.InstanceAmount = "2"
		r.ReservedInstanceName = "ri-web"
		r.Description = "web tier"
		r.Tag = &[]ecs.PurchaseReservedInstancesOfferingTag{{Key: "env", Value: "prod"}}
	})
	e.riWantBalance(a.ID, "94460.00") // 2 × 2770
	ri := riGet(t, a.ECS, id)
	if ri.Status != "Active" || ri.Scope != "Zone" || ri.ZoneId != riZone || ri.RegionId != region || ri.InstanceType != itype ||
		ri.InstanceAmount != 2 || ri.OfferingType != "All Upfront" || ri.Platform != "Linux" || ri.ReservedInstanceName != "ri-web" ||
		ri.Description != "web tier" || ri.AllocationStatus != "" {
		t.Fatalf("described: %+v", ri)
	}
	if len(ri.Tags.Tag) != 1 || ri.Tags.Tag[0].TagKey != "env" || ri.Tags.Tag[0].TagValue != "prod" {
		t.Fatalf("tags: %+v", ri.Tags)
	}
	if ri.OperationLocks.OperationLock == nil || len(ri.OperationLocks.OperationLock) != 0 {
		t.Fatalf("locks: %+v", ri.OperationLocks)
	}
	if ri.ExpiredTime != riAddYears(t, ri.StartTime, 1) || ri.CreationTime != ri.StartTime {
		t.Fatalf("term %s → %s (created %s)", ri.StartTime, ri.ExpiredTime, ri.CreationTime)
	}

	// One year: the expiry moves a year and the balance pays 2 × 2770.
	resp, err := a.ECS.RenewReservedInstances(riRenewReq(id))
	ok(t, err)
	if got := resp.ReservedInstanceIdSets.ReservedInstanceId; len(got) != 1 || got[0] != id || resp.OrderId == "" || resp.OrderId == order {
		t.Fatalf("renewal answered %+v", resp)
	}
	after := riGet(t, a.ECS, id)
	if after.ExpiredTime != riAddYears(t, ri.ExpiredTime, 1) || after.StartTime != ri.StartTime || after.Status != "Active" {
		t.Fatalf("after a 1-year renewal: %s → %s", ri.ExpiredTime, after.ExpiredTime)
	}
	e.riWantBalance(a.ID, "88920.00")

	// Three years.
	req := riRenewReq(id)
	req.Period, req.PeriodUnit = "3", "Year"
	resp3, err := a.ECS.RenewReservedInstances(req)
	ok(t, err)
	if got := riGet(t, a.ECS, id).ExpiredTime; got != riAddYears(t, after.ExpiredTime, 3) {
		t.Fatalf("after a 3-year renewal: %s → %s", after.ExpiredTime, got)
	}
	e.riWantBalance(a.ID, "72300.00") // 3 × 2 × 2770

	orders := e.admin("GET", "/admin/v1/accounts/"+a.ID+"/orders", nil, 200)["orders"].([]any)
	amounts := map[string]string{}
	for _, o := range orders {
		m := o.(map[string]any)
		amounts[m["order_id"].(string)] = m["kind"].(string) + " " + m["amount"].(string)
	}
	want := map[string]string{order: "reserved.buy 5540.00", resp.OrderId: "reserved.renew 5540.00", resp3.OrderId: "reserved.renew 16620.00"}
	for o, w := range want {
		if amounts[o] != w {
			t.Fatalf("order %s: %q, want %q (all: %v)", o, amounts[o], w, amounts)
		}
	}
	if ev := e.riEvents("reserved.renewed", id); len(ev) != 2 {
		t.Fatalf("renewal events: %v", ev)
	}

	// Partial Upfront: half the yearly price up front, per year bought.
	part, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
		r.Scope, r.ZoneId, r.OfferingType, r.Period = "Region", "", "Partial Upfront", "3"
	})
	e.riWantBalance(a.ID, "68145.00") // 3 × 2770 / 2
	if p := riGet(t, a.ECS, part); p.Scope != "Region" || p.ZoneId != "" || p.ExpiredTime != riAddYears(t, p.StartTime, 3) {
		t.Fatalf("partial upfront: %+v", p)
	}
	ok(t, riNoAnswer(a.ECS.RenewReservedInstances(riRenewReq(part))))
	e.riWantBalance(a.ID, "66760.00")
	if fee := e.admin("GET", "/admin/v1/reserved-instances/"+part, nil, 200)["hourly_fee"]; fee != "0.158105" { // 1385 / 8760
		t.Fatalf("hourly fee %v", fee)
	}
}

// riNoAnswer drops a response.
func riNoAnswer[T any](_ T, err error) error { return err }

func TestReservedRenewIsIdempotent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	id, _ := riBuy(t, a.ECS)
	before := riGet(t, a.ECS, id).ExpiredTime

	req := riRenewReq(id)
	req.ClientToken = "renew-123e4567-e89b-12d3-a456-426655440000"
	first, err := a.ECS.RenewReservedInstances(req)
	ok(t, err)
	again := riRenewReq(id)
	again.ClientToken = req.ClientToken
	second, err := a.ECS.RenewReservedInstances(again)
	ok(t, err)
	if first.OrderId != second.OrderId || second.ReservedInstanceIdSets.ReservedInstanceId[0] != id {
		t.Fatalf("a repeat answered order %s, the first %s", second.OrderId, first.OrderId)
	}
	if got := riGet(t, a.ECS, id).ExpiredTime; got != riAddYears(t, before, 1) {
		t.Fatalf("renewed twice? %s → %s", before, got)
	}
	e.riWantBalance(a.ID, "94460.00") // one purchase and one renewal

	// The same token with other parameters.
	other := riRenewReq(id)
	other.ClientToken, other.Period = req.ClientToken, "3"
	_, err = a.ECS.RenewReservedInstances(other)
	apiError(t, err, "IdempotentParameterMismatch", 400)

	// The token is scoped to the account: another account may reuse it.
	b := e.newAccount("100000.00")
	bid, _ := riBuy(t, b.ECS)
	mine := riRenewReq(bid)
	mine.ClientToken = req.ClientToken
	resp, err := b.ECS.RenewReservedInstances(mine)
	ok(t, err)
	if resp.OrderId == first.OrderId {
		t.Fatal("another account got the first account's answer")
	}

	// A failed call is not remembered: the token works once the cause is gone.
	c := e.newAccount("100000.00")
	cid, _ := riBuy(t, c.ECS)
	e.admin("POST", "/admin/v1/accounts/"+c.ID+"/balance", map[string]any{"set": "1.00"}, 200)
	retry := riRenewReq(cid)
	retry.ClientToken = "retry-after-top-up"
	_, err = c.ECS.RenewReservedInstances(retry)
	apiError(t, err, "Account.Arrearage", 403)
	e.topUp(c.ID, "10000.00")
	ok(t, riNoAnswer(c.ECS.RenewReservedInstances(retry)))
	e.riWantBalance(c.ID, "7231.00")

	// Purchases are idempotent too.
	buy := func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ClientToken = "buy-once" }
	x, ox := riBuy(t, c.ECS, buy)
	y, oy := riBuy(t, c.ECS, buy)
	if x != y || ox != oy {
		t.Fatalf("a repeated purchase made %s/%s after %s/%s", y, oy, x, ox)
	}
	e.riWantBalance(c.ID, "4461.00")
}

func TestReservedAutoRenewAtExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rich := e.newAccount("10000.00")
	poor := e.newAccount("3000.00")
	auto := func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.AutoRenew, r.AutoRenewPeriod = "true", "12" }
	paid, _ := riBuy(t, rich.ECS, auto)
	unpaid, _ := riBuy(t, poor.ECS, auto)
	manual, _ := riBuy(t, rich.ECS)
	e.riWantBalance(rich.ID, "4460.00")
	e.riWantBalance(poor.ID, "230.00")

	expiry := riGet(t, rich.ECS, paid).ExpiredTime
	e.riUntilAfter(expiry)

	// Enough balance: renewed for 12 months, with an order and an event.
	got := riGet(t, rich.ECS, paid)
	if got.Status != "Active" || got.ExpiredTime != riAddYears(t, expiry, 1) {
		t.Fatalf("auto-renewed: %s until %s", got.Status, got.ExpiredTime)
	}
	e.riWantBalance(rich.ID, "1690.00")
	ev := e.riEvents("reserved.renewed", paid)
	if len(ev) != 1 || ev[0]["cause"] != "auto-renew" {
		t.Fatalf("renewal events: %v", ev)
	}
	// Without auto-renewal: Expired, and no longer renewable.
	if s := riGet(t, rich.ECS, manual).Status; s != "Expired" {
		t.Fatalf("the manual one is %s", s)
	}
	_, err := rich.ECS.RenewReservedInstances(riRenewReq(manual))
	apiError(t, err, "IncorrectInstanceStatus", 403)

	// Not enough balance: Expired, nothing charged, the event says why.
	if s := riGet(t, poor.ECS, unpaid).Status; s != "Expired" {
		t.Fatalf("the unpaid one is %s", s)
	}
	e.riWantBalance(poor.ID, "230.00")
	ev = e.riEvents("reserved.expired", unpaid)
	if len(ev) != 1 || ev[0]["data"].(map[string]any)["auto_renew_failed"] == nil {
		t.Fatalf("expiry events: %v", ev)
	}
	req := ecs.CreateDescribeReservedInstancesRequest()
	req.RegionId = region
	req.Status = &[]string{"Expired"}
	resp, err := rich.ECS.DescribeReservedInstances(req)
	ok(t, err)
	if resp.TotalCount != 1 || resp.ReservedInstances.ReservedInstance[0].ReservedInstanceId != manual {
		t.Fatalf("Status=Expired: %+v", resp.ReservedInstances)
	}
}

func TestReservedCoverageMakesHoursFree(t *testing.T) {
	t.Parallel()
	e := newEnv(t, riMidHour())
	a := e.newAccount("100000.00")
	zonal, _ := riBuy(t, a.ECS) // one g7.large in cn-hangzhou-h
	regional, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
		r.Scope, r.ZoneId, r.OfferingType = "Region", "", "No Upfront"
	})
	e.riWantBalance(a.ID, "97230.00") // the No Upfront one costs nothing now
	inH := run(t, a.ECS, 2, func(r *ecs.RunInstancesRequest) { r.ZoneId = riZone })
	inI := run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.ZoneId = "cn-hangzhou-i" })
	other := run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.InstanceType = "ecs.c7.large"; r.ZoneId = riZone })

	e.advance("1h")
	by := e.charges(a.ID)
	coveredBy := func(id string) string {
		t.Helper()
		cs := by[id]
		if len(cs) != 1 {
			t.Fatalf("%s: charges %v", id, cs)
		}
		if cs[0]["amount"] != "0.00" {
			return ""
		}
		return cs[0]["data"].(map[string]any)["reserved_instance_id"].(string)
	}
	// The zonal one covers the oldest instance in its zone; the regional one
	// the next (zonal reserved instances go first).
	if got := coveredBy(inH[0]); got != zonal {
		t.Fatalf("%s covered by %q, want %s", inH[0], got, zonal)
	}
	if got := coveredBy(inH[1]); got != regional {
		t.Fatalf("%s covered by %q, want %s", inH[1], got, regional)
	}
	for _, id := range append(inI, other...) {
		if got := coveredBy(id); got != "" {
			t.Fatalf("%s covered by %s", id, got)
		}
	}
	if fee := by[regional]; len(fee) != 1 || fee[0]["amount"] != "0.31621" || fee[0]["data"].(map[string]any)["offering_type"] != "No Upfront" {
		t.Fatalf("the No Upfront fee: %v", fee)
	}
	// 97230 − 0.626 (g7 in zone I) − 0.482 (c7) − 0.31621 (fee)
	e.riWantBalance(a.ID, "97228.57579")

	// A locked reserved instance covers nothing (its fee still runs).
	e.admin("POST", "/admin/v1/reserved-instances/"+zonal+"/locks", map[string]any{"reason": "security"}, 200)
	if l := riGet(t, a.ECS, zonal).OperationLocks.OperationLock; len(l) != 1 || l[0].LockReason != "security" {
		t.Fatalf("locks: %+v", l)
	}
	e.advance("1h")
	by = e.charges(a.ID)
	if cs := by[inH[0]]; len(cs) != 2 || cs[1]["amount"] != "0.00" || cs[1]["data"].(map[string]any)["reserved_instance_id"] != regional {
		t.Fatalf("second hour of %s: %v", inH[0], cs)
	}
	if cs := by[inH[1]]; len(cs) != 2 || cs[1]["amount"] != "0.626" {
		t.Fatalf("second hour of %s: %v", inH[1], cs)
	}
	// A stopped-without-charge instance is not billable, so not covered: the
	// regional reserved instance moves on to the next one.
	e.admin("DELETE", "/admin/v1/reserved-instances/"+zonal+"/locks/security", nil, 200)
	ok(t, stop(a.ECS, inH[0], "StopCharging"))
	e.advance("1h")
	by = e.charges(a.ID)
	if cs := by[inH[0]]; len(cs) != 2 {
		t.Fatalf("a StopCharging instance was charged: %v", cs)
	}
	if cs := by[inH[1]]; len(cs) != 3 || cs[2]["data"].(map[string]any)["reserved_instance_id"] != zonal {
		t.Fatalf("third hour of %s: %v", inH[1], cs)
	}
	if cs := by[inI[0]]; len(cs) != 3 || cs[2]["data"].(map[string]any)["reserved_instance_id"] != regional {
		t.Fatalf("third hour of %s: %v", inI[0], cs)
	}
}

func TestReservedStartTimeAndAutoRenewAttribute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, riMidHour())
	a := e.newAccount("100000.00")
	now, _ := time.Parse(time.RFC3339, e.admin("GET", "/admin/v1/clock", nil, 200)["now"].(string))
	start := now.Add(3 * time.Hour).Truncate(time.Minute).UTC().Format("2006-01-02T15:04Z")
	id, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.StartTime = start })
	ri := riGet(t, a.ECS, id)
	if ri.Status != "Creating" || ri.StartTime != start || ri.ExpiredTime != riAddYears(t, start, 1) {
		t.Fatalf("future start: %+v", ri)
	}
	// Not Active yet: neither renewable nor modifiable, and it covers nothing.
	_, err := a.ECS.RenewReservedInstances(riRenewReq(id))
	apiError(t, err, "IncorrectInstanceStatus", 403)
	mod := ecs.CreateModifyReservedInstanceAutoRenewAttributeRequest()
	mod.RegionId, mod.ReservedInstanceId, mod.RenewalStatus, mod.Period, mod.PeriodUnit = region, &[]string{id}, "AutoRenewal", "3", "Year"
	_, err = a.ECS.ModifyReservedInstanceAutoRenewAttribute(mod)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	in := run(t, a.ECS, 1)[0]
	e.advance("1h")
	if cs := e.charges(a.ID)[in]; len(cs) != 1 || cs[0]["amount"] != "0.626" {
		t.Fatalf("covered before its start: %v", cs)
	}
	e.riUntilAfter(start)
	if s := riGet(t, a.ECS, id).Status; s != "Active" {
		t.Fatalf("after StartTime: %s", s)
	}
	if ev := e.riEvents("reserved.activated", id); len(ev) != 1 {
		t.Fatalf("activation events: %v", ev)
	}

	ok(t, riNoAnswer(a.ECS.ModifyReservedInstanceAutoRenewAttribute(mod)))
	attr := ecs.CreateDescribeReservedInstanceAutoRenewAttributeRequest()
	attr.RegionId, attr.ReservedInstanceId = region, &[]string{id}
	got, err := a.ECS.DescribeReservedInstanceAutoRenewAttribute(attr)
	ok(t, err)
	if l := got.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute; len(l) != 1 || l[0].RenewalStatus != "AutoRenewal" ||
		l[0].Duration != 3 || l[0].PeriodUnit != "Year" || l[0].ReservedInstanceId != id {
		t.Fatalf("auto-renew attribute: %+v", l)
	}
	mod.RenewalStatus, mod.Period, mod.PeriodUnit = "Normal", "", ""
	ok(t, riNoAnswer(a.ECS.ModifyReservedInstanceAutoRenewAttribute(mod)))
	got, err = a.ECS.DescribeReservedInstanceAutoRenewAttribute(attr)
	ok(t, err)
	if l := got.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute; l[0].RenewalStatus != "Normal" {
		t.Fatalf("auto-renew attribute: %+v", l)
	}
	// A renewal with AutoRenew turns it on (and never off).
	rr := riRenewReq(id)
	rr.AutoRenew, rr.AutoRenewPeriod = "true", "12"
	ok(t, riNoAnswer(a.ECS.RenewReservedInstances(rr)))
	got, _ = a.ECS.DescribeReservedInstanceAutoRenewAttribute(attr)
	if l := got.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute; l[0].RenewalStatus != "AutoRenewal" || l[0].Duration != 1 {
		t.Fatalf("after a renewal with AutoRenew: %+v", l)
	}
	ok(t, riNoAnswer(a.ECS.RenewReservedInstances(riRenewReq(id))))
	got, _ = a.ECS.DescribeReservedInstanceAutoRenewAttribute(attr)
	if l := got.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute; l[0].RenewalStatus != "AutoRenewal" {
		t.Fatalf("a renewal without AutoRenew turned it off: %+v", l)
	}
}

func TestReservedDescribeFiltersAndPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000000.00")
	var ids []string
	for i := range 5 {
		id, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
			r.ReservedInstanceName = fmt.Sprintf("ri-%d", i)
			if i%2 == 1 {
				r.Scope, r.ZoneId, r.OfferingType = "Region", "", "Partial Upfront"
			}
			if i == 4 {
				r.InstanceType, r.Platform = "ecs.c7.large", "Windows"
				r.Tag = &[]ecs.PurchaseReservedInstancesOfferingTag{{Key: "team", Value: "blue"}}
			}
		})
		ids = append(ids, id)
	}
	e.admin("POST", "/admin/v1/reserved-instances/"+ids[2]+"/locks", map[string]any{"reason": "financial"}, 200)
	// Another account's and another region's do not show.
	riBuy(t, e.newAccount("100000.00").ECS)
	riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
		r.RegionId, r.ZoneId = "cn-shanghai", "cn-shanghai-e"
	})

	list := func(mutate func(*ecs.DescribeReservedInstancesRequest)) (int, []string) {
		t.Helper()
		req := ecs.CreateDescribeReservedInstancesRequest()
		req.RegionId = region
		mutate(req)
		resp, err := a.ECS.DescribeReservedInstances(req)
		ok(t, err)
		var out []string
		for _, ri := range resp.ReservedInstances.ReservedInstance {
			out = append(out, ri.ReservedInstanceId)
		}
		return resp.TotalCount, out
	}
	want := func(what string, got []string, idx ...int) {
		t.Helper()
		var w []string
		for _, i := range idx {
			w = append(w, ids[i])
		}
		if strings.Join(got, ",") != strings.Join(w, ",") {
			t.Fatalf("%s: %v, want %v", what, got, w)
		}
	}
	n, got := list(func(r *ecs.DescribeReservedInstancesRequest) {})
	if n != 5 {
		t.Fatalf("TotalCount %d", n)
	}
	want("all", got, 0, 1, 2, 3, 4)
	n, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.PageSize, r.PageNumber = "2", "2" })
	if n != 5 {
		t.Fatalf("paged TotalCount %d", n)
	}
	want("page 2 of 2", got, 2, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.PageSize, r.PageNumber = "2", "4" })
	want("past the end", got)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.Scope = "Region" })
	want("Scope", got, 1, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.ZoneId = riZone })
	want("ZoneId", got, 0, 2, 4)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.OfferingType = "Partial Upfront" })
	want("OfferingType", got, 1, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.InstanceType = "ecs.c7.large" })
	want("InstanceType", got, 4)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.InstanceTypeFamily = "ecs.g7" })
	want("InstanceTypeFamily", got, 0, 1, 2, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.ReservedInstanceName = "ri-3" })
	want("ReservedInstanceName", got, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.LockReason = "financial" })
	want("LockReason", got, 2)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) {
		r.Tag = &[]ecs.DescribeReservedInstancesTag{{Key: "team", Value: "blue"}}
	})
	want("Tag", got, 4)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) {
		r.ReservedInstanceId = &[]string{ids[3], ids[1], "ecsri-bpnosuch00000"}
	})
	want("ReservedInstanceId.N", got, 1, 3)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.Status = &[]string{"Creating", "Expired"} })
	want("Status.N", got)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.Status = &[]string{"Active"}; r.Scope = "Zone" })
	want("Status and Scope", got, 0, 2, 4)
	_, got = list(func(r *ecs.DescribeReservedInstancesRequest) { r.AllocationType = "Shared" })
	want("AllocationType=Shared", got)
	if p := riGet(t, a.ECS, ids[4]).Platform; p != "Windows" {
		t.Fatalf("platform %s", p)
	}

	for name, m := range map[string]func(*ecs.DescribeReservedInstancesRequest){
		"Status":     func(r *ecs.DescribeReservedInstancesRequest) { r.Status = &[]string{"Running"} },
		"PageSize":   func(r *ecs.DescribeReservedInstancesRequest) { r.PageSize = "101" },
		"Scope":      func(r *ecs.DescribeReservedInstancesRequest) { r.Scope = "Global" },
		"LockReason": func(r *ecs.DescribeReservedInstancesRequest) { r.LockReason = "recycling" },
	} {
		req := ecs.CreateDescribeReservedInstancesRequest()
		req.RegionId = region
		m(req)
		_, err := a.ECS.DescribeReservedInstances(req)
		if se := apiError(t, err, "InvalidParameter", 400); !strings.Contains(se.Message(), name) {
			t.Fatalf("%s: message %q does not name the parameter", name, se.Message())
		}
	}
}

// A reserved instance of 50 covers the 50 oldest matching instances, however
// many non-matching ones (Windows instances for a Linux reservation) come
// first.
func TestReservedCoversOldestFirstAcrossPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, riMidHour())
	a := e.newAccount("1000000.00")
	ri, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceAmount = "50" })
	windows := run(t, a.ECS, 40, func(r *ecs.RunInstancesRequest) {
		r.ZoneId, r.ImageId = riZone, "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd"
	})
	linux := run(t, a.ECS, 60, func(r *ecs.RunInstancesRequest) { r.ZoneId = riZone })
	e.advance("1h")
	by := e.charges(a.ID)
	for i, id := range append(windows, linux...) {
		cs := by[id]
		if len(cs) != 1 {
			t.Fatalf("%s: charges %v", id, cs)
		}
		covered := cs[0]["amount"] == "0.00"
		if want := i >= 40 && i < 90; covered != want {
			t.Fatalf("instance %d (%s): covered %v, want %v", i, id, covered, want)
		}
		if covered && cs[0]["data"].(map[string]any)["reserved_instance_id"] != ri {
			t.Fatalf("%s covered by %v", id, cs[0]["data"])
		}
	}
}
