// Package admin is the admin HTTP API (/admin/v1/…): the emulator's controls
// — accounts and keys, balances, the clock, locks, capacity, faults, images,
// events — as JSON behind a bearer token. Paths, field names and shapes are a
// contract (docs/admin-api.md): every request and answer body is a type of
// package adminapi, which the client decodes too.
package admin

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"slices"
	"strings"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/service"
)

// Handler serves the admin API.
type Handler struct {
	svc     *service.Service
	token   string
	log     *slog.Logger
	actions []string // the API actions a fault rule may name, sorted
	mux     *http.ServeMux
}

// New returns the admin handler. Every call needs "Authorization: Bearer
// <token>". actions are the API actions the server answers (rpc.ActionNames):
// a fault rule must name one of them.
func New(svc *service.Service, token string, log *slog.Logger, actions []string) *Handler {
	if log == nil {
		log = slog.Default()
	}
	h := &Handler{svc: svc, token: token, log: log, actions: slices.Sorted(slices.Values(actions)), mux: http.NewServeMux()}
	h.routes()
	return h
}

// knownAction refuses a fault rule for an action the server does not answer:
// it would never fire.
func (h *Handler) knownAction(action string) error {
	if action == "" || slices.Contains(h.actions, action) {
		return nil // "" is refused by the service with the other required fields
	}
	for _, a := range h.actions {
		if strings.EqualFold(a, action) {
			return badRequest("unknown action %q: did you mean %q? Action names are case-sensitive", action, a)
		}
	}
	return badRequest("unknown action %q: a fault rule names an API action this server answers, one of %s", action, strings.Join(h.actions, ", "))
}

// route registers a JSON endpoint.
func (h *Handler) route(pattern string, f func(r *http.Request) (int, any, error)) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		status, body, err := f(r)
		if err != nil {
			status, body = h.errorBody(err)
		}
		writeJSON(w, status, body)
	})
}

// routes lists every admin call with its handler. To add one: write the
// handler (it decodes the body with decode, calls the service and returns a
// status and a body) and add its line here.
func (h *Handler) routes() {
	// Accounts, keys, money (handlers.go).
	h.route("POST /admin/v1/accounts", h.createAccount)
	h.route("GET /admin/v1/accounts", h.listAccounts)
	h.route("GET /admin/v1/accounts/{id}", h.getAccount)
	h.route("PATCH /admin/v1/accounts/{id}", h.patchAccount)
	h.route("POST /admin/v1/accounts/{id}/balance", h.balance)
	h.route("POST /admin/v1/accounts/{id}/keys", h.createKey)
	h.route("POST /admin/v1/accounts/{id}/sts", h.createSTS)
	h.route("POST /admin/v1/accounts/{id}/bearer-tokens", h.createBearer)
	h.route("GET /admin/v1/accounts/{id}/orders", h.orders)
	h.route("GET /admin/v1/accounts/{id}/charges", h.charges)
	// The clock (handlers.go).
	h.route("GET /admin/v1/clock", h.clock)
	h.route("POST /admin/v1/clock/advance", h.advance)
	// Instances, capacity, faults, events, images (handlers.go).
	h.route("GET /admin/v1/instances/{id}", h.instance)
	h.route("PATCH /admin/v1/instances/{id}", h.patchInstance)
	h.route("POST /admin/v1/instances/{id}/locks", h.addLock)
	h.route("DELETE /admin/v1/instances/{id}/locks/{reason}", h.removeLock)
	h.route("PUT /admin/v1/capacity", h.putCapacity)
	h.route("GET /admin/v1/capacity", h.listCapacity)
	h.route("DELETE /admin/v1/capacity/{zone_id}/{instance_type}", h.deleteCapacity)
	h.route("POST /admin/v1/faults", h.addFault)
	h.route("GET /admin/v1/faults", h.listFaults)
	h.route("DELETE /admin/v1/faults/{id}", h.deleteFault)
	h.route("GET /admin/v1/events", h.events)
	h.route("PUT /admin/v1/images/{image_id}", h.putImage)
	// Quotas, spot prices, disks, KMS keys (controls.go).
	h.route("PUT /admin/v1/quotas", h.putQuota)
	h.route("GET /admin/v1/quotas", h.listQuotas)
	h.route("PUT /admin/v1/spot-prices", h.putSpotPrice)
	h.route("GET /admin/v1/spot-prices", h.listSpotPrices)
	h.route("GET /admin/v1/spot-prices/{zone_id}/{instance_type}", h.spotPriceHistory)
	h.route("GET /admin/v1/disks/{disk_id}", h.getDisk)
	h.route("PATCH /admin/v1/disks/{disk_id}", h.patchDisk)
	h.route("GET /admin/v1/kms-keys", h.listKMSKeys)
	h.route("GET /admin/v1/kms-keys/{key_id}", h.getKMSKey)
	h.route("PUT /admin/v1/kms-keys/{key_id}", h.putKMSKey)
	h.route("DELETE /admin/v1/kms-keys/{key_id}", h.deleteKMSKey)
	// Reserved-instance controls (reserved.go).
	h.route("PUT /admin/v1/sales", h.putSales)
	h.route("GET /admin/v1/sales", h.listSales)
	h.route("GET /admin/v1/reserved-instances/{id}", h.reservedInstance)
	h.route("POST /admin/v1/reserved-instances/{id}/locks", h.addReservedLock)
	h.route("DELETE /admin/v1/reserved-instances/{id}/locks/{reason}", h.removeReservedLock)
	// Bulk seeding (seed.go) and the job queue (jobstats.go).
	h.route("POST /admin/v1/seed", h.seed)
	h.route("GET /admin/v1/debug/jobs", h.jobStats)
	h.mux.HandleFunc("GET /admin/v1/debug/pprof/", pprof.Index)
	h.mux.HandleFunc("GET /admin/v1/debug/pprof/cmdline", pprof.Cmdline)
	h.mux.HandleFunc("GET /admin/v1/debug/pprof/profile", pprof.Profile)
	h.mux.HandleFunc("GET /admin/v1/debug/pprof/symbol", pprof.Symbol)
	h.mux.HandleFunc("GET /admin/v1/debug/pprof/trace", pprof.Trace)
	h.mux.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errBody("no such admin call: "+r.Method+" "+r.URL.Path))
	})
}

// ServeHTTP checks the bearer token and dispatches.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("panic in the admin API", "path", r.URL.Path, "panic", p)
			writeJSON(w, http.StatusInternalServerError, errBody("internal error"))
		}
	}()
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(tok), []byte(h.token)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="openecs-admin"`)
		writeJSON(w, http.StatusUnauthorized, errBody("missing or wrong admin token (Authorization: Bearer <token>)"))
		return
	}
	// pprof pages use the mux's own path-based patterns.
	if strings.HasPrefix(r.URL.Path, "/admin/v1/debug/pprof/") && r.Method == http.MethodGet {
		name := strings.TrimPrefix(r.URL.Path, "/admin/v1/debug/pprof/")
		if name != "" && name != "cmdline" && name != "profile" && name != "symbol" && name != "trace" {
			pprof.Handler(name).ServeHTTP(w, r)
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

func errBody(msg string) adminapi.Error { return adminapi.Error{Message: msg} }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(body) //nolint:errcheck // the client went away
}

// errorBody maps an error to a status and {"error": ...}.
func (h *Handler) errorBody(err error) (int, any) {
	var bad *service.ErrBadRequest
	var je *jsonError
	switch {
	case errors.As(err, &je):
		return http.StatusBadRequest, errBody(je.Error())
	case errors.As(err, &bad):
		return http.StatusBadRequest, errBody(bad.Msg)
	case errors.Is(err, openecs.ErrNotFound):
		return http.StatusNotFound, errBody("not found")
	case errors.Is(err, openecs.ErrUnavailable):
		return http.StatusServiceUnavailable, errBody("the store is unavailable")
	}
	if e, ok := openecs.AsError(err); ok {
		return e.Status, adminapi.Error{Code: e.Code, Message: e.Message}
	}
	h.log.Error("admin call failed", "err", err)
	return http.StatusInternalServerError, errBody("internal error")
}

type jsonError struct{ err error }

func (e *jsonError) Error() string { return "bad JSON body: " + e.err.Error() }
func (e *jsonError) Unwrap() error { return e.err }

var errEmptyBody = errors.New("the body is empty")

// maxBody is the largest request body read.
const maxBody = 1 << 20

// decode reads a JSON body: one value and nothing after it but white space,
// refusing unknown fields so typos are caught.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return &jsonError{errEmptyBody}
		}
		return &jsonError{err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &jsonError{errors.New("data after the JSON value: send one JSON object")}
	}
	return nil
}

// decodeOptional is decode for a body that may be left out: an empty body
// leaves v as it is.
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	if err := decode(r, v); !errors.Is(err, errEmptyBody) {
		return err
	}
	return nil // a body of unknown length that turned out empty
}

func badRequest(format string, args ...any) error {
	return &service.ErrBadRequest{Msg: fmt.Sprintf(format, args...)}
}
