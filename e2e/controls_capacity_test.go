package e2e

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// ctlHolders counts the instances (of ids, those still existing) that hold a
// slot of capacity.
func (e *env) ctlHolders(ids []string) int {
	e.t.Helper()
	n := 0
	for _, id := range ids {
		status, out := e.adminRaw("GET", "/admin/v1/instances/"+id, nil)
		if status == 404 {
			continue
		}
		if status != 200 {
			e.t.Fatalf("GET instance %s: %d %v", id, status, out)
		}
		if out["holds_capacity"] == true {
			n++
		}
	}
	return n
}

// ctlConserved asserts that free slots plus holders equal the stock: no slot
// leaked or was made up, and the free count is not negative.
func (e *env) ctlConserved(instanceType string, ids []string, stock int) {
	e.t.Helper()
	free, holders := e.ctlFree(instanceType), e.ctlHolders(ids)
	if free < 0 || free+holders != stock {
		e.t.Fatalf("capacity of %s: %d free + %d held = %d, want %d (never negative)", instanceType, free, holders, free+holders, stock)
	}
}

// TestCapacityConcurrentRunAndStart races many RunInstances and StartInstance
// calls through the SDK against a zone with few slots: exactly as many
// succeed as there are slots, the rest answer OperationDenied.NoStock, and
// slots are conserved through stops, deletes and releases.
func TestCapacityConcurrentRunAndStart(t *testing.T) {
	t.Parallel()
	const stock, racers = 5, 40
	e := newEnv(t)
	a := e.newAccount("100000.00")
	clients := make([]*ecs.Client, racers)
	for i := range clients {
		clients[i] = e.client(a.Key, a.Secret)
	}
	e.ctlSetCapacity(itype, stock)

	// 1. 40 concurrent RunInstances for 5 slots.
	var ids []string
	made := make([][]string, racers)
	errs := ctlParallel(racers, func(i int) error {
		var err error
		made[i], err = ctlRunErr(clients[i], itype)
		return err
	})
	okN, failN := ctlCount(t, errs, "OperationDenied.NoStock", 403)
	for _, m := range made {
		ids = append(ids, m...)
	}
	t.Logf("RunInstances: %d racers for %d slots: %d created, %d NoStock", racers, stock, okN, failN)
	if okN != stock || len(ids) != stock {
		t.Fatalf("%d RunInstances succeeded (%d instances), want %d", okN, len(ids), stock)
	}
	if free := e.ctlFree(itype); free != 0 {
		t.Fatalf("free slots after the race: %d, want 0", free)
	}
	e.ctlConserved(itype, ids, stock)

	// 2. StopCharging gives every slot back; KeepCharging keeps it.
	for _, id := range ids {
		ok(t, stop(a.ECS, id, "StopCharging"))
	}
	e.ctlConserved(itype, ids, stock)
	if free := e.ctlFree(itype); free != stock {
		t.Fatalf("free after StopCharging stops: %d, want %d", free, stock)
	}
	extra := run(t, a.ECS, 3, func(r *ecs.RunInstancesRequest) { r.ZoneId = ctlZone })
	ids = append(ids, extra...)
	ok(t, stop(a.ECS, extra[0], "KeepCharging"))
	if free := e.ctlFree(itype); free != 2 {
		t.Fatalf("free after 3 more instances: %d, want 2", free)
	}

	// 3. Race StartInstance of the 5 stopped instances against 20 more
	// RunInstances, twice over (each start retried): 2 slots, 2 winners.
	stopped := ids[:stock]
	calls := len(stopped)*2 + 20
	made = make([][]string, calls)
	errs = ctlParallel(calls, func(i int) error {
		c := clients[i%racers]
		if i < len(stopped)*2 {
			err := start(c, stopped[i%len(stopped)])
			if err != nil {
				if se, isSE := ctlServerError(err); isSE && se.ErrorCode() == "IncorrectInstanceStatus" {
					return nil // the other call for this instance started it first
				}
			}
			return err
		}
		var err error
		made[i], err = ctlRunErr(c, itype)
		return err
	})
	ctlCount(t, errs, "OperationDenied.NoStock", 403)
	won := 0
	for _, m := range made {
		ids = append(ids, m...)
		won += len(m)
	}
	running := 0
	for _, id := range stopped {
		if status(t, a.ECS, id) == "Running" {
			running++
		}
	}
	won += running
	t.Logf("StartInstance/RunInstances race: %d calls for 2 slots: %d instances started or created", calls, won)
	if won != 2 {
		t.Fatalf("%d instances got a slot, want 2", won)
	}
	if free := e.ctlFree(itype); free != 0 {
		t.Fatalf("free after the second race: %d, want 0", free)
	}
	e.ctlConserved(itype, ids, stock)

	// 4. Deleting everything gives every held slot back.
	for _, id := range ids {
		ok(t, ctlDelete(a.ECS, id))
	}
	if free := e.ctlFree(itype); free != stock {
		t.Fatalf("free after deleting everything: %d, want %d", free, stock)
	}
}

// TestCapacityReleasedByBilling: an instance released fifteen days after its
// suspension gives its slot back; a suspended one keeps it.
func TestCapacityReleasedByBilling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")
	e.ctlSetCapacity(itype, 2)
	id := ctlRun(t, a.ECS, itype)
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h")
	if got := e.ctlInstance(id)["billing_state"]; got != "Expired" {
		t.Fatalf("billing state %v, want Expired", got)
	}
	e.ctlConserved(itype, []string{id}, 2)
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("free while suspended: %d, want 1", free)
	}
	e.advance("361h")
	ctlGone(t, a.ECS, id)
	if free := e.ctlFree(itype); free != 2 {
		t.Fatalf("free after the release: %d, want 2", free)
	}
}

// TestEconomicalModeAndNoStock: with economical mode on, a stop without
// StoppedMode is StopCharging for eligible instances (the slot goes back, a
// start needs stock again) and Not-applicable for the others (local-disk
// family, subscription), which keep their slot.
func TestEconomicalModeAndNoStock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	e.admin("PATCH", "/admin/v1/accounts/"+a.ID, map[string]any{"economical_mode": true}, 200)
	e.ctlSetCapacity(itype, 1)
	id := ctlRun(t, a.ECS, itype)
	ok(t, stop(a.ECS, id, ""))
	if in := describe(t, a.ECS, id); in.StoppedMode != "StopCharging" {
		t.Fatalf("StoppedMode %q, want StopCharging", in.StoppedMode)
	}
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("free after an economical stop: %d, want 1", free)
	}
	other := ctlRun(t, a.ECS, itype) // takes the slot
	apiError(t, start(a.ECS, id), "OperationDenied.NoStock", 403)
	apiError(t, ctlStartWith(a.ECS, id, false, true), "OperationDenied.NoStock", 403)
	ok(t, ctlDelete(a.ECS, other))
	apiError(t, ctlStartWith(a.ECS, id, false, true), "DryRunOperation", 400)
	if free := e.ctlFree(itype); free != 1 {
		t.Fatalf("a DryRun start took a slot: %d free, want 1", free)
	}
	ok(t, start(a.ECS, id))
	wantStatus(t, a.ECS, id, "Running")
	if free := e.ctlFree(itype); free != 0 {
		t.Fatalf("free after the start: %d, want 0", free)
	}

	const local = "ecs.i2.xlarge"
	e.ctlSetCapacity(local, 1)
	lid := ctlRun(t, a.ECS, local)
	ok(t, stop(a.ECS, lid, ""))
	if in := describe(t, a.ECS, lid); in.StoppedMode != "Not-applicable" {
		t.Fatalf("local-disk instance StoppedMode %q, want Not-applicable", in.StoppedMode)
	}
	if free := e.ctlFree(local); free != 0 {
		t.Fatalf("a Not-applicable stop gave its slot back: %d free", free)
	}
	ok(t, start(a.ECS, lid))

	pid := ctlRun(t, a.ECS, "ecs.c7.large", func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requestsInt(1), "Month"
	})
	ok(t, stop(a.ECS, pid, "StopCharging"))
	if in := describe(t, a.ECS, pid); in.StoppedMode != "Not-applicable" {
		t.Fatalf("subscription StoppedMode %q, want Not-applicable", in.StoppedMode)
	}
}
