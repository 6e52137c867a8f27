package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/openecs/openecs/sign"
)

// TestCallSignatureV3 makes calls with --signature v3 against a real server:
// they succeed, a wrong secret answers SignatureDoesNotMatch with the
// server's V3 string to sign, and an unknown scheme is a usage error.
func TestCallSignatureV3(t *testing.T) {
	cliEnv(t)
	a := startApp(t)
	code, out, errs := call("--endpoint", a.Endpoint(), "--signature", "v3", "RunInstances", "ImageId=aliyun_3_x64_20G_alibase_20240819.vhd",
		"InstanceType=ecs.g7.large", "InstanceName=v3-cli", "Description=v3 cli*~", "Tag.1.Key=env", "Tag.1.Value=a b")
	if code != 0 || !strings.Contains(out, "InstanceIdSet") {
		t.Fatalf("RunInstances: exit %d\n%s\n%s", code, out, errs)
	}
	t.Setenv("OPENECS_SIGNATURE", "v3")
	code, out, errs = call("--endpoint", a.Endpoint(), "DescribeInstances", "PageSize=5")
	if code != 0 || !strings.Contains(out, `"Description": "v3 cli*~"`) || !strings.Contains(out, `"TagValue": "a b"`) || !strings.Contains(out, `"PageSize": 5`) {
		t.Fatalf("DescribeInstances: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = call("--endpoint", a.Endpoint(), "--format", "xml", "DescribeRegions")
	if code != 0 || !strings.HasPrefix(out, "<?xml") {
		t.Fatalf("XML: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = call("--endpoint", a.Endpoint(), "--access-key-secret", "wrong", "DescribeRegions")
	if code != 1 || !strings.Contains(out, "SignatureDoesNotMatch") || !strings.Contains(out, "server string to sign is:ACS3-HMAC-SHA256") {
		t.Fatalf("wrong secret: exit %d\n%s\n%s", code, out, errs)
	}
	// v1 stays the default and can be asked for.
	code, out, errs = call("--endpoint", a.Endpoint(), "--signature", "v1", "--access-key-secret", "wrong", "DescribeRegions")
	if code != 1 || !strings.Contains(out, "server string to sign is:POST&%2F&") {
		t.Fatalf("v1 wrong secret: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := call("--endpoint", a.Endpoint(), "--signature", "v2", "DescribeRegions"); code != 2 || !strings.Contains(errs, "--signature") {
		t.Fatalf("--signature v2: exit %d\n%s", code, errs)
	}
}

// The request --signature v3 sends, as a recording server sees it.
func TestCallSignatureV3Wire(t *testing.T) {
	cliEnv(t)
	srv := newRPCRecorder(t)
	code, _, errs := call("--endpoint", srv.URL, "--signature", "v3", "--region", "cn-shanghai", "StopInstance", "InstanceId=i-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r := srv.last()
	if r.Header.Get("X-Acs-Action") != "StopInstance" || r.Header.Get("X-Acs-Version") != "2014-05-26" {
		t.Errorf("headers %v", r.Header)
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	if q.Get("RegionId") != "cn-shanghai" || q.Get("InstanceId") != "i-1" || q.Has("Action") || q.Has("Signature") || q.Has("AccessKeyId") {
		t.Errorf("query %v", q)
	}
	a, err := sign.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	req := &sign.Request{Method: r.Method, Path: "/", Query: q, Host: r.Host, Header: r.Header, PayloadHash: sign.EmptyPayloadHash}
	if !sign.VerifyV3("test", sign.StringToSignV3(req.CanonicalRequest(a.SignedHeaders)), a.Signature) || a.Credential != "test" {
		t.Errorf("the V3 signature does not verify: %s", r.Header.Get("Authorization"))
	}
}

// rpcRecorder keeps the last request and answers {}.
type rpcRecorder struct {
	*httptest.Server
	mu  sync.Mutex
	req *http.Request
}

func newRPCRecorder(t *testing.T) *rpcRecorder {
	s := &rpcRecorder{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.req = r.Clone(r.Context())
		s.mu.Unlock()
		io.WriteString(w, `{"RequestId":"r"}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rpcRecorder) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.req
}
