package rpc

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// An instance's groups, a group's inner access policy, a subscription's
// renewal and an instance's public network after it runs:
// JoinSecurityGroup, LeaveSecurityGroup, ModifySecurityGroupPolicy,
// ModifyInstanceAutoRenewAttribute, ModifyInstanceNetworkSpec and
// AllocatePublicIpAddress (docs/networks.md, docs/instance-changes.md). The
// Terraform provider sends each when a configuration changes the matching
// attribute of alicloud_instance or alicloud_security_group.

// membershipRequest reads JoinSecurityGroup's and LeaveSecurityGroup's
// parameters: SecurityGroupId and one of InstanceId and NetworkInterfaceId.
func membershipRequest(c *Call) service.GroupMembership {
	p := c.P
	r := service.GroupMembership{RegionID: c.region(false), GroupID: p.Required("SecurityGroupId"),
		InstanceID: p.Str("InstanceId"), NetworkInterfaceID: p.Str("NetworkInterfaceId"), Idem: c.idem()}
	switch {
	case r.InstanceID != "" && r.NetworkInterfaceID != "":
		p.Fail(openecs.ErrGroupTargetConflict)
	case r.InstanceID == "" && r.NetworkInterfaceID == "":
		p.Fail(openecs.Missing("InstanceId"))
	}
	return r
}

func joinSecurityGroup(c *Call) (any, error) {
	r := membershipRequest(c)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().JoinSecurityGroup(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func leaveSecurityGroup(c *Call) (any, error) {
	r := membershipRequest(c)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().LeaveSecurityGroup(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// modifySecurityGroupPolicy answers ModifySecurityGroupPolicy. Errors:
// MissingParameter (RegionId, SecurityGroupId), InvalidPolicy.Malformed
// (InnerAccessPolicy missing, or neither Accept nor Drop in any case), then
// the service's.
func modifySecurityGroupPolicy(c *Call) (any, error) {
	p := c.P
	r := service.GroupPolicyRequest{RegionID: c.region(true), GroupID: p.Required("SecurityGroupId"), Idem: c.idem()}
	switch strings.ToLower(p.Str("InnerAccessPolicy")) {
	case "accept":
		r.Policy = "Accept"
	case "drop":
		r.Policy = "Drop"
	default:
		p.Fail(openecs.ErrGroupPolicyMalformed)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifySecurityGroupPolicy(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// renewDurations are the auto-renewal periods ModifyInstanceAutoRenewAttribute
// takes, by PeriodUnit.
var renewDurations = map[string][]int{"Month": {1, 2, 3, 6, 12, 24, 36, 48, 60}, "Year": {1, 2, 3, 4, 5}}

// modifyInstanceAutoRenewAttribute answers ModifyInstanceAutoRenewAttribute.
// Errors: MissingParameter (RegionId, InstanceId),
// InvalidParameter.ToManyInstanceIds (over 100),
// InvalidParameter.RenewalStatus, InvalidParameter (AutoRenew, PeriodUnit,
// Duration), then the service's. RenewalStatus wins over AutoRenew; a
// Duration in years is kept in months.
func modifyInstanceAutoRenewAttribute(c *Call) (any, error) {
	p := c.P
	r := service.AutoRenewChange{RegionID: c.region(true), Idem: c.idem()}
	for _, id := range strings.Split(p.Required("InstanceId"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			r.InstanceIDs = append(r.InstanceIDs, id)
		}
	}
	if len(r.InstanceIDs) > 100 {
		p.Fail(openecs.ErrRenewTooManyIDs)
	}
	r.Status = "Normal"
	if p.Bool("AutoRenew", false) {
		r.Status = "AutoRenewal"
	}
	if s := p.Str("RenewalStatus"); s != "" {
		if !contains([]string{"AutoRenewal", "Normal", "NotRenewal"}, s) {
			p.Fail(openecs.ErrRenewalStatusInvalid)
		}
		r.Status = s
	}
	unit := p.Enum("PeriodUnit", "Month", "Month", "Year")
	duration := p.Int("Duration", 1, 1, 60)
	if p.Err() == nil && !slices.Contains(renewDurations[unit], duration) {
		p.Fail(openecs.Invalid("Duration", "with PeriodUnit "+unit+" it must be one of "+joinInts(renewDurations[unit])))
	}
	r.Months = duration
	if unit == "Year" {
		r.Months = duration * 12
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyInstanceAutoRenewAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// ModifyInstanceNetworkSpecResponse is ModifyInstanceNetworkSpec's answer;
// OrderId is empty (public bandwidth is not billed here).
type ModifyInstanceNetworkSpecResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	OrderId   string `json:"OrderId" xml:"OrderId"`
}

// modifyInstanceNetworkSpec answers ModifyInstanceNetworkSpec. Errors:
// MissingParameter (InstanceId), InvalidParameter (InternetMaxBandwidthOut
// outside 0–100, InternetMaxBandwidthIn outside 1–10000, NetworkChargeType,
// AllocatePublicIp, AutoPay), then the service's. StartTime and EndTime (a
// temporary upgrade) are read and not acted on.
func modifyInstanceNetworkSpec(c *Call) (any, error) {
	p := c.P
	r := service.NetworkSpecChange{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), Idem: c.idem()}
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
	r.ChargeType = p.Enum("NetworkChargeType", "", "PayByBandwidth", "PayByTraffic")
	r.AllocatePublicIP = p.Bool("AllocatePublicIp", false)
	p.Bool("AutoPay", true)
	p.Str("StartTime")
	p.Str("EndTime")
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyInstanceNetworkSpec(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &ModifyInstanceNetworkSpecResponse{}, nil
}

// AllocatePublicIpAddressResponse is AllocatePublicIpAddress's answer.
type AllocatePublicIpAddressResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	IpAddress string `json:"IpAddress" xml:"IpAddress"`
}

// allocatePublicIpAddress answers AllocatePublicIpAddress. Errors:
// MissingParameter (InstanceId), InvalidParameter (IpAddress not an IPv4
// address), then the service's. VlanId (classic network) is ignored.
func allocatePublicIpAddress(c *Call) (any, error) {
	p := c.P
	r := service.PublicIPRequest{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), Address: p.Str("IpAddress"), Idem: c.idem()}
	if r.Address != "" {
		if a, err := netip.ParseAddr(r.Address); err != nil || !a.Is4() {
			p.Fail(openecs.Invalid("IpAddress", "it must be an IPv4 address"))
		}
	}
	p.Str("VlanId")
	if err := p.Err(); err != nil {
		return nil, err
	}
	ip, err := c.Svc().AllocatePublicIpAddress(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &AllocatePublicIpAddressResponse{IpAddress: ip}, nil
}
