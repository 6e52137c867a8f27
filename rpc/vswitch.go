package rpc

import (
	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// The VPC API's vSwitches (docs/networks.md).

// CreateVSwitchResponse is CreateVSwitch's answer.
type CreateVSwitchResponse struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
	VSwitchId string `json:"VSwitchId" xml:"VSwitchId"`
}

func createVSwitch(c *Call) (any, error) {
	p := c.P
	r := service.CreateVSwitchRequest{
		RegionID:    c.region(true),
		ZoneID:      p.Required("ZoneId"),
		VpcID:       p.Required("VpcId"),
		CidrBlock:   p.Required("CidrBlock"),
		Name:        deref(netText(p, "VSwitchName", 128, openecs.ErrVSwitchNameMalformed)),
		Description: deref(netText(p, "Description", 256, openecs.ErrVSwitchDescMalformed)),
		Tags:        vpcTags(p),
		Idem:        c.idem(),
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	id, err := c.Svc().CreateVSwitch(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &CreateVSwitchResponse{VSwitchId: id}, nil
}

// WireVSwitch is a vSwitch as DescribeVSwitches shows it.
type WireVSwitch struct {
	VSwitchId               string `json:"VSwitchId" xml:"VSwitchId"`
	VpcId                   string `json:"VpcId" xml:"VpcId"`
	Status                  string `json:"Status" xml:"Status"`
	CidrBlock               string `json:"CidrBlock" xml:"CidrBlock"`
	Ipv6CidrBlock           string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	ZoneId                  string `json:"ZoneId" xml:"ZoneId"`
	AvailableIpAddressCount int64  `json:"AvailableIpAddressCount" xml:"AvailableIpAddressCount"`
	Description             string `json:"Description" xml:"Description"`
	VSwitchName             string `json:"VSwitchName" xml:"VSwitchName"`
	CreationTime            string `json:"CreationTime" xml:"CreationTime"`
	IsDefault               bool   `json:"IsDefault" xml:"IsDefault"`
	ResourceGroupId         string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	NetworkAclId            string `json:"NetworkAclId" xml:"NetworkAclId"`
	OwnerId                 int64  `json:"OwnerId" xml:"OwnerId"`
	ShareType               string `json:"ShareType" xml:"ShareType"`
	EnabledIpv6             bool   `json:"EnabledIpv6" xml:"EnabledIpv6"`
	RouteTable              struct {
		RouteTableId   string `json:"RouteTableId" xml:"RouteTableId"`
		RouteTableType string `json:"RouteTableType" xml:"RouteTableType"`
	} `json:"RouteTable" xml:"RouteTable"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

func wireVSwitch(v service.VSwitchView) WireVSwitch {
	w := WireVSwitch{VSwitchId: v.ID, VpcId: v.VpcID, Status: string(v.Status), CidrBlock: v.CidrBlock, ZoneId: v.ZoneID,
		AvailableIpAddressCount: v.AvailableIPs, Description: v.Description, VSwitchName: v.Name, CreationTime: netTime(v.CreatedAt),
		IsDefault: v.IsDefault, OwnerId: ownerID(v.AccountID), ShareType: "Sharing", Tags: vpcTagSet(v.Tags)}
	w.RouteTable.RouteTableId, w.RouteTable.RouteTableType = v.RouteTableID, "System"
	return w
}

// DescribeVSwitchesResponse is DescribeVSwitches' answer.
type DescribeVSwitchesResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	VSwitches  struct {
		VSwitch []WireVSwitch `json:"VSwitch" xml:"VSwitch"`
	} `json:"VSwitches" xml:"VSwitches"`
}

func describeVSwitches(c *Call) (any, error) {
	p := c.P
	f := openecs.VSwitchFilter{
		RegionID:  c.region(false),
		IDs:       idList(p, "VSwitchId", 20),
		VpcID:     p.Str("VpcId"),
		ZoneID:    p.Str("ZoneId"),
		Name:      p.Str("VSwitchName"),
		IsDefault: isDefault(p),
		Tags:      tagFilter(p, openecs.ErrVpcTagKey),
	}
	if f.RegionID == "" && f.VpcID == "" && p.Err() == nil {
		p.Fail(openecs.Missing("RegionId"))
	}
	var q service.VSwitchQuery
	q.Page.Number, q.Page.Size = pageOf(p, 10, 50)
	q.RouteTableID = p.Str("RouteTableId")
	if p.Str("ResourceGroupId") != "" {
		f.IDs = []string{} // vSwitches are in no resource group here
	}
	if p.Bool("DryRun", false) && p.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.Filter = f
	res, err := c.Svc().DescribeVSwitches(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeVSwitchesResponse{TotalCount: res.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	out.VSwitches.VSwitch = make([]WireVSwitch, 0, len(res.VSwitches))
	for _, v := range res.VSwitches {
		out.VSwitches.VSwitch = append(out.VSwitches.VSwitch, wireVSwitch(v))
	}
	return out, nil
}

// DescribeVSwitchAttributesResponse is DescribeVSwitchAttributes' answer.
type DescribeVSwitchAttributesResponse struct {
	RequestId               string `json:"RequestId" xml:"RequestId"`
	VSwitchId               string `json:"VSwitchId" xml:"VSwitchId"`
	VpcId                   string `json:"VpcId" xml:"VpcId"`
	Status                  string `json:"Status" xml:"Status"`
	CidrBlock               string `json:"CidrBlock" xml:"CidrBlock"`
	Ipv6CidrBlock           string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	ZoneId                  string `json:"ZoneId" xml:"ZoneId"`
	AvailableIpAddressCount int64  `json:"AvailableIpAddressCount" xml:"AvailableIpAddressCount"`
	Description             string `json:"Description" xml:"Description"`
	VSwitchName             string `json:"VSwitchName" xml:"VSwitchName"`
	CreationTime            string `json:"CreationTime" xml:"CreationTime"`
	IsDefault               bool   `json:"IsDefault" xml:"IsDefault"`
	ResourceGroupId         string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	NetworkAclId            string `json:"NetworkAclId" xml:"NetworkAclId"`
	OwnerId                 int64  `json:"OwnerId" xml:"OwnerId"`
	ShareType               string `json:"ShareType" xml:"ShareType"`
	EnabledIpv6             bool   `json:"EnabledIpv6" xml:"EnabledIpv6"`
	RouteTable              struct {
		RouteTableId   string `json:"RouteTableId" xml:"RouteTableId"`
		RouteTableType string `json:"RouteTableType" xml:"RouteTableType"`
		VRouterId      string `json:"VRouterId" xml:"VRouterId"`
		Status         string `json:"Status" xml:"Status"`
	} `json:"RouteTable" xml:"RouteTable"`
	CloudResources struct {
		CloudResourceSetType []WireCloudResource `json:"CloudResourceSetType" xml:"CloudResourceSetType"`
	} `json:"CloudResources" xml:"CloudResources"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

// describeVSwitchAttributes answers DescribeVSwitchAttributes. The provider
// sends VSwitchId in the query and RegionId in the body; the transport has
// merged both.
func describeVSwitchAttributes(c *Call) (any, error) {
	region, id := c.region(true), c.P.Required("VSwitchId")
	if c.P.Bool("DryRun", false) && c.P.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	v, err := c.Svc().DescribeVSwitchAttributes(c.Ctx, c.Caller, region, id)
	if err != nil {
		return nil, err
	}
	out := &DescribeVSwitchAttributesResponse{VSwitchId: v.ID, VpcId: v.VpcID, Status: string(v.Status), CidrBlock: v.CidrBlock,
		ZoneId: v.ZoneID, AvailableIpAddressCount: v.AvailableIPs, Description: v.Description, VSwitchName: v.Name,
		CreationTime: netTime(v.CreatedAt), IsDefault: v.IsDefault, OwnerId: ownerID(v.AccountID), ShareType: "Sharing", Tags: vpcTagSet(v.Tags)}
	out.RouteTable.RouteTableId, out.RouteTable.RouteTableType, out.RouteTable.VRouterId, out.RouteTable.Status = v.RouteTableID, "System", v.VRouterID, "Available"
	out.CloudResources.CloudResourceSetType = []WireCloudResource{{ResourceType: "ECS", ResourceCount: v.InstanceCount}}
	return out, nil
}

func modifyVSwitchAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ModifyVSwitchRequest{
		RegionID:    c.region(false),
		VSwitchID:   p.Required("VSwitchId"),
		Name:        netText(p, "VSwitchName", 128, openecs.ErrVSwitchNameMalformed),
		Description: netText(p, "Description", 256, openecs.ErrVSwitchDescMalformed),
	}
	p.Bool("EnableIPv6", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyVSwitchAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func deleteVSwitch(c *Call) (any, error) {
	region, id := c.region(false), c.P.Required("VSwitchId")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteVSwitch(c.Ctx, c.Caller, region, id); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}
