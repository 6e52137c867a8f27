package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// DiskSpec is a SystemDisk or DataDisk.N of RunInstances/CreateInstance.
type DiskSpec struct {
	Category  string
	SizeGiB   int
	Encrypted bool
	KMSKeyID  string

	Name               string
	Description        string
	PerformanceLevel   string
	DeleteWithInstance *bool // data disks; nil is true
}

// RunRequest is RunInstances (Start) or CreateInstance (!Start).
type RunRequest struct {
	Start bool

	RegionID     string
	ZoneID       string
	ImageID      string
	InstanceType string
	Name         string
	Description  string
	HostName     string
	Amount       int
	MinAmount    int
	UniqueSuffix bool

	ChargeType      openecs.ChargeType
	Period          int
	PeriodUnit      string
	AutoRenew       bool
	AutoRenewPeriod int

	SpotStrategy             openecs.SpotStrategy
	SpotPriceLimit           openecs.Money
	SpotInterruptionBehavior string
	SpotDuration             int

	SecurityGroupIDs []string
	VSwitchID        string
	PrivateIP        string

	InternetChargeType      string
	InternetMaxBandwidthIn  int
	InternetMaxBandwidthOut int

	SystemDisk DiskSpec
	DataDisks  []DiskSpec
	Tags       []openecs.Tag

	KeyPairName         string
	ResourceGroupID     string
	DeletionProtection  bool
	AutoReleaseTime     time.Time
	CreditSpecification string

	UserData string // base64, checked by the transport
	DryRun   bool
	Idem     Idem
}

// CreateSpec describes instances about to be created, for the create checks.
type CreateSpec struct {
	AccountID      string
	RegionID       string
	ZoneID         string
	InstanceType   string
	CPU            int
	Count          int
	SpotStrategy   openecs.SpotStrategy
	SpotPriceLimit openecs.Money
	Disks          []openecs.Disk // the disks each instance would get (ids empty)
}

// createCheck is one precondition of RunInstances/CreateInstance: it reads,
// never writes.
type createCheck func(s *Service, tx openecs.Tx, c CreateSpec) error

// createChecks are the checks that follow region, image, type, placement,
// account, money and capacity (in run, in that order), in order.
var createChecks = []createCheck{
	checkCreateQuota,     // QuotaExceed.ElasticQuota; quota.go
	checkCreateSpotPrice, // OperationDenied.SpotPriceLowerThanPublicPrice; spot.go
	checkCreateKMS,       // InvalidParameter.KMSKeyId.*; kms.go
}

// RunResult is what RunInstances and CreateInstance answer.
type RunResult struct {
	InstanceIDs []string      `json:"instance_ids"`
	OrderID     string        `json:"order_id,omitempty"`
	TradePrice  openecs.Money `json:"trade_price"`
}

// RunInstances creates Amount instances (RunInstances: Pending → Starting →
// Running; CreateInstance: Stopped).
//
// Errors: InvalidRegionId.NotFound, InvalidImageId.NotFound,
// DependencyViolation.WindowsInstance and InvalidKeyPairName.NotFound (a
// KeyPairName), InvalidInstanceType.ValueNotSupported, InvalidZoneId.NotFound,
// InvalidVSwitchId.NotFound, InvalidSecurityGroupId.NotFound,
// InvalidInstanceType.ValueUnauthorized, RegionUnauthorized, Account.Arrearage,
// InsufficientBalance (subscription price), OperationDenied.NoStock, the
// create checks' errors, DryRunOperation, IdempotentParameterMismatch.
func (s *Service) RunInstances(ctx context.Context, c Caller, r RunRequest) (*RunResult, error) {
	res, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (RunResult, error) {
		return s.run(tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (s *Service) run(tx openecs.Tx, c Caller, r RunRequest) (RunResult, error) {
	now := tx.Now()
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return RunResult{}, openecs.ErrRegionNotFound
	}
	image, ok := s.cat.Image(r.ImageID)
	if !ok {
		return RunResult{}, openecs.ErrImageNotFound
	}
	if err := checkNames(r, image); err != nil {
		return RunResult{}, err
	}
	if err := checkKeyPair(tx, c, region.ID, image.OSType, r.KeyPairName); err != nil { // keypairs.go
		return RunResult{}, err
	}
	itype, ok := s.cat.InstanceType(r.InstanceType)
	if !ok {
		return RunResult{}, openecs.ErrInvalidInstanceType
	}
	if r.ChargeType == openecs.PrePaid {
		if err := validatePeriod(r.Period, r.PeriodUnit); err != nil {
			return RunResult{}, err
		}
	}
	plan, err := s.placement(tx, c.AccountID, region, itype, r) // network.go
	if err != nil {
		return RunResult{}, err
	}
	zone := plan.zone
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return RunResult{}, err
	}
	if !acct.MayUseRegion(region.ID) {
		return RunResult{}, openecs.ErrRegionUnauthorized.With("You are not authorized to create resources in the region %s.", region.ID)
	}
	if !acct.MayUseInstanceType(itype.ID) {
		return RunResult{}, openecs.ErrInstanceTypeUnauth
	}
	if acct.InArrears {
		return RunResult{}, openecs.ErrAccountArrearage
	}
	amount := max(r.Amount, 1)
	var price openecs.Money
	if r.ChargeType == openecs.PrePaid {
		var err error
		if price, err = subscriptionPrice(itype, r.Period, r.PeriodUnit, amount); err != nil {
			return RunResult{}, err
		}
		if acct.Balance < price {
			return RunResult{}, openecs.ErrInsufficientBalance
		}
	}
	// Capacity: every instance takes a slot at creation.
	taken := 0
	for range amount {
		ok, err := tx.TakeCapacity(zone.ID, itype.ID)
		if err != nil {
			return RunResult{}, err
		}
		if !ok {
			break
		}
		taken++
	}
	minAmount := r.MinAmount
	if minAmount <= 0 || minAmount > amount {
		minAmount = amount
	}
	if taken < minAmount {
		return RunResult{}, openecs.ErrNoStock
	}
	amount = taken
	if r.ChargeType == openecs.PrePaid {
		var err error
		if price, err = subscriptionPrice(itype, r.Period, r.PeriodUnit, amount); err != nil {
			return RunResult{}, err
		}
	}
	spec := CreateSpec{AccountID: c.AccountID, RegionID: region.ID, ZoneID: zone.ID, InstanceType: itype.ID, CPU: itype.CPU, Count: amount,
		SpotStrategy: r.SpotStrategy, SpotPriceLimit: r.SpotPriceLimit, Disks: s.diskPlan(itype, image, r)}
	for _, check := range createChecks {
		if err := check(s, tx, spec); err != nil {
			return RunResult{}, err
		}
	}
	if r.DryRun {
		return RunResult{}, openecs.ErrDryRunOperation
	}
	res := RunResult{TradePrice: price}
	var created []*openecs.Instance
	for i := range amount {
		in, err := s.newInstance(tx, c, r, region, zone, itype, image, plan, spec.Disks, i, amount, now)
		if err != nil {
			return RunResult{}, err
		}
		created = append(created, in)
		res.InstanceIDs = append(res.InstanceIDs, in.ID)
	}
	if r.ChargeType == openecs.PrePaid {
		o, err := placeOrder(tx, c.AccountID, openecs.OrderInstanceBuy, price, res.InstanceIDs, now, c.Action)
		if err != nil {
			return RunResult{}, err
		}
		res.OrderID = o.ID
		for _, in := range created {
			if err := scheduleExpiry(tx, in); err != nil {
				return RunResult{}, err
			}
		}
	}
	return res, nil
}

// diskPlan lists the disks each new instance gets.
func (s *Service) diskPlan(t *catalog.InstanceType, img *catalog.Image, r RunRequest) []openecs.Disk {
	sys := r.SystemDisk
	if sys.Category == "" {
		sys.Category = "cloud_essd"
	}
	if sys.SizeGiB == 0 {
		sys.SizeGiB = max(40, img.SizeGiB)
	}
	disks := []openecs.Disk{plannedDisk(openecs.DiskSystem, sys)} // diskplan.go
	for _, d := range r.DataDisks {
		if d.Category == "" {
			d.Category = "cloud_essd"
		}
		disks = append(disks, plannedDisk(openecs.DiskData, d))
	}
	for range t.LocalDiskAmount {
		disks = append(disks, openecs.Disk{Type: openecs.DiskLocal, Category: t.LocalDiskCategory, SizeGiB: int(t.LocalDiskCapacity / int64(t.LocalDiskAmount))})
	}
	return disks
}

func (s *Service) newInstance(tx openecs.Tx, c Caller, r RunRequest, region *catalog.Region, zone *catalog.Zone, t *catalog.InstanceType,
	img *catalog.Image, plan *netPlan, disks []openecs.Disk, index, amount int, now time.Time) (*openecs.Instance, error) {
	id := openecs.NewResourceID("i", region.Code)
	wantIP := r.PrivateIP
	if amount > 1 {
		wantIP = ""
	}
	name := r.Name
	if name == "" {
		name = id
	} else if r.UniqueSuffix && amount > 1 {
		name = fmt.Sprintf("%s%03d", name, index+1)
	}
	host := strings.ReplaceAll(r.HostName, openecs.InstanceIDPlaceholder, id)
	if host == "" {
		host = "iZ" + strings.TrimPrefix(id, "i-") + "Z"
	} else if r.UniqueSuffix && amount > 1 {
		host = fmt.Sprintf("%s%03d", host, index+1)
	}
	spot := r.SpotStrategy
	if spot == "" {
		spot = openecs.NoSpot
	}
	interruption := r.SpotInterruptionBehavior
	if spot != openecs.NoSpot && interruption == "" {
		interruption = "Terminate"
	}
	in := &openecs.Instance{
		ID: id, AccountID: c.AccountID, RegionID: region.ID, ZoneID: zone.ID,
		InstanceType: t.ID, Family: t.Family, CPU: t.CPU, MemoryMiB: t.MemoryMiB(), GPUAmount: t.GPU,
		LocalStorage: openecs.LocalStorage{Amount: t.LocalDiskAmount, Capacity: t.LocalDiskCapacity, Category: t.LocalDiskCategory},
		ImageID:      img.ID, OSName: img.OSName, OSNameEn: img.OSNameEn, OSType: img.OSType,
		Name: name, Description: r.Description, HostName: host,
		ChargeType: r.ChargeType, StoppedMode: openecs.NotApplicable, BillingState: openecs.BillingNormal,
		SpotStrategy: spot, SpotPriceLimit: r.SpotPriceLimit, SpotInterruptionBehavior: interruption, SpotDuration: r.SpotDuration,
		HourlyPrice: t.Hourly, InternetChargeType: r.InternetChargeType,
		InternetMaxBandwidthIn: r.InternetMaxBandwidthIn, InternetMaxBandwidthOut: r.InternetMaxBandwidthOut,
		NetworkInterfaceID: openecs.NewResourceID("eni", region.Code), MacAddress: macAddress(), SerialNumber: uuid.NewString(),
		KeyPairName: r.KeyPairName, ResourceGroupID: r.ResourceGroupID, DeletionProtection: r.DeletionProtection,
		IoOptimized: true, CreditSpecification: r.CreditSpecification,
		CreatedAt: now, AutoReleaseAt: r.AutoReleaseTime, HoldsCapacity: true, HostReady: true, Tags: r.Tags,
	}
	if in.InternetChargeType == "" {
		in.InternetChargeType = "PayByTraffic"
	}
	if in.InternetMaxBandwidthIn == 0 {
		in.InternetMaxBandwidthIn = 100
	}
	if in.InternetMaxBandwidthOut > 0 {
		in.PublicIP = publicIP()
	}
	if err := attachPrimaryENI(tx, in, plan, wantIP); err != nil { // network.go
		return nil, err
	}
	if r.ChargeType == openecs.PrePaid {
		in.Period, in.PeriodUnit, in.AutoRenew, in.AutoRenewPeriod = r.Period, r.PeriodUnit, r.AutoRenew, r.AutoRenewPeriod
		in.ExpiredAt = addPeriod(now, r.Period, r.PeriodUnit)
	} else if in.EconomicalEligible() {
		in.StoppedMode = openecs.KeepCharging
	}
	if r.Start {
		in.Status = openecs.StatusPending
	} else {
		in.Status = openecs.StatusStopped
	}
	if err := tx.InsertInstance(in); err != nil {
		return nil, err
	}
	if err := event(tx, now, c.AccountID, openecs.EventInstanceCreated, id, c.Action,
		map[string]any{"instance_type": t.ID, "zone_id": zone.ID, "charge_type": string(r.ChargeType), "status": string(in.Status)}); err != nil {
		return nil, err
	}
	if err := insertInstanceDisks(tx, in, region.Code, disks, now); err != nil { // diskplan.go
		return nil, err
	}
	if r.UserData != "" {
		if err := tx.PutUserData(id, r.UserData); err != nil {
			return nil, err
		}
	}
	if err := enforceCreateQuota(s, tx, in); err != nil { // quota.go
		return nil, err
	}
	if r.Start {
		if err := s.begin(tx, in, now, c.Action, openecs.StatusPending, openecs.StatusStarting, openecs.StatusRunning); err != nil {
			return nil, err
		}
		if err := tx.UpdateInstance(in); err != nil {
			return nil, err
		}
	}
	if !r.AutoReleaseTime.IsZero() {
		if _, err := schedule(tx, id, r.AutoReleaseTime, releaseArgs{Reason: releaseAuto, Since: openecs.Millis(r.AutoReleaseTime)}); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// checkNames applies the rules on names that depend on more than the
// parameter itself: the three characters UniqueSuffix adds, and Windows'
// host names (2–15 characters, no period, not only digits). The transport
// has checked the rest.
func checkNames(r RunRequest, img *catalog.Image) error {
	suffixed := r.UniqueSuffix && r.Amount > 1
	if suffixed && utf8.RuneCountInString(r.Name)+3 > 128 {
		return openecs.ErrInstanceNameExceed
	}
	host := strings.ReplaceAll(r.HostName, openecs.InstanceIDPlaceholder, "i-"+strings.Repeat("x", 20))
	if host == "" {
		return nil
	}
	max := 64
	if img.OSType == "windows" {
		max = 15
		if strings.Contains(host, ".") || strings.Trim(host, "0123456789") == "" {
			return openecs.ErrInvalidHostName.With("The specified parameter \"HostName\" is not valid: a Windows host name must not contain a period or only digits.")
		}
	}
	n := utf8.RuneCountInString(host)
	if suffixed && n+3 > max {
		return openecs.ErrHostNameExceed
	}
	if n > max {
		return openecs.ErrInvalidHostName.With("The specified parameter \"HostName\" is not valid: it must be 2 to %d characters long.", max)
	}
	return nil
}

func macAddress() string {
	r := openecs.NewSecret(6)
	return "00:16:3e:" + r[0:2] + ":" + r[2:4] + ":" + r[4:6]
}

func publicIP() string {
	n := openecs.NewNumericID(6)
	return fmt.Sprintf("47.%d.%d.%d", 90+int(n[0]-'0'), int(n[1]-'0')*20+int(n[2]-'0'), int(n[3]-'0')*25+int(n[4]-'0')+1)
}
