package rpc

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/openecs/openecs"
)

// Names, descriptions and tags of the network resources, checked as the
// real service checks them (docs/networks.md, "Names").

// netText reads a VPC or vSwitch name (max 128) or description (max 256):
// 1 to max characters, not starting with http:// or https://, no control
// characters. An empty value reads as absent (nil).
func netText(p *Params, param string, maxLen int, bad *openecs.Error) *string {
	if !p.Has(param) || p.Str(param) == "" {
		return nil
	}
	s := p.Str(param)
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxLen || hasHTTPPrefix(s) ||
		strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
		p.Fail(bad)
		return nil
	}
	return &s
}

// groupName reads SecurityGroupName: 2–128 characters starting with a
// letter; letters, digits, colons, underscores, periods and hyphens.
func groupName(p *Params) *string {
	s := p.Str("SecurityGroupName")
	if s == "" {
		return nil
	}
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < 2 || n > 128 || !unicode.IsLetter(firstRune(s)) || hasHTTPPrefix(s) ||
		strings.ContainsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(":_.-", r)
		}) {
		p.Fail(openecs.ErrSecurityGroupNameMalformed)
		return nil
	}
	return &s
}

// groupDescription reads a security group's Description: 2–256
// characters, not starting with http:// or https://.
func groupDescription(p *Params) *string {
	s := p.Str("Description")
	if s == "" {
		return nil
	}
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < 2 || n > 256 || hasHTTPPrefix(s) || hasControl(strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(s)) {
		p.Fail(openecs.ErrSecurityGroupDescMalformed)
		return nil
	}
	return &s
}

func hasHTTPPrefix(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// vpcTags reads Tag.N.Key / Tag.N.Value (N from 1 to 20) with the VPC API's
// codes: InvalidTagKey, InvalidTagValue.
func vpcTags(p *Params) []openecs.Tag {
	var out []openecs.Tag
	seen := map[string]bool{}
	for _, m := range p.Structs("Tag", MaxTags) {
		k, v := m["Key"], m["Value"]
		if !validTagText(k, false) || seen[k] {
			p.Fail(openecs.ErrVpcTagKey)
			return nil
		}
		if !validTagText(v, true) {
			p.Fail(openecs.ErrVpcTagValue)
			return nil
		}
		seen[k] = true
		out = append(out, openecs.Tag{Key: k, Value: v})
	}
	return out
}

// tagFilter reads Tag.N.Key / Tag.N.Value filters (N up to 20; a key
// without a value matches any value); the lower-case Tag.N.key /
// Tag.N.value the older SDKs send are read too. A filter without a key is
// bad.
func tagFilter(p *Params, bad *openecs.Error) []openecs.Tag {
	var out []openecs.Tag
	for _, m := range p.Structs("Tag", MaxTags) {
		k, v := m["Key"], m["Value"]
		if k == "" {
			k = m["key"]
		}
		if v == "" {
			v = m["value"]
		}
		if k == "" {
			p.Fail(bad)
			return nil
		}
		out = append(out, openecs.Tag{Key: k, Value: v})
	}
	return out
}

// isDefault reads the IsDefault filter (absent: no filter).
func isDefault(p *Params) *bool {
	if p.Str("IsDefault") == "" {
		return nil
	}
	b := p.Bool("IsDefault", false)
	return &b
}

// netTime is the time format of the VPC API and of security groups:
// seconds, UTC.
func netTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// ownerID is an account id as the numeric OwnerId fields show it.
func ownerID(account string) int64 {
	n, err := strconv.ParseInt(account, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// pageOf reads PageNumber (from 1) and PageSize (1 to max, default def).
func pageOf(p *Params, def, max int) (number, size int) {
	return p.Int("PageNumber", 1, 1, 1<<30), p.Int("PageSize", def, 1, max)
}

// idList splits a comma-separated id list (VpcId in DescribeVpcs), at most
// max ids; nil when the parameter is absent.
func idList(p *Params, name string, max int) []string {
	s := p.Str(name)
	if s == "" {
		return nil
	}
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	if len(out) > max {
		p.Fail(openecs.Invalid(name, "at most "+strconv.Itoa(max)+" ids are allowed"))
	}
	return out
}
