package rpc

import (
	"fmt"
	"strconv"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// region reads RegionId; required says whether it must be present. An
// unknown region answers InvalidRegionId.NotFound.
func (c *Call) region(required bool) string {
	var r string
	if required {
		r = c.P.Required("RegionId")
	} else {
		r = c.P.Str("RegionId")
	}
	if r != "" && c.P.Err() == nil {
		if _, ok := c.Svc().Catalog().Region(r); !ok {
			c.P.Fail(openecs.ErrRegionNotFound)
		}
	}
	return r
}

func (c *Call) idem() service.Idem {
	tok := c.P.ClientToken()
	if tok == "" {
		return service.Idem{}
	}
	return service.Idem{Token: tok, Hash: c.P.Fingerprint()}
}

var diskCategories = []string{"cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"}

func (c *Call) runRequest(start bool) service.RunRequest {
	p := c.P
	r := service.RunRequest{
		Start:        start,
		RegionID:     c.region(true),
		ImageID:      p.Required("ImageId"),
		InstanceType: p.Required("InstanceType"),
		ZoneID:       p.Str("ZoneId"),
		Name:         instanceName(p, "InstanceName"),
		Description:  description(p, "Description"),
		HostName:     hostName(p),
		Amount:       1,
		ChargeType:   enumOf(p, "InstanceChargeType", openecs.PostPaid, openecs.PostPaid, openecs.PrePaid),
		AutoRenew:    p.Bool("AutoRenew", false),

		SpotStrategy:             openecs.SpotStrategy(p.Enum("SpotStrategy", "NoSpot", "NoSpot", "SpotWithPriceLimit", "SpotAsPriceGo")),
		SpotPriceLimit:           p.Money("SpotPriceLimit"),
		SpotInterruptionBehavior: p.Enum("SpotInterruptionBehavior", "", "Terminate", "Stop"),
		SpotDuration:             p.Int("SpotDuration", 0, 0, 6),

		VSwitchID:               p.Str("VSwitchId"),
		PrivateIP:               p.Str("PrivateIpAddress"),
		InternetChargeType:      p.Enum("InternetChargeType", "", "PayByBandwidth", "PayByTraffic"),
		InternetMaxBandwidthIn:  p.Int("InternetMaxBandwidthIn", 0, 1, 10000),
		InternetMaxBandwidthOut: p.Int("InternetMaxBandwidthOut", 0, 0, 1024),

		SystemDisk: service.DiskSpec{
			Category:         p.Enum("SystemDisk.Category", "", diskCategories...),
			SizeGiB:          p.Int("SystemDisk.Size", 0, 20, 2048),
			Encrypted:        p.Bool("SystemDisk.Encrypted", false),
			KMSKeyID:         p.Str("SystemDisk.KMSKeyId"),
			Name:             diskName(p, "SystemDisk.DiskName"),
			Description:      diskDescription(p, "SystemDisk.Description"),
			PerformanceLevel: p.Enum("SystemDisk.PerformanceLevel", "", performanceLevels...),
		},
		UserData:            userData(p),
		Tags:                p.Tags("Tag"),
		KeyPairName:         p.Str("KeyPairName"),
		ResourceGroupID:     p.Str("ResourceGroupId"),
		DeletionProtection:  p.Bool("DeletionProtection", false),
		AutoReleaseTime:     p.Time("AutoReleaseTime"),
		CreditSpecification: p.Enum("CreditSpecification", "", "Standard", "Unlimited"),
		DryRun:              p.Bool("DryRun", false),
		Idem:                c.idem(),
	}
	if start {
		r.Amount = p.Int("Amount", 1, 1, 100)
		r.MinAmount = p.Int("MinAmount", 0, 1, 100)
		r.UniqueSuffix = p.Bool("UniqueSuffix", false)
	}
	r.SecurityGroupIDs = p.List("SecurityGroupIds", 16)
	if sg := p.Str("SecurityGroupId"); sg != "" {
		if len(r.SecurityGroupIDs) > 0 {
			p.Fail(openecs.ErrSecurityGroupsConflict)
		}
		r.SecurityGroupIDs = []string{sg}
	}
	for i, d := range p.Structs("DataDisk", 16) {
		size := 0
		if d["Size"] != "" {
			n, err := strconv.Atoi(d["Size"])
			if err != nil || n < 20 || n > 32768 {
				p.Fail(openecs.Invalid(fmt.Sprintf("DataDisk.%d.Size", i+1), "it must be an integer between 20 and 32768"))
			}
			size = n
		} else {
			size = 40
		}
		cat := d["Category"]
		if cat != "" && !contains(diskCategories, cat) {
			p.Fail(openecs.Invalid(fmt.Sprintf("DataDisk.%d.Category", i+1), "unknown disk category"))
		}
		r.DataDisks = append(r.DataDisks, dataDiskSpec(p, i+1, d, cat, size)) // attributes.go
	}
	password(p, "Password")
	if r.ChargeType == openecs.PrePaid {
		r.PeriodUnit = periodUnit(p, "Month", "Month", "Week")
		if !p.Has("Period") || p.Str("Period") == "" {
			p.Fail(openecs.Missing("Period"))
		}
		r.Period = p.Int("Period", 0, 1, 60)
		r.AutoRenewPeriod = p.Int("AutoRenewPeriod", 1, 1, 12)
	}
	if r.SpotStrategy == openecs.SpotWithPriceLimit && p.Str("SpotPriceLimit") == "" {
		p.Fail(openecs.Missing("SpotPriceLimit"))
	}
	if !r.AutoReleaseTime.IsZero() && r.ChargeType == openecs.PrePaid {
		p.Fail(openecs.Invalid("AutoReleaseTime", "subscription instances cannot be released automatically"))
	}
	return r
}

// periodUnit reads PeriodUnit, answering the seed's
// InvalidPeriodUnit.ValueNotSupported for other values.
func periodUnit(p *Params, def string, allowed ...string) string {
	s := p.Str("PeriodUnit")
	if s == "" {
		return def
	}
	if !contains(allowed, s) {
		p.Fail(openecs.ErrInvalidPeriodUnit)
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// RunInstancesResponse is RunInstances' answer.
type RunInstancesResponse struct {
	RequestId      string `json:"RequestId" xml:"RequestId"`
	OrderId        string `json:"OrderId,omitempty" xml:"OrderId,omitempty"`
	TradePrice     Float  `json:"TradePrice,omitempty" xml:"TradePrice,omitempty"`
	InstanceIdSets struct {
		InstanceIdSet []string `json:"InstanceIdSet" xml:"InstanceIdSet"`
	} `json:"InstanceIdSets" xml:"InstanceIdSets"`
}

func runInstances(c *Call) (any, error) {
	r := c.runRequest(true)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().RunInstances(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &RunInstancesResponse{OrderId: res.OrderID}
	if res.OrderID != "" {
		out.TradePrice = Float(res.TradePrice.String())
	}
	out.InstanceIdSets.InstanceIdSet = res.InstanceIDs
	return out, nil
}

// CreateInstanceResponse is CreateInstance's answer.
type CreateInstanceResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	OrderId    string `json:"OrderId,omitempty" xml:"OrderId,omitempty"`
	TradePrice Float  `json:"TradePrice,omitempty" xml:"TradePrice,omitempty"`
}

func createInstance(c *Call) (any, error) {
	r := c.runRequest(false)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().RunInstances(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &CreateInstanceResponse{InstanceId: res.InstanceIDs[0], OrderId: res.OrderID}
	if res.OrderID != "" {
		out.TradePrice = Float(res.TradePrice.String())
	}
	return out, nil
}

type powerFunc func(c *Call, r service.PowerRequest) ([]service.InstanceResult, error)

func startInstances(c *Call, r service.PowerRequest) ([]service.InstanceResult, error) {
	r.InitLocalDisk = c.P.Bool("InitLocalDisk", false)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	return c.Svc().StartInstances(c.Ctx, c.Caller, r)
}

func stopInstances(c *Call, r service.PowerRequest) ([]service.InstanceResult, error) {
	r.ForceStop = c.P.Bool("ForceStop", false)
	c.P.Bool("ConfirmStop", false)
	c.P.Bool("Hibernate", false)
	// Not-applicable, what DescribeInstances shows for a subscription, is
	// what Terraform's provider sends back when it stops one (to change its
	// type): the instance stops the way it would without a StoppedMode.
	r.StoppedMode = enumOf(c.P, "StoppedMode", "", openecs.StopCharging, openecs.KeepCharging, openecs.NotApplicable)
	if r.StoppedMode == openecs.NotApplicable {
		r.StoppedMode = ""
	}
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	return c.Svc().StopInstances(c.Ctx, c.Caller, r)
}

func rebootInstances(c *Call, r service.PowerRequest) ([]service.InstanceResult, error) {
	r.ForceStop = c.P.Bool("ForceStop", false) || c.P.Bool("ForceReboot", false)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	return c.Svc().RebootInstances(c.Ctx, c.Caller, r)
}

// single adapts a power action to its one-instance form (InstanceId).
func single(f powerFunc) handler {
	return func(c *Call) (any, error) {
		r := service.PowerRequest{RegionID: c.region(false), DryRun: c.P.Bool("DryRun", false)}
		r.InstanceIDs = []string{c.P.Required("InstanceId")}
		if err := c.P.Err(); err != nil {
			return nil, err
		}
		if _, err := f(c, r); err != nil {
			return nil, err
		}
		return &Empty{}, nil
	}
}

// BatchResponse is the answer of StartInstances, StopInstances and
// RebootInstances.
type BatchResponse struct {
	RequestId         string `json:"RequestId" xml:"RequestId"`
	InstanceResponses struct {
		InstanceResponse []WireInstanceResponse `json:"InstanceResponse" xml:"InstanceResponse"`
	} `json:"InstanceResponses" xml:"InstanceResponses"`
}

// WireInstanceResponse is one instance's result in a batch action.
type WireInstanceResponse struct {
	InstanceId     string `json:"InstanceId" xml:"InstanceId"`
	Code           string `json:"Code" xml:"Code"`
	Message        string `json:"Message" xml:"Message"`
	PreviousStatus string `json:"PreviousStatus" xml:"PreviousStatus"`
	CurrentStatus  string `json:"CurrentStatus" xml:"CurrentStatus"`
}

// batch adapts a power action to its many-instance form (InstanceId.N,
// BatchOptimization).
func batch(f powerFunc) handler {
	return func(c *Call) (any, error) {
		r := service.PowerRequest{RegionID: c.region(true), DryRun: c.P.Bool("DryRun", false)}
		r.InstanceIDs = c.P.List("InstanceId", 100)
		if len(r.InstanceIDs) == 0 {
			c.P.Fail(openecs.Missing("InstanceId.1"))
		}
		r.SuccessFirst = c.P.Enum("BatchOptimization", "AllTogether", "AllTogether", "SuccessFirst") == "SuccessFirst"
		if err := c.P.Err(); err != nil {
			return nil, err
		}
		res, err := f(c, r)
		if err != nil {
			return nil, err
		}
		out := &BatchResponse{}
		out.InstanceResponses.InstanceResponse = make([]WireInstanceResponse, 0, len(res))
		for _, x := range res {
			out.InstanceResponses.InstanceResponse = append(out.InstanceResponses.InstanceResponse, WireInstanceResponse{
				InstanceId: x.InstanceID, Code: x.Code, Message: x.Message, PreviousStatus: string(x.PreviousStatus), CurrentStatus: string(x.CurrentStatus)})
		}
		return out, nil
	}
}

func deleteInstance(c *Call) (any, error) {
	r := service.PowerRequest{
		InstanceIDs: []string{c.P.Required("InstanceId")}, RegionID: c.region(false), DryRun: c.P.Bool("DryRun", false),
		Force: c.P.Bool("Force", false), TerminateSubscription: c.P.Bool("TerminateSubscription", false),
	}
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteInstances(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func deleteInstances(c *Call) (any, error) {
	r := service.PowerRequest{
		InstanceIDs: c.P.List("InstanceId", 100), RegionID: c.region(true), DryRun: c.P.Bool("DryRun", false),
		Force: c.P.Bool("Force", false), TerminateSubscription: c.P.Bool("TerminateSubscription", false), Idem: c.idem(),
	}
	if len(r.InstanceIDs) == 0 {
		c.P.Fail(openecs.Missing("InstanceId.1"))
	}
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteInstances(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// OrderResponse is the answer of RenewInstance.
type OrderResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	OrderId   string `json:"OrderId" xml:"OrderId"`
}

func renewInstance(c *Call) (any, error) {
	r := service.RenewRequest{InstanceID: c.P.Required("InstanceId"), RegionID: c.region(false)}
	if c.P.Str("Period") == "" && c.P.Err() == nil {
		if c.P.Str("ExpectedRenewDay") != "" {
			c.P.Fail(openecs.ErrUnsupportedParameter.With("The parameter ExpectedRenewDay is not supported; renew with Period and PeriodUnit."))
		} else {
			c.P.Fail(openecs.Missing("Period"))
		}
	}
	r.Period = c.P.Int("Period", 0, 1, 60)
	r.PeriodUnit = periodUnit(c.P, "Month", "Month", "Week")
	r.Idem = c.idem()
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	id, err := c.Svc().RenewInstance(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &OrderResponse{OrderId: id}, nil
}

func reactivateInstances(c *Call) (any, error) {
	id := c.P.Required("InstanceId")
	region := c.region(false)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ReActivateInstances(c.Ctx, c.Caller, id, region); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
