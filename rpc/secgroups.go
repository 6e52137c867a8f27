package rpc

import (
	"encoding/json"
	"strconv"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Security groups and their rules (ECS 2014-05-26; docs/networks.md).

// CreateSecurityGroupResponse is CreateSecurityGroup's answer.
type CreateSecurityGroupResponse struct {
	RequestId       string `json:"RequestId" xml:"RequestId"`
	SecurityGroupId string `json:"SecurityGroupId" xml:"SecurityGroupId"`
}

// groupType reads SecurityGroupType: normal or enterprise.
func groupType(p *Params) openecs.SecurityGroupType {
	s := p.Str("SecurityGroupType")
	switch openecs.SecurityGroupType(s) {
	case "":
		return ""
	case openecs.SecurityGroupNormal, openecs.SecurityGroupEnterprise:
		return openecs.SecurityGroupType(s)
	}
	p.Fail(openecs.ErrSecurityGroupType)
	return ""
}

func createSecurityGroup(c *Call) (any, error) {
	p := c.P
	r := service.CreateSecurityGroupRequest{
		RegionID:        c.region(true),
		VpcID:           p.Str("VpcId"),
		Name:            deref(groupName(p)),
		Description:     deref(groupDescription(p)),
		Type:            groupType(p),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Tags:            p.Tags("Tag"),
		Idem:            c.idem(),
	}
	p.Bool("ServiceManaged", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	id, err := c.Svc().CreateSecurityGroup(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &CreateSecurityGroupResponse{SecurityGroupId: id}, nil
}

// WireSecurityGroup is a group as DescribeSecurityGroups shows it.
type WireSecurityGroup struct {
	SecurityGroupId         string `json:"SecurityGroupId" xml:"SecurityGroupId"`
	SecurityGroupName       string `json:"SecurityGroupName" xml:"SecurityGroupName"`
	Description             string `json:"Description" xml:"Description"`
	SecurityGroupType       string `json:"SecurityGroupType" xml:"SecurityGroupType"`
	VpcId                   string `json:"VpcId" xml:"VpcId"`
	CreationTime            string `json:"CreationTime" xml:"CreationTime"`
	EcsCount                int    `json:"EcsCount" xml:"EcsCount"`
	AvailableInstanceAmount int    `json:"AvailableInstanceAmount" xml:"AvailableInstanceAmount"`
	ResourceGroupId         string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	ServiceManaged          bool   `json:"ServiceManaged" xml:"ServiceManaged"`
	RuleCount               int    `json:"RuleCount" xml:"RuleCount"`
	GroupToGroupRuleCount   int    `json:"GroupToGroupRuleCount" xml:"GroupToGroupRuleCount"`
	Tags                    TagSet `json:"Tags" xml:"Tags"`
}

// DescribeSecurityGroupsResponse is DescribeSecurityGroups' answer.
type DescribeSecurityGroupsResponse struct {
	RequestId      string `json:"RequestId" xml:"RequestId"`
	RegionId       string `json:"RegionId" xml:"RegionId"`
	TotalCount     int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber     int    `json:"PageNumber" xml:"PageNumber"`
	PageSize       int    `json:"PageSize" xml:"PageSize"`
	NextToken      string `json:"NextToken" xml:"NextToken"`
	SecurityGroups struct {
		SecurityGroup []WireSecurityGroup `json:"SecurityGroup" xml:"SecurityGroup"`
	} `json:"SecurityGroups" xml:"SecurityGroups"`
}

func describeSecurityGroups(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	f := openecs.SecurityGroupFilter{RegionID: region, VpcID: p.Str("VpcId"), Name: p.Str("SecurityGroupName"),
		ResourceGroupID: p.Str("ResourceGroupId"), Tags: tagFilter(p, openecs.ErrInvalidTagKey)}
	if t := p.Str("SecurityGroupType"); t != "" {
		f.Type = openecs.SecurityGroupType(t)
		if f.Type != openecs.SecurityGroupNormal && f.Type != openecs.SecurityGroupEnterprise {
			p.Fail(openecs.ErrInvalidParameter.With("The specified SecurityGroupType is not valid."))
		}
	}
	if ids, ok := p.JSONArray("SecurityGroupIds", 100); ok {
		f.IDs = ids
	}
	if id := p.Str("SecurityGroupId"); id != "" {
		if f.IDs == nil || contains(f.IDs, id) {
			f.IDs = []string{id}
		} else {
			f.IDs = []string{}
		}
	}
	if p.Enum("NetworkType", "", "vpc", "classic") == "classic" || p.Bool("ServiceManaged", false) {
		f.IDs = []string{} // every group here is a VPC group and the user's own
	}
	p.Bool("IsQueryEcsCount", false)
	p.Bool("FuzzyQuery", false)
	q := service.GroupQuery{}
	if p.Str("NextToken") != "" || p.Str("MaxResults") != "" {
		q.ByToken, q.Page.Number = true, 1
		q.Page.Size = p.Int("MaxResults", 10, 1, 100)
		if tok := p.Str("NextToken"); tok != "" {
			seq, err := strconv.ParseInt(tok, 16, 64)
			if err != nil || seq <= 0 {
				p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
			}
			f.AfterSeq = seq
		}
	} else {
		q.Page.Number, q.Page.Size = pageOf(p, 10, 50)
	}
	if p.Bool("DryRun", false) && p.Err() == nil {
		return nil, openecs.ErrDryRunOperation
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.Filter = f
	res, err := c.Svc().DescribeSecurityGroups(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeSecurityGroupsResponse{RegionId: region, TotalCount: res.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	if res.NextSeq > 0 {
		out.NextToken = strconv.FormatInt(res.NextSeq, 16)
	}
	out.SecurityGroups.SecurityGroup = make([]WireSecurityGroup, 0, len(res.Groups))
	for _, g := range res.Groups {
		out.SecurityGroups.SecurityGroup = append(out.SecurityGroups.SecurityGroup, WireSecurityGroup{
			SecurityGroupId: g.ID, SecurityGroupName: g.Name, Description: g.Description, SecurityGroupType: string(g.Type),
			VpcId: g.VpcID, CreationTime: netTime(g.CreatedAt), EcsCount: g.Instances,
			AvailableInstanceAmount: max(service.GroupCapacity(g.Type)-g.Instances, 0), ResourceGroupId: g.ResourceGroupID,
			RuleCount: g.Rules, GroupToGroupRuleCount: g.GroupRules, Tags: tagSet(g.Tags)})
	}
	return out, nil
}

// WirePermission is a rule as DescribeSecurityGroupAttribute shows it:
// protocol and policy in lower case, Priority a string, NicType intranet.
type WirePermission struct {
	SecurityGroupRuleId     string `json:"SecurityGroupRuleId" xml:"SecurityGroupRuleId"`
	Direction               string `json:"Direction" xml:"Direction"`
	IpProtocol              string `json:"IpProtocol" xml:"IpProtocol"`
	PortRange               string `json:"PortRange" xml:"PortRange"`
	SourcePortRange         string `json:"SourcePortRange" xml:"SourcePortRange"`
	SourceCidrIp            string `json:"SourceCidrIp" xml:"SourceCidrIp"`
	Ipv6SourceCidrIp        string `json:"Ipv6SourceCidrIp" xml:"Ipv6SourceCidrIp"`
	SourceGroupId           string `json:"SourceGroupId" xml:"SourceGroupId"`
	SourceGroupName         string `json:"SourceGroupName" xml:"SourceGroupName"`
	SourceGroupOwnerAccount string `json:"SourceGroupOwnerAccount" xml:"SourceGroupOwnerAccount"`
	SourcePrefixListId      string `json:"SourcePrefixListId" xml:"SourcePrefixListId"`
	SourcePrefixListName    string `json:"SourcePrefixListName" xml:"SourcePrefixListName"`
	DestCidrIp              string `json:"DestCidrIp" xml:"DestCidrIp"`
	Ipv6DestCidrIp          string `json:"Ipv6DestCidrIp" xml:"Ipv6DestCidrIp"`
	DestGroupId             string `json:"DestGroupId" xml:"DestGroupId"`
	DestGroupName           string `json:"DestGroupName" xml:"DestGroupName"`
	DestGroupOwnerAccount   string `json:"DestGroupOwnerAccount" xml:"DestGroupOwnerAccount"`
	DestPrefixListId        string `json:"DestPrefixListId" xml:"DestPrefixListId"`
	DestPrefixListName      string `json:"DestPrefixListName" xml:"DestPrefixListName"`
	Policy                  string `json:"Policy" xml:"Policy"`
	Priority                string `json:"Priority" xml:"Priority"`
	NicType                 string `json:"NicType" xml:"NicType"`
	Description             string `json:"Description" xml:"Description"`
	CreateTime              string `json:"CreateTime" xml:"CreateTime"`
}

// DescribeSecurityGroupAttributeResponse is DescribeSecurityGroupAttribute's
// answer.
type DescribeSecurityGroupAttributeResponse struct {
	RequestId         string `json:"RequestId" xml:"RequestId"`
	RegionId          string `json:"RegionId" xml:"RegionId"`
	SecurityGroupId   string `json:"SecurityGroupId" xml:"SecurityGroupId"`
	SecurityGroupName string `json:"SecurityGroupName" xml:"SecurityGroupName"`
	Description       string `json:"Description" xml:"Description"`
	VpcId             string `json:"VpcId" xml:"VpcId"`
	InnerAccessPolicy string `json:"InnerAccessPolicy" xml:"InnerAccessPolicy"`
	NextToken         string `json:"NextToken" xml:"NextToken"`
	Permissions       struct {
		Permission []WirePermission `json:"Permission" xml:"Permission"`
	} `json:"Permissions" xml:"Permissions"`
}

func describeSecurityGroupAttribute(c *Call) (any, error) {
	p := c.P
	region, id := c.region(true), p.Required("SecurityGroupId")
	dir := p.Enum("Direction", "all", "ingress", "egress", "all")
	// NicType is read and ignored: every rule of a VPC group is on the
	// internal NIC, and the provider sends "<nil>" when a rule has none.
	p.Str("NicType")
	p.Str("Attribute")
	limit := 0
	if p.Str("MaxResults") != "" {
		limit = max(p.Int("MaxResults", 500, 1, 1000), 10)
	}
	offset := 0
	if tok := p.Str("NextToken"); tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil || n < 0 {
			p.Fail(openecs.Invalid("NextToken", "it is not a token this service issued"))
		}
		offset = n
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if dir == "all" {
		dir = ""
	}
	res, err := c.Svc().DescribeSecurityGroupAttribute(c.Ctx, c.Caller, region, id, openecs.RuleDirection(dir), offset, limit)
	if err != nil {
		return nil, err
	}
	g := res.Group
	out := &DescribeSecurityGroupAttributeResponse{RegionId: g.RegionID, SecurityGroupId: g.ID, SecurityGroupName: g.Name,
		Description: g.Description, VpcId: g.VpcID, InnerAccessPolicy: g.InnerPolicy()}
	if res.Next > 0 {
		out.NextToken = strconv.Itoa(res.Next)
	}
	out.Permissions.Permission = make([]WirePermission, 0, len(res.Rules))
	for _, r := range res.Rules {
		out.Permissions.Permission = append(out.Permissions.Permission, WirePermission{
			SecurityGroupRuleId: r.ID, Direction: string(r.Direction), IpProtocol: r.IpProtocol, PortRange: r.PortRange,
			SourcePortRange: r.SourcePortRange, SourceCidrIp: r.SourceCidrIp, Ipv6SourceCidrIp: r.Ipv6SourceCidrIp,
			SourceGroupId: r.SourceGroupID, SourcePrefixListId: r.SourcePrefixListID, DestCidrIp: r.DestCidrIp,
			Ipv6DestCidrIp: r.Ipv6DestCidrIp, DestGroupId: r.DestGroupID, DestPrefixListId: r.DestPrefixListID,
			Policy: r.Policy, Priority: strconv.Itoa(r.Priority), NicType: r.NicType, Description: r.Description,
			CreateTime: netTime(r.CreatedAt)})
	}
	return out, nil
}

func modifySecurityGroupAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ModifyGroupRequest{RegionID: c.region(true), GroupID: p.Required("SecurityGroupId"), Name: groupName(p), Description: groupDescription(p)}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifySecurityGroupAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func deleteSecurityGroup(c *Call) (any, error) {
	region, id := c.region(true), c.P.Required("SecurityGroupId")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteSecurityGroup(c.Ctx, c.Caller, region, id); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ruleFields are the fields of a rule, top level or in Permissions.N.
var ruleFields = []string{"IpProtocol", "PortRange", "SourcePortRange", "SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId",
	"SourcePrefixListId", "DestCidrIp", "Ipv6DestCidrIp", "DestGroupId", "DestPrefixListId", "Policy", "Priority", "NicType", "Description"}

func ruleSpec(get func(string) string) service.RuleSpec {
	return service.RuleSpec{IpProtocol: get("IpProtocol"), PortRange: get("PortRange"), SourcePortRange: get("SourcePortRange"),
		SourceCidrIp: get("SourceCidrIp"), Ipv6SourceCidrIp: get("Ipv6SourceCidrIp"), SourceGroupID: get("SourceGroupId"),
		SourcePrefixListID: get("SourcePrefixListId"), DestCidrIp: get("DestCidrIp"), Ipv6DestCidrIp: get("Ipv6DestCidrIp"),
		DestGroupID: get("DestGroupId"), DestPrefixListID: get("DestPrefixListId"), Policy: get("Policy"), Priority: get("Priority"),
		NicType: get("NicType"), Description: get("Description")}
}

// ruleSpecs reads the rules of a call: Permissions.N.* (up to 100), or the
// old top-level parameters (one rule), never both (InvalidParam.Permissions).
// It returns none when neither is given.
func ruleSpecs(p *Params) []service.RuleSpec {
	perms := p.Structs("Permissions", 100)
	if js := p.Str("Permissions"); js != "" {
		// The aliyun CLI sends the list as one JSON parameter.
		perms = append(perms, jsonObjects(p, "Permissions", js, 100)...)
	}
	topLevel := false
	for _, f := range ruleFields {
		if p.Str(f) != "" {
			topLevel = true
		}
	}
	if len(perms) > 0 {
		if topLevel {
			p.Fail(openecs.ErrRulePermissionsMix)
			return nil
		}
		out := make([]service.RuleSpec, 0, len(perms))
		for _, m := range perms {
			out = append(out, ruleSpec(func(k string) string { return m[k] }))
		}
		return out
	}
	if !topLevel {
		return nil
	}
	return []service.RuleSpec{ruleSpec(p.Str)}
}

// ruleRequest reads what every rule action shares.
func ruleRequest(c *Call, dir openecs.RuleDirection) service.RuleRequest {
	p := c.P
	r := service.RuleRequest{RegionID: c.region(true), GroupID: p.Required("SecurityGroupId"), Direction: dir, Idem: c.idem()}
	r.Rules = ruleSpecs(p)
	return r
}

func authorize(dir openecs.RuleDirection) handler {
	return func(c *Call) (any, error) {
		r := ruleRequest(c, dir)
		if len(r.Rules) == 0 && c.P.Err() == nil {
			c.P.Fail(openecs.Missing("IpProtocol"))
		}
		if err := c.P.Err(); err != nil {
			return nil, err
		}
		if err := c.Svc().AuthorizeSecurityGroup(c.Ctx, c.Caller, r); err != nil {
			return nil, err
		}
		return &Empty{}, nil
	}
}

func revoke(dir openecs.RuleDirection) handler {
	return func(c *Call) (any, error) {
		r := ruleRequest(c, dir)
		r.RuleIDs = c.P.List("SecurityGroupRuleId", 100)
		if len(r.Rules) == 0 && len(r.RuleIDs) == 0 && c.P.Err() == nil {
			c.P.Fail(openecs.Missing("IpProtocol"))
		}
		if err := c.P.Err(); err != nil {
			return nil, err
		}
		if err := c.Svc().RevokeSecurityGroup(c.Ctx, c.Caller, r); err != nil {
			return nil, err
		}
		return &Empty{}, nil
	}
}

func modifyRule(dir openecs.RuleDirection) handler {
	return func(c *Call) (any, error) {
		p := c.P
		r := service.RuleRequest{RegionID: c.region(true), GroupID: p.Required("SecurityGroupId"), Direction: dir, Idem: c.idem()}
		r.Rules = []service.RuleSpec{ruleSpec(p.Str)}
		if id := p.Str("SecurityGroupRuleId"); id != "" {
			r.RuleIDs = []string{id}
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		if err := c.Svc().ModifySecurityGroupRule(c.Ctx, c.Caller, r); err != nil {
			return nil, err
		}
		return &Empty{}, nil
	}
}

// jsonObjects reads a parameter holding a JSON array of objects (a list the
// aliyun CLI sends whole), each field as text, at most max of them.
func jsonObjects(p *Params, name, js string, max int) []map[string]string {
	var raw []map[string]any
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		p.Fail(openecs.Invalid(name, "it must be a JSON array of objects"))
		return nil
	}
	if len(raw) > max {
		p.Fail(openecs.Invalid(name, "at most "+strconv.Itoa(max)+" entries are allowed"))
		return nil
	}
	out := make([]map[string]string, 0, len(raw))
	for _, obj := range raw {
		m := map[string]string{}
		for k, v := range obj {
			switch x := v.(type) {
			case string:
				m[k] = x
			case float64:
				m[k] = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				m[k] = strconv.FormatBool(x)
			case nil:
			default:
				p.Fail(openecs.Invalid(name+"."+k, "it must be a string or a number"))
				return nil
			}
		}
		out = append(out, m)
	}
	return out
}
