package sign

// Signature V3, ACS3-HMAC-SHA256: the scheme the V2.0 SDKs sign with by
// default. The request carries its credential, the list of signed headers
// and a hex HMAC-SHA256 in an Authorization header:
//
//	Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b;c>,Signature=<hex>
//
// The signature covers a canonical request built from the method, the path,
// the query, the signed headers and the SHA-256 of the raw body; the key is
// the bare AccessKey secret. docs/signature-v3.md describes every step.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// ACS3 is the name of the V3 signature algorithm, the first word of the
// Authorization header.
const ACS3 = "ACS3-HMAC-SHA256"

// EmptyPayloadHash is the hex SHA-256 of an empty body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// maxAuthorization bounds the Authorization header the parser looks at; the
// SDKs send about 250 bytes.
const maxAuthorization = 8 << 10

// Authorization is a parsed V3 Authorization header.
type Authorization struct {
	Algorithm     string   // always ACS3 once parsed
	Credential    string   // the AccessKey id (an STS. id for temporary credentials)
	SignedHeaders []string // lower-case header names, in the order given
	Signature     string   // 64 lower-case hex digits
}

// String writes the header back in the form the SDKs send.
func (a *Authorization) String() string {
	return a.Algorithm + " Credential=" + a.Credential + ",SignedHeaders=" + strings.Join(a.SignedHeaders, ";") + ",Signature=" + a.Signature
}

// Signs reports whether name is among the signed headers, in any case.
func (a *Authorization) Signs(name string) bool {
	for _, h := range a.SignedHeaders {
		if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}

// ErrAuthorization is wrapped by every error ParseAuthorization returns.
var ErrAuthorization = errors.New("malformed ACS3 Authorization header")

func authErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrAuthorization, fmt.Sprintf(format, a...))
}

// IsACS3 reports whether an Authorization header value claims a V3 scheme
// ("ACS3-" followed by an algorithm, any case). Requests without such a
// header are signature v1.0 requests.
func IsACS3(authorization string) bool {
	return len(authorization) >= 5 && strings.EqualFold(authorization[:5], "ACS3-")
}

// ParseAuthorization parses an Authorization header value. The algorithm
// must be ACS3-HMAC-SHA256, followed by one space and exactly the three
// fields Credential, SignedHeaders and Signature, in any order, separated by
// commas (a space after a comma is allowed). The credential must be
// non-empty and printable; the signed headers a ';'-separated list of
// distinct, non-empty, lower-case token names; the signature 64 lower-case
// hex digits. Every error wraps ErrAuthorization and says what is wrong.
func ParseAuthorization(h string) (*Authorization, error) {
	if len(h) > maxAuthorization {
		return nil, authErr("longer than %d bytes", maxAuthorization)
	}
	alg, rest, ok := strings.Cut(h, " ")
	if !ok {
		return nil, authErr("no space after the algorithm")
	}
	if alg != ACS3 {
		return nil, authErr("the algorithm %q is not supported; use %s", printable(alg), ACS3)
	}
	a := &Authorization{Algorithm: alg}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimLeft(part, " ")
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, authErr("%q is not Name=Value", printable(part))
		}
		if seen[name] {
			return nil, authErr("%s is given twice", printable(name))
		}
		seen[name] = true
		switch name {
		case "Credential":
			if value == "" {
				return nil, authErr("Credential is empty")
			}
			if !isPrintable(value) {
				return nil, authErr("Credential holds a space or a control character")
			}
			a.Credential = value
		case "SignedHeaders":
			hs, err := parseSignedHeaders(value)
			if err != nil {
				return nil, err
			}
			a.SignedHeaders = hs
		case "Signature":
			if len(value) != 2*sha256.Size || !isLowerHex(value) {
				return nil, authErr("Signature must be %d lower-case hex digits", 2*sha256.Size)
			}
			a.Signature = value
		default:
			return nil, authErr("unknown field %q", printable(name))
		}
	}
	for _, f := range []string{"Credential", "SignedHeaders", "Signature"} {
		if !seen[f] {
			return nil, authErr("%s is missing", f)
		}
	}
	return a, nil
}

func parseSignedHeaders(v string) ([]string, error) {
	if v == "" {
		return nil, authErr("SignedHeaders is empty")
	}
	names := strings.Split(v, ";")
	for i, n := range names {
		if n == "" {
			return nil, authErr("SignedHeaders has an empty name")
		}
		for j := 0; j < len(n); j++ {
			c := n[j]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return nil, authErr("SignedHeaders name %q is not a lower-case header name", printable(n))
			}
		}
		if slices.Contains(names[:i], n) {
			return nil, authErr("SignedHeaders names %s twice", n)
		}
	}
	return names, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// printable shortens s and replaces bytes that are not printable ASCII, for
// error messages that quote client input.
func printable(s string) string {
	const limit = 64
	var b strings.Builder
	for i := 0; i < len(s) && i < limit; i++ {
		if c := s[i]; c >= ' ' && c < 0x7f {
			b.WriteByte(c)
		} else {
			b.WriteByte('?')
		}
	}
	if len(s) > limit {
		b.WriteString("…")
	}
	return b.String()
}

// HashPayload returns the lower-case hex SHA-256 of a raw request body.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalQuery is the V3 canonical form of decoded query parameters: every
// name and value percent-encoded with RFC 3986 rules (PercentEncode), each
// pair "name=value" ("name=" for an empty value), ordered by the raw name in
// byte order, joined with '&'. A name with several values gives one pair per
// value in the order given. No parameters give "".
func CanonicalQuery(q url.Values) string {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(PercentEncode(k))
			b.WriteByte('=')
			b.WriteString(PercentEncode(v))
		}
	}
	return b.String()
}

// Request is what a V3 signature covers.
type Request struct {
	Method      string      // upper case, as sent
	Path        string      // the escaped path; "" is "/"
	Query       url.Values  // decoded with form rules ('+' is a space)
	Host        string      // the Host header
	Header      http.Header // the other headers
	PayloadHash string      // hex SHA-256 of the raw body
}

// canonicalKeys are the http.Header keys of the headers V3 requests sign,
// so that looking them up needs no canonicalisation.
var canonicalKeys = map[string]string{
	"content-type": "Content-Type", "x-acs-accesskey-id": "X-Acs-Accesskey-Id", "x-acs-action": "X-Acs-Action",
	"x-acs-content-sha256": "X-Acs-Content-Sha256", "x-acs-credentials-provider": "X-Acs-Credentials-Provider",
	"x-acs-date": "X-Acs-Date", "x-acs-security-token": "X-Acs-Security-Token",
	"x-acs-signature-nonce": "X-Acs-Signature-Nonce", "x-acs-version": "X-Acs-Version",
}

// HeaderValue is the canonical value of one signed header: the Host for
// "host", otherwise the header's values with surrounding white space trimmed,
// joined with ',' ("" when it is absent).
func (r *Request) HeaderValue(name string) string {
	if name == "host" {
		return strings.TrimSpace(r.Host)
	}
	var vs []string
	if k, ok := canonicalKeys[name]; ok {
		vs = r.Header[k]
	} else {
		vs = r.Header.Values(name)
	}
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return strings.TrimSpace(vs[0])
	}
	trimmed := make([]string, len(vs))
	for i, v := range vs {
		trimmed[i] = strings.TrimSpace(v)
	}
	return strings.Join(trimmed, ",")
}

// CanonicalRequest is the text whose SHA-256 the string to sign carries:
//
//	METHOD \n PATH \n CANONICAL QUERY \n (name:value \n for each signed header) \n SIGNED HEADERS \n PAYLOAD HASH
//
// with the signed headers in the order given.
func (r *Request) CanonicalRequest(signedHeaders []string) string {
	var b strings.Builder
	b.Grow(256 + 96*len(signedHeaders))
	b.WriteString(r.Method)
	b.WriteByte('\n')
	if r.Path == "" {
		b.WriteByte('/')
	} else {
		b.WriteString(r.Path)
	}
	b.WriteByte('\n')
	b.WriteString(CanonicalQuery(r.Query))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		b.WriteString(h)
		b.WriteByte(':')
		b.WriteString(r.HeaderValue(h))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(r.PayloadHash)
	return b.String()
}

// StringToSignV3 is "ACS3-HMAC-SHA256\n" followed by the hex SHA-256 of the
// canonical request.
func StringToSignV3(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return ACS3 + "\n" + hex.EncodeToString(sum[:])
}

// SignV3 returns the lower-case hex HMAC-SHA256 of stringToSign keyed with
// the bare AccessKey secret (no '&', unlike version 1.0).
func SignV3(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyV3 reports whether signature is SignV3(secret, stringToSign),
// comparing in constant time.
func VerifyV3(secret, stringToSign, signature string) bool {
	want := SignV3(secret, stringToSign)
	return hmac.Equal([]byte(want), []byte(signature))
}
