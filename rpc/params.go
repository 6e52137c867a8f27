package rpc

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/openecs/openecs"
)

// Params reads typed request parameters. The first problem it meets is kept
// (Err) and later reads return zero values, so a handler reads everything it
// needs and checks Err once; the error names the parameter, as the real
// service's MissingParameter/InvalidParameter answers do.
type Params struct {
	v   url.Values
	err error
}

// NewParams wraps merged, decoded parameters.
func NewParams(v url.Values) *Params { return &Params{v: v} }

// Err is the first parameter error.
func (p *Params) Err() error { return p.err }

// Fail records err if none is recorded yet.
func (p *Params) Fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// Has reports whether the parameter was sent (even empty).
func (p *Params) Has(name string) bool { _, ok := p.v[name]; return ok }

// Str returns the parameter or "".
func (p *Params) Str(name string) string { return p.v.Get(name) }

// Required returns the parameter, recording MissingParameter if it is absent
// or empty.
func (p *Params) Required(name string) string {
	s := p.v.Get(name)
	if s == "" {
		p.Fail(openecs.Missing(name))
	}
	return s
}

// Bool reads a Boolean ("true"/"false", any case); absent or empty is def.
func (p *Params) Bool(name string, def bool) bool {
	s := p.v.Get(name)
	switch strings.ToLower(s) {
	case "":
		return def
	case "true":
		return true
	case "false":
		return false
	}
	p.Fail(openecs.Invalid(name, "it must be true or false"))
	return def
}

// Int reads an Integer in [min, max]; absent or empty is def.
func (p *Params) Int(name string, def, min, max int) int {
	s := p.v.Get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.Fail(openecs.Invalid(name, "it must be an integer"))
		return def
	}
	if n < min || n > max {
		p.Fail(openecs.Invalid(name, fmt.Sprintf("it must be between %d and %d", min, max)))
		return def
	}
	return n
}

// Enum reads one of the allowed values (exact case); absent or empty is def.
func (p *Params) Enum(name, def string, allowed ...string) string {
	s := p.v.Get(name)
	if s == "" {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.Fail(openecs.Invalid(name, "it must be one of "+strings.Join(allowed, ", ")))
	return def
}

// enumOf is Enum for a value of a domain string type: the allowed values
// are that type's constants.
func enumOf[T ~string](p *Params, name string, def T, allowed ...T) T {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return T(p.Enum(name, string(def), names...))
}

// Money reads a decimal amount such as a SpotPriceLimit ("0.05").
func (p *Params) Money(name string) openecs.Money {
	s := p.v.Get(name)
	if s == "" {
		return 0
	}
	m, err := openecs.ParseMoney(s)
	if err != nil || m < 0 {
		p.Fail(openecs.Invalid(name, "it must be a non-negative decimal number"))
		return 0
	}
	return m
}

// Time reads a UTC time written yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-ddTHH:mmZ.
func (p *Params) Time(name string) time.Time {
	s := p.v.Get(name)
	if s == "" {
		return time.Time{}
	}
	if t := parseUTC(s); !t.IsZero() {
		return t
	}
	p.Fail(openecs.Invalid(name, "it must be a UTC time like 2026-11-22T10:04:00Z"))
	return time.Time{}
}

// parseUTC reads a time written yyyy-MM-ddTHH:mm:ssZ, yyyy-MM-ddTHH:mmZ or
// RFC 3339, in UTC; the zero time if it is none of them.
func parseUTC(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04:05Z", "2006-01-02T15:04Z", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// indexed returns the suffix indexes N of keys "prefix.N" (optionally followed
// by ".rest"), sorted.
func (p *Params) indexed(prefix string, max int) []int {
	seen := map[int]bool{}
	for k := range p.v {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(num)
		switch {
		case err != nil || n < 1:
			p.Fail(openecs.Invalid(k, "list indexes start at 1"))
			continue
		case n > max:
			p.Fail(openecs.Invalid(k, fmt.Sprintf("N must be between 1 and %d", max)))
			continue
		case strconv.Itoa(n) != num:
			// 01 or +1 would name the same entry as 1 a second time.
			p.Fail(openecs.Invalid(k, fmt.Sprintf("the index must be written %d", n)))
			continue
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// List reads a repeated parameter Name.1 … Name.N, N at most max (empty
// values are skipped, as the SDK never sends them).
func (p *Params) List(name string, max int) []string {
	idx := p.indexed(name, max)
	out := make([]string, 0, len(idx))
	for _, n := range idx {
		if s := p.v.Get(name + "." + strconv.Itoa(n)); s != "" {
			out = append(out, s)
		}
	}
	if len(out) > max {
		p.Fail(openecs.ErrInvalidParameter.With("The specified parameter %q is not valid: at most %d values are allowed.", name, max))
		return out[:max]
	}
	return out
}

// Structs reads Name.N.Field parameters into one map per N, N at most max.
func (p *Params) Structs(name string, max int) []map[string]string {
	idx := p.indexed(name, max)
	if len(idx) > max {
		p.Fail(openecs.ErrInvalidParameter.With("The specified parameter %q is not valid: at most %d values are allowed.", name, max))
		idx = idx[:max]
	}
	out := make([]map[string]string, 0, len(idx))
	for _, n := range idx {
		prefix := name + "." + strconv.Itoa(n) + "."
		m := map[string]string{}
		for k, vs := range p.v {
			if f, ok := strings.CutPrefix(k, prefix); ok && len(vs) > 0 {
				m[f] = vs[0]
			}
		}
		out = append(out, m)
	}
	return out
}

// JSONArray reads a parameter holding a JSON array of strings, such as
// DescribeInstances' InstanceIds. present is false when it was not sent.
func (p *Params) JSONArray(name string, max int) (vals []string, present bool) {
	s := p.v.Get(name)
	if s == "" {
		return nil, false
	}
	if err := json.Unmarshal([]byte(s), &vals); err != nil {
		p.Fail(openecs.Invalid(name, `it must be a JSON array of strings, e.g. ["i-abc","i-def"]`))
		return nil, false
	}
	if len(vals) > max {
		p.Fail(openecs.ErrInvalidParameter.With("The specified parameter %q is not valid: at most %d values are allowed.", name, max))
		return vals[:max], true
	}
	if vals == nil {
		vals = []string{}
	}
	return vals, true
}

// MaxTags is how many tags a resource may carry (Tag.N, N from 1 to 20).
const MaxTags = 20

// Tags reads Tag.N.Key / Tag.N.Value (N from 1 to 20) and validates them as
// the real service does: a key is 1–128 characters and a value at most 128,
// neither may start with aliyun or acs: or contain http:// or https:// or a
// control character, and no key is given twice (Duplicate.TagKey).
func (p *Params) Tags(name string) []openecs.Tag {
	var out []openecs.Tag
	seen := map[string]bool{}
	for _, m := range p.Structs(name, MaxTags) {
		k, v := m["Key"], m["Value"]
		if !validTagText(k, false) {
			p.Fail(openecs.ErrInvalidTagKey)
			return nil
		}
		if !validTagText(v, true) {
			p.Fail(openecs.ErrInvalidTagValue)
			return nil
		}
		if seen[k] {
			p.Fail(openecs.ErrDuplicateTagKey)
			return nil
		}
		seen[k] = true
		out = append(out, openecs.Tag{Key: k, Value: v})
	}
	return out
}

func validTagText(s string, emptyOK bool) bool {
	if s == "" {
		return emptyOK
	}
	if utf8.RuneCountInString(s) > 128 || !utf8.ValidString(s) || hasControl(s) {
		return false
	}
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "aliyun") || strings.HasPrefix(l, "acs:") || strings.Contains(l, "http://") || strings.Contains(l, "https://") {
		return false
	}
	return true
}

// hasControl reports whether s holds a control character.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// ClientToken reads and validates ClientToken: ASCII, at most 64 characters.
func (p *Params) ClientToken() string {
	s := p.v.Get("ClientToken")
	if len(s) > 64 {
		p.Fail(openecs.ErrInvalidClientToken.With("The specified parameter ClientToken is not valid: it must be at most 64 ASCII characters."))
		return ""
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			p.Fail(openecs.ErrInvalidClientToken.With("The specified parameter ClientToken is not valid: it must be at most 64 ASCII characters."))
			return ""
		}
	}
	return s
}

// commonParams are excluded from the idempotency hash: they change on every
// retry or do not affect what the call does.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true, "Signature": true, "SignatureMethod": true,
	"SignatureVersion": true, "SignatureNonce": true, "SignatureType": true, "Timestamp": true, "SecurityToken": true,
	"BearerToken": true, "ClientToken": true, "OwnerId": true, "OwnerAccount": true, "ResourceOwnerId": true,
	"ResourceOwnerAccount": true, "AutoPay": true,
}

// Fingerprint is a stable hash of the call's own parameters, for ClientToken
// idempotency.
func (p *Params) Fingerprint() string {
	keys := make([]string, 0, len(p.v))
	for k := range p.v {
		if !commonParams[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(url.QueryEscape(k))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(strings.Join(p.v[k], ",")))
		b.WriteByte('&')
	}
	return hashHex(b.String())
}
