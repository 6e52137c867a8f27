package rpc

// Signature V3 (ACS3-HMAC-SHA256) and the V2.0 SDKs' bearer-token header.
// A request is a V3 request when it carries an "Authorization: ACS3-…"
// header or an x-acs-bearer-token header; every other request is a
// signature v1.0 request and goes through readParams and authenticate as
// before. After authentication both schemes share the rest of the pipeline
// (Version, action table, allow-list, throttling, faults, handlers).
// docs/signature-v3.md describes the wire form and the rules.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/sign"
)

// v3SignedHeaders must be among a V3 request's signed headers.
var v3SignedHeaders = []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}

// v3Request is what the V3 path keeps between decoding and authentication.
type v3Request struct {
	r           *http.Request
	auth        *sign.Authorization // nil for the bearer-header form
	authErr     error               // why the Authorization header did not parse
	bearer      string              // x-acs-bearer-token, when there is no Authorization
	payloadHash string              // hex SHA-256 of the raw body
	query       url.Values          // the query alone, decoded: what the signature covers
}

// readRequest decodes a request's parameters and recognises its scheme:
// v3 is nil for a signature v1.0 request.
func readRequest(r *http.Request) (url.Values, *v3Request, error) {
	authz := r.Header.Get("Authorization")
	bearer := r.Header.Get("X-Acs-Bearer-Token")
	if !sign.IsACS3(authz) && bearer == "" {
		vals, err := readParams(r)
		return vals, nil, err
	}
	v := &v3Request{r: r}
	if sign.IsACS3(authz) {
		v.auth, v.authErr = sign.ParseAuthorization(authz)
	} else {
		v.bearer = bearer
	}
	vals, query, hash, err := readV3Params(r)
	if err != nil {
		return nil, nil, err
	}
	v.payloadHash, v.query = hash, query
	// The action and version travel in headers; a query or body parameter
	// of the same name must agree with them.
	for _, h := range [...]struct{ header, param string }{{"X-Acs-Action", "Action"}, {"X-Acs-Version", "Version"}} {
		hv := strings.TrimSpace(r.Header.Get(h.header))
		if hv == "" {
			continue
		}
		if pv, ok := vals[h.param]; ok && (len(pv) != 1 || pv[0] != hv) {
			return nil, nil, openecs.ErrInvalidParameter.With("The parameter %q differs from the header %s.", h.param, strings.ToLower(h.header))
		}
		vals[h.param] = []string{hv}
	}
	return vals, v, nil
}

// readV3Params reads the query (form rules: '+' is a space) and the body,
// and returns the parameters, the query's alone and the hex SHA-256 of the
// raw body. A form
// body (or a body without a Content-Type) adds its parameters; a JSON body
// adds its members flattened into the names the handlers read (lists as
// Name.1, Name.2, objects as Name.Member); other bodies are hashed and
// otherwise ignored. A name given twice is refused.
func readV3Params(r *http.Request) (params, query url.Values, hash string, err error) {
	query, err = url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, nil, "", openecs.ErrInvalidParameter.With("The request query string is malformed: %v.", err)
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return nil, nil, "", openecs.ErrInvalidParameter.With("The request body could not be read.")
		}
		if len(body) > maxBody {
			return nil, nil, "", openecs.ErrInvalidParameter.With("The request body is larger than %d bytes.", maxBody)
		}
	}
	hash = sign.EmptyPayloadHash
	params = maps.Clone(query) // the action and version are added to params, never to query
	if len(body) > 0 {
		hash = sign.HashPayload(body)
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		var extra url.Values
		switch ct {
		case "", "application/x-www-form-urlencoded":
			if extra, err = url.ParseQuery(string(body)); err != nil {
				return nil, nil, "", openecs.ErrInvalidParameter.With("The request body is not a valid form: %v.", err)
			}
		case "application/json":
			if extra, err = flattenJSON(body); err != nil {
				return nil, nil, "", err
			}
		}
		params = make(url.Values, len(query)+len(extra))
		for k, vs := range query {
			params[k] = slices.Clone(vs)
		}
		for k, vs := range extra {
			params[k] = append(params[k], vs...)
		}
	}
	for k, vs := range params {
		if len(vs) > 1 {
			return nil, nil, "", openecs.ErrInvalidParameter.With("The parameter %q is given more than once.", k)
		}
	}
	delete(params, "")
	return params, query, hash, nil
}

// flattenJSON turns a JSON object into parameters: strings as they are,
// numbers as written, true/false, null left out, array elements as
// Name.1, Name.2 …, object members as Name.Member.
func flattenJSON(b []byte) (url.Values, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, openecs.ErrInvalidParameter.With("The request body is not valid JSON: %v.", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, openecs.ErrInvalidParameter.With("The request body holds more than one JSON value.")
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, openecs.ErrInvalidParameter.With("The JSON request body must be an object.")
	}
	out := url.Values{}
	for k, v := range obj {
		flattenValue(out, k, v)
	}
	return out, nil
}

func flattenValue(out url.Values, name string, v any) {
	switch x := v.(type) {
	case string:
		out.Add(name, x)
	case json.Number:
		out.Add(name, x.String())
	case bool:
		out.Add(name, strconv.FormatBool(x))
	case []any:
		for i, e := range x {
			flattenValue(out, name+"."+strconv.Itoa(i+1), e)
		}
	case map[string]any:
		for k, e := range x {
			flattenValue(out, name+"."+k, e)
		}
	}
}

// authenticateRequest authenticates a request by its scheme.
func (s *Server) authenticateRequest(r *http.Request, vals url.Values, v3 *v3Request) (*openecs.AccessKey, error) {
	if v3 == nil {
		return s.authenticate(r.Context(), r.Method, vals)
	}
	if v3.auth == nil && v3.authErr == nil {
		return s.authenticateBearerHeader(r.Context(), v3)
	}
	return s.authenticateV3(r.Context(), v3)
}

// incomplete is IncompleteSignature with the reason.
func incomplete(format string, a ...any) *openecs.Error {
	return openecs.ErrIncompleteSignature.With("The request signature does not conform to Aliyun standards: "+format+".", a...)
}

// v3Header returns a header's value with surrounding white space trimmed.
func v3Header(r *http.Request, name string) string { return strings.TrimSpace(r.Header.Get(name)) }

// timeWindow is a request's checked date and the wall clock it was checked
// against.
type timeWindow struct{ at, wall time.Time }

// checkV3Time checks x-acs-date against the wall clock, with the errors a
// v1.0 Timestamp gets, and returns it.
func (s *Server) checkV3Time(r *http.Request) (ts timeWindow, err error) {
	date := v3Header(r, "X-Acs-Date")
	t, ok := parseTimestamp(date)
	if !ok {
		return ts, timestampError("the header \"x-acs-date\"", date)
	}
	wall := s.svc.Wall()
	if d := wall.Sub(t); d > TimestampWindow || d < -TimestampWindow {
		return ts, openecs.ErrTimestampExpired
	}
	return timeWindow{at: t, wall: wall}, nil
}

// spendNonce records the AccessKey's nonce in the store v1.0 uses, with the
// same key, so a nonce spent under either scheme is spent.
func (s *Server) spendNonce(ctx context.Context, keyID, nonce string, tw timeWindow) error {
	fresh, err := s.nonces.Use(ctx, keyID, nonce, tw.at)
	if err != nil {
		return err
	}
	if !fresh {
		return openecs.ErrSignatureNonceUsed
	}
	return nil
}

// authenticateV3 checks an ACS3-HMAC-SHA256 request: the header's form, the
// signed-header policy, the date window, the key (and STS token), the body
// hash, the signature and the nonce, in that order.
func (s *Server) authenticateV3(ctx context.Context, v *v3Request) (*openecs.AccessKey, error) {
	if v.authErr != nil {
		msg := v.authErr.Error()
		return nil, incomplete("%s", strings.TrimPrefix(msg, sign.ErrAuthorization.Error()+": "))
	}
	a, r := v.auth, v.r
	for _, h := range v3SignedHeaders {
		if !a.Signs(h) {
			return nil, incomplete("the header %s must be signed", h)
		}
	}
	for name, vs := range r.Header {
		acs := len(name) >= 6 && strings.EqualFold(name[:6], "x-acs-") || strings.EqualFold(name, "content-type")
		if acs && !a.Signs(name) {
			return nil, incomplete("the header %s is present but not signed", strings.ToLower(name))
		}
		if len(vs) > 1 && a.Signs(name) {
			return nil, incomplete("the signed header %s is given more than once", strings.ToLower(name))
		}
	}
	tw, err := s.checkV3Time(r)
	if err != nil {
		return nil, err
	}
	nonce := v3Header(r, "X-Acs-Signature-Nonce")
	if nonce == "" {
		return nil, openecs.Missing("x-acs-signature-nonce")
	}
	keyID := a.Credential
	if id := v3Header(r, "X-Acs-Accesskey-Id"); id != "" && id != keyID {
		return nil, incomplete("the header x-acs-accesskey-id differs from the Credential")
	}
	if strings.HasPrefix(keyID, openecs.BearerKeyPrefix) { // not an AccessKey id
		return nil, openecs.ErrAccessKeyNotFound
	}
	key, err := s.keys.get(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if key.SecurityToken != "" {
		tok := v3Header(r, "X-Acs-Security-Token")
		if tok == "" {
			return nil, openecs.Missing("x-acs-security-token")
		}
		if tok != key.SecurityToken {
			return nil, openecs.ErrSecurityTokenInvalid
		}
		if !key.ExpiresAt.IsZero() && tw.wall.After(key.ExpiresAt) {
			return nil, openecs.ErrSecurityTokenExpired
		}
	}
	if got := v3Header(r, "X-Acs-Content-Sha256"); got != v.payloadHash {
		return nil, openecs.ErrSignatureDoesNotMatch.With("The header x-acs-content-sha256 is not the SHA-256 of the request body; the server computed %s.", v.payloadHash)
	}
	req := &sign.Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: v.query, Host: r.Host, Header: r.Header, PayloadHash: v.payloadHash}
	canonical := req.CanonicalRequest(a.SignedHeaders)
	sts := sign.StringToSignV3(canonical)
	if !sign.VerifyV3(key.Secret, sts, a.Signature) {
		return nil, openecs.ErrSignatureDoesNotMatch.With("Specified signature is not matched with our calculation. server string to sign is:%s canonical request is:%s", sts, canonical)
	}
	if err := s.spendNonce(ctx, keyID, nonce, tw); err != nil {
		return nil, err
	}
	return key, nil
}

// authenticateBearerHeader checks the V2.0 SDKs' bearer form: the token in
// x-acs-bearer-token and nothing signed. The date window, the nonce and, when
// the header is sent, the body hash are checked as for a signed request; the
// token names the credential, stored as the key "bearer:<token>".
func (s *Server) authenticateBearerHeader(ctx context.Context, v *v3Request) (*openecs.AccessKey, error) {
	r := v.r
	if t := r.URL.Query().Get("SignatureType"); t != "" && t != "BEARERTOKEN" {
		return nil, openecs.ErrInvalidParamaterSig.With("The specified parameter SignatureType is not valid: with x-acs-bearer-token it must be BEARERTOKEN.")
	}
	tw, err := s.checkV3Time(r)
	if err != nil {
		return nil, err
	}
	nonce := v3Header(r, "X-Acs-Signature-Nonce")
	if nonce == "" {
		return nil, openecs.Missing("x-acs-signature-nonce")
	}
	keyID := openecs.BearerKeyPrefix + strings.TrimSpace(v.bearer)
	key, err := s.keys.get(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if !key.ExpiresAt.IsZero() && tw.wall.After(key.ExpiresAt) {
		return nil, openecs.ErrBearerTokenExpired
	}
	if got := v3Header(r, "X-Acs-Content-Sha256"); got != "" && got != v.payloadHash {
		return nil, openecs.ErrSignatureDoesNotMatch.With("The header x-acs-content-sha256 is not the SHA-256 of the request body; the server computed %s.", v.payloadHash)
	}
	if err := s.spendNonce(ctx, keyID, nonce, tw); err != nil {
		return nil, err
	}
	return key, nil
}
