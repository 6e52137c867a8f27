package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/openecs/openecs/sign"
)

// cliEnv clears every variable the call and admin commands read, so the
// developer's environment cannot leak into a test (empty counts as unset).
func cliEnv(t *testing.T) {
	for _, k := range []string{"OPENECS_ENDPOINT", "OPENECS_ACCESS_KEY_ID", "OPENECS_ACCESS_KEY_SECRET",
		"OPENECS_SECURITY_TOKEN", "OPENECS_REGION", "OPENECS_FORMAT", "OPENECS_METHOD", "OPENECS_ADMIN_TOKEN", "OPENECS_SIGNATURE"} {
		t.Setenv(k, "")
	}
}

// ecsStub records the last RPC call and answers with status and body.
type ecsStub struct {
	*httptest.Server
	mu     sync.Mutex
	method string
	params url.Values
	status int
	body   string
}

func newECSStub(t *testing.T, status int, body string) *ecsStub {
	s := &ecsStub{status: status, body: body}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.method, s.params = r.Method, r.URL.Query()
		status, body := s.status, s.body
		s.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *ecsStub) last() (string, url.Values) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.method, s.params
}

func call(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runCall(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCallHelp(t *testing.T) {
	cliEnv(t)
	for _, h := range []string{"--help", "-h", "-help"} {
		code, out, errs := call(h)
		if code != 0 || errs != "" {
			t.Errorf("%s: exit %d, stderr %q", h, code, errs)
		}
		for _, want := range []string{
			"Usage: openecs call [flags] ACTION [Key=Value ...]",
			"openecs call DescribeRegions",
			"openecs call RunInstances RegionId=cn-hangzhou ImageId=aliyun_3_x64_20G_alibase_20240819.vhd InstanceType=ecs.g7.large",
			"openecs call StartInstance InstanceId=i-...",
			"openecs call CreateVpc Version=2016-04-28 CidrBlock=10.0.0.0/16",
			"-access-key-secret", "OPENECS_ACCESS_KEY_SECRET", `(default "http://127.0.0.1:8686")`,
			`(default "cn-hangzhou")`, `(default "test")`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: help lacks %q", h, want)
			}
		}
	}
}

func TestCallDefaultsAndEnv(t *testing.T) {
	cliEnv(t)
	srv := newECSStub(t, 200, `{"RequestId":"r-1","Regions":{"Region":[]}}`)
	t.Setenv("OPENECS_ENDPOINT", srv.URL)

	code, out, errs := call("DescribeRegions")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if want := "{\n  \"RequestId\": \"r-1\",\n  \"Regions\": {\n    \"Region\": []\n  }\n}\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	method, p := srv.last()
	if method != "POST" || p.Get("AccessKeyId") != "test" || p.Get("RegionId") != "cn-hangzhou" || p.Get("Format") != "JSON" {
		t.Errorf("defaults: %s %v", method, p)
	}
	if _, ok := p["SecurityToken"]; ok {
		t.Error("SecurityToken sent by default")
	}
	if !sign.Verify("test", method, p, p.Get("Signature")) {
		t.Error("the default key pair test/test does not verify")
	}

	t.Setenv("OPENECS_ACCESS_KEY_ID", "STS.env")
	t.Setenv("OPENECS_ACCESS_KEY_SECRET", "env-secret")
	t.Setenv("OPENECS_SECURITY_TOKEN", "env-token")
	t.Setenv("OPENECS_REGION", "cn-shanghai")
	t.Setenv("OPENECS_FORMAT", "xml")
	t.Setenv("OPENECS_METHOD", "get")
	if code, _, errs := call("DescribeRegions"); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	method, p = srv.last()
	if method != "GET" || p.Get("AccessKeyId") != "STS.env" || p.Get("SecurityToken") != "env-token" ||
		p.Get("RegionId") != "cn-shanghai" || p.Get("Format") != "XML" {
		t.Errorf("from the environment: %s %v", method, p)
	}
	if !sign.Verify("env-secret", method, p, p.Get("Signature")) {
		t.Error("does not verify with the secret from the environment")
	}

	// Flags beat the environment, before or after the action.
	if code, _, errs := call("--region", "cn-beijing", "DescribeRegions", "--access-key-id", "flagak",
		"--access-key-secret", "flag-secret", "--format", "JSON", "--method", "POST"); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	method, p = srv.last()
	if method != "POST" || p.Get("AccessKeyId") != "flagak" || p.Get("RegionId") != "cn-beijing" || p.Get("Format") != "JSON" {
		t.Errorf("from flags: %s %v", method, p)
	}
	if !sign.Verify("flag-secret", method, p, p.Get("Signature")) {
		t.Error("does not verify with the secret from the flag")
	}
}

func TestCallParameters(t *testing.T) {
	cliEnv(t)
	srv := newECSStub(t, 200, `{"RequestId":"r"}`)
	code, _, errs := call("--endpoint", srv.URL, "DescribeInstances",
		`InstanceIds=["i-a","i-b"]`, "UserData=a=b==", "DryRun=", "Tag.1.Key=env", "RegionId=cn-beijing", "Note=a b*~")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	_, p := srv.last()
	for k, v := range map[string]string{
		"Action": "DescribeInstances", "InstanceIds": `["i-a","i-b"]`, "UserData": "a=b==", "DryRun": "",
		"Tag.1.Key": "env", "RegionId": "cn-beijing", "Note": "a b*~",
	} {
		if got, ok := p[k]; !ok || got[0] != v {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if !sign.Verify("test", "POST", p, p.Get("Signature")) {
		t.Error("does not verify")
	}

	// Version=… picks another API on the same endpoint (the VPC API).
	if code, _, errs := call("--endpoint", srv.URL, "CreateVpc", "Version=2016-04-28", "CidrBlock=10.0.0.0/16"); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if _, p := srv.last(); len(p["Version"]) != 1 || p.Get("Version") != "2016-04-28" || !sign.Verify("test", "POST", p, p.Get("Signature")) {
		t.Errorf("with Version=2016-04-28 the call sent Version %q (verifies: %v)", p["Version"], sign.Verify("test", "POST", p, p.Get("Signature")))
	}
}

func TestCallUsageErrors(t *testing.T) {
	cliEnv(t)
	srv := newECSStub(t, 200, `{}`)
	t.Setenv("OPENECS_ENDPOINT", srv.URL)
	cases := []struct {
		args []string
		msg  string
	}{
		{nil, "no ACTION"},
		{[]string{"StartInstance", "InstanceId"}, `argument "InstanceId" is not Key=Value`},
		{[]string{"StartInstance", "=x"}, "no key"},
		{[]string{"StartInstance", "A=1", "A=2"}, "given twice"},
		{[]string{"InstanceId=i-1"}, "must be the ACTION"},
		{[]string{"--format", "yaml", "DescribeRegions"}, "--format"},
		{[]string{"--method", "PUT", "DescribeRegions"}, "--method"},
		{[]string{"--no-such-flag", "DescribeRegions"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		code, out, errs := call(c.args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2", c.args, code)
		}
		if out != "" {
			t.Errorf("%q: stdout %q", c.args, out)
		}
		if !strings.Contains(errs, c.msg) || !strings.Contains(errs, "Usage: openecs call") {
			t.Errorf("%q: stderr lacks %q or the usage:\n%s", c.args, c.msg, errs)
		}
	}
	if m, _ := srv.last(); m != "" {
		t.Error("a usage error still sent a request")
	}
}

func TestCallAPIError(t *testing.T) {
	cliEnv(t)
	body := `{"RequestId":"r-2","HostId":"ecs.aliyuncs.com","Code":"InvalidInstanceId.NotFound","Message":"The specified InstanceId does not exist.","Recommend":"x"}`
	srv := newECSStub(t, 404, body)
	code, out, errs := call("--endpoint", srv.URL, "StartInstance", "InstanceId=i-none")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil || got["Code"] != "InvalidInstanceId.NotFound" {
		t.Errorf("stdout %q (%v)", out, err)
	}
	if !strings.Contains(out, "\n  \"Code\"") {
		t.Errorf("error body not indented: %q", out)
	}
	if !strings.Contains(errs, "InvalidInstanceId.NotFound") || !strings.Contains(errs, "r-2") {
		t.Errorf("stderr %q", errs)
	}
}

func TestCallNonJSONBodies(t *testing.T) {
	cliEnv(t)
	xmlBody := `<DescribeRegionsResponse><RequestId>r</RequestId></DescribeRegionsResponse>`
	srv := newECSStub(t, 200, xmlBody)
	code, out, _ := call("--endpoint", srv.URL, "--format", "xml", "DescribeRegions")
	if code != 0 || out != xmlBody+"\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	srv.mu.Lock()
	srv.status, srv.body = 502, "bad gateway"
	srv.mu.Unlock()
	code, out, errs := call("--endpoint", srv.URL, "DescribeRegions")
	if code != 1 || out != "bad gateway\n" || !strings.Contains(errs, "HTTP 502") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestCallUnreachable(t *testing.T) {
	cliEnv(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	code, out, errs := call("--endpoint", addr, "DescribeRegions")
	if code != 1 || out != "" || !strings.Contains(errs, "openecs call:") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestParseArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		pos  []string
	}{
		{[]string{"a", "--x", "1", "b"}, []string{"a", "b"}},
		{[]string{"a", "-5.00", "--b"}, []string{"a", "-5.00"}},
		{[]string{"--b", "-1", "x"}, []string{"-1", "x"}},
		{[]string{"--x=-3", "a"}, []string{"a"}},
		{[]string{"--x", "-3", "a"}, []string{"a"}},
		{[]string{"a", "--", "--x", "-"}, []string{"a", "--x", "-"}},
		{[]string{"-"}, []string{"-"}},
	} {
		fs := newTestFlagSet()
		pos, err := parseArgs(fs, c.args)
		if err != nil {
			t.Errorf("%q: %v", c.args, err)
			continue
		}
		if strings.Join(pos, "|") != strings.Join(c.pos, "|") {
			t.Errorf("%q: positional %q, want %q", c.args, pos, c.pos)
		}
	}
}

func newTestFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("x", "", "")
	fs.Bool("b", false, "")
	return fs
}
