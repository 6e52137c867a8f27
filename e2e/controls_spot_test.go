package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestSpotPriceAdminAndHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/admin/v1/spot-prices/" + ctlZone + "/" + itype
	cur := e.admin("GET", path, nil, 200)
	if cur["price"] != "0.0626" || cur["default"] != true || len(cur["history"].([]any)) != 0 {
		t.Fatalf("default spot price of %s (pay-as-you-go 0.626): %v", itype, cur)
	}
	e.ctlSpotPrice(itype, "0.050")
	e.advance("1h")
	e.ctlSpotPrice(itype, "0.070")
	cur = e.admin("GET", path, nil, 200)
	hist := cur["history"].([]any)
	if cur["price"] != "0.07" || cur["default"] != false || len(hist) != 2 ||
		hist[0].(map[string]any)["price"] != "0.05" || hist[1].(map[string]any)["price"] != "0.07" {
		t.Fatalf("spot price and history: %v", cur)
	}
	if list := e.admin("GET", "/admin/v1/spot-prices", nil, 200)["spot_prices"].([]any); len(list) != 1 {
		t.Fatalf("GET spot-prices: %v", list)
	}
	e.admin("PUT", "/admin/v1/spot-prices", map[string]any{"zone_id": ctlZone, "instance_type": itype, "price": nil}, 200)
	if cur = e.admin("GET", path, nil, 200); cur["price"] != "0.0626" || len(cur["history"].([]any)) != 3 {
		t.Fatalf("a null price did not restore the default: %v", cur)
	}
	e.admin("PUT", "/admin/v1/spot-prices", map[string]any{"zone_id": ctlZone, "instance_type": itype, "price": "0"}, 400)
	e.admin("PUT", "/admin/v1/spot-prices", map[string]any{"zone_id": "nowhere", "instance_type": itype, "price": "1"}, 400)
}

func TestSpotPriceLimitOnRunAndStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	// The default price is 0.0626: a limit of 0.05 is below it.
	_, err := ctlRunErr(a.ECS, itype, ctlSpot("SpotWithPriceLimit", "0.05", ""))
	apiError(t, err, "OperationDenied.SpotPriceLowerThanPublicPrice", 403)
	id := ctlRun(t, a.ECS, itype, ctlSpot("SpotWithPriceLimit", "0.10", ""))
	gid := ctlRun(t, a.ECS, itype, ctlSpot("SpotAsPriceGo", "", ""))
	if in := describe(t, a.ECS, id); in.SpotStrategy != "SpotWithPriceLimit" {
		t.Fatalf("SpotStrategy %q", in.SpotStrategy)
	}
	ok(t, stop(a.ECS, id, ""))
	ok(t, stop(a.ECS, gid, ""))
	e.ctlSpotPrice(itype, "0.12") // both stopped: nothing to reclaim
	apiError(t, start(a.ECS, id), "OperationDenied.SpotPriceLowerThanPublicPrice", 403)
	ok(t, start(a.ECS, gid)) // SpotAsPriceGo pays up to the public price, 0.626
	e.ctlSpotPrice(itype, "0.10")
	ok(t, start(a.ECS, id)) // a limit equal to the price is enough
}

func TestSpotReclaimTerminate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("1000.00")
	e.ctlSetCapacity(itype, 3)
	id := ctlRun(t, a.ECS, itype, ctlSpot("SpotWithPriceLimit", "0.10", ""))
	high := ctlRun(t, a.ECS, itype, ctlSpot("SpotWithPriceLimit", "0.50", ""))
	plain := ctlRun(t, a.ECS, itype)
	if out := e.ctlSpotPrice(itype, "0.08"); len(out["reclaimed"].([]any)) != 0 {
		t.Fatalf("a price below every limit reclaimed %v", out["reclaimed"])
	}
	out := e.ctlSpotPrice(itype, "0.20")
	if got := out["reclaimed"].([]any); len(got) != 1 || got[0] != id {
		t.Fatalf("reclaimed %v, want [%s]", got, id)
	}
	if locks := ctlLocks(t, a.ECS, id); !slices.Equal(locks, []string{"recycling"}) {
		t.Fatalf("locks %v, want [recycling]", locks)
	}
	if locks := ctlLocks(t, a.ECS, high); len(locks) != 0 {
		t.Fatalf("an instance above the price got locks %v", locks)
	}
	se := apiError(t, reboot(a.ECS, id), "IncorrectInstanceStatus", 403)
	if se.Message() == "The current status of the resource does not support this operation." {
		t.Fatalf("reboot of a recycling instance answered the plain message")
	}
	if len(e.ctlEvents(id, "spot.reclaim")) != 1 {
		t.Fatalf("no spot.reclaim event for %s", id)
	}
	// A second rise does not lock it twice; the reclaim is five minutes after
	// the first.
	e.advance("4m")
	e.ctlSpotPrice(itype, "0.30")
	wantStatus(t, a.ECS, id, "Running")
	e.advance("1m")
	ctlGone(t, a.ECS, id)
	rel := e.ctlEvents(id, "instance.released")
	if len(rel) != 1 || rel[0]["cause"] != "spot.reclaim" {
		t.Fatalf("release events %v", rel)
	}
	wantStatus(t, a.ECS, high, "Running")
	wantStatus(t, a.ECS, plain, "Running")
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("free after the reclaim: %d, want 1", free)
	}
}

func TestSpotReclaimStop(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(2*time.Second))
	a := e.newAccount("1000.00")
	e.ctlSetCapacity(itype, 2)
	id := ctlRun(t, a.ECS, itype, ctlSpot("SpotWithPriceLimit", "0.10", "Stop"))
	gid := ctlRun(t, a.ECS, itype, ctlSpot("SpotAsPriceGo", "", "Stop"))
	e.advance("5s")
	wantStatus(t, a.ECS, id, "Running")
	out := e.ctlSpotPrice(itype, "1.00") // above the public price too
	if got := out["reclaimed"].([]any); len(got) != 2 {
		t.Fatalf("reclaimed %v, want both", got)
	}
	// Removing the recycling lock cancels the reclaim.
	e.admin("DELETE", "/admin/v1/instances/"+gid+"/locks/recycling", nil, 200)
	e.advance("5m")
	wantStatus(t, a.ECS, id, "Stopping")
	e.advance("2s")
	in := describe(t, a.ECS, id)
	if in.Status != "Stopped" || in.StoppedMode != "StopCharging" || len(in.OperationLocks.LockReason) != 0 {
		t.Fatalf("after the reclaim: %s %s locks %v", in.Status, in.StoppedMode, in.OperationLocks.LockReason)
	}
	wantStatus(t, a.ECS, gid, "Running")
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("free after a Stop reclaim: %d, want 1", free)
	}
	apiError(t, start(a.ECS, id), "OperationDenied.SpotPriceLowerThanPublicPrice", 403)
	e.ctlSpotPrice(itype, "0.05")
	ok(t, start(a.ECS, id))
}

func TestDescribeSpotPriceHistory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ctlSpotPrice(itype, "0.050")
	e.advance("1h")
	e.ctlSpotPrice(itype, "0.080")
	history := func(zone, instanceType, startTime string) (*ecs.DescribeSpotPriceHistoryResponse, error) {
		req := ecs.CreateDescribeSpotPriceHistoryRequest() // a request object is not reusable
		req.RegionId, req.NetworkType, req.InstanceType, req.ZoneId, req.StartTime = region, "vpc", instanceType, zone, startTime
		return e.ecs.DescribeSpotPriceHistory(req)
	}
	// The last three hours: the default price in effect then, and both changes.
	resp, err := history(ctlZone, itype, "")
	ok(t, err)
	got := resp.SpotPrices.SpotPriceType
	if resp.Currency != "CNY" || len(got) != 3 || got[0].SpotPrice != 0.0626 || got[1].SpotPrice != 0.05 || got[2].SpotPrice != 0.08 ||
		got[2].OriginPrice != 0.626 || got[0].ZoneId != ctlZone {
		t.Fatalf("DescribeSpotPriceHistory: %s %+v", resp.Currency, got)
	}
	// From the second of the last change: the price in effect then (0.05)
	// comes first.
	from := got[2].Timestamp
	resp, err = history(ctlZone, itype, from)
	ok(t, err)
	if got := resp.SpotPrices.SpotPriceType; len(got) != 2 || got[0].SpotPrice != 0.05 || got[0].Timestamp != from || got[1].SpotPrice != 0.08 {
		t.Fatalf("from %s: %+v", from, got)
	}
	// Without ZoneId: every zone of the region that sells the type; the others
	// at the default price.
	resp, err = history("", itype, "")
	ok(t, err)
	zones := map[string]float64{}
	for _, p := range resp.SpotPrices.SpotPriceType {
		zones[p.ZoneId] = p.SpotPrice
	}
	if len(zones) != 4 || zones["cn-hangzhou-i"] != 0.0626 || zones[ctlZone] != 0.08 {
		t.Fatalf("zones %v", zones)
	}
	_, err = history(ctlZone, "", "")
	apiError(t, err, "MissingParameter", 400)
	_, err = history("cn-shanghai-e", itype, "")
	apiError(t, err, "InvalidZoneId.NotFound", 404)
}
