package service

import (
	"fmt"
	"slices"
	"time"

	"github.com/openecs/openecs"
)

// plannedDisk is a disk an instance is about to be created with, from its
// SystemDisk or DataDisk.N. Ids, owner, place and times are filled in when
// the instance is stored (insertInstanceDisks).
func plannedDisk(typ openecs.DiskType, d DiskSpec) openecs.Disk {
	dwi := true
	if typ == openecs.DiskData && d.DeleteWithInstance != nil {
		dwi = *d.DeleteWithInstance
	}
	pl := d.PerformanceLevel
	if d.Category == "cloud_essd" && pl == "" {
		pl = "PL1"
	}
	if d.Category != "cloud_essd" {
		pl = ""
	}
	return openecs.Disk{Type: typ, Category: d.Category, SizeGiB: d.SizeGiB, Encrypted: d.Encrypted || d.KMSKeyID != "", KMSKeyID: d.KMSKeyID,
		Name: d.Name, Description: d.Description, PerformanceLevel: pl, DeleteWithInstance: dwi}
}

// insertInstanceDisks stores the disks of a new instance, attached to it:
// the system disk first (/dev/xvda), then the data disks and local disks
// (/dev/xvdb on). Data disks of a pay-as-you-go instance are portable; a
// subscription's disks are paid with it and are not.
func insertInstanceDisks(tx openecs.Tx, in *openecs.Instance, regionCode string, disks []openecs.Disk, now time.Time) error {
	var used []string
	for _, d := range disks {
		d.ID = openecs.NewResourceID("d", regionCode)
		d.InstanceID, d.AccountID, d.RegionID, d.ZoneID = in.ID, in.AccountID, in.RegionID, in.ZoneID
		d.Status, d.CreatedAt, d.AttachedAt, d.ChargeType = openecs.DiskInUse, now, now, in.ChargeType
		d.Portable = d.Type == openecs.DiskData && in.ChargeType == openecs.PostPaid
		if d.Type == openecs.DiskSystem {
			d.ImageID = in.ImageID
		}
		if d.Type == openecs.DiskLocal {
			d.DeleteWithInstance = true
		}
		d.Device = nextDevice(d.Type, used)
		used = append(used, d.Device)
		if err := tx.InsertDisk(&d); err != nil {
			return err
		}
	}
	return nil
}

// nextDevice is the device name a disk gets on an instance whose disks use
// the names in used: /dev/xvda for the system disk, the first free one from
// /dev/xvdb for the others.
func nextDevice(typ openecs.DiskType, used []string) string {
	if typ == openecs.DiskSystem {
		return "/dev/xvda"
	}
	for c := 'b'; c <= 'z'; c++ {
		name := fmt.Sprintf("/dev/xvd%c", c)
		if !slices.Contains(used, name) {
			return name
		}
	}
	for c := 'a'; c <= 'z'; c++ {
		name := fmt.Sprintf("/dev/xvda%c", c)
		if !slices.Contains(used, name) {
			return name
		}
	}
	return ""
}
