package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// TestReservedGoldenBodies records the exact JSON and XML bodies of the
// reserved-instance actions (go test ./e2e -run ReservedGolden -update
// rewrites them). The wall clock is fixed, so times are stable; ids, order
// ids and request ids are normalised. Each format acts on its own reserved
// instances.
func TestReservedGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	e.topUp(e.app.Bootstrap.ID, "100000.00")
	var n normaliser
	riID := regexp.MustCompile(`ecsri-[0-9a-z]{20}`)
	ids := map[string][]string{}
	call := func(name, action string, params func(format string) map[string]string, wantStatus int) {
		t.Helper()
		for _, format := range []string{"JSON", "XML"} {
			p := map[string]string{"Format": format}
			for k, v := range params(format) {
				p[k] = v
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			if action == "PurchaseReservedInstancesOffering" {
				ids[format] = append(ids[format], riID.FindString(string(r.Body)))
			}
			golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
		}
	}
	both := func(extra map[string]string) func(string) map[string]string {
		return func(format string) map[string]string {
			m := map[string]string{"ReservedInstanceId.1": ids[format][0], "ReservedInstanceId.2": ids[format][1]}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
	}

	call("PurchaseReservedInstancesOffering", "PurchaseReservedInstancesOffering", func(format string) map[string]string {
		return map[string]string{"InstanceType": itype, "InstanceAmount": "2", "Scope": "Zone", "ZoneId": riZone,
			"OfferingType": "All Upfront", "Period": "1", "PeriodUnit": "Year", "ReservedInstanceName": "golden-ri",
			"Description": "golden reserved instance", "Tag.1.Key": "env", "Tag.1.Value": "golden", "ClientToken": "golden-buy-" + format}
	}, 200)
	call("PurchaseReservedInstancesOffering.zone2", "PurchaseReservedInstancesOffering", func(format string) map[string]string {
		return map[string]string{"InstanceType": itype, "Scope": "Zone", "ZoneId": riZone, "OfferingType": "Partial Upfront",
			"ReservedInstanceName": "golden-ri-" + strings.ToLower(format)}
	}, 200)
	call("DescribeReservedInstances", "DescribeReservedInstances", func(format string) map[string]string {
		return map[string]string{"ReservedInstanceId.1": ids[format][0], "ReservedInstanceId.2": ids[format][1]}
	}, 200)
	call("RenewReservedInstances", "RenewReservedInstances", both(map[string]string{"Period": "1", "PeriodUnit": "Year"}), 200)
	call("RenewReservedInstances.error", "RenewReservedInstances", both(map[string]string{"Period": "2"}), 400)
	call("ModifyReservedInstanceAutoRenewAttribute", "ModifyReservedInstanceAutoRenewAttribute",
		both(map[string]string{"RenewalStatus": "AutoRenewal", "Period": "3", "PeriodUnit": "Year"}), 200)
	call("DescribeReservedInstanceAutoRenewAttribute", "DescribeReservedInstanceAutoRenewAttribute", both(nil), 200)
}

// The SDK reads the XML answers into the same structs as the JSON ones.
func TestReservedXMLThroughTheSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	buy := ecs.CreatePurchaseReservedInstancesOfferingRequest()
	buy.AcceptFormat = "XML"
	buy.RegionId, buy.InstanceType, buy.Scope, buy.ZoneId = region, itype, "Zone", riZone
	bought, err := a.ECS.PurchaseReservedInstancesOffering(buy)
	ok(t, err)
	if len(bought.ReservedInstanceIdSets.ReservedInstanceId) != 1 || bought.OrderId == "" || bought.RequestId == "" {
		t.Fatalf("XML purchase: %+v", bought)
	}
	id := bought.ReservedInstanceIdSets.ReservedInstanceId[0]
	second, _ := riBuy(t, a.ECS)
	renew := riRenewReq(id, second)
	renew.AcceptFormat = "XML"
	renewed, err := a.ECS.RenewReservedInstances(renew)
	ok(t, err)
	if got := renewed.ReservedInstanceIdSets.ReservedInstanceId; len(got) != 2 || got[0] != id || got[1] != second || renewed.OrderId == "" {
		t.Fatalf("XML renewal: %+v", renewed)
	}
	desc := ecs.CreateDescribeReservedInstancesRequest()
	desc.AcceptFormat = "XML"
	desc.RegionId = region
	desc.ReservedInstanceId = &[]string{id}
	got, err := a.ECS.DescribeReservedInstances(desc)
	ok(t, err)
	if got.TotalCount != 1 || got.ReservedInstances.ReservedInstance[0].ReservedInstanceId != id ||
		got.ReservedInstances.ReservedInstance[0].InstanceAmount != 1 || got.ReservedInstances.ReservedInstance[0].Status != "Active" {
		t.Fatalf("XML describe: %+v", got)
	}
}
