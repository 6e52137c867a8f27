package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/service"
	"github.com/openecs/openecs/sign"
	"github.com/openecs/openecs/sqlite"
)

// The benchmarks of the transport: the parameter parser, the JSON and XML
// encoders, and the whole handler in process (parameters, signature, nonce,
// service, store on a durable SQLite file, encoding, metrics).

// benchService is a service over a fresh SQLite file with synchronous=FULL,
// as `openecs serve` runs it, and a zero transition delay.
func benchService(b *testing.B) *service.Service {
	b.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: b.TempDir() + "/bench.db"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cfg := service.DefaultConfig()
	cfg.TransitionDelay = 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, nil, catalog.Builtin(), cfg, log)
	if _, err := svc.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	return svc
}

// runInstancesParams is a RunInstances call as a Terraform-style client
// sends it: placement, image, disks, network, tags, idempotency.
func runInstancesParams() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{
		"Action": "RunInstances", "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "test",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": "4d3a4a0c-5f0e-4b8e-9d7b-1f4b3c2a1e0d",
		"Timestamp": "2026-11-22T10:04:05Z", "Signature": "hKQ8Yy4cF8vJ0nq0o0dX3e9ZkOs=", "RegionId": "cn-hangzhou",
		"ZoneId": "cn-hangzhou-h", "ImageId": "aliyun_3_x64_20G_alibase_20240819.vhd", "InstanceType": "ecs.g7.large",
		"InstanceName": "web-server", "HostName": "web-01", "Description": "front end", "Amount": "3", "MinAmount": "1",
		"UniqueSuffix": "true", "InstanceChargeType": "PostPaid", "InternetChargeType": "PayByTraffic",
		"InternetMaxBandwidthOut": "10", "SystemDisk.Category": "cloud_essd", "SystemDisk.Size": "40",
		"DataDisk.1.Category": "cloud_essd", "DataDisk.1.Size": "100", "DataDisk.2.Category": "cloud_auto", "DataDisk.2.Size": "200",
		"Tag.1.Key": "env", "Tag.1.Value": "prod", "Tag.2.Key": "team", "Tag.2.Value": "web",
		"SecurityGroupIds.1": "sg-bp1a", "KeyPairName": "deploy", "DeletionProtection": "false",
		"ClientToken": "0c593ea1-3bea-11e9-b96b-88e9fe637760", "DryRun": "false",
	} {
		v.Set(k, s)
	}
	return v
}

// describeInstancesParams is a filtered DescribeInstances page.
func describeInstancesParams() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{
		"Action": "DescribeInstances", "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": "test",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": "4d3a4a0c-5f0e-4b8e-9d7b-1f4b3c2a1e0d",
		"Timestamp": "2026-11-22T10:04:05Z", "Signature": "hKQ8Yy4cF8vJ0nq0o0dX3e9ZkOs=", "RegionId": "cn-hangzhou",
		"ZoneId": "cn-hangzhou-h", "Status": "Running", "InstanceChargeType": "PostPaid", "PageNumber": "2", "PageSize": "50",
		"InstanceIds": `["i-bp1a","i-bp1b","i-bp1c","i-bp1d","i-bp1e"]`, "Tag.1.Key": "env", "Tag.1.Value": "prod",
	} {
		v.Set(k, s)
	}
	return v
}

// BenchmarkParams reads a request's parameters: the query decoded and
// merged (readParams) and every parameter of the action read and checked.
func BenchmarkParams(b *testing.B) {
	svc := benchService(b)
	s := New(svc, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, tc := range []struct {
		name string
		vals url.Values
		read func(c *Call) error
	}{
		{"RunInstances", runInstancesParams(), func(c *Call) error { c.runRequest(true); return c.P.Err() }},
		{"DescribeInstances", describeInstancesParams(), func(c *Call) error { _, err := describeInstancesRequest(c); return err }},
	} {
		raw := "/?" + tc.vals.Encode()
		b.Run(tc.name, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodPost, raw, http.NoBody)
			b.ReportAllocs()
			for b.Loop() {
				vals, err := readParams(r)
				if err != nil {
					b.Fatal(err)
				}
				c := &Call{Ctx: context.Background(), P: NewParams(vals), srv: s}
				if err := tc.read(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchPage is a DescribeInstances answer of n typical instances.
func benchPage(n int) *DescribeInstancesResponse {
	out := &DescribeInstancesResponse{RequestId: "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E", TotalCount: 1000, PageNumber: 1, PageSize: n}
	base := time.Date(2026, 11, 22, 10, 4, 5, 0, time.UTC)
	for i := range n {
		id := "i-bp1" + strconv.Itoa(100000+i)
		in := &openecs.Instance{
			ID: id, AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large", Family: "ecs.g7",
			CPU: 2, MemoryMiB: 8192, ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", OSName: "Alibaba Cloud Linux  3.2104 LTS 64位",
			OSNameEn: "Alibaba Cloud Linux  3.2104 LTS 64 bit", OSType: "linux", Name: "web-" + strconv.Itoa(i), HostName: "iZbp1" + strconv.Itoa(i) + "Z",
			Status: openecs.StatusRunning, ChargeType: openecs.PostPaid, StoppedMode: openecs.KeepCharging, BillingState: openecs.BillingNormal,
			SpotStrategy: openecs.NoSpot, HourlyPrice: openecs.MustMoney("0.626"), InternetChargeType: "PayByTraffic", InternetMaxBandwidthIn: 100,
			VpcID: "vpc-bp1q", VSwitchID: "vsw-bp1s", SecurityGroupIDs: []string{"sg-bp1g"}, PrivateIP: "172.16.0." + strconv.Itoa(i%250+1),
			NetworkInterfaceID: "eni-bp1" + strconv.Itoa(i), MacAddress: "00:16:3e:12:34:56", SerialNumber: "a4c2b1d6-3e5f-4a7b-9c8d-0e1f2a3b4c5d",
			IoOptimized: true, CreatedAt: base, StartedAt: base, Tags: []openecs.Tag{{Key: "env", Value: "prod"}},
		}
		out.Instances.Instance = append(out.Instances.Instance, wireInstance(in))
	}
	return out
}

// BenchmarkEncode renders DescribeInstances pages of 10 and 100 instances
// as JSON and XML.
func BenchmarkEncode(b *testing.B) {
	for _, n := range []int{10, 100} {
		page := benchPage(n)
		for _, format := range []string{"JSON", "XML"} {
			b.Run(format+"/"+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				var size int
				for b.Loop() {
					body, err := encodeBody(page, format == "XML", "DescribeInstancesResponse")
					if err != nil {
						b.Fatal(err)
					}
					size = len(body)
				}
				b.ReportMetric(float64(size), "bytes/op")
			})
		}
		// The baseline for the hand-written JSON page encoder
		// (wirejson.go): encoding/json on the same page, as encodeBody
		// would run it without that encoder.
		b.Run("JSON-encoding-json/"+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				if err := enc.Encode(page); err != nil {
					b.Fatal(err)
				}
				size = buf.Len() - 1
			}
			b.ReportMetric(float64(size), "bytes/op")
		})
	}
}

// benchHandler is the RPC handler over benchService, with metrics on.
func benchHandler(b *testing.B) (*Server, *service.Service) {
	svc := benchService(b)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return New(svc, Options{Logger: log, Metrics: NewMetrics(prometheus.NewRegistry(), svc)}), svc
}

var nonceSeq atomic.Uint64

// signedRequest builds a request as the SDK sends it: POST, every parameter
// in the query, signed, with a fresh nonce.
func signedRequest(action string, params ...string) *http.Request {
	v := url.Values{}
	v.Set("Action", action)
	v.Set("Version", APIVersion)
	v.Set("Format", "JSON")
	v.Set("AccessKeyId", "test")
	v.Set("SignatureMethod", "HMAC-SHA1")
	v.Set("SignatureVersion", "1.0")
	v.Set("SignatureType", "")
	v.Set("SignatureNonce", "bench-"+strconv.FormatUint(nonceSeq.Add(1), 36))
	v.Set("Timestamp", time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	v.Set("RegionId", "cn-hangzhou")
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	v.Set("Signature", sign.Signature("test", http.MethodPost, v))
	r := httptest.NewRequest(http.MethodPost, "/?"+v.Encode(), http.NoBody)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// runBenchInstances creates n running instances of the bootstrap account.
func runBenchInstances(b *testing.B, s *Server, n int) []string {
	var ids []string
	for len(ids) < n {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, signedRequest("RunInstances", "ImageId", "aliyun_3_x64_20G_alibase_20240819.vhd",
			"InstanceType", "ecs.g7.large", "Amount", strconv.Itoa(min(100, n-len(ids)))))
		if w.Code != 200 {
			b.Fatalf("RunInstances: %d %s", w.Code, w.Body)
		}
		body := w.Body.String()
		for {
			i := indexOf(body, `"i-`)
			if i < 0 {
				break
			}
			body = body[i+1:]
			j := indexOf(body, `"`)
			ids = append(ids, body[:j])
			body = body[j:]
		}
	}
	return ids
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// BenchmarkServeHTTP runs whole calls through the handler in process:
// DescribeInstanceStatus of two instances, a DescribeInstances page of 10,
// and StartInstance/StopInstance on distinct instances from parallel callers
// (each answered after its group commit, synchronous=FULL). Building and
// signing each request is inside the loop (a few µs; see
// BenchmarkSignRequest).
func BenchmarkServeHTTP(b *testing.B) {
	s, _ := benchHandler(b)
	ids := runBenchInstances(b, s, 1024)
	stopped := make([]bool, len(ids))
	var nextOwner atomic.Int64
	b.Run("DescribeInstanceStatus", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := int(nonceSeq.Add(1)) % (len(ids) - 1)
			for pb.Next() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, signedRequest("DescribeInstanceStatus", "InstanceId.1", ids[i], "InstanceId.2", ids[i+1]))
				if w.Code != 200 {
					b.Errorf("%d %s", w.Code, w.Body)
					return
				}
			}
		})
	})
	b.Run("DescribeInstances", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, signedRequest("DescribeInstances", "PageSize", "10"))
				if w.Code != 200 {
					b.Errorf("%d %s", w.Code, w.Body)
					return
				}
			}
		})
	})
	b.Run("StartStop", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(32) // 32 callers per CPU, so that commits are shared
		b.RunParallel(func(pb *testing.PB) {
			// Each caller owns one instance; stopped[i] carries its state over
			// from the benchmark's earlier rounds.
			i := int(nextOwner.Add(1)-1) % len(ids)
			for pb.Next() {
				action := "StopInstance"
				if stopped[i] {
					action = "StartInstance"
				}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, signedRequest(action, "InstanceId", ids[i]))
				if w.Code != 200 {
					b.Errorf("%s: %d %s", action, w.Code, w.Body)
					return
				}
				stopped[i] = !stopped[i]
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
}

// BenchmarkSignRequest is the cost of building a signed request in the
// handler benchmarks (to subtract from them).
func BenchmarkSignRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		signedRequest("DescribeInstanceStatus", "InstanceId.1", "i-a", "InstanceId.2", "i-b")
	}
}
