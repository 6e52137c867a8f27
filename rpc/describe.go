package rpc

import (
	"fmt"
	"strconv"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// DescribeInstancesResponse is DescribeInstances' answer.
type DescribeInstancesResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	NextToken  string `json:"NextToken" xml:"NextToken"`
	Instances  struct {
		Instance []WireInstance `json:"Instance" xml:"Instance"`
	} `json:"Instances" xml:"Instances"`
}

func describeInstances(c *Call) (any, error) {
	r, err := describeInstancesRequest(c)
	if err != nil {
		return nil, err
	}
	res, err := c.Svc().DescribeInstances(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstancesResponse{TotalCount: res.TotalCount, PageNumber: res.PageNumber, PageSize: res.PageSize}
	if res.NextSeq > 0 {
		out.NextToken = strconv.FormatInt(res.NextSeq, 16)
	}
	out.Instances.Instance = make([]WireInstance, 0, len(res.Instances))
	for _, in := range res.Instances {
		w := wireInstance(in)
		if e := res.Eips[in.ID]; e != nil {
			w.EipAddress.AllocationId, w.EipAddress.IpAddress, w.EipAddress.Bandwidth = e.ID, e.IPAddress, e.Bandwidth
			w.EipAddress.InternetChargeType, w.EipAddress.IsSupportUnassociate = e.InternetChargeType, true
		}
		out.Instances.Instance = append(out.Instances.Instance, w)
	}
	return out, nil
}

// describeInstancesRequest reads DescribeInstances' filters and paging.
func describeInstancesRequest(c *Call) (service.DescribeRequest, error) {
	p := c.P
	f := openecs.InstanceFilter{
		RegionID:      c.region(true),
		ZoneID:        p.Str("ZoneId"),
		InstanceType:  p.Str("InstanceType"),
		Family:        p.Str("InstanceTypeFamily"),
		ChargeType:    enumOf(p, "InstanceChargeType", "", openecs.PrePaid, openecs.PostPaid),
		LockReason:    openecs.LockReason(p.Enum("LockReason", "", "financial", "security", "recycling", "dedicatedhostfinancial", "refunded")),
		Name:          p.Str("InstanceName"),
		ImageID:       p.Str("ImageId"),
		VpcID:         p.Str("VpcId"),
		VSwitchID:     p.Str("VSwitchId"),
		SecurityGroup: p.Str("SecurityGroupId"),
		KeyPairName:   p.Str("KeyPairName"),
	}
	if s := enumOf(p, "Status", "", openecs.StatusPending, openecs.StatusRunning, openecs.StatusStarting, openecs.StatusStopping, openecs.StatusStopped); s != "" {
		f.Statuses = []openecs.Status{s}
	}
	if ids, ok := p.JSONArray("InstanceIds", 100); ok {
		f.IDs = ids
	}
	for _, m := range p.Structs("Tag", 20) {
		if m["Key"] == "" {
			p.Fail(openecs.ErrInvalidTagKey)
		}
		f.Tags = append(f.Tags, openecs.Tag{Key: m["Key"], Value: m["Value"]})
	}
	if nt := p.Str("InstanceNetworkType"); nt == "classic" {
		f.IDs = []string{} // every instance here is in a VPC
	}
	addressFilters(p, &f)
	f.ResourceGroupID = p.Str("ResourceGroupId")
	timeFilters(p, &f)
	r := service.DescribeRequest{PageNumber: 1, PageSize: 10}
	if p.Str("NextToken") != "" || p.Str("MaxResults") != "" {
		r.ByToken = true
		r.PageSize = maxResults(p)
		if tok := p.Str("NextToken"); tok != "" {
			seq, err := strconv.ParseInt(tok, 16, 64)
			if err != nil || seq <= 0 {
				p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
			}
			f.AfterSeq = seq
		}
	} else {
		r.PageNumber = p.Int("PageNumber", 1, 1, 1<<30)
		r.PageSize = p.Int("PageSize", 10, 1, 100)
	}
	if err := p.Err(); err != nil {
		return r, err
	}
	r.Filter = f
	return r, nil
}

// addressFilters reads DescribeInstances' address filters, each a JSON
// array of up to 100 addresses. EipAddresses matches the address of an
// instance's EIP (docs/eips.md). Every instance here is in a VPC, with no
// classic-network or RDMA address, and in no HPC cluster: those filters,
// when given, match nothing.
func addressFilters(p *Params, f *openecs.InstanceFilter) {
	if ips, ok := p.JSONArray("PrivateIpAddresses", 100); ok {
		f.PrivateIPs = ips
	}
	if ips, ok := p.JSONArray("PublicIpAddresses", 100); ok {
		f.PublicIPs = ips
	}
	if ips, ok := p.JSONArray("EipAddresses", 100); ok {
		f.EipAddresses = ips
	}
	for _, name := range []string{"InnerIpAddresses", "RdmaIpAddresses"} {
		if ips, ok := p.JSONArray(name, 100); ok && len(ips) > 0 {
			f.IDs = []string{}
		}
	}
	if p.Str("HpcClusterId") != "" {
		f.IDs = []string{}
	}
}

// timeFilters reads DescribeInstances' Filter.N.Key / Filter.N.Value: the
// keys CreationStartTime, CreationEndTime, ExpiredStartTime and
// ExpiredEndTime, each with a UTC time (yyyy-MM-ddTHH:mmZ, seconds
// optional); both ends are included.
func timeFilters(p *Params, f *openecs.InstanceFilter) {
	for i, m := range p.Structs("Filter", 4) {
		name := fmt.Sprintf("Filter.%d.Value", i+1)
		var at time.Time
		if v := m["Value"]; v != "" {
			at = parseUTC(v)
			if at.IsZero() {
				p.Fail(openecs.Invalid(name, "it must be a UTC time like 2026-11-22T10:04Z"))
				continue
			}
		}
		switch m["Key"] {
		case "CreationStartTime":
			f.CreatedFrom = at
		case "CreationEndTime":
			f.CreatedTo = at
		case "ExpiredStartTime":
			f.ExpiresFrom = at
		case "ExpiredEndTime":
			f.ExpiresTo = at
		default:
			p.Fail(openecs.Invalid(fmt.Sprintf("Filter.%d.Key", i+1), "it must be CreationStartTime, CreationEndTime, ExpiredStartTime or ExpiredEndTime"))
		}
	}
}

// maxResults reads DescribeInstances' MaxResults. Valid values are 1 to 100;
// as the real service does, a value below 10 is read as 10 and one above
// 100 as 100. Zero, a negative number or a non-number is refused.
func maxResults(p *Params) int {
	s := p.Str("MaxResults")
	if s == "" {
		return 10
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		p.Fail(openecs.Invalid("MaxResults", "it must be an integer from 1 to 100 (below 10 counts as 10, above 100 as 100)"))
		return 10
	}
	return max(10, min(n, 100))
}

// DescribeInstanceStatusResponse is DescribeInstanceStatus' answer.
type DescribeInstanceStatusResponse struct {
	RequestId        string `json:"RequestId" xml:"RequestId"`
	TotalCount       int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber       int    `json:"PageNumber" xml:"PageNumber"`
	PageSize         int    `json:"PageSize" xml:"PageSize"`
	InstanceStatuses struct {
		InstanceStatus []WireInstanceStatus `json:"InstanceStatus" xml:"InstanceStatus"`
	} `json:"InstanceStatuses" xml:"InstanceStatuses"`
}

// WireInstanceStatus is one instance's status.
type WireInstanceStatus struct {
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	Status     string `json:"Status" xml:"Status"`
}

func describeInstanceStatus(c *Call) (any, error) {
	p := c.P
	f := openecs.InstanceFilter{RegionID: c.region(true), ZoneID: p.Str("ZoneId")}
	if ids := p.List("InstanceId", 100); len(ids) > 0 {
		f.IDs = ids
	}
	r := service.DescribeRequest{PageNumber: p.Int("PageNumber", 1, 1, 1<<30), PageSize: p.Int("PageSize", 10, 1, 50)}
	if err := p.Err(); err != nil {
		return nil, err
	}
	r.Filter = f
	res, err := c.Svc().DescribeInstanceStatus(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceStatusResponse{TotalCount: res.TotalCount, PageNumber: res.PageNumber, PageSize: res.PageSize}
	out.InstanceStatuses.InstanceStatus = make([]WireInstanceStatus, 0, len(res.Statuses))
	for _, st := range res.Statuses {
		out.InstanceStatuses.InstanceStatus = append(out.InstanceStatuses.InstanceStatus, WireInstanceStatus{InstanceId: st.ID, Status: string(st.Status)})
	}
	return out, nil
}
