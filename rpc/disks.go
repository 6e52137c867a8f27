package rpc

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Disks: DescribeDisks, CreateDisk, AttachDisk, DetachDisk, DeleteDisk,
// ResizeDisk (docs/disks.md).

// wireSeconds formats a disk time as DescribeDisks does, to the second
// (2021-06-07T06:08:54Z); the zero time is "".
func wireSeconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// filterCategories are the categories DescribeDisks' Category accepts (a
// data disk is made with one of diskCategories, instances.go).
var (
	filterCategories = []string{"all", "cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry",
		"local_ssd_pro", "local_hdd_pro", "ephemeral", "ephemeral_ssd", "elastic_ephemeral_disk_standard", "elastic_ephemeral_disk_premium"}
	filterStatuses    = []string{string(openecs.DiskInUse), string(openecs.DiskAvailable), string(openecs.DiskAttaching), string(openecs.DiskDetaching), string(openecs.DiskCreating), string(openecs.DiskReIniting), "All"}
	performanceLevels = []string{"PL0", "PL1", "PL2", "PL3"}
)

// WireDisk is a disk as DescribeDisks shows it (the key case of the API).
type WireDisk struct {
	DiskId                         string `json:"DiskId" xml:"DiskId"`
	RegionId                       string `json:"RegionId" xml:"RegionId"`
	ZoneId                         string `json:"ZoneId" xml:"ZoneId"`
	DiskName                       string `json:"DiskName" xml:"DiskName"`
	Description                    string `json:"Description" xml:"Description"`
	Type                           string `json:"Type" xml:"Type"`
	Category                       string `json:"Category" xml:"Category"`
	Size                           int    `json:"Size" xml:"Size"`
	ImageId                        string `json:"ImageId" xml:"ImageId"`
	SourceSnapshotId               string `json:"SourceSnapshotId" xml:"SourceSnapshotId"`
	AutoSnapshotPolicyId           string `json:"AutoSnapshotPolicyId" xml:"AutoSnapshotPolicyId"`
	ProductCode                    string `json:"ProductCode" xml:"ProductCode"`
	Portable                       bool   `json:"Portable" xml:"Portable"`
	Status                         string `json:"Status" xml:"Status"`
	InstanceId                     string `json:"InstanceId" xml:"InstanceId"`
	Device                         string `json:"Device" xml:"Device"`
	DeleteWithInstance             bool   `json:"DeleteWithInstance" xml:"DeleteWithInstance"`
	DeleteAutoSnapshot             bool   `json:"DeleteAutoSnapshot" xml:"DeleteAutoSnapshot"`
	EnableAutoSnapshot             bool   `json:"EnableAutoSnapshot" xml:"EnableAutoSnapshot"`
	EnableAutomatedSnapshotPolicy  bool   `json:"EnableAutomatedSnapshotPolicy" xml:"EnableAutomatedSnapshotPolicy"`
	CreationTime                   string `json:"CreationTime" xml:"CreationTime"`
	AttachedTime                   string `json:"AttachedTime" xml:"AttachedTime"`
	DetachedTime                   string `json:"DetachedTime" xml:"DetachedTime"`
	DiskChargeType                 string `json:"DiskChargeType" xml:"DiskChargeType"`
	ExpiredTime                    string `json:"ExpiredTime" xml:"ExpiredTime"`
	ResourceGroupId                string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	Encrypted                      bool   `json:"Encrypted" xml:"Encrypted"`
	KMSKeyId                       string `json:"KMSKeyId" xml:"KMSKeyId"`
	PerformanceLevel               string `json:"PerformanceLevel" xml:"PerformanceLevel"`
	IOPS                           int    `json:"IOPS" xml:"IOPS"`
	IOPSRead                       int    `json:"IOPSRead" xml:"IOPSRead"`
	IOPSWrite                      int    `json:"IOPSWrite" xml:"IOPSWrite"`
	ProvisionedIops                int64  `json:"ProvisionedIops" xml:"ProvisionedIops"`
	BurstingEnabled                bool   `json:"BurstingEnabled" xml:"BurstingEnabled"`
	Throughput                     int    `json:"Throughput" xml:"Throughput"`
	MountInstanceNum               int    `json:"MountInstanceNum" xml:"MountInstanceNum"`
	MultiAttach                    string `json:"MultiAttach" xml:"MultiAttach"`
	SerialNumber                   string `json:"SerialNumber" xml:"SerialNumber"`
	BdfId                          string `json:"BdfId" xml:"BdfId"`
	StorageSetId                   string `json:"StorageSetId" xml:"StorageSetId"`
	StorageSetPartitionNumber      int    `json:"StorageSetPartitionNumber" xml:"StorageSetPartitionNumber"`
	StorageClusterId               string `json:"StorageClusterId" xml:"StorageClusterId"`
	DedicatedBlockStorageClusterId string `json:"DedicatedBlockStorageClusterId" xml:"DedicatedBlockStorageClusterId"`
	OperationLocks                 struct {
		OperationLock []WireDiskLock `json:"OperationLock" xml:"OperationLock"`
	} `json:"OperationLocks" xml:"OperationLocks"`
	Attachments struct {
		Attachment []WireAttachment `json:"Attachment" xml:"Attachment"`
	} `json:"Attachments" xml:"Attachments"`
	MountInstances struct {
		MountInstance []WireAttachment `json:"MountInstance" xml:"MountInstance"`
	} `json:"MountInstances" xml:"MountInstances"`
	Tags TagSet `json:"Tags" xml:"Tags"`
}

// WireDiskLock is one disk OperationLocks entry.
type WireDiskLock struct {
	LockReason string `json:"LockReason" xml:"LockReason"`
}

// WireAttachment is where a disk is attached.
type WireAttachment struct {
	InstanceId   string `json:"InstanceId" xml:"InstanceId"`
	Device       string `json:"Device" xml:"Device"`
	AttachedTime string `json:"AttachedTime" xml:"AttachedTime"`
}

// diskIOPS is the disk's I/O operations per second as the real service
// computes them from category, performance level and size.
func diskIOPS(d *openecs.Disk) int {
	lin := func(base, per, max int) int { return min(base+per*d.SizeGiB, max) }
	switch d.Category {
	case "cloud_essd":
		switch d.PerformanceLevel {
		case "PL0":
			return lin(1800, 12, 10000)
		case "PL2":
			return lin(1800, 50, 100000)
		case "PL3":
			return lin(1800, 50, 1000000)
		}
		return lin(1800, 50, 50000)
	case "cloud_ssd":
		return lin(1800, 30, 25000)
	case "cloud_efficiency":
		return lin(1800, 8, 5000)
	case "cloud_auto", "cloud_essd_entry":
		return lin(1800, 50, 6000)
	case "cloud":
		return 300
	}
	return 0
}

func wireDisk(d *openecs.Disk, expires time.Time) WireDisk {
	w := WireDisk{
		DiskId: d.ID, RegionId: d.RegionID, ZoneId: d.ZoneID, DiskName: d.Name, Description: d.Description, Type: d.WireType(),
		Category: d.Category, Size: d.SizeGiB, ImageId: d.ImageID, Portable: d.Portable, Status: string(d.Status),
		DeleteWithInstance: d.DeleteWithInstance, DeleteAutoSnapshot: d.DeleteAutoSnapshot, EnableAutoSnapshot: !d.AutoSnapshotOff,
		BurstingEnabled: d.BurstingEnabled,
		CreationTime:    wireSeconds(d.CreatedAt), AttachedTime: wireSeconds(d.AttachedAt), DetachedTime: wireSeconds(d.DetachedAt),
		DiskChargeType: string(d.ChargeType), ExpiredTime: openecs.WireTime(expires), ResourceGroupId: d.ResourceGroupID,
		Encrypted: d.Encrypted, KMSKeyId: d.KMSKeyID, PerformanceLevel: d.PerformanceLevel, IOPS: diskIOPS(d),
		MultiAttach: "Disabled", SerialNumber: strings.TrimPrefix(d.ID, "d-"), Tags: tagSet(d.Tags),
	}
	if w.DiskChargeType == "" {
		w.DiskChargeType = string(openecs.PostPaid)
	}
	w.IOPSRead, w.IOPSWrite = w.IOPS/2, w.IOPS/2
	w.OperationLocks.OperationLock = []WireDiskLock{}
	if d.InArrears {
		w.OperationLocks.OperationLock = append(w.OperationLocks.OperationLock, WireDiskLock{LockReason: string(openecs.LockFinancial)})
	}
	w.Attachments.Attachment = []WireAttachment{}
	w.MountInstances.MountInstance = []WireAttachment{}
	if d.Attached() {
		w.InstanceId, w.Device = d.InstanceID, d.Device
		w.Attachments.Attachment = append(w.Attachments.Attachment,
			WireAttachment{InstanceId: d.InstanceID, Device: d.Device, AttachedTime: wireSeconds(d.AttachedAt)})
	}
	return w
}

// DescribeDisksResponse is DescribeDisks' answer.
type DescribeDisksResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	NextToken  string `json:"NextToken" xml:"NextToken"`
	Disks      struct {
		Disk []WireDisk `json:"Disk" xml:"Disk"`
	} `json:"Disks" xml:"Disks"`
}

// describeDisks answers DescribeDisks. Errors: MissingParameter (RegionId),
// InvalidRegionId.NotFound, InvalidZoneId.NotFound (400),
// InvalidParameter.DiskIds (not a JSON array), InvalidDiskIds.Malformed
// (more than 100), InvalidDiskType.ValueNotSupported,
// InvalidCategory.ValueNotSupported, InvalidStatus.ValueNotSupported,
// InvalidParameter (paging, booleans), InvalidTagKey.Malformed,
// DryRunOperation.
func describeDisks(c *Call) (any, error) {
	p := c.P
	f := openecs.DiskFilter{RegionID: c.region(true), ZoneID: p.Str("ZoneId"), InstanceID: p.Str("InstanceId"), Name: p.Str("DiskName")}
	if f.ZoneID != "" && p.Err() == nil {
		if z, ok := c.Svc().Catalog().Zone(f.ZoneID); !ok || z.RegionID != f.RegionID {
			p.Fail(openecs.ErrDiskZoneNotFound)
		}
	}
	if s := p.Str("DiskIds"); s != "" {
		var ids []string
		switch err := json.Unmarshal([]byte(s), &ids); {
		case err != nil:
			p.Fail(openecs.ErrDiskIDsMalformed)
		case len(ids) > 100:
			p.Fail(openecs.ErrDiskIDsTooMany)
		default:
			f.IDs = append([]string{}, ids...)
		}
	}
	switch t := p.Str("DiskType"); t {
	case "", "all":
	case "system":
		f.Types = []openecs.DiskType{openecs.DiskSystem}
	case "data":
		f.Types = []openecs.DiskType{openecs.DiskData, openecs.DiskLocal}
	default:
		p.Fail(openecs.ErrDiskTypeNotSupported)
	}
	if cat := p.Str("Category"); cat != "" && cat != "all" {
		if !contains(filterCategories, cat) {
			p.Fail(openecs.ErrDiskCategoryFilter)
		}
		f.Category = cat
	}
	if st := p.Str("Status"); st != "" && st != "All" {
		if !contains(filterStatuses, st) {
			p.Fail(openecs.ErrDiskStatusFilter)
		}
		f.Statuses = []openecs.DiskStatus{openecs.DiskStatus(st)}
	}
	f.Portable = optBool(p, "Portable")
	f.DeleteWithInstance = optBool(p, "DeleteWithInstance")
	if p.Bool("Encrypted", false) {
		yes := true
		f.Encrypted = &yes
	}
	f.Tags = tagFilter(p, openecs.ErrInvalidTagKey)
	f.KMSKeyID = p.Str("KMSKeyId")
	if p.Str("SnapshotId") != "" {
		f.IDs = []string{} // OpenECS has no snapshots: no disk was made from one
	}
	r := service.DescribeDisksRequest{PageNumber: 1, PageSize: 10}
	if p.Str("NextToken") != "" || p.Str("MaxResults") != "" {
		r.ByToken = true
		r.PageSize = p.Int("MaxResults", 10, 1, 500)
		if tok := p.Str("NextToken"); tok != "" {
			seq, err := strconv.ParseInt(tok, 16, 64)
			if err != nil || seq <= 0 {
				p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
			}
			f.AfterSeq = seq
		}
	} else {
		r.PageNumber = p.Int("PageNumber", 1, 1, 1<<30)
		r.PageSize = p.Int("PageSize", 10, 1, 100)
	}
	dry := p.Bool("DryRun", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if dry {
		return nil, openecs.ErrDryRunOperation
	}
	r.Filter = f
	page, err := c.Svc().DescribeDisks(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &DescribeDisksResponse{TotalCount: page.TotalCount, PageNumber: page.PageNumber, PageSize: page.PageSize}
	if page.NextSeq > 0 {
		out.NextToken = strconv.FormatInt(page.NextSeq, 16)
	}
	out.Disks.Disk = make([]WireDisk, 0, len(page.Disks))
	for i := range page.Disks {
		d := &page.Disks[i]
		out.Disks.Disk = append(out.Disks.Disk, wireDisk(d, page.Expires[d.ID]))
	}
	return out, nil
}

// diskName reads a DiskName: the rules of instance names,
// InvalidDiskName.Malformed.
func diskName(p *Params, param string) string {
	s := p.Str(param)
	if why := nameProblem(s); why != "" {
		p.Fail(openecs.ErrDiskNameMalformed.With("The specified parameter %q is not valid: %s.", param, why))
	}
	return s
}

// diskDescription reads a disk's Description: the rules of descriptions,
// with the disk actions' message.
func diskDescription(p *Params, param string) string {
	s := p.Str(param)
	if why := descriptionProblem(s); why != "" {
		p.Fail(openecs.ErrDiskDescMalformed.With("The specified parameter %q is not valid: %s.", param, why))
	}
	return s
}

// optBool reads a Boolean filter: nil when absent.
func optBool(p *Params, name string) *bool {
	if p.Str(name) == "" {
		return nil
	}
	v := p.Bool(name, false)
	return &v
}

// CreateDiskResponse is CreateDisk's answer.
type CreateDiskResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	DiskId    string `json:"DiskId" xml:"DiskId"`
	OrderId   string `json:"OrderId,omitempty" xml:"OrderId,omitempty"`
}

func createDisk(c *Call) (any, error) {
	p := c.P
	r := service.CreateDiskRequest{
		RegionID: c.region(true), ZoneID: p.Str("ZoneId"), InstanceID: p.Str("InstanceId"), SnapshotID: p.Str("SnapshotId"),
		Name: diskName(p, "DiskName"), Description: diskDescription(p, "Description"),
		Category: p.Str("DiskCategory"), PerformanceLevel: p.Str("PerformanceLevel"),
		Encrypted: p.Bool("Encrypted", false), KMSKeyID: p.Str("KMSKeyId"), ResourceGroupID: p.Str("ResourceGroupId"),
		Tags: p.Tags("Tag"), Idem: c.idem(),
	}
	if r.Category == "" {
		r.Category = "cloud"
	} else if !contains(diskCategories, r.Category) && p.Err() == nil {
		p.Fail(openecs.ErrDiskCategoryInvalid)
	}
	if r.PerformanceLevel != "" && !contains(performanceLevels, r.PerformanceLevel) {
		p.Fail(openecs.ErrPerformanceLevel)
	}
	if r.KMSKeyID != "" && !r.Encrypted {
		p.Fail(openecs.ErrEncryptedIllegal)
	}
	switch {
	case r.ZoneID != "" && r.InstanceID != "":
		p.Fail(openecs.ErrZoneInstanceConflict)
	case r.ZoneID == "" && r.InstanceID == "":
		p.Fail(openecs.Missing("ZoneId"))
	}
	switch {
	case p.Str("Size") != "":
		n, err := strconv.Atoi(p.Str("Size"))
		if err != nil {
			p.Fail(openecs.ErrDiskSizeInvalid)
		}
		r.SizeGiB = n
	case r.SnapshotID == "":
		p.Fail(openecs.ErrDiskSizeOrSnapshot)
	}
	if r.InstanceID != "" {
		// Made for an instance, the disk takes no tags, token or key of its own.
		r.Tags, r.Idem, r.KMSKeyID, r.ResourceGroupID = nil, service.Idem{}, "", ""
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	id, err := c.Svc().CreateDisk(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &CreateDiskResponse{DiskId: id}, nil
}

func attachDisk(c *Call) (any, error) {
	p := c.P
	r := service.AttachDiskRequest{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), DiskID: p.Required("DiskId"),
		DeleteWithInstance: p.Bool("DeleteWithInstance", false)}
	if p.Bool("Bootable", false) {
		p.Fail(openecs.Invalid("Bootable", "only a system disk detached from this instance can be attached as its system disk, and OpenECS does not detach system disks"))
	}
	p.Str("Device") // deprecated by the API: the device is chosen by the service
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().AttachDisk(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func detachDisk(c *Call) (any, error) {
	p := c.P
	r := service.DetachDiskRequest{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), DiskID: p.Required("DiskId")}
	p.Bool("DeleteWithInstance", false) // applies to system disks, which OpenECS does not detach
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DetachDisk(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func deleteDisk(c *Call) (any, error) {
	p := c.P
	region, id := c.region(false), p.Required("DiskId")
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteDisk(c.Ctx, c.Caller, region, id); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// modifyDiskAttribute answers ModifyDiskAttribute: DiskId, or DiskIds.N (up
// to 100), and any of DiskName, Description, DeleteWithInstance,
// DeleteAutoSnapshot, EnableAutoSnapshot, BurstingEnabled. Errors:
// MissingParameter (DiskId), InvalidDiskName.Malformed,
// InvalidDescription.Malformed, InvalidParameter, NoAttributeToModify, then
// the service's.
func modifyDiskAttribute(c *Call) (any, error) {
	p := c.P
	r := service.DiskAttributeChange{RegionID: c.region(false), DiskIDs: p.List("DiskIds", 100)}
	if id := p.Str("DiskId"); id != "" {
		r.DiskIDs = append([]string{id}, r.DiskIDs...)
	}
	if len(r.DiskIDs) == 0 {
		p.Fail(openecs.Missing("DiskId"))
	}
	if s := diskName(p, "DiskName"); s != "" {
		r.Name = &s
	}
	if s := diskDescription(p, "Description"); s != "" {
		r.Description = &s
	}
	r.DeleteWithInstance = optBool(p, "DeleteWithInstance")
	r.DeleteAutoSnapshot = optBool(p, "DeleteAutoSnapshot")
	r.EnableAutoSnapshot = optBool(p, "EnableAutoSnapshot")
	r.BurstingEnabled = optBool(p, "BurstingEnabled")
	if p.Err() == nil && r.Name == nil && r.Description == nil && r.DeleteWithInstance == nil && r.DeleteAutoSnapshot == nil &&
		r.EnableAutoSnapshot == nil && r.BurstingEnabled == nil {
		p.Fail(openecs.ErrNoAttributeToModify)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyDiskAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ResizeDiskResponse is ResizeDisk's answer.
type ResizeDiskResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	OrderId   string `json:"OrderId,omitempty" xml:"OrderId,omitempty"`
}

func resizeDisk(c *Call) (any, error) {
	p := c.P
	r := service.ResizeDiskRequest{RegionID: c.region(false), DiskID: p.Required("DiskId"), Idem: c.idem()}
	if p.Str("NewSize") == "" {
		p.Fail(openecs.Missing("NewSize"))
	}
	r.NewSize = p.Int("NewSize", 0, 1, 1<<20)
	r.Online = p.Enum("Type", "offline", "offline", "online") == "online"
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ResizeDisk(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &ResizeDiskResponse{}, nil
}
