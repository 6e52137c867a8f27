package openecs

import "testing"

func TestTransitionTable(t *testing.T) {
	cases := []struct {
		name string
		tr   Transition
		from Status
		ok   bool
	}{
		{"start", TransitionStart, StatusStopped, true},
		{"start", TransitionStart, StatusRunning, false},
		{"start", TransitionStart, StatusStopping, false},
		{"stop", TransitionStop, StatusRunning, true},
		{"stop", TransitionStop, StatusStarting, false},
		{"stop", TransitionStop, StatusStopped, false},
		{"reboot", TransitionReboot, StatusRunning, true},
		{"reboot", TransitionReboot, StatusStopped, false},
		{"reactivate", TransitionReactivate, StatusStopped, true},
		{"reactivate", TransitionReactivate, StatusStopping, false},
		{"suspend", TransitionSuspend, StatusPending, true},
		{"suspend", TransitionSuspend, StatusStopped, false},
	}
	for _, c := range cases {
		if got := c.tr.Allowed(c.from); got != c.ok {
			t.Errorf("%s from %s allowed = %v, want %v", c.name, c.from, got, c.ok)
		}
	}
	for _, tr := range []Transition{TransitionStart, TransitionStop, TransitionReboot, TransitionReactivate, TransitionRenew, TransitionSuspend, TransitionReclaim} {
		if tr.Via == "" || tr.To == "" || len(tr.From) == 0 {
			t.Errorf("transition is incomplete: %+v", tr)
		}
	}
}

func TestBillingStates(t *testing.T) {
	if BillingNormal.Suspended() || !BillingExpired.Suspended() || !BillingImageExpired.Suspended() || !BillingEcsAndImageExpired.Suspended() {
		t.Fatal("Suspended()")
	}
	if BillingNormal.WithEcsExpired() != BillingExpired || BillingImageExpired.WithEcsExpired() != BillingEcsAndImageExpired {
		t.Fatal("WithEcsExpired")
	}
	if BillingNormal.WithImageExpired() != BillingImageExpired || BillingExpired.WithImageExpired() != BillingEcsAndImageExpired {
		t.Fatal("WithImageExpired")
	}
}

func TestEconomicalEligibility(t *testing.T) {
	in := Instance{ChargeType: PostPaid, VpcID: "vpc-1"}
	if !in.EconomicalEligible() {
		t.Fatal("pay-as-you-go in a VPC without local disks is eligible")
	}
	in.LocalStorage.Amount = 2
	if in.EconomicalEligible() {
		t.Fatal("local-disk instances are not eligible")
	}
	if (&Instance{ChargeType: PrePaid, VpcID: "vpc-1"}).EconomicalEligible() {
		t.Fatal("subscriptions are not eligible")
	}
}

func TestLocks(t *testing.T) {
	var in Instance
	in.AddLock(LockSecurity)
	in.AddLock(LockSecurity)
	in.AddLock(LockFinancial)
	if len(in.Locks) != 2 || !in.HasLock(LockFinancial) {
		t.Fatalf("locks %v", in.Locks)
	}
	in.RemoveLock(LockSecurity)
	if in.HasLock(LockSecurity) || len(in.Locks) != 1 {
		t.Fatalf("locks %v", in.Locks)
	}
}

func TestLookupError(t *testing.T) {
	if e := LookupError("StartInstance", "InstanceNotReady"); e == nil || e.Status != 500 {
		t.Fatalf("StartInstance InstanceNotReady = %+v; the seed lists the 500 variant first", e)
	}
	if e := LookupError("ReactivateInstances", "ReactivateInstances.InstanceStatusNotValid"); e == nil || e.Status != 403 {
		t.Fatalf("%+v", e)
	}
	if e := LookupError("AnyAction", "ServiceUnavailable"); e == nil || e.Status != 503 {
		t.Fatalf("%+v", e)
	}
	if LookupError("AnyAction", "NoSuchCode") != nil {
		t.Fatal("an undocumented code has no entry")
	}
}
