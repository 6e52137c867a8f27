package service

import (
	"context"
	"slices"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// Stock is a snapshot of the capacity rows: the free slots of every zone and
// instance type that is limited. A zone/type without a row is unlimited, so
// it is always in stock; a row with no free slot is sold out.
type Stock struct {
	free map[stockKey]int
}

type stockKey struct{ zone, instanceType string }

// Stock reads the capacity rows once, for a query that asks about many
// zones and types.
func (s *Service) Stock(ctx context.Context) (*Stock, error) {
	rows, err := s.Capacities(ctx)
	if err != nil {
		return nil, err
	}
	st := &Stock{free: make(map[stockKey]int, len(rows))}
	for _, c := range rows {
		if c.Available != nil {
			st.free[stockKey{c.ZoneID, c.InstanceType}] = *c.Available
		}
	}
	return st, nil
}

// InStock reports whether an instance of the type could take a slot in the
// zone now.
func (st *Stock) InStock(zoneID, instanceType string) bool {
	n, limited := st.free[stockKey{zoneID, instanceType}]
	return !limited || n > 0
}

// Destination is what DescribeAvailableResource lists (its
// DestinationResource), in the order the real API chains them: Zone >
// IoOptimized > InstanceType = Network = ddh > SystemDisk > DataDisk.
type Destination string

// The destinations.
const (
	DestZone         Destination = "Zone"
	DestIoOptimized  Destination = "IoOptimized"
	DestInstanceType Destination = "InstanceType"
	DestNetwork      Destination = "Network"
	DestDedicated    Destination = "ddh"
	DestSystemDisk   Destination = "SystemDisk"
	DestDataDisk     Destination = "DataDisk"
)

// Destinations lists the valid destinations.
var Destinations = []Destination{DestZone, DestIoOptimized, DestInstanceType, DestNetwork, DestDedicated, DestSystemDisk, DestDataDisk}

// PurchaseKind is DescribeAvailableResource's ResourceType: what is being
// bought, which decides whether an instance type constrains the answer.
type PurchaseKind string

// The purchase kinds.
const (
	PurchaseInstance PurchaseKind = "instance"
	PurchaseDisk     PurchaseKind = "disk"
	PurchaseReserved PurchaseKind = "reservedinstance"
	PurchaseDDH      PurchaseKind = "ddh"
)

// PurchaseKinds lists the valid purchase kinds.
var PurchaseKinds = []PurchaseKind{PurchaseInstance, PurchaseDisk, PurchaseReserved, PurchaseDDH}

// AvailabilityQuery is a DescribeAvailableResource request, its parameters
// already checked by the transport. The charge type and spot strategy do not
// narrow the answer: every type OpenECS sells can be bought either way.
type AvailabilityQuery struct {
	RegionID    string
	ZoneID      string // "": every zone of the region
	Destination Destination
	Kind        PurchaseKind
	// NotIoOptimized asks for non-I/O-optimized resources (IoOptimized=none),
	// and ClassicNetwork for the classic network: OpenECS sells neither.
	NotIoOptimized bool
	ClassicNetwork bool
	InstanceType   string
	Cores          int     // 0: any
	MemoryGiB      float64 // 0: any
	SystemDiskCategory,
	DataDiskCategory string
}

// ZoneAvailability is one zone of the answer. InStock is false (SoldOut)
// when every instance type the query names or allows is sold out there.
type ZoneAvailability struct {
	RegionID  string
	ZoneID    string
	InStock   bool
	Resources []ResourceAvailability
}

// ResourceAvailability is the list of values of one destination in a zone.
type ResourceAvailability struct {
	Type   Destination
	Values []ResourceValue
}

// ResourceValue is one purchasable value: an instance type, a disk category
// (with its size range in GiB), "optimized", "vpc" or the zone itself.
type ResourceValue struct {
	Value    string
	InStock  bool
	Min, Max int
	Unit     string
}

// DiskRange is the size range of a disk category.
type DiskRange struct {
	Category string
	Min, Max int
}

// SystemDiskRanges and DataDiskRanges are the cloud disk categories an
// instance can be bought with, and the sizes RunInstances accepts for them.
var (
	SystemDiskRanges = []DiskRange{{"cloud_efficiency", 20, 2048}, {"cloud_ssd", 20, 2048}, {"cloud_essd", 20, 2048}, {"cloud_auto", 20, 2048}}
	DataDiskRanges   = []DiskRange{{"cloud_efficiency", 20, 32768}, {"cloud_ssd", 20, 32768}, {"cloud_essd", 20, 32768}, {"cloud_auto", 20, 32768}}
)

// AvailableResources answers DescribeAvailableResource from the catalogue
// (what each zone sells) and the capacity rows (what is sold out). A zone
// that sells nothing the query allows is left out; a zone whose allowed
// types are all sold out is listed SoldOut, and each type with its own
// status. OpenECS sells only I/O-optimized instances in VPCs and no
// dedicated hosts, so queries for anything else find no zone. Errors:
// InvalidZoneId.NotFound for a zone outside the region.
func (s *Service) AvailableResources(ctx context.Context, q AvailabilityQuery) ([]ZoneAvailability, error) {
	region, ok := s.cat.Region(q.RegionID)
	if !ok {
		return nil, openecs.ErrRegionNotFound
	}
	if q.ZoneID != "" {
		if z, ok := s.cat.Zone(q.ZoneID); !ok || z.RegionID != region.ID {
			return nil, openecs.ErrZoneNotFound
		}
	}
	out := []ZoneAvailability{}
	if q.NotIoOptimized || q.ClassicNetwork || q.Destination == DestDedicated || q.Kind == PurchaseDDH {
		return out, nil
	}
	stock, err := s.Stock(ctx)
	if err != nil {
		return nil, err
	}
	for i := range region.Zones {
		z := &region.Zones[i]
		if q.ZoneID != "" && z.ID != q.ZoneID {
			continue
		}
		if za, ok := zoneAvailability(s.cat, stock, z, q); ok {
			out = append(out, za)
		}
	}
	return out, nil
}

// zoneAvailability is the answer for one zone; false when the zone sells
// nothing the query allows.
func zoneAvailability(cat *catalog.Catalog, stock *Stock, z *catalog.Zone, q AvailabilityQuery) (ZoneAvailability, bool) {
	za := ZoneAvailability{RegionID: z.RegionID, ZoneID: z.ID}
	// A disk bought on its own does not depend on instance types.
	diskOnly := q.Kind == PurchaseDisk && q.InstanceType == ""
	var types []string
	if !diskOnly {
		for _, id := range z.InstanceTypes {
			if t, ok := cat.InstanceType(id); ok && typeMatches(t, q) {
				types = append(types, id)
			}
		}
		if len(types) == 0 {
			return za, false
		}
	}
	za.InStock = diskOnly || slices.ContainsFunc(types, func(t string) bool { return stock.InStock(z.ID, t) })
	one := func(value string) []ResourceValue { return []ResourceValue{{Value: value, InStock: za.InStock}} }
	var values []ResourceValue
	switch q.Destination {
	case DestZone:
		values = one(z.ID)
	case DestIoOptimized:
		values = one("optimized")
	case DestNetwork:
		values = one("vpc")
	case DestInstanceType:
		for _, t := range types {
			values = append(values, ResourceValue{Value: t, InStock: stock.InStock(z.ID, t)})
		}
	case DestSystemDisk:
		values = diskValues(SystemDiskRanges, q.SystemDiskCategory, za.InStock)
	case DestDataDisk:
		values = diskValues(DataDiskRanges, q.DataDiskCategory, za.InStock)
	}
	if len(values) == 0 {
		return za, false
	}
	za.Resources = []ResourceAvailability{{Type: q.Destination, Values: values}}
	return za, true
}

// typeMatches applies the query's InstanceType, Cores and Memory.
func typeMatches(t *catalog.InstanceType, q AvailabilityQuery) bool {
	switch {
	case q.InstanceType != "" && t.ID != q.InstanceType,
		q.Cores != 0 && t.CPU != q.Cores,
		q.MemoryGiB != 0 && t.MemoryGiB != q.MemoryGiB:
		return false
	}
	return true
}

func diskValues(ranges []DiskRange, only string, inStock bool) []ResourceValue {
	var out []ResourceValue
	for _, r := range ranges {
		if only == "" || only == r.Category {
			out = append(out, ResourceValue{Value: r.Category, InStock: inStock, Min: r.Min, Max: r.Max, Unit: "GiB"})
		}
	}
	return out
}
