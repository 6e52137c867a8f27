// These tests drive real clients of the official SDK against a recording
// httptest server and check that Verify accepts what they send and that
// StringToSign equals the SDK's own string to sign.

package sign

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// recorded is one request as a server sees it.
type recorded struct {
	method string
	params url.Values // query and form body, decoded and merged
}

// recorder answers every call with a minimal success body and keeps the
// decoded parameters of the last request.
type recorder struct {
	mu   sync.Mutex
	last recorded
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	// The SDK sends a form body even with GET (CommonRequest.FormParams);
	// http.Request.ParseForm ignores bodies of GET requests, so read it here.
	body, _ := io.ReadAll(r.Body)
	if len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	rec.mu.Lock()
	rec.last = recorded{r.Method, params}
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"RequestId":"r-1"}`)
}

func (rec *recorder) get() recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.last
}

func clearProxies(t *testing.T) {
	for _, k := range []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"} {
		t.Setenv(k, "")
	}
	t.Setenv("NO_PROXY", "*")
}

// TestSDKCommonRequests sends random CommonRequests through SDK clients with
// each credential mode and checks the server side.
func TestSDKCommonRequests(t *testing.T) {
	clearProxies(t)
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	type mode struct {
		name, secret string
		client       func() (*sdk.Client, error)
		check        func(t *testing.T, p url.Values)
	}
	modes := []mode{
		{"static AK", "ak secret/+=中",
			func() (*sdk.Client, error) {
				//lint:ignore SA1019 the constructor users of the legacy SDK call
				return sdk.NewClientWithAccessKey("cn-hangzhou", "akid", "ak secret/+=中")
			},
			func(t *testing.T, p url.Values) {
				if p.Get("AccessKeyId") != "akid" || p["SignatureType"][0] != "" {
					t.Errorf("AK params: %v", p)
				}
			}},
		{"STS", "sts*secret",
			func() (*sdk.Client, error) {
				//lint:ignore SA1019 the constructor users of the legacy SDK call
				return sdk.NewClientWithStsToken("cn-hangzhou", "STS.id", "sts*secret", "token +/= 中")
			},
			func(t *testing.T, p url.Values) {
				if p.Get("SecurityToken") != "token +/= 中" {
					t.Errorf("STS params: %v", p)
				}
			}},
		{"bearer", "",
			func() (*sdk.Client, error) {
				//lint:ignore SA1019 the constructor users of the legacy SDK call
				return sdk.NewClientWithBearerToken("cn-hangzhou", "bearer +/= token")
			},
			func(t *testing.T, p url.Values) {
				if p.Get("BearerToken") != "bearer +/= token" || p.Get("SignatureType") != "BEARERTOKEN" || p.Get("AccessKeyId") != "" {
					t.Errorf("bearer params: %v", p)
				}
			}},
	}

	r := rand.New(rand.NewPCG(7, 11))
	for _, m := range modes {
		client, err := m.client()
		if err != nil {
			t.Fatal(err)
		}
		client.Domain = host
		for i := range 150 {
			req := requests.NewCommonRequest()
			req.Method = "GET"
			if r.IntN(2) == 0 {
				req.Method = "POST"
			}
			req.Scheme = "http"
			req.Version = "2014-05-26"
			req.ApiName = "DescribeInstances"
			used := map[string]bool{"Signature": true}
			for range r.IntN(10) {
				k := randomString(r, 1+r.IntN(5))
				if !used[k] {
					used[k] = true
					req.QueryParams[k] = randomString(r, r.IntN(10))
				}
			}
			for range r.IntN(4) {
				k := randomString(r, 1+r.IntN(5))
				if !used[k] {
					used[k] = true
					req.FormParams[k] = randomString(r, r.IntN(10))
				}
			}
			if _, err := client.ProcessCommonRequest(req); err != nil {
				t.Fatalf("%s #%d: %v", m.name, i, err)
			}
			got := rec.get()
			sig := got.params.Get("Signature")
			if !Verify(m.secret, got.method, got.params, sig) {
				t.Fatalf("%s #%d: the SDK's request does not verify\nparams %q", m.name, i, got.params)
			}
			if s := StringToSign(got.method, got.params); s != req.GetStringToSign() {
				t.Fatalf("%s #%d: string to sign\n ours %s\n SDK  %s", m.name, i, s, req.GetStringToSign())
			}
			m.check(t, got.params)
		}
	}
}

// TestSDKTypedECSRequests sends typed ECS requests, which are POSTs with every
// parameter in the query, and checks they verify.
func TestSDKTypedECSRequests(t *testing.T) {
	clearProxies(t)
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()

	client, err := ecs.NewClientWithAccessKey("cn-hangzhou", "testid", "testsecret")
	if err != nil {
		t.Fatal(err)
	}
	client.Domain = strings.TrimPrefix(srv.URL, "http://")

	start := ecs.CreateStartInstanceRequest()
	start.InstanceId = "i-bp1abc***"
	start.DryRun = "false"
	if _, err := client.StartInstance(start); err != nil {
		t.Fatal(err)
	}
	check := func() recorded {
		got := rec.get()
		if got.method != "POST" {
			t.Errorf("method %s", got.method)
		}
		if !Verify("testsecret", got.method, got.params, got.params.Get("Signature")) {
			t.Errorf("does not verify: %q", got.params)
		}
		return got
	}
	check()

	renew := ecs.CreateRenewReservedInstancesRequest()
	renew.ReservedInstanceId = &[]string{"ecsri-aaa", "ecsri-bbb"}
	renew.ClientToken = "tok 1*~+/é"
	renew.Period = "1"
	renew.PeriodUnit = "Year"
	renew.RegionId = "cn-shanghai"
	if _, err := client.RenewReservedInstances(renew); err != nil {
		t.Fatal(err)
	}
	got := check()
	if got.params.Get("ReservedInstanceId.2") != "ecsri-bbb" || got.params.Get("RegionId") != "cn-shanghai" {
		t.Errorf("params %q", got.params)
	}
}
