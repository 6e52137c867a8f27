package e2e

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

var requestIDShape = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name   string
		action string
		rc     rawCall
		status int
		code   string
	}{
		{"bad signature", "DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Set("Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=") }}, 400, "SignatureDoesNotMatch"},
		{"wrong secret", "DescribeRegions", rawCall{KeyID: "test", Secret: "nope"}, 400, "SignatureDoesNotMatch"},
		{"no signature", "DescribeRegions", rawCall{Unsigned: true}, 400, "IncompleteSignature"},
		{"unknown key", "DescribeRegions", rawCall{KeyID: "LTAInope", Secret: "x"}, 404, "InvalidAccessKeyId.NotFound"},
		{"old timestamp", "DescribeRegions", rawCall{Time: time.Now().Add(-16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"future timestamp", "DescribeRegions", rawCall{Time: time.Now().Add(16 * time.Minute)}, 400, "InvalidTimeStamp.Expired"},
		{"malformed timestamp", "DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Set("Timestamp", "yesterday") }}, 400, "IllegalTimestamp"},
		{"bad signature method", "DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Set("SignatureMethod", "HMAC-MD5") }}, 400, "InvalidParamater"},
		{"unknown action", "LaunchRocket", rawCall{}, 404, "InvalidAction.NotFound"},
		{"missing instance id", "StartInstance", rawCall{}, 400, "MissingParameter"},
		{"bad boolean", "StartInstance", rawCall{Params: map[string]string{"InstanceId": "i-x", "DryRun": "maybe"}}, 400, "InvalidParameter"},
		{"bad integer", "DescribeInstances", rawCall{Params: map[string]string{"PageSize": "ten"}}, 400, "InvalidParameter"},
		{"page size too big", "DescribeInstances", rawCall{Params: map[string]string{"PageSize": "101"}}, 400, "InvalidParameter"},
		{"bad JSON array", "DescribeInstances", rawCall{Params: map[string]string{"InstanceIds": "i-1,i-2"}}, 400, "InvalidParameter"},
		{"unknown region", "DescribeZones", rawCall{Params: map[string]string{"RegionId": "mars-north-1"}}, 404, "InvalidRegionId.NotFound"},
		{"unknown instance", "StartInstance", rawCall{Params: map[string]string{"InstanceId": "i-doesnotexist"}}, 404, "InvalidInstanceId.NotFound"},
	}
	for _, c := range cases {
		r := e.raw(c.action, c.rc)
		t.Run(c.name, func(t *testing.T) { wantRawError(t, r, c.status, c.code) })
	}

	// A malformed Timestamp is called malformed, with what was sent; a
	// missing one, missing.
	r := e.raw("DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Set("Timestamp", "yesterday") }})
	if msg := r.JSON["Message"].(string); !strings.Contains(msg, "malformed") || !strings.Contains(msg, `"yesterday"`) || strings.Contains(msg, "not supplied") {
		t.Errorf("IllegalTimestamp message for a malformed Timestamp: %q", msg)
	}
	r = e.raw("DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Del("Timestamp") }})
	if msg := r.JSON["Message"].(string); r.JSON["Code"] != "IllegalTimestamp" || !strings.Contains(msg, "not supplied") {
		t.Errorf("IllegalTimestamp for a missing Timestamp: %s", r.Body)
	}

	// The message names the missing parameter.
	r = e.raw("StartInstance", rawCall{})
	if msg := r.JSON["Message"].(string); !strings.Contains(msg, "InstanceId") {
		t.Errorf("MissingParameter message %q does not name InstanceId", msg)
	}
	// SignatureDoesNotMatch carries the server's string to sign, which the SDK compares with its own.
	r = e.raw("DescribeRegions", rawCall{KeyID: "test", Secret: "nope"})
	if msg := r.JSON["Message"].(string); !strings.Contains(msg, "server string to sign is:POST&%2F&AccessKeyId%3Dtest") {
		t.Errorf("SignatureDoesNotMatch message lacks the string to sign: %q", msg)
	}
}

func TestNonceReplayIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := nonce()
	first := e.raw("DescribeRegions", rawCall{Nonce: n})
	if first.Status != 200 {
		t.Fatalf("first call: %d %s", first.Status, first.Body)
	}
	wantRawError(t, e.raw("DescribeRegions", rawCall{Nonce: n}), 400, "SignatureNonceUsed")
}

func TestEveryAnswerHasAFreshRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seen := map[string]bool{}
	for i := 0; i < 5; i++ {
		for _, r := range []rawResult{e.raw("DescribeRegions", rawCall{}), e.raw("StartInstance", rawCall{})} {
			id, _ := r.JSON["RequestId"].(string)
			if !requestIDShape.MatchString(id) {
				t.Fatalf("RequestId %q is not an upper-case UUID: %s", id, r.Body)
			}
			if seen[id] {
				t.Fatalf("RequestId %s repeated", id)
			}
			seen[id] = true
		}
	}
}

func TestGETWithFormBodyIsSignedOverBoth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	run(t, e.ecs, 3)
	// The SDK's CommonRequest sends GET with a form body; Terraform sends POST
	// with the action's parameters in the body and Format in lower case.
	for _, rc := range []rawCall{
		{Method: "GET", Form: map[string]string{"PageSize": "2"}},
		{Method: "POST", Form: map[string]string{"PageSize": "2", "InstanceChargeType": "PostPaid"}},
	} {
		r := e.raw("DescribeInstances", rc)
		if r.Status != 200 {
			t.Fatalf("%s with a form body: %d %s", rc.Method, r.Status, r.Body)
		}
		if n := len(r.JSON["Instances"].(map[string]any)["Instance"].([]any)); n != 2 {
			t.Fatalf("PageSize from the form body was ignored: %d instances", n)
		}
	}
	r := e.raw("DescribeRegions", rawCall{Params: map[string]string{"Format": "json"}})
	if r.Status != 200 || r.JSON == nil {
		t.Fatalf("lower-case Format=json: %d %s", r.Status, r.Body)
	}
	// A parameter given twice is refused rather than guessed at.
	r = e.raw("DescribeInstances", rawCall{Method: "GET", Params: map[string]string{"PageSize": "1"}, Form: map[string]string{"PageSize": "2"}})
	wantRawError(t, r, 400, "InvalidParameter")
}

func TestNoGzipNoRedirect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.raw("DescribeRegions", rawCall{})
	if ce := r.Header.Get("Content-Encoding"); ce != "" {
		t.Fatalf("Content-Encoding %q; answers must never be compressed", ce)
	}
	r = e.raw("DescribeRegions", rawCall{Tamper: func(q url.Values) { q.Set("Signature", "x") }})
	if r.Status >= 300 && r.Status < 400 {
		t.Fatalf("got a redirect %d", r.Status)
	}
}

func TestXMLAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1)[0]

	// Success through the SDK with AcceptFormat XML.
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	req.AcceptFormat = "XML"
	resp, err := e.ecs.DescribeInstances(req)
	ok(t, err)
	if len(resp.Instances.Instance) != 1 || resp.Instances.Instance[0].InstanceId != id || resp.Instances.Instance[0].Status != "Running" {
		t.Fatalf("XML DescribeInstances decoded to %+v", resp.Instances)
	}
	if !strings.HasPrefix(resp.GetHttpContentString(), `<?xml version="1.0" encoding="UTF-8"?>`+"\n<DescribeInstancesResponse>") {
		t.Fatalf("XML root: %.120s", resp.GetHttpContentString())
	}
	sreq := ecs.CreateStopInstanceRequest()
	sreq.InstanceId = id
	sreq.AcceptFormat = "XML"
	_, err = e.ecs.StopInstance(sreq)
	ok(t, err)

	// Errors in XML mirror the JSON fields under <Error>.
	r := e.raw("StartInstance", rawCall{Params: map[string]string{"Format": "XML", "InstanceId": "i-nope"}})
	var x struct {
		XMLName   xml.Name `xml:"Error"`
		RequestID string   `xml:"RequestId"`
		HostID    string   `xml:"HostId"`
		Code      string   `xml:"Code"`
		Message   string   `xml:"Message"`
		Recommend string   `xml:"Recommend"`
	}
	if err := xml.Unmarshal(r.Body, &x); err != nil {
		t.Fatalf("XML error body: %v\n%s", err, r.Body)
	}
	if r.Status != 404 || x.Code != "InvalidInstanceId.NotFound" || x.RequestID == "" || x.HostID == "" || x.Message == "" || x.Recommend == "" {
		t.Fatalf("XML error: %d %+v", r.Status, x)
	}
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1)[0]

	// A passing DryRun answers DryRunOperation 400 and changes nothing.
	sreq := ecs.CreateStopInstanceRequest()
	sreq.InstanceId, sreq.DryRun = id, requests.NewBoolean(true)
	_, err := e.ecs.StopInstance(sreq)
	apiError(t, err, "DryRunOperation", 400)
	wantStatus(t, e.ecs, id, "Running")

	// A failing DryRun answers the real error.
	req := ecs.CreateStartInstanceRequest()
	req.InstanceId, req.DryRun = id, requests.NewBoolean(true)
	_, err = e.ecs.StartInstance(req)
	apiError(t, err, "IncorrectInstanceStatus", 403)

	rreq := ecs.CreateRunInstancesRequest()
	rreq.RegionId, rreq.ImageId, rreq.InstanceType, rreq.DryRun = region, image, itype, requests.NewBoolean(true)
	_, err = e.ecs.RunInstances(rreq)
	apiError(t, err, "DryRunOperation", 400)
	if n := countInstances(t, e.ecs); n != 1 {
		t.Fatalf("a DryRun RunInstances created instances: %d exist", n)
	}
	rreq.ImageId = "no_such_image.vhd"
	_, err = e.ecs.RunInstances(rreq)
	apiError(t, err, "InvalidImageId.NotFound", 404)
}

func countInstances(t *testing.T, c *ecs.Client) int {
	t.Helper()
	req := ecs.CreateDescribeInstancesRequest()
	req.RegionId = region
	resp, err := c.DescribeInstances(req)
	ok(t, err)
	return resp.TotalCount
}
