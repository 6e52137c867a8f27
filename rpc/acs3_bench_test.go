package rpc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/openecs/openecs/client"
	"github.com/openecs/openecs/sign"
)

// signedRequestV3 builds a request as the V2.0 SDKs send it: POST, the
// parameters in the query, x-acs-* headers, signed with ACS3-HMAC-SHA256,
// with a fresh nonce.
func signedRequestV3(action string, params ...string) *http.Request {
	q := url.Values{"RegionId": {"cn-hangzhou"}}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	r := httptest.NewRequest(http.MethodPost, "/?"+sign.CanonicalQuery(q), http.NoBody)
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", APIVersion)
	r.Header.Set("x-acs-credentials-provider", "static_ak")
	client.SignV3(r, nil, "test", "test", time.Now(), "bench-"+strconv.FormatUint(nonceSeq.Add(1), 36))
	return r
}

// BenchmarkServeHTTPSignatures runs DescribeInstanceStatus of two instances
// through the handler, signed with v1.0 and with V3, in the same run.
// Building and signing each request is inside the loop; see
// BenchmarkSignRequestSchemes for what to subtract.
func BenchmarkServeHTTPSignatures(b *testing.B) {
	s, _ := benchHandler(b)
	ids := runBenchInstances(b, s, 256)
	for _, sc := range []struct {
		name string
		req  func(action string, params ...string) *http.Request
	}{{"v1", signedRequest}, {"v3", signedRequestV3}} {
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := int(nonceSeq.Add(1)) % (len(ids) - 1)
				for pb.Next() {
					w := httptest.NewRecorder()
					s.ServeHTTP(w, sc.req("DescribeInstanceStatus", "InstanceId.1", ids[i], "InstanceId.2", ids[i+1]))
					if w.Code != 200 {
						b.Errorf("%d %s", w.Code, w.Body)
						return
					}
				}
			})
		})
	}
}

// BenchmarkSignRequestSchemes is the cost of building the requests of
// BenchmarkServeHTTPSignatures.
func BenchmarkSignRequestSchemes(b *testing.B) {
	b.Run("v1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			signedRequest("DescribeInstanceStatus", "InstanceId.1", "i-a", "InstanceId.2", "i-b")
		}
	})
	b.Run("v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			signedRequestV3("DescribeInstanceStatus", "InstanceId.1", "i-a", "InstanceId.2", "i-b")
		}
	})
}

// BenchmarkAuthenticateSchemes is decoding and authentication alone (no
// nonce store: a fresh one per call would be a different cost), v1.0 and V3.
func BenchmarkAuthenticateSchemes(b *testing.B) {
	s, _ := benchHandler(b)
	s.nonces = acceptAll{}
	for _, sc := range []struct {
		name string
		req  func(action string, params ...string) *http.Request
	}{{"v1", signedRequest}, {"v3", signedRequestV3}} {
		r := sc.req("DescribeInstanceStatus", "InstanceId.1", "i-a", "InstanceId.2", "i-b")
		b.Run(sc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				vals, v3, err := readRequest(r)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.authenticateRequest(r, vals, v3); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// acceptAll is a NonceStore that takes every nonce as fresh.
type acceptAll struct{}

func (acceptAll) Use(context.Context, string, string, time.Time) (bool, error) { return true, nil }
