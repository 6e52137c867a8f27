package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// keyPairRandom are the parts of key pair answers that differ on each run:
// CreateKeyPair's id, private key and fingerprint (imported keys'
// fingerprints are fixed, and stay in the bodies).
var keyPairRandom = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`skp-[0-9a-z]{8,}`), "skp-<id>"},
	{regexp.MustCompile(`"PrivateKeyBody":"[^"]*"`), `"PrivateKeyBody":"<private-key>"`},
	{regexp.MustCompile(`<PrivateKeyBody>[^<]*</PrivateKeyBody>`), `<PrivateKeyBody><private-key></PrivateKeyBody>`},
	{regexp.MustCompile(`"KeyPairFingerPrint":"[0-9a-f:]{47}"`), `"KeyPairFingerPrint":"<fingerprint>"`},
	{regexp.MustCompile(`<KeyPairFingerPrint>[0-9a-f:]{47}</KeyPairFingerPrint>`), `<KeyPairFingerPrint><fingerprint></KeyPairFingerPrint>`},
}

// TestGoldenKeyPairs records the exact JSON and XML body of the key pair
// actions and of one error of each. Each format makes and acts on its own
// key pairs and instances.
func TestGoldenKeyPairs(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	var n normaliser
	const ecsAPI = "2014-05-26"
	for _, format := range []string{"JSON", "XML"} {
		f := strings.ToLower(format)
		call := func(name, action string, params map[string]string, wantStatus int) []byte {
			t.Helper()
			p := map[string]string{"Format": format, "Version": ecsAPI, "RegionId": region}
			for k, v := range params {
				p[k] = v
			}
			r := e.raw(action, rawCall{Params: p, Time: goldenWall})
			if r.Status != wantStatus {
				t.Fatalf("%s (%s): status %d, want %d: %s", name, format, r.Status, wantStatus, r.Body)
			}
			if name != "" {
				body := r.Body
				if action == "CreateKeyPair" {
					for _, x := range keyPairRandom {
						body = x.re.ReplaceAll(body, []byte(x.with))
					}
				}
				golden(t, name+"."+f, n.apply(body))
			}
			return r.Body
		}
		vm := regexp.MustCompile(`i-[0-9a-z]{8,}`).FindString(string(call("", "RunInstances",
			map[string]string{"ImageId": image, "InstanceType": itype}, 200)))
		win := regexp.MustCompile(`i-[0-9a-z]{8,}`).FindString(string(call("", "RunInstances",
			map[string]string{"ImageId": kpWindows, "InstanceType": itype}, 200)))

		call("CreateKeyPair", "CreateKeyPair", map[string]string{"KeyPairName": "made-" + f}, 200)
		call("CreateKeyPair.error", "CreateKeyPair", map[string]string{"KeyPairName": "1-bad"}, 400)
		call("ImportKeyPair", "ImportKeyPair", map[string]string{"KeyPairName": "imported-" + f, "PublicKeyBody": kpRSA,
			"ResourceGroupId": "rg-aek2", "Tag.1.Key": "env", "Tag.1.Value": "test"}, 200)
		call("ImportKeyPair.error", "ImportKeyPair", map[string]string{"KeyPairName": "bad-" + f, "PublicKeyBody": "ssh-rsa AAAA"}, 400)
		call("DescribeKeyPairs", "DescribeKeyPairs", map[string]string{"KeyPairName": "imported-" + f, "IncludePublicKey": "true"}, 200)
		call("DescribeKeyPairs.error", "DescribeKeyPairs", map[string]string{"PageSize": "51"}, 400)
		call("AttachKeyPair", "AttachKeyPair", map[string]string{"KeyPairName": "imported-" + f,
			"InstanceIds": `["` + vm + `","` + win + `"]`}, 200)
		call("AttachKeyPair.error", "AttachKeyPair", map[string]string{"KeyPairName": "nope", "InstanceIds": `["` + vm + `"]`}, 400)
		call("DeleteKeyPairs.error", "DeleteKeyPairs", map[string]string{"KeyPairNames": `["imported-` + f + `"]`}, 400)
		call("DetachKeyPair", "DetachKeyPair", map[string]string{"KeyPairName": "imported-" + f, "InstanceIds": `["` + vm + `"]`}, 200)
		call("DeleteKeyPairs", "DeleteKeyPairs", map[string]string{"KeyPairNames": `["imported-` + f + `","made-` + f + `"]`}, 200)
	}
}
