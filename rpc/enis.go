package rpc

import (
	"strconv"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// DescribeNetworkInterfaces (ECS 2014-05-26; docs/networks.md, "Network
// interfaces").

// WireENISet is a network interface as DescribeNetworkInterfaces shows it.
type WireENISet struct {
	NetworkInterfaceId          string `json:"NetworkInterfaceId" xml:"NetworkInterfaceId"`
	NetworkInterfaceName        string `json:"NetworkInterfaceName" xml:"NetworkInterfaceName"`
	Status                      string `json:"Status" xml:"Status"`
	Type                        string `json:"Type" xml:"Type"`
	VpcId                       string `json:"VpcId" xml:"VpcId"`
	VSwitchId                   string `json:"VSwitchId" xml:"VSwitchId"`
	ZoneId                      string `json:"ZoneId" xml:"ZoneId"`
	PrivateIpAddress            string `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
	MacAddress                  string `json:"MacAddress" xml:"MacAddress"`
	InstanceId                  string `json:"InstanceId" xml:"InstanceId"`
	OwnerId                     string `json:"OwnerId" xml:"OwnerId"`
	Description                 string `json:"Description" xml:"Description"`
	ResourceGroupId             string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	CreationTime                string `json:"CreationTime" xml:"CreationTime"`
	ServiceManaged              bool   `json:"ServiceManaged" xml:"ServiceManaged"`
	QueueNumber                 int    `json:"QueueNumber" xml:"QueueNumber"`
	QueuePairNumber             int    `json:"QueuePairNumber" xml:"QueuePairNumber"`
	NetworkInterfaceTrafficMode string `json:"NetworkInterfaceTrafficMode" xml:"NetworkInterfaceTrafficMode"`
	SourceDestCheck             bool   `json:"SourceDestCheck" xml:"SourceDestCheck"`
	DeleteOnRelease             bool   `json:"DeleteOnRelease" xml:"DeleteOnRelease"`
	SecurityGroupIds            struct {
		SecurityGroupId []string `json:"SecurityGroupId" xml:"SecurityGroupId"`
	} `json:"SecurityGroupIds" xml:"SecurityGroupIds"`
	AssociatedPublicIp WirePublicIP `json:"AssociatedPublicIp" xml:"AssociatedPublicIp"`
	Attachment         struct {
		InstanceId              string `json:"InstanceId" xml:"InstanceId"`
		DeviceIndex             int    `json:"DeviceIndex" xml:"DeviceIndex"`
		NetworkCardIndex        int    `json:"NetworkCardIndex" xml:"NetworkCardIndex"`
		TrunkNetworkInterfaceId string `json:"TrunkNetworkInterfaceId" xml:"TrunkNetworkInterfaceId"`
	} `json:"Attachment" xml:"Attachment"`
	PrivateIpSets struct {
		PrivateIpSet []WirePrivateIP `json:"PrivateIpSet" xml:"PrivateIpSet"`
	} `json:"PrivateIpSets" xml:"PrivateIpSets"`
	Ipv6Sets struct {
		Ipv6Set []struct {
			Ipv6Address string `json:"Ipv6Address" xml:"Ipv6Address"`
		} `json:"Ipv6Set" xml:"Ipv6Set"`
	} `json:"Ipv6Sets" xml:"Ipv6Sets"`
	Ipv4PrefixSets struct {
		Ipv4PrefixSet []struct {
			Ipv4Prefix string `json:"Ipv4Prefix" xml:"Ipv4Prefix"`
		} `json:"Ipv4PrefixSet" xml:"Ipv4PrefixSet"`
	} `json:"Ipv4PrefixSets" xml:"Ipv4PrefixSets"`
	Ipv6PrefixSets struct {
		Ipv6PrefixSet []struct {
			Ipv6Prefix string `json:"Ipv6Prefix" xml:"Ipv6Prefix"`
		} `json:"Ipv6PrefixSet" xml:"Ipv6PrefixSet"`
	} `json:"Ipv6PrefixSets" xml:"Ipv6PrefixSets"`
	Tags TagSet `json:"Tags" xml:"Tags"`
}

// WirePublicIP is a public address bound to an interface or address.
type WirePublicIP struct {
	PublicIpAddress string `json:"PublicIpAddress" xml:"PublicIpAddress"`
	AllocationId    string `json:"AllocationId" xml:"AllocationId"`
}

// WirePrivateIP is one private address of an interface; Primary is a JSON
// Boolean (the provider type-asserts it).
type WirePrivateIP struct {
	PrivateIpAddress   string       `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
	PrivateDnsName     string       `json:"PrivateDnsName" xml:"PrivateDnsName"`
	Primary            bool         `json:"Primary" xml:"Primary"`
	AssociatedPublicIp WirePublicIP `json:"AssociatedPublicIp" xml:"AssociatedPublicIp"`
}

// DescribeNetworkInterfacesResponse is DescribeNetworkInterfaces' answer.
type DescribeNetworkInterfacesResponse struct {
	RequestId            string `json:"RequestId" xml:"RequestId"`
	TotalCount           int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber           int    `json:"PageNumber" xml:"PageNumber"`
	PageSize             int    `json:"PageSize" xml:"PageSize"`
	NextToken            string `json:"NextToken" xml:"NextToken"`
	NetworkInterfaceSets struct {
		NetworkInterfaceSet []WireENISet `json:"NetworkInterfaceSet" xml:"NetworkInterfaceSet"`
	} `json:"NetworkInterfaceSets" xml:"NetworkInterfaceSets"`
}

func describeNetworkInterfaces(c *Call) (any, error) {
	p := c.P
	f := openecs.NetworkInterfaceFilter{
		RegionID:        c.region(true),
		InstanceID:      p.Str("InstanceId"),
		VpcID:           p.Str("VpcId"),
		VSwitchID:       p.Str("VSwitchId"),
		SecurityGroupID: p.Str("SecurityGroupId"),
		PrivateIP:       p.Str("PrimaryIpAddress"),
		Type:            enumOf(p, "Type", "", openecs.ENIPrimary, openecs.ENISecondary),
	}
	if ids := p.List("NetworkInterfaceId", 100); len(ids) > 0 {
		f.IDs = ids
	}
	if ips := p.List("PrivateIpAddress", 100); len(ips) > 0 || p.Str("NetworkInterfaceName") != "" || p.Str("ResourceGroupId") != "" ||
		len(p.List("Ipv6Address", 100)) > 0 || p.Bool("ServiceManaged", false) {
		f.IDs = []string{} // no interface here has secondary addresses, a name or a resource group
	}
	if st := p.Enum("Status", "", "Available", "Attaching", "InUse", "Detaching", "Deleting"); st != "" && st != "InUse" {
		f.IDs = []string{} // every interface here is in use
	}
	q := service.ENIQuery{}
	if p.Str("NextToken") != "" || p.Str("MaxResults") != "" {
		q.ByToken, q.Page.Number = true, 1
		q.Page.Size = 10
		if s := p.Str("MaxResults"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				p.Fail(openecs.Invalid("MaxResults", "it must be an integer from 10 to 500 (below 10 counts as 10, above 500 as 500)"))
			}
			q.Page.Size = max(10, min(n, 500))
		}
		if tok := p.Str("NextToken"); tok != "" {
			seq, err := strconv.ParseInt(tok, 16, 64)
			if err != nil || seq <= 0 {
				p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
			}
			f.AfterSeq = seq
		}
	} else {
		q.Page.Number, q.Page.Size = pageOf(p, 10, 1000)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.Filter = f
	res, err := c.Svc().DescribeNetworkInterfaces(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeNetworkInterfacesResponse{TotalCount: res.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	if res.NextSeq > 0 {
		out.NextToken = strconv.FormatInt(res.NextSeq, 16)
	}
	out.NetworkInterfaceSets.NetworkInterfaceSet = make([]WireENISet, 0, len(res.Interfaces))
	for _, n := range res.Interfaces {
		w := WireENISet{NetworkInterfaceId: n.ID, Status: "InUse", Type: string(n.Type), VpcId: n.VpcID, VSwitchId: n.VSwitchID,
			ZoneId: n.ZoneID, PrivateIpAddress: n.PrivateIP, MacAddress: n.MacAddress, InstanceId: n.InstanceID, OwnerId: n.AccountID,
			CreationTime: netTime(n.CreatedAt), QueueNumber: 2, NetworkInterfaceTrafficMode: "Standard", DeleteOnRelease: true,
			AssociatedPublicIp: WirePublicIP{PublicIpAddress: n.PublicIP}, Tags: tagSet(nil)}
		w.SecurityGroupIds.SecurityGroupId = append([]string{}, n.SecurityGroupIDs...)
		w.Attachment.InstanceId = n.InstanceID
		w.PrivateIpSets.PrivateIpSet = []WirePrivateIP{{PrivateIpAddress: n.PrivateIP, Primary: true, AssociatedPublicIp: WirePublicIP{PublicIpAddress: n.PublicIP}}}
		w.Ipv6Sets.Ipv6Set = []struct {
			Ipv6Address string `json:"Ipv6Address" xml:"Ipv6Address"`
		}{}
		w.Ipv4PrefixSets.Ipv4PrefixSet = []struct {
			Ipv4Prefix string `json:"Ipv4Prefix" xml:"Ipv4Prefix"`
		}{}
		w.Ipv6PrefixSets.Ipv6PrefixSet = []struct {
			Ipv6Prefix string `json:"Ipv6Prefix" xml:"Ipv6Prefix"`
		}{}
		out.NetworkInterfaceSets.NetworkInterfaceSet = append(out.NetworkInterfaceSets.NetworkInterfaceSet, w)
	}
	return out, nil
}
