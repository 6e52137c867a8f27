package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/openecs/openecs/sign"
)

// sdkVector is a request a V2.0 SDK sent (sign/testdata/acs3-vectors.json).
type sdkVector struct {
	Name            string `json:"name"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	Request         struct {
		Method     string              `json:"method"`
		RequestURI string              `json:"request_uri"`
		Host       string              `json:"host"`
		Header     map[string][]string `json:"header"`
		Body       string              `json:"body"`
	} `json:"request"`
}

// TestSignV3ReproducesTheSDKs rebuilds each request the Go and Node V2.0
// SDKs sent, minus its Authorization, date, nonce and body hash, signs it
// with SignV3 given the SDK's date and nonce, and expects the SDK's exact
// Authorization header and x-acs-content-sha256.
func TestSignV3ReproducesTheSDKs(t *testing.T) {
	b, err := os.ReadFile("../sign/testdata/acs3-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []sdkVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			req, err := http.NewRequest(v.Request.Method, "http://"+v.Request.Host+v.Request.RequestURI, strings.NewReader(v.Request.Body))
			if err != nil {
				t.Fatal(err)
			}
			for k, xs := range v.Request.Header {
				for _, x := range xs {
					req.Header.Add(k, x)
				}
			}
			want := req.Header.Get("Authorization")
			wantHash := req.Header.Get("X-Acs-Content-Sha256")
			date, err := time.Parse(dateLayout, req.Header.Get("X-Acs-Date"))
			if err != nil {
				t.Fatal(err)
			}
			nonce := req.Header.Get("X-Acs-Signature-Nonce")
			for _, h := range []string{"Authorization", "X-Acs-Date", "X-Acs-Signature-Nonce", "X-Acs-Content-Sha256"} {
				req.Header.Del(h)
			}
			SignV3(req, []byte(v.Request.Body), v.AccessKeyID, v.AccessKeySecret, date, nonce)
			if got := req.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n got %s\nwant %s", got, want)
			}
			if got := req.Header.Get("X-Acs-Content-Sha256"); got != wantHash {
				t.Errorf("x-acs-content-sha256 %s, want %s", got, wantHash)
			}
		})
	}
}

func TestCallV3SendsWhatTheV2SDKSends(t *testing.T) {
	srv := newRPCServer(t, 200, `{"RequestId":"req-3"}`)
	c := &RPC{Endpoint: srv.URL, AccessKeyID: "ak", AccessKeySecret: "sk/+=", RegionID: "cn-hangzhou", Signature: "v3"}
	odd := "a b*c~d+/=中"
	resp, err := c.Call(context.Background(), "StartInstance", map[string]string{"InstanceId": "i-1", "ClientToken": odd, "DryRun": ""})
	if err != nil {
		t.Fatal(err)
	}
	if resp.RequestID != "req-3" || resp.Err() != nil {
		t.Fatalf("response %+v", resp)
	}
	r := srv.last(t)
	if r.method != "POST" || r.path != "/" || len(r.body) != 0 {
		t.Errorf("request %s %s body %q", r.method, r.path, r.body)
	}
	want := map[string]string{"RegionId": "cn-hangzhou", "InstanceId": "i-1", "ClientToken": odd, "DryRun": ""}
	if len(r.query) != len(want) {
		t.Errorf("query %v, want only %v", r.query, want)
	}
	for k, v := range want {
		if got, ok := r.query[k]; !ok || len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// RFC 3986 on the wire: a space is %20, as the Node SDK sends it.
	if !strings.Contains(r.rawQ, "ClientToken=a%20b%2Ac~d%2B%2F%3D%E4%B8%AD") {
		t.Errorf("raw query %s", r.rawQ)
	}
	for h, v := range map[string]string{
		"X-Acs-Action": "StartInstance", "X-Acs-Version": "2014-05-26", "X-Acs-Credentials-Provider": "static_ak",
		"X-Acs-Content-Sha256": sign.EmptyPayloadHash,
	} {
		if got := r.header.Get(h); got != v {
			t.Errorf("header %s = %q, want %q", h, got, v)
		}
	}
	if got := r.header.Get("Content-Type"); got != "" {
		t.Errorf("Content-Type %q sent with an empty body", got)
	}
	if n := r.header.Get("X-Acs-Signature-Nonce"); !nonceRE.MatchString(n) {
		t.Errorf("nonce %q", n)
	}
	if d, err := time.Parse(dateLayout, r.header.Get("X-Acs-Date")); err != nil || time.Since(d) > time.Minute || time.Since(d) < -2*time.Second {
		t.Errorf("x-acs-date %q (%v)", r.header.Get("X-Acs-Date"), err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	a := verifyV3(t, r, host, "sk/+=")
	if a.Credential != "ak" || strings.Join(a.SignedHeaders, ";") != "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version" {
		t.Errorf("authorization %+v", a)
	}

	// The V2.0 Go SDK's own signer, given the same request, writes the same header.
	sdkQuery := map[string]*string{}
	for k, v := range r.query {
		sdkQuery[k] = dara.String(v[0])
	}
	sdkHeaders := map[string]*string{"host": dara.String(host)}
	for k := range r.header {
		sdkHeaders[strings.ToLower(k)] = dara.String(r.header.Get(k))
	}
	delete(sdkHeaders, "authorization")
	sdk := utils.GetAuthorization(&dara.Request{Method: dara.String("POST"), Pathname: dara.String("/"), Query: sdkQuery, Headers: sdkHeaders},
		dara.String(sign.ACS3), dara.String(sign.EmptyPayloadHash), dara.String("ak"), dara.String("sk/+="))
	if got := r.header.Get("Authorization"); got != dara.StringValue(sdk) {
		t.Errorf("Authorization\n got %s\n SDK %s", got, dara.StringValue(sdk))
	}
}

// verifyV3 checks a recorded request's V3 signature as a server would.
func verifyV3(t *testing.T, r seen, host, secret string) *sign.Authorization {
	t.Helper()
	a, err := sign.ParseAuthorization(r.header.Get("Authorization"))
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(r.rawQ)
	if err != nil {
		t.Fatal(err)
	}
	req := &sign.Request{Method: r.method, Path: r.path, Query: q, Host: host, Header: r.header, PayloadHash: sign.HashPayload(r.body)}
	sts := sign.StringToSignV3(req.CanonicalRequest(a.SignedHeaders))
	if !sign.VerifyV3(secret, sts, a.Signature) {
		t.Fatalf("the V3 signature does not verify: %s", r.header.Get("Authorization"))
	}
	if sign.VerifyV3(secret+"x", sts, a.Signature) {
		t.Fatal("the V3 signature verifies with another secret")
	}
	return a
}

func TestCallV3Options(t *testing.T) {
	srv := newRPCServer(t, 200, `<DescribeRegionsResponse><RequestId>x-1</RequestId></DescribeRegionsResponse>`)
	host := strings.TrimPrefix(srv.URL, "http://")
	c := &RPC{Endpoint: host, AccessKeyID: "STS.k", AccessKeySecret: "s", SecurityToken: "tok en", RegionID: "cn-hangzhou",
		Method: "get", Format: "xml", Signature: "V3"}
	if _, err := c.Call(context.Background(), "DescribeRegions", map[string]string{"RegionId": "cn-beijing", "Version": "2016-04-28"}); err != nil {
		t.Fatal(err)
	}
	r := srv.last(t)
	if r.method != "GET" {
		t.Errorf("method %s", r.method)
	}
	if r.query.Get("Format") != "XML" || r.query.Get("RegionId") != "cn-beijing" || r.query.Has("Version") || r.query.Has("SecurityToken") {
		t.Errorf("query %v", r.query)
	}
	for h, v := range map[string]string{"X-Acs-Version": "2016-04-28", "X-Acs-Accesskey-Id": "STS.k", "X-Acs-Security-Token": "tok en",
		"X-Acs-Credentials-Provider": "static_sts"} {
		if got := r.header.Get(h); got != v {
			t.Errorf("header %s = %q, want %q", h, got, v)
		}
	}
	a := verifyV3(t, r, host, "s")
	if !a.Signs("x-acs-security-token") || !a.Signs("x-acs-accesskey-id") || a.Credential != "STS.k" {
		t.Errorf("authorization %+v", a)
	}
	if _, err := (&RPC{Signature: "v2"}).BuildRequest(context.Background(), "DescribeRegions", nil); err == nil {
		t.Error("signature v2: no error")
	}
}
