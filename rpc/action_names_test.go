package rpc

import (
	"slices"
	"testing"
)

func TestActionNames(t *testing.T) {
	names := ActionNames()
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Fatalf("names are not sorted and unique: %v", names)
	}
	for _, want := range []string{"StartInstance", "RunInstances", "ReActivateInstances", "ReactivateInstances", "DescribeRegions",
		"PurchaseReservedInstancesOffering"} {
		if !slices.Contains(names, want) {
			t.Errorf("%s missing from %v", want, names)
		}
	}
}
