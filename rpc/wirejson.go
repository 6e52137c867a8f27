package rpc

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A DescribeInstances page is the largest answer the API gives, and
// encoding/json spends most of its time there walking WireInstance's
// seventy-odd fields by reflection. appendJSON writes the same bytes by
// hand. wirejson_test.go checks the output against encoding/json for every
// field, so a field added to WireInstance (or the types below) and not here
// fails the tests.

// appendJSON appends the page as encodeBody would write it.
func (r *DescribeInstancesResponse) appendJSON(b []byte) []byte {
	b = append(b, `{"RequestId":`...)
	b = jsonString(b, r.RequestId)
	b = append(b, `,"TotalCount":`...)
	b = strconv.AppendInt(b, int64(r.TotalCount), 10)
	b = append(b, `,"PageNumber":`...)
	b = strconv.AppendInt(b, int64(r.PageNumber), 10)
	b = append(b, `,"PageSize":`...)
	b = strconv.AppendInt(b, int64(r.PageSize), 10)
	b = append(b, `,"NextToken":`...)
	b = jsonString(b, r.NextToken)
	b = append(b, `,"Instances":{"Instance":`...)
	if r.Instances.Instance == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Instances.Instance {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Instances.Instance[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}

func (w *WireInstance) appendJSON(b []byte) []byte {
	b = jstr(b, `{"InstanceId":`, w.InstanceId)
	b = jstr(b, `,"InstanceName":`, w.InstanceName)
	b = jstr(b, `,"Description":`, w.Description)
	b = jstr(b, `,"HostName":`, w.HostName)
	b = jstr(b, `,"RegionId":`, w.RegionId)
	b = jstr(b, `,"ZoneId":`, w.ZoneId)
	b = jstr(b, `,"InstanceType":`, w.InstanceType)
	b = jstr(b, `,"InstanceTypeFamily":`, w.InstanceTypeFamily)
	b = jint(b, `,"Cpu":`, int64(w.Cpu))
	b = jint(b, `,"Memory":`, int64(w.Memory))
	b = jint(b, `,"GPUAmount":`, int64(w.GPUAmount))
	b = jstr(b, `,"GPUSpec":`, w.GPUSpec)
	b = jint(b, `,"LocalStorageAmount":`, int64(w.LocalStorageAmount))
	b = jint(b, `,"LocalStorageCapacity":`, w.LocalStorageCapacity)
	b = jstr(b, `,"ImageId":`, w.ImageId)
	b = jstr(b, `,"OSName":`, w.OSName)
	b = jstr(b, `,"OSNameEn":`, w.OSNameEn)
	b = jstr(b, `,"OSType":`, w.OSType)
	b = jstr(b, `,"Status":`, w.Status)
	b = jstr(b, `,"InstanceChargeType":`, w.InstanceChargeType)
	b = jstr(b, `,"InternetChargeType":`, w.InternetChargeType)
	b = jint(b, `,"InternetMaxBandwidthIn":`, int64(w.InternetMaxBandwidthIn))
	b = jint(b, `,"InternetMaxBandwidthOut":`, int64(w.InternetMaxBandwidthOut))
	b = jstr(b, `,"InstanceNetworkType":`, w.InstanceNetworkType)
	b = jstr(b, `,"StoppedMode":`, w.StoppedMode)
	b = jstr(b, `,"SpotStrategy":`, w.SpotStrategy)
	b = append(b, `,"SpotPriceLimit":`...)
	b = w.SpotPriceLimit.appendJSON(b)
	b = jint(b, `,"SpotDuration":`, int64(w.SpotDuration))
	b = jstr(b, `,"SpotInterruptionBehavior":`, w.SpotInterruptionBehavior)
	b = jstr(b, `,"CreationTime":`, w.CreationTime)
	b = jstr(b, `,"StartTime":`, w.StartTime)
	b = jstr(b, `,"ExpiredTime":`, w.ExpiredTime)
	b = jstr(b, `,"AutoReleaseTime":`, w.AutoReleaseTime)
	b = jstr(b, `,"SerialNumber":`, w.SerialNumber)
	b = jstr(b, `,"ResourceGroupId":`, w.ResourceGroupId)
	b = jstr(b, `,"KeyPairName":`, w.KeyPairName)
	b = jstr(b, `,"DeploymentSetId":`, w.DeploymentSetId)
	b = jint(b, `,"DeploymentSetGroupNo":`, int64(w.DeploymentSetGroupNo))
	b = jstr(b, `,"HpcClusterId":`, w.HpcClusterId)
	b = jstr(b, `,"CreditSpecification":`, w.CreditSpecification)
	b = jstr(b, `,"VlanId":`, w.VlanId)
	b = jstr(b, `,"ClusterId":`, w.ClusterId)
	b = jstr(b, `,"SaleCycle":`, w.SaleCycle)
	b = jstr(b, `,"ISP":`, w.ISP)
	b = jbool(b, `,"IoOptimized":`, w.IoOptimized)
	b = jbool(b, `,"DeviceAvailable":`, w.DeviceAvailable)
	b = jbool(b, `,"DeletionProtection":`, w.DeletionProtection)
	b = jbool(b, `,"Recyclable":`, w.Recyclable)
	b = append(b, `,"OperationLocks":{"LockReason":`...)
	if w.OperationLocks.LockReason == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, l := range w.OperationLocks.LockReason {
			if i > 0 {
				b = append(b, ',')
			}
			b = jstr(b, `{"LockReason":`, l.LockReason)
			b = jstr(b, `,"LockMsg":`, l.LockMsg)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `},"PublicIpAddress":`...)
	b = w.PublicIpAddress.appendJSON(b)
	b = append(b, `,"InnerIpAddress":`...)
	b = w.InnerIpAddress.appendJSON(b)
	b = append(b, `,"RdmaIpAddress":`...)
	b = w.RdmaIpAddress.appendJSON(b)
	b = jstr(b, `,"VpcAttributes":{"VpcId":`, w.VpcAttributes.VpcId)
	b = jstr(b, `,"VSwitchId":`, w.VpcAttributes.VSwitchId)
	b = jstr(b, `,"NatIpAddress":`, w.VpcAttributes.NatIpAddress)
	b = append(b, `,"PrivateIpAddress":`...)
	b = w.VpcAttributes.PrivateIpAddress.appendJSON(b)
	e := &w.EipAddress
	b = jstr(b, `},"EipAddress":{"AllocationId":`, e.AllocationId)
	b = jstr(b, `,"IpAddress":`, e.IpAddress)
	b = jint(b, `,"Bandwidth":`, int64(e.Bandwidth))
	b = jstr(b, `,"InternetChargeType":`, e.InternetChargeType)
	b = jbool(b, `,"IsSupportUnassociate":`, e.IsSupportUnassociate)
	b = append(b, `},"SecurityGroupIds":{"SecurityGroupId":`...)
	b = jstrings(b, w.SecurityGroupIds.SecurityGroupId)
	b = append(b, `},"Tags":{"Tag":`...)
	if w.Tags.Tag == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range w.Tags.Tag {
			if i > 0 {
				b = append(b, ',')
			}
			b = jstr(b, `{"TagKey":`, t.TagKey)
			b = jstr(b, `,"TagValue":`, t.TagValue)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `},"NetworkInterfaces":{"NetworkInterface":`...)
	if w.NetworkInterfaces.NetworkInterface == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range w.NetworkInterfaces.NetworkInterface {
			if i > 0 {
				b = append(b, ',')
			}
			b = w.NetworkInterfaces.NetworkInterface[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	m := &w.MetadataOptions
	b = jstr(b, `},"MetadataOptions":{"HttpEndpoint":`, m.HttpEndpoint)
	b = jstr(b, `,"HttpTokens":`, m.HttpTokens)
	b = jint(b, `,"HttpPutResponseHopLimit":`, int64(m.HttpPutResponseHopLimit))
	b = jint(b, `},"CpuOptions":{"CoreCount":`, int64(w.CpuOptions.CoreCount))
	b = jint(b, `,"ThreadsPerCore":`, int64(w.CpuOptions.ThreadsPerCore))
	b = jstr(b, `,"Numa":`, w.CpuOptions.Numa)
	b = jbool(b, `},"HibernationOptions":{"Configured":`, w.HibernationOptions.Configured)
	b = jbool(b, `},"ImageOptions":{"LoginAsNonRoot":`, w.ImageOptions.LoginAsNonRoot)
	return append(b, "}}"...)
}

func (e *WireENI) appendJSON(b []byte) []byte {
	b = jstr(b, `{"NetworkInterfaceId":`, e.NetworkInterfaceId)
	b = jstr(b, `,"Type":`, e.Type)
	b = jstr(b, `,"MacAddress":`, e.MacAddress)
	b = jstr(b, `,"PrimaryIpAddress":`, e.PrimaryIpAddress)
	b = append(b, `,"PrivateIpSets":{"PrivateIpSet":`...)
	if e.PrivateIpSets.PrivateIpSet == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range e.PrivateIpSets.PrivateIpSet {
			if i > 0 {
				b = append(b, ',')
			}
			b = jstr(b, `{"PrivateIpAddress":`, s.PrivateIpAddress)
			b = jbool(b, `,"Primary":`, s.Primary)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, "}}"...)
}

func (l *IPList) appendJSON(b []byte) []byte {
	b = append(b, `{"IpAddress":`...)
	b = jstrings(b, l.IpAddress)
	return append(b, '}')
}

// appendJSON writes the number as MarshalJSON does; the page is written by
// hand only when every Float is a plain decimal (plainFloats).
func (f Float) appendJSON(b []byte) []byte {
	if f == "" {
		return append(b, '0')
	}
	return append(b, f...)
}

// plain reports whether f is empty or a plain decimal such as -12.50, which
// encoding/json would copy as it is.
func (f Float) plain() bool {
	s := string(f)
	if s == "" {
		return true
	}
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	digits := func(d string) bool {
		for i := 0; i < len(d); i++ {
			if d[i] < '0' || d[i] > '9' {
				return false
			}
		}
		return d != ""
	}
	return digits(whole) && (whole == "0" || whole[0] != '0') && (!dot || digits(frac))
}

// plainFloats reports whether appendJSON may write the page.
func (r *DescribeInstancesResponse) plainFloats() bool {
	for i := range r.Instances.Instance {
		if !r.Instances.Instance[i].SpotPriceLimit.plain() {
			return false
		}
	}
	return true
}

func jstr(b []byte, key, v string) []byte { return jsonString(append(b, key...), v) }

func jint(b []byte, key string, v int64) []byte { return strconv.AppendInt(append(b, key...), v, 10) }

func jbool(b []byte, key string, v bool) []byte { return strconv.AppendBool(append(b, key...), v) }

func jstrings(b []byte, vs []string) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonString(b, v)
	}
	return append(b, ']')
}

// jsonString appends s as a JSON string the way encodeBody's encoder writes
// it (HTML characters left as they are). Plain text is copied; anything that
// needs an escape goes through encoding/json.
func jsonString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' {
			return jsonStringSlow(b, s)
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				return jsonStringSlow(b, s)
			}
			i += size - 1
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func jsonStringSlow(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) //nolint:errcheck // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
