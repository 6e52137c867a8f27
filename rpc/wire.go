package rpc

import (
	"reflect"
	"sync"

	"github.com/openecs/openecs"
)

// setRequestID fills the RequestId field of a response struct. Every
// response struct has one, placed where the API's examples put it.
func setRequestID(resp any, id string) {
	v := reflect.ValueOf(resp)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic("rpc: a handler must return a pointer to a response struct")
	}
	v = v.Elem()
	idx, ok := requestIDField.Load(v.Type())
	if !ok {
		f, found := v.Type().FieldByName("RequestId")
		if !found || f.Type.Kind() != reflect.String {
			panic("rpc: response struct " + v.Type().String() + " has no RequestId")
		}
		idx = f.Index
		requestIDField.Store(v.Type(), idx)
	}
	v.FieldByIndex(idx.([]int)).SetString(id)
}

var requestIDField sync.Map // reflect.Type → []int

// Empty is the answer of actions that return only a RequestId.
type Empty struct {
	RequestId string `json:"RequestId" xml:"RequestId"`
}

// IPList is an {"IpAddress": [...]} wrapper.
type IPList struct {
	IpAddress []string `json:"IpAddress" xml:"IpAddress"`
}

func ipList(ips ...string) IPList {
	out := IPList{IpAddress: []string{}}
	for _, ip := range ips {
		if ip != "" {
			out.IpAddress = append(out.IpAddress, ip)
		}
	}
	return out
}

// WireLock is one DescribeInstances OperationLocks entry.
type WireLock struct {
	LockReason string `json:"LockReason" xml:"LockReason"`
	LockMsg    string `json:"LockMsg" xml:"LockMsg"`
}

// WireTag is a tag as responses show it.
type WireTag struct {
	TagKey   string `json:"TagKey" xml:"TagKey"`
	TagValue string `json:"TagValue" xml:"TagValue"`
}

// TagSet is a {"Tag": [...]} wrapper.
type TagSet struct {
	Tag []WireTag `json:"Tag" xml:"Tag"`
}

func tagSet(tags []openecs.Tag) TagSet {
	out := TagSet{Tag: make([]WireTag, 0, len(tags))}
	for _, t := range tags {
		out.Tag = append(out.Tag, WireTag{TagKey: t.Key, TagValue: t.Value})
	}
	return out
}

// WireInstance is an instance as DescribeInstances shows it
// (docs/protocol.md; exact key case).
type WireInstance struct {
	InstanceId               string `json:"InstanceId" xml:"InstanceId"`
	InstanceName             string `json:"InstanceName" xml:"InstanceName"`
	Description              string `json:"Description" xml:"Description"`
	HostName                 string `json:"HostName" xml:"HostName"`
	RegionId                 string `json:"RegionId" xml:"RegionId"`
	ZoneId                   string `json:"ZoneId" xml:"ZoneId"`
	InstanceType             string `json:"InstanceType" xml:"InstanceType"`
	InstanceTypeFamily       string `json:"InstanceTypeFamily" xml:"InstanceTypeFamily"`
	Cpu                      int    `json:"Cpu" xml:"Cpu"`
	Memory                   int    `json:"Memory" xml:"Memory"`
	GPUAmount                int    `json:"GPUAmount" xml:"GPUAmount"`
	GPUSpec                  string `json:"GPUSpec" xml:"GPUSpec"`
	LocalStorageAmount       int    `json:"LocalStorageAmount" xml:"LocalStorageAmount"`
	LocalStorageCapacity     int64  `json:"LocalStorageCapacity" xml:"LocalStorageCapacity"`
	ImageId                  string `json:"ImageId" xml:"ImageId"`
	OSName                   string `json:"OSName" xml:"OSName"`
	OSNameEn                 string `json:"OSNameEn" xml:"OSNameEn"`
	OSType                   string `json:"OSType" xml:"OSType"`
	Status                   string `json:"Status" xml:"Status"`
	InstanceChargeType       string `json:"InstanceChargeType" xml:"InstanceChargeType"`
	InternetChargeType       string `json:"InternetChargeType" xml:"InternetChargeType"`
	InternetMaxBandwidthIn   int    `json:"InternetMaxBandwidthIn" xml:"InternetMaxBandwidthIn"`
	InternetMaxBandwidthOut  int    `json:"InternetMaxBandwidthOut" xml:"InternetMaxBandwidthOut"`
	InstanceNetworkType      string `json:"InstanceNetworkType" xml:"InstanceNetworkType"`
	StoppedMode              string `json:"StoppedMode" xml:"StoppedMode"`
	SpotStrategy             string `json:"SpotStrategy" xml:"SpotStrategy"`
	SpotPriceLimit           Float  `json:"SpotPriceLimit" xml:"SpotPriceLimit"`
	SpotDuration             int    `json:"SpotDuration" xml:"SpotDuration"`
	SpotInterruptionBehavior string `json:"SpotInterruptionBehavior" xml:"SpotInterruptionBehavior"`
	CreationTime             string `json:"CreationTime" xml:"CreationTime"`
	StartTime                string `json:"StartTime" xml:"StartTime"`
	ExpiredTime              string `json:"ExpiredTime" xml:"ExpiredTime"`
	AutoReleaseTime          string `json:"AutoReleaseTime" xml:"AutoReleaseTime"`
	SerialNumber             string `json:"SerialNumber" xml:"SerialNumber"`
	ResourceGroupId          string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	KeyPairName              string `json:"KeyPairName" xml:"KeyPairName"`
	DeploymentSetId          string `json:"DeploymentSetId" xml:"DeploymentSetId"`
	DeploymentSetGroupNo     int    `json:"DeploymentSetGroupNo" xml:"DeploymentSetGroupNo"`
	HpcClusterId             string `json:"HpcClusterId" xml:"HpcClusterId"`
	CreditSpecification      string `json:"CreditSpecification" xml:"CreditSpecification"`
	VlanId                   string `json:"VlanId" xml:"VlanId"`
	ClusterId                string `json:"ClusterId" xml:"ClusterId"`
	SaleCycle                string `json:"SaleCycle" xml:"SaleCycle"`
	ISP                      string `json:"ISP" xml:"ISP"`
	IoOptimized              bool   `json:"IoOptimized" xml:"IoOptimized"`
	DeviceAvailable          bool   `json:"DeviceAvailable" xml:"DeviceAvailable"`
	DeletionProtection       bool   `json:"DeletionProtection" xml:"DeletionProtection"`
	Recyclable               bool   `json:"Recyclable" xml:"Recyclable"`
	OperationLocks           struct {
		LockReason []WireLock `json:"LockReason" xml:"LockReason"`
	} `json:"OperationLocks" xml:"OperationLocks"`
	PublicIpAddress IPList            `json:"PublicIpAddress" xml:"PublicIpAddress"`
	InnerIpAddress  IPList            `json:"InnerIpAddress" xml:"InnerIpAddress"`
	RdmaIpAddress   IPList            `json:"RdmaIpAddress" xml:"RdmaIpAddress"`
	VpcAttributes   WireVpcAttributes `json:"VpcAttributes" xml:"VpcAttributes"`
	EipAddress      struct {
		AllocationId         string `json:"AllocationId" xml:"AllocationId"`
		IpAddress            string `json:"IpAddress" xml:"IpAddress"`
		Bandwidth            int    `json:"Bandwidth" xml:"Bandwidth"`
		InternetChargeType   string `json:"InternetChargeType" xml:"InternetChargeType"`
		IsSupportUnassociate bool   `json:"IsSupportUnassociate" xml:"IsSupportUnassociate"`
	} `json:"EipAddress" xml:"EipAddress"`
	SecurityGroupIds struct {
		SecurityGroupId []string `json:"SecurityGroupId" xml:"SecurityGroupId"`
	} `json:"SecurityGroupIds" xml:"SecurityGroupIds"`
	Tags              TagSet `json:"Tags" xml:"Tags"`
	NetworkInterfaces struct {
		NetworkInterface []WireENI `json:"NetworkInterface" xml:"NetworkInterface"`
	} `json:"NetworkInterfaces" xml:"NetworkInterfaces"`
	MetadataOptions struct {
		HttpEndpoint            string `json:"HttpEndpoint" xml:"HttpEndpoint"`
		HttpTokens              string `json:"HttpTokens" xml:"HttpTokens"`
		HttpPutResponseHopLimit int    `json:"HttpPutResponseHopLimit" xml:"HttpPutResponseHopLimit"`
	} `json:"MetadataOptions" xml:"MetadataOptions"`
	CpuOptions struct {
		CoreCount      int    `json:"CoreCount" xml:"CoreCount"`
		ThreadsPerCore int    `json:"ThreadsPerCore" xml:"ThreadsPerCore"`
		Numa           string `json:"Numa" xml:"Numa"`
	} `json:"CpuOptions" xml:"CpuOptions"`
	HibernationOptions struct {
		Configured bool `json:"Configured" xml:"Configured"`
	} `json:"HibernationOptions" xml:"HibernationOptions"`
	ImageOptions struct {
		LoginAsNonRoot bool `json:"LoginAsNonRoot" xml:"LoginAsNonRoot"`
	} `json:"ImageOptions" xml:"ImageOptions"`
}

// WireENI is a network interface of an instance.
type WireENI struct {
	NetworkInterfaceId string `json:"NetworkInterfaceId" xml:"NetworkInterfaceId"`
	Type               string `json:"Type" xml:"Type"`
	MacAddress         string `json:"MacAddress" xml:"MacAddress"`
	PrimaryIpAddress   string `json:"PrimaryIpAddress" xml:"PrimaryIpAddress"`
	PrivateIpSets      struct {
		PrivateIpSet []struct {
			PrivateIpAddress string `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
			Primary          bool   `json:"Primary" xml:"Primary"`
		} `json:"PrivateIpSet" xml:"PrivateIpSet"`
	} `json:"PrivateIpSets" xml:"PrivateIpSets"`
}

func wireInstance(in *openecs.Instance) WireInstance {
	w := WireInstance{
		InstanceId: in.ID, InstanceName: in.Name, Description: in.Description, HostName: in.HostName,
		RegionId: in.RegionID, ZoneId: in.ZoneID, InstanceType: in.InstanceType, InstanceTypeFamily: in.Family,
		Cpu: in.CPU, Memory: in.MemoryMiB, GPUAmount: in.GPUAmount,
		LocalStorageAmount: in.LocalStorage.Amount, LocalStorageCapacity: in.LocalStorage.Capacity,
		ImageId: in.ImageID, OSName: in.OSName, OSNameEn: in.OSNameEn, OSType: in.OSType,
		Status: string(in.Status), InstanceChargeType: string(in.ChargeType), InternetChargeType: in.InternetChargeType,
		InternetMaxBandwidthIn: in.InternetMaxBandwidthIn, InternetMaxBandwidthOut: in.InternetMaxBandwidthOut,
		InstanceNetworkType: "vpc", StoppedMode: string(in.StoppedMode), SpotStrategy: string(in.SpotStrategy),
		SpotPriceLimit: Float(in.SpotPriceLimit.String()), SpotDuration: in.SpotDuration, SpotInterruptionBehavior: in.SpotInterruptionBehavior,
		CreationTime: openecs.WireTime(in.CreatedAt), StartTime: openecs.WireTime(in.StartedAt),
		AutoReleaseTime: openecs.WireTime(in.AutoReleaseAt), SerialNumber: in.SerialNumber,
		ResourceGroupId: in.ResourceGroupID, KeyPairName: in.KeyPairName, CreditSpecification: in.CreditSpecification,
		IoOptimized: in.IoOptimized, DeviceAvailable: true, DeletionProtection: in.DeletionProtection,
		Recyclable:      in.SpotStrategy != openecs.NoSpot && in.SpotStrategy != "",
		PublicIpAddress: ipList(in.PublicIP), InnerIpAddress: ipList(), RdmaIpAddress: ipList(), Tags: tagSet(in.Tags),
	}
	if in.ChargeType == openecs.PrePaid {
		w.ExpiredTime = openecs.WireTime(in.ExpiredAt)
	} else {
		w.ExpiredTime = openecs.WireTime(openecs.PostPaidExpiredTime)
	}
	w.OperationLocks.LockReason = make([]WireLock, 0, len(in.Locks))
	for _, l := range in.Locks {
		w.OperationLocks.LockReason = append(w.OperationLocks.LockReason, WireLock{LockReason: string(l), LockMsg: openecs.LockMessage(l)})
	}
	w.VpcAttributes.VpcId, w.VpcAttributes.VSwitchId = in.VpcID, in.VSwitchID
	w.VpcAttributes.PrivateIpAddress = ipList(in.PrivateIP)
	w.EipAddress.IpAddress, w.EipAddress.InternetChargeType = "", ""
	w.SecurityGroupIds.SecurityGroupId = append([]string{}, in.SecurityGroupIDs...)
	eni := WireENI{NetworkInterfaceId: in.NetworkInterfaceID, Type: "Primary", MacAddress: in.MacAddress, PrimaryIpAddress: in.PrivateIP}
	eni.PrivateIpSets.PrivateIpSet = append(eni.PrivateIpSets.PrivateIpSet, struct {
		PrivateIpAddress string `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
		Primary          bool   `json:"Primary" xml:"Primary"`
	}{in.PrivateIP, true})
	w.NetworkInterfaces.NetworkInterface = []WireENI{eni}
	w.MetadataOptions.HttpEndpoint, w.MetadataOptions.HttpTokens, w.MetadataOptions.HttpPutResponseHopLimit = "enabled", "optional", 1
	w.CpuOptions.CoreCount, w.CpuOptions.ThreadsPerCore = max(in.CPU/2, 1), min(in.CPU, 2)
	return w
}

// WireVpcAttributes is an instance's VpcAttributes (DescribeInstances,
// DescribeInstanceAttribute).
type WireVpcAttributes struct {
	VpcId            string `json:"VpcId" xml:"VpcId"`
	VSwitchId        string `json:"VSwitchId" xml:"VSwitchId"`
	NatIpAddress     string `json:"NatIpAddress" xml:"NatIpAddress"`
	PrivateIpAddress IPList `json:"PrivateIpAddress" xml:"PrivateIpAddress"`
}
