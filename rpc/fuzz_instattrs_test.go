package rpc_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzDiskAndAttributeActions is FuzzServeHTTP for the disk, attribute,
// change and tag actions: signed calls with arbitrary parameters must never
// panic or answer 5xx, and every error body has the SDK's shape. Each call
// acts on a server that already holds an instance and a disk whose ids the
// fuzzer may name ("$I" and "$D" in a value stand for them).
func FuzzDiskAndAttributeActions(f *testing.F) {
	for _, seed := range []string{
		"DiskIds=[\"$D\"]&DiskType=system&Category=all&Status=All&MaxResults=500&NextToken=ffffffffffffffff",
		"ZoneId=cn-hangzhou-h&Size=99999999999999999999&DiskCategory=cloud_essd&PerformanceLevel=PL3",
		"InstanceId=$I&DiskId=$D&DeleteWithInstance=true",
		"DiskId=$D&NewSize=-1&Type=online",
		"InstanceId=$I&UserData=====&Password=%00%01&HostName=${instance_id}.${instance_id}",
		"InstanceId.1=$I&MaintenanceWindow.1.StartTime=24:00:00Z&MaintenanceWindow.99.EndTime=x",
		"InstanceIds=[\"$I\",1,null]&InstanceChargeType=PrePaid&Period=0&PeriodUnit=Week",
		"InstanceId=$I&InstanceType=ecs.g7.xlarge&InternetMaxBandwidthOut=1e3",
		"ResourceType=INSTANCE&ResourceId.1=$I&Tag.1.Key=a&Tag.21.Key=b&TagKey.1=a&All=true",
		"ResourceType=disk&TagFilter.1.TagKey=a&TagFilter.1.TagValues.1=b&NextToken=7fffffffffffffff",
		"InstanceId=$I,$I,x&RenewalStatus=AutoRenewal&PageSize=100&PageNumber=1073741824",
	} {
		f.Add(seed, uint8(0))
	}
	actions := []string{"DescribeDisks", "CreateDisk", "AttachDisk", "DetachDisk", "DeleteDisk", "ResizeDisk", "ModifyDiskAttribute",
		"DescribeInstanceAttribute", "ModifyInstanceAttribute", "DescribeUserData", "DescribeInstanceRamRole",
		"DescribeInstanceMaintenanceAttributes", "ModifyInstanceMaintenanceAttributes", "DescribeInstanceAttachmentAttributes",
		"DescribeInstanceAutoRenewAttribute", "ModifyInstanceSpec", "ModifyInstanceChargeType",
		"TagResources", "UntagResources", "ListTagResources", "DescribeTags"}
	h := newServer(f)
	call := func(action string, extra url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/", strings.NewReader(""))
		req.URL.RawQuery = signed(action, extra).Encode()
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	idOf := func(rec *httptest.ResponseRecorder, path ...string) string {
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			f.Fatalf("%s", rec.Body)
		}
		for _, k := range path {
			switch x := v.(type) {
			case map[string]any:
				v = x[k]
			case []any:
				v = x[0]
			}
		}
		s, _ := v.(string)
		return s
	}
	instance := idOf(call("RunInstances", url.Values{"ImageId": {"aliyun_3_x64_20G_alibase_20240819.vhd"}, "InstanceType": {"ecs.g7.large"},
		"ZoneId": {"cn-hangzhou-h"}}), "InstanceIdSets", "InstanceIdSet", "0")
	disk := idOf(call("CreateDisk", url.Values{"ZoneId": {"cn-hangzhou-h"}, "Size": {"50"}}), "DiskId")
	if instance == "" || disk == "" {
		f.Fatal("setting up: no instance or disk")
	}
	ids := strings.NewReplacer("$I", instance, "$D", disk)
	f.Fuzz(func(t *testing.T, query string, which uint8) {
		extra, err := url.ParseQuery(ids.Replace(query))
		if err != nil {
			return
		}
		action := actions[int(which)%len(actions)]
		checkAnswer(t, call(action, extra), action, query)
	})
}
