package terraform

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"slices"
	"testing"
)

// Helpers for the checks of a step: reading the server's answers through
// the API, and the probes of everything a network configuration makes.

// vpcAPI is the VPC API's version: Call sends it instead of ECS's.
const vpcAPI = "2016-04-28"

// vpcCall makes a VPC API call (version 2016-04-28).
func (s *Server) vpcCall(t *testing.T, action string, params map[string]string) map[string]any {
	t.Helper()
	p := map[string]string{"Version": vpcAPI, "RegionId": "cn-hangzhou"}
	for k, v := range params {
		p[k] = v
	}
	return s.Call(t, action, p)
}

// CertFile is the server's own self-signed certificate (made in its data
// directory on first start), for Options.SSLCertFile.
func CertFile(s *Server) string { return filepath.Join(s.DataDir, "tls", "cert.pem") }

// NetworkProbes find everything a network configuration makes, in every
// region: instances, disks, network interfaces, security groups, vSwitches,
// VPCs and the tags on ECS resources. Default networks count too: a
// configuration that names its own vSwitch and groups never makes one, so
// after its destroy the account must hold no VPC at all.
var NetworkProbes = []Probe{
	{Name: "instances", Action: "DescribeInstances", Params: map[string]string{"PageSize": "100"}},
	{Name: "disks", Action: "DescribeDisks", Params: map[string]string{"PageSize": "100"}},
	{Name: "network interfaces", Action: "DescribeNetworkInterfaces", Params: map[string]string{"PageSize": "100"}},
	{Name: "security groups", Action: "DescribeSecurityGroups", Params: map[string]string{"PageSize": "50"}},
	{Name: "vSwitches", Action: "DescribeVSwitches", Params: map[string]string{"Version": vpcAPI, "PageSize": "50"}},
	{Name: "VPCs", Action: "DescribeVpcs", Params: map[string]string{"Version": vpcAPI, "PageSize": "50"}},
	{Name: "ECS tags", Action: "DescribeTags", Params: map[string]string{"PageSize": "100"}},
}

// at walks a decoded JSON answer: a string steps into an object, an int
// into a list. It fails the test when a step is missing.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", path[:i], k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no field %q in %v", path[:i], k, m)
			}
		case int:
			l, ok := v.([]any)
			if !ok || len(l) <= k {
				t.Fatalf("%v: no element %d in %v", path[:i], k, v)
			}
			v = l[k]
		default:
			panic(fmt.Sprintf("at: path element %v", p))
		}
	}
	return v
}

// str is at for a string.
func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, ok := at(t, v, path...).(string)
	if !ok {
		t.Fatalf("%v: %v is not a string", path, at(t, v, path...))
	}
	return s
}

// num is at for a number.
func num(t *testing.T, v any, path ...any) float64 {
	t.Helper()
	f, ok := at(t, v, path...).(float64)
	if !ok {
		t.Fatalf("%v: %v is not a number", path, at(t, v, path...))
	}
	return f
}

// list is at for a list.
func list(t *testing.T, v any, path ...any) []any {
	t.Helper()
	l, ok := at(t, v, path...).([]any)
	if !ok {
		t.Fatalf("%v: %v is not a list", path, at(t, v, path...))
	}
	return l
}

// tagMap reads a Tags.Tag list whose entries name key and value with the
// given fields (ECS: TagKey/TagValue; the VPC API: Key/Value).
func tagMap(t *testing.T, tags []any, key, value string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tag := range tags {
		out[str(t, tag, key)] = str(t, tag, value)
	}
	return out
}

// strs reads a list of strings.
func strs(t *testing.T, v any, path ...any) []string {
	t.Helper()
	var out []string
	for i := range list(t, v, path...) {
		out = append(out, str(t, v, append(slices.Clone(path), i)...))
	}
	return out
}

// inBlock reports whether the address is inside the CIDR block.
func inBlock(t *testing.T, addr, block string) bool {
	t.Helper()
	a, err := netip.ParseAddr(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return netip.MustParsePrefix(block).Contains(a)
}
