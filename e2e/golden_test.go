package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenWall is the fixed wall clock of the golden tests, so that times in
// the bodies are stable.
var goldenWall = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// normaliser replaces the random parts of a body (request ids, resource ids,
// addresses, order ids) with stable placeholders numbered by first appearance.
type normaliser struct {
	seen map[string]string
	n    map[string]int
}

var randomParts = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"RequestId", regexp.MustCompile(`[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)},
	{"serial", regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)},
	{"id", regexp.MustCompile(`\b(i|vpc|vsw|sg|eni|d|ecsri|vtb|vrt|sgr|eip)-[0-9a-z]{8,}\b`)},
	{"mac", regexp.MustCompile(`00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}`)},
	{"ip", regexp.MustCompile(`\b(172|47|198)\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)},
	{"order", regexp.MustCompile(`"OrderId":"\d+"|<OrderId>\d+</OrderId>`)},
	{"account", regexp.MustCompile(`\b\d{16}\b`)},
}

func (n *normaliser) apply(b []byte) []byte {
	if n.seen == nil {
		n.seen, n.n = map[string]string{}, map[string]int{}
	}
	for _, p := range randomParts {
		b = p.re.ReplaceAllFunc(b, func(m []byte) []byte {
			if r, ok := n.seen[string(m)]; ok {
				return []byte(r)
			}
			n.n[p.kind]++
			var r string
			switch p.kind {
			case "order":
				if bytes.HasPrefix(m, []byte(`"`)) {
					r = fmt.Sprintf(`"OrderId":"<order-%d>"`, n.n[p.kind])
				} else {
					r = fmt.Sprintf(`<OrderId><order-%d></OrderId>`, n.n[p.kind])
				}
			case "id":
				prefix := m[:bytes.IndexByte(m, '-')]
				r = fmt.Sprintf("%s-<%d>", prefix, n.n[p.kind])
			default:
				r = fmt.Sprintf("<%s-%d>", p.kind, n.n[p.kind])
			}
			n.seen[string(m)] = r
			return []byte(r)
		})
	}
	return b
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./e2e -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// TestGoldenBodies records the exact JSON and XML body of every action. Each
// format acts on its own instance, so both see the same state.
func TestGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	ids := map[string]string{}
	formats := []string{"JSON", "XML"}
	call := func(name, action string, params func(format string) map[string]string, wantStatus int) {
		t.Helper()
		for _, format := range formats {
			p := map[string]string{"Format": format}
			if params != nil {
				for k, v := range params(format) {
					p[k] = v
				}
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			if action == "RunInstances" {
				ids[format] = regexp.MustCompile(`i-[0-9a-z]{20}`).FindString(string(r.Body))
			}
			golden(t, name+"."+strings.ToLower(format), n.apply(r.Body))
		}
	}
	fixed := func(m map[string]string) func(string) map[string]string {
		return func(string) map[string]string { return m }
	}
	own := func(key string, extra map[string]string) func(string) map[string]string {
		return func(format string) map[string]string {
			m := map[string]string{key: ids[format]}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
	}

	call("DescribeRegions", "DescribeRegions", nil, 200)
	call("DescribeZones", "DescribeZones", fixed(map[string]string{"RegionId": "cn-shenzhen"}), 200)
	call("DescribeImages", "DescribeImages", fixed(map[string]string{"ImageOwnerAlias": "system", "PageSize": "2"}), 200)
	call("RunInstances", "RunInstances", fixed(map[string]string{"ImageId": image, "InstanceType": itype, "ZoneId": "cn-hangzhou-h",
		"InstanceName": "golden", "HostName": "golden-host", "Tag.1.Key": "env", "Tag.1.Value": "golden", "InternetMaxBandwidthOut": "5"}), 200)
	call("CreateInstance", "CreateInstance", fixed(map[string]string{"ImageId": image, "InstanceType": "ecs.c7.large", "ZoneId": "cn-hangzhou-i",
		"InstanceChargeType": "PrePaid", "Period": "1", "PeriodUnit": "Month", "InstanceName": "golden-prepaid"}), 200)
	call("DescribeInstances", "DescribeInstances", func(format string) map[string]string {
		return map[string]string{"InstanceIds": `["` + ids[format] + `"]`}
	}, 200)
	call("DescribeInstanceStatus", "DescribeInstanceStatus", own("InstanceId.1", nil), 200)
	call("StopInstance", "StopInstance", own("InstanceId", nil), 200)
	call("StartInstance.error", "StartInstance", fixed(map[string]string{"InstanceId": "i-bpnosuchinstance000"}), 404)
	call("StartInstances", "StartInstances", own("InstanceId.1", map[string]string{"InstanceId.2": "i-bpnosuchinstance000", "BatchOptimization": "SuccessFirst"}), 200)
	call("RebootInstance", "RebootInstance", own("InstanceId", nil), 200)
	call("ReActivateInstances.error", "ReActivateInstances", own("InstanceId", nil), 400)
	call("DeleteInstance.error", "DeleteInstance", own("InstanceId", nil), 403)
	call("DeleteInstance", "DeleteInstance", own("InstanceId", map[string]string{"Force": "true"}), 200)
}
