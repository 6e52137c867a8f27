package rpc

import (
	"strconv"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// DescribeAvailableResourceResponse is DescribeAvailableResource's answer.
type DescribeAvailableResourceResponse struct {
	RequestId      string `json:"RequestId" xml:"RequestId"`
	AvailableZones struct {
		AvailableZone []WireAvailableZone `json:"AvailableZone" xml:"AvailableZone"`
	} `json:"AvailableZones" xml:"AvailableZones"`
}

// WireAvailableZone is one zone of DescribeAvailableResource.
type WireAvailableZone struct {
	RegionId           string `json:"RegionId" xml:"RegionId"`
	ZoneId             string `json:"ZoneId" xml:"ZoneId"`
	StatusCategory     string `json:"StatusCategory" xml:"StatusCategory"`
	Status             string `json:"Status" xml:"Status"`
	AvailableResources struct {
		AvailableResource []WireAvailableResource `json:"AvailableResource" xml:"AvailableResource"`
	} `json:"AvailableResources" xml:"AvailableResources"`
}

// WireAvailableResource is the list of one resource type in a zone.
type WireAvailableResource struct {
	Type               string `json:"Type" xml:"Type"`
	SupportedResources struct {
		SupportedResource []WireSupportedResource `json:"SupportedResource" xml:"SupportedResource"`
	} `json:"SupportedResources" xml:"SupportedResources"`
}

// WireSupportedResource is one value. Min, Max and Unit are left out when
// they do not apply (everything but disks), as the real API does.
type WireSupportedResource struct {
	Value          string `json:"Value" xml:"Value"`
	Status         string `json:"Status" xml:"Status"`
	StatusCategory string `json:"StatusCategory" xml:"StatusCategory"`
	Min            int    `json:"Min,omitempty" xml:"Min,omitempty"`
	Max            int    `json:"Max,omitempty" xml:"Max,omitempty"`
	Unit           string `json:"Unit,omitempty" xml:"Unit,omitempty"`
}

// stockStatus is the Status and StatusCategory of a zone or value.
func stockStatus(inStock bool) (status, category string) {
	if inStock {
		return "Available", "WithStock"
	}
	return "SoldOut", "WithoutStock"
}

// describeAvailableResource lists, per zone of the region, what can be
// bought there now. Errors, in this order: MissingParameter (RegionId,
// DestinationResource); InvalidRegionId.NotFound; a value outside its
// enumeration: Invalid.DestinationResource, Invalid.ResourceType,
// Invalid.InstanceChargeType (400), Invalid.SpotStrategy,
// Invalid.IoOptimized, Invalid.NetworkCategory (all 404 but the charge
// type); InvalidParameter (Cores, Memory, SpotDuration, Scope malformed);
// then 403: InvalidParam.TypeAndCpuMem.Conflict (InstanceType with Cores or
// Memory), InvalidParam.Cores / InvalidParam.Memory (given for another
// destination than InstanceType), InvalidDedicatedHostId.NotFound (OpenECS
// has no dedicated hosts); last InvalidZoneId.NotFound (404).
func describeAvailableResource(c *Call) (any, error) {
	p := c.P
	q := service.AvailabilityQuery{RegionID: c.region(true), ZoneID: p.Str("ZoneId")}
	p.Required("DestinationResource")
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.Destination = service.Destination(p.enumCode("DestinationResource", "", openecs.ErrInvalidDestinationResource, names(service.Destinations)...))
	q.Kind = service.PurchaseKind(strings.ToLower(p.enumFold("ResourceType", string(service.PurchaseInstance), openecs.ErrInvalidResourceTypeParam, names(service.PurchaseKinds)...)))
	p.enumCode("InstanceChargeType", "PostPaid", openecs.ErrInvalidChargeTypeParam, "PrePaid", "PostPaid")
	p.enumCode("SpotStrategy", "NoSpot", openecs.ErrInvalidSpotStrategy, "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	q.NotIoOptimized = p.enumCode("IoOptimized", "optimized", openecs.ErrInvalidIoOptimized, "optimized", "none") == "none"
	q.ClassicNetwork = p.enumCode("NetworkCategory", "vpc", openecs.ErrInvalidNetworkCategory, "vpc", "classic") == "classic"
	q.InstanceType = p.Str("InstanceType")
	q.Cores = p.Int("Cores", 0, 1, 1<<16)
	q.MemoryGiB = p.float("Memory")
	p.Int("SpotDuration", 0, 0, 6)
	p.Enum("Scope", "", "Region", "Zone")
	q.SystemDiskCategory = p.Str("SystemDiskCategory")
	q.DataDiskCategory = p.Str("DataDiskCategory")
	switch {
	case p.Err() != nil:
	case q.InstanceType != "" && (p.Str("Cores") != "" || p.Str("Memory") != ""):
		p.Fail(openecs.ErrTypeAndCPUMemConflict)
	case p.Str("Cores") != "" && q.Destination != service.DestInstanceType:
		p.Fail(openecs.ErrCoresShouldBeEmpty)
	case p.Str("Memory") != "" && q.Destination != service.DestInstanceType:
		p.Fail(openecs.ErrMemoryShouldBeEmpty)
	case p.Str("DedicatedHostId") != "":
		p.Fail(openecs.ErrDedicatedHostNotFound)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	zones, err := c.Svc().AvailableResources(c.Ctx, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeAvailableResourceResponse{}
	out.AvailableZones.AvailableZone = make([]WireAvailableZone, 0, len(zones))
	for _, z := range zones {
		wz := WireAvailableZone{RegionId: z.RegionID, ZoneId: z.ZoneID}
		wz.Status, wz.StatusCategory = stockStatus(z.InStock)
		wz.AvailableResources.AvailableResource = make([]WireAvailableResource, 0, len(z.Resources))
		for _, r := range z.Resources {
			wr := WireAvailableResource{Type: string(r.Type)}
			wr.SupportedResources.SupportedResource = make([]WireSupportedResource, 0, len(r.Values))
			for _, v := range r.Values {
				ws := WireSupportedResource{Value: v.Value, Min: v.Min, Max: v.Max, Unit: v.Unit}
				ws.Status, ws.StatusCategory = stockStatus(v.InStock)
				wr.SupportedResources.SupportedResource = append(wr.SupportedResources.SupportedResource, ws)
			}
			wz.AvailableResources.AvailableResource = append(wz.AvailableResources.AvailableResource, wr)
		}
		out.AvailableZones.AvailableZone = append(out.AvailableZones.AvailableZone, wz)
	}
	return out, nil
}

// names converts typed string constants to their text.
func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// enumCode reads one of the allowed values (exact case); absent or empty is
// def; any other value records bad, for the actions whose enumerations have
// codes of their own.
func (p *Params) enumCode(name, def string, bad *openecs.Error, allowed ...string) string {
	s := p.v.Get(name)
	if s == "" {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.Fail(bad)
	return def
}

// enumFold is enumCode ignoring case.
func (p *Params) enumFold(name, def string, bad *openecs.Error, allowed ...string) string {
	s := p.v.Get(name)
	if s == "" {
		return def
	}
	for _, a := range allowed {
		if strings.EqualFold(s, a) {
			return a
		}
	}
	p.Fail(bad)
	return def
}

// float reads a Float in [0, 2^20] such as Memory ("8.000000" from the
// Terraform provider); absent or empty is 0.
func (p *Params) float(name string) float64 {
	s := p.v.Get(name)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0 && f <= 1<<20) {
		p.Fail(openecs.Invalid(name, "it must be a number between 0 and 1048576"))
		return 0
	}
	return f
}
