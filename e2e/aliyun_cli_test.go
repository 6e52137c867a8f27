package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The real aliyun CLI driven through a whole network session: a VPC, a
// vSwitch, a security group with a rule, an instance in them, stop and
// start, then everything deleted. The CLI is the binary OPENECS_ALIYUN_CLI
// names (CI unpacks it once), else the one the shared tools folder's unpack
// script gives (OPENECS_SHARED_TOOLS, or ../shared/tools beside the
// repository). It skips with one line when the tool is not there, unless
// OPENECS_TEST_TOOLS_REQUIRED=1.

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// aliyunCLI returns the unpacked CLI, unpacking it once per run.
func aliyunCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		if bin := os.Getenv("OPENECS_ALIYUN_CLI"); bin != "" {
			if info, err := os.Stat(bin); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
				cliErr = fmt.Errorf("OPENECS_ALIYUN_CLI=%s is not an executable file", bin)
				return
			}
			cliPath = bin
			return
		}
		tools := os.Getenv("OPENECS_SHARED_TOOLS")
		if tools == "" {
			tools = filepath.Join("..", "..", "shared", "tools")
		}
		unpack, err := filepath.Abs(filepath.Join(tools, "unpack"))
		if err != nil {
			cliErr = err
			return
		}
		if _, err := os.Stat(unpack); err != nil {
			cliErr = fmt.Errorf("the shared tools are not at %s", unpack)
			return
		}
		// Unpacked once into the user's cache and kept there: the script
		// leaves an unpacked tool alone.
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		dir := filepath.Join(cache, "openecs-tools")
		out, err := exec.Command(unpack, "aliyun", dir).CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("unpacking the aliyun CLI: %v: %s", err, out)
			return
		}
		cliPath = strings.TrimSpace(string(out))
	})
	if cliErr != nil {
		if os.Getenv("OPENECS_TEST_TOOLS_REQUIRED") == "1" {
			t.Fatalf("aliyun CLI: %v", cliErr)
		}
		t.Skipf("aliyun CLI session skipped: %v (set OPENECS_TEST_TOOLS_REQUIRED=1 to fail instead)", cliErr)
	}
	return cliPath
}

// cli runs the aliyun CLI against the server; args are the product, the
// action and its parameters.
type cli struct {
	t    *testing.T
	bin  string
	home string
	addr string
}

// run runs a call and returns its JSON answer; it fails the test if the
// CLI fails.
func (c *cli) run(args ...string) map[string]any {
	c.t.Helper()
	out, err := c.exec(args...)
	if err != nil {
		c.t.Fatalf("aliyun %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		c.t.Fatalf("aliyun %s: the answer is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
	return m
}

// fail runs a call that must fail with the code.
func (c *cli) fail(code string, args ...string) {
	c.t.Helper()
	out, err := c.exec(args...)
	if err == nil || !strings.Contains(string(out), "ErrorCode: "+code) {
		c.t.Fatalf("aliyun %s: %v, want ErrorCode %s:\n%s", strings.Join(args, " "), err, code, out)
	}
}

func (c *cli) exec(args ...string) ([]byte, error) {
	args = append(args, "--endpoint", c.addr, "--insecure", "--mode", "AK", "--access-key-id", "test",
		"--access-key-secret", "test", "--region", region)
	cmd := exec.Command(c.bin, args...)
	cmd.Env = []string{"HOME=" + c.home, "PATH=/usr/bin:/bin", "NO_PROXY=127.0.0.1"}
	return cmd.CombinedOutput()
}

// str digs a string out of a JSON answer by path.
func str(t *testing.T, m map[string]any, path ...any) string {
	t.Helper()
	var v any = m
	for _, p := range path {
		switch k := p.(type) {
		case string:
			mm, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", m, k)
			}
			v = mm[k]
		case int:
			l, ok := v.([]any)
			if !ok || len(l) <= k {
				t.Fatalf("%v: no element %d", m, k)
			}
			v = l[k]
		}
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v: %v is not a string", path, v)
	}
	return s
}

func TestAliyunCLINetworkSession(t *testing.T) {
	t.Parallel()
	bin := aliyunCLI(t)
	e := newEnv(t)
	c := &cli{t: t, bin: bin, home: t.TempDir(), addr: e.addr()}

	vpcID := str(t, c.run("vpc", "CreateVpc", "--RegionId", region, "--CidrBlock", "10.0.0.0/16", "--VpcName", "cli"), "VpcId")
	if s := str(t, c.run("vpc", "DescribeVpcAttribute", "--RegionId", region, "--VpcId", vpcID), "Status"); s != "Available" {
		t.Fatalf("the VPC is %s", s)
	}
	vsw := str(t, c.run("vpc", "CreateVSwitch", "--RegionId", region, "--VpcId", vpcID, "--ZoneId", "cn-hangzhou-h",
		"--CidrBlock", "10.0.1.0/24", "--VSwitchName", "cli"), "VSwitchId")
	sg := str(t, c.run("ecs", "CreateSecurityGroup", "--RegionId", region, "--VpcId", vpcID, "--SecurityGroupName", "cli"), "SecurityGroupId")
	c.run("ecs", "AuthorizeSecurityGroup", "--RegionId", region, "--SecurityGroupId", sg,
		"--Permissions", `[{"IpProtocol":"tcp","PortRange":"22/22","SourceCidrIp":"0.0.0.0/0","Policy":"accept","Priority":"1"}]`)
	attr := c.run("ecs", "DescribeSecurityGroupAttribute", "--RegionId", region, "--SecurityGroupId", sg)
	if p := str(t, attr, "Permissions", "Permission", 0, "PortRange"); p != "22/22" {
		t.Fatalf("the rule's port range is %s", p)
	}

	id := str(t, c.run("ecs", "RunInstances", "--RegionId", region, "--ImageId", image, "--InstanceType", itype, "--VSwitchId", vsw,
		"--SecurityGroupIds.1", sg, "--InstanceName", "cli"), "InstanceIdSets", "InstanceIdSet", 0)
	desc := func() map[string]any {
		return c.run("ecs", "DescribeInstances", "--RegionId", region, "--InstanceIds", `["`+id+`"]`)
	}
	in := desc()
	if st := str(t, in, "Instances", "Instance", 0, "Status"); st != "Running" {
		t.Fatalf("the instance is %s", st)
	}
	if got := str(t, in, "Instances", "Instance", 0, "VpcAttributes", "VSwitchId"); got != vsw {
		t.Fatalf("the instance is in %s, want %s", got, vsw)
	}
	ip := str(t, in, "Instances", "Instance", 0, "VpcAttributes", "PrivateIpAddress", "IpAddress", 0)
	if !inBlock(t, ip, "10.0.1.0/24") {
		t.Fatalf("the instance's address %s is not in its vSwitch", ip)
	}
	eni := c.run("ecs", "DescribeNetworkInterfaces", "--RegionId", region, "--InstanceId", id)
	if got := str(t, eni, "NetworkInterfaceSets", "NetworkInterfaceSet", 0, "PrivateIpAddress"); got != ip {
		t.Fatalf("the interface's address %s, the instance's %s", got, ip)
	}

	c.run("ecs", "StopInstance", "--InstanceId", id)
	if st := str(t, desc(), "Instances", "Instance", 0, "Status"); st != "Stopped" {
		t.Fatalf("after StopInstance: %s", st)
	}
	c.run("ecs", "StartInstance", "--InstanceId", id)
	if st := str(t, desc(), "Instances", "Instance", 0, "Status"); st != "Running" {
		t.Fatalf("after StartInstance: %s", st)
	}

	// Deleting out of order is refused with the real codes.
	c.fail("DependencyViolation.VSwitch", "vpc", "DeleteVpc", "--RegionId", region, "--VpcId", vpcID)
	c.fail("DependencyViolation", "vpc", "DeleteVSwitch", "--RegionId", region, "--VSwitchId", vsw)
	c.fail("DependencyViolation", "ecs", "DeleteSecurityGroup", "--RegionId", region, "--SecurityGroupId", sg)

	c.run("ecs", "DeleteInstance", "--InstanceId", id, "--Force", "true")
	c.run("ecs", "RevokeSecurityGroup", "--RegionId", region, "--SecurityGroupId", sg, "--IpProtocol", "tcp", "--PortRange", "22/22",
		"--SourceCidrIp", "0.0.0.0/0")
	attr = c.run("ecs", "DescribeSecurityGroupAttribute", "--RegionId", region, "--SecurityGroupId", sg)
	if rules := attr["Permissions"].(map[string]any)["Permission"].([]any); len(rules) != 0 {
		t.Fatalf("rules left after the revoke: %v", rules)
	}
	c.run("ecs", "DeleteSecurityGroup", "--RegionId", region, "--SecurityGroupId", sg)
	c.run("vpc", "DeleteVSwitch", "--RegionId", region, "--VSwitchId", vsw)
	c.run("vpc", "DeleteVpc", "--RegionId", region, "--VpcId", vpcID)
	c.fail("InvalidVpcId.NotFound", "vpc", "DescribeVpcAttribute", "--RegionId", region, "--VpcId", vpcID)
	left := c.run("vpc", "DescribeVpcs", "--RegionId", region)
	if n := left["TotalCount"].(float64); n != 0 {
		t.Fatalf("%v VPCs left", n)
	}
}
