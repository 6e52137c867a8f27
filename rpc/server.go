// Package rpc is the ECS RPC transport: it decodes a request (query and form
// body merged), authenticates it (signature v1.0 HMAC-SHA1 or V3
// ACS3-HMAC-SHA256, timestamp window, nonce replay, STS and bearer tokens,
// RAM allow-lists), dispatches the action to the
// service and encodes the answer as JSON (default) or XML, with the exact wire
// names the official SDKs expect.
package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// maxBody bounds a form body.
const maxBody = 1 << 20

// TimestampWindow is how far a request's Timestamp may be from the wall clock.
const TimestampWindow = openecs.TimestampWindow

// Options configures the transport.
type Options struct {
	Logger *slog.Logger
	// Nonces remembers SignatureNonces for the timestamp window. Nil: an
	// in-process store that forgets them on a restart (tests). A server
	// passes a MemoryNonces with the service as its FloorStore on SQLite;
	// replicas share the database's on PostgreSQL.
	Nonces openecs.NonceStore
	// Metrics records requests; nil disables metrics.
	Metrics *Metrics
	// Throttle limits calls per AccessKey; nil: no limit.
	Throttle Throttler
	// KeyCacheTTL bounds how long an AccessKey is cached (default 2s).
	KeyCacheTTL time.Duration
}

// Throttler decides whether a key may make one more call now.
type Throttler interface {
	Allow(keyID string, now time.Time) bool
}

// Server is the RPC handler.
type Server struct {
	svc      *service.Service
	actions  actionSet
	log      *slog.Logger
	nonces   openecs.NonceStore
	metrics  *Metrics
	throttle Throttler
	keys     *keyCache
}

// New returns the RPC handler for svc.
func New(svc *service.Service, o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Nonces == nil {
		// Nothing to load without a FloorStore, so this cannot fail.
		o.Nonces, _ = NewMemoryNonces(context.Background(), 0, nil, svc.Wall)
	}
	if o.KeyCacheTTL <= 0 {
		o.KeyCacheTTL = 2 * time.Second
	}
	return &Server{svc: svc, actions: newActionSet(actionTable()), log: o.Logger, nonces: o.Nonces, metrics: o.Metrics, throttle: o.Throttle,
		keys: newKeyCache(svc, o.KeyCacheTTL)}
}

// Call is one decoded, authenticated API call.
type Call struct {
	Ctx    context.Context
	Action string
	P      *Params
	Caller service.Caller
	XML    bool
	srv    *Server
}

// Svc is the service.
func (c *Call) Svc() *service.Service { return c.srv.svc }

// Region returns the request's RegionId.
func (c *Call) Region() string { return c.P.Str("RegionId") }

// handler answers one action; it returns a response struct (with its
// RequestId field left empty: the transport fills it) or an error.
type handler func(c *Call) (any, error)

// ServeHTTP implements http.Handler for "/".
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := openecs.NewRequestID()
	action, version, code, asXML, httpStatus := "", "", "200", false, http.StatusOK
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic serving an RPC call", "request_id", reqID, "action", action, "panic", p, "stack", string(debug.Stack()))
			code, httpStatus = openecs.ErrInternal.Code, openecs.ErrInternal.Status
			s.writeError(w, reqID, version, openecs.ErrInternal, asXML)
		}
		if s.metrics != nil {
			s.metrics.observe(s.actions.known(action), action, code, time.Since(start))
		}
		// One line per call at debug level (serve --log-level debug): what a
		// client such as the Terraform provider asked and what it was told.
		if s.log.Enabled(r.Context(), slog.LevelDebug) {
			s.log.Debug("rpc", "request_id", reqID, "method", r.Method, "action", action, "version", version,
				"status", httpStatus, "code", code, "ms", time.Since(start).Milliseconds())
		}
	}()
	body, status, err := s.serve(r, reqID, &action, &version, &asXML)
	if err != nil {
		e := s.toAPIError(err, reqID, action)
		code, httpStatus = e.Code, e.Status
		s.writeError(w, reqID, version, e, asXML)
		return
	}
	httpStatus = status
	writeBody(w, status, body, asXML)
}

// serve runs the pipeline and returns the encoded success body or an error.
func (s *Server) serve(r *http.Request, reqID string, action, version *string, asXML *bool) ([]byte, int, error) {
	if r.URL.Path != "/" {
		return nil, 0, openecs.ErrActionNotFound
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, 0, openecs.ErrUnsupportedHTTPMethod
	}
	vals, v3, err := readRequest(r)
	if err != nil {
		return nil, 0, err
	}
	*asXML = strings.EqualFold(vals.Get("Format"), "XML")
	*action = vals.Get("Action")
	p := NewParams(vals)
	key, err := s.authenticateRequest(r, vals, v3)
	if err != nil {
		return nil, 0, err
	}
	v := vals.Get("Version")
	*version = v
	if v == "" {
		return nil, 0, openecs.Missing("Version")
	}
	api, ok := s.actions[v]
	if !ok {
		return nil, 0, openecs.ErrInvalidVersion
	}
	if *action == "" {
		return nil, 0, openecs.Missing("Action")
	}
	h, ok := api[*action]
	if !ok {
		return nil, 0, openecs.ErrActionNotFound
	}
	if !key.Allows(*action) && !key.Allows(canonicalAction(*action)) {
		return nil, 0, openecs.ErrForbiddenRAM
	}
	now := s.svc.Wall()
	if s.throttle != nil && !s.throttle.Allow(key.ID, now) {
		return nil, 0, openecs.ErrThrottling
	}
	call := &Call{Ctx: r.Context(), Action: *action, P: p, XML: *asXML, srv: s,
		Caller: service.Caller{AccountID: key.AccountID, KeyID: key.ID, Action: *action, RequestID: reqID}}
	if err := s.injectFault(call); err != nil {
		return nil, 0, err
	}
	resp, err := h(call)
	if err != nil {
		return nil, 0, err
	}
	setRequestID(resp, reqID)
	b, err := encodeBody(resp, *asXML, *action+"Response")
	if err != nil {
		return nil, 0, fmt.Errorf("encoding %s: %w", *action, err)
	}
	return b, http.StatusOK, nil
}

// canonicalAction folds ReactivateInstances into ReActivateInstances for
// RAM allow-lists.
func canonicalAction(a string) string {
	if a == "ReactivateInstances" {
		return "ReActivateInstances"
	}
	return a
}

// readParams merges the query with a form body, whatever the method (the
// SDK's CommonRequest sends a form body even with GET). A parameter given
// twice is refused rather than guessed at.
func readParams(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, openecs.ErrInvalidParameter.With("The request query string is malformed: %v.", err)
	}
	if r.Body != nil && r.ContentLength != 0 {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "" || ct == "application/x-www-form-urlencoded" {
			b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
			if err != nil {
				return nil, openecs.ErrInvalidParameter.With("The request body could not be read.")
			}
			if len(b) > maxBody {
				return nil, openecs.ErrInvalidParameter.With("The request body is larger than %d bytes.", maxBody)
			}
			form, err := url.ParseQuery(string(b))
			if err != nil {
				return nil, openecs.ErrInvalidParameter.With("The request body is not a valid form: %v.", err)
			}
			for k, vs := range form {
				q[k] = append(q[k], vs...)
			}
		}
	}
	for k, vs := range q {
		if len(vs) > 1 {
			return nil, openecs.ErrInvalidParameter.With("The parameter %q is given more than once.", k)
		}
		if k == "" {
			delete(q, k)
		}
	}
	return q, nil
}

// toAPIError maps any error to the *openecs.Error the client sees. Store
// unavailability is ServiceUnavailable; anything unexpected is logged and
// answered InternalError without detail.
func (s *Server) toAPIError(err error, reqID, action string) *openecs.Error {
	if e, ok := openecs.AsError(err); ok {
		return e
	}
	switch {
	case errors.Is(err, openecs.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("store unavailable", "request_id", reqID, "action", action, "err", err)
		return openecs.ErrServiceUnavailable
	case errors.Is(err, openecs.ErrConflict):
		return openecs.ErrOperationConflict
	case errors.Is(err, context.Canceled):
		return openecs.ErrServiceUnavailable
	}
	s.log.Error("internal error", "request_id", reqID, "action", action, "err", err)
	return openecs.ErrInternal
}

// writeError writes an error body; its HostId and the product named in
// Recommend are those of the API the request named (ECS unless VPC).
func (s *Server) writeError(w http.ResponseWriter, reqID, version string, e *openecs.Error, asXML bool) {
	host, product := "ecs.aliyuncs.com", "Ecs"
	if version == VPCVersion {
		host, product = "vpc.aliyuncs.com", "Vpc"
	}
	body := errorBody{RequestID: reqID, HostID: host, Code: e.Code, Message: e.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.Code) + "&product=" + product + "&requestId=" + reqID}
	b, err := encodeBody(body, asXML, "")
	if err != nil {
		b = []byte(`{"Code":"InternalError"}`)
	}
	writeBody(w, e.Status, b, asXML)
}

// injectFault answers an injected fault for this call, if a rule matches.
func (s *Server) injectFault(c *Call) error {
	f, err := s.svc.InjectedFault(c.Ctx, c.Action, c.Caller.AccountID)
	if err != nil || f == nil {
		return err
	}
	if f.LatencyMS > 0 {
		select {
		case <-time.After(time.Duration(f.LatencyMS) * time.Millisecond):
		case <-c.Ctx.Done():
			return c.Ctx.Err()
		}
	}
	return faultError(c.Action, f)
}

// faultError builds the error a fault rule answers: the status and message the
// action's seed page gives the code — the variant whose message the rule
// repeats, if the page lists several — else the common table's, else the
// rule's http_status (default 500).
func faultError(action string, f *openecs.Fault) *openecs.Error {
	e := openecs.LookupError(action, f.Code)
	for _, v := range openecs.SeedErrors[action] {
		if v.Code == f.Code && f.Message != "" && v.Message == f.Message {
			e = v
		}
	}
	if e == nil {
		e = &openecs.Error{Status: 500, Code: f.Code, Message: "The request has failed due to an injected fault."}
	}
	out := *e
	if f.HTTPStatus != 0 {
		out.Status = f.HTTPStatus
	}
	if f.Message != "" {
		out.Message = f.Message
	}
	return &out
}
