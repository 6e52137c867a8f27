package rpc

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// SSH key pairs (ECS 2014-05-26; docs/keypairs.md): CreateKeyPair,
// ImportKeyPair, DescribeKeyPairs, DeleteKeyPairs, AttachKeyPair,
// DetachKeyPair.

// validKeyPairName reports whether s is a key pair name the API accepts:
// 2–128 characters, starting with a letter (not http:// or https://);
// letters, digits, colons, underscores and hyphens.
func validKeyPairName(s string) bool {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < 2 || n > 128 || !unicode.IsLetter(firstRune(s)) || hasHTTPPrefix(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ':' && r != '_' && r != '-'
	})
}

// keyPairName reads a new key pair's KeyPairName (required):
// InvalidKeyPairName.Malformed for a name the API does not accept.
func keyPairName(p *Params) string {
	s := p.Required("KeyPairName")
	if s != "" && !validKeyPairName(s) {
		p.Fail(openecs.ErrKeyPairNameMalformed)
	}
	return s
}

// KeyPairResponse is CreateKeyPair's and ImportKeyPair's answer (KeyPairId
// and PrivateKeyBody are CreateKeyPair's only).
type KeyPairResponse struct {
	RequestId          string `json:"RequestId" xml:"RequestId"`
	KeyPairName        string `json:"KeyPairName" xml:"KeyPairName"`
	KeyPairFingerPrint string `json:"KeyPairFingerPrint" xml:"KeyPairFingerPrint"`
	KeyPairId          string `json:"KeyPairId,omitempty" xml:"KeyPairId,omitempty"`
	PrivateKeyBody     string `json:"PrivateKeyBody,omitempty" xml:"PrivateKeyBody,omitempty"`
}

func keyPairRequest(c *Call) service.KeyPairRequest {
	p := c.P
	return service.KeyPairRequest{
		RegionID:        c.region(true),
		Name:            keyPairName(p),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Tags:            p.Tags("Tag"),
	}
}

// createKeyPair answers CreateKeyPair. Errors: MissingParameter (RegionId,
// KeyPairName), InvalidRegionId.NotFound, InvalidKeyPairName.Malformed,
// tag errors, KeyPair.AlreadyExist, QuotaExceed.KeyPair.
func createKeyPair(c *Call) (any, error) {
	r := keyPairRequest(c)
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	k, err := c.Svc().CreateKeyPair(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &KeyPairResponse{KeyPairName: k.Name, KeyPairFingerPrint: k.FingerPrint, KeyPairId: k.ID, PrivateKeyBody: k.PrivateKeyPEM}, nil
}

// importKeyPair answers ImportKeyPair. Errors: MissingParameter (RegionId,
// KeyPairName, PublicKeyBody), InvalidRegionId.NotFound,
// InvalidKeyPairName.Malformed, tag errors, InvalidPublicKeyBody.Malformed,
// KeyPair.AlreadyExist, QuotaExceed.KeyPair.
func importKeyPair(c *Call) (any, error) {
	r := keyPairRequest(c)
	r.PublicKey = c.P.Required("PublicKeyBody")
	if err := c.P.Err(); err != nil {
		return nil, err
	}
	k, err := c.Svc().ImportKeyPair(c.Ctx, c.Caller, r)
	if err != nil {
		return nil, err
	}
	return &KeyPairResponse{KeyPairName: k.Name, KeyPairFingerPrint: k.FingerPrint}, nil
}

// WireKeyPair is a key pair as DescribeKeyPairs shows it.
type WireKeyPair struct {
	KeyPairName        string `json:"KeyPairName" xml:"KeyPairName"`
	KeyPairFingerPrint string `json:"KeyPairFingerPrint" xml:"KeyPairFingerPrint"`
	CreationTime       string `json:"CreationTime" xml:"CreationTime"`
	ResourceGroupId    string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	PublicKey          string `json:"PublicKey,omitempty" xml:"PublicKey,omitempty"`
	Tags               TagSet `json:"Tags" xml:"Tags"`
}

// DescribeKeyPairsResponse is DescribeKeyPairs' answer.
type DescribeKeyPairsResponse struct {
	RequestId  string `json:"RequestId" xml:"RequestId"`
	TotalCount int    `json:"TotalCount" xml:"TotalCount"`
	PageNumber int    `json:"PageNumber" xml:"PageNumber"`
	PageSize   int    `json:"PageSize" xml:"PageSize"`
	KeyPairs   struct {
		KeyPair []WireKeyPair `json:"KeyPair" xml:"KeyPair"`
	} `json:"KeyPairs" xml:"KeyPairs"`
}

// describeKeyPairs answers DescribeKeyPairs: KeyPairName (with * as a
// wildcard), KeyPairFingerPrint, ResourceGroupId, Tag.N, IncludePublicKey,
// PageNumber and PageSize (at most 50, default 10). Errors:
// MissingParameter (RegionId), InvalidRegionId.NotFound,
// InvalidTagKey.Malformed, InvalidParameter (paging).
func describeKeyPairs(c *Call) (any, error) {
	p := c.P
	q := service.KeyPairQuery{Filter: openecs.KeyPairFilter{
		RegionID:        c.region(true),
		NamePattern:     p.Str("KeyPairName"),
		FingerPrint:     p.Str("KeyPairFingerPrint"),
		ResourceGroupID: p.Str("ResourceGroupId"),
		Tags:            tagFilter(p, openecs.ErrInvalidTagKey),
	}}
	q.Page.Number = p.Int("PageNumber", 1, 1, 1<<30)
	q.Page.Size = p.Int("PageSize", 10, 1, 50)
	withKey := p.Bool("IncludePublicKey", false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	page, err := c.Svc().DescribeKeyPairs(c.Ctx, c.Caller, q)
	if err != nil {
		return nil, err
	}
	out := &DescribeKeyPairsResponse{TotalCount: page.Total, PageNumber: q.Page.Number, PageSize: q.Page.Size}
	out.KeyPairs.KeyPair = make([]WireKeyPair, 0, len(page.KeyPairs))
	for _, k := range page.KeyPairs {
		w := WireKeyPair{KeyPairName: k.Name, KeyPairFingerPrint: k.FingerPrint, CreationTime: openecs.WireTime(k.CreatedAt),
			ResourceGroupId: k.ResourceGroupID, Tags: tagSet(k.Tags)}
		if withKey {
			w.PublicKey = k.PublicKey
		}
		out.KeyPairs.KeyPair = append(out.KeyPairs.KeyPair, w)
	}
	return out, nil
}

// jsonNames reads a parameter holding a JSON array of non-empty strings;
// bad answers anything else (a bare name, an empty array, an empty name).
func jsonNames(p *Params, name string, bad *openecs.Error) []string {
	s := p.Required(name)
	if s == "" {
		return nil
	}
	var vals []string
	if err := json.Unmarshal([]byte(s), &vals); err != nil || len(vals) == 0 || contains(vals, "") {
		p.Fail(bad)
		return nil
	}
	return vals
}

// deleteKeyPairs answers DeleteKeyPairs: KeyPairNames is a JSON array of up
// to 100 names. Errors: MissingParameter (RegionId, KeyPairNames),
// InvalidRegionId.NotFound, InvalidKeyPairNames.ValueNotSupported,
// InstanceKeyPairLimitExceeded (more than 100),
// InvalidParameter.KeypairAlreadyAttachedInstance.
func deleteKeyPairs(c *Call) (any, error) {
	p := c.P
	region := c.region(true)
	names := jsonNames(p, "KeyPairNames", openecs.ErrKeyPairNamesInvalid)
	if len(names) > service.MaxKeyPairNames {
		p.Fail(openecs.ErrKeyPairDeleteTooMany)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := c.Svc().DeleteKeyPairs(c.Ctx, c.Caller, region, names); err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// KeyPairInstancesResponse is AttachKeyPair's and DetachKeyPair's answer.
// The counts, codes and Success are strings on the wire, as the API
// reference types them (and as both Go SDKs declare them).
type KeyPairInstancesResponse struct {
	RequestId   string `json:"RequestId" xml:"RequestId"`
	KeyPairName string `json:"KeyPairName" xml:"KeyPairName"`
	TotalCount  string `json:"TotalCount" xml:"TotalCount"`
	FailCount   string `json:"FailCount" xml:"FailCount"`
	Results     struct {
		Result []WireKeyPairResult `json:"Result" xml:"Result"`
	} `json:"Results" xml:"Results"`
}

// WireKeyPairResult is one instance's outcome: Code 200 and Message
// successful, or the error's code and message.
type WireKeyPairResult struct {
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	Success    string `json:"Success" xml:"Success"`
	Code       string `json:"Code" xml:"Code"`
	Message    string `json:"Message" xml:"Message"`
}

// keyPairInstances reads KeyPairName and InstanceIds (a JSON array of up to
// 50 ids) and answers with each instance's outcome.
func keyPairInstances(attach bool) handler {
	return func(c *Call) (any, error) {
		p := c.P
		region := c.region(true)
		name := p.Required("KeyPairName")
		ids := jsonNames(p, "InstanceIds", openecs.ErrKeyPairInstanceIDs)
		if len(ids) > service.MaxKeyPairInstances {
			p.Fail(openecs.ErrKeyPairInstanceIDs)
		}
		if err := p.Err(); err != nil {
			return nil, err
		}
		do := c.Svc().DetachKeyPair
		if attach {
			do = c.Svc().AttachKeyPair
		}
		results, err := do(c.Ctx, c.Caller, region, name, ids)
		if err != nil {
			return nil, err
		}
		out := &KeyPairInstancesResponse{KeyPairName: name, TotalCount: strconv.Itoa(len(results))}
		out.Results.Result = make([]WireKeyPairResult, 0, len(results))
		failed := 0
		for _, r := range results {
			w := WireKeyPairResult{InstanceId: r.InstanceID, Success: "true", Code: "200", Message: "successful"}
			if r.Err != nil {
				failed++
				w.Success, w.Code, w.Message = "false", r.Err.Code, r.Err.Message
			}
			out.Results.Result = append(out.Results.Result, w)
		}
		out.FailCount = strconv.Itoa(failed)
		return out, nil
	}
}
