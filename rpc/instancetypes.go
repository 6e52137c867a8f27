package rpc

import (
	"encoding/base64"
	"slices"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// DescribeInstanceTypesResponse is DescribeInstanceTypes' answer. NextToken
// is empty on the last page.
type DescribeInstanceTypesResponse struct {
	RequestId     string `json:"RequestId" xml:"RequestId"`
	NextToken     string `json:"NextToken" xml:"NextToken"`
	InstanceTypes struct {
		InstanceType []WireInstanceType `json:"InstanceType" xml:"InstanceType"`
	} `json:"InstanceTypes" xml:"InstanceTypes"`
}

// WireInstanceType is one instance type. Every count is a JSON number (the
// Terraform provider type-asserts CpuCoreCount and LocalStorageCapacity);
// the local-disk and CPU-frequency fields are left out when the type has
// none, as the real API does.
type WireInstanceType struct {
	InstanceTypeId              string  `json:"InstanceTypeId" xml:"InstanceTypeId"`
	InstanceTypeFamily          string  `json:"InstanceTypeFamily" xml:"InstanceTypeFamily"`
	Generation                  string  `json:"Generation" xml:"Generation"`
	InstanceCategory            string  `json:"InstanceCategory" xml:"InstanceCategory"`
	InstanceFamilyLevel         string  `json:"InstanceFamilyLevel" xml:"InstanceFamilyLevel"`
	CpuCoreCount                int     `json:"CpuCoreCount" xml:"CpuCoreCount"`
	CpuArchitecture             string  `json:"CpuArchitecture" xml:"CpuArchitecture"`
	PhysicalProcessorModel      string  `json:"PhysicalProcessorModel" xml:"PhysicalProcessorModel"`
	CpuSpeedFrequency           float64 `json:"CpuSpeedFrequency,omitempty" xml:"CpuSpeedFrequency,omitempty"`
	CpuTurboFrequency           float64 `json:"CpuTurboFrequency,omitempty" xml:"CpuTurboFrequency,omitempty"`
	MemorySize                  float64 `json:"MemorySize" xml:"MemorySize"`
	GPUAmount                   int     `json:"GPUAmount" xml:"GPUAmount"`
	GPUSpec                     string  `json:"GPUSpec" xml:"GPUSpec"`
	GPUMemorySize               float64 `json:"GPUMemorySize" xml:"GPUMemorySize"`
	LocalStorageAmount          int     `json:"LocalStorageAmount,omitempty" xml:"LocalStorageAmount,omitempty"`
	LocalStorageCapacity        int64   `json:"LocalStorageCapacity,omitempty" xml:"LocalStorageCapacity,omitempty"`
	LocalStorageCategory        string  `json:"LocalStorageCategory" xml:"LocalStorageCategory"`
	NvmeSupport                 string  `json:"NvmeSupport" xml:"NvmeSupport"`
	DiskQuantity                int     `json:"DiskQuantity" xml:"DiskQuantity"`
	EniQuantity                 int     `json:"EniQuantity" xml:"EniQuantity"`
	EniTotalQuantity            int     `json:"EniTotalQuantity" xml:"EniTotalQuantity"`
	EniPrivateIpAddressQuantity int     `json:"EniPrivateIpAddressQuantity" xml:"EniPrivateIpAddressQuantity"`
	EniIpv6AddressQuantity      int     `json:"EniIpv6AddressQuantity" xml:"EniIpv6AddressQuantity"`
	EniTrunkSupported           bool    `json:"EniTrunkSupported" xml:"EniTrunkSupported"`
	PrimaryEniQueueNumber       int     `json:"PrimaryEniQueueNumber" xml:"PrimaryEniQueueNumber"`
	SecondaryEniQueueNumber     int     `json:"SecondaryEniQueueNumber" xml:"SecondaryEniQueueNumber"`
	MaximumQueueNumberPerEni    int     `json:"MaximumQueueNumberPerEni" xml:"MaximumQueueNumberPerEni"`
	TotalEniQueueQuantity       int     `json:"TotalEniQueueQuantity" xml:"TotalEniQueueQuantity"`
	InstanceBandwidthRx         int     `json:"InstanceBandwidthRx" xml:"InstanceBandwidthRx"`
	InstanceBandwidthTx         int     `json:"InstanceBandwidthTx" xml:"InstanceBandwidthTx"`
	InstancePpsRx               int64   `json:"InstancePpsRx" xml:"InstancePpsRx"`
	InstancePpsTx               int64   `json:"InstancePpsTx" xml:"InstancePpsTx"`
	InitialCredit               int     `json:"InitialCredit" xml:"InitialCredit"`
	BaselineCredit              int     `json:"BaselineCredit" xml:"BaselineCredit"`
	JumboFrameSupport           bool    `json:"JumboFrameSupport" xml:"JumboFrameSupport"`
	NetworkEncryptionSupport    bool    `json:"NetworkEncryptionSupport" xml:"NetworkEncryptionSupport"`
	SupportedBootModes          struct {
		SupportedBootMode []string `json:"SupportedBootMode" xml:"SupportedBootMode"`
	} `json:"SupportedBootModes" xml:"SupportedBootModes"`
}

func wireInstanceType(t *catalog.InstanceType) WireInstanceType {
	s := t.Specs()
	w := WireInstanceType{
		InstanceTypeId: t.ID, InstanceTypeFamily: t.Family, Generation: t.Generation,
		InstanceCategory: s.Category, InstanceFamilyLevel: s.FamilyLevel,
		CpuCoreCount: t.CPU, CpuArchitecture: s.CPUArchitecture, PhysicalProcessorModel: s.ProcessorModel,
		CpuSpeedFrequency: s.CPUBaseGHz, CpuTurboFrequency: s.CPUTurboGHz, MemorySize: t.MemoryGiB,
		GPUAmount: t.GPU, GPUSpec: s.GPUSpec, GPUMemorySize: s.GPUMemoryGiB,
		LocalStorageAmount: t.LocalDiskAmount, LocalStorageCapacity: s.LocalDiskSizeGiB, LocalStorageCategory: t.LocalDiskCategory,
		NvmeSupport: s.NVMeSupport, DiskQuantity: s.DiskQuantity,
		EniQuantity: s.ENIs, EniTotalQuantity: s.ENIs, EniPrivateIpAddressQuantity: s.IPsPerENI, EniIpv6AddressQuantity: s.IPv6PerENI,
		PrimaryEniQueueNumber: s.QueuesPerENI, SecondaryEniQueueNumber: s.QueuesPerENI, MaximumQueueNumberPerEni: s.QueuesPerENI,
		TotalEniQueueQuantity: s.TotalQueues,
		InstanceBandwidthRx:   s.BandwidthKbps, InstanceBandwidthTx: s.BandwidthKbps, InstancePpsRx: s.PacketsPerSecond, InstancePpsTx: s.PacketsPerSecond,
		InitialCredit: s.InitialCredit, BaselineCredit: s.BaselineCredit,
	}
	w.SupportedBootModes.SupportedBootMode = s.BootModes
	return w
}

// typeFilter is DescribeInstanceTypes' filters; an empty list or a zero
// bound does not filter.
type typeFilter struct {
	ids, families, archs, gpuSpecs, categories, localCategories []string
	level, nvme                                                 string
	minCPU, maxCPU, minGPU, maxGPU                              int
	minMem, maxMem                                              float64
}

func (f *typeFilter) match(t *catalog.InstanceType) bool {
	s := t.Specs()
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	switch {
	case !in(f.ids, t.ID), !in(f.families, t.Family), !in(f.archs, s.CPUArchitecture), !in(f.gpuSpecs, s.GPUSpec),
		!in(f.categories, s.Category), !in(f.localCategories, t.LocalDiskCategory),
		f.level != "" && f.level != s.FamilyLevel, f.nvme != "" && f.nvme != s.NVMeSupport,
		f.minCPU > 0 && t.CPU < f.minCPU, f.maxCPU > 0 && t.CPU > f.maxCPU,
		f.minGPU > 0 && t.GPU < f.minGPU, f.maxGPU > 0 && t.GPU > f.maxGPU,
		f.minMem > 0 && t.MemoryGiB < f.minMem, f.maxMem > 0 && t.MemoryGiB > f.maxMem:
		return false
	}
	return true
}

// listOrOne reads the list parameter list.N (at most max values) and adds
// the single-valued parameter one that the API also takes for the same
// filter (InstanceTypeFamily beside InstanceTypeFamilies.N).
func (p *Params) listOrOne(list, one string, max int) []string {
	out := p.List(list, max)
	if s := p.Str(one); s != "" {
		out = append(out, s)
	}
	return out
}

// describeInstanceTypes lists the catalogue's instance types (every type,
// whatever the region: RegionId is optional and only checked), filtered, a
// page of MaxResults (1–1600, default 250) at a time. Errors:
// InvalidRegionId.NotFound, InvalidParameter (a malformed number, more than
// ten values in a list, a NextToken this service did not issue).
func describeInstanceTypes(c *Call) (any, error) {
	p := c.P
	c.region(false)
	f := typeFilter{
		ids:             p.List("InstanceTypes", 10),
		families:        p.listOrOne("InstanceTypeFamilies", "InstanceTypeFamily", 10),
		archs:           p.listOrOne("CpuArchitectures", "CpuArchitecture", 10),
		gpuSpecs:        p.listOrOne("GpuSpecs", "GPUSpec", 10),
		categories:      p.listOrOne("InstanceCategories", "InstanceCategory", 10),
		localCategories: p.listOrOne("LocalStorageCategories", "LocalStorageCategory", 10),
		level:           p.Enum("InstanceFamilyLevel", "", "EntryLevel", "EnterpriseLevel", "CreditEntryLevel"),
		nvme:            p.Enum("NvmeSupport", "", "unsupported", "supported", "required"),
		minCPU:          p.Int("MinimumCpuCoreCount", 0, 0, 1<<16),
		maxCPU:          p.Int("MaximumCpuCoreCount", 0, 0, 1<<16),
		minGPU:          p.Int("MinimumGPUAmount", 0, 0, 1<<10),
		maxGPU:          p.Int("MaximumGPUAmount", 0, 0, 1<<10),
		minMem:          p.float("MinimumMemorySize"),
		maxMem:          p.float("MaximumMemorySize"),
	}
	size := p.Int("MaxResults", 250, 1, 1600)
	after := ""
	if tok := p.Str("NextToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if _, ok := c.Svc().Catalog().InstanceType(string(b)); err != nil || !ok {
			p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
		}
		after = string(b)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &DescribeInstanceTypesResponse{}
	out.InstanceTypes.InstanceType = []WireInstanceType{}
	types := c.Svc().Catalog().InstanceTypes
	started := after == ""
	for i := range types {
		t := &types[i]
		if !started {
			started = t.ID == after
			if !started {
				continue
			}
		}
		if !f.match(t) {
			continue
		}
		if len(out.InstanceTypes.InstanceType) == size {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(t.ID))
			break
		}
		out.InstanceTypes.InstanceType = append(out.InstanceTypes.InstanceType, wireInstanceType(t))
	}
	return out, nil
}

// DescribeInstanceTypeFamiliesResponse is DescribeInstanceTypeFamilies'
// answer.
type DescribeInstanceTypeFamiliesResponse struct {
	RequestId            string `json:"RequestId" xml:"RequestId"`
	InstanceTypeFamilies struct {
		InstanceTypeFamily []WireInstanceTypeFamily `json:"InstanceTypeFamily" xml:"InstanceTypeFamily"`
	} `json:"InstanceTypeFamilies" xml:"InstanceTypeFamilies"`
}

// WireInstanceTypeFamily is one family.
type WireInstanceTypeFamily struct {
	InstanceTypeFamilyId string `json:"InstanceTypeFamilyId" xml:"InstanceTypeFamilyId"`
	Generation           string `json:"Generation" xml:"Generation"`
}

// describeInstanceTypeFamilies lists the families sold in some zone of the
// region, sorted, optionally of one Generation (ecs-1 …). Errors:
// MissingParameter (RegionId), InvalidRegionId.NotFound.
func describeInstanceTypeFamilies(c *Call) (any, error) {
	region := c.region(true)
	gen := c.P.Str("Generation")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	cat := c.Svc().Catalog()
	r, _ := cat.Region(region)
	var ids []string
	for _, z := range r.Zones {
		ids = append(ids, z.InstanceTypes...)
	}
	generation := map[string]string{}
	for _, id := range ids {
		if t, ok := cat.InstanceType(id); ok && generation[t.Family] == "" {
			generation[t.Family] = t.Generation
		}
	}
	out := &DescribeInstanceTypeFamiliesResponse{}
	out.InstanceTypeFamilies.InstanceTypeFamily = []WireInstanceTypeFamily{}
	for _, fam := range cat.Families(ids) {
		if gen == "" || generation[fam] == gen {
			out.InstanceTypeFamilies.InstanceTypeFamily = append(out.InstanceTypeFamilies.InstanceTypeFamily,
				WireInstanceTypeFamily{InstanceTypeFamilyId: fam, Generation: generation[fam]})
		}
	}
	return out, nil
}
