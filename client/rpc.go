// Package client talks to an OpenECS server: RPC is a signed ECS API client
// that sends requests the way the official Go SDK does, and Admin drives the
// admin API.
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openecs/openecs/sign"
)

// DefaultEndpoint is where `openecs serve` listens unless told otherwise.
const DefaultEndpoint = "http://127.0.0.1:8686"

// APIVersion is the ECS API version every call is made with.
const APIVersion = "2014-05-26"

// timestampLayout is the SDK's Timestamp format: UTC, seconds, no fraction.
const timestampLayout = "2006-01-02T15:04:05Z"

// maxBody bounds how much of a response is read.
const maxBody = 64 << 20

// defaultHTTP is the client used when none is given. It never follows
// redirects: the caller sees the 3xx itself.
var defaultHTTP = &http.Client{
	Timeout: 5 * time.Minute,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// RPC is a client for the ECS RPC API signed with signature version 1.0
// (or, with Signature set to SignatureV3, ACS3-HMAC-SHA256 as the V2.0 SDKs
// sign). The zero value (apart from the keys) talks to DefaultEndpoint with
// POST and JSON, like the SDK's typed requests.
type RPC struct {
	Endpoint        string // e.g. http://127.0.0.1:8686; a bare host:port means http
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string // STS credentials: sent as SecurityToken and signed
	RegionID        string // RegionId when the call's params have none
	HTTP            *http.Client
	Method          string // POST (the default) or GET
	Format          string // JSON (the default) or XML
	Signature       string // SignatureV1 (the default) or SignatureV3
}

// Response is the answer to a call. For any status it holds the raw body and
// whatever of RequestId, Code, Message, HostId and Recommend it carries.
type Response struct {
	Status    int
	Body      []byte
	RequestID string
	Code      string
	Message   string
	HostID    string
	Recommend string
}

// APIError is a call answered with a status other than 2xx.
type APIError struct {
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status)
	if e.Code == "" {
		msg = fmt.Sprintf("HTTP %d", e.Status)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " [RequestId " + e.RequestID + "]"
	}
	return msg
}

// Err returns an *APIError for a status other than 2xx, nil otherwise.
func (r *Response) Err() error {
	if r.Status >= 200 && r.Status < 300 {
		return nil
	}
	return &APIError{Status: r.Status, Code: r.Code, Message: r.Message, RequestID: r.RequestID}
}

// baseURL turns an endpoint into a URL with a scheme and the root path.
func baseURL(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	if !strings.Contains(endpoint, "://") {
		endpoint = "http://" + endpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %w", endpoint, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: the scheme must be http or https", endpoint)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("endpoint %q has no host", endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func newNonce() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand.Read crashes the program instead)
	return hex.EncodeToString(b[:])
}

// BuildRequest returns the signed request for one call, built as the SDK
// builds it: the common parameters (Action, Version, Format, AccessKeyId,
// SignatureMethod, SignatureVersion, an empty SignatureType, a fresh
// SignatureNonce, the current UTC Timestamp, RegionId, and SecurityToken for
// STS keys) plus params, all in the URL query, then Signature. With POST the
// body is empty.
//
// A value in params wins over the common parameter of the same name, so a
// test can send a stale Timestamp, a reused SignatureNonce or another
// product's Version; Signature is always computed.
//
// With Signature set to SignatureV3 the request is the V2.0 SDKs' instead
// (see buildV3 in acs3.go): no common parameters, x-acs-* headers and an
// ACS3-HMAC-SHA256 Authorization header.
func (c *RPC) BuildRequest(ctx context.Context, action string, params map[string]string) (*http.Request, error) {
	if action == "" {
		return nil, errors.New("client: no action")
	}
	method := strings.ToUpper(c.Method)
	switch method {
	case "":
		method = http.MethodPost
	case http.MethodPost, http.MethodGet:
	default:
		return nil, fmt.Errorf("client: method %q: use POST or GET", c.Method)
	}
	format := strings.ToUpper(c.Format)
	switch format {
	case "":
		format = "JSON"
	case "JSON", "XML":
	default:
		return nil, fmt.Errorf("client: format %q: use JSON or XML", c.Format)
	}
	u, err := baseURL(c.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	scheme, err := c.scheme()
	if err != nil {
		return nil, err
	}
	if scheme == SignatureV3 {
		return c.buildV3(ctx, method, u, action, format, params)
	}

	v := make(url.Values, len(params)+12)
	v.Set("Action", action)
	v.Set("Version", APIVersion)
	v.Set("Format", format)
	v.Set("AccessKeyId", c.AccessKeyID)
	v.Set("SignatureMethod", "HMAC-SHA1")
	v.Set("SignatureVersion", "1.0")
	v.Set("SignatureType", "")
	v.Set("SignatureNonce", newNonce())
	v.Set("Timestamp", time.Now().UTC().Format(timestampLayout))
	v.Set("RegionId", c.RegionID)
	if c.SecurityToken != "" {
		v.Set("SecurityToken", c.SecurityToken)
	}
	for k, val := range params {
		v.Set(k, val)
	}
	v.Del("Signature")
	v.Set("Signature", sign.Signature(c.AccessKeySecret, method, v))

	u.Path += "/"
	u.RawQuery = v.Encode()
	var body io.Reader
	if method == http.MethodPost {
		body = http.NoBody
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// Set explicitly, so the transport neither asks for gzip nor unpacks it.
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Set("x-acs-action", v.Get("Action"))
	req.Header.Set("x-acs-version", v.Get("Version"))
	req.Header.Set("User-Agent", "openecs-client")
	return req, nil
}

// Call makes one signed call. An answer with any HTTP status is returned as
// a Response (use its Err method); the error is for requests that could not
// be made or read.
func (c *RPC) Call(ctx context.Context, action string, params map[string]string) (*Response, error) {
	req, err := c.BuildRequest(ctx, action, params)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = defaultHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("client: reading the answer to %s: %w", action, err)
	}
	return NewResponse(resp.StatusCode, body), nil
}

// NewResponse parses an answer. For a 2xx status it reads RequestId; for any
// other it also reads Code, Message, HostId and Recommend. Bodies may be JSON
// or XML (the root's children). A non-2xx body that is neither keeps the raw
// text as Message, as the SDK does.
func NewResponse(status int, body []byte) *Response {
	r := &Response{Status: status, Body: body}
	fields := topLevelStrings(body)
	r.RequestID = fields["RequestId"]
	if status >= 200 && status < 300 {
		return r
	}
	if fields == nil {
		r.Message = strings.TrimSpace(string(body))
		return r
	}
	r.Code = fields["Code"]
	r.Message = fields["Message"]
	r.HostID = fields["HostId"]
	r.Recommend = fields["Recommend"]
	return r
}

// topLevelStrings returns the top-level scalar fields of a JSON object or of
// an XML document's root element, as text; nil if the body is neither. A
// JSON field that is not a string (which the SDK itself would choke on) is
// kept as its JSON text.
func topLevelStrings(body []byte) map[string]string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return nil
	}
	if b[0] == '{' {
		var raw map[string]json.RawMessage
		if json.Unmarshal(b, &raw) != nil {
			return nil
		}
		out := make(map[string]string, len(raw))
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
		return out
	}
	if b[0] == '<' {
		var doc struct {
			Fields []struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			} `xml:",any"`
		}
		if xml.Unmarshal(b, &doc) != nil {
			return nil
		}
		out := make(map[string]string, len(doc.Fields))
		for _, f := range doc.Fields {
			out[f.XMLName.Local] = strings.TrimSpace(f.Text)
		}
		return out
	}
	return nil
}
