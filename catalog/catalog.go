// Package catalog holds the regions, zones, instance types (with prices) and
// public images OpenECS offers. A built-in catalogue covers the common regions
// and families with illustrative prices; a YAML file can replace it.
package catalog

import (
	"fmt"
	"os"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/openecs/openecs"
)

// Catalog is an immutable, indexed catalogue.
type Catalog struct {
	Regions       []Region
	InstanceTypes []InstanceType
	Images        []Image

	regions map[string]*Region
	zones   map[string]*Zone
	types   map[string]*InstanceType
	images  map[string]*Image
}

// Region is an ECS region.
type Region struct {
	ID        string `yaml:"id"`
	LocalName string `yaml:"local_name"`
	Endpoint  string `yaml:"endpoint"`
	Code      string `yaml:"code"` // short code used in resource ids, e.g. bp for cn-hangzhou
	Zones     []Zone `yaml:"zones"`
}

// Zone is a zone of a region, with the instance types it sells.
type Zone struct {
	ID            string   `yaml:"id"`
	LocalName     string   `yaml:"local_name"`
	InstanceTypes []string `yaml:"instance_types"` // empty: every type in the catalogue
	RegionID      string   `yaml:"-"`
}

// InstanceType is an instance type with its prices.
type InstanceType struct {
	ID         string  `yaml:"id"`
	Family     string  `yaml:"family"`
	Generation string  `yaml:"generation"`
	CPU        int     `yaml:"cpu"`
	MemoryGiB  float64 `yaml:"memory_gib"`
	GPU        int     `yaml:"gpu"`
	// Local disks (d1, i1, i2 … families).
	LocalDiskAmount   int    `yaml:"local_disk_amount"`
	LocalDiskCapacity int64  `yaml:"local_disk_capacity_gib"`
	LocalDiskCategory string `yaml:"local_disk_category"`
	// Details DescribeInstanceTypes shows; see Specs for the defaults.
	Spec TypeSpec `yaml:",inline"`
	// Prices in CNY, as exact decimal strings.
	Hourly       openecs.Money `yaml:"-"`
	Monthly      openecs.Money `yaml:"-"`
	ReservedYear openecs.Money `yaml:"-"`
	HourlyText   string        `yaml:"hourly_price"`
	MonthlyText  string        `yaml:"monthly_price"`
	ReservedText string        `yaml:"reserved_yearly_price"`
}

// MemoryMiB is the memory in MiB, the unit DescribeInstances uses.
func (t *InstanceType) MemoryMiB() int { return int(t.MemoryGiB * 1024) }

// HasLocalDisks reports whether the type belongs to a local-disk family.
func (t *InstanceType) HasLocalDisks() bool { return t.LocalDiskAmount > 0 }

// Image is a public or marketplace image.
type Image struct {
	ID           string `yaml:"id"`
	Name         string `yaml:"name"`
	Description  string `yaml:"description"`
	OSName       string `yaml:"os_name"`
	OSNameEn     string `yaml:"os_name_en"`
	OSType       string `yaml:"os_type"` // linux, windows
	Platform     string `yaml:"platform"`
	Architecture string `yaml:"architecture"`
	Family       string `yaml:"family"`
	OwnerAlias   string `yaml:"owner_alias"` // system, marketplace
	ProductCode  string `yaml:"product_code"`
	SizeGiB      int    `yaml:"size_gib"`
	CreationTime string `yaml:"creation_time"`
}

// file is the YAML shape.
type file struct {
	Regions       []Region       `yaml:"regions"`
	InstanceTypes []InstanceType `yaml:"instance_types"`
	Images        []Image        `yaml:"images"`
}

// Load reads a catalogue from a YAML file in the built-in catalogue's shape.
func Load(path string) (*Catalog, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse builds a catalogue from YAML.
func Parse(b []byte) (*Catalog, error) {
	var f file
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return build(f)
}

func build(f file) (*Catalog, error) {
	c := &Catalog{Regions: f.Regions, InstanceTypes: f.InstanceTypes, Images: f.Images,
		regions: map[string]*Region{}, zones: map[string]*Zone{}, types: map[string]*InstanceType{}, images: map[string]*Image{}}
	for i := range c.InstanceTypes {
		t := &c.InstanceTypes[i]
		var err error
		if t.Hourly, err = openecs.ParseMoney(t.HourlyText); err != nil {
			return nil, fmt.Errorf("catalog: %s hourly_price: %w", t.ID, err)
		}
		if t.Monthly, err = openecs.ParseMoney(t.MonthlyText); err != nil {
			return nil, fmt.Errorf("catalog: %s monthly_price: %w", t.ID, err)
		}
		if t.ReservedYear, err = openecs.ParseMoney(t.ReservedText); err != nil {
			return nil, fmt.Errorf("catalog: %s reserved_yearly_price: %w", t.ID, err)
		}
		if t.CPU <= 0 || t.MemoryGiB <= 0 || t.Family == "" {
			return nil, fmt.Errorf("catalog: %s needs cpu, memory_gib and family", t.ID)
		}
		if _, dup := c.types[t.ID]; dup {
			return nil, fmt.Errorf("catalog: instance type %s listed twice", t.ID)
		}
		c.types[t.ID] = t
	}
	for i := range c.Regions {
		r := &c.Regions[i]
		if r.Code == "" {
			r.Code = "xx"
		}
		c.regions[r.ID] = r
		for j := range r.Zones {
			z := &r.Zones[j]
			z.RegionID = r.ID
			if len(z.InstanceTypes) == 0 {
				for _, t := range c.InstanceTypes {
					z.InstanceTypes = append(z.InstanceTypes, t.ID)
				}
			}
			for _, t := range z.InstanceTypes {
				if c.types[t] == nil {
					return nil, fmt.Errorf("catalog: zone %s lists unknown type %s", z.ID, t)
				}
			}
			c.zones[z.ID] = z
		}
	}
	for i := range c.Images {
		c.images[c.Images[i].ID] = &c.Images[i]
	}
	return c, nil
}

// Region returns a region by id.
func (c *Catalog) Region(id string) (*Region, bool) { r, ok := c.regions[id]; return r, ok }

// Zone returns a zone by id.
func (c *Catalog) Zone(id string) (*Zone, bool) { z, ok := c.zones[id]; return z, ok }

// InstanceType returns an instance type by id.
func (c *Catalog) InstanceType(id string) (*InstanceType, bool) {
	t, ok := c.types[id]
	return t, ok
}

// Image returns an image by id.
func (c *Catalog) Image(id string) (*Image, bool) { i, ok := c.images[id]; return i, ok }

// ZoneSells reports whether the zone sells the type.
func (z *Zone) ZoneSells(instanceType string) bool {
	return slices.Contains(z.InstanceTypes, instanceType)
}

// FirstZoneFor returns the first zone of the region that sells the type.
func (c *Catalog) FirstZoneFor(regionID, instanceType string) (*Zone, bool) {
	r, ok := c.regions[regionID]
	if !ok {
		return nil, false
	}
	for i := range r.Zones {
		if r.Zones[i].ZoneSells(instanceType) {
			return &r.Zones[i], true
		}
	}
	return nil, false
}

// Families returns the distinct families of the given types, sorted.
func (c *Catalog) Families(types []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range types {
		if t, ok := c.types[id]; ok && !seen[t.Family] {
			seen[t.Family] = true
			out = append(out, t.Family)
		}
	}
	sort.Strings(out)
	return out
}

// Generations returns the distinct generations of the given types, sorted.
func (c *Catalog) Generations(types []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range types {
		if t, ok := c.types[id]; ok && t.Generation != "" && !seen[t.Generation] {
			seen[t.Generation] = true
			out = append(out, t.Generation)
		}
	}
	sort.Strings(out)
	return out
}

// SpotPrice is the default spot price of a type: a tenth of its pay-as-you-go
// price (docs/errors.md, "Spot").
func (t *InstanceType) SpotPrice() openecs.Money { return t.Hourly.DivInt(10) }
