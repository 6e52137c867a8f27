package bench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/openecs/openecs/sign"
)

// A V3 request of the load generator verifies as the server verifies it,
// and its hand-built canonical request is the sign package's.
func TestSignerV3(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		s := newSigner("LTAIkey", "secret/+=", "cn-hangzhou", format, "POST")
		target, headers := s.request(SignatureV3, "127.0.0.1:8686", "DescribeInstanceStatus", "InstanceId.1", "i-a b", "InstanceId.2", "i-*~")
		target2, headers2 := s.request(SignatureV3, "127.0.0.1:8686", "DescribeInstanceStatus", "InstanceId.1", "i-a b")
		if headers == headers2 || target == target2 {
			t.Fatal("two requests alike")
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			t.Fatal(err)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		if q.Get("InstanceId.1") != "i-a b" || q.Get("InstanceId.2") != "i-*~" || q.Get("RegionId") != "cn-hangzhou" || q.Has("Action") ||
			(format == "XML") != (q.Get("Format") == "XML") {
			t.Fatalf("%s: query %v", format, q)
		}
		h := http.Header{}
		for line := range strings.SplitSeq(strings.TrimSuffix(headers, "\r\n"), "\r\n") {
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				t.Fatalf("header line %q", line)
			}
			h.Add(k, v)
		}
		if h.Get("Content-Type") != "" || h.Get("X-Acs-Action") != "DescribeInstanceStatus" || h.Get("X-Acs-Content-Sha256") != sign.EmptyPayloadHash {
			t.Fatalf("headers %v", h)
		}
		a, err := sign.ParseAuthorization(h.Get("Authorization"))
		if err != nil {
			t.Fatal(err)
		}
		r := &sign.Request{Method: "POST", Path: u.EscapedPath(), Query: q, Host: "127.0.0.1:8686", Header: h, PayloadHash: sign.EmptyPayloadHash}
		canonical := r.CanonicalRequest(a.SignedHeaders)
		if got := v3Canonical("POST", u.RawQuery, "127.0.0.1:8686", "DescribeInstanceStatus", h.Get("X-Acs-Date"), h.Get("X-Acs-Signature-Nonce")); got != canonical {
			t.Fatalf("canonical request\n got %q\nwant %q", got, canonical)
		}
		if a.Credential != "LTAIkey" || !sign.VerifyV3("secret/+=", sign.StringToSignV3(canonical), a.Signature) {
			t.Fatalf("%s: the signature does not verify: %s", format, h.Get("Authorization"))
		}
	}
	// v1 is what it was.
	s := newSigner("test", "test", "cn-hangzhou", "JSON", "POST")
	if target, headers := s.request(SignatureV1, "h", "StartInstance", "InstanceId", "i-1"); headers != formHeader || !strings.Contains(target, "Signature=") {
		t.Fatalf("v1: %q %q", target, headers)
	}
}

func TestParseSignatures(t *testing.T) {
	for in, want := range map[string]string{"v1": "v1", "V3": "v3", "v1,v3": "v1 v3", " v3 , v1 ": "v3 v1"} {
		got, err := ParseSignatures(in)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", ",", "v2", "v1,v1", "v1,x"} {
		if got, err := ParseSignatures(bad); err == nil {
			t.Errorf("%q: %v", bad, got)
		}
	}
}

// BenchmarkSignerSchemes is the load generator's own cost of one signed
// request under each scheme (it shares the machine with the server).
func BenchmarkSignerSchemes(b *testing.B) {
	for _, scheme := range []string{SignatureV1, SignatureV3} {
		b.Run(scheme, func(b *testing.B) {
			s := newSigner("test", "test", "cn-hangzhou", "JSON", "POST")
			b.ReportAllocs()
			for b.Loop() {
				s.request(scheme, "127.0.0.1:8686", "DescribeInstanceStatus", "InstanceId.1", "i-bp1abcdefghijklmnop1", "InstanceId.2", "i-bp1abcdefghijklmnop2")
			}
		})
	}
}
