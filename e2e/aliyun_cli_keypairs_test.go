package e2e

import "testing"

// TestAliyunCLIKeyPairs: the aliyun CLI imports, lists, attaches, detaches
// and deletes a key pair, and gets the documented errors.
func TestAliyunCLIKeyPairs(t *testing.T) {
	t.Parallel()
	bin := aliyunCLI(t)
	e := newEnv(t)
	c := &cli{t: t, bin: bin, home: t.TempDir(), addr: e.addr()}

	imp := c.run("ecs", "ImportKeyPair", "--RegionId", region, "--KeyPairName", "cli-key", "--PublicKeyBody", kpRSA)
	if got := str(t, imp, "KeyPairFingerPrint"); got != kpRSAFP {
		t.Fatalf("ImportKeyPair fingerprint %s, want %s", got, kpRSAFP)
	}
	c.fail("KeyPair.AlreadyExist", "ecs", "ImportKeyPair", "--RegionId", region, "--KeyPairName", "cli-key", "--PublicKeyBody", kpEd25519)
	c.fail("InvalidPublicKeyBody.Malformed", "ecs", "ImportKeyPair", "--RegionId", region, "--KeyPairName", "cli-bad", "--PublicKeyBody", "ssh-rsa x")
	list := c.run("ecs", "DescribeKeyPairs", "--RegionId", region, "--KeyPairName", "cli-*")
	if got := str(t, list, "KeyPairs", "KeyPair", 0, "KeyPairName"); got != "cli-key" {
		t.Fatalf("DescribeKeyPairs: %v", list)
	}
	id := str(t, c.run("ecs", "RunInstances", "--RegionId", region, "--ImageId", image, "--InstanceType", itype,
		"--KeyPairName", "cli-key"), "InstanceIdSets", "InstanceIdSet", 0)
	c.fail("InvalidParameter.KeypairAlreadyAttachedInstance", "ecs", "DeleteKeyPairs", "--RegionId", region, "--KeyPairNames", `["cli-key"]`)
	det := c.run("ecs", "DetachKeyPair", "--RegionId", region, "--KeyPairName", "cli-key", "--InstanceIds", `["`+id+`"]`)
	if str(t, det, "TotalCount") != "1" || str(t, det, "FailCount") != "0" || str(t, det, "Results", "Result", 0, "Code") != "200" {
		t.Fatalf("DetachKeyPair: %v", det)
	}
	att := c.run("ecs", "AttachKeyPair", "--RegionId", region, "--KeyPairName", "cli-key", "--InstanceIds", `["`+id+`"]`)
	if str(t, att, "FailCount") != "0" {
		t.Fatalf("AttachKeyPair: %v", att)
	}
	c.run("ecs", "DeleteInstance", "--InstanceId", id, "--Force", "true")
	c.run("ecs", "DeleteKeyPairs", "--RegionId", region, "--KeyPairNames", `["cli-key"]`)
	if n := len(c.run("ecs", "DescribeKeyPairs", "--RegionId", region)["KeyPairs"].(map[string]any)["KeyPair"].([]any)); n != 0 {
		t.Fatalf("after DeleteKeyPairs the CLI lists %d key pairs", n)
	}
}
