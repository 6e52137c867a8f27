package catalog

import (
	"slices"
	"testing"
)

func TestSpecsDerived(t *testing.T) {
	c := Builtin()
	g7, _ := c.InstanceType("ecs.g7.large")
	s := g7.Specs()
	if s.CPUArchitecture != "X86" || s.Category != "General-purpose" || s.FamilyLevel != "EnterpriseLevel" || s.ENIs != 2 ||
		s.IPsPerENI != 6 || s.QueuesPerENI != 2 || s.TotalQueues != 4 || s.BandwidthKbps != 1_024_000 || s.LocalDiskSizeGiB != 0 ||
		!slices.Equal(s.BootModes, []string{"BIOS", "UEFI"}) {
		t.Fatalf("ecs.g7.large specs = %+v", s)
	}
	d1ne, _ := c.InstanceType("ecs.d1ne.2xlarge")
	if s := d1ne.Specs(); s.LocalDiskSizeGiB != 5500 || s.Category != "Big data" || s.ENIs != 4 {
		t.Fatalf("ecs.d1ne.2xlarge specs = %+v", s)
	}
	t6, _ := c.InstanceType("ecs.t6-c1m1.large")
	if s := t6.Specs(); s.FamilyLevel != "CreditEntryLevel" || s.InitialCredit != 60 || s.BaselineCredit != 20 {
		t.Fatalf("ecs.t6-c1m1.large specs = %+v", s)
	}
}

func TestSpecsFromTheFile(t *testing.T) {
	c, err := Parse([]byte(`instance_types:
  - {id: ecs.g8y.large, family: ecs.g8y, cpu: 2, memory_gib: 8, hourly_price: "1", monthly_price: "1", reserved_yearly_price: "1",
     cpu_architecture: ARM, processor_model: Yitian 710, cpu_base_ghz: 2.75, eni_quantity: 3, ips_per_eni: 12, nvme_support: required}
`))
	if err != nil {
		t.Fatal(err)
	}
	g8y, _ := c.InstanceType("ecs.g8y.large")
	s := g8y.Specs()
	if s.CPUArchitecture != "ARM" || s.ProcessorModel != "Yitian 710" || s.CPUBaseGHz != 2.75 || s.ENIs != 3 || s.IPsPerENI != 12 ||
		s.IPv6PerENI != 12 || s.NVMeSupport != "required" || s.TotalQueues != 6 {
		t.Fatalf("specs from the file = %+v", s)
	}
}
