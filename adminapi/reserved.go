package adminapi

import (
	"github.com/openecs/openecs"
)

// SetSales is the body of PUT /admin/v1/sales: the sales state of a region
// or, with ZoneID, of a zone.
type SetSales struct {
	RegionID string `json:"region_id"`
	ZoneID   string `json:"zone_id,omitempty"`
	State    string `json:"state"` // on_sale, suspended, not_on_sale or not_open
}

// SalesState answers PUT /admin/v1/sales and is an item of Sales. ZoneID is
// "" for a region's state.
type SalesState struct {
	RegionID  string `json:"region_id"`
	State     string `json:"state"`
	UpdatedAt Time   `json:"updated_at"`
	ZoneID    string `json:"zone_id"`
}

// SalesStateFrom is the wire form of a sales state.
func SalesStateFrom(s openecs.SalesState) SalesState {
	return SalesState{RegionID: s.RegionID, State: s.State, UpdatedAt: At(s.UpdatedAt), ZoneID: s.ZoneID}
}

// Sales answers GET /admin/v1/sales: the regions and zones whose sales are
// not open.
type Sales struct {
	Sales []SalesState `json:"sales"`
}

// ReservedInstance answers GET /admin/v1/reserved-instances/{id} and the
// lock calls on it: everything about a reserved instance.
type ReservedInstance struct {
	AccountID          string                 `json:"account_id"`
	AutoRenew          bool                   `json:"auto_renew"`
	AutoRenewPeriod    int                    `json:"auto_renew_period"`
	CreatedAt          Time                   `json:"created_at"`
	Description        string                 `json:"description"`
	ExpiredAt          Time                   `json:"expired_at"`
	HourlyFee          openecs.Money          `json:"hourly_fee"`
	InstanceAmount     int                    `json:"instance_amount"`
	InstanceType       string                 `json:"instance_type"`
	Locks              []openecs.LockReason   `json:"locks"`
	Name               string                 `json:"name"`
	OfferingType       string                 `json:"offering_type"`
	Platform           string                 `json:"platform"`
	RegionID           string                 `json:"region_id"`
	ReservedInstanceID string                 `json:"reserved_instance_id"`
	Scope              string                 `json:"scope"`
	StartAt            Time                   `json:"start_at"`
	Status             openecs.ReservedStatus `json:"status"`
	Tags               map[string]string      `json:"tags"` // never null; keys are the user's tag keys
	Version            int64                  `json:"version"`
	YearlyPrice        openecs.Money          `json:"yearly_price"`
	ZoneID             string                 `json:"zone_id"`
}

// ReservedInstanceFrom is the wire form of a reserved instance; it fails
// only if its hourly fee is out of Money's range.
func ReservedInstanceFrom(ri *openecs.ReservedInstance) (ReservedInstance, error) {
	fee, err := ri.HourlyFee()
	if err != nil {
		return ReservedInstance{}, err
	}
	tags := make(map[string]string, len(ri.Tags))
	for _, t := range ri.Tags {
		tags[t.Key] = t.Value
	}
	return ReservedInstance{AccountID: ri.AccountID, AutoRenew: ri.AutoRenew, AutoRenewPeriod: ri.AutoRenewPeriod,
		CreatedAt: At(ri.CreatedAt), Description: ri.Description, ExpiredAt: At(ri.ExpiredAt), HourlyFee: fee,
		InstanceAmount: ri.InstanceAmount, InstanceType: ri.InstanceType, Locks: locks(ri.Locks), Name: ri.Name,
		OfferingType: ri.OfferingType, Platform: ri.Platform, RegionID: ri.RegionID, ReservedInstanceID: ri.ID, Scope: ri.Scope,
		StartAt: At(ri.StartAt), Status: ri.Status, Tags: tags, Version: ri.Version, YearlyPrice: ri.YearlyPrice,
		ZoneID: ri.ZoneID}, nil
}
