package rpc

import (
	"strconv"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// DescribeRegionsResponse is DescribeRegions' answer.
type DescribeRegionsResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	Regions   struct {
		Region []WireRegion `json:"Region" xml:"Region"`
	} `json:"Regions" xml:"Regions"`
}

// WireRegion is one region.
type WireRegion struct {
	RegionId       string `json:"RegionId" xml:"RegionId"`
	LocalName      string `json:"LocalName" xml:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint" xml:"RegionEndpoint"`
	Status         string `json:"Status" xml:"Status"`
}

func describeRegions(c *Call) (any, error) {
	c.P.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	c.P.Enum("InstanceChargeType", "", "PrePaid", "PostPaid", "SpotWithPriceLimit", "SpotAsPriceGo")
	c.P.Enum("ResourceType", "", "instance", "disk", "reservedinstance", "scu")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	out := &DescribeRegionsResponse{}
	out.Regions.Region = []WireRegion{}
	for _, r := range c.Svc().Catalog().Regions {
		out.Regions.Region = append(out.Regions.Region, WireRegion{RegionId: r.ID, LocalName: r.LocalName, RegionEndpoint: r.Endpoint, Status: "available"})
	}
	return out, nil
}

// Strs wraps a string list under an element name given by the field tag.
type (
	resourceTypes struct {
		ResourceTypes []string `json:"ResourceTypes" xml:"ResourceTypes"`
	}
	diskCategoryList struct {
		DiskCategories []string `json:"DiskCategories" xml:"DiskCategories"`
	}
	volumeCategoryList struct {
		VolumeCategories []string `json:"VolumeCategories" xml:"VolumeCategories"`
	}
	instanceTypeList struct {
		InstanceTypes []string `json:"InstanceTypes" xml:"InstanceTypes"`
	}
	networkTypeList struct {
		NetworkType []string `json:"NetworkType" xml:"NetworkType"`
	}
	dedicatedHostTypes struct {
		DedicatedHostType []string `json:"DedicatedHostType" xml:"DedicatedHostType"`
	}
	dedicatedHostGenerations struct {
		DedicatedHostGeneration []string `json:"DedicatedHostGeneration" xml:"DedicatedHostGeneration"`
	}
)

// WireResourcesInfo is one AvailableResources.ResourcesInfo entry; note the
// lower-case inner keys, as the real API writes them.
type WireResourcesInfo struct {
	IoOptimized          bool `json:"IoOptimized" xml:"IoOptimized"`
	SystemDiskCategories struct {
		V []string `json:"supportedSystemDiskCategory" xml:"supportedSystemDiskCategory"`
	} `json:"SystemDiskCategories" xml:"SystemDiskCategories"`
	DataDiskCategories struct {
		V []string `json:"supportedDataDiskCategory" xml:"supportedDataDiskCategory"`
	} `json:"DataDiskCategories" xml:"DataDiskCategories"`
	InstanceTypes struct {
		V []string `json:"supportedInstanceType" xml:"supportedInstanceType"`
	} `json:"InstanceTypes" xml:"InstanceTypes"`
	InstanceTypeFamilies struct {
		V []string `json:"supportedInstanceTypeFamily" xml:"supportedInstanceTypeFamily"`
	} `json:"InstanceTypeFamilies" xml:"InstanceTypeFamilies"`
	InstanceGenerations struct {
		V []string `json:"supportedInstanceGeneration" xml:"supportedInstanceGeneration"`
	} `json:"InstanceGenerations" xml:"InstanceGenerations"`
	NetworkTypes struct {
		V []string `json:"supportedNetworkCategory" xml:"supportedNetworkCategory"`
	} `json:"NetworkTypes" xml:"NetworkTypes"`
}

// WireZone is one zone.
type WireZone struct {
	ZoneId                      string                   `json:"ZoneId" xml:"ZoneId"`
	LocalName                   string                   `json:"LocalName" xml:"LocalName"`
	ZoneType                    string                   `json:"ZoneType" xml:"ZoneType"`
	ZoneNo                      string                   `json:"ZoneNo" xml:"ZoneNo"`
	AvailableResourceCreation   resourceTypes            `json:"AvailableResourceCreation" xml:"AvailableResourceCreation"`
	AvailableDiskCategories     diskCategoryList         `json:"AvailableDiskCategories" xml:"AvailableDiskCategories"`
	AvailableVolumeCategories   volumeCategoryList       `json:"AvailableVolumeCategories" xml:"AvailableVolumeCategories"`
	AvailableInstanceTypes      instanceTypeList         `json:"AvailableInstanceTypes" xml:"AvailableInstanceTypes"`
	NetworkTypes                networkTypeList          `json:"NetworkTypes" xml:"NetworkTypes"`
	AvailableDedicatedHostTypes dedicatedHostTypes       `json:"AvailableDedicatedHostTypes" xml:"AvailableDedicatedHostTypes"`
	DedicatedHostGenerations    dedicatedHostGenerations `json:"DedicatedHostGenerations" xml:"DedicatedHostGenerations"`
	AvailableResources          struct {
		ResourcesInfo []WireResourcesInfo `json:"ResourcesInfo" xml:"ResourcesInfo"`
	} `json:"AvailableResources" xml:"AvailableResources"`
}

// DescribeZonesResponse is DescribeZones' answer.
type DescribeZonesResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	Zones     struct {
		Zone []WireZone `json:"Zone" xml:"Zone"`
	} `json:"Zones" xml:"Zones"`
}

var (
	systemDiskCategories = []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"}
	dataDiskCategories   = []string{"cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto"}
)

func describeZones(c *Call) (any, error) {
	region := c.region(true)
	c.P.Enum("AcceptLanguage", "zh-CN", "zh-CN", "en-US", "ja")
	c.P.Enum("InstanceChargeType", "", "PrePaid", "PostPaid")
	c.P.Enum("SpotStrategy", "", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")
	verbose := c.P.Bool("Verbose", true)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	cat := c.Svc().Catalog()
	r, _ := cat.Region(region)
	out := &DescribeZonesResponse{}
	out.Zones.Zone = []WireZone{}
	for _, z := range r.Zones {
		out.Zones.Zone = append(out.Zones.Zone, wireZone(cat, z, verbose))
	}
	return out, nil
}

func wireZone(cat *catalog.Catalog, z catalog.Zone, verbose bool) WireZone {
	w := WireZone{ZoneId: z.ID, LocalName: z.LocalName, ZoneType: "AvailabilityZone"}
	w.AvailableResourceCreation.ResourceTypes = []string{"VSwitch", "IoOptimized", "Instance", "DedicatedHost", "Disk"}
	w.AvailableDiskCategories.DiskCategories = append([]string{}, dataDiskCategories...)
	w.AvailableVolumeCategories.VolumeCategories = []string{}
	w.NetworkTypes.NetworkType = []string{"vpc"}
	w.AvailableDedicatedHostTypes.DedicatedHostType = []string{}
	w.DedicatedHostGenerations.DedicatedHostGeneration = []string{}
	w.AvailableInstanceTypes.InstanceTypes = []string{}
	w.AvailableResources.ResourcesInfo = []WireResourcesInfo{}
	if !verbose {
		return w
	}
	w.AvailableInstanceTypes.InstanceTypes = append([]string{}, z.InstanceTypes...)
	var info WireResourcesInfo
	info.IoOptimized = true
	info.SystemDiskCategories.V = append([]string{}, systemDiskCategories...)
	info.DataDiskCategories.V = append([]string{}, dataDiskCategories...)
	info.InstanceTypes.V = append([]string{}, z.InstanceTypes...)
	info.InstanceTypeFamilies.V = cat.Families(z.InstanceTypes)
	info.InstanceGenerations.V = cat.Generations(z.InstanceTypes)
	info.NetworkTypes.V = []string{"vpc"}
	w.AvailableResources.ResourcesInfo = []WireResourcesInfo{info}
	return w
}

// WireImage is one image.
type WireImage struct {
	ImageId              string `json:"ImageId" xml:"ImageId"`
	ImageName            string `json:"ImageName" xml:"ImageName"`
	ImageFamily          string `json:"ImageFamily" xml:"ImageFamily"`
	ImageVersion         string `json:"ImageVersion" xml:"ImageVersion"`
	ImageOwnerAlias      string `json:"ImageOwnerAlias" xml:"ImageOwnerAlias"`
	Description          string `json:"Description" xml:"Description"`
	OSName               string `json:"OSName" xml:"OSName"`
	OSNameEn             string `json:"OSNameEn" xml:"OSNameEn"`
	OSType               string `json:"OSType" xml:"OSType"`
	Platform             string `json:"Platform" xml:"Platform"`
	Architecture         string `json:"Architecture" xml:"Architecture"`
	Size                 int    `json:"Size" xml:"Size"`
	Status               string `json:"Status" xml:"Status"`
	Progress             string `json:"Progress" xml:"Progress"`
	Usage                string `json:"Usage" xml:"Usage"`
	CreationTime         string `json:"CreationTime" xml:"CreationTime"`
	ProductCode          string `json:"ProductCode" xml:"ProductCode"`
	BootMode             string `json:"BootMode" xml:"BootMode"`
	IsPublic             bool   `json:"IsPublic" xml:"IsPublic"`
	IsSubscribed         bool   `json:"IsSubscribed" xml:"IsSubscribed"`
	IsCopied             bool   `json:"IsCopied" xml:"IsCopied"`
	IsSelfShared         string `json:"IsSelfShared" xml:"IsSelfShared"`
	IsSupportIoOptimized bool   `json:"IsSupportIoOptimized" xml:"IsSupportIoOptimized"`
	IsSupportCloudinit   bool   `json:"IsSupportCloudinit" xml:"IsSupportCloudinit"`
	// LoginAsNonRootSupported and Features are newer fields the V2.0 SDKs read.
	LoginAsNonRootSupported bool   `json:"LoginAsNonRootSupported" xml:"LoginAsNonRootSupported"`
	ResourceGroupId         string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	Features                struct {
		NvmeSupport string `json:"NvmeSupport" xml:"NvmeSupport"`
	} `json:"Features" xml:"Features"`
	DiskDeviceMappings struct {
		DiskDeviceMapping []WireDiskDeviceMapping `json:"DiskDeviceMapping" xml:"DiskDeviceMapping"`
	} `json:"DiskDeviceMappings" xml:"DiskDeviceMappings"`
	Tags TagSet `json:"Tags" xml:"Tags"`
}

// WireDiskDeviceMapping is a disk of an image, with the snapshot it is made
// from (the Terraform provider reads Device, Size and SnapshotId).
type WireDiskDeviceMapping struct {
	Type       string `json:"Type" xml:"Type"`
	Size       string `json:"Size" xml:"Size"`
	Device     string `json:"Device" xml:"Device"`
	Format     string `json:"Format" xml:"Format"`
	SnapshotId string `json:"SnapshotId" xml:"SnapshotId"`
	Progress   string `json:"Progress" xml:"Progress"`
}

// DescribeImagesResponse is DescribeImages' answer.
type DescribeImagesResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	RegionId   string `json:"RegionId" xml:"RegionId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	Images     struct {
		Image []WireImage `json:"Image" xml:"Image"`
	} `json:"Images" xml:"Images"`
}

func describeImages(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	var ids []string
	if s := p.Str("ImageId"); s != "" {
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	owner := p.Enum("ImageOwnerAlias", "", "system", "self", "others", "marketplace")
	osType := p.Enum("OSType", "", "linux", "windows")
	arch := p.Enum("Architecture", "", "x86_64", "i386", "arm64")
	name := p.Str("ImageName")
	family := p.Str("ImageFamily")
	status := imageStatuses(p)
	wantIoOpt, ioSet := p.optBool("IsSupportIoOptimized")
	wantCloudinit, ciSet := p.optBool("IsSupportCloudinit")
	pageNumber := p.Int("PageNumber", 1, 1, 1<<30)
	pageSize := p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	// Every catalogue image is Available and supports I/O optimisation;
	// cloud-init is for the Linux ones.
	var match []catalog.Image
	for _, img := range c.Svc().Catalog().Images {
		switch {
		case len(ids) > 0 && !contains(ids, img.ID),
			owner != "" && owner != img.OwnerAlias,
			osType != "" && osType != img.OSType,
			arch != "" && arch != img.Architecture,
			name != "" && !strings.Contains(img.Name, name),
			family != "" && family != img.Family,
			!status["Available"],
			ioSet && !wantIoOpt,
			ciSet && wantCloudinit != (img.OSType == "linux"):
			continue
		}
		match = append(match, img)
	}
	out := &DescribeImagesResponse{RegionId: region, TotalCount: len(match), PageNumber: pageNumber, PageSize: pageSize}
	out.Images.Image = []WireImage{}
	from := (pageNumber - 1) * pageSize
	for i := from; i < len(match) && i < from+pageSize; i++ {
		out.Images.Image = append(out.Images.Image, wireImage(match[i]))
	}
	return out, nil
}

func wireImage(img catalog.Image) WireImage {
	w := WireImage{ImageId: img.ID, ImageName: img.Name, ImageFamily: img.Family, ImageVersion: "1", ImageOwnerAlias: img.OwnerAlias,
		OSName: img.OSName, OSNameEn: img.OSNameEn, OSType: img.OSType, Platform: img.Platform, Architecture: img.Architecture,
		Size: img.SizeGiB, Status: "Available", Progress: "100%", Usage: "instance", CreationTime: img.CreationTime, ProductCode: img.ProductCode,
		BootMode: "BIOS", IsPublic: true, IsSubscribed: img.OwnerAlias == "marketplace", IsSelfShared: "", IsSupportIoOptimized: true,
		IsSupportCloudinit: img.OSType == "linux", Tags: tagSet(nil), Description: img.Description, LoginAsNonRootSupported: img.OSType == "linux"}
	w.Features.NvmeSupport = "supported"
	w.DiskDeviceMappings.DiskDeviceMapping = []WireDiskDeviceMapping{{Type: "system", Size: strconv.Itoa(img.SizeGiB), Device: "/dev/xvda", Format: "",
		SnapshotId: imageSnapshotID(img.ID), Progress: "100%"}}
	return w
}

// imageSnapshotID is the id of the snapshot a public image is made from:
// stable, derived from the image id.
func imageSnapshotID(imageID string) string { return "s-" + hashHex(imageID)[:20] }

// imageStatuses reads DescribeImages' Status, a comma-separated list of
// Creating, Waiting, Available, UnAvailable, CreateFailed and Deprecated;
// absent, Available.
func imageStatuses(p *Params) map[string]bool {
	s := p.Str("Status")
	if s == "" {
		return map[string]bool{"Available": true}
	}
	out := map[string]bool{}
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		switch v {
		case "Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated":
			out[v] = true
		default:
			p.Fail(openecs.Invalid("Status", "it must list Creating, Waiting, Available, UnAvailable, CreateFailed or Deprecated"))
		}
	}
	return out
}

// optBool reads an optional Boolean: its value, and whether it was given.
func (p *Params) optBool(name string) (val, set bool) {
	if p.Str(name) == "" {
		return false, false
	}
	return p.Bool(name, false), true
}
