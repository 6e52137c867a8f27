// Package app wires OpenECS together — store, service, scheduler, the RPC
// transport, the admin API, health and metrics — into one HTTP server. The
// `openecs serve` command and the end-to-end tests both use it.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/admin"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/rpc"
	"github.com/openecs/openecs/scheduler"
	"github.com/openecs/openecs/service"
	"github.com/openecs/openecs/sqlite"
	"github.com/openecs/openecs/sqlstore"
)

// Config is everything `openecs serve` can be told.
type Config struct {
	Addr            string        // listen address (127.0.0.1:8686)
	DataDir         string        // where the embedded SQLite database lives (./openecs-data)
	Store           string        // "" (SQLite under DataDir), sqlite:PATH, or a postgres:// URL
	AdminToken      string        // bearer token of the admin API
	TransitionDelay time.Duration // how long Pending/Starting/Stopping last
	OverdueGrace    time.Duration // arrears → suspension delay
	CatalogPath     string        // YAML catalogue replacing the built-in one
	ThrottleRate    float64       // calls per second per AccessKey; 0: off
	ThrottleBurst   int
	// Synchronous is SQLite's synchronous mode (FULL: durable against power
	// loss; NORMAL: against process crashes).
	Synchronous string
	// Postgres pool settings.
	PGMaxConns       int
	PGConnectTimeout time.Duration
	PGQueryTimeout   time.Duration
	// NoBootstrap skips creating the test/test account.
	NoBootstrap bool
	// MaxNonces bounds the signature nonces a single server remembers
	// (0: rpc.DefaultMaxNonces).
	MaxNonces int
	Logger    *slog.Logger
	// Wall is the wall clock (tests may stub it); nil is time.Now.
	Wall func() time.Time

	// TLSCert and TLSKey are PEM files of the certificate the TLS side of
	// the port serves; empty: a self-signed one kept in DataDir/tls (see
	// CertFile).
	TLSCert, TLSKey string
	// ReadTimeout bounds how long a client may take to send one request,
	// headers and body (the headers alone get at most 10 s); IdleTimeout how
	// long a kept-alive connection may wait for its next request. Zero: the
	// defaults (30 s, 120 s).
	ReadTimeout, IdleTimeout time.Duration
	// MaxConnsPerClient caps the connections one remote IP address may
	// hold open at once (0: no cap); one over it is answered 429 and closed.
	MaxConnsPerClient int
}

// Defaults returns the embedded defaults (README, "Run it").
func Defaults() Config {
	return Config{
		Addr:             "127.0.0.1:8686",
		DataDir:          "./openecs-data",
		AdminToken:       "openecs-admin",
		TransitionDelay:  2 * time.Second,
		Synchronous:      "FULL",
		ThrottleBurst:    0,
		PGMaxConns:       16,
		PGConnectTimeout: 5 * time.Second,
		PGQueryTimeout:   5 * time.Second,

		ReadTimeout:       defaultReadTimeout,
		IdleTimeout:       defaultIdleTimeout,
		MaxConnsPerClient: DefaultMaxConnsPerClient,
	}
}

// App is a running (or ready-to-run) OpenECS.
type App struct {
	Cfg       Config
	Store     openecs.Store
	Service   *service.Service
	Worker    *scheduler.Worker
	Bootstrap *openecs.Account // the account created on this first start, if any

	handler  http.Handler
	server   *http.Server
	listener net.Listener
	served   chan error

	lock   *dataLock         // the SQLite database's lock (Open); nil otherwise
	tls    *serverTLS        // the TLS side of the port (Start); nil: plain HTTP only
	serve  *serveListener    // what the server accepts from (Start)
	nonces *rpc.MemoryNonces // a single server's nonces; nil on PostgreSQL
}

// New opens the store, applies migrations, initialises the service (clock,
// billing watermark, bootstrap account) and builds the handler. It does not
// listen yet.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cat := catalog.Builtin()
	if cfg.CatalogPath != "" {
		var err error
		if cat, err = catalog.Load(cfg.CatalogPath); err != nil {
			return nil, err
		}
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	scfg := service.DefaultConfig()
	scfg.TransitionDelay, scfg.OverdueGrace = cfg.TransitionDelay, cfg.OverdueGrace
	if cfg.NoBootstrap {
		scfg.BootstrapKeyID = ""
	}
	svc := service.New(store, cfg.Wall, cat, scfg, cfg.Logger)
	boot, err := svc.Init(ctx)
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("initialising: %w", err)
	}
	a := &App{Cfg: cfg, Store: store, Service: svc, Bootstrap: boot, served: make(chan error, 1)}
	a.Worker = scheduler.New(svc, scheduler.Config{Logger: cfg.Logger})

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var throttle rpc.Throttler
	if cfg.ThrottleRate > 0 {
		throttle = rpc.NewRateLimiter(cfg.ThrottleRate, cfg.ThrottleBurst)
	}
	nonces := store.Nonces() // shared by the replicas on PostgreSQL
	if nonces == nil {
		// A single server: nonces in memory, each key's latest signing time
		// in the store so that nothing answered before a restart can be
		// replayed after it.
		mem, err := rpc.NewMemoryNonces(ctx, cfg.MaxNonces, svc, cfg.Wall)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("loading the nonce floors: %w", err)
		}
		nonces = mem
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", admin.New(svc, cfg.AdminToken, cfg.Logger, rpc.ActionNames()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok\n")) //nolint:errcheck
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain")
		if mem, ok := nonces.(*rpc.MemoryNonces); ok && !mem.Ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "starting: requests signed before the restart are still being told apart from new ones")
			return
		}
		if err := store.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "store unavailable: %v\n", err)
			return
		}
		w.Write([]byte("ready\n")) //nolint:errcheck
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("/", rpc.New(svc, rpc.Options{Logger: cfg.Logger, Metrics: rpc.NewMetrics(reg, svc), Throttle: throttle, Nonces: nonces}))
	a.nonces, _ = nonces.(*rpc.MemoryNonces)
	a.handler = mux
	return a, nil
}

// openStore opens the store --store names: SQLite under --data by default,
// sqlite:PATH, or a postgres:// URL (any number of replicas may serve from
// one PostgreSQL database).
func openStore(ctx context.Context, cfg Config) (*sqlstore.Store, error) {
	s := cfg.Store
	switch {
	case s == "":
		return sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(cfg.DataDir, "openecs.db"), Synchronous: cfg.Synchronous, Wall: cfg.Wall, Logger: cfg.Logger})
	case strings.HasPrefix(s, "sqlite:"):
		return sqlite.Open(ctx, sqlite.Options{Path: strings.TrimPrefix(strings.TrimPrefix(s, "sqlite:"), "//"), Synchronous: cfg.Synchronous, Wall: cfg.Wall, Logger: cfg.Logger})
	case strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://"):
		return postgres.Open(ctx, postgres.Options{URL: s, MaxConns: cfg.PGMaxConns, ConnectTimeout: cfg.PGConnectTimeout,
			QueryTimeout: cfg.PGQueryTimeout, Wall: cfg.Wall, Logger: cfg.Logger})
	}
	return nil, fmt.Errorf("--store %q: use a postgres:// URL, sqlite:PATH, or nothing for SQLite under --data", s)
}

// Handler is the whole HTTP handler (RPC at /, admin, health, metrics).
func (a *App) Handler() http.Handler { return a.handler }

// Listen binds the address (use "127.0.0.1:0" for a free port).
func (a *App) Listen() error {
	ln, err := Bind(a.Cfg.Addr)
	if err != nil {
		return err
	}
	a.listener = ln
	return nil
}

// Addr is the bound address (it may be a wildcard such as [::]:8686).
func (a *App) Addr() string { return a.listener.Addr().String() }

// ClientAddr is the address a client on this machine dials: Addr, with
// 127.0.0.1 for a wildcard host.
func (a *App) ClientAddr() string { return dialable(a.listener.Addr()) }

// Endpoint is the base URL, plain HTTP, at ClientAddr.
func (a *App) Endpoint() string { return "http://" + a.ClientAddr() }

// TLSEndpoint is the base URL over TLS (the same port); "" before Start or
// without TLS.
func (a *App) TLSEndpoint() string {
	if a.tls == nil {
		return ""
	}
	return "https://" + a.ClientAddr()
}

// CertFile is the PEM certificate a TLS client must trust to reach this
// server (Go clients: SSL_CERT_FILE=<it>): Config.TLSCert, or the
// self-signed one in DataDir/tls. It is "" before Start, without TLS, or
// when the certificate could not be saved.
func (a *App) CertFile() string {
	if a.tls == nil {
		return ""
	}
	return a.tls.certFile
}

// CertMade reports whether Start made the self-signed certificate (on a
// first start, or because the old one lacked a name or was expiring).
func (a *App) CertMade() bool { return a.tls != nil && a.tls.made }

// Start listens (if neither Open nor Listen did), sets up TLS, serves in the
// background, and starts the scheduler.
func (a *App) Start() error {
	if a.listener == nil {
		if err := a.Listen(); err != nil {
			return err
		}
	}
	// Right after a restart within a second of the last request, wait for
	// that second to pass (at most a second): see rpc.MemoryNonces.
	if a.nonces != nil {
		time.Sleep(a.nonces.UntilReady())
	}
	st, err := loadTLS(a.Cfg, a.listener.Addr())
	if err != nil {
		return err
	}
	a.tls = st
	var tlsCfg *tls.Config
	if st != nil {
		tlsCfg = st.config
	}
	readTimeout, idleTimeout := a.Cfg.ReadTimeout, a.Cfg.IdleTimeout
	if readTimeout <= 0 {
		readTimeout = defaultReadTimeout
	}
	if idleTimeout <= 0 {
		idleTimeout = defaultIdleTimeout
	}
	a.serve = newServeListener(a.listener, tlsCfg, a.Cfg.MaxConnsPerClient, a.Cfg.Logger)
	a.server = &http.Server{Handler: a.handler,
		ReadHeaderTimeout: min(maxHeaderTimeout, readTimeout), ReadTimeout: readTimeout, IdleTimeout: idleTimeout,
		ErrorLog: slog.NewLogLogger(a.Cfg.Logger.Handler(), slog.LevelWarn)}
	a.Worker.Start()
	go func() { a.served <- a.server.Serve(a.serve) }()
	return nil
}

// Served reports the server's exit (nil after a clean Shutdown).
func (a *App) Served() <-chan error { return a.served }

// Shutdown stops accepting calls, lets in-flight calls finish (until ctx
// ends), stops the scheduler and closes the store.
func (a *App) Shutdown(ctx context.Context) error {
	var err error
	if a.server != nil {
		err = a.server.Shutdown(ctx)
	} else if a.listener != nil {
		a.listener.Close() // bound (Open, Listen) but never served
	}
	a.Worker.Stop()
	err = errors.Join(err, a.Store.Close())
	if a.serve != nil {
		a.Cfg.Logger.Debug("connections", "most from one client at once", a.serve.peakPerClient())
	}
	return errors.Join(err, a.lock.release())
}
