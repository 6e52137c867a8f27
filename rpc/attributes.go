package rpc

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Instance attributes (docs/instance-changes.md): DescribeInstanceAttribute,
// ModifyInstanceAttribute, DescribeUserData, DescribeInstanceRamRole,
// DescribeInstanceMaintenanceAttributes, ModifyInstanceMaintenanceAttributes,
// DescribeInstanceAttachmentAttributes, DescribeInstanceAutoRenewAttribute;
// and the UserData, Password and DataDisk.N parameters of RunInstances.

// MaxUserData is the largest user data, before base64.
const MaxUserData = 32 * 1024

// userData reads UserData: base64 of at most 32 KB of raw data
// (InvalidUserData.Base64FormatInvalid, InvalidUserData.SizeExceeded).
func userData(p *Params) string {
	s := p.Str("UserData")
	if s == "" {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		p.Fail(openecs.ErrUserDataNotBase64)
		return ""
	}
	if len(raw) > MaxUserData {
		p.Fail(openecs.ErrUserDataTooLarge.With("The specified parameter \"UserData\" exceeds the size: %d bytes before base64, at most %d.", len(raw), MaxUserData))
		return ""
	}
	return s
}

// passwordSpecials are the special characters a password may contain.
const passwordSpecials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"

// password reads a Password: 8 to 30 characters, at least three of upper
// case letters, lower case letters, digits and the special characters
// above, and nothing else (InvalidPassword.Malformed). It is never stored.
func password(p *Params, param string) string {
	s := p.Str(param)
	if s == "" {
		return ""
	}
	var upper, lower, digit, special int
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= '0' && r <= '9':
			digit = 1
		case strings.ContainsRune(passwordSpecials, r):
			special = 1
		default:
			p.Fail(openecs.ErrInvalidPassword.With("The specified parameter %q is not valid: it may contain only letters, digits and %s.", param, passwordSpecials))
			return ""
		}
	}
	if n := len(s); n < 8 || n > 30 {
		p.Fail(openecs.ErrInvalidPassword.With("The specified parameter %q is not valid: it must be 8 to 30 characters long.", param))
		return ""
	}
	if upper+lower+digit+special < 3 {
		p.Fail(openecs.ErrInvalidPassword.With("The specified parameter %q is not valid: it must contain three of upper case letters, lower case letters, digits and special characters.", param))
		return ""
	}
	return s
}

// dataDiskSpec reads the rest of DataDisk.N (the caller has read Size and
// Category): DiskName, Description, DeleteWithInstance (default true),
// PerformanceLevel (ESSD), Encrypted and KMSKeyId.
func dataDiskSpec(p *Params, n int, d map[string]string, category string, size int) service.DiskSpec {
	prefix := fmt.Sprintf("DataDisk.%d.", n)
	spec := service.DiskSpec{Category: category, SizeGiB: size, KMSKeyID: d["KMSKeyId"],
		Name: diskName(p, prefix+"DiskName"), Description: diskDescription(p, prefix+"Description")}
	spec.Encrypted = p.Bool(prefix+"Encrypted", false)
	if d["DeleteWithInstance"] != "" {
		v := p.Bool(prefix+"DeleteWithInstance", true)
		spec.DeleteWithInstance = &v
	}
	spec.PerformanceLevel = p.Enum(prefix+"PerformanceLevel", "", performanceLevels...)
	return spec
}

// optStr returns a pointer to a parameter's value when it was sent
// non-empty, nil otherwise (the SDKs leave out empty values).
func optStr(value string) *string {
	if value == "" {
		return nil
	}
	return &value
}

// WireInstanceAttribute is DescribeInstanceAttribute's answer: the legacy
// shape of one instance (exact key case).
type WireInstanceAttribute struct {
	RequestId               string `json:"RequestId" xml:"RequestId"`
	InstanceId              string `json:"InstanceId" xml:"InstanceId"`
	InstanceName            string `json:"InstanceName" xml:"InstanceName"`
	Description             string `json:"Description" xml:"Description"`
	HostName                string `json:"HostName" xml:"HostName"`
	RegionId                string `json:"RegionId" xml:"RegionId"`
	ZoneId                  string `json:"ZoneId" xml:"ZoneId"`
	ImageId                 string `json:"ImageId" xml:"ImageId"`
	InstanceType            string `json:"InstanceType" xml:"InstanceType"`
	Cpu                     int    `json:"Cpu" xml:"Cpu"`
	Memory                  int    `json:"Memory" xml:"Memory"`
	Status                  string `json:"Status" xml:"Status"`
	InstanceNetworkType     string `json:"InstanceNetworkType" xml:"InstanceNetworkType"`
	InstanceChargeType      string `json:"InstanceChargeType" xml:"InstanceChargeType"`
	InternetChargeType      string `json:"InternetChargeType" xml:"InternetChargeType"`
	InternetMaxBandwidthIn  int    `json:"InternetMaxBandwidthIn" xml:"InternetMaxBandwidthIn"`
	InternetMaxBandwidthOut int    `json:"InternetMaxBandwidthOut" xml:"InternetMaxBandwidthOut"`
	IoOptimized             string `json:"IoOptimized" xml:"IoOptimized"`
	StoppedMode             string `json:"StoppedMode" xml:"StoppedMode"`
	CreditSpecification     string `json:"CreditSpecification" xml:"CreditSpecification"`
	EnableJumboFrame        bool   `json:"EnableJumboFrame" xml:"EnableJumboFrame"`
	SerialNumber            string `json:"SerialNumber" xml:"SerialNumber"`
	ClusterId               string `json:"ClusterId" xml:"ClusterId"`
	VlanId                  string `json:"VlanId" xml:"VlanId"`
	CreationTime            string `json:"CreationTime" xml:"CreationTime"`
	ExpiredTime             string `json:"ExpiredTime" xml:"ExpiredTime"`
	OperationLocks          struct {
		LockReason []WireLock `json:"LockReason" xml:"LockReason"`
	} `json:"OperationLocks" xml:"OperationLocks"`
	SecurityGroupIds struct {
		SecurityGroupId []string `json:"SecurityGroupId" xml:"SecurityGroupId"`
	} `json:"SecurityGroupIds" xml:"SecurityGroupIds"`
	PublicIpAddress IPList            `json:"PublicIpAddress" xml:"PublicIpAddress"`
	InnerIpAddress  IPList            `json:"InnerIpAddress" xml:"InnerIpAddress"`
	VpcAttributes   WireVpcAttributes `json:"VpcAttributes" xml:"VpcAttributes"`
	EipAddress      struct {
		AllocationId       string `json:"AllocationId" xml:"AllocationId"`
		IpAddress          string `json:"IpAddress" xml:"IpAddress"`
		Bandwidth          int    `json:"Bandwidth" xml:"Bandwidth"`
		InternetChargeType string `json:"InternetChargeType" xml:"InternetChargeType"`
	} `json:"EipAddress" xml:"EipAddress"`
	DedicatedHostAttribute struct {
		DedicatedHostId        string `json:"DedicatedHostId" xml:"DedicatedHostId"`
		DedicatedHostName      string `json:"DedicatedHostName" xml:"DedicatedHostName"`
		DedicatedHostClusterId string `json:"DedicatedHostClusterId" xml:"DedicatedHostClusterId"`
	} `json:"DedicatedHostAttribute" xml:"DedicatedHostAttribute"`
}

// describeInstanceAttribute answers DescribeInstanceAttribute. Errors:
// MissingParameter (InstanceId), InvalidInstanceId.NotFound.
func describeInstanceAttribute(c *Call) (any, error) {
	region, id := c.region(false), c.P.Required("InstanceId")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	in, eip, err := c.Svc().InstanceWithEip(c.Ctx, c.Caller, region, id)
	if err != nil {
		return nil, err
	}
	w := wireInstance(in) // the DescribeInstances view, for the fields both show
	out := &WireInstanceAttribute{
		InstanceId: w.InstanceId, InstanceName: w.InstanceName, Description: w.Description, HostName: w.HostName,
		RegionId: w.RegionId, ZoneId: w.ZoneId, ImageId: w.ImageId, InstanceType: w.InstanceType, Cpu: w.Cpu, Memory: w.Memory,
		Status: w.Status, InstanceNetworkType: w.InstanceNetworkType, InstanceChargeType: w.InstanceChargeType,
		InternetChargeType: w.InternetChargeType, InternetMaxBandwidthIn: w.InternetMaxBandwidthIn, InternetMaxBandwidthOut: w.InternetMaxBandwidthOut,
		IoOptimized: "optimized", StoppedMode: w.StoppedMode, CreditSpecification: w.CreditSpecification, EnableJumboFrame: in.EnableJumboFrame,
		SerialNumber: w.SerialNumber, CreationTime: w.CreationTime, ExpiredTime: w.ExpiredTime,
		PublicIpAddress: w.PublicIpAddress, InnerIpAddress: w.InnerIpAddress,
	}
	out.OperationLocks.LockReason = w.OperationLocks.LockReason
	out.SecurityGroupIds.SecurityGroupId = w.SecurityGroupIds.SecurityGroupId
	out.VpcAttributes.VpcId, out.VpcAttributes.VSwitchId = w.VpcAttributes.VpcId, w.VpcAttributes.VSwitchId
	out.VpcAttributes.PrivateIpAddress = w.VpcAttributes.PrivateIpAddress
	if eip != nil {
		out.EipAddress.AllocationId, out.EipAddress.IpAddress = eip.ID, eip.IPAddress
		out.EipAddress.Bandwidth, out.EipAddress.InternetChargeType = eip.Bandwidth, eip.InternetChargeType
	}
	return out, nil
}

// modifyInstanceAttribute answers ModifyInstanceAttribute. Errors:
// MissingParameter (InstanceId), InvalidInstanceName.Malformed,
// InvalidDescription.Malformed, InvalidHostName.Malformed,
// InvalidPassword.Malformed, InvalidUserData.Base64FormatInvalid,
// InvalidUserData.SizeExceeded, InvalidParameter, then the service's.
func modifyInstanceAttribute(c *Call) (any, error) {
	p := c.P
	r := service.ModifyAttributeRequest{RegionID: c.region(false), InstanceID: p.Required("InstanceId"), Idem: c.idem()}
	r.Name = optStr(instanceName(p, "InstanceName"))
	r.Description = optStr(description(p, "Description"))
	r.HostName = optStr(hostName(p))
	r.Password = optStr(password(p, "Password"))
	r.UserData = optStr(userData(p))
	if s := p.Enum("CreditSpecification", "", "Standard", "Unlimited"); s != "" {
		r.CreditSpecification = &s
	}
	if p.Str("DeletionProtection") != "" {
		v := p.Bool("DeletionProtection", false)
		r.DeletionProtection = &v
	}
	if p.Str("EnableJumboFrame") != "" {
		v := p.Bool("EnableJumboFrame", false)
		r.EnableJumboFrame = &v
	}
	if groups := p.List("SecurityGroupIds", 16); len(groups) > 0 {
		r.SecurityGroupIDs = groups
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyInstanceAttribute(c.Ctx, c.Caller, r); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DescribeUserDataResponse is DescribeUserData's answer.
type DescribeUserDataResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	RegionId   string `json:"RegionId" xml:"RegionId"`
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	UserData   string `json:"UserData" xml:"UserData"`
}

// describeUserData answers DescribeUserData. Errors: MissingParameter
// (InstanceId), InvalidInstanceId.NotFound.
func describeUserData(c *Call) (any, error) {
	region, id := c.region(false), c.P.Required("InstanceId")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	in, err := c.Svc().InstanceAttribute(c.Ctx, c.Caller, region, id)
	if err != nil {
		return nil, err
	}
	ud, err := c.Svc().UserData(c.Ctx, c.Caller, region, id)
	if err != nil {
		return nil, err
	}
	return &DescribeUserDataResponse{RegionId: in.RegionID, InstanceId: in.ID, UserData: ud}, nil
}

// instanceIDsJSON reads an InstanceIds parameter holding a JSON array (at
// most max); nil when it was not sent.
func instanceIDsJSON(p *Params, max int) []string {
	ids, ok := p.JSONArray("InstanceIds", max)
	if !ok {
		return nil
	}
	return ids
}

// DescribeInstanceRamRoleResponse is DescribeInstanceRamRole's answer.
type DescribeInstanceRamRoleResponse struct {
	RequestId           string `json:"RequestId" xml:"RequestId"`
	RegionId            string `json:"RegionId" xml:"RegionId"`
	TotalCount          int    `json:"TotalCount" xml:"TotalCount"`
	InstanceRamRoleSets struct {
		InstanceRamRoleSet []WireRamRoleSet `json:"InstanceRamRoleSet" xml:"InstanceRamRoleSet"`
	} `json:"InstanceRamRoleSets" xml:"InstanceRamRoleSets"`
}

// WireRamRoleSet is an instance with its RAM role.
type WireRamRoleSet struct {
	InstanceId  string `json:"InstanceId" xml:"InstanceId"`
	RamRoleName string `json:"RamRoleName" xml:"RamRoleName"`
}

// describeInstanceRamRole answers DescribeInstanceRamRole. OpenECS attaches
// no RAM roles: each instance named by InstanceIds answers with an empty
// RamRoleName, and a RamRoleName filter matches nothing. Errors:
// MissingParameter (RegionId), InvalidParameter.
func describeInstanceRamRole(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	ids := instanceIDsJSON(p, 100)
	role := p.Str("RamRoleName")
	pageNumber, pageSize := p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	out := &DescribeInstanceRamRoleResponse{RegionId: region}
	out.InstanceRamRoleSets.InstanceRamRoleSet = []WireRamRoleSet{}
	if ids == nil || role != "" {
		return out, nil
	}
	page, err := c.Svc().InstancesByID(c.Ctx, c.Caller, region, ids, pageNumber, pageSize)
	if err != nil {
		return nil, err
	}
	out.TotalCount = page.TotalCount
	for _, in := range page.Instances {
		out.InstanceRamRoleSets.InstanceRamRoleSet = append(out.InstanceRamRoleSets.InstanceRamRoleSet, WireRamRoleSet{InstanceId: in.ID})
	}
	return out, nil
}

// DescribeInstanceMaintenanceAttributesResponse is
// DescribeInstanceMaintenanceAttributes' answer.
type DescribeInstanceMaintenanceAttributesResponse struct {
	RequestId             string `json:"RequestId" xml:"RequestId"`
	TotalCount            int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber            int    `json:"PageNumber" xml:"PageNumber"`
	PageSize              int    `json:"PageSize" xml:"PageSize"`
	MaintenanceAttributes struct {
		MaintenanceAttribute []WireMaintenance `json:"MaintenanceAttribute" xml:"MaintenanceAttribute"`
	} `json:"MaintenanceAttributes" xml:"MaintenanceAttributes"`
}

// WireMaintenance is one instance's maintenance attributes.
type WireMaintenance struct {
	InstanceId         string `json:"InstanceId" xml:"InstanceId"`
	MaintenanceWindows struct {
		MaintenanceWindow []WireMaintenanceWindow `json:"MaintenanceWindow" xml:"MaintenanceWindow"`
	} `json:"MaintenanceWindows" xml:"MaintenanceWindows"`
	ActionOnMaintenance struct {
		Value           string `json:"Value" xml:"Value"`
		DefaultValue    string `json:"DefaultValue" xml:"DefaultValue"`
		SupportedValues struct {
			SupportedValue []string `json:"SupportedValue" xml:"SupportedValue"`
		} `json:"SupportedValues" xml:"SupportedValues"`
	} `json:"ActionOnMaintenance" xml:"ActionOnMaintenance"`
	NotifyOnMaintenance bool `json:"NotifyOnMaintenance" xml:"NotifyOnMaintenance"`
}

// WireMaintenanceWindow is a maintenance window.
type WireMaintenanceWindow struct {
	StartTime string `json:"StartTime" xml:"StartTime"`
	EndTime   string `json:"EndTime" xml:"EndTime"`
}

// describeInstanceMaintenanceAttributes answers
// DescribeInstanceMaintenanceAttributes: the instances named by
// InstanceId.N (all of the region's without), with no window unless one was
// set. Errors: MissingParameter (RegionId), InvalidParameter.
func describeInstanceMaintenanceAttributes(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	var ids []string
	if l := p.List("InstanceId", 100); len(l) > 0 {
		ids = l
	}
	pageNumber, pageSize := p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	page, err := c.Svc().InstancesByID(c.Ctx, c.Caller, region, ids, pageNumber, pageSize)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceMaintenanceAttributesResponse{TotalCount: page.TotalCount, PageNumber: pageNumber, PageSize: pageSize}
	out.MaintenanceAttributes.MaintenanceAttribute = make([]WireMaintenance, 0, len(page.Instances))
	for _, in := range page.Instances {
		w := WireMaintenance{InstanceId: in.ID, NotifyOnMaintenance: in.Maintenance.Notify}
		w.MaintenanceWindows.MaintenanceWindow = []WireMaintenanceWindow{}
		for _, mw := range in.Maintenance.Windows {
			w.MaintenanceWindows.MaintenanceWindow = append(w.MaintenanceWindows.MaintenanceWindow, WireMaintenanceWindow{StartTime: mw.Start, EndTime: mw.End})
		}
		w.ActionOnMaintenance.Value = in.Maintenance.Action
		if w.ActionOnMaintenance.Value == "" {
			w.ActionOnMaintenance.Value = openecs.DefaultMaintenanceAction
		}
		w.ActionOnMaintenance.DefaultValue = openecs.DefaultMaintenanceAction
		w.ActionOnMaintenance.SupportedValues.SupportedValue = append([]string{}, openecs.MaintenanceActions...)
		out.MaintenanceAttributes.MaintenanceAttribute = append(out.MaintenanceAttributes.MaintenanceAttribute, w)
	}
	return out, nil
}

// timeOfDay is a maintenance window bound: HH:mm:ssZ, UTC.
var timeOfDay = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$`)

// modifyInstanceMaintenanceAttributes answers
// ModifyInstanceMaintenanceAttributes. Errors: MissingParameter (RegionId,
// InstanceId.1), InvalidParameter.MaintenanceWindow (a bound that is not
// HH:mm:ssZ, a missing bound, or a window that starts where it ends),
// InvalidParameter.ActionOnMaintenance, InvalidInstanceId.NotFound.
func modifyInstanceMaintenanceAttributes(c *Call) (any, error) {
	p := c.P
	m := service.MaintenanceChange{RegionID: c.region(true), InstanceIDs: p.List("InstanceId", 100)}
	if len(m.InstanceIDs) == 0 {
		p.Fail(openecs.Missing("InstanceId.1"))
	}
	if ws := p.Structs("MaintenanceWindow", 10); len(ws) > 0 {
		windows := []openecs.MaintenanceWindow{}
		for i, w := range ws {
			start, end := w["StartTime"], w["EndTime"]
			if !timeOfDay.MatchString(start) || !timeOfDay.MatchString(end) || start == end {
				p.Fail(openecs.ErrMaintenanceWindow.With("The specified parameter \"MaintenanceWindow.%d\" is not valid: StartTime and EndTime are required, written HH:mm:ssZ (UTC), and differ.", i+1))
			}
			windows = append(windows, openecs.MaintenanceWindow{Start: start, End: end})
		}
		m.Windows = &windows
	}
	if a := p.Str("ActionOnMaintenance"); a != "" {
		if !contains(openecs.MaintenanceActions, a) {
			p.Fail(openecs.ErrMaintenanceAction)
		}
		m.Action = &a
	}
	if p.Str("NotifyOnMaintenance") != "" {
		v := p.Bool("NotifyOnMaintenance", false)
		m.Notify = &v
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().ModifyInstanceMaintenanceAttributes(c.Ctx, c.Caller, m); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// DescribeInstanceAttachmentAttributesResponse is
// DescribeInstanceAttachmentAttributes' answer.
type DescribeInstanceAttachmentAttributesResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	Instances  struct {
		Instance []WireAttachmentAttributes `json:"Instance" xml:"Instance"`
	} `json:"Instances" xml:"Instances"`
}

// WireAttachmentAttributes is an instance's private pool.
type WireAttachmentAttributes struct {
	InstanceId                      string `json:"InstanceId" xml:"InstanceId"`
	PrivatePoolOptionsMatchCriteria string `json:"PrivatePoolOptionsMatchCriteria" xml:"PrivatePoolOptionsMatchCriteria"`
	PrivatePoolOptionsId            string `json:"PrivatePoolOptionsId" xml:"PrivatePoolOptionsId"`
}

// describeInstanceAttachmentAttributes answers
// DescribeInstanceAttachmentAttributes. OpenECS has no private pools: every
// instance matches None. Errors: MissingParameter (RegionId, InstanceIds),
// InvalidParameter.
func describeInstanceAttachmentAttributes(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	if p.Str("InstanceIds") == "" {
		p.Fail(openecs.Missing("InstanceIds"))
	}
	ids := instanceIDsJSON(p, 100)
	pageNumber, pageSize := p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	page, err := c.Svc().InstancesByID(c.Ctx, c.Caller, region, ids, pageNumber, pageSize)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceAttachmentAttributesResponse{TotalCount: page.TotalCount, PageNumber: pageNumber, PageSize: pageSize}
	out.Instances.Instance = make([]WireAttachmentAttributes, 0, len(page.Instances))
	for _, in := range page.Instances {
		out.Instances.Instance = append(out.Instances.Instance, WireAttachmentAttributes{InstanceId: in.ID, PrivatePoolOptionsMatchCriteria: "None"})
	}
	return out, nil
}

// DescribeInstanceAutoRenewAttributeResponse is
// DescribeInstanceAutoRenewAttribute's answer.
type DescribeInstanceAutoRenewAttributeResponse struct {
	RequestId               string `json:"RequestId" xml:"RequestId"`
	TotalCount              int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber              int    `json:"PageNumber" xml:"PageNumber"`
	PageSize                int    `json:"PageSize" xml:"PageSize"`
	InstanceRenewAttributes struct {
		InstanceRenewAttribute []WireRenewAttribute `json:"InstanceRenewAttribute" xml:"InstanceRenewAttribute"`
	} `json:"InstanceRenewAttributes" xml:"InstanceRenewAttributes"`
}

// WireRenewAttribute is a subscription instance's renewal setting.
type WireRenewAttribute struct {
	InstanceId       string `json:"InstanceId" xml:"InstanceId"`
	AutoRenewEnabled bool   `json:"AutoRenewEnabled" xml:"AutoRenewEnabled"`
	RenewalStatus    string `json:"RenewalStatus" xml:"RenewalStatus"`
	Duration         int    `json:"Duration" xml:"Duration"`
	PeriodUnit       string `json:"PeriodUnit" xml:"PeriodUnit"`
}

// describeInstanceAutoRenewAttribute answers
// DescribeInstanceAutoRenewAttribute. Errors: MissingParameter (RegionId),
// InvalidParameter.RenewalStatusInstanceId (neither InstanceId nor
// RenewalStatus), InvalidParameter.ToManyInstanceIds,
// InvalidParameter.RenewalStatus, InvalidParameter.InvalidInstanceId,
// ChargeTypeViolation (a pay-as-you-go instance).
func describeInstanceAutoRenewAttribute(c *Call) (any, error) {
	p := c.P
	q := service.AutoRenewQuery{RegionID: c.region(true), RenewalStatus: p.Str("RenewalStatus")}
	if s := p.Str("InstanceId"); s != "" {
		for _, id := range strings.Split(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				q.InstanceIDs = append(q.InstanceIDs, id)
			}
		}
		if len(q.InstanceIDs) > 100 {
			p.Fail(openecs.ErrRenewTooManyIDs)
		}
	}
	if q.RenewalStatus != "" && !contains([]string{"AutoRenewal", "Normal", "NotRenewal"}, q.RenewalStatus) {
		p.Fail(openecs.ErrRenewalStatusInvalid)
	}
	if q.InstanceIDs == nil && q.RenewalStatus == "" {
		p.Fail(openecs.ErrRenewalNoFilter)
	}
	q.PageNumber, q.PageSize = p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", 10, 1, 100)
	if err := p.Err(); err != nil {
		return nil, err
	}
	page, err := c.Svc().InstanceAutoRenewAttributes(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeInstanceAutoRenewAttributeResponse{TotalCount: page.TotalCount, PageNumber: q.PageNumber, PageSize: q.PageSize}
	out.InstanceRenewAttributes.InstanceRenewAttribute = make([]WireRenewAttribute, 0, len(page.Instances))
	for _, in := range page.Instances {
		w := WireRenewAttribute{InstanceId: in.ID, AutoRenewEnabled: in.AutoRenew, RenewalStatus: service.RenewalStatus(in), PeriodUnit: "Month"}
		if in.AutoRenew {
			w.Duration = max(in.AutoRenewPeriod, 1)
		}
		out.InstanceRenewAttributes.InstanceRenewAttribute = append(out.InstanceRenewAttributes.InstanceRenewAttribute, w)
	}
	return out, nil
}
