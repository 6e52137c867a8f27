package rpc_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openecs/openecs/rpc"
)

// FuzzServeHTTPV3 throws V3 requests at the handler: arbitrary Authorization
// headers, queries, bodies of every content type and extra headers, some of
// them correctly signed. It must never panic, never answer 5xx, and always
// answer a well-formed body.
func FuzzServeHTTPV3(f *testing.F) {
	f.Add("", "RegionId=cn-hangzhou", []byte(nil), uint8(0), true, "", "")
	f.Add("", "", []byte(`{"PageSize":5,"Tag":[{"Key":"a"}]}`), uint8(2), true, "x-acs-credentials-provider", "static_ak")
	f.Add("", "", []byte(`{"PageSize":`), uint8(2), true, "", "")
	f.Add("", "InstanceId=i-x", []byte("DryRun=maybe&a=%"), uint8(1), true, "x-acs-security-token", "CAIS")
	f.Add("ACS3-HMAC-SHA256 Credential=test,SignedHeaders=host,Signature=00", "a=1", []byte("x"), uint8(3), false, "", "")
	f.Add("ACS3-HMAC-SHA256 Credential=\xff,SignedHeaders=host;;,Signature=", "%zz", []byte(nil), uint8(0), false, "x-acs-bearer-token", "t")
	f.Add("", "SignatureType=BEARERTOKEN", []byte(nil), uint8(0), false, "x-acs-bearer-token", "bt-x")
	f.Add("", "", []byte(`[[[[[[[[[[]]]]]]]]]]`), uint8(2), true, "content-type", "application/json")
	e := newV3Env(f, rpc.Options{})
	actions := []string{"DescribeRegions", "DescribeInstances", "RunInstances", "StartInstance", "StopInstances", "DescribeZones",
		"ReActivateInstances", "PurchaseReservedInstancesOffering", "RenewReservedInstances", "", "NoSuchAction"}
	ctypes := []string{"", "application/x-www-form-urlencoded", "application/json; charset=utf-8", "application/octet-stream", "text/plain; charset=\xff"}
	f.Fuzz(func(t *testing.T, authz, query string, body []byte, ctype uint8, signIt bool, hName, hValue string) {
		c := v3Call{action: actions[len(query)%len(actions)], body: body, ctype: ctypes[int(ctype)%len(ctypes)]}
		q, err := url.ParseQuery(query)
		if err == nil {
			c.query = q
		}
		if hName != "" {
			c.extra = http.Header{hName: {hValue}}
		}
		if !signIt {
			c.after = func(r *http.Request) {
				if err != nil {
					r.URL.RawQuery = query
				}
				if authz == "" {
					r.Header.Del("Authorization")
				} else {
					r.Header.Set("Authorization", authz)
				}
			}
		}
		a := e.call(c)
		if a.status >= 500 {
			t.Fatalf("status %d for %+v: %s", a.status, c, a.body)
		}
		if a.status != 200 && strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
			var m map[string]any
			if err := json.Unmarshal(a.body, &m); err != nil {
				t.Fatalf("error body is not JSON: %s", a.body)
			}
			for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
				if _, ok := m[k].(string); !ok {
					t.Fatalf("error field %s missing or not a string: %s", k, a.body)
				}
			}
		}
	})
}
