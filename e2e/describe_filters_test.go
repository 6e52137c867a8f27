package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// DescribeInstances' address, resource group and time filters
// (PrivateIpAddresses, PublicIpAddresses, ResourceGroupId, Filter.N), and
// the ones nothing here can match (EipAddresses, InnerIpAddresses,
// HpcClusterId), through the SDK.
func TestDescribeInstancesAddressAndTimeFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	plain := run(t, e.ecs, 1)[0]
	e.advance("2h")
	public := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.InternetMaxBandwidthOut, r.ResourceGroupId = requestsInt(5), "rg-web"
	})[0]
	e.advance("2h")
	prepaid := run(t, e.ecs, 1, func(r *ecs.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit, r.ResourceGroupId = "PrePaid", "1", "Month", "rg-web"
	})[0]
	p, pub, pre := describe(t, e.ecs, plain), describe(t, e.ecs, public), describe(t, e.ecs, prepaid)
	if len(pub.PublicIpAddress.IpAddress) != 1 {
		t.Fatalf("an instance with bandwidth has public addresses %v", pub.PublicIpAddress.IpAddress)
	}
	other := e.newAccount("100.00")
	run(t, other.ECS, 1) // its private address may well equal one of the caller's

	find := func(mutate func(*ecs.DescribeInstancesRequest)) ([]string, error) {
		req := ecs.CreateDescribeInstancesRequest()
		req.RegionId, req.PageSize = region, "100"
		mutate(req)
		resp, err := e.ecs.DescribeInstances(req)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, in := range resp.Instances.Instance {
			ids = append(ids, in.InstanceId)
		}
		if resp.TotalCount != len(ids) {
			t.Fatalf("TotalCount %d for %d instances", resp.TotalCount, len(ids))
		}
		return ids, nil
	}
	jsonList := func(vals ...string) string {
		out := "["
		for i, v := range vals {
			if i > 0 {
				out += ","
			}
			out += fmt.Sprintf("%q", v)
		}
		return out + "]"
	}
	minute := func(s string) string { // checks an API time and gives it back
		at, err := time.Parse("2006-01-02T15:04Z", s)
		if err != nil {
			t.Fatalf("time %q: %v", s, err)
		}
		return at.Format("2006-01-02T15:04Z")
	}
	shift := func(s string, d time.Duration) string {
		at, _ := time.Parse("2006-01-02T15:04Z", s)
		return at.Add(d).Format("2006-01-02T15:04Z")
	}
	checks := []struct {
		name   string
		mutate func(*ecs.DescribeInstancesRequest)
		want   []string
	}{
		{"private address", func(r *ecs.DescribeInstancesRequest) {
			r.PrivateIpAddresses = jsonList(p.VpcAttributes.PrivateIpAddress.IpAddress[0])
		}, []string{plain}},
		{"private addresses, one not held", func(r *ecs.DescribeInstancesRequest) {
			r.PrivateIpAddresses = jsonList(p.VpcAttributes.PrivateIpAddress.IpAddress[0], pre.VpcAttributes.PrivateIpAddress.IpAddress[0], "10.255.255.254")
		}, []string{plain, prepaid}},
		{"private addresses, empty list", func(r *ecs.DescribeInstancesRequest) { r.PrivateIpAddresses = "[]" }, nil},
		{"public address", func(r *ecs.DescribeInstancesRequest) {
			r.PublicIpAddresses = jsonList(pub.PublicIpAddress.IpAddress[0])
		}, []string{public}},
		{"resource group", func(r *ecs.DescribeInstancesRequest) { r.ResourceGroupId = "rg-web" }, []string{public, prepaid}},
		{"created from", func(r *ecs.DescribeInstancesRequest) {
			r.Filter1Key, r.Filter1Value = "CreationStartTime", minute(pub.CreationTime)
		}, []string{public, prepaid}},
		{"created between", func(r *ecs.DescribeInstancesRequest) {
			r.Filter1Key, r.Filter1Value = "CreationStartTime", shift(p.CreationTime, time.Hour)
			r.Filter2Key, r.Filter2Value = "CreationEndTime", shift(pub.CreationTime, time.Minute)
		}, []string{public}},
		{"expiring before", func(r *ecs.DescribeInstancesRequest) {
			r.Filter1Key, r.Filter1Value = "ExpiredEndTime", shift(pre.ExpiredTime, time.Minute)
		}, []string{prepaid}},
		{"expiring after (pay-as-you-go never expires)", func(r *ecs.DescribeInstancesRequest) {
			r.Filter1Key, r.Filter1Value = "ExpiredStartTime", shift(pre.ExpiredTime, time.Minute)
		}, []string{plain, public}},
		{"elastic addresses: none here", func(r *ecs.DescribeInstancesRequest) { r.EipAddresses = jsonList(pub.PublicIpAddress.IpAddress[0]) }, nil},
		{"classic addresses: none here", func(r *ecs.DescribeInstancesRequest) {
			r.InnerIpAddresses = jsonList(p.VpcAttributes.PrivateIpAddress.IpAddress[0])
		}, nil},
		{"HPC cluster: none here", func(r *ecs.DescribeInstancesRequest) { r.HpcClusterId = "hpc-1" }, nil},
	}
	for _, c := range checks {
		got, err := find(c.mutate)
		ok(t, err)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	_, err := find(func(r *ecs.DescribeInstancesRequest) { r.PrivateIpAddresses = "10.0.0.1" })
	apiError(t, err, "InvalidParameter", 400)
	_, err = find(func(r *ecs.DescribeInstancesRequest) {
		r.Filter1Key, r.Filter1Value = "LaunchTime", "2026-01-01T00:00Z"
	})
	apiError(t, err, "InvalidParameter", 400)
	_, err = find(func(r *ecs.DescribeInstancesRequest) { r.Filter1Key, r.Filter1Value = "CreationStartTime", "yesterday" })
	apiError(t, err, "InvalidParameter", 400)
}
