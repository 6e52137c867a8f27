package rpc

import (
	"strconv"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Elastic IP addresses: the VPC API's EIP actions (docs/eips.md).

// eipBandwidth reads Bandwidth (a string holding Mbit/s); absent is def, a
// value that is not a whole number is InvalidBandwidth.Malformed (the range
// is the service's).
func eipBandwidth(p *Params, def int) *int {
	s := p.Str("Bandwidth")
	if s == "" {
		if def == 0 {
			return nil
		}
		return &def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.Fail(openecs.ErrEipBandwidth)
		return nil
	}
	return &n
}

// AllocateEipAddressResponse is AllocateEipAddress's answer.
type AllocateEipAddressResponse struct {
	RequestId       string `json:"RequestId" xml:"RequestId"`
	AllocationId    string `json:"AllocationId" xml:"AllocationId"`
	EipAddress      string `json:"EipAddress" xml:"EipAddress"`
	ResourceGroupId string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	OrderId         int64  `json:"OrderId,omitempty" xml:"OrderId,omitempty"`
}

func allocateEipAddress(c *Call) (any, error) {
	p := c.P
	r := service.AllocateEipRequest{
		RegionID:        c.region(true),
		Name:            deref(netText(p, "Name", 128, openecs.ErrEipNameMalformed)),
		Description:     deref(netText(p, "Description", 256, openecs.ErrEipDescMalformed)),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Idem:            c.idem(),
	}
	switch ct := p.Str("InstanceChargeType"); ct {
	case "", string(openecs.PostPaid):
	case string(openecs.PrePaid):
		p.Fail(openecs.ErrEipPrePaid)
	default:
		p.Fail(openecs.ErrEipInstanceCharge)
	}
	switch r.InternetChargeType = p.Str("InternetChargeType"); r.InternetChargeType {
	case "":
		r.InternetChargeType = openecs.EipPayByBandwidth
	case openecs.EipPayByBandwidth, openecs.EipPayByTraffic:
	default:
		p.Fail(openecs.ErrEipInternetCharge)
	}
	switch r.ISP = p.Str("ISP"); r.ISP {
	case "":
		r.ISP = "BGP"
	case "BGP", "BGP_PRO":
	default:
		p.Fail(openecs.ErrEipISP)
	}
	if n := eipBandwidth(p, 5); n != nil {
		r.Bandwidth = *n
	}
	p.Str("Netmode")
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().AllocateEip(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &AllocateEipAddressResponse{AllocationId: res.AllocationID, EipAddress: res.EipAddress, ResourceGroupId: res.ResourceGroupID}, nil
}

// WireEip is an EIP as DescribeEipAddresses shows it.
type WireEip struct {
	AllocationId              string `json:"AllocationId" xml:"AllocationId"`
	IpAddress                 string `json:"IpAddress" xml:"IpAddress"`
	RegionId                  string `json:"RegionId" xml:"RegionId"`
	Status                    string `json:"Status" xml:"Status"`
	Name                      string `json:"Name" xml:"Name"`
	Description               string `json:"Description" xml:"Description"`
	Bandwidth                 string `json:"Bandwidth" xml:"Bandwidth"`
	EipBandwidth              string `json:"EipBandwidth" xml:"EipBandwidth"`
	InternetChargeType        string `json:"InternetChargeType" xml:"InternetChargeType"`
	ChargeType                string `json:"ChargeType" xml:"ChargeType"`
	ISP                       string `json:"ISP" xml:"ISP"`
	Netmode                   string `json:"Netmode" xml:"Netmode"`
	Mode                      string `json:"Mode" xml:"Mode"`
	AllocationTime            string `json:"AllocationTime" xml:"AllocationTime"`
	ExpiredTime               string `json:"ExpiredTime" xml:"ExpiredTime"`
	InstanceId                string `json:"InstanceId" xml:"InstanceId"`
	InstanceType              string `json:"InstanceType" xml:"InstanceType"`
	InstanceRegionId          string `json:"InstanceRegionId" xml:"InstanceRegionId"`
	PrivateIpAddress          string `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
	VpcId                     string `json:"VpcId" xml:"VpcId"`
	ResourceGroupId           string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	BandwidthPackageId        string `json:"BandwidthPackageId" xml:"BandwidthPackageId"`
	BandwidthPackageType      string `json:"BandwidthPackageType" xml:"BandwidthPackageType"`
	BandwidthPackageBandwidth string `json:"BandwidthPackageBandwidth" xml:"BandwidthPackageBandwidth"`
	BusinessStatus            string `json:"BusinessStatus" xml:"BusinessStatus"`
	DeletionProtection        bool   `json:"DeletionProtection" xml:"DeletionProtection"`
	SecondLimited             bool   `json:"SecondLimited" xml:"SecondLimited"`
	HDMonitorStatus           string `json:"HDMonitorStatus" xml:"HDMonitorStatus"`
	HasReservationData        string `json:"HasReservationData" xml:"HasReservationData"`
	PublicIpAddressPoolId     string `json:"PublicIpAddressPoolId" xml:"PublicIpAddressPoolId"`
	SegmentInstanceId         string `json:"SegmentInstanceId" xml:"SegmentInstanceId"`
	ServiceManaged            int    `json:"ServiceManaged" xml:"ServiceManaged"`
	Zone                      string `json:"Zone" xml:"Zone"`
	OperationLocks            struct {
		LockReason []struct {
			LockReason string `json:"LockReason" xml:"LockReason"`
		} `json:"LockReason" xml:"LockReason"`
	} `json:"OperationLocks" xml:"OperationLocks"`
	SecurityProtectionTypes struct {
		SecurityProtectionType []string `json:"SecurityProtectionType" xml:"SecurityProtectionType"`
	} `json:"SecurityProtectionTypes" xml:"SecurityProtectionTypes"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

func wireEip(e service.EipView) WireEip {
	bw := strconv.Itoa(e.Bandwidth)
	w := WireEip{AllocationId: e.ID, IpAddress: e.IPAddress, RegionId: e.RegionID, Status: string(e.Status), Name: e.Name,
		Description: e.Description, Bandwidth: bw, EipBandwidth: bw, InternetChargeType: e.InternetChargeType,
		ChargeType: string(e.ChargeType), ISP: e.ISP, Netmode: "public", AllocationTime: netTime(e.CreatedAt),
		InstanceId: e.InstanceID, InstanceType: e.InstanceType, ResourceGroupId: e.ResourceGroupID, BusinessStatus: "Normal",
		HDMonitorStatus: "OFF", HasReservationData: "false", Tags: vpcTagSet(e.Tags)}
	// PrivateIpAddress and VpcId stay empty for an ECS instance: the real
	// service fills them for network interfaces and virtual IPs only, and
	// the provider's alicloud_eip_association plans a replacement when they
	// are set (docs/eips.md).
	if e.InstanceID != "" {
		w.InstanceRegionId, w.Mode = e.RegionID, "NAT"
	}
	w.OperationLocks.LockReason = []struct {
		LockReason string `json:"LockReason" xml:"LockReason"`
	}{}
	w.SecurityProtectionTypes.SecurityProtectionType = []string{}
	return w
}

// DescribeEipAddressesResponse is DescribeEipAddresses' answer.
type DescribeEipAddressesResponse struct {
	RequestId    string `json:"RequestId" xml:"RequestId"`
	TotalCount   int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber   int    `json:"PageNumber" xml:"PageNumber"`
	PageSize     int    `json:"PageSize" xml:"PageSize"`
	EipAddresses struct {
		EipAddress []WireEip `json:"EipAddress" xml:"EipAddress"`
	} `json:"EipAddresses" xml:"EipAddresses"`
}

func describeEipAddresses(c *Call) (any, error) {
	p := c.P
	q := service.EipQuery{Filter: openecs.EipFilter{
		RegionID:        c.region(true),
		IDs:             idList(p, "AllocationId", 50),
		IPs:             idList(p, "EipAddress", 50),
		ISP:             p.Str("ISP"),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Tags:            tagFilter(p, openecs.ErrVpcTagKey),
	}}
	q.Filter.Status = enumOf(p, "Status", "", openecs.EipAvailable, openecs.EipInUse, "Associating", "Unassociating", "Releasing")
	q.Filter.ChargeType = enumOf(p, "ChargeType", "", openecs.PostPaid, openecs.PrePaid)
	if id := p.Str("AssociatedInstanceId"); id != "" {
		q.Filter.InstanceIDs = []string{id}
	}
	if t := p.Str("AssociatedInstanceType"); t != "" {
		q.Filter.InstanceType = t
	}
	q.Page.Number, q.Page.Size = pageOf(p, 10, 100)
	p.Bool("IncludeReservationData", false)
	if p.Bool("DryRun", false) && p.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().DescribeEips(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeEipAddressesResponse{TotalCount: res.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	out.EipAddresses.EipAddress = make([]WireEip, 0, len(res.Eips))
	for _, e := range res.Eips {
		out.EipAddresses.EipAddress = append(out.EipAddresses.EipAddress, wireEip(e))
	}
	return out, nil
}

func modifyEipAddressAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ModifyEipRequest{
		RegionID:    c.region(true),
		ID:          p.Required("AllocationId"),
		Name:        netText(p, "Name", 128, openecs.ErrEipNameMalformed),
		Description: netText(p, "Description", 256, openecs.ErrEipDescMalformed),
		Bandwidth:   eipBandwidth(p, 0),
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyEip(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// eipInstanceType reads InstanceType: EcsInstance, the default, is the only
// kind of resource here.
func eipInstanceType(p *Params) {
	if t := p.Str("InstanceType"); t != "" && t != openecs.EipInstanceECS {
		p.Fail(openecs.ErrEipInstanceType)
	}
}

func associateEipAddress(c *Call) (any, error) {
	p := c.P
	r := service.AssociateEipRequest{RegionID: c.region(true), ID: p.Required("AllocationId"), InstanceID: p.Required("InstanceId"), Idem: c.idem()}
	eipInstanceType(p)
	if p.Bool("DryRun", false) && p.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().AssociateEip(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func unassociateEipAddress(c *Call) (any, error) {
	p := c.P
	r := service.UnassociateEipRequest{RegionID: c.region(true), ID: p.Required("AllocationId"), InstanceID: p.Str("InstanceId"), Idem: c.idem()}
	eipInstanceType(p)
	p.Bool("Force", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().UnassociateEip(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func releaseEipAddress(c *Call) (any, error) {
	region, id := c.region(false), c.P.Required("AllocationId")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ReleaseEip(c.Ctx, c.Caller, region, id); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
