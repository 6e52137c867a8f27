package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	sdkutils "github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils"
)

// The nonce and timestamp the vectors of docs/protocol.md were pinned to.
const (
	pinnedNonce = "3e1d8b0c6f0a4c1e9d2b7a5c4f3e2d1a"
	pinnedTime  = "2024-01-02T03:04:05Z"
)

// common returns the parameters the SDK adds to every RPC request.
func common(action, akID, region string) url.Values {
	return url.Values{
		"AccessKeyId":      {akID},
		"Action":           {action},
		"Format":           {"JSON"},
		"RegionId":         {region},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {pinnedNonce},
		"SignatureType":    {""},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {pinnedTime},
		"Version":          {"2014-05-26"},
	}
}

// checkVector asserts every entry point agrees on one vector. wantSTS may be
// empty when only the signature is known.
func checkVector(t *testing.T, secret, method string, params url.Values, wantSTS, wantSig string) {
	t.Helper()
	sts := StringToSign(method, params)
	if wantSTS != "" && sts != wantSTS {
		t.Errorf("StringToSign:\n got %s\nwant %s", sts, wantSTS)
	}
	if got := Sign(secret, sts); got != wantSig {
		t.Errorf("Sign = %s, want %s", got, wantSig)
	}
	if got := Signature(secret, method, params); got != wantSig {
		t.Errorf("Signature = %s, want %s", got, wantSig)
	}
	if !Verify(secret, method, params, wantSig) {
		t.Errorf("Verify rejected the expected signature")
	}
	// The Signature parameter itself never takes part.
	withSig := cloneValues(params)
	withSig.Set("Signature", wantSig)
	if !Verify(secret, method, withSig, wantSig) {
		t.Errorf("Verify rejected the expected signature once Signature was among the params")
	}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Vector A of docs/protocol.md: static AccessKey, StartInstance, POST.
func TestVectorA(t *testing.T) {
	p := common("StartInstance", "LTAI5tExampleKeyId", "cn-hangzhou")
	p.Set("InstanceId", "i-bp67acfmxazb4ph***")
	checkVector(t, "ExampleSecretValue123", "POST", p,
		"POST&%2F&AccessKeyId%3DLTAI5tExampleKeyId%26Action%3DStartInstance%26Format%3DJSON%26InstanceId%3Di-bp67acfmxazb4ph%252A%252A%252A%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3e1d8b0c6f0a4c1e9d2b7a5c4f3e2d1a%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2014-05-26",
		"m39bwT5XQjlGiTu8kqgz5gZ4MIc=")
}

// Vector B of docs/protocol.md: STS, RenewReservedInstances, POST, with a list,
// a space, '*', '~', '+', '/', '=' and non-ASCII text.
func TestVectorB(t *testing.T) {
	p := common("RenewReservedInstances", "STS.NExampleId", "cn-shanghai")
	p.Set("ClientToken", "a b*c~d")
	p.Set("Period", "1")
	p.Set("PeriodUnit", "Year")
	p.Set("ReservedInstanceId.1", "ecsri-uf6aaa")
	p.Set("ReservedInstanceId.2", "ecsri-uf6bbb")
	p.Set("SecurityToken", "CAIS token+/= 中")
	checkVector(t, "StsSecret/+=", "POST", p,
		"POST&%2F&AccessKeyId%3DSTS.NExampleId%26Action%3DRenewReservedInstances%26ClientToken%3Da%2520b%252Ac~d%26Format%3DJSON%26Period%3D1%26PeriodUnit%3DYear%26RegionId%3Dcn-shanghai%26ReservedInstanceId.1%3Decsri-uf6aaa%26ReservedInstanceId.2%3Decsri-uf6bbb%26SecurityToken%3DCAIS%2520token%252B%252F%253D%2520%25E4%25B8%25AD%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3e1d8b0c6f0a4c1e9d2b7a5c4f3e2d1a%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2014-05-26",
		"o1JWESLsSryIYIKWdI4r4HAAzeM=")

	// The same request as the SDK put it on the wire (form-encoded query),
	// decoded the way a server decodes it, must verify too.
	wire := "AccessKeyId=STS.NExampleId&Action=RenewReservedInstances&ClientToken=a+b%2Ac~d&Format=JSON&Period=1&PeriodUnit=Year&RegionId=cn-shanghai&ReservedInstanceId.1=ecsri-uf6aaa&ReservedInstanceId.2=ecsri-uf6bbb&SecurityToken=CAIS+token%2B%2F%3D+%E4%B8%AD&Signature=o1JWESLsSryIYIKWdI4r4HAAzeM%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=3e1d8b0c6f0a4c1e9d2b7a5c4f3e2d1a&SignatureType=&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2014-05-26"
	q, err := url.ParseQuery(wire)
	if err != nil {
		t.Fatal(err)
	}
	if !Verify("StsSecret/+=", "POST", q, q.Get("Signature")) {
		t.Error("the decoded wire query of vector B does not verify")
	}
}

// Vector C of docs/protocol.md is the example of the ECS document
// "Call methods/Signature.md": GET, testid/testsecret, DescribeRegions,
// Format=XML, no RegionId and no SignatureType. The signature
// OLeaidS1JvxuMvnyHOwuJ+uX5qY= is reproduced only with that document's own
// nonce and timestamp (3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf,
// 2016-02-23T12:46:24Z); with the nonce and timestamp of vector A it is not.
func TestVectorC(t *testing.T) {
	p := url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"DescribeRegions"},
		"Format":           {"XML"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2016-02-23T12:46:24Z"},
		"Version":          {"2014-05-26"},
	}
	checkVector(t, "testsecret", "GET", p,
		"GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
		"OLeaidS1JvxuMvnyHOwuJ+uX5qY=")

	pinned := cloneValues(p)
	pinned.Set("SignatureNonce", pinnedNonce)
	pinned.Set("Timestamp", pinnedTime)
	if Verify("testsecret", "GET", pinned, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=") {
		t.Error("vector C unexpectedly verifies with the pinned nonce and timestamp")
	}
}

// Vector D of docs/protocol.md (bearer token, DescribeRegions, HMAC key "&",
// signature 4fPdW5GeQpMGsnVMzXWY79dWX1c=) cannot be reproduced: protocol.md
// does not give the BearerToken value, nor the method, region and format that
// were used, and the signature depends on all of them. The bearer mode itself
// (AccessKeyId empty, SignatureType=BEARERTOKEN, BearerToken signed, key "&")
// is covered by TestBearerMode below and by the SDK cross-checks.
func TestBearerMode(t *testing.T) {
	p := common("DescribeRegions", "", "cn-hangzhou")
	p.Set("SignatureType", "BEARERTOKEN")
	p.Set("BearerToken", "a bearer token/+=")
	sts := StringToSign("POST", p)
	want := sdkutils.ShaHmac1(sts, "&")
	checkVector(t, "", "POST", p, sdkStringToSign("POST", flatten(p)), want)
	if Verify("x", "POST", p, want) {
		t.Error("a bearer signature verified with a non-empty secret")
	}
}

// Vector E of docs/protocol.md: a CommonRequest sent with GET whose form body
// PageSize=50 takes part in the signature. The inputs it was made from,
// recovered by matching the signature: DescribeInstanceStatus in
// cn-hangzhou, Format=JSON, the key pair of vector A, nonce and timestamp
// pinned as in vector A.
func TestVectorE(t *testing.T) {
	query := common("DescribeInstanceStatus", "LTAI5tExampleKeyId", "cn-hangzhou")
	form := url.Values{"PageSize": {"50"}}
	all := cloneValues(query)
	for k, v := range form {
		all[k] = append(all[k], v...)
	}
	checkVector(t, "ExampleSecretValue123", "GET", all, "", "pkUDQBMmbO6zo3jX6OA+uz84Y+U=")
	if Verify("ExampleSecretValue123", "GET", query, "pkUDQBMmbO6zo3jX6OA+uz84Y+U=") {
		t.Error("vector E verified without its form body")
	}
	if Verify("ExampleSecretValue123", "POST", all, "pkUDQBMmbO6zo3jX6OA+uz84Y+U=") {
		t.Error("vector E verified with the wrong method")
	}
}

// The vectors of the SDK's own unit tests (sdk/auth/rpc_signature_composer_test.go):
// an empty CommonRequest signed with a mocked date and nonce.
func TestSDKUnitTestVectors(t *testing.T) {
	if got := StringToSign("GET", url.Values{}); got != "GET&%2F&" {
		t.Errorf("empty: %q", got)
	}
	p := url.Values{"key": {"value"}, "q": {"http://domain/?q=value&q2=value2"}}
	if got, want := StringToSign("GET", p), "GET&%2F&key%3Dvalue%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}

	p = url.Values{
		"Version": {""}, "Action": {""}, "Format": {"JSON"},
		"Timestamp": {"mock date"}, "SignatureMethod": {"HMAC-SHA1"},
		"SignatureVersion": {"1.0"}, "SignatureType": {""},
		"SignatureNonce": {"MOCK_UUID"}, "AccessKeyId": {"accessKeyId"},
		"RegionId": {"regionId"},
	}
	checkVector(t, "accessKeySecret", "GET", p, "", "7loPmFjvDnzOVnQeQNj85S6nFGY=")
	p.Set("SecurityToken", "accessKeyStsToken")
	checkVector(t, "accessKeySecret", "GET", p, "", "5Nxdcler+ihqWqv0Hr2On4PsBf4=")
}

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"":                 "",
		"abcXYZ019-_.~":    "abcXYZ019-_.~",
		"a b":              "a%20b",
		"*":                "%2A",
		"~":                "~",
		"+/=&%?#":          "%2B%2F%3D%26%25%3F%23",
		"中":                "%E4%B8%AD",
		"\x00\x7f\xff":     "%00%7F%FF",
		"2024-01-02T03:04": "2024-01-02T03%3A04",
	}
	for in, want := range cases {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStringToSignShape(t *testing.T) {
	// Empty values stay; a name with several values gives one pair per value
	// in the given order; a name with no values gives nothing; Signature is
	// never signed.
	p := url.Values{
		"B":         {"2", "1"},
		"A":         {""},
		"C":         {},
		"Signature": {"x"},
	}
	if got, want := StringToSign("POST", p), "POST&%2F&A%3D%26B%3D2%26B%3D1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got, want := StringToSign("GET", url.Values{"k": {"v"}}), "GET&%2F&k%3Dv"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Names are ordered by their raw bytes, as the SDKs order them. For "a/" and
// "a." this differs from ordering the encoded names ("a%2F" < "a.").
func TestOrderFollowsRawNames(t *testing.T) {
	p := url.Values{"a/": {"1"}, "a.": {"2"}, "é": {"3"}, "z": {"4"}}
	got := StringToSign("POST", p)
	if want := sdkStringToSign("POST", flatten(p)); got != want {
		t.Fatalf("got %s\nSDK %s", got, want)
	}
	if !strings.Contains(got, "a.%3D2%26a%252F%3D1%26z%3D4%26%25C3%25A9%3D3") {
		t.Errorf("unexpected order: %s", got)
	}
}

// More than the 32 names and 1024 bytes the fast paths keep on the stack.
func TestLargeRequests(t *testing.T) {
	p := url.Values{}
	for i := range 200 {
		p.Set("Tag."+strings.Repeat("x", i%7)+string(rune('A'+i%26))+"."+PercentEncode(string(rune(0x4e00+i))), strings.Repeat("v é*", i))
	}
	want := sdkutils.ShaHmac1(sdkStringToSign("POST", flatten(p)), "s&")
	if got := StringToSign("POST", p); got != sdkStringToSign("POST", flatten(p)) {
		t.Fatal("string to sign differs from the SDK's")
	}
	checkVector(t, "s", "POST", p, "", want)
}

// The hand-rolled HMAC must equal crypto/hmac for every key length,
// including keys longer than the SHA-1 block.
func TestHMACMatchesStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 150 {
		secret := randomString(r, n)
		msg := randomString(r, r.IntN(3000))
		m := hmac.New(sha1.New, []byte(secret+"&"))
		m.Write([]byte(msg))
		want := base64.StdEncoding.EncodeToString(m.Sum(nil))
		if got := Sign(secret, msg); got != want {
			t.Fatalf("secret length %d: Sign = %s, want %s", len(secret), got, want)
		}
		p := url.Values{"M": {msg}}
		if got, want := Signature(secret, "POST", p), Sign(secret, StringToSign("POST", p)); got != want {
			t.Fatalf("secret length %d: Signature = %s, Sign = %s", len(secret), got, want)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	p := common("StartInstance", "LTAI5tExampleKeyId", "cn-hangzhou")
	p.Set("InstanceId", "i-bp67acfmxazb4ph***")
	const good = "m39bwT5XQjlGiTu8kqgz5gZ4MIc="
	const secret = "ExampleSecretValue123"
	bad := []struct {
		name, secret, method, sig string
		edit                      func(url.Values)
	}{
		{"wrong secret", "other", "POST", good, nil},
		{"wrong method", secret, "GET", good, nil},
		{"empty signature", secret, "POST", "", nil},
		{"short signature", secret, "POST", good[:27], nil},
		{"long signature", secret, "POST", good + "=", nil},
		{"one character off", secret, "POST", "n" + good[1:], nil},
		{"tampered value", secret, "POST", good, func(v url.Values) { v.Set("InstanceId", "i-other") }},
		{"extra empty param", secret, "POST", good, func(v url.Values) { v.Set("DryRun", "") }},
		{"dropped param", secret, "POST", good, func(v url.Values) { v.Del("SignatureType") }},
		{"duplicated value", secret, "POST", good, func(v url.Values) { v.Add("InstanceId", "i-bp67acfmxazb4ph***") }},
	}
	for _, c := range bad {
		q := cloneValues(p)
		if c.edit != nil {
			c.edit(q)
		}
		if Verify(c.secret, c.method, q, c.sig) {
			t.Errorf("%s: verified", c.name)
		}
	}
	if !Verify(secret, "POST", p, good) {
		t.Error("the good signature was rejected")
	}
}

// --- The official SDK's signer, rebuilt from its exported pieces -----------

// sdkStringToSign repeats, step by step, what buildRpcStringToSign in
// sdk/auth/rpc_signature_composer.go of alibaba-cloud-sdk-go v1.63.107 does
// (the function itself is unexported): form-encode the merged parameter map
// with utils.GetUrlFormedMap, patch '+', '*' and '%7E', query-escape the whole
// string and prefix the method and the encoded path.
func sdkStringToSign(method string, params map[string]string) string {
	s := sdkutils.GetUrlFormedMap(params)
	s = strings.Replace(s, "+", "%20", -1)
	s = strings.Replace(s, "*", "%2A", -1)
	s = strings.Replace(s, "%7E", "~", -1)
	s = url.QueryEscape(s)
	return method + "&%2F&" + s
}

// sdkPercentEncode is the SDK's encoding of a single name or value.
func sdkPercentEncode(s string) string {
	s = url.QueryEscape(s)
	s = strings.Replace(s, "+", "%20", -1)
	s = strings.Replace(s, "*", "%2A", -1)
	s = strings.Replace(s, "%7E", "~", -1)
	return s
}

// flatten turns single-valued url.Values into the map the SDK signs.
func flatten(v url.Values) map[string]string {
	m := make(map[string]string, len(v))
	for k, vs := range v {
		if len(vs) != 1 {
			panic("flatten: " + k + " has several values")
		}
		m[k] = vs[0]
	}
	return m
}

// pieces random strings are built from: plain ASCII, the characters whose
// encoding differs between schemes, multi-byte UTF-8 and invalid bytes.
var pieces = []string{
	"a", "Z", "0", "9", "-", "_", ".", "~", " ", "*", "+", "/", "=", "&", "%",
	"?", "#", "!", "'", "(", ")", ":", "@", "$", ",", ";", "[", "]", "\"", "\\",
	"\t", "\n", "\x00", "\x7f", "é", "中", "文", "😀", "\u00a0", "\u200b",
	"\xff", "\xc3", "%7E", "%20", "+%2B",
}

func randomString(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestAgainstSDKSigner cross-checks StringToSign, Sign, Signature and Verify
// with the SDK's signing steps on many random requests: random names and
// values, empty values, and the common parameters the SDK adds.
func TestAgainstSDKSigner(t *testing.T) {
	r := rand.New(rand.NewPCG(20240102, 30405))
	iterations := 3000
	if testing.Short() {
		iterations = 300
	}
	for i := range iterations {
		m := map[string]string{}
		if r.IntN(2) == 0 {
			for k, v := range common("Act"+randomString(r, r.IntN(4)), randomString(r, r.IntN(8)), "cn-hangzhou") {
				m[k] = v[0]
			}
		}
		for range r.IntN(20) {
			k := randomString(r, r.IntN(6))
			if k == "Signature" {
				continue
			}
			m[k] = randomString(r, r.IntN(12))
		}
		method := "POST"
		if r.IntN(2) == 0 {
			method = "GET"
		}
		secret := randomString(r, r.IntN(80))
		if r.IntN(10) == 0 {
			secret = "" // bearer-token mode: the key is just "&"
		}
		v := url.Values{}
		for k, val := range m {
			v.Set(k, val)
		}

		wantSTS := sdkStringToSign(method, m)
		wantSig := sdkutils.ShaHmac1(wantSTS, secret+"&")
		if got := StringToSign(method, v); got != wantSTS {
			t.Fatalf("#%d StringToSign differs\n got %q\nwant %q\nparams %q", i, got, wantSTS, m)
		}
		if got := Sign(secret, wantSTS); got != wantSig {
			t.Fatalf("#%d Sign = %s, SDK %s", i, got, wantSig)
		}
		if got := Signature(secret, method, v); got != wantSig {
			t.Fatalf("#%d Signature = %s, SDK %s", i, got, wantSig)
		}
		if !Verify(secret, method, v, wantSig) {
			t.Fatalf("#%d Verify rejected the SDK's signature; params %q", i, m)
		}

		// Round trip through the wire: the SDK sends url.Values.Encode();
		// the server decodes with ParseQuery and must still verify.
		v.Set("Signature", wantSig)
		decoded, err := url.ParseQuery(v.Encode())
		if err != nil {
			t.Fatalf("#%d ParseQuery: %v", i, err)
		}
		if !Verify(secret, method, decoded, decoded.Get("Signature")) {
			t.Fatalf("#%d Verify rejected the decoded wire form; params %q", i, m)
		}
	}
}

// --- Fuzzing ----------------------------------------------------------------

func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{"", "abc", "a b*c~d", "CAIS token+/= 中", "\xff\x00", "%7E%20+", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := PercentEncode(s)
		back, err := url.PathUnescape(enc)
		if err != nil {
			t.Fatalf("PathUnescape(%q): %v", enc, err)
		}
		if back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
		if sdk := sdkPercentEncode(s); enc != sdk {
			t.Fatalf("PercentEncode(%q) = %q, SDK %q", s, enc, sdk)
		}
		for i := 0; i < len(enc); i++ {
			if c := enc[i]; !safe[c] && c != '%' {
				t.Fatalf("PercentEncode(%q) left %q", s, c)
			}
		}
		if !utf8.ValidString(enc) {
			t.Fatalf("PercentEncode(%q) is not ASCII", s)
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add("ExampleSecretValue123", "POST", "AccessKeyId=a&Action=StartInstance&SignatureType=", "m39bwT5XQjlGiTu8kqgz5gZ4MIc=")
	f.Add("", "GET", "a=1&a=2&b", "")
	f.Add("s", "", "%zz=1&;x=%", "????????????????????????????")
	f.Fuzz(func(t *testing.T, secret, method, rawQuery, signature string) {
		params, _ := url.ParseQuery(rawQuery) // keep what parses
		if Verify(secret, method, params, signature) {
			// Only the right signature may pass.
			if signature != Sign(secret, StringToSign(method, params)) {
				t.Fatalf("Verify accepted %q", signature)
			}
		}
		sig := Signature(secret, method, params)
		if sig != Sign(secret, StringToSign(method, params)) {
			t.Fatal("Signature and Sign(StringToSign) disagree")
		}
		if !Verify(secret, method, params, sig) {
			t.Fatal("Verify rejected its own signature")
		}
	})
}

// --- Benchmarks --------------------------------------------------------------

// describeInstances is a realistic signed DescribeInstances request: 13 signed
// parameters plus Signature.
func describeInstances() url.Values {
	p := common("DescribeInstances", "LTAI5tExampleKeyId", "cn-hangzhou")
	p.Set("InstanceIds", `["i-bp1abcdefghijklmnop1","i-bp1abcdefghijklmnop2"]`)
	p.Set("PageNumber", "1")
	p.Set("PageSize", "100")
	p.Set("Signature", Signature("ExampleSecretValue123", "POST", p))
	return p
}

func BenchmarkStringToSign(b *testing.B) {
	p := describeInstances()
	b.ReportAllocs()
	for b.Loop() {
		_ = StringToSign("POST", p)
	}
}

func BenchmarkVerify(b *testing.B) {
	p := describeInstances()
	sig := p.Get("Signature")
	b.ReportAllocs()
	for b.Loop() {
		if !Verify("ExampleSecretValue123", "POST", p, sig) {
			b.Fatal("rejected")
		}
	}
}

// BenchmarkSDKStringToSign measures the SDK's own steps, for comparison.
func BenchmarkSDKStringToSign(b *testing.B) {
	m := flatten(describeInstances())
	delete(m, "Signature")
	b.ReportAllocs()
	for b.Loop() {
		_ = sdkStringToSign("POST", m)
	}
}
