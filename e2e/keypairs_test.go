package e2e

// SSH key pairs through the legacy Go SDK: CreateKeyPair, ImportKeyPair,
// DescribeKeyPairs, DeleteKeyPairs, AttachKeyPair, DetachKeyPair, the
// KeyPairName of RunInstances and DescribeInstances, and key pair tags.
// Helpers carry a "kp" prefix.

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	ecsv2 "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"golang.org/x/crypto/ssh"
)

// Fixed public keys made by ssh-keygen, with the MD5 fingerprints
// `ssh-keygen -l -E md5` prints for them: the server's fingerprints are
// checked against OpenSSH's own, not against a second copy of its code.
const (
	kpRSA      = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCf6YAIYmXJ0vlvmeTX4C5g1y99wUHYb8RqVFSvD8DefruouxkE5aGEe65RePjJn8H0R6TQN6SdzShVQy4R2oIy430IC1K3r8OD96QyyfQbf7o1kD9qXrQk1qYKI7emc8uEO3bRQidABYiTH7do3ZViJ+Y/kxqd7w67fktvUWAZcagAwjyrhr+Xgm070N6lBkz5dABkfmX4G293SrtqBAtXmkn6GDoOi0WuujiH3cxmynJ6hqO0DsSp5svusHOD6rp4EIyG+nY4+LIpHxQxoF8vTpkUZdmijfnMhMVvVMms7IUEc7iq5hQth4wldNn4UtXeMXBG9BFDZ5MvOZyDNJlh openecs-test-rsa"
	kpRSAFP    = "2c:b1:ea:e4:f9:c4:79:f7:bc:09:fc:17:34:63:14:ff"
	kpEd25519  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7+mZdqckogmw890WwVGQ+1Kr/toQPrGb4KV87B4MCb openecs-test-1"
	kpEdFP     = "34:13:be:f4:01:85:d6:92:15:73:82:1c:29:98:67:f7"
	kpECDSA    = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL3nzndo9hupg8W65TKRPWIUmOdAdQXy+Ns2OTKyLu6z4lHx60gZ9btGmnSYw+LKuwBbPehr0rFrVw/heZ5uHhA= e"
	kpECDSAFP  = "0b:f0:91:b5:92:ef:11:9c:73:8e:d4:43:d7:3e:0e:a4"
	kpWindows  = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240918.vhd"
	kpOtherRgn = "cn-beijing"
)

func kpImport(c *ecs.Client, name, key string, tags ...string) (*ecs.ImportKeyPairResponse, error) {
	req := ecs.CreateImportKeyPairRequest()
	req.RegionId, req.KeyPairName, req.PublicKeyBody = region, name, key
	var list []ecs.ImportKeyPairTag
	for i := 0; i+1 < len(tags); i += 2 {
		list = append(list, ecs.ImportKeyPairTag{Key: tags[i], Value: tags[i+1]})
	}
	if len(list) > 0 {
		req.Tag = &list
	}
	return c.ImportKeyPair(req)
}

func kpCreate(c *ecs.Client, name string) (*ecs.CreateKeyPairResponse, error) {
	req := ecs.CreateCreateKeyPairRequest()
	req.RegionId, req.KeyPairName = region, name
	return c.CreateKeyPair(req)
}

func kpDescribe(t *testing.T, c *ecs.Client, mutate func(*ecs.DescribeKeyPairsRequest)) *ecs.DescribeKeyPairsResponse {
	t.Helper()
	req := ecs.CreateDescribeKeyPairsRequest()
	req.RegionId = region
	if mutate != nil {
		mutate(req)
	}
	resp, err := c.DescribeKeyPairs(req)
	ok(t, err)
	return resp
}

func kpNames(resp *ecs.DescribeKeyPairsResponse) []string {
	out := []string{}
	for _, k := range resp.KeyPairs.KeyPair {
		out = append(out, k.KeyPairName)
	}
	return out
}

func kpDelete(c *ecs.Client, names string) error {
	req := ecs.CreateDeleteKeyPairsRequest()
	req.RegionId, req.KeyPairNames = region, names
	_, err := c.DeleteKeyPairs(req)
	return err
}

// kpAnswer is AttachKeyPair's or DetachKeyPair's answer, each result as
// "instance success code".
type kpAnswer struct {
	Total, Fail string
	Results     []string
}

func kpAttach(c *ecs.Client, attach bool, name, ids string) (kpAnswer, error) {
	var out kpAnswer
	if attach {
		req := ecs.CreateAttachKeyPairRequest()
		req.RegionId, req.KeyPairName, req.InstanceIds = region, name, ids
		resp, err := c.AttachKeyPair(req)
		if err != nil {
			return out, err
		}
		out.Total, out.Fail = resp.TotalCount, resp.FailCount
		for _, r := range resp.Results.Result {
			out.Results = append(out.Results, r.InstanceId+" "+r.Success+" "+r.Code)
		}
		return out, nil
	}
	req := ecs.CreateDetachKeyPairRequest()
	req.RegionId, req.KeyPairName, req.InstanceIds = region, name, ids
	resp, err := c.DetachKeyPair(req)
	if err != nil {
		return out, err
	}
	out.Total, out.Fail = resp.TotalCount, resp.FailCount
	for _, r := range resp.Results.Result {
		out.Results = append(out.Results, r.InstanceId+" "+r.Success+" "+r.Code)
	}
	return out, nil
}

func kpInstancesUsing(t *testing.T, c *ecs.Client, name string) []string {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId, req.KeyPairName = region, name
	resp, err := c.DescribeInstances(req)
	ok(t, err)
	var out []string
	for _, in := range resp.Instances.Instance {
		if in.KeyPairName != name {
			t.Fatalf("DescribeInstances(KeyPairName=%s) answered %s with KeyPairName %q", name, in.InstanceId, in.KeyPairName)
		}
		out = append(out, in.InstanceId)
	}
	slices.Sort(out)
	return out
}

func TestKeyPairImportCreateDescribe(t *testing.T) {
	e := newEnv(t)
	c := e.ecs

	// Import: the fingerprint is OpenSSH's MD5 one, for each key type.
	for _, k := range []struct{ name, key, fp string }{
		{"rsa-key", kpRSA, kpRSAFP}, {"ed:key_1", kpEd25519, kpEdFP}, {"ecdsaKey", kpECDSA, kpECDSAFP},
	} {
		resp, err := kpImport(c, k.name, k.key, "env", "test")
		ok(t, err)
		if resp.KeyPairName != k.name || resp.KeyPairFingerPrint != k.fp {
			t.Fatalf("ImportKeyPair(%s) = %s %s, want %s %s", k.name, resp.KeyPairName, resp.KeyPairFingerPrint, k.name, k.fp)
		}
	}

	// Create: a 2048-bit RSA private key in PEM whose public half is the one
	// stored, with the fingerprint answered.
	created, err := kpCreate(c, "made-here")
	ok(t, err)
	if !strings.HasPrefix(created.KeyPairId, "skp-") || created.KeyPairName != "made-here" {
		t.Fatalf("CreateKeyPair answered id %q name %q", created.KeyPairId, created.KeyPairName)
	}
	block, _ := pem.Decode([]byte(created.PrivateKeyBody))
	if block == nil {
		t.Fatalf("PrivateKeyBody is not PEM: %q", created.PrivateKeyBody)
	}
	priv, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	ok(t, err)
	if priv.N.BitLen() != 2048 {
		t.Fatalf("CreateKeyPair made a %d-bit key, want 2048", priv.N.BitLen())
	}
	signer, err := ssh.NewSignerFromKey(priv)
	ok(t, err)
	if fp := ssh.FingerprintLegacyMD5(signer.PublicKey()); fp != created.KeyPairFingerPrint {
		t.Fatalf("CreateKeyPair's fingerprint %s is not its private key's %s", created.KeyPairFingerPrint, fp)
	}

	// DescribeKeyPairs: all, oldest first, with tags; the public key only
	// when asked for.
	all := kpDescribe(t, c, nil)
	if got := kpNames(all); !slices.Equal(got, []string{"rsa-key", "ed:key_1", "ecdsaKey", "made-here"}) || all.TotalCount != 4 ||
		all.PageNumber != 1 || all.PageSize != 10 {
		t.Fatalf("DescribeKeyPairs = %v (total %d, page %d of %d)", got, all.TotalCount, all.PageNumber, all.PageSize)
	}
	first := all.KeyPairs.KeyPair[0]
	if first.KeyPairFingerPrint != kpRSAFP || first.PublicKey != "" || len(first.Tags.Tag) != 1 ||
		first.Tags.Tag[0].TagKey != "env" || first.Tags.Tag[0].TagValue != "test" || len(first.CreationTime) != len("2006-01-02T15:04Z") {
		t.Fatalf("DescribeKeyPairs' first key pair: %+v", first)
	}
	withKey := kpDescribe(t, c, func(r *ecs.DescribeKeyPairsRequest) {
		r.KeyPairName, r.IncludePublicKey = "made-here", "true"
	})
	if len(withKey.KeyPairs.KeyPair) != 1 {
		t.Fatalf("DescribeKeyPairs(made-here) = %v", kpNames(withKey))
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(withKey.KeyPairs.KeyPair[0].PublicKey))
	ok(t, err)
	if string(pub.Marshal()) != string(signer.PublicKey().Marshal()) {
		t.Fatal("DescribeKeyPairs' PublicKey is not the created key pair's")
	}
	imported := kpDescribe(t, c, func(r *ecs.DescribeKeyPairsRequest) { r.KeyPairName, r.IncludePublicKey = "ed:key_1", "true" })
	if got := imported.KeyPairs.KeyPair[0].PublicKey; !strings.HasPrefix(kpEd25519, got) {
		t.Fatalf("an imported key's PublicKey = %q, want the key of %q", got, kpEd25519)
	}

	// Filters and paging.
	for _, f := range []struct {
		what   string
		mutate func(*ecs.DescribeKeyPairsRequest)
		want   []string
	}{
		{"prefix wildcard", func(r *ecs.DescribeKeyPairsRequest) { r.KeyPairName = "*key*" }, []string{"rsa-key", "ed:key_1"}},
		{"suffix wildcard", func(r *ecs.DescribeKeyPairsRequest) { r.KeyPairName = "*Key" }, []string{"ecdsaKey"}},
		{"exact name", func(r *ecs.DescribeKeyPairsRequest) { r.KeyPairName = "rsa-key" }, []string{"rsa-key"}},
		{"fingerprint", func(r *ecs.DescribeKeyPairsRequest) { r.KeyPairFingerPrint = kpEdFP }, []string{"ed:key_1"}},
		{"tag", func(r *ecs.DescribeKeyPairsRequest) {
			r.Tag = &[]ecs.DescribeKeyPairsTag{{Key: "env", Value: "test"}}
		}, []string{"rsa-key", "ed:key_1", "ecdsaKey"}},
		{"page 2 of size 3", func(r *ecs.DescribeKeyPairsRequest) { r.PageNumber, r.PageSize = "2", "3" }, []string{"made-here"}},
		{"resource group", func(r *ecs.DescribeKeyPairsRequest) { r.ResourceGroupId = "rg-none" }, []string{}},
	} {
		if got := kpNames(kpDescribe(t, c, f.mutate)); !slices.Equal(got, f.want) {
			t.Errorf("DescribeKeyPairs, %s = %v, want %v", f.what, got, f.want)
		}
	}
	req := ecs.CreateDescribeKeyPairsRequest()
	req.RegionId, req.PageSize = region, "51"
	_, err = c.DescribeKeyPairs(req)
	apiError(t, err, "InvalidParameter", 400)

	// Tenancy: another account and another region see none of them, and
	// the names are free there.
	other := e.newAccount("100.00")
	if got := kpNames(kpDescribe(t, other.ECS, nil)); len(got) != 0 {
		t.Fatalf("another account sees %v", got)
	}
	beijing := kpDescribe(t, c, func(r *ecs.DescribeKeyPairsRequest) { r.RegionId = kpOtherRgn })
	if len(beijing.KeyPairs.KeyPair) != 0 {
		t.Fatalf("another region holds %v", kpNames(beijing))
	}
	_, err = kpImport(other.ECS, "rsa-key", kpRSA)
	ok(t, err)

	// Errors of ImportKeyPair and CreateKeyPair.
	_, err = kpImport(c, "rsa-key", kpEd25519)
	apiError(t, err, "KeyPair.AlreadyExist", 400)
	_, err = kpCreate(c, "ecdsaKey")
	apiError(t, err, "KeyPair.AlreadyExist", 400)
	for _, bad := range []string{"a", "1starts-with-digit", "has space", "has.period", "http://x", strings.Repeat("k", 129), "_under"} {
		_, err = kpImport(c, bad, kpRSA)
		apiError(t, err, "InvalidKeyPairName.Malformed", 400)
		_, err = kpCreate(c, bad)
		apiError(t, err, "InvalidKeyPairName.Malformed", 400)
	}
	for _, bad := range []string{"not a key", "ssh-rsa AAAA", "ssh-rsa " + strings.Repeat("A", 40), kpRSA + "\n" + kpEd25519,
		"-----BEGIN RSA PRIVATE KEY-----", `command="ls" ` + kpEd25519} {
		_, err = kpImport(c, "bad-key", bad)
		apiError(t, err, "InvalidPublicKeyBody.Malformed", 400)
	}
	_, err = kpImport(c, "no-key", "")
	apiError(t, err, "MissingParameter", 400)
	_, err = kpImport(c, "", kpRSA)
	apiError(t, err, "MissingParameter", 400)
	_, err = kpImport(c, "bad-tag", kpRSA, "acs:x", "v")
	apiError(t, err, "InvalidTagKey.Malformed", 400)
	if got := kpDescribe(t, c, nil).TotalCount; got != 4 {
		t.Fatalf("after the refused calls the account holds %d key pairs, want 4", got)
	}
}

func TestKeyPairOnInstances(t *testing.T) {
	e := newEnv(t)
	c := e.ecs
	_, err := kpImport(c, "alpha", kpRSA)
	ok(t, err)
	_, err = kpImport(c, "beta", kpEd25519)
	ok(t, err)

	// RunInstances: an unknown key pair, a Windows image, then a good one.
	_, err = c.RunInstances(func() *ecs.RunInstancesRequest {
		r := ecs.CreateRunInstancesRequest()
		r.RegionId, r.ImageId, r.InstanceType, r.KeyPairName = region, image, itype, "nope"
		return r
	}())
	apiError(t, err, "InvalidKeyPairName.NotFound", 404)
	_, err = c.RunInstances(func() *ecs.RunInstancesRequest {
		r := ecs.CreateRunInstancesRequest()
		r.RegionId, r.ImageId, r.InstanceType, r.KeyPairName = region, kpWindows, itype, "alpha"
		return r
	}())
	apiError(t, err, "DependencyViolation.WindowsInstance", 403)
	cr := ecs.CreateCreateInstanceRequest()
	cr.RegionId, cr.ImageId, cr.InstanceType, cr.KeyPairName = region, image, itype, "nope"
	_, err = c.CreateInstance(cr)
	apiError(t, err, "InvalidKeyPairName.NotFound", 404)

	ids := run(t, c, 2, func(r *ecs.RunInstancesRequest) { r.KeyPairName = "alpha" })
	plain := run(t, c, 1)[0]
	win := run(t, c, 1, func(r *ecs.RunInstancesRequest) { r.ImageId = kpWindows })[0]
	slices.Sort(ids)
	if got := describe(t, c, ids[0]).KeyPairName; got != "alpha" {
		t.Fatalf("DescribeInstances shows KeyPairName %q, want alpha", got)
	}
	if got := kpInstancesUsing(t, c, "alpha"); !slices.Equal(got, ids) {
		t.Fatalf("DescribeInstances(KeyPairName=alpha) = %v, want %v", got, ids)
	}
	if got := kpInstancesUsing(t, c, "beta"); len(got) != 0 {
		t.Fatalf("DescribeInstances(KeyPairName=beta) = %v", got)
	}

	// A key pair in use is not deleted, nor is anything else of the call.
	err = kpDelete(c, `["beta","alpha"]`)
	apiError(t, err, "InvalidParameter.KeypairAlreadyAttachedInstance", 400)
	if got := kpNames(kpDescribe(t, c, nil)); !slices.Equal(got, []string{"alpha", "beta"}) {
		t.Fatalf("after a refused DeleteKeyPairs: %v", got)
	}

	// AttachKeyPair: per-instance outcomes; the counts and codes are strings.
	other := e.newAccount("100.00")
	theirs := run(t, other.ECS, 1)[0]
	ans, err := kpAttach(c, true, "beta", fmt.Sprintf(`[%q,%q,%q,%q,"i-nope"]`, ids[0], plain, win, theirs))
	ok(t, err)
	want := []string{ids[0] + " true 200", plain + " true 200", win + " false DependencyViolation.WindowsInstance",
		theirs + " false InvalidInstanceId.NotFound", "i-nope false InvalidInstanceId.NotFound"}
	if ans.Total != "5" || ans.Fail != "3" || !slices.Equal(ans.Results, want) {
		t.Fatalf("AttachKeyPair = %+v, want 5/3 %v", ans, want)
	}
	if got := kpInstancesUsing(t, c, "beta"); !slices.Equal(got, sortedCopy(ids[0], plain)) {
		t.Fatalf("after AttachKeyPair, beta is on %v", got)
	}
	if got := describe(t, other.ECS, theirs).KeyPairName; got != "" {
		t.Fatalf("another account's instance got key pair %q", got)
	}
	if got := kpInstancesUsing(t, c, "alpha"); !slices.Equal(got, ids[1:]) {
		t.Fatalf("after AttachKeyPair replaced it, alpha is on %v", got)
	}

	// Errors of the call itself.
	_, err = kpAttach(c, true, "nope", `["`+plain+`"]`)
	apiError(t, err, "InvalidKeyPairName.NotFound", 400)
	_, err = kpAttach(c, false, "nope", `["`+plain+`"]`)
	apiError(t, err, "InvalidKeyPairName.NotFound", 400)
	for _, bad := range []string{plain, "[]", `[""]`, "[1]", `["` + strings.Repeat(`i-x","`, 50) + `i-y"]`} {
		_, err = kpAttach(c, true, "beta", bad)
		apiError(t, err, "InvalidInstanceIds.ValueNotSupported", 400)
	}
	_, err = kpAttach(c, true, "", `["`+plain+`"]`)
	apiError(t, err, "MissingParameter", 400)
	_, err = kpAttach(c, true, "beta", "")
	apiError(t, err, "MissingParameter", 400)
	_, err = kpAttach(other.ECS, true, "beta", `["`+theirs+`"]`)
	apiError(t, err, "InvalidKeyPairName.NotFound", 400)

	// DetachKeyPair takes it off the instances that use it; an instance on
	// another key pair keeps its own.
	ans, err = kpAttach(c, false, "beta", fmt.Sprintf(`[%q,%q,%q]`, ids[0], plain, ids[1]))
	ok(t, err)
	if ans.Total != "3" || ans.Fail != "0" {
		t.Fatalf("DetachKeyPair = %+v", ans)
	}
	if got := kpInstancesUsing(t, c, "beta"); len(got) != 0 {
		t.Fatalf("after DetachKeyPair, beta is on %v", got)
	}
	if got := describe(t, c, ids[1]).KeyPairName; got != "alpha" {
		t.Fatalf("DetachKeyPair(beta) changed an alpha instance to %q", got)
	}

	// DeleteKeyPairs: its errors, then a key pair no longer in use, and a
	// name that does not exist is passed over.
	for _, bad := range []string{"beta", "[]", `[""]`, `{"a":1}`} {
		apiError(t, kpDelete(c, bad), "InvalidKeyPairNames.ValueNotSupported", 400)
	}
	apiError(t, kpDelete(c, ""), "MissingParameter", 400)
	apiError(t, kpDelete(c, `["`+strings.Repeat(`k","`, 100)+`k"]`), "InstanceKeyPairLimitExceeded", 403)
	ok(t, kpDelete(c, `["beta","never-made"]`))
	if got := kpNames(kpDescribe(t, c, nil)); !slices.Equal(got, []string{"alpha"}) {
		t.Fatalf("after DeleteKeyPairs: %v", got)
	}
	// Once its instances are released, alpha goes too.
	for _, id := range ids {
		ok(t, stop(c, id, ""))
		dreq := ecs.CreateDeleteInstanceRequest()
		dreq.InstanceId = id
		_, err := c.DeleteInstance(dreq)
		ok(t, err)
	}
	ok(t, kpDelete(c, `["alpha"]`))
	if got := kpDescribe(t, c, nil).TotalCount; got != 0 {
		t.Fatalf("after deleting every key pair the account holds %d", got)
	}
}

// TestKeyPairAttachPending: an instance that is neither Running nor
// Stopped fails on its own.
func TestKeyPairAttachPending(t *testing.T) {
	e := newEnv(t, withDelay(30*time.Second))
	_, err := kpImport(e.ecs, "gamma", kpECDSA)
	ok(t, err)
	pending := run(t, e.ecs, 1)[0]
	ans, err := kpAttach(e.ecs, true, "gamma", `["`+pending+`"]`)
	ok(t, err)
	if ans.Total != "1" || ans.Fail != "1" || ans.Results[0] != pending+" false IncorrectInstanceStatus" {
		t.Fatalf("AttachKeyPair on a Pending instance = %+v", ans)
	}
	if got := describe(t, e.ecs, pending).KeyPairName; got != "" {
		t.Fatalf("a refused attach left KeyPairName %q", got)
	}
}

func TestKeyPairTags(t *testing.T) {
	e := newEnv(t)
	c := e.ecs
	_, err := kpImport(c, "tagged", kpRSA, "team", "a")
	ok(t, err)
	_, err = kpImport(c, "bare", kpEd25519)
	ok(t, err)

	ok(t, tgTag(c, "keypair", []string{"tagged", "bare"}, "env", "prod"))
	if got := tgList(t, c, "keypair", nil); !slices.Equal(got, []string{"tagged env=prod", "tagged team=a", "bare env=prod"}) {
		t.Fatalf("ListTagResources(keypair) = %v", got)
	}
	err = tgTag(c, "keypair", []string{"missing"}, "env", "prod")
	apiError(t, err, "InvalidResourceId.NotFound", 404)
	other := e.newAccount("100.00")
	err = tgTag(other.ECS, "keypair", []string{"tagged"}, "env", "prod")
	apiError(t, err, "InvalidResourceId.NotFound", 404)

	byTag := kpDescribe(t, c, func(r *ecs.DescribeKeyPairsRequest) {
		r.Tag = &[]ecs.DescribeKeyPairsTag{{Key: "team", Value: "a"}}
	})
	if got := kpNames(byTag); !slices.Equal(got, []string{"tagged"}) {
		t.Fatalf("DescribeKeyPairs(team=a) = %v", got)
	}

	dreq := ecs.CreateDescribeTagsRequest()
	dreq.RegionId, dreq.ResourceType = region, "keypair"
	tags, err := c.DescribeTags(dreq)
	ok(t, err)
	if tags.TotalCount != 2 {
		t.Fatalf("DescribeTags(keypair) = %+v", tags.Tags)
	}
	for _, tag := range tags.Tags.Tag {
		want := map[string]int{"env=prod": 2, "team=a": 1}[tag.TagKey+"="+tag.TagValue]
		if tag.ResourceTypeCount.KeyPair != want {
			t.Fatalf("DescribeTags counts %d key pairs with %s=%s, want %d", tag.ResourceTypeCount.KeyPair, tag.TagKey, tag.TagValue, want)
		}
	}

	ok(t, tgUntag(c, "keypair", []string{"tagged"}, true))
	if got := tgList(t, c, "keypair", nil); !slices.Equal(got, []string{"bare env=prod"}) {
		t.Fatalf("after UntagResources(All): %v", got)
	}
	// Deleting a key pair takes its tags with it.
	ok(t, kpDelete(c, `["bare"]`))
	if got := tgList(t, c, "keypair", nil); len(got) != 0 {
		t.Fatalf("a deleted key pair's tags remain: %v", got)
	}
}

func sortedCopy(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// TestKeyPairV2SDK drives the key pair actions through the V2.0 SDK, which
// decodes answers into its typed models (AttachKeyPair's counts, codes and
// Success are strings there) and signs with signature V3.
func TestKeyPairV2SDK(t *testing.T) {
	e := newEnv(t)
	c := e.v2Client("test", "test")
	imp, err := c.ImportKeyPair(&ecsv2.ImportKeyPairRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-key"),
		PublicKeyBody: tea.String(kpEd25519), Tag: []*ecsv2.ImportKeyPairRequestTag{{Key: tea.String("env"), Value: tea.String("v2")}}})
	ok(t, err)
	if tea.StringValue(imp.Body.KeyPairFingerPrint) != kpEdFP {
		t.Fatalf("ImportKeyPair (V2) fingerprint %s", tea.StringValue(imp.Body.KeyPairFingerPrint))
	}
	created, err := c.CreateKeyPair(&ecsv2.CreateKeyPairRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-made")})
	ok(t, err)
	if !strings.Contains(tea.StringValue(created.Body.PrivateKeyBody), "PRIVATE KEY") || tea.StringValue(created.Body.KeyPairId) == "" {
		t.Fatalf("CreateKeyPair (V2) = %+v", created.Body)
	}
	desc, err := c.DescribeKeyPairs(&ecsv2.DescribeKeyPairsRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-*"),
		IncludePublicKey: tea.Bool(true)})
	ok(t, err)
	if n := len(desc.Body.KeyPairs.KeyPair); n != 2 || tea.Int32Value(desc.Body.TotalCount) != 2 ||
		tea.StringValue(desc.Body.KeyPairs.KeyPair[0].Tags.Tag[0].TagValue) != "v2" {
		t.Fatalf("DescribeKeyPairs (V2) = %+v", desc.Body)
	}
	id := v2Run(t, c, 1)[0]
	att, err := c.AttachKeyPair(&ecsv2.AttachKeyPairRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-key"),
		InstanceIds: tea.String(`["` + id + `","i-missing"]`)})
	ok(t, err)
	if tea.StringValue(att.Body.TotalCount) != "2" || tea.StringValue(att.Body.FailCount) != "1" ||
		tea.StringValue(att.Body.Results.Result[0].Success) != "true" || tea.StringValue(att.Body.Results.Result[1].Code) != "InvalidInstanceId.NotFound" {
		t.Fatalf("AttachKeyPair (V2) = %+v", att.Body)
	}
	if got := tea.StringValue(v2Describe(t, c, id).KeyPairName); got != "v2-key" {
		t.Fatalf("DescribeInstances (V2) KeyPairName = %q", got)
	}
	_, err = c.DeleteKeyPairs(&ecsv2.DeleteKeyPairsRequest{RegionId: tea.String(region), KeyPairNames: tea.String(`["v2-key"]`)})
	v2Error(t, err, "InvalidParameter.KeypairAlreadyAttachedInstance", 400)
	det, err := c.DetachKeyPair(&ecsv2.DetachKeyPairRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-key"),
		InstanceIds: tea.String(`["` + id + `"]`)})
	ok(t, err)
	if tea.StringValue(det.Body.FailCount) != "0" {
		t.Fatalf("DetachKeyPair (V2) = %+v", det.Body)
	}
	_, err = c.DeleteKeyPairs(&ecsv2.DeleteKeyPairsRequest{RegionId: tea.String(region), KeyPairNames: tea.String(`["v2-key","v2-made"]`)})
	ok(t, err)
	_, err = c.ImportKeyPair(&ecsv2.ImportKeyPairRequest{RegionId: tea.String(region), KeyPairName: tea.String("v2-bad"),
		PublicKeyBody: tea.String("ssh-ed25519 !!")})
	v2Error(t, err, "InvalidPublicKeyBody.Malformed", 400)
}
