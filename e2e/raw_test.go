package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/sign"
)

// rawCall is a hand-built RPC request, for what the SDK will not send (bad
// signatures, old timestamps, replays, XML errors, form bodies).
type rawCall struct {
	Method   string            // default POST
	Params   map[string]string // the action's own parameters
	Form     map[string]string // sent in a form body instead of the query
	KeyID    string
	Secret   string
	Time     time.Time // default: now
	Nonce    string    // default: random
	Tamper   func(url.Values)
	Unsigned bool
}

type rawResult struct {
	Status int
	Body   []byte
	Header http.Header
	JSON   map[string]any
}

func nonce() string {
	b := make([]byte, 16)
	rand.Read(b) //nolint:errcheck
	return hex.EncodeToString(b)
}

func (e *env) raw(action string, rc rawCall) rawResult {
	e.t.Helper()
	if rc.Method == "" {
		rc.Method = "POST"
	}
	if rc.KeyID == "" {
		rc.KeyID, rc.Secret = "test", "test"
	}
	if rc.Time.IsZero() {
		rc.Time = time.Now()
	}
	if rc.Nonce == "" {
		rc.Nonce = nonce()
	}
	q := url.Values{}
	for k, v := range map[string]string{"Action": action, "Version": "2014-05-26", "Format": "JSON", "AccessKeyId": rc.KeyID,
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": rc.Nonce,
		"Timestamp": rc.Time.UTC().Format("2006-01-02T15:04:05Z"), "RegionId": region} {
		q.Set(k, v)
	}
	for k, v := range rc.Params {
		q.Set(k, v)
	}
	form := url.Values{}
	for k, v := range rc.Form {
		form.Set(k, v)
	}
	all := url.Values{}
	for k, v := range q {
		all[k] = v
	}
	for k, v := range form {
		all[k] = v
	}
	if !rc.Unsigned {
		q.Set("Signature", sign.Signature(rc.Secret, rc.Method, all))
	}
	if rc.Tamper != nil {
		rc.Tamper(q)
	}
	var body io.Reader
	if len(form) > 0 {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(rc.Method, e.endpoint()+"/?"+q.Encode(), body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	res := rawResult{Status: resp.StatusCode, Body: b, Header: resp.Header}
	json.Unmarshal(b, &res.JSON) //nolint:errcheck // XML bodies stay nil
	return res
}

// wantRawError checks an error answer's status, code and body shape: every
// field of §3.1 present and a string.
func wantRawError(t *testing.T, r rawResult, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if _, ok := r.JSON[k].(string); !ok {
			t.Fatalf("error body field %s missing or not a string: %s", k, r.Body)
		}
	}
	if r.JSON["Code"] != code {
		t.Fatalf("code %v, want %s: %s", r.JSON["Code"], code, r.Body)
	}
}
