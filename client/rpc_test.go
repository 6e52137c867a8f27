package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs/sign"
)

// seen is one request as the test server received it.
type seen struct {
	method  string
	path    string
	query   url.Values
	rawQ    string
	header  http.Header
	body    []byte
	clength int64
}

// rpcServer records requests and answers with status and body.
type rpcServer struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []seen
	status int
	body   string
	ctype  string
}

func newRPCServer(t *testing.T, status int, body string) *rpcServer {
	s := &rpcServer{status: status, body: body, ctype: "application/json"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.Query(), r.URL.RawQuery, r.Header.Clone(), b, r.ContentLength})
		s.mu.Unlock()
		w.Header().Set("Content-Type", s.ctype)
		w.WriteHeader(s.status)
		io.WriteString(w, s.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *rpcServer) last(t *testing.T) seen {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	return s.reqs[len(s.reqs)-1]
}

var nonceRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestCallSendsWhatTheSDKSends(t *testing.T) {
	srv := newRPCServer(t, 200, `{"RequestId":"req-1"}`)
	c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk/+=", RegionID: "cn-hangzhou"}
	odd := "a b*c~d+/=中"
	resp, err := c.Call(context.Background(), "StartInstance", map[string]string{"InstanceId": "i-1", "ClientToken": odd, "DryRun": ""})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || resp.RequestID != "req-1" || resp.Err() != nil {
		t.Fatalf("response %+v, err %v", resp, resp.Err())
	}

	r := srv.last(t)
	if r.method != "POST" || r.path != "/" {
		t.Errorf("request line %s %s", r.method, r.path)
	}
	if len(r.body) != 0 || r.clength != 0 {
		t.Errorf("body %q, Content-Length %d", r.body, r.clength)
	}
	want := map[string]string{
		"Action": "StartInstance", "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "ak",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "",
		"RegionId": "cn-hangzhou", "InstanceId": "i-1", "ClientToken": odd, "DryRun": "",
	}
	for k, v := range want {
		got, ok := r.query[k]
		if !ok || len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if _, ok := r.query["SecurityToken"]; ok {
		t.Error("SecurityToken sent without STS credentials")
	}
	if n := r.query.Get("SignatureNonce"); !nonceRE.MatchString(n) {
		t.Errorf("SignatureNonce %q is not 32 lower-case hex characters", n)
	}
	ts, err := time.Parse("2006-01-02T15:04:05Z", r.query.Get("Timestamp"))
	if err != nil {
		t.Errorf("Timestamp %q: %v", r.query.Get("Timestamp"), err)
	} else if d := time.Since(ts); d < -2*time.Second || d > time.Minute {
		t.Errorf("Timestamp %s is %v away from now", ts, d)
	}
	if len(r.query) != len(want)+3 { // + SignatureNonce, Timestamp, Signature
		t.Errorf("unexpected parameters: %v", r.query)
	}
	// A space goes on the wire as '+', as url.Values.Encode writes it.
	if !strings.Contains(r.rawQ, "ClientToken=a+b%2Ac~d%2B%2F%3D%E4%B8%AD") {
		t.Errorf("raw query %s", r.rawQ)
	}
	for h, v := range map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Accept-Encoding": "identity",
		"X-Acs-Action": "StartInstance", "X-Acs-Version": "2014-05-26",
	} {
		if got := r.header.Get(h); got != v {
			t.Errorf("header %s = %q, want %q", h, got, v)
		}
	}
	if !sign.Verify("sk/+=", "POST", r.query, r.query.Get("Signature")) {
		t.Error("the signature does not verify")
	}
	if sign.Verify("other", "POST", r.query, r.query.Get("Signature")) {
		t.Error("the signature verifies with another secret")
	}
}

func TestCallOptions(t *testing.T) {
	srv := newRPCServer(t, 200, `<DescribeRegionsResponse><RequestId>x-1</RequestId></DescribeRegionsResponse>`)
	host := strings.TrimPrefix(srv.URL, "http://")
	c := &RPC{Endpoint: host, AccessKeyID: "STS.k", AccessKeySecret: "s", SecurityToken: "tok en", RegionID: "cn-hangzhou",
		Method: "get", Format: "xml"}
	resp, err := c.Call(context.Background(), "DescribeRegions", map[string]string{"RegionId": "cn-beijing"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.RequestID != "x-1" {
		t.Errorf("RequestId from XML: %q", resp.RequestID)
	}
	r := srv.last(t)
	if r.method != "GET" {
		t.Errorf("method %s", r.method)
	}
	for k, v := range map[string]string{"Format": "XML", "RegionId": "cn-beijing", "SecurityToken": "tok en", "AccessKeyId": "STS.k"} {
		if got := r.query.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if !sign.Verify("s", "GET", r.query, r.query.Get("Signature")) {
		t.Error("GET signature does not verify")
	}
	if sign.Verify("s", "POST", r.query, r.query.Get("Signature")) {
		t.Error("a GET signature verifies as POST")
	}
}

func TestCallerParamsWinOverCommonOnes(t *testing.T) {
	srv := newRPCServer(t, 200, `{}`)
	c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk"}
	_, err := c.Call(context.Background(), "CreateVpc", map[string]string{
		"Version": "2016-04-28", "Timestamp": "2020-01-01T00:00:00Z", "SignatureNonce": "fixed", "Signature": "ignored",
	})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.last(t)
	if r.query.Get("Version") != "2016-04-28" || r.query.Get("Timestamp") != "2020-01-01T00:00:00Z" || r.query.Get("SignatureNonce") != "fixed" {
		t.Errorf("caller values lost: %v", r.query)
	}
	if r.header.Get("X-Acs-Version") != "2016-04-28" {
		t.Errorf("x-acs-version %q", r.header.Get("X-Acs-Version"))
	}
	if got := r.query["Signature"]; len(got) != 1 || got[0] == "ignored" {
		t.Errorf("Signature %q", got)
	}
	if !sign.Verify("sk", "POST", r.query, r.query.Get("Signature")) {
		t.Error("does not verify")
	}
	// RegionId is sent, empty, when neither the call nor the client has one.
	if v, ok := r.query["RegionId"]; !ok || v[0] != "" {
		t.Errorf("RegionId %q present %v", v, ok)
	}
}

func TestNonceIsFreshPerCall(t *testing.T) {
	srv := newRPCServer(t, 200, `{}`)
	c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk"}
	seenNonces := map[string]bool{}
	for range 50 {
		if _, err := c.Call(context.Background(), "DescribeRegions", nil); err != nil {
			t.Fatal(err)
		}
		n := srv.last(t).query.Get("SignatureNonce")
		if seenNonces[n] {
			t.Fatalf("nonce %s reused", n)
		}
		seenNonces[n] = true
	}
}

func TestErrorBodies(t *testing.T) {
	cases := []struct {
		name, body               string
		status                   int
		code, msg, host, rec, id string
	}{
		{"json", `{"RequestId":"r-9","HostId":"ecs.aliyuncs.com","Code":"InvalidInstanceId.NotFound","Message":"The specified InstanceId does not exist.","Recommend":"https://x"}`,
			404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.", "ecs.aliyuncs.com", "https://x", "r-9"},
		{"xml", `<?xml version="1.0"?><Error><RequestId>r-8</RequestId><HostId>h</HostId><Code>Throttling</Code><Message>slow down</Message><Recommend>r</Recommend></Error>`,
			400, "Throttling", "slow down", "h", "r", "r-8"},
		{"not a string", `{"RequestId":"r-7","Code":123,"Message":"m"}`, 500, "123", "m", "", "", "r-7"},
		{"plain text", "upstream exploded\n", 502, "", "upstream exploded", "", "", ""},
		{"empty", "", 503, "", "", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRPCServer(t, tc.status, tc.body)
			c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk"}
			resp, err := c.Call(context.Background(), "StartInstance", map[string]string{"InstanceId": "i-x"})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tc.status || resp.Code != tc.code || resp.Message != tc.msg || resp.HostID != tc.host ||
				resp.Recommend != tc.rec || resp.RequestID != tc.id || string(resp.Body) != tc.body {
				t.Errorf("response %+v", resp)
			}
			var apiErr *APIError
			if !errors.As(resp.Err(), &apiErr) {
				t.Fatalf("Err() = %v", resp.Err())
			}
			if apiErr.Status != tc.status || apiErr.Code != tc.code || apiErr.Message != tc.msg || apiErr.RequestID != tc.id {
				t.Errorf("APIError %+v", apiErr)
			}
			if !strings.Contains(apiErr.Error(), tc.code) {
				t.Errorf("Error() = %q", apiErr.Error())
			}
		})
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var followed bool
	mux := http.NewServeMux()
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed = true })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk"}
	resp, err := c.Call(context.Background(), "DescribeRegions", nil)
	if err != nil {
		t.Fatal(err)
	}
	if followed {
		t.Error("the redirect was followed")
	}
	if resp.Status != http.StatusFound || resp.Err() == nil {
		t.Errorf("status %d, err %v", resp.Status, resp.Err())
	}
}

func TestBuildRequestErrors(t *testing.T) {
	ctx := context.Background()
	for name, c := range map[string]*RPC{
		"method":   {Method: "PUT"},
		"format":   {Format: "yaml"},
		"scheme":   {Endpoint: "ftp://x"},
		"no host":  {Endpoint: "http://"},
		"bad port": {Endpoint: "http://127.0.0.1:notaport"},
	} {
		if _, err := c.BuildRequest(ctx, "DescribeRegions", nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := (&RPC{}).BuildRequest(ctx, "", nil); err == nil {
		t.Error("empty action: no error")
	}
	req, err := (&RPC{}).BuildRequest(ctx, "DescribeRegions", nil)
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.Scheme != "http" || req.URL.Host != "127.0.0.1:8686" || req.URL.Path != "/" {
		t.Errorf("default endpoint gave %s", req.URL)
	}
}

func TestTransportError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := &RPC{Endpoint: addr, AccessKeyID: "ak", AccessKeySecret: "sk"}
	if _, err := c.Call(context.Background(), "DescribeRegions", nil); err == nil {
		t.Error("no error from a closed server")
	}
}

func TestCallHonoursContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	c := &RPC{Endpoint: srv.URL}
	if _, err := c.Call(ctx, "DescribeRegions", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}
