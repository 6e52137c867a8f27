package terraform

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
)

// A subscription through its life with the real provider
// (testdata/prepay-cycle): bought for a month; its instance_type changed
// (the provider stops it, sends ModifyPrepayInstanceSpec and starts it) and
// its renewal_status too (ModifyInstanceAutoRenewAttribute); destroyed
// (force_delete: ModifyInstanceChargeType to PostPaid, then DeleteInstance).
// After each apply the plan is empty and the server shows the instance as
// configured; the account's balance moves by exactly the three orders —
// the month bought, the upgrade's price difference for the days left, the
// refund of the days left at conversion — each of the amount
// docs/instance-changes.md gives.
func TestPrepayCycle(t *testing.T) {
	t.Parallel()
	w := New(t, "prepay-cycle", Options{Probes: NetworkProbes})
	acct := bootstrapAccount(t, w.Server)
	start := acct.Balance

	var instanceID string
	var expires time.Time
	check := func(itype string, cpu, memory float64, renewal string) func(t *testing.T, w *Workspace) {
		return func(t *testing.T, w *Workspace) {
			t.Helper()
			w.Output("instance_id", &instanceID)
			in := w.Server.Call(t, "DescribeInstances", map[string]string{"InstanceIds": `["` + instanceID + `"]`})
			got := list(t, in, "Instances", "Instance")
			if len(got) != 1 {
				t.Fatalf("DescribeInstances found %d instances", len(got))
			}
			if str(t, got, 0, "InstanceType") != itype || num(t, got, 0, "Cpu") != cpu || num(t, got, 0, "Memory") != memory ||
				str(t, got, 0, "InstanceChargeType") != "PrePaid" || str(t, got, 0, "Status") != "Running" {
				t.Errorf("the instance: %v", got[0])
			}
			renew := w.Server.Call(t, "DescribeInstanceAutoRenewAttribute", map[string]string{"InstanceId": instanceID})
			if got := str(t, renew, "InstanceRenewAttributes", "InstanceRenewAttribute", 0, "RenewalStatus"); got != renewal {
				t.Errorf("RenewalStatus %s, want %s", got, renewal)
			}
			var admin adminapi.Instance
			w.Server.Admin(t, "GET", "/admin/v1/instances/"+instanceID, nil, &admin)
			expires = admin.ExpiredAt.Time
		}
	}
	took := w.Cycle(
		Step{Name: "create a one-month subscription", Check: check("ecs.g7.large", 2, 8192, "Normal")},
		Step{Name: "upgrade its type, renew automatically", Vars: Vars{"instance_type": "ecs.g7.xlarge", "renewal_status": "AutoRenewal"},
			Check: check("ecs.g7.xlarge", 4, 16384, "AutoRenewal")},
	)
	t.Logf("Terraform prepay cycle (2 applies, 2 plans, destroy): %s", took.Round(time.Millisecond))

	// The orders, newest first: the conversion's refund, the upgrade, the
	// purchase. Each amount is the documented one for the time it was
	// placed at.
	var orders adminapi.Orders
	w.Server.Admin(t, "GET", "/admin/v1/accounts/"+acct.AccountID+"/orders", nil, &orders)
	kinds := []openecs.OrderKind{}
	for _, o := range orders.Orders {
		kinds = append(kinds, o.Kind)
	}
	if !slices.Equal(kinds, []openecs.OrderKind{openecs.OrderInstanceConvert, openecs.OrderInstanceModify, openecs.OrderInstanceBuy}) {
		t.Fatalf("orders %v", orders.Orders)
	}
	convert, upgrade, buy := orders.Orders[0], orders.Orders[1], orders.Orders[2]
	const day = 24 * time.Hour
	upLeft := expires.Sub(upgrade.CreatedAt.Time)
	upDays := int64((upLeft + day - 1) / day)
	backDays := int64(expires.Sub(convert.CreatedAt.Time) / day)
	wantUp := mustMul(t, openecs.MustMoney("292.00"), upDays).DivInt(30)      // (584 - 292) a month
	wantBack := mustMul(t, openecs.MustMoney("-584.00"), backDays).DivInt(30) // the new type's month
	if buy.Amount != openecs.MustMoney("292.00") || upgrade.Amount != wantUp || convert.Amount != wantBack {
		t.Errorf("orders: bought %s (want 292.00), upgrade %s (want %s for %d days), refund %s (want %s for %d days)",
			buy.Amount, upgrade.Amount, wantUp, upDays, convert.Amount, wantBack, backDays)
	}
	end := bootstrapAccount(t, w.Server).Balance
	spent := buy.Amount + upgrade.Amount + convert.Amount
	if start-end != spent {
		t.Errorf("the balance moved from %s to %s, by %s; the orders add up to %s", start, end, start-end, spent)
	}

	// What the provider sent, every answer a 2xx but for the not-found
	// answers of its waits for a deleted VPC and vSwitch.
	called := map[string]int{}
	for _, c := range w.Server.Calls(t) {
		key := c.Action
		if c.Version == vpcAPI {
			key = "Vpc." + key
		}
		called[key]++
		if c.Status >= 300 && c.Code != "InvalidVpcId.NotFound" && c.Code != "InvalidVSwitchId.NotFound" {
			t.Errorf("%s answered %d %s", key, c.Status, c.Code)
		}
	}
	for _, action := range []string{"RunInstances", "DescribeInstanceAutoRenewAttribute", "StopInstance", "ModifyPrepayInstanceSpec",
		"StartInstance", "ModifyInstanceAutoRenewAttribute", "ModifyInstanceChargeType", "DeleteInstance"} {
		if called[action] == 0 {
			t.Errorf("the provider never called %s", action)
		}
	}
	if called["ModifyInstanceSpec"] != 0 {
		t.Errorf("the provider changed the subscription's type with ModifyInstanceSpec")
	}
	t.Logf("calls: %v", slices.Sorted(maps.Keys(called)))
	t.Logf("call counts: %v", called)
}

// bootstrapAccount is the account of the test/test key the provider uses:
// the server's only account.
func bootstrapAccount(t *testing.T, s *Server) adminapi.Account {
	t.Helper()
	var all struct {
		Accounts []adminapi.Account `json:"accounts"`
	}
	s.Admin(t, "GET", "/admin/v1/accounts", nil, &all)
	if len(all.Accounts) != 1 {
		t.Fatalf("the server has %d accounts, want the bootstrap one", len(all.Accounts))
	}
	return all.Accounts[0]
}

func mustMul(t *testing.T, m openecs.Money, n int64) openecs.Money {
	t.Helper()
	p, err := m.Mul(n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
