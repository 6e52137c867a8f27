package adminapi

import (
	"encoding/json"
	"strconv"

	"github.com/openecs/openecs"
)

// The controls of the failure cases: quotas, spot prices, disks, KMS keys.

// SetQuota is the body of PUT /admin/v1/quotas: {"account_id", "region_id",
// "zone_id", "vcpus"} or {"account_id", "region_id", "instance_type",
// "instances"}. The limit is a JSON integer, or null to remove the quota;
// QuotaLimit writes either.
type SetQuota struct {
	AccountID    string          `json:"account_id"`
	RegionID     string          `json:"region_id"`
	ZoneID       string          `json:"zone_id,omitempty"`
	InstanceType string          `json:"instance_type,omitempty"`
	VCPUs        json.RawMessage `json:"vcpus,omitempty"`
	Instances    json.RawMessage `json:"instances,omitempty"`
}

// QuotaLimit is a quota limit for SetQuota: n, or null (remove) for nil.
func QuotaLimit(n *int) json.RawMessage {
	if n == nil {
		return json.RawMessage("null")
	}
	return strconv.AppendInt(nil, int64(*n), 10)
}

// Quota is a quota with its usage: the answer of PUT /admin/v1/quotas and
// an item of Quotas. A vCPU quota has ZoneID and VCPUs, an instance quota
// InstanceType and Instances; the other two are absent.
type Quota struct {
	AccountID    string `json:"account_id"`
	InstanceType string `json:"instance_type,omitempty"`
	Instances    *int   `json:"instances,omitempty"`
	RegionID     string `json:"region_id"`
	UpdatedAt    Time   `json:"updated_at"`
	Used         int    `json:"used"`
	VCPUs        *int   `json:"vcpus,omitempty"`
	ZoneID       string `json:"zone_id,omitempty"`
}

// QuotaFrom is the wire form of a quota and how much of it is used.
func QuotaFrom(q openecs.Quota, used int) Quota {
	out := Quota{AccountID: q.AccountID, RegionID: q.RegionID, UpdatedAt: At(q.UpdatedAt), Used: used}
	limit := q.Limit
	if q.Kind == openecs.QuotaVCPUs {
		out.ZoneID, out.VCPUs = q.Scope, &limit
	} else {
		out.InstanceType, out.Instances = q.Scope, &limit
	}
	return out
}

// QuotaDeleted answers PUT /admin/v1/quotas with a null limit: the quota is
// gone. It names the zone (vCPU quota) or the instance type.
type QuotaDeleted struct {
	AccountID    string `json:"account_id"`
	Deleted      bool   `json:"deleted"`
	InstanceType string `json:"instance_type,omitempty"`
	RegionID     string `json:"region_id"`
	ZoneID       string `json:"zone_id,omitempty"`
}

// Quotas answers GET /admin/v1/quotas[?account_id=&region_id=].
type Quotas struct {
	Quotas []Quota `json:"quotas"`
}

// SetSpotPrice is the body of PUT /admin/v1/spot-prices; a null Price
// restores the default.
type SetSpotPrice struct {
	ZoneID       string         `json:"zone_id"`
	InstanceType string         `json:"instance_type"`
	Price        *openecs.Money `json:"price"`
}

// SpotPrice is the spot price of a zone/type from At on.
type SpotPrice struct {
	At           Time          `json:"at"`
	InstanceType string        `json:"instance_type"`
	Price        openecs.Money `json:"price"`
	ZoneID       string        `json:"zone_id"`
}

// SpotPriceFrom is the wire form of a spot price.
func SpotPriceFrom(p openecs.SpotPrice) SpotPrice {
	return SpotPrice{At: At(p.At), InstanceType: p.InstanceType, Price: p.Price, ZoneID: p.ZoneID}
}

// SpotPrices answers GET /admin/v1/spot-prices: the prices set.
type SpotPrices struct {
	SpotPrices []SpotPrice `json:"spot_prices"`
}

// SpotPriceChange answers PUT /admin/v1/spot-prices: the new price and the
// running spot instances it locked for recycling.
type SpotPriceChange struct {
	At           Time          `json:"at"`
	InstanceType string        `json:"instance_type"`
	Price        openecs.Money `json:"price"`
	Reclaimed    []string      `json:"reclaimed"`
	ZoneID       string        `json:"zone_id"`
}

// SpotPriceHistory answers GET /admin/v1/spot-prices/{zone_id}/{instance_type}
// [?since=RFC3339&limit=N]: the current price (Default if it was never set)
// and the history of the prices set.
type SpotPriceHistory struct {
	At           Time          `json:"at"`
	Default      bool          `json:"default"`
	History      []SpotPrice   `json:"history"`
	InstanceType string        `json:"instance_type"`
	Price        openecs.Money `json:"price"`
	ZoneID       string        `json:"zone_id"`
}

// Disk answers GET and PATCH /admin/v1/disks/{disk_id}.
type Disk struct {
	AccountID  string             `json:"account_id"`
	Category   string             `json:"category"`
	CreatedAt  Time               `json:"created_at"`
	DiskID     string             `json:"disk_id"`
	Encrypted  bool               `json:"encrypted"`
	Failed     bool               `json:"failed"`
	InArrears  bool               `json:"in_arrears"`
	InstanceID string             `json:"instance_id"`
	KMSKeyID   string             `json:"kms_key_id"`
	SizeGiB    int                `json:"size_gib"`
	Status     openecs.DiskStatus `json:"status"`
	Type       openecs.DiskType   `json:"type"`
}

// DiskFrom is the wire form of a disk.
func DiskFrom(d *openecs.Disk) Disk {
	return Disk{AccountID: d.AccountID, Category: d.Category, CreatedAt: At(d.CreatedAt), DiskID: d.ID, Encrypted: d.Encrypted,
		Failed: d.Failed, InArrears: d.InArrears, InstanceID: d.InstanceID, KMSKeyID: d.KMSKeyID, SizeGiB: d.SizeGiB,
		Status: d.Status, Type: d.Type}
}

// DiskPatch is the body of PATCH /admin/v1/disks/{disk_id}: any of status,
// in_arrears and (local disks only) failed.
type DiskPatch struct {
	Status    *openecs.DiskStatus `json:"status,omitempty"`
	InArrears *bool               `json:"in_arrears,omitempty"`
	Failed    *bool               `json:"failed,omitempty"`
}

// KMSKeyPatch is the optional body of PUT /admin/v1/kms-keys/{key_id}: a
// new key is Enabled, authorised and unrestricted unless it says otherwise;
// an AccountID of "" lifts the restriction.
type KMSKeyPatch struct {
	State         *openecs.KMSKeyState `json:"state,omitempty"`
	ECSAuthorized *bool                `json:"ecs_authorized,omitempty"`
	AccountID     *string              `json:"account_id,omitempty"`
}

// KMSKey answers GET and PUT /admin/v1/kms-keys/{key_id}.
type KMSKey struct {
	AccountID     string              `json:"account_id"`
	CreatedAt     Time                `json:"created_at"`
	ECSAuthorized bool                `json:"ecs_authorized"`
	KeyID         string              `json:"key_id"`
	State         openecs.KMSKeyState `json:"state"`
	UpdatedAt     Time                `json:"updated_at"`
}

// KMSKeyFrom is the wire form of a KMS key.
func KMSKeyFrom(k *openecs.KMSKey) KMSKey {
	return KMSKey{AccountID: k.AccountID, CreatedAt: At(k.CreatedAt), ECSAuthorized: k.ECSAuthorized, KeyID: k.ID, State: k.State,
		UpdatedAt: At(k.UpdatedAt)}
}

// KMSKeys answers GET /admin/v1/kms-keys.
type KMSKeys struct {
	KMSKeys []KMSKey `json:"kms_keys"`
}

// KMSKeyDeleted answers DELETE /admin/v1/kms-keys/{key_id}.
type KMSKeyDeleted struct {
	Deleted bool   `json:"deleted"`
	KeyID   string `json:"key_id"`
}
