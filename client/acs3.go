package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/openecs/openecs/sign"
)

// The signature schemes RPC can sign with.
const (
	SignatureV1 = "v1" // signature version 1.0, HMAC-SHA1 in the query (the default)
	SignatureV3 = "v3" // ACS3-HMAC-SHA256 in an Authorization header, as the V2.0 SDKs sign
)

// dateLayout is the form of x-acs-date: UTC, seconds.
const dateLayout = "2006-01-02T15:04:05Z"

// scheme returns the client's signature scheme, or an error for an unknown
// one.
func (c *RPC) scheme() (string, error) {
	switch s := strings.ToLower(c.Signature); s {
	case "", SignatureV1, "v1.0", "1.0":
		return SignatureV1, nil
	case SignatureV3, "acs3", "acs3-hmac-sha256":
		return SignatureV3, nil
	}
	return "", fmt.Errorf("client: signature %q: use v1 or v3", c.Signature)
}

// buildV3 builds a call the way the V2.0 SDKs send it by default: every API
// parameter in the query (RegionId from the client when the call has none;
// Format only for XML, since JSON is the default), an empty body, and the
// action, version, date, nonce, body hash (and for STS credentials the key id
// and token) in x-acs-* headers signed with ACS3-HMAC-SHA256. A "Version"
// in params sets x-acs-version instead of a query parameter.
func (c *RPC) buildV3(ctx context.Context, method string, u *url.URL, action, format string, params map[string]string) (*http.Request, error) {
	q := make(url.Values, len(params)+2)
	if c.RegionID != "" {
		q.Set("RegionId", c.RegionID)
	}
	if format == "XML" {
		q.Set("Format", format)
	}
	version := APIVersion
	for k, v := range params {
		if k == "Version" {
			version = v
			continue
		}
		q.Set(k, v)
	}
	u.Path += "/"
	u.RawQuery = sign.CanonicalQuery(q) // sorted, RFC 3986: a valid query as it is
	req, err := http.NewRequestWithContext(ctx, method, u.String(), http.NoBody)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("User-Agent", "openecs-client")
	req.Header.Set("x-acs-action", action)
	req.Header.Set("x-acs-version", version)
	if c.SecurityToken != "" {
		req.Header.Set("x-acs-credentials-provider", "static_sts")
		req.Header.Set("x-acs-accesskey-id", c.AccessKeyID)
		req.Header.Set("x-acs-security-token", c.SecurityToken)
	} else {
		req.Header.Set("x-acs-credentials-provider", "static_ak")
	}
	SignV3(req, nil, c.AccessKeyID, c.AccessKeySecret, time.Now(), newNonce())
	return req, nil
}

// SignV3 signs req, whose body is body, with ACS3-HMAC-SHA256: it sets
// x-acs-date (from date), x-acs-signature-nonce and x-acs-content-sha256,
// then an Authorization header over the host and every x-acs-* and
// content-type header the request carries, as the V2.0 SDKs do. The caller
// sets x-acs-action, x-acs-version and any other x-acs-* header first.
func SignV3(req *http.Request, body []byte, keyID, secret string, date time.Time, nonce string) {
	hash := sign.HashPayload(body)
	req.Header.Set("x-acs-date", date.UTC().Format(dateLayout))
	req.Header.Set("x-acs-signature-nonce", nonce)
	req.Header.Set("x-acs-content-sha256", hash)
	req.Header.Del("Authorization")

	signed := []string{"host"}
	for name := range req.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") || n == "content-type" {
			signed = append(signed, n)
		}
	}
	slices.Sort(signed)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	query, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		query = url.Values{} // the server refuses such a query anyway
	}
	r := &sign.Request{Method: req.Method, Path: req.URL.EscapedPath(), Query: query, Host: host, Header: req.Header, PayloadHash: hash}
	a := sign.Authorization{Algorithm: sign.ACS3, Credential: keyID, SignedHeaders: signed,
		Signature: sign.SignV3(secret, sign.StringToSignV3(r.CanonicalRequest(signed)))}
	req.Header.Set("Authorization", a.String())
}
