package catalog

import "strings"

// TypeSpec holds the optional details of an instance type that
// DescribeInstanceTypes shows beyond CPU, memory, GPUs and local disks. A
// catalogue file may set any of them; what it leaves out is derived from the
// type's size and family (Specs), so a file of ids, sizes and prices stays
// enough.
type TypeSpec struct {
	GPUSpec          string  `yaml:"gpu_spec"`          // e.g. "NVIDIA T4"
	GPUMemoryGiB     float64 `yaml:"gpu_memory_gib"`    // per GPU
	CPUArchitecture  string  `yaml:"cpu_architecture"`  // X86 (default) or ARM
	ProcessorModel   string  `yaml:"processor_model"`   // e.g. "Intel Xeon(Ice Lake) Platinum 8369B"
	CPUBaseGHz       float64 `yaml:"cpu_base_ghz"`      // CpuSpeedFrequency
	CPUTurboGHz      float64 `yaml:"cpu_turbo_ghz"`     // CpuTurboFrequency
	InitialCredit    int     `yaml:"initial_credit"`    // burstable families only
	BaselineCredit   int     `yaml:"baseline_credit"`   // burstable families only
	ENIs             int     `yaml:"eni_quantity"`      // network interfaces per instance
	IPsPerENI        int     `yaml:"ips_per_eni"`       // private IPv4 addresses per interface
	Category         string  `yaml:"instance_category"` // General-purpose, Compute-optimized, …
	FamilyLevel      string  `yaml:"family_level"`      // EntryLevel, EnterpriseLevel, CreditEntryLevel
	NVMeSupport      string  `yaml:"nvme_support"`      // unsupported (default), supported, required
	BandwidthKbps    int     `yaml:"bandwidth_kbps"`    // internal bandwidth, each way
	PacketsPerSecond int64   `yaml:"pps"`               // internal packet rate, each way
}

// Specs are an instance type's details as DescribeInstanceTypes reports them:
// the catalogue's values where it sets them, else figures derived from the
// vCPU count and the family that follow the shape of the real instance
// families (more vCPUs, more interfaces, queues and bandwidth).
type Specs struct {
	TypeSpec
	QueuesPerENI     int // PrimaryEniQueueNumber, SecondaryEniQueueNumber, MaximumQueueNumberPerEni
	TotalQueues      int // TotalEniQueueQuantity
	IPv6PerENI       int
	DiskQuantity     int // cloud disks an instance can attach
	LocalDiskSizeGiB int64
	BootModes        []string
}

// Specs returns the type's details, derived where the catalogue is silent.
func (t *InstanceType) Specs() Specs {
	s := Specs{TypeSpec: t.Spec}
	if s.CPUArchitecture == "" {
		s.CPUArchitecture = "X86"
	}
	if s.ENIs == 0 {
		s.ENIs = stepFor(t.CPU, []int{2, 3, 4, 6, 8})
	}
	if s.IPsPerENI == 0 {
		s.IPsPerENI = stepFor(t.CPU, []int{6, 10, 15, 20, 30})
	}
	if s.Category == "" {
		s.Category = familyCategory(t.Family)
	}
	if s.FamilyLevel == "" {
		s.FamilyLevel = "EnterpriseLevel"
		if s.Category == "Shared" {
			s.FamilyLevel = "CreditEntryLevel"
		}
	}
	if s.NVMeSupport == "" {
		s.NVMeSupport = "unsupported"
	}
	if s.BandwidthKbps == 0 {
		s.BandwidthKbps = t.CPU * 512_000
	}
	if s.PacketsPerSecond == 0 {
		s.PacketsPerSecond = int64(t.CPU) * 150_000
	}
	s.QueuesPerENI = min(t.CPU, 16)
	s.TotalQueues = s.QueuesPerENI * s.ENIs
	s.IPv6PerENI = s.IPsPerENI
	s.DiskQuantity = 17
	if t.CPU > 16 {
		s.DiskQuantity = 33
	}
	if t.LocalDiskAmount > 0 {
		s.LocalDiskSizeGiB = t.LocalDiskCapacity / int64(t.LocalDiskAmount)
	}
	s.BootModes = []string{"BIOS", "UEFI"}
	return s
}

// stepFor picks steps[0] for up to 2 vCPUs, steps[1] up to 4, steps[2] up to
// 8, steps[3] up to 16 and steps[4] beyond.
func stepFor(cpu int, steps []int) int {
	for i, limit := range []int{2, 4, 8, 16} {
		if cpu <= limit {
			return steps[i]
		}
	}
	return steps[4]
}

// familyCategory names the category of a family from its letters, as the
// real families are named: ecs.g* general-purpose, ecs.c* compute, ecs.r*
// memory, ecs.t* burstable, ecs.gn* GPU, ecs.d* big data, ecs.i* local SSD.
func familyCategory(family string) string {
	f := strings.TrimPrefix(family, "ecs.")
	switch {
	case strings.HasPrefix(f, "gn"), strings.HasPrefix(f, "vgn"):
		return "Compute-optimized with GPU"
	case strings.HasPrefix(f, "ebm"):
		return "ECS Bare Metal"
	case strings.HasPrefix(f, "hf"):
		return "High Clock Speed"
	case strings.HasPrefix(f, "g"):
		return "General-purpose"
	case strings.HasPrefix(f, "c"):
		return "Compute-optimized"
	case strings.HasPrefix(f, "r"):
		return "Memory-optimized"
	case strings.HasPrefix(f, "t"), strings.HasPrefix(f, "s"):
		return "Shared"
	case strings.HasPrefix(f, "d"):
		return "Big data"
	case strings.HasPrefix(f, "i"):
		return "Local SSDs"
	}
	return "Enhanced"
}
