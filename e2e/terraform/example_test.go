package terraform

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// exampleDir is the folder users copy (examples/terraform).
var exampleDir = filepath.Join("..", "..", "examples", "terraform")

// The example folder, run as written but for the endpoint: apply, a clean
// plan, destroy, and the server holds nothing. It needs its own TLS
// certificate trusted, as its README says.
func TestExample(t *testing.T) {
	t.Parallel()
	w := New(t, "", Options{Dir: exampleDir, SSLCertFile: CertFile, Probes: NetworkProbes})
	took := w.Cycle(Step{Name: "as written", Check: func(t *testing.T, w *Workspace) {
		var id, itype, ip string
		w.Output("instance_id", &id)
		w.Output("instance_type", &itype)
		w.Output("private_ip", &ip)
		in := at(t, w.Server.Call(t, "DescribeInstances", map[string]string{"InstanceIds": `["` + id + `"]`}), "Instances", "Instance", 0)
		if str(t, in, "InstanceName") != "example-web" || str(t, in, "Status") != "Running" || str(t, in, "InstanceType") != itype ||
			str(t, in, "VpcAttributes", "PrivateIpAddress", "IpAddress", 0) != ip || !inBlock(t, ip, "10.0.1.0/24") {
			t.Errorf("the example's instance: %v", in)
		}
		if tags := tagMap(t, list(t, in, "Tags", "Tag"), "TagKey", "TagValue"); len(tags) != 1 || tags["Environment"] != "dev" {
			t.Errorf("the example's instance tags: %v", tags)
		}
		group := str(t, in, "SecurityGroupIds", "SecurityGroupId", 0)
		rules := list(t, w.Server.Call(t, "DescribeSecurityGroupAttribute", map[string]string{"SecurityGroupId": group}), "Permissions", "Permission")
		if len(rules) != 1 || str(t, rules, 0, "PortRange") != "22/22" || str(t, rules, 0, "SourceCidrIp") != "0.0.0.0/0" ||
			str(t, rules, 0, "Direction") != "ingress" {
			t.Errorf("the example's group rules: %v", rules)
		}
	}})
	t.Logf("Terraform example cycle (apply, plan, destroy): %s", took.Round(1e6))
}

// providerBlockRE finds a provider "alicloud" block (up to its closing
// brace at the start of a line).
var providerBlockRE = regexp.MustCompile(`(?ms)^provider "alicloud" \{.*?^\}`)

// normalHCL drops comments and collapses blanks, so that two blocks that
// say the same compare equal.
func normalHCL(s string) string {
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// The READMEs say what the test runs: the main README's provider block is
// the example's, and the example's README gives the commands and the
// certificate the test uses. (No Terraform needed.)
func TestExampleREADMEs(t *testing.T) {
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	mainTF := read(filepath.Join(exampleDir, "main.tf"))
	example := providerBlockRE.FindString(mainTF)
	readme := providerBlockRE.FindString(read(filepath.Join("..", "..", "README.md")))
	if example == "" || readme == "" {
		t.Fatalf("no provider block in examples/terraform/main.tf (%t) or README.md (%t)", example != "", readme != "")
	}
	if normalHCL(example) != normalHCL(readme) {
		t.Errorf("README.md's provider block differs from examples/terraform/main.tf's:\n%s\n---\n%s", readme, example)
	}
	if !strings.Contains(example, exampleAddr) {
		t.Errorf("the example's provider block does not name %s", exampleAddr)
	}
	guide := read(filepath.Join(exampleDir, "README.md"))
	for _, line := range []string{
		"openecs serve\n",
		"export SSL_CERT_FILE=$PWD/openecs-data/tls/cert.pem\n",
		"terraform init\nterraform apply\nterraform plan\nterraform destroy\n",
		`"aliyun/alicloud" = `,
		"export TF_CLI_CONFIG_FILE=$PWD/openecs.tfrc\nterraform apply\nterraform plan\nterraform destroy\n",
	} {
		if !strings.Contains(guide, line) {
			t.Errorf("examples/terraform/README.md does not say %q", line)
		}
	}
	if !strings.Contains(mainTF, `version = "1.289.0"`) || !strings.Contains(guide, "1.289.0") {
		t.Error("the example does not pin the provider version the tests use (1.289.0) or its README does not name it")
	}
}
