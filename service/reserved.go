package service

import (
	"context"
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// Reserved instances, as implemented (docs/reserved-instances.md has the
// whole story):
//
//   - Price. The catalogue gives a yearly price Y per instance of a type. A
//     reserved instance of InstanceAmount n costs Y × n a year: All Upfront
//     pays all of it at purchase (and renewal), Partial Upfront half of it,
//     No Upfront nothing; the rest is a recurring fee, (Y × n − up front) /
//     8760 a year-hour rounded to the micro-yuan, charged at every billing
//     point whose hour lies in the term, used or not.
//   - Status. Active at once, or Creating until a future StartTime (a job
//     activates it). At ExpiredTime a job renews an auto-renewing one for its
//     AutoRenewPeriod if the account pays, else it becomes Expired.
//   - Coverage. At each billing point, before the instances are charged, each
//     reserved instance in its term and without locks charges up to
//     InstanceAmount matching billable pay-as-you-go instance-hours at zero,
//     oldest instance first; Zone-scope reserved instances go first, then
//     Region-scope ones, each by purchase order.

// reservedYears are the terms sold (Period, PeriodUnit Year).
var reservedYears = []int{1, 3}

// reservedAutoRenewMonths are the auto-renewal terms (AutoRenewPeriod).
var reservedAutoRenewMonths = []int{12, 36}

// ReservedPurchase is PurchaseReservedInstancesOffering.
type ReservedPurchase struct {
	RegionID        string
	ZoneID          string // required for Zone scope, ignored for Region scope
	Scope           string
	InstanceType    string
	Amount          int
	Platform        string
	OfferingType    string
	Period          int // years
	StartTime       time.Time
	AutoRenew       bool
	AutoRenewPeriod int // months
	Name            string
	Description     string
	ResourceGroupID string
	Tags            []openecs.Tag
	// ResourceOwnerAccount, when given, must be the caller's account id.
	ResourceOwnerAccount string
	Idem                 Idem
}

// ReservedOrder is the answer of a purchase or renewal.
type ReservedOrder struct {
	IDs     []string `json:"ids"`
	OrderID string   `json:"order_id"`
}

// PurchaseReservedInstances buys one reserved instance of Amount instances:
// it charges the up-front price, records an order and makes the reserved
// instance Active (Creating until a future StartTime).
//
// Errors, in check order: InvalidRegionId.NotFound,
// InvalidInstanceType.ValueNotSupported (unknown type, or one the zone does
// not sell), InvalidZoneId.NotFound, InvalidParameter.Conflict (a zone of
// another region), InvalidParameter.ResourceOwnerAccount, RegionUnauthorized,
// InvalidInstanceType.ValueUnauthorized, Account.Arrearage (in arrears),
// InsufficientBalance (the balance does not cover the up-front price),
// OperationDenied (sales suspended), Zone.NotOnSale (400: the region is not
// on sale; 403: the zone is not), Zone.NotOpen, OperationDenied.NoStock (Zone
// scope: fewer free slots than InstanceAmount), IdempotentParameterMismatch.
func (s *Service) PurchaseReservedInstances(ctx context.Context, c Caller, r ReservedPurchase) (*ReservedOrder, error) {
	out, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (ReservedOrder, error) {
		return s.purchaseReserved(tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) purchaseReserved(tx openecs.Tx, c Caller, r ReservedPurchase) (ReservedOrder, error) {
	now := tx.Now()
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return ReservedOrder{}, openecs.ErrRegionNotFound
	}
	itype, ok := s.cat.InstanceType(r.InstanceType)
	if !ok {
		return ReservedOrder{}, openecs.ErrInvalidInstanceType
	}
	zoneID := ""
	if _, ok := s.cat.FirstZoneFor(region.ID, itype.ID); !ok {
		return ReservedOrder{}, openecs.ErrInvalidInstanceType // no zone of the region sells it
	}
	if r.Scope == openecs.ScopeZone {
		z, ok := s.cat.Zone(r.ZoneID)
		if !ok {
			return ReservedOrder{}, openecs.ErrZoneNotFound
		}
		if z.RegionID != region.ID {
			return ReservedOrder{}, openecs.ErrParameterConflict
		}
		if !z.ZoneSells(itype.ID) {
			return ReservedOrder{}, openecs.ErrInvalidInstanceType
		}
		zoneID = z.ID
	}
	if err := checkOwnerAccount(c, r.ResourceOwnerAccount); err != nil {
		return ReservedOrder{}, err
	}
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return ReservedOrder{}, err
	}
	if err := mayBuy(acct, region.ID, itype.ID); err != nil {
		return ReservedOrder{}, err
	}
	start := now
	status := openecs.ReservedActive
	if r.StartTime.After(now) {
		start, status = r.StartTime, openecs.ReservedCreating
	}
	ri := &openecs.ReservedInstance{
		ID: openecs.NewResourceID("ecsri", region.Code), AccountID: c.AccountID, RegionID: region.ID, ZoneID: zoneID, Scope: r.Scope,
		InstanceType: itype.ID, Family: itype.Family, InstanceAmount: r.Amount, Platform: r.Platform, OfferingType: r.OfferingType,
		YearlyPrice: itype.ReservedYear, Name: r.Name, Description: r.Description, ResourceGroupID: r.ResourceGroupID,
		Status: status, AutoRenew: r.AutoRenew, AutoRenewPeriod: r.AutoRenewPeriod,
		CreatedAt: now, StartAt: start, ExpiredAt: start.AddDate(r.Period, 0, 0), Tags: r.Tags,
	}
	if !ri.AutoRenew {
		ri.AutoRenewPeriod = 0
	}
	price, err := ri.UpfrontPrice(r.Period)
	if err != nil {
		return ReservedOrder{}, err
	}
	fee, err := ri.HourlyFee()
	if err != nil {
		return ReservedOrder{}, err
	}
	if acct.InArrears {
		return ReservedOrder{}, openecs.ErrAccountArrearage
	}
	if acct.Balance < price {
		return ReservedOrder{}, openecs.ErrInsufficientBalance
	}
	if err := salesOpen(tx, region.ID, zoneID); err != nil {
		return ReservedOrder{}, err
	}
	if zoneID != "" {
		// A zonal reserved instance reserves capacity: the zone must have
		// that many free slots of the type now (it does not take them).
		if row, err := tx.Capacity(zoneID, itype.ID); err == nil {
			if row.Available != nil && *row.Available < r.Amount {
				return ReservedOrder{}, openecs.ErrNoStock
			}
		} else if !errors.Is(err, openecs.ErrNotFound) {
			return ReservedOrder{}, err
		}
	}
	if err := tx.InsertReservedInstance(ri); err != nil {
		return ReservedOrder{}, err
	}
	o, err := placeOrder(tx, c.AccountID, openecs.OrderReservedBuy, price, []string{ri.ID}, now, c.Action)
	if err != nil {
		return ReservedOrder{}, err
	}
	if err := event(tx, now, c.AccountID, openecs.EventReservedCreated, ri.ID, c.Action, map[string]any{
		"order_id": o.ID, "status": string(ri.Status), "instance_type": ri.InstanceType, "instance_amount": ri.InstanceAmount,
		"scope": ri.Scope, "zone_id": ri.ZoneID, "offering_type": ri.OfferingType, "start_time": openecs.WireTime(ri.StartAt),
		"expired_time": openecs.WireTime(ri.ExpiredAt), "hourly_fee": fee.String(),
	}); err != nil {
		return ReservedOrder{}, err
	}
	if ri.Status == openecs.ReservedCreating {
		if _, err := schedule(tx, ri.ID, ri.StartAt, reservedActivateArgs{At: openecs.Millis(ri.StartAt)}); err != nil {
			return ReservedOrder{}, err
		}
	}
	if err := scheduleReservedExpiry(tx, ri); err != nil {
		return ReservedOrder{}, err
	}
	return ReservedOrder{IDs: []string{ri.ID}, OrderID: o.ID}, nil
}

// checkOwnerAccount answers InvalidParameter.ResourceOwnerAccount when the
// call names a resource owner other than the caller's account.
func checkOwnerAccount(c Caller, owner string) error {
	if owner != "" && owner != c.AccountID {
		return openecs.ErrResourceOwnerAccount
	}
	return nil
}

// mayBuy applies the account's admin switches.
func mayBuy(a *openecs.Account, regionID, instanceType string) error {
	if !a.MayUseRegion(regionID) {
		return openecs.ErrRegionUnauthorized.With("You are not authorized to buy reserved instances in the region %s.", regionID)
	}
	if !a.MayUseInstanceType(instanceType) {
		return openecs.ErrInstanceTypeUnauth
	}
	return nil
}

// salesOpen applies the sales switches (PUT /admin/v1/sales) of the region
// and, for a zonal reserved instance, of its zone: the region's first.
func salesOpen(r openecs.Reader, regionID, zoneID string) error {
	st, err := r.SalesState(regionID, "")
	if err != nil && !errors.Is(err, openecs.ErrNotFound) {
		return err
	}
	if err == nil {
		switch st.State {
		case openecs.SalesSuspended:
			return openecs.ErrOperationDeniedSales
		case openecs.SalesNotOnSale:
			return openecs.ErrZoneNotOnSale400.With("Reserved instances are not on sale in any zone of the region %s.", regionID)
		case openecs.SalesNotOpen:
			return openecs.ErrZoneNotOpen
		}
	}
	if zoneID == "" {
		return nil
	}
	st, err = r.SalesState(regionID, zoneID)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch st.State {
	case openecs.SalesSuspended:
		return openecs.ErrOperationDeniedSales
	case openecs.SalesNotOnSale:
		return openecs.ErrZoneNotOnSale
	case openecs.SalesNotOpen:
		return openecs.ErrZoneNotOpen
	}
	return nil
}

// ownReserved loads a reserved instance of the caller in the region; another
// account's, another region's or an unknown id does not exist for the caller.
func ownReserved(r openecs.Reader, c Caller, id, regionID string) (*openecs.ReservedInstance, error) {
	ri, err := r.ReservedInstance(id)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil, openecs.ErrReservedNotFound.With("The specified ReservedInstanceId %q does not exist.", id)
	}
	if err != nil {
		return nil, err
	}
	if ri.AccountID != c.AccountID || (regionID != "" && ri.RegionID != regionID) {
		return nil, openecs.ErrReservedNotFound.With("The specified ReservedInstanceId %q does not exist.", id)
	}
	return ri, nil
}

// ReservedPage is one page of DescribeReservedInstances.
type ReservedPage struct {
	Items      []*openecs.ReservedInstance
	TotalCount int
	PageNumber int
	PageSize   int
}

// DescribeReservedInstances returns one page of the caller's reserved
// instances that the filter selects, oldest purchase first.
func (s *Service) DescribeReservedInstances(ctx context.Context, c Caller, f openecs.ReservedFilter, pageNumber, pageSize int) (*ReservedPage, error) {
	f.AccountID = c.AccountID
	page := &ReservedPage{PageNumber: pageNumber, PageSize: pageSize}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		n, err := r.CountReservedInstances(f)
		if err != nil {
			return err
		}
		page.TotalCount = n
		f.Limit, f.Offset = pageSize, (pageNumber-1)*pageSize
		page.Items, err = r.ReservedInstances(f)
		return err
	})
	return page, err
}

// ReservedAutoRenewAttributes returns the caller's reserved instances in the
// region (the given ids, or all of them), for
// DescribeReservedInstanceAutoRenewAttribute.
//
// Errors: InvalidReservedInstanceId.NotFound.
func (s *Service) ReservedAutoRenewAttributes(ctx context.Context, c Caller, regionID string, ids []string) ([]*openecs.ReservedInstance, error) {
	var out []*openecs.ReservedInstance
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out = nil
		if len(ids) == 0 {
			var err error
			out, err = r.ReservedInstances(openecs.ReservedFilter{AccountID: c.AccountID, RegionID: regionID})
			return err
		}
		for _, id := range dedupe(ids) {
			ri, err := ownReserved(r, c, id, regionID)
			if err != nil {
				return err
			}
			out = append(out, ri)
		}
		return nil
	})
	return out, err
}

// ReservedInstance returns any reserved instance, for the admin API.
func (s *Service) ReservedInstance(ctx context.Context, id string) (*openecs.ReservedInstance, error) {
	var ri *openecs.ReservedInstance
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		ri, err = r.ReservedInstance(id)
		return err
	})
	return ri, err
}
