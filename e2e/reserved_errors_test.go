package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
)

// riCase is one way to make RenewReservedInstances fail. setup runs on a
// fresh server where the account a owns the reserved instance ri (Zone scope,
// cn-hangzhou-h, All Upfront, ecs.g7.large) and may change the request.
type riCase struct {
	name    string
	code    string
	status  int
	message string // the seed's message, where it is fixed ("" to skip)
	setup   func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest)
}

func (e *env) riFault(action, code string) {
	e.t.Helper()
	e.admin("POST", "/admin/v1/faults", map[string]any{"action": action, "code": code, "count": 1}, 201)
}

func riFaultCase(code string) func(*testing.T, *env, *account, string, *ecs.RenewReservedInstancesRequest) {
	return func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
		e.riFault("RenewReservedInstances", code)
	}
}

func riSalesCase(body map[string]any) func(*testing.T, *env, *account, string, *ecs.RenewReservedInstancesRequest) {
	return func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
		e.admin("PUT", "/admin/v1/sales", body, 200)
	}
}

// TestReservedRenewSeedErrors provokes every error of the
// RenewReservedInstances seed page (and the ones docs/reserved-instances.md adds)
// and checks its code, HTTP status and, where the seed fixes it, message.
func TestReservedRenewSeedErrors(t *testing.T) {
	t.Parallel()
	seedMsg := func(code string, status int) string {
		for _, e := range openecs.SeedErrors["RenewReservedInstances"] {
			if e.Code == code && e.Status == status && e.Message != "%s" {
				return e.Message
			}
		}
		return ""
	}
	cases := []riCase{
		{"type not authorized", "InvalidInstanceType.ValueUnauthorized", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			e.admin("PATCH", "/admin/v1/accounts/"+a.ID, map[string]any{"unauthorized_instance_types": []string{itype}}, 200)
		}},
		{"region and cluster (fault)", "InvalidParameter.Conflict", 400, "", riFaultCase("InvalidParameter.Conflict")},
		{"tag key (fault)", "InvalidTagKey.Malformed", 400, "", riFaultCase("InvalidTagKey.Malformed")},
		{"region not authorized", "RegionUnauthorized", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			e.admin("PATCH", "/admin/v1/accounts/"+a.ID, map[string]any{"unauthorized_regions": []string{region}}, 200)
		}},
		{"region not on sale", "Zone.NotOnSale", 400, "", riSalesCase(map[string]any{"region_id": region, "state": "not_on_sale"})},
		{"period unit", "InvalidPeriodUnit.ValueNotSupported", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.PeriodUnit = "Month"
		}},
		{"tag value (fault)", "InvalidTagValue.Malformed", 400, "", riFaultCase("InvalidTagValue.Malformed")},
		{"unpaid order", "InvalidChargeType.ValueNotSupported", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.AutoPay = "false"
		}},
		{"no stock (fault)", "OperationDenied.NoStock", 403, "", riFaultCase("OperationDenied.NoStock")},
		{"sales suspended", "OperationDenied", 403, openecs.ErrOperationDeniedSales.Message, riSalesCase(map[string]any{"region_id": region, "state": "suspended"})},
		{"sales suspended in the zone", "OperationDenied", 403, openecs.ErrOperationDeniedSales.Message, riSalesCase(map[string]any{"region_id": region, "zone_id": riZone, "state": "suspended"})},
		{"node controller (fault)", "NodeControllerUnavailable", 403, "", riFaultCase("NodeControllerUnavailable")},
		{"locked", "OperationDenied", 403, openecs.ErrOperationDeniedUsage.Message, func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			e.admin("POST", "/admin/v1/reserved-instances/"+ri+"/locks", map[string]any{"reason": "financial"}, 200)
		}},
		{"resource owner", "InvalidParameter.ResourceOwnerAccount", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.ResourceOwnerAccount = "1234567890123456"
		}},
		{"zone not open", "Zone.NotOpen", 403, "", riSalesCase(map[string]any{"region_id": region, "zone_id": riZone, "state": "not_open"})},
		{"zone not on sale", "Zone.NotOnSale", 403, "", riSalesCase(map[string]any{"region_id": region, "zone_id": riZone, "state": "not_on_sale"})},
		{"scopes do not match", "InvalidParameter.NotMatch", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			other, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Scope, r.ZoneId = "Region", "" })
			req.ReservedInstanceId = &[]string{ri, other}
		}},
		{"zones do not match", "InvalidParameter.NotMatch", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			other, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ZoneId = "cn-hangzhou-i" })
			req.ReservedInstanceId = &[]string{ri, other}
		}},
		{"in arrears", "Account.Arrearage", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.InstanceType = "ecs.c7.large" }) // not covered by ri
			e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "0.10"}, 200)
			e.advance("1h")
			if e.account(a.ID)["in_arrears"] != true {
				t.Fatal("the account is not in arrears")
			}
		}},
		{"balance short", "Account.Arrearage", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "2769.99"}, 200)
		}},
		{"not active yet", "IncorrectInstanceStatus", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			start := time.Now().UTC().Add(48 * time.Hour).Format("2006-01-02T15:04Z")
			later, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.StartTime = start })
			req.ReservedInstanceId = &[]string{ri, later}
		}},
		{"no upfront", "ChargeTypeViolation", 403, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			nu, _ := riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.OfferingType = "No Upfront" })
			req.ReservedInstanceId = &[]string{nu}
		}},
		{"internal (fault)", "InternalError", 500, "", riFaultCase("InternalError")},
		{"internal with a message (fault)", "InternalError", 500, "the billing back end timed out", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			e.admin("POST", "/admin/v1/faults", map[string]any{"action": "RenewReservedInstances", "code": "InternalError", "count": 1,
				"message": "the billing back end timed out"}, 201)
		}},

		// docs/reserved-instances.md, the codes the seed does not name.
		{"unknown id", "InvalidReservedInstanceId.NotFound", 404, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.ReservedInstanceId = &[]string{ri, "ecsri-bpnosuchreserved0"}
		}},
		{"another account's id", "InvalidReservedInstanceId.NotFound", 404, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			theirs, _ := riBuy(t, e.newAccount("100000.00").ECS)
			req.ReservedInstanceId = &[]string{theirs}
		}},
		{"another region's id", "InvalidReservedInstanceId.NotFound", 404, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.RegionId = "cn-shanghai"
		}},
		{"period", "InvalidPeriod.ValueNotSupported", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.Period = "2"
		}},
		{"auto-renew period", "InvalidAutoRenewPeriod.ValueNotSupported", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.AutoRenew, req.AutoRenewPeriod = "true", "24"
		}},
		{"eleven ids", "InvalidParameter", 400, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			ids := []string{ri}
			for len(ids) < 11 {
				ids = append(ids, ri)
			}
			req.ReservedInstanceId = &ids
		}},
		{"unknown region", "InvalidRegionId.NotFound", 404, "", func(t *testing.T, e *env, a *account, ri string, req *ecs.RenewReservedInstancesRequest) {
			req.RegionId = "cn-nowhere-1"
		}},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.code+"/"+strconv.Itoa(c.status)] = true
	}
	for _, s := range openecs.SeedErrors["RenewReservedInstances"] {
		if !covered[s.Code+"/"+strconv.Itoa(s.Status)] {
			t.Errorf("no case provokes the seed's %s %d", s.Code, s.Status)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, riMidHour())
			a := e.newAccount("100000.00")
			ri, _ := riBuy(t, a.ECS)
			before := riGet(t, a.ECS, ri).ExpiredTime
			req := riRenewReq(ri)
			c.setup(t, e, a, ri, req)
			balance := e.balance(a.ID)
			_, err := a.ECS.RenewReservedInstances(req)
			se := apiError(t, err, c.code, c.status)
			want := c.message
			if want == "" {
				want = seedMsg(c.code, c.status)
			}
			if want != "" && se.Message() != want {
				t.Fatalf("message %q, want %q", se.Message(), want)
			}
			if c.code == "InvalidParameter" && !strings.Contains(se.Message(), "ReservedInstanceId") {
				t.Fatalf("message %q does not name ReservedInstanceId", se.Message())
			}
			// Nothing happened.
			if got := riGet(t, a.ECS, ri).ExpiredTime; got != before {
				t.Fatalf("the failed renewal moved the expiry %s → %s", before, got)
			}
			e.riWantBalance(a.ID, balance)
		})
	}
}

// TestReservedPurchaseErrors checks PurchaseReservedInstancesOffering's
// parameters and preconditions.
func TestReservedPurchaseErrors(t *testing.T) {
	t.Parallel()
	type mut = func(*ecs.PurchaseReservedInstancesOfferingRequest)
	cases := []struct {
		name   string
		code   string
		status int
		param  string // a parameter the message must name
		setup  func(e *env, a *account)
		mut    mut
	}{
		{"no type", "MissingParameter", 400, "InstanceType", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceType = "" }},
		{"unknown type", "InvalidInstanceType.ValueNotSupported", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceType = "ecs.nope" }},
		{"type not sold in the zone", "InvalidInstanceType.ValueNotSupported", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
			r.ZoneId, r.InstanceType = "cn-hangzhou-k", "ecs.r7.large"
		}},
		{"scope", "InvalidParameter", 400, "Scope", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Scope = "Global" }},
		{"zone scope without zone", "MissingParameter", 400, "ZoneId", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ZoneId = "" }},
		{"unknown zone", "InvalidZoneId.NotFound", 404, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ZoneId = "cn-hangzhou-z" }},
		{"zone of another region", "InvalidParameter.Conflict", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ZoneId = "cn-shanghai-e" }},
		{"amount", "InvalidParameter", 400, "InstanceAmount", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceAmount = "51" }},
		{"platform", "InvalidParameter", 400, "Platform", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Platform = "BSD" }},
		{"offering type", "InvalidChargeType.ValueNotSupported", 400, "OfferingType", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.OfferingType = "Some Upfront" }},
		{"period", "InvalidPeriod.ValueNotSupported", 400, "Period", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Period = "5" }},
		{"period unit", "InvalidPeriodUnit.ValueNotSupported", 400, "PeriodUnit", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.PeriodUnit = "Month" }},
		{"auto-renew period", "InvalidAutoRenewPeriod.ValueNotSupported", 400, "AutoRenewPeriod", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
			r.AutoRenew, r.AutoRenewPeriod = "true", "6"
		}},
		{"start in the past", "InvalidParameter", 400, "StartTime", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.StartTime = "2020-01-01T00:00Z" }},
		{"start malformed", "InvalidParameter", 400, "StartTime", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.StartTime = "tomorrow" }},
		{"name", "InvalidParameter", 400, "ReservedInstanceName", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ReservedInstanceName = "1abc" }},
		{"description", "InvalidParameter", 400, "Description", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Description = "https://x" }},
		{"tag key", "InvalidTagKey.Malformed", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
			r.Tag = &[]ecs.PurchaseReservedInstancesOfferingTag{{Key: "aliyun:x", Value: "v"}}
		}},
		{"tag value", "InvalidTagValue.Malformed", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
			r.Tag = &[]ecs.PurchaseReservedInstancesOfferingTag{{Key: "k", Value: "http://x"}}
		}},
		{"unpaid order", "InvalidChargeType.ValueNotSupported", 400, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.AutoPay = "false" }},
		{"resource owner", "InvalidParameter.ResourceOwnerAccount", 403, "", nil, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ResourceOwnerAccount = "someone" }},
		{"region not authorized", "RegionUnauthorized", 400, "", func(e *env, a *account) {
			e.admin("PATCH", "/admin/v1/accounts/"+a.ID, map[string]any{"unauthorized_regions": []string{region}}, 200)
		}, nil},
		{"type not authorized", "InvalidInstanceType.ValueUnauthorized", 400, "", func(e *env, a *account) {
			e.admin("PATCH", "/admin/v1/accounts/"+a.ID, map[string]any{"unauthorized_instance_types": []string{itype}}, 200)
		}, nil},
		{"in arrears", "Account.Arrearage", 403, "", func(e *env, a *account) {
			run(e.t, a.ECS, 1)
			e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "0.10"}, 200)
			e.advance("1h")
		}, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.OfferingType = "No Upfront" }},
		{"balance short", "InsufficientBalance", 403, "", func(e *env, a *account) {
			e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "2769.99"}, 200)
		}, nil},
		{"sales suspended", "OperationDenied", 403, "", func(e *env, a *account) {
			e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "state": "suspended"}, 200)
		}, nil},
		{"region not on sale", "Zone.NotOnSale", 400, "", func(e *env, a *account) {
			e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "state": "not_on_sale"}, 200)
		}, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Scope, r.ZoneId = "Region", "" }},
		{"zone not on sale", "Zone.NotOnSale", 403, "", func(e *env, a *account) {
			e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "zone_id": riZone, "state": "not_on_sale"}, 200)
		}, nil},
		{"zone not open", "Zone.NotOpen", 403, "", func(e *env, a *account) {
			e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "zone_id": riZone, "state": "not_open"}, 200)
		}, nil},
		{"no stock for the reservation", "OperationDenied.NoStock", 403, "", func(e *env, a *account) {
			e.admin("PUT", "/admin/v1/capacity", map[string]any{"zone_id": riZone, "instance_type": itype, "available": 1}, 200)
		}, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceAmount = "2" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, riMidHour())
			a := e.newAccount("100000.00")
			if c.setup != nil {
				c.setup(e, a)
			}
			balance := e.balance(a.ID)
			var muts []mut
			if c.mut != nil {
				muts = append(muts, c.mut)
			}
			_, err := riBuyErr(a.ECS, muts...)
			se := apiError(t, err, c.code, c.status)
			if c.param != "" && !strings.Contains(se.Message(), c.param) {
				t.Fatalf("message %q does not name %s", se.Message(), c.param)
			}
			e.riWantBalance(a.ID, balance)
			req := ecs.CreateDescribeReservedInstancesRequest()
			req.RegionId = region
			resp, err := a.ECS.DescribeReservedInstances(req)
			ok(t, err)
			if resp.TotalCount != 0 {
				t.Fatalf("a failed purchase left %d reserved instances", resp.TotalCount)
			}
		})
	}

	// Sales switches apply only where they are set: a region-wide one to
	// every zone, a zone's to that zone; on_sale lifts them.
	e := newEnv(t)
	a := e.newAccount("100000.00")
	e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "zone_id": riZone, "state": "not_open"}, 200)
	riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.ZoneId = "cn-hangzhou-i" })
	riBuy(t, a.ECS, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.Scope, r.ZoneId = "Region", "" })
	e.admin("PUT", "/admin/v1/sales", map[string]any{"region_id": region, "zone_id": riZone, "state": "on_sale"}, 200)
	riBuy(t, a.ECS)
	if l := e.admin("GET", "/admin/v1/sales", nil, 200)["sales"].([]any); len(l) != 0 {
		t.Fatalf("sales rows left: %v", l)
	}
	for _, bad := range []map[string]any{
		{"region_id": "cn-nowhere", "state": "suspended"},
		{"region_id": region, "zone_id": "cn-shanghai-e", "state": "suspended"},
		{"region_id": region, "state": "closed"},
		{"state": "suspended"},
	} {
		e.admin("PUT", "/admin/v1/sales", bad, 400)
	}
}
