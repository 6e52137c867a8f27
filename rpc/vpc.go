package rpc

import (
	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// VPCVersion is the VPC API version served on the same endpoint.
const VPCVersion = "2016-04-28"

// The VPC API's VPCs and route tables (docs/networks.md).

// VpcTagSet is a {"Tag": [{"Key", "Value"}]} wrapper: the VPC API's tags.
type VpcTagSet struct {
	Tag []VpcTag `json:"Tag" xml:"Tag"`
}

// VpcTag is a tag as the VPC API shows it.
type VpcTag struct {
	Key   string `json:"Key" xml:"Key"`
	Value string `json:"Value" xml:"Value"`
}

func vpcTagSet(tags []openecs.Tag) VpcTagSet {
	out := VpcTagSet{Tag: make([]VpcTag, 0, len(tags))}
	for _, t := range tags {
		out.Tag = append(out.Tag, VpcTag{Key: t.Key, Value: t.Value})
	}
	return out
}

// CreateVpcResponse is CreateVpc's answer.
type CreateVpcResponse struct {
	RequestId       string `json:"RequestId" xml:"RequestId"`
	VpcId           string `json:"VpcId" xml:"VpcId"`
	VRouterId       string `json:"VRouterId" xml:"VRouterId"`
	RouteTableId    string `json:"RouteTableId" xml:"RouteTableId"`
	ResourceGroupId string `json:"ResourceGroupId" xml:"ResourceGroupId"`
}

func createVpc(c *Call) (any, error) {
	p := c.P
	r := service.CreateVpcRequest{
		RegionID:        c.region(true),
		CidrBlock:       p.Str("CidrBlock"),
		Name:            deref(netText(p, "VpcName", 128, openecs.ErrVpcNameMalformed)),
		Description:     deref(netText(p, "Description", 256, openecs.ErrVpcDescriptionMalformed)),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Tags:            vpcTags(p),
		DryRun:          p.Bool("DryRun", false),
		Idem:            c.idem(),
	}
	p.Bool("EnableIpv6", false)
	p.Bool("EnableDnsHostname", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().CreateVpc(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &CreateVpcResponse{VpcId: res.VpcID, VRouterId: res.VRouterID, RouteTableId: res.RouteTableID, ResourceGroupId: res.ResourceGroupID}, nil
}

// WireVpc is a VPC as DescribeVpcs shows it.
type WireVpc struct {
	VpcId                  string `json:"VpcId" xml:"VpcId"`
	RegionId               string `json:"RegionId" xml:"RegionId"`
	Status                 string `json:"Status" xml:"Status"`
	VpcName                string `json:"VpcName" xml:"VpcName"`
	CreationTime           string `json:"CreationTime" xml:"CreationTime"`
	CidrBlock              string `json:"CidrBlock" xml:"CidrBlock"`
	Ipv6CidrBlock          string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	VRouterId              string `json:"VRouterId" xml:"VRouterId"`
	Description            string `json:"Description" xml:"Description"`
	IsDefault              bool   `json:"IsDefault" xml:"IsDefault"`
	NetworkAclNum          string `json:"NetworkAclNum" xml:"NetworkAclNum"`
	ResourceGroupId        string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	CenStatus              string `json:"CenStatus" xml:"CenStatus"`
	OwnerId                int64  `json:"OwnerId" xml:"OwnerId"`
	EnabledIpv6            bool   `json:"EnabledIpv6" xml:"EnabledIpv6"`
	DnsHostnameStatus      string `json:"DnsHostnameStatus" xml:"DnsHostnameStatus"`
	DhcpOptionsSetId       string `json:"DhcpOptionsSetId" xml:"DhcpOptionsSetId"`
	DhcpOptionsSetStatus   string `json:"DhcpOptionsSetStatus" xml:"DhcpOptionsSetStatus"`
	SupportAdvancedFeature bool   `json:"SupportAdvancedFeature" xml:"SupportAdvancedFeature"`
	AdvancedResource       bool   `json:"AdvancedResource" xml:"AdvancedResource"`
	VSwitchIds             struct {
		VSwitchId []string `json:"VSwitchId" xml:"VSwitchId"`
	} `json:"VSwitchIds" xml:"VSwitchIds"`
	UserCidrs struct {
		UserCidr []string `json:"UserCidr" xml:"UserCidr"`
	} `json:"UserCidrs" xml:"UserCidrs"`
	SecondaryCidrBlocks struct {
		SecondaryCidrBlock []string `json:"SecondaryCidrBlock" xml:"SecondaryCidrBlock"`
	} `json:"SecondaryCidrBlocks" xml:"SecondaryCidrBlocks"`
	NatGatewayIds struct {
		NatGatewayIds []string `json:"NatGatewayIds" xml:"NatGatewayIds"`
	} `json:"NatGatewayIds" xml:"NatGatewayIds"`
	RouterTableIds struct {
		RouterTableIds []string `json:"RouterTableIds" xml:"RouterTableIds"`
	} `json:"RouterTableIds" xml:"RouterTableIds"`
	Ipv6CidrBlocks struct {
		Ipv6CidrBlock []WireIpv6Block `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	} `json:"Ipv6CidrBlocks" xml:"Ipv6CidrBlocks"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

// WireIpv6Block is one IPv6 block of a VPC (there are none here).
type WireIpv6Block struct {
	Ipv6CidrBlock string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	Ipv6Isp       string `json:"Ipv6Isp" xml:"Ipv6Isp"`
}

func wireVpc(v service.VpcView) WireVpc {
	w := WireVpc{VpcId: v.ID, RegionId: v.RegionID, Status: string(v.Status), VpcName: v.Name, CreationTime: netTime(v.CreatedAt),
		CidrBlock: v.CidrBlock, VRouterId: v.VRouterID, Description: v.Description, IsDefault: v.IsDefault, NetworkAclNum: "0",
		ResourceGroupId: v.ResourceGroupID, CenStatus: "Detached", OwnerId: ownerID(v.AccountID), DnsHostnameStatus: "DISABLED",
		SupportAdvancedFeature: true, Tags: vpcTagSet(v.Tags)}
	w.VSwitchIds.VSwitchId = append([]string{}, v.VSwitchIDs...)
	w.UserCidrs.UserCidr, w.SecondaryCidrBlocks.SecondaryCidrBlock = []string{}, []string{}
	w.NatGatewayIds.NatGatewayIds = []string{}
	w.RouterTableIds.RouterTableIds = []string{v.RouteTableID}
	w.Ipv6CidrBlocks.Ipv6CidrBlock = []WireIpv6Block{}
	return w
}

// DescribeVpcsResponse is DescribeVpcs' answer.
type DescribeVpcsResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	Vpcs       struct {
		Vpc []WireVpc `json:"Vpc" xml:"Vpc"`
	} `json:"Vpcs" xml:"Vpcs"`
}

func describeVpcs(c *Call) (any, error) {
	p := c.P
	q := service.VpcQuery{Filter: openecs.VpcFilter{
		RegionID:  c.region(true),
		IDs:       idList(p, "VpcId", 20),
		Name:      p.Str("VpcName"),
		IsDefault: isDefault(p),
		Tags:      tagFilter(p, openecs.ErrVpcTagKey),
	}}
	q.Page.Number, q.Page.Size = pageOf(p, 10, 50)
	q.Filter.ResourceGroupID = p.Str("ResourceGroupId")
	if p.Bool("DryRun", false) && p.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().DescribeVpcs(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeVpcsResponse{TotalCount: res.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	out.Vpcs.Vpc = make([]WireVpc, 0, len(res.Vpcs))
	for _, v := range res.Vpcs {
		out.Vpcs.Vpc = append(out.Vpcs.Vpc, wireVpc(v))
	}
	return out, nil
}

// DescribeVpcAttributeResponse is DescribeVpcAttribute's answer.
type DescribeVpcAttributeResponse struct {
	RequestId            string `json:"RequestId" xml:"RequestId"`
	VpcId                string `json:"VpcId" xml:"VpcId"`
	RegionId             string `json:"RegionId" xml:"RegionId"`
	Status               string `json:"Status" xml:"Status"`
	VpcName              string `json:"VpcName" xml:"VpcName"`
	CreationTime         string `json:"CreationTime" xml:"CreationTime"`
	CidrBlock            string `json:"CidrBlock" xml:"CidrBlock"`
	Ipv6CidrBlock        string `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	Ipv6Isp              string `json:"Ipv6Isp" xml:"Ipv6Isp"`
	VRouterId            string `json:"VRouterId" xml:"VRouterId"`
	Description          string `json:"Description" xml:"Description"`
	IsDefault            bool   `json:"IsDefault" xml:"IsDefault"`
	ClassicLinkEnabled   bool   `json:"ClassicLinkEnabled" xml:"ClassicLinkEnabled"`
	ResourceGroupId      string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	NetworkAclNum        string `json:"NetworkAclNum" xml:"NetworkAclNum"`
	OwnerId              int64  `json:"OwnerId" xml:"OwnerId"`
	EnabledIpv6          bool   `json:"EnabledIpv6" xml:"EnabledIpv6"`
	DnsHostnameStatus    string `json:"DnsHostnameStatus" xml:"DnsHostnameStatus"`
	DhcpOptionsSetId     string `json:"DhcpOptionsSetId" xml:"DhcpOptionsSetId"`
	DhcpOptionsSetStatus string `json:"DhcpOptionsSetStatus" xml:"DhcpOptionsSetStatus"`
	SupportIpv4Gateway   bool   `json:"SupportIpv4Gateway" xml:"SupportIpv4Gateway"`
	Ipv4GatewayId        string `json:"Ipv4GatewayId" xml:"Ipv4GatewayId"`
	VSwitchIds           struct {
		VSwitchId []string `json:"VSwitchId" xml:"VSwitchId"`
	} `json:"VSwitchIds" xml:"VSwitchIds"`
	UserCidrs struct {
		UserCidr []string `json:"UserCidr" xml:"UserCidr"`
	} `json:"UserCidrs" xml:"UserCidrs"`
	SecondaryCidrBlocks struct {
		SecondaryCidrBlock []string `json:"SecondaryCidrBlock" xml:"SecondaryCidrBlock"`
	} `json:"SecondaryCidrBlocks" xml:"SecondaryCidrBlocks"`
	Ipv6CidrBlocks struct {
		Ipv6CidrBlock []WireIpv6Block `json:"Ipv6CidrBlock" xml:"Ipv6CidrBlock"`
	} `json:"Ipv6CidrBlocks" xml:"Ipv6CidrBlocks"`
	AssociatedCens struct {
		AssociatedCen []struct{} `json:"AssociatedCen" xml:"AssociatedCen"`
	} `json:"AssociatedCens" xml:"AssociatedCens"`
	CloudResources struct {
		CloudResourceSetType []WireCloudResource `json:"CloudResourceSetType" xml:"CloudResourceSetType"`
	} `json:"CloudResources" xml:"CloudResources"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

// WireCloudResource counts the resources of one type in a VPC or vSwitch.
type WireCloudResource struct {
	ResourceType  string `json:"ResourceType" xml:"ResourceType"`
	ResourceCount int    `json:"ResourceCount" xml:"ResourceCount"`
}

func describeVpcAttribute(c *Call) (any, error) {
	region, id := c.region(true), c.P.Required("VpcId")
	c.P.Bool("IsDefault", false)
	if c.P.Bool("DryRun", false) && c.P.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	v, err := c.Svc().DescribeVpcAttribute(c.Ctx, c.Caller, region, id)
	if err != nil {
		return nil, err
	}
	out := &DescribeVpcAttributeResponse{VpcId: v.ID, RegionId: v.RegionID, Status: string(v.Status), VpcName: v.Name,
		CreationTime: netTime(v.CreatedAt), CidrBlock: v.CidrBlock, VRouterId: v.VRouterID, Description: v.Description,
		IsDefault: v.IsDefault, ResourceGroupId: v.ResourceGroupID, NetworkAclNum: "0", OwnerId: ownerID(v.AccountID),
		DnsHostnameStatus: "DISABLED", Tags: vpcTagSet(v.Tags)}
	out.VSwitchIds.VSwitchId = append([]string{}, v.VSwitchIDs...)
	out.UserCidrs.UserCidr, out.SecondaryCidrBlocks.SecondaryCidrBlock = []string{}, []string{}
	out.Ipv6CidrBlocks.Ipv6CidrBlock, out.AssociatedCens.AssociatedCen = []WireIpv6Block{}, []struct{}{}
	out.CloudResources.CloudResourceSetType = []WireCloudResource{{ResourceType: "VSwitch", ResourceCount: len(v.VSwitchIDs)},
		{ResourceType: "RouteTable", ResourceCount: 1}}
	return out, nil
}

func modifyVpcAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ModifyVpcRequest{
		RegionID:    c.region(false),
		VpcID:       p.Required("VpcId"),
		Name:        netText(p, "VpcName", 128, openecs.ErrVpcNameMalformed),
		Description: netText(p, "Description", 256, openecs.ErrVpcDescriptionMalformed),
		CidrBlock:   p.Str("CidrBlock"),
	}
	p.Bool("EnableIPv6", false)
	p.Bool("EnableDnsHostname", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyVpcAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func deleteVpc(c *Call) (any, error) {
	p := c.P
	r := service.DeleteVpcRequest{RegionID: c.region(true), VpcID: p.Required("VpcId"), DryRun: p.Bool("DryRun", false), Idem: c.idem()}
	p.Bool("ForceDelete", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteVpc(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// WireRouteTable is one entry of DescribeRouteTableList.
type WireRouteTable struct {
	VpcId                  string `json:"VpcId" xml:"VpcId"`
	RouterId               string `json:"RouterId" xml:"RouterId"`
	RouterType             string `json:"RouterType" xml:"RouterType"`
	RouteTableId           string `json:"RouteTableId" xml:"RouteTableId"`
	RouteTableName         string `json:"RouteTableName" xml:"RouteTableName"`
	RouteTableType         string `json:"RouteTableType" xml:"RouteTableType"`
	AssociateType          string `json:"AssociateType" xml:"AssociateType"`
	Description            string `json:"Description" xml:"Description"`
	ResourceGroupId        string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	CreationTime           string `json:"CreationTime" xml:"CreationTime"`
	Status                 string `json:"Status" xml:"Status"`
	OwnerId                int64  `json:"OwnerId" xml:"OwnerId"`
	RoutePropagationEnable bool   `json:"RoutePropagationEnable" xml:"RoutePropagationEnable"`
	VSwitchIds             struct {
		VSwitchId []string `json:"VSwitchId" xml:"VSwitchId"`
	} `json:"VSwitchIds" xml:"VSwitchIds"`
	GatewayIds struct {
		GatewayIds []string `json:"GatewayIds" xml:"GatewayIds"`
	} `json:"GatewayIds" xml:"GatewayIds"`
	Tags VpcTagSet `json:"Tags" xml:"Tags"`
}

// DescribeRouteTableListResponse is DescribeRouteTableList's answer.
type DescribeRouteTableListResponse struct {
	RequestId       string `json:"RequestId" xml:"RequestId"`
	Success         bool   `json:"Success" xml:"Success"`
	Code            string `json:"Code" xml:"Code"`
	Message         string `json:"Message" xml:"Message"`
	PageNumber      int    `json:"PageNumber" xml:"PageNumber"`
	PageSize        int    `json:"PageSize" xml:"PageSize"`
	TotalCount      int    `json:"TotalCount" xml:"TotalCount"`
	RouterTableList struct {
		RouterTableListType []WireRouteTable `json:"RouterTableListType" xml:"RouterTableListType"`
	} `json:"RouterTableList" xml:"RouterTableList"`
}

func describeRouteTableList(c *Call) (any, error) {
	p := c.P
	q := service.RouteTableQuery{
		RegionID:       c.region(true),
		VpcID:          p.Str("VpcId"),
		RouterID:       p.Str("RouterId"),
		RouterType:     p.Enum("RouterType", "", "VRouter", "VBR"),
		RouteTableID:   p.Str("RouteTableId"),
		RouteTableType: p.Enum("RouteTableType", "", "System", "Custom"),
		RouteTableName: p.Str("RouteTableName"),
		Tags:           tagFilter(p, openecs.ErrVpcTagKey),
	}
	q.Page.Number, q.Page.Size = pageOf(p, 10, 50)
	if err := p.Err(); err != nil {
		return nil, err
	}
	res, err := c.Svc().DescribeRouteTableList(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeRouteTableListResponse{Success: true, Code: "200", Message: "successful", PageNumber: q.Page.Number, PageSize: q.Page.Size,
		TotalCount: res.Total}
	out.RouterTableList.RouterTableListType = make([]WireRouteTable, 0, len(res.Tables))
	for _, t := range res.Tables {
		w := WireRouteTable{VpcId: t.Vpc.ID, RouterId: t.Vpc.VRouterID, RouterType: "VRouter", RouteTableId: t.Vpc.RouteTableID,
			RouteTableType: "System", AssociateType: "VSwitch", ResourceGroupId: t.Vpc.ResourceGroupID, CreationTime: netTime(t.Vpc.CreatedAt),
			Status: "Available", OwnerId: ownerID(t.Vpc.AccountID), RoutePropagationEnable: true, Tags: vpcTagSet(t.Tags)}
		w.VSwitchIds.VSwitchId, w.GatewayIds.GatewayIds = append([]string{}, t.VSwitchIDs...), []string{}
		out.RouterTableList.RouterTableListType = append(out.RouterTableList.RouterTableListType, w)
	}
	return out, nil
}
