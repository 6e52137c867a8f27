package openecs

// Disks (docs/disks.md). Every instance has a system disk and the data disks
// it was created with (DataDisk.N), plus one local disk per local-storage
// slot of its type; CreateDisk makes pay-as-you-go data disks on their own,
// which AttachDisk and DetachDisk move between the instances of their zone.
//
//   - A disk attached to an instance has its InstanceID and a Device; an
//     Available disk has neither.
//   - System disks and local disks are not Portable: they live and die with
//     their instance. Data disks are Portable unless they are paid up front
//     with a subscription instance.
//   - Releasing an instance releases its disks whose DeleteWithInstance is
//     set (all of them if the instance is locked for security reasons); the
//     others are detached and become Available.

// DiskTransition is one attach or detach step: the disk shows Via at once
// and To after the service's transition delay.
type DiskTransition struct {
	Via DiskStatus
	To  DiskStatus
}

// The disk transitions.
var (
	DiskAttach = DiskTransition{Via: DiskAttaching, To: DiskInUse}
	DiskDetach = DiskTransition{Via: DiskDetaching, To: DiskAvailable}
)

// WireType is the disk's Type as DescribeDisks shows it: local disks are
// data disks there.
func (d *Disk) WireType() string {
	if d.Type == DiskSystem {
		return string(DiskSystem)
	}
	return string(DiskData)
}

// Attached reports whether the disk is attached to an instance (including
// while it attaches or detaches).
func (d *Disk) Attached() bool { return d.InstanceID != "" }

// MaxDataDisks is how many data disks (cloud and local) one instance may have
// attached.
const MaxDataDisks = 16

// DiskSizeRange is the size range in GiB a category allows for a data disk
// (and an ESSD performance level, "" for the others); ok is false for a
// category that cannot be made as a data disk.
func DiskSizeRange(category, performanceLevel string) (min, max int, ok bool) {
	switch category {
	case "cloud":
		return 5, 2000, true
	case "cloud_efficiency", "cloud_ssd":
		return 20, 32768, true
	case "cloud_essd":
		switch performanceLevel {
		case "PL0":
			return 1, 65536, true
		case "PL2":
			return 461, 65536, true
		case "PL3":
			return 1261, 65536, true
		}
		return 20, 65536, true
	case "cloud_auto":
		return 1, 65536, true
	case "cloud_essd_entry":
		return 10, 32768, true
	}
	return 0, 0, false
}

// MaxSystemDiskGiB is the largest system disk.
const MaxSystemDiskGiB = 2048

// DiskFilter selects disks (DescribeDisks). Zero fields do not filter,
// except IDs: a non-nil empty IDs matches nothing (DiskIds=[]).
type DiskFilter struct {
	AccountID          string
	RegionID           string
	ZoneID             string
	IDs                []string
	InstanceID         string
	Types              []DiskType // system; data and local
	Category           string
	Statuses           []DiskStatus
	Name               string
	Portable           *bool
	DeleteWithInstance *bool
	Encrypted          *bool
	KMSKeyID           string
	Tags               []Tag // Value "" matches any value of the key
	AfterSeq           int64 // keyset paging: only Seq > AfterSeq
	Offset             int
	Limit              int // 0: no limit
}

// DiskReader holds the disk listing methods.
type DiskReader interface {
	// ListDisks lists the disks the filter selects, in Seq order.
	ListDisks(f DiskFilter) ([]Disk, error)
	// CountDisks counts them, ignoring AfterSeq, Offset and Limit.
	CountDisks(f DiskFilter) (int, error)
}

// DiskWriter holds the disk write methods beyond InsertDisk and UpdateDisk.
type DiskWriter interface {
	// DeleteDisk removes a disk and its tags; ErrNotFound if there was none.
	DeleteDisk(id string) error
}

// UserDataReader reads instances' user data, kept apart from the instance
// row (it may be 32 KB, and no listing needs it).
type UserDataReader interface {
	// UserData returns the instance's user data as it was given (base64);
	// "" if none was set.
	UserData(instanceID string) (string, error)
}

// UserDataWriter writes it.
type UserDataWriter interface {
	// PutUserData sets (or, with "", removes) the instance's user data.
	PutUserData(instanceID, data string) error
}

// Event kinds of disks, instance attributes and instance changes.
const (
	EventDiskCreated      EventKind = "disk.created"
	EventDiskAttached     EventKind = "disk.attached"
	EventDiskDetached     EventKind = "disk.detached"
	EventDiskStatus       EventKind = "disk.status"
	EventDiskResized      EventKind = "disk.resized"
	EventDiskDeleted      EventKind = "disk.deleted"
	EventDiskModified     EventKind = "disk.modified"
	EventInstanceModified EventKind = "instance.modified"
	EventInstanceSpec     EventKind = "instance.spec_changed"
	EventInstanceCharge   EventKind = "instance.charge_type_changed"
	EventTagsChanged      EventKind = "tags.changed"
)

// OrderInstanceConvert is the order of a charge-type change: the
// subscription price (PostPaid → PrePaid) or a refund, negative (PrePaid →
// PostPaid).
const OrderInstanceConvert OrderKind = "instance.convert"

// OrderInstanceModify is the order of a subscription's type change
// (ModifyPrepayInstanceSpec): the price difference for the time left, or a
// refund, negative, for a downgrade.
const OrderInstanceModify OrderKind = "instance.modify"

// MaintenanceWindow is a daily window (UTC times of day) in which the
// instance may be maintained.
type MaintenanceWindow struct {
	Start string `json:"start"` // HH:mm:ssZ
	End   string `json:"end"`
}

// Maintenance is what ModifyInstanceMaintenanceAttributes sets. The zero
// value is an instance's default: no window, action AutoRecover, no notice.
type Maintenance struct {
	Windows []MaintenanceWindow `json:"windows,omitempty"`
	Action  string              `json:"action,omitempty"` // "" is the default, AutoRecover
	Notify  bool                `json:"notify,omitempty"`
}

// MaintenanceActions are the ActionOnMaintenance values.
var MaintenanceActions = []string{"Stop", "AutoRecover", "AutoRedeploy"}

// DefaultMaintenanceAction is the action of an instance nobody set one for.
const DefaultMaintenanceAction = "AutoRecover"
