package rpc

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func params(kv ...string) *Params {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return NewParams(v)
}

func wantParamErr(t *testing.T, p *Params, code, mention string) {
	t.Helper()
	e, ok := openecs.AsError(p.Err())
	if !ok {
		t.Fatalf("no parameter error; want %s", code)
	}
	if e.Code != code || e.Status != 400 || !strings.Contains(e.Message, mention) {
		t.Fatalf("got %s %d %q; want %s 400 mentioning %q", e.Code, e.Status, e.Message, code, mention)
	}
}

func TestParamsTypedReads(t *testing.T) {
	p := params("A", "x", "B", "TRUE", "N", "42", "E", "Week", "M", "0.05", "T", "2026-11-22T10:04:00Z", "T2", "2026-11-22T10:04Z")
	if p.Str("A") != "x" || !p.Bool("B", false) || p.Int("N", 0, 1, 100) != 42 || p.Enum("E", "", "Month", "Week") != "Week" {
		t.Fatal("typed reads")
	}
	if p.Money("M") != openecs.MustMoney("0.05") {
		t.Fatal("money")
	}
	if !p.Time("T").Equal(time.Date(2026, 11, 22, 10, 4, 0, 0, time.UTC)) || !p.Time("T2").Equal(p.Time("T")) {
		t.Fatal("time")
	}
	if p.Bool("absent", true) != true || p.Int("absent", 7, 1, 9) != 7 || p.Enum("absent", "d", "x") != "d" {
		t.Fatal("defaults")
	}
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestParamsErrorsNameTheParameter(t *testing.T) {
	cases := []struct {
		p       *Params
		read    func(*Params)
		code    string
		mention string
	}{
		{params(), func(p *Params) { p.Required("InstanceId") }, "MissingParameter", "InstanceId"},
		{params("DryRun", "yes"), func(p *Params) { p.Bool("DryRun", false) }, "InvalidParameter", "DryRun"},
		{params("Amount", "1.5"), func(p *Params) { p.Int("Amount", 1, 1, 100) }, "InvalidParameter", "Amount"},
		{params("Amount", "0"), func(p *Params) { p.Int("Amount", 1, 1, 100) }, "InvalidParameter", "between 1 and 100"},
		{params("Unit", "month"), func(p *Params) { p.Enum("Unit", "", "Month") }, "InvalidParameter", "Unit"},
		{params("SpotPriceLimit", "-1"), func(p *Params) { p.Money("SpotPriceLimit") }, "InvalidParameter", "SpotPriceLimit"},
		{params("AutoReleaseTime", "tomorrow"), func(p *Params) { p.Time("AutoReleaseTime") }, "InvalidParameter", "AutoReleaseTime"},
		{params("InstanceIds", "i-1"), func(p *Params) { p.JSONArray("InstanceIds", 100) }, "InvalidParameter", "InstanceIds"},
		{params("Id.0", "x"), func(p *Params) { p.List("Id", 10) }, "InvalidParameter", "Id.0"},
		{params("Tag.1.Key", "acs:x"), func(p *Params) { p.Tags("Tag") }, "InvalidTagKey.Malformed", "Tag.n.Key"},
		{params("Tag.1.Key", "k", "Tag.1.Value", strings.Repeat("v", 129)), func(p *Params) { p.Tags("Tag") }, "InvalidTagValue.Malformed", "Tag.n.Value"},
		{params("ClientToken", strings.Repeat("t", 65)), func(p *Params) { p.ClientToken() }, "InvalidClientToken.ValueNotSupported", "64"},
		// An index beyond the documented range, even alone.
		{params("Tag.21.Key", "k"), func(p *Params) { p.Tags("Tag") }, "InvalidParameter", "Tag.21.Key"},
		{params("InstanceId.101", "i-1"), func(p *Params) { p.List("InstanceId", 100) }, "InvalidParameter", "between 1 and 100"},
		{params("DataDisk.17.Size", "40"), func(p *Params) { p.Structs("DataDisk", 16) }, "InvalidParameter", "DataDisk.17.Size"},
		// One entry under two spellings of its index.
		{params("Tag.1.Key", "a", "Tag.01.Key", "b"), func(p *Params) { p.Tags("Tag") }, "InvalidParameter", "Tag.01.Key"},
		{params("InstanceId.1", "i-1", "InstanceId.+1", "i-2"), func(p *Params) { p.List("InstanceId", 100) }, "InvalidParameter", "written 1"},
		// Tag text.
		{params("Tag.1.Key", "a\x00b"), func(p *Params) { p.Tags("Tag") }, "InvalidTagKey.Malformed", "Tag.n.Key"},
		{params("Tag.1.Key", strings.Repeat("k", 129)), func(p *Params) { p.Tags("Tag") }, "InvalidTagKey.Malformed", "Tag.n.Key"},
		{params("Tag.1.Key", "aliyun-x"), func(p *Params) { p.Tags("Tag") }, "InvalidTagKey.Malformed", "Tag.n.Key"},
		{params("Tag.1.Key", "k", "Tag.1.Value", "v\n"), func(p *Params) { p.Tags("Tag") }, "InvalidTagValue.Malformed", "Tag.n.Value"},
		{params("Tag.1.Key", "k", "Tag.2.Key", "k"), func(p *Params) { p.Tags("Tag") }, "Duplicate.TagKey", "duplicate"},
		// Names.
		{params("InstanceName", "web\x01"), func(p *Params) { instanceName(p, "InstanceName") }, "InvalidInstanceName.Malformed", "control"},
		{params("InstanceName", strings.Repeat("n", 129)), func(p *Params) { instanceName(p, "InstanceName") }, "InvalidInstanceName.Malformed", "2 to 128"},
		{params("InstanceName", "w"), func(p *Params) { instanceName(p, "InstanceName") }, "InvalidInstanceName.Malformed", "2 to 128"},
		{params("InstanceName", "1web"), func(p *Params) { instanceName(p, "InstanceName") }, "InvalidInstanceName.Malformed", "start with a letter"},
		{params("InstanceName", "web server"), func(p *Params) { instanceName(p, "InstanceName") }, "InvalidInstanceName.Malformed", "only letters"},
		{params("Description", "https://x"), func(p *Params) { description(p, "Description") }, "InvalidDescription.Malformed", "http"},
		{params("Description", strings.Repeat("d", 257)), func(p *Params) { description(p, "Description") }, "InvalidDescription.Malformed", "2 to 256"},
		{params("Description", "a\x1bb"), func(p *Params) { description(p, "Description") }, "InvalidDescription.Malformed", "control"},
		{params("HostName", "web..1"), func(p *Params) { hostName(p) }, "InvalidHostName.Malformed", "consecutive"},
		{params("HostName", "-web"), func(p *Params) { hostName(p) }, "InvalidHostName.Malformed", "start or end"},
		{params("HostName", strings.Repeat("h", 65)), func(p *Params) { hostName(p) }, "InvalidHostName.Malformed", "2 to 64"},
		{params("HostName", "web_1"), func(p *Params) { hostName(p) }, "InvalidHostName.Malformed", "only letters"},
		{params("HostName", "web\t1"), func(p *Params) { hostName(p) }, "InvalidHostName.Malformed", "control"},
		{params("MaxResults", "0"), func(p *Params) { maxResults(p) }, "InvalidParameter", "MaxResults"},
		{params("MaxResults", "-5"), func(p *Params) { maxResults(p) }, "InvalidParameter", "MaxResults"},
		{params("MaxResults", "ten"), func(p *Params) { maxResults(p) }, "InvalidParameter", "MaxResults"},
	}
	for _, c := range cases {
		c.read(c.p)
		wantParamErr(t, c.p, c.code, c.mention)
	}
}

func TestValidNamesPass(t *testing.T) {
	p := params("InstanceName", "k8s-node_1.web:blue", "Description", "a web server\nof the blue team", "HostName", "k8s-${instance_id}.internal")
	instanceName(p, "InstanceName")
	description(p, "Description")
	hostName(p)
	if err := p.Err(); err != nil {
		t.Fatalf("valid names refused: %v", err)
	}
	for in, want := range map[string]int{"1": 10, "9": 10, "10": 10, "55": 55, "100": 100, "1000": 100} {
		if got := maxResults(params("MaxResults", in)); got != want {
			t.Errorf("MaxResults=%s reads as %d, want %d", in, got, want)
		}
	}
}

func TestParamsKeepsTheFirstError(t *testing.T) {
	p := params("A", "x")
	p.Required("First")
	p.Required("Second")
	wantParamErr(t, p, "MissingParameter", "First")
}

func TestParamsLists(t *testing.T) {
	p := params("Id.3", "c", "Id.1", "a", "Id.2", "b", "Id.10", "j")
	if got := strings.Join(p.List("Id", 10), ","); got != "a,b,c,j" {
		t.Fatalf("List = %s", got)
	}
	p = params("Id.1", "a", "Id.2", "b")
	p.List("Id", 1)
	wantParamErr(t, p, "InvalidParameter", "N must be between 1 and 1")

	p = params("DataDisk.2.Size", "40", "DataDisk.1.Size", "20", "DataDisk.1.Category", "cloud_essd")
	s := p.Structs("DataDisk", 16)
	if len(s) != 2 || s[0]["Size"] != "20" || s[0]["Category"] != "cloud_essd" || s[1]["Size"] != "40" {
		t.Fatalf("Structs = %v", s)
	}
	ids, present := params("InstanceIds", `[]`).JSONArray("InstanceIds", 100)
	if !present || ids == nil || len(ids) != 0 {
		t.Fatalf("an empty JSON array must be a present, empty filter: %v %v", ids, present)
	}
	tags := params("Tag.1.Key", "env", "Tag.1.Value", "", "Tag.2.Key", "team", "Tag.2.Value", "a").Tags("Tag")
	if len(tags) != 2 || tags[0] != (openecs.Tag{Key: "env"}) || tags[1] != (openecs.Tag{Key: "team", Value: "a"}) {
		t.Fatalf("Tags = %v", tags)
	}
}

func TestFingerprintIgnoresCommonParameters(t *testing.T) {
	a := params("Action", "RunInstances", "Amount", "2", "SignatureNonce", "1", "Timestamp", "t1", "ClientToken", "x")
	b := params("Action", "RunInstances", "Amount", "2", "SignatureNonce", "2", "Timestamp", "t2", "ClientToken", "x")
	c := params("Action", "RunInstances", "Amount", "3", "SignatureNonce", "1", "Timestamp", "t1", "ClientToken", "x")
	if a.Fingerprint() != b.Fingerprint() {
		t.Fatal("a retry (new nonce and timestamp) must have the same fingerprint")
	}
	if a.Fingerprint() == c.Fingerprint() {
		t.Fatal("different parameters must have different fingerprints")
	}
}
