package rpc

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// ReservedIDSet is a {"ReservedInstanceId": [...]} wrapper.
type ReservedIDSet struct {
	ReservedInstanceId []string `json:"ReservedInstanceId" xml:"ReservedInstanceId"`
}

func reservedIDSet(ids []string) ReservedIDSet {
	return ReservedIDSet{ReservedInstanceId: append([]string{}, ids...)}
}

// PurchaseReservedInstancesOfferingResponse is the purchase's answer, in the
// SDK's field order.
type PurchaseReservedInstancesOfferingResponse struct {
	RequestId              string        `json:"RequestId" xml:"RequestId"`
	OrderId                string        `json:"OrderId" xml:"OrderId"`
	ReservedInstanceIdSets ReservedIDSet `json:"ReservedInstanceIdSets" xml:"ReservedInstanceIdSets"`
}

// RenewReservedInstancesResponse is the renewal's answer, in the order of the
// seed's examples: ReservedInstanceIdSets, OrderId, RequestId.
type RenewReservedInstancesResponse struct {
	ReservedInstanceIdSets ReservedIDSet `json:"ReservedInstanceIdSets" xml:"ReservedInstanceIdSets"`
	OrderId                string        `json:"OrderId" xml:"OrderId"`
	RequestId              string        `json:"RequestId" xml:"RequestId"`
}

// reservedPeriod reads Period (years): 1 or 3, default 1.
func reservedPeriod(p *Params) int {
	s := p.Str("Period")
	if s == "" {
		return 1
	}
	n, err := strconv.Atoi(s)
	if err != nil || !service.ReservedYearsValid(n) {
		p.Fail(openecs.ErrInvalidRIPeriod)
		return 1
	}
	return n
}

// reservedAutoRenew reads AutoRenew and AutoRenewPeriod (months: 12 or 36,
// default 12); the period is read only when AutoRenew is true, as the API
// says it takes effect only then.
func reservedAutoRenew(p *Params) (bool, int) {
	on := p.Bool("AutoRenew", false)
	if !on {
		return false, 0
	}
	s := p.Str("AutoRenewPeriod")
	if s == "" {
		return true, 12
	}
	n, err := strconv.Atoi(s)
	if err != nil || !service.AutoRenewMonthsValid(n) {
		p.Fail(openecs.ErrInvalidAutoRenewPeriod)
		return true, 12
	}
	return true, n
}

// autoPay refuses AutoPay=false: OpenECS pays every order from the balance at
// once and has no unpaid orders, a billing method it does not support.
func autoPay(p *Params) {
	if !p.Bool("AutoPay", true) {
		p.Fail(openecs.ErrInvalidChargeType)
	}
}

// reservedText checks a name or description: min–max characters, not a URL;
// a name also starts with a letter.
func reservedText(p *Params, name string, min, max int, letterFirst bool) string {
	s := p.Str(name)
	if s == "" {
		return ""
	}
	n := utf8.RuneCountInString(s)
	first, _ := utf8.DecodeRuneInString(s)
	l := strings.ToLower(s)
	switch {
	case n < min || n > max:
		p.Fail(openecs.Invalid(name, "it must be "+strconv.Itoa(min)+" to "+strconv.Itoa(max)+" characters long"))
	case strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://"):
		p.Fail(openecs.Invalid(name, "it cannot start with http:// or https://"))
	case letterFirst && !unicode.IsLetter(first):
		p.Fail(openecs.Invalid(name, "it must start with a letter"))
	}
	return s
}

func purchaseReservedInstancesOffering(c *Call) (any, error) {
	p := c.P
	r := service.ReservedPurchase{RegionID: c.region(true), InstanceType: p.Required("InstanceType")}
	r.Scope = p.Enum("Scope", openecs.ScopeRegion, openecs.ScopeRegion, openecs.ScopeZone)
	r.ZoneID = p.Str("ZoneId")
	if r.Scope == openecs.ScopeZone && r.ZoneID == "" {
		p.Fail(openecs.Missing("ZoneId"))
	}
	r.Amount = p.Int("InstanceAmount", 1, 1, 50)
	r.Platform = p.Enum("Platform", openecs.PlatformLinux, openecs.PlatformLinux, openecs.PlatformWindows)
	r.OfferingType = p.Str("OfferingType")
	if r.OfferingType == "" {
		r.OfferingType = openecs.AllUpfront
	} else if !contains(openecs.OfferingTypes, r.OfferingType) {
		p.Fail(openecs.ErrInvalidChargeType.With("ChargeType is not valid: the specified parameter OfferingType must be No Upfront, Partial Upfront or All Upfront."))
	}
	r.Period = reservedPeriod(p)
	periodUnit(p, "Year", "Year")
	r.StartTime = p.Time("StartTime")
	if !r.StartTime.IsZero() {
		if now, err := c.Svc().Now(c.Ctx); err != nil {
			return nil, err
		} else if r.StartTime.Before(now.Truncate(time.Minute)) {
			p.Fail(openecs.Invalid("StartTime", "it must not be in the past"))
		}
	}
	r.AutoRenew, r.AutoRenewPeriod = reservedAutoRenew(p)
	r.Name = reservedText(p, "ReservedInstanceName", 2, 128, true)
	r.Description = reservedText(p, "Description", 2, 256, false)
	r.ResourceGroupID = p.Str("ResourceGroupId")
	r.Tags = p.Tags("Tag")
	r.Idem = c.idem()
	autoPay(p)
	r.ResourceOwnerAccount = p.Str("ResourceOwnerAccount")
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().PurchaseReservedInstances(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &PurchaseReservedInstancesOfferingResponse{OrderId: res.OrderID, ReservedInstanceIdSets: reservedIDSet(res.IDs)}, nil
}

func renewReservedInstances(c *Call) (any, error) {
	p := c.P
	r := service.ReservedRenewal{RegionID: c.region(true)}
	r.IDs = p.List("ReservedInstanceId", 10)
	if len(r.IDs) == 0 {
		p.Fail(openecs.Missing("ReservedInstanceId.1"))
	}
	r.Period = reservedPeriod(p)
	periodUnit(p, "Year", "Year")
	r.AutoRenew, r.AutoRenewPeriod = reservedAutoRenew(p)
	r.Idem = c.idem()
	autoPay(p)
	r.ResourceOwnerAccount = p.Str("ResourceOwnerAccount")
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().RenewReservedInstances(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &RenewReservedInstancesResponse{ReservedInstanceIdSets: reservedIDSet(res.IDs), OrderId: res.OrderID}, nil
}

func modifyReservedInstanceAutoRenewAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ReservedAutoRenewChange{RegionID: c.region(true)}
	r.IDs = p.List("ReservedInstanceId", 100)
	if len(r.IDs) == 0 {
		p.Fail(openecs.Missing("ReservedInstanceId.1"))
	}
	r.RenewalStatus = p.Enum("RenewalStatus", "", "AutoRenewal", "Normal")
	unit := periodUnit(p, "Year", "Year", "Month")
	if s := p.Str("Period"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			p.Fail(openecs.ErrInvalidRIPeriod)
		case unit == "Year" && service.ReservedYearsValid(n):
			r.Months = 12 * n
		case unit == "Month" && service.AutoRenewMonthsValid(n):
			r.Months = n
		default:
			p.Fail(openecs.ErrInvalidRIPeriod.With("The specified parameter Period is not valid: 1 or 3 with PeriodUnit Year, 12 or 36 with PeriodUnit Month."))
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyReservedAutoRenew(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DescribeReservedInstanceAutoRenewAttributeResponse lists auto-renewal
// settings.
type DescribeReservedInstanceAutoRenewAttributeResponse struct {
	RequestId                       string `json:"RequestId" xml:"RequestId"`
	ReservedInstanceRenewAttributes struct {
		ReservedInstanceRenewAttribute []WireReservedRenewAttribute `json:"ReservedInstanceRenewAttribute" xml:"ReservedInstanceRenewAttribute"`
	} `json:"ReservedInstanceRenewAttributes" xml:"ReservedInstanceRenewAttributes"`
}

// WireReservedRenewAttribute is one reserved instance's auto-renewal setting;
// Duration is in PeriodUnit (Year).
type WireReservedRenewAttribute struct {
	PeriodUnit         string `json:"PeriodUnit" xml:"PeriodUnit"`
	Duration           int    `json:"Duration" xml:"Duration"`
	ReservedInstanceId string `json:"ReservedInstanceId" xml:"ReservedInstanceId"`
	RenewalStatus      string `json:"RenewalStatus" xml:"RenewalStatus"`
}

func describeReservedInstanceAutoRenewAttribute(c *Call) (any, error) {
	region := c.region(true)
	ids := c.P.List("ReservedInstanceId", 100)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	ris, err := c.Svc().ReservedAutoRenewAttributes(c.Ctx, c.Caller, region, ids)
	if err != nil {
		return nil, err
	}
	out := &DescribeReservedInstanceAutoRenewAttributeResponse{}
	out.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute = make([]WireReservedRenewAttribute, 0, len(ris))
	for _, ri := range ris {
		a := WireReservedRenewAttribute{PeriodUnit: "Year", Duration: max(ri.AutoRenewPeriod/12, 1), ReservedInstanceId: ri.ID, RenewalStatus: "Normal"}
		if ri.AutoRenew {
			a.RenewalStatus = "AutoRenewal"
		}
		out.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute = append(out.ReservedInstanceRenewAttributes.ReservedInstanceRenewAttribute, a)
	}
	return out, nil
}

// DescribeReservedInstancesResponse is DescribeReservedInstances' answer, in
// the SDK's field order.
type DescribeReservedInstancesResponse struct {
	PageSize          int    `json:"PageSize" xml:"PageSize"`
	RequestId         string `json:"RequestId" xml:"RequestId"`
	PageNumber        int    `json:"PageNumber" xml:"PageNumber"`
	TotalCount        int    `json:"TotalCount" xml:"TotalCount"`
	ReservedInstances struct {
		ReservedInstance []WireReservedInstance `json:"ReservedInstance" xml:"ReservedInstance"`
	} `json:"ReservedInstances" xml:"ReservedInstances"`
}

// WireReservedInstance is a reserved instance as DescribeReservedInstances
// shows it. Its locks are OperationLocks.OperationLock[], unlike
// DescribeInstances' OperationLocks.LockReason[].
type WireReservedInstance struct {
	Status               string `json:"Status" xml:"Status"`
	CreationTime         string `json:"CreationTime" xml:"CreationTime"`
	ReservedInstanceName string `json:"ReservedInstanceName" xml:"ReservedInstanceName"`
	ReservedInstanceId   string `json:"ReservedInstanceId" xml:"ReservedInstanceId"`
	InstanceType         string `json:"InstanceType" xml:"InstanceType"`
	InstanceAmount       int    `json:"InstanceAmount" xml:"InstanceAmount"`
	RegionId             string `json:"RegionId" xml:"RegionId"`
	OfferingType         string `json:"OfferingType" xml:"OfferingType"`
	StartTime            string `json:"StartTime" xml:"StartTime"`
	Description          string `json:"Description" xml:"Description"`
	AllocationStatus     string `json:"AllocationStatus" xml:"AllocationStatus"`
	ExpiredTime          string `json:"ExpiredTime" xml:"ExpiredTime"`
	ResourceGroupId      string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	ZoneId               string `json:"ZoneId" xml:"ZoneId"`
	Platform             string `json:"Platform" xml:"Platform"`
	Scope                string `json:"Scope" xml:"Scope"`
	OperationLocks       struct {
		OperationLock []WireReservedLock `json:"OperationLock" xml:"OperationLock"`
	} `json:"OperationLocks" xml:"OperationLocks"`
	Tags TagSet `json:"Tags" xml:"Tags"`
}

// WireReservedLock is one lock of a reserved instance.
type WireReservedLock struct {
	LockReason string `json:"LockReason" xml:"LockReason"`
}

func wireReserved(ri *openecs.ReservedInstance) WireReservedInstance {
	w := WireReservedInstance{
		Status: string(ri.Status), CreationTime: openecs.WireTime(ri.CreatedAt), ReservedInstanceName: ri.Name,
		ReservedInstanceId: ri.ID, InstanceType: ri.InstanceType, InstanceAmount: ri.InstanceAmount, RegionId: ri.RegionID,
		OfferingType: ri.OfferingType, StartTime: openecs.WireTime(ri.StartAt), Description: ri.Description,
		ExpiredTime: openecs.WireTime(ri.ExpiredAt), ResourceGroupId: ri.ResourceGroupID, ZoneId: ri.ZoneID,
		Platform: ri.Platform, Scope: ri.Scope, Tags: tagSet(ri.Tags),
	}
	w.OperationLocks.OperationLock = make([]WireReservedLock, 0, len(ri.Locks))
	for _, l := range ri.Locks {
		w.OperationLocks.OperationLock = append(w.OperationLocks.OperationLock, WireReservedLock{LockReason: string(l)})
	}
	return w
}

func describeReservedInstances(c *Call) (any, error) {
	p := c.P
	f := openecs.ReservedFilter{
		RegionID:     c.region(true),
		Name:         p.Str("ReservedInstanceName"),
		InstanceType: p.Str("InstanceType"),
		Family:       p.Str("InstanceTypeFamily"),
		ZoneID:       p.Str("ZoneId"),
		Scope:        p.Enum("Scope", "", openecs.ScopeRegion, openecs.ScopeZone),
		OfferingType: p.Enum("OfferingType", "", openecs.OfferingTypes...),
		LockReason:   openecs.LockReason(p.Enum("LockReason", "", string(openecs.LockFinancial), string(openecs.LockSecurity))),
	}
	if ids := p.List("ReservedInstanceId", 100); len(ids) > 0 {
		f.IDs = ids
	}
	for _, s := range p.List("Status", 4) {
		if !contains([]string{"Creating", "Active", "Expired", "Updating"}, s) {
			p.Fail(openecs.Invalid("Status", "it must be Creating, Active, Expired or Updating"))
		}
		f.Statuses = append(f.Statuses, openecs.ReservedStatus(s))
	}
	if p.Enum("AllocationType", "Normal", "Normal", "Shared") == "Shared" {
		f.IDs = []string{} // no reserved instance here is shared with another account
	}
	for _, m := range p.Structs("Tag", 20) {
		if m["Key"] == "" {
			p.Fail(openecs.ErrInvalidTagKey)
		}
		f.Tags = append(f.Tags, openecs.Tag{Key: m["Key"], Value: m["Value"]})
	}
	pageNumber := p.Int("PageNumber", 1, 1, 1<<30)
	pageSize := p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	page, err := c.Svc().DescribeReservedInstances(c.Ctx, c.Caller, f, pageNumber, pageSize)
	if err != nil {
		return nil, err
	}
	out := &DescribeReservedInstancesResponse{PageSize: page.PageSize, PageNumber: page.PageNumber, TotalCount: page.TotalCount}
	out.ReservedInstances.ReservedInstance = make([]WireReservedInstance, 0, len(page.Items))
	for _, ri := range page.Items {
		out.ReservedInstances.ReservedInstance = append(out.ReservedInstances.ReservedInstance, wireReserved(ri))
	}
	return out, nil
}
