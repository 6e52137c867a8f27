package rpc_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzMembershipActions is FuzzServeHTTP for JoinSecurityGroup,
// LeaveSecurityGroup, ModifySecurityGroupPolicy,
// ModifyInstanceAutoRenewAttribute, ModifyInstanceNetworkSpec and
// AllocatePublicIpAddress: signed calls with arbitrary parameters never
// panic or answer 5xx, and every error body has the SDK's shape. The server
// holds a pay-as-you-go and a subscription instance and two groups, which
// "$I", "$P", "$G" and "$H" in a value stand for.
func FuzzMembershipActions(f *testing.F) {
	for _, seed := range []string{
		"InstanceId=$I&SecurityGroupId=$H",
		"InstanceId=$I&NetworkInterfaceId=eni-x&SecurityGroupId=$G",
		"NetworkInterfaceId=$I&SecurityGroupId=%00",
		"SecurityGroupId=$G&InnerAccessPolicy=DROP&ClientToken=x",
		"InstanceId=$P,$P,$I&RenewalStatus=AutoRenewal&Duration=60&PeriodUnit=Year&AutoRenew=maybe",
		"InstanceId=$P&Duration=-1&PeriodUnit=Week",
		"InstanceId=$I&InternetMaxBandwidthOut=100&InternetMaxBandwidthIn=99999999999&NetworkChargeType=PayByTraffic&AllocatePublicIp=true",
		"InstanceId=$I&IpAddress=::1&VlanId=x",
	} {
		f.Add(seed, uint8(0))
	}
	actions := []string{"JoinSecurityGroup", "LeaveSecurityGroup", "ModifySecurityGroupPolicy", "ModifyInstanceAutoRenewAttribute",
		"ModifyInstanceNetworkSpec", "AllocatePublicIpAddress"}
	h := newServer(f)
	call := func(action string, extra url.Values) *httptest.ResponseRecorder { return serve(h, action, extra) }
	field := func(rec *httptest.ResponseRecorder, path ...string) string {
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
	run := url.Values{"ImageId": {"aliyun_3_x64_20G_alibase_20240819.vhd"}, "InstanceType": {"ecs.g7.large"}, "ZoneId": {"cn-hangzhou-h"}}
	instance := field(call("RunInstances", run), "InstanceIdSets", "InstanceIdSet", "0")
	run.Set("InstanceChargeType", "PrePaid")
	run.Set("Period", "1")
	prepaid := field(call("RunInstances", run), "InstanceIdSets", "InstanceIdSet", "0")
	desc := call("DescribeInstances", url.Values{"InstanceIds": {`["` + instance + `"]`}})
	vpc := field(desc, "Instances", "Instance", "0", "VpcAttributes", "VpcId")
	group := field(desc, "Instances", "Instance", "0", "SecurityGroupIds", "SecurityGroupId", "0")
	other := field(call("CreateSecurityGroup", url.Values{"VpcId": {vpc}}), "SecurityGroupId")
	if instance == "" || prepaid == "" || group == "" || other == "" {
		f.Fatal("setting up: no instances or groups")
	}
	ids := strings.NewReplacer("$I", instance, "$P", prepaid, "$G", group, "$H", other)
	f.Fuzz(func(t *testing.T, query string, which uint8) {
		extra, err := url.ParseQuery(ids.Replace(query))
		if err != nil {
			return
		}
		action := actions[int(which)%len(actions)]
		checkAnswer(t, call(action, extra), action, query)
	})
}
