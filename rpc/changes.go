package rpc

import (
	"encoding/json"
	"strconv"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// ModifyInstanceSpec and ModifyInstanceChargeType
// (docs/instance-changes.md).

// ModifyInstanceSpecResponse is ModifyInstanceSpec's answer.
type ModifyInstanceSpecResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
}

// modifyInstanceSpec answers ModifyInstanceSpec. Errors: MissingParameter
// (InstanceId; InstanceType when no bandwidth is given either),
// InvalidParameter.Mismatch (a type and bandwidth together),
// InvalidParameter (bandwidth out of range), then the service's.
func modifyInstanceSpec(c *Call) (any, error) {
	p := c.P
	r := service.SpecChange{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), InstanceType: p.Str("InstanceType"),
		DryRun: p.Bool("DryRun", false), Idem: c.idem()}
	if s := p.Str("InternetMaxBandwidthOut"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 100 {
			p.Fail(openecs.ErrSpecBandwidth)
		}
		r.BandwidthOut = &n
	}
	if p.Str("InternetMaxBandwidthIn") != "" {
		n := p.Int("InternetMaxBandwidthIn", 0, 1, 10000)
		r.BandwidthIn = &n
	}
	p.Bool("Async", false)
	p.Bool("AllowMigrateAcrossZone", false)
	switch bandwidth := r.BandwidthOut != nil || r.BandwidthIn != nil; {
	case r.InstanceType != "" && bandwidth:
		p.Fail(openecs.ErrSpecTooManyParams)
	case r.InstanceType == "" && !bandwidth:
		p.Fail(openecs.Missing("InstanceType"))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyInstanceSpec(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &ModifyInstanceSpecResponse{}, nil
}

// ModifyInstanceChargeTypeResponse is ModifyInstanceChargeType's answer.
type ModifyInstanceChargeTypeResponse struct {
	RequestId      string `json:"RequestId" xml:"RequestId"`
	OrderId        string `json:"OrderId" xml:"OrderId"`
	FeeOfInstances struct {
		FeeOfInstance []WireFee `json:"FeeOfInstance" xml:"FeeOfInstance"`
	} `json:"FeeOfInstances" xml:"FeeOfInstances"`
}

// WireFee is what one instance's change costs (a refund is negative).
type WireFee struct {
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	Fee        string `json:"Fee" xml:"Fee"`
	Currency   string `json:"Currency" xml:"Currency"`
}

// modifyInstanceChargeType answers ModifyInstanceChargeType. Errors:
// MissingParameter (RegionId, InstanceIds), InvalidParameter.InstanceIds
// (not a JSON array of ids), InstancesIdQuotaExceed (more than 20),
// InvalidParameter (InstanceChargeType, Period), InvalidPeriod,
// InvalidPeriodUnit.ValueNotSupported, then the service's.
//
// A ClientToken makes a repeated call answer as the first one did. The
// Terraform provider sends the same token for every conversion of an
// instance (to PrePaid, later back to PostPaid before a destroy), so a token
// seen before with other parameters starts a new call instead of answering
// IdempotentParameterMismatch.
func modifyInstanceChargeType(c *Call) (any, error) {
	p := c.P
	r := service.ChargeTypeChange{RegionID: c.region(true), To: enumOf(p, "InstanceChargeType", openecs.PrePaid, openecs.PrePaid, openecs.PostPaid),
		AutoPay: p.Bool("AutoPay", true), IncludeDataDisks: p.Bool("IncludeDataDisks", false), DryRun: p.Bool("DryRun", false)}
	if p.Str("InstanceIds") == "" {
		p.Fail(openecs.Missing("InstanceIds"))
	}
	var ids []string
	switch err := json.Unmarshal([]byte(p.Str("InstanceIds")), &ids); {
	case p.Str("InstanceIds") == "":
	case err != nil || len(ids) == 0:
		p.Fail(openecs.ErrChargeTypeIDs)
	case len(ids) > 20:
		p.Fail(openecs.ErrChargeTypeTooMany)
	}
	r.InstanceIDs = ids
	isDetailFee := p.Bool("IsDetailFee", false)
	if r.To == openecs.PrePaid {
		r.Period = p.Int("Period", 1, 1, 60)
		r.PeriodUnit = periodUnit(p, "Month", "Month", "Week")
	}
	if tok := p.ClientToken(); tok != "" {
		hash := p.Fingerprint()
		r.Idem = service.Idem{Token: tok + "#" + hash[:16], Hash: hash}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().ModifyInstanceChargeType(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &ModifyInstanceChargeTypeResponse{OrderId: res.OrderID}
	out.FeeOfInstances.FeeOfInstance = []WireFee{}
	if r.To == openecs.PrePaid || isDetailFee {
		for _, f := range res.Fees {
			out.FeeOfInstances.FeeOfInstance = append(out.FeeOfInstances.FeeOfInstance, WireFee{InstanceId: f.InstanceID, Fee: f.Fee.String(), Currency: "CNY"})
		}
	}
	return out, nil
}

// ModifyPrepayInstanceSpecResponse is ModifyPrepayInstanceSpec's answer.
type ModifyPrepayInstanceSpecResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	OrderId   string `json:"OrderId" xml:"OrderId"`
}

// modifyPrepayInstanceSpec answers ModifyPrepayInstanceSpec. Errors:
// MissingParameter (RegionId, InstanceId, InstanceType), InvalidParameter
// (OperatorType other than upgrade or downgrade; a malformed boolean), then
// the service's. MigrateAcrossZone, RebootWhenFinished, RebootTime,
// EndTime, ModifyMode and SystemDisk.Category are read and not acted on: a
// type change here takes effect at once, in the instance's own zone.
func modifyPrepayInstanceSpec(c *Call) (any, error) {
	p := c.P
	r := service.PrepaySpecChange{RegionID: c.region(true), InstanceID: p.Required("InstanceId"), InstanceType: p.Required("InstanceType"),
		Downgrade: p.Enum("OperatorType", "upgrade", "upgrade", "downgrade") == "downgrade", AutoPay: p.Bool("AutoPay", true), Idem: c.idem()}
	p.Bool("MigrateAcrossZone", false)
	p.Bool("RebootWhenFinished", false)
	p.Time("RebootTime")
	p.Time("EndTime")
	if err := p.Err(); err != nil {
		return nil, err
	}
	id, err := c.Svc().ModifyPrepayInstanceSpec(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &ModifyPrepayInstanceSpecResponse{OrderId: id}, nil
}
