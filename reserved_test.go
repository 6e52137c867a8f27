package openecs

import (
	"testing"
	"time"
)

func TestReservedPricing(t *testing.T) {
	ri := func(offering string, amount int, yearly string) *ReservedInstance {
		return &ReservedInstance{OfferingType: offering, InstanceAmount: amount, YearlyPrice: MustMoney(yearly)}
	}
	cases := []struct {
		ri       *ReservedInstance
		years    int
		upfront  string
		perHour  string
		termCost string // up front + 8760 × years × hourly fee: the rounding of the fee drifts by < 0.5 micro-yuan an hour
	}{
		{ri(AllUpfront, 1, "2770"), 1, "2770.00", "0.00", "2770.00"},
		{ri(AllUpfront, 2, "2770"), 3, "16620.00", "0.00", "16620.00"},
		{ri(PartialUpfront, 1, "2770"), 1, "1385.00", "0.158105", "2769.9998"},
		{ri(PartialUpfront, 3, "2770"), 3, "12465.00", "0.474315", "24929.9982"},
		{ri(PartialUpfront, 1, "0.000003"), 1, "0.000002", "0.00", "0.000002"}, // half of 3 micro-yuan rounds up
		{ri(NoUpfront, 1, "2770"), 1, "0.00", "0.31621", "2769.9996"},
		{ri(NoUpfront, 1, "420"), 3, "0.00", "0.047945", "1259.9946"},
	}
	for _, c := range cases {
		upfront, err := c.ri.UpfrontPrice(c.years)
		if err != nil || upfront != MustMoney(c.upfront) {
			t.Errorf("%s ×%d, %d years: up front %s, %v, want %s", c.ri.OfferingType, c.ri.InstanceAmount, c.years, upfront, err, c.upfront)
		}
		fee, err := c.ri.HourlyFee()
		if err != nil || fee != MustMoney(c.perHour) {
			t.Errorf("%s ×%d: hourly fee %s, %v, want %s", c.ri.OfferingType, c.ri.InstanceAmount, fee, err, c.perHour)
		}
		fees, err := fee.Mul(int64(HoursPerYear * c.years))
		if err != nil {
			t.Fatal(err)
		}
		total, err := upfront.Add(fees)
		if err != nil || total != MustMoney(c.termCost) {
			t.Errorf("%s ×%d, %d years: term cost %s, want %s", c.ri.OfferingType, c.ri.InstanceAmount, c.years, total, c.termCost)
		}
	}
	if UpfrontShare("Some Upfront", MustMoney("10")) != 0 {
		t.Error("an unknown offering pays something up front")
	}
}

func TestReservedTermAndCoverage(t *testing.T) {
	start := time.Date(2026, 11, 22, 10, 17, 0, 0, time.UTC)
	ri := &ReservedInstance{AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", Scope: ScopeZone,
		InstanceType: "ecs.g7.large", Platform: PlatformLinux, StartAt: start, ExpiredAt: start.AddDate(1, 0, 0)}
	hours := 0
	for h := Hour(start); !h.After(ri.ExpiredAt.Add(time.Hour)); h = h.Add(time.Hour) {
		if ri.InTerm(h) {
			hours++
		}
	}
	if hours != 8760 {
		t.Fatalf("a one-year term holds %d billing hours, want 8760", hours)
	}
	if !ri.InTerm(Hour(start).Add(time.Hour)) || ri.InTerm(Hour(start)) || ri.InTerm(Hour(ri.ExpiredAt).Add(time.Hour)) || !ri.InTerm(Hour(ri.ExpiredAt)) {
		t.Fatal("the first or last billing hour of the term is wrong")
	}

	in := func(mod func(*Instance)) *Instance {
		i := &Instance{AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large", OSType: "linux", SpotStrategy: NoSpot}
		if mod != nil {
			mod(i)
		}
		return i
	}
	cases := []struct {
		name   string
		scope  string
		mod    func(*Instance)
		covers bool
	}{
		{"same zone", ScopeZone, nil, true},
		{"no spot strategy recorded", ScopeZone, func(i *Instance) { i.SpotStrategy = "" }, true},
		{"other zone, zone scope", ScopeZone, func(i *Instance) { i.ZoneID = "cn-hangzhou-i" }, false},
		{"other zone, region scope", ScopeRegion, func(i *Instance) { i.ZoneID = "cn-hangzhou-i" }, true},
		{"other region", ScopeRegion, func(i *Instance) { i.RegionID, i.ZoneID = "cn-shanghai", "cn-shanghai-e" }, false},
		{"other type", ScopeRegion, func(i *Instance) { i.InstanceType = "ecs.g7.xlarge" }, false},
		{"other account", ScopeZone, func(i *Instance) { i.AccountID = "a2" }, false},
		{"spot", ScopeZone, func(i *Instance) { i.SpotStrategy = SpotAsPriceGo }, false},
		{"windows on a linux reservation", ScopeZone, func(i *Instance) { i.OSType = "windows" }, false},
	}
	for _, c := range cases {
		r := *ri
		r.Scope = c.scope
		if got := r.Covers(in(c.mod)); got != c.covers {
			t.Errorf("%s: covers = %v, want %v", c.name, got, c.covers)
		}
	}
	win := *ri
	win.Platform = PlatformWindows
	if !win.Covers(in(func(i *Instance) { i.OSType = "windows" })) || win.Covers(in(nil)) {
		t.Error("a Windows reservation must cover Windows instances only")
	}
}
