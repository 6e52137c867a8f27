package rpc_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzKeyPairActions is FuzzServeHTTP for ImportKeyPair, DescribeKeyPairs,
// DeleteKeyPairs, AttachKeyPair and DetachKeyPair (CreateKeyPair makes a
// 2048-bit key on each success, too slow to fuzz; it shares their parameter
// reading): signed calls with arbitrary parameters never panic or answer
// 5xx, and every error body has the SDK's shape. The server holds an
// instance and a key pair, which "$I" and "$K" in a value stand for.
func FuzzKeyPairActions(f *testing.F) {
	for _, seed := range []string{
		"KeyPairName=k2&PublicKeyBody=ssh-ed25519%20AAAAC3NzaC1lZDI1NTE5AAAAIN7%2BmZdqckogmw890WwVGQ%2B1Kr%2FtoQPrGb4KV87B4MCb%20c",
		"KeyPairName=$K&PublicKeyBody=ssh-rsa%20AAAA&Tag.1.Key=a&Tag.1.Value=b",
		"KeyPairName=%E5%AF%86%E9%92%A5&PublicKeyBody=ecdsa-sha2-nistp256%20%00",
		"KeyPairName=*$K*&KeyPairFingerPrint=x&PageSize=50&PageNumber=99999999999&IncludePublicKey=yes",
		`KeyPairNames=["$K","$K"]`,
		`KeyPairNames=[1,{}]`,
		`KeyPairName=$K&InstanceIds=["$I","$I","i-x"]`,
		`KeyPairName=$K&InstanceIds=$I`,
	} {
		f.Add(seed, uint8(0))
	}
	actions := []string{"ImportKeyPair", "DescribeKeyPairs", "DeleteKeyPairs", "AttachKeyPair", "DetachKeyPair"}
	h := newServer(f)
	call := func(action string, extra url.Values) *httptest.ResponseRecorder { return serve(h, action, extra) }
	run := call("RunInstances", url.Values{"ImageId": {"aliyun_3_x64_20G_alibase_20240819.vhd"}, "InstanceType": {"ecs.g7.large"}})
	var ran struct {
		InstanceIdSets struct{ InstanceIdSet []string }
	}
	if err := json.Unmarshal(run.Body.Bytes(), &ran); err != nil || len(ran.InstanceIdSets.InstanceIdSet) != 1 {
		f.Fatalf("setting up: %s", run.Body)
	}
	imp := call("ImportKeyPair", url.Values{"KeyPairName": {"fuzz-key"},
		"PublicKeyBody": {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaIgtITkd6XtrHTt21kYVNbm0zUPjBCUPZbiaDZ/tYi"}})
	if imp.Code != 200 {
		f.Fatalf("setting up: %s", imp.Body)
	}
	ids := strings.NewReplacer("$I", ran.InstanceIdSets.InstanceIdSet[0], "$K", "fuzz-key")
	f.Fuzz(func(t *testing.T, query string, which uint8) {
		extra, err := url.ParseQuery(ids.Replace(query))
		if err != nil {
			return
		}
		action := actions[int(which)%len(actions)]
		checkAnswer(t, call(action, extra), action, query)
	})
}
