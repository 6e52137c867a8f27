package rpc_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/rpc"
	"github.com/openecs/openecs/service"
	"github.com/openecs/openecs/sign"
	"github.com/openecs/openecs/sqlite"
)

func newServer(t testing.TB) http.Handler {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: t.TempDir() + "/fuzz.db", Synchronous: "OFF"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := service.DefaultConfig()
	cfg.TransitionDelay = 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, nil, catalog.Builtin(), cfg, log)
	if _, err := svc.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rpc.New(svc, rpc.Options{Logger: log})
}

// signed returns a valid signed query for the action, then lets the fuzzer
// add and change parameters.
func signed(action string, extra url.Values) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "test",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": time.Now().Format(time.RFC3339Nano),
		"Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"), "RegionId": "cn-hangzhou"} {
		q.Set(k, v)
	}
	for k, v := range extra {
		q[k] = v
	}
	q.Set("Signature", sign.Signature("test", "POST", q))
	return q
}

// serve sends action, signed, with extra to h as one POST and records the
// answer.
func serve(h http.Handler, action string, extra url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/", strings.NewReader(""))
	req.URL.RawQuery = signed(action, extra).Encode()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// checkAnswer is what every fuzzed action must hold: never a 5xx for a
// client's input, and an error body with the five string fields the SDKs
// read.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, action, query string) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d for %s %q: %s", rec.Code, action, query, rec.Body)
	}
	if rec.Code == 200 {
		return
	}
	var e map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body for %s %q is not JSON: %s", action, query, rec.Body)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := e[k].(string); !ok {
			t.Fatalf("error body for %s %q: %s missing or not a string: %s", action, query, k, rec.Body)
		}
	}
}

// FuzzServeHTTP throws arbitrary queries and bodies at the RPC handler, some
// of them correctly signed: it must never panic, never answer 500 for a
// client's input, and always answer a well-formed body.
func FuzzServeHTTP(f *testing.F) {
	f.Add("POST", "Action=DescribeRegions", "", false)
	f.Add("GET", "%zz=1&Action", "a=%", false)
	f.Add("POST", "InstanceId=i-x&DryRun=maybe", "", true)
	f.Add("POST", "Amount=101&ImageId=x&InstanceType=ecs.g7.large", "", true)
	f.Add("POST", "InstanceIds=[\"a\"&PageSize=-1&NextToken=zz", "", true)
	f.Add("POST", "Tag.0.Key=x&Tag.99999999999999999999.Key=y", "DataDisk.1.Size=1e9", true)
	f.Add("GET", "", "Action=RunInstances&Format=XML", true)
	f.Add("POST", "DestinationResource=InstanceType&Cores=2&Memory=8.000000&ZoneId=cn-hangzhou-h", "", true)
	f.Add("POST", "MaxResults=1601&NextToken=%25%25&InstanceTypes.1=ecs.g7.large&MinimumMemorySize=NaN", "", true)
	f.Add("POST", "ResourceType=instance&ResourceId=i-x&Tag.1.Key=&PageSize=0", "", true)
	h := newServer(f)
	actions := []string{"DescribeRegions", "DescribeInstances", "RunInstances", "StartInstance", "StopInstances", "DescribeZones", "ReActivateInstances", "RenewInstance", "DeleteInstances", "DescribeImages",
		"DescribeAvailableResource", "DescribeInstanceTypes", "DescribeInstanceTypeFamilies", "DescribeTags"}
	f.Fuzz(func(t *testing.T, method, query, body string, sign bool) {
		if method != "GET" {
			method = "POST"
		}
		raw := query
		if sign {
			extra, err := url.ParseQuery(query)
			if err != nil {
				return
			}
			action := actions[len(query)%len(actions)]
			raw = signed(action, extra).Encode()
		}
		req := httptest.NewRequest(method, "/", strings.NewReader(body))
		req.URL.RawQuery = raw
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for query %q body %q: %s", rec.Code, raw, body, rec.Body)
		}
		if rec.Code != 200 && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			var e map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("error body is not JSON: %s", rec.Body)
			}
			for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
				if _, ok := e[k].(string); !ok {
					t.Fatalf("error field %s missing or not a string: %s", k, rec.Body)
				}
			}
		}
	})
}
