package bench

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs/sign"
)

// The signature schemes the load generator signs with.
const (
	SignatureV1 = "v1" // signature v1.0 (HMAC-SHA1): every common parameter and the signature in the query
	SignatureV3 = "v3" // ACS3-HMAC-SHA256: x-acs-* headers and an Authorization header, as the V2.0 SDKs sign
)

// ParseSignatures reads "v1", "v3" or "v1,v3" (both, measured alternately
// in the same run, the first one reported as the main result).
func ParseSignatures(s string) ([]string, error) {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		if part != SignatureV1 && part != SignatureV3 {
			return nil, fmt.Errorf("signature %q: use v1, v3 or v1,v3", part)
		}
		if slices.Contains(out, part) {
			return nil, fmt.Errorf("signature %s is given twice", part)
		}
		out = append(out, part)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no signature scheme: use v1, v3 or v1,v3")
	}
	return out, nil
}

// formHeader is the one extra header of a v1.0 request, as the SDK sends it.
const formHeader = "Content-Type: application/x-www-form-urlencoded\r\n"

// v3SignedHeaders are the headers a V3 request of the load generator signs.
const v3SignedHeaders = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"

// request returns a signed request for action with params under the scheme:
// its target and its extra header lines. host is the Host header the
// request goes out with, which a V3 signature covers.
func (s *signer) request(scheme, host, action string, params ...string) (target, headers string) {
	if scheme != SignatureV3 {
		return s.target(action, params...), formHeader
	}
	return s.v3(host, action, params...)
}

// v3 builds a request the way the V2.0 SDKs send one: the API parameters
// in the query in canonical form (sorted, RFC 3986), an empty body, no
// Content-Type, and the action, version, date, nonce and body hash in
// x-acs-* headers signed with ACS3-HMAC-SHA256.
func (s *signer) v3(host, action string, params ...string) (target, headers string) {
	clear(s.vals)
	s.set("RegionId", s.region)
	if s.format == "XML" {
		s.set("Format", "XML")
	}
	for i := 0; i+1 < len(params); i += 2 {
		s.set(params[i], params[i+1])
	}
	s.count++
	nonce := s.nonceBase + strconv.FormatUint(s.count, 36)
	if now := time.Now().Unix(); now != s.tsUnix {
		s.tsUnix, s.ts = now, time.Unix(now, 0).UTC().Format("2006-01-02T15:04:05Z")
	}
	query := sign.CanonicalQuery(s.vals)
	canonical := v3Canonical(s.method, query, host, action, s.ts, nonce)
	sig := sign.SignV3(s.secret, sign.StringToSignV3(canonical))

	var b strings.Builder
	b.Grow(512)
	b.WriteString("x-acs-action: ")
	b.WriteString(action)
	b.WriteString("\r\nx-acs-version: 2014-05-26\r\nx-acs-date: ")
	b.WriteString(s.ts)
	b.WriteString("\r\nx-acs-signature-nonce: ")
	b.WriteString(nonce)
	b.WriteString("\r\nx-acs-content-sha256: " + sign.EmptyPayloadHash + "\r\nAuthorization: " + sign.ACS3 + " Credential=")
	b.WriteString(s.keyID)
	b.WriteString(",SignedHeaders=" + v3SignedHeaders + ",Signature=")
	b.WriteString(sig)
	b.WriteString("\r\n")
	return "/?" + query, b.String()
}

// v3Canonical is the canonical request of a load-generator V3 request (the
// same text sign.Request.CanonicalRequest builds; a test checks it).
func v3Canonical(method, query, host, action, date, nonce string) string {
	var b strings.Builder
	b.Grow(400 + len(query))
	b.WriteString(method)
	b.WriteString("\n/\n")
	b.WriteString(query)
	b.WriteString("\nhost:")
	b.WriteString(host)
	b.WriteString("\nx-acs-action:")
	b.WriteString(action)
	b.WriteString("\nx-acs-content-sha256:" + sign.EmptyPayloadHash + "\nx-acs-date:")
	b.WriteString(date)
	b.WriteString("\nx-acs-signature-nonce:")
	b.WriteString(nonce)
	b.WriteString("\nx-acs-version:2014-05-26\n\n" + v3SignedHeaders + "\n" + sign.EmptyPayloadHash)
	return b.String()
}
