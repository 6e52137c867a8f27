package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/app"
	"github.com/openecs/openecs/client"
)

// serveFlags binds every serve flag to its OPENECS_* variable.
type serveFlags struct {
	fs   *flag.FlagSet
	errs []string
}

func (f *serveFlags) env(name string) (string, bool) { return os.LookupEnv("OPENECS_" + name) }

func (f *serveFlags) str(p *string, name, env, def, help string) {
	if v, ok := f.env(env); ok {
		def = v
	}
	f.fs.StringVar(p, name, def, help+" (OPENECS_"+env+")")
}

func (f *serveFlags) dur(p *time.Duration, name, env string, def time.Duration, help string) {
	if v, ok := f.env(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("OPENECS_%s=%q: %v", env, v, err))
		} else {
			def = d
		}
	}
	f.fs.DurationVar(p, name, def, help+" (OPENECS_"+env+")")
}

func (f *serveFlags) num(p *int, name, env string, def int, help string) {
	if v, ok := f.env(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("OPENECS_%s=%q: not an integer", env, v))
		} else {
			def = n
		}
	}
	f.fs.IntVar(p, name, def, help+" (OPENECS_"+env+")")
}

func (f *serveFlags) boolean(p *bool, name, env string, def bool, help string) {
	if v, ok := f.env(env); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("OPENECS_%s=%q: not true or false", env, v))
		} else {
			def = b
		}
	}
	f.fs.BoolVar(p, name, def, help+" (OPENECS_"+env+")")
}

// given reports whether a flag was set on the command line or through its
// OPENECS_* variable.
func (f *serveFlags) given(name, env string) bool {
	if _, ok := f.env(env); ok {
		return true
	}
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

func (f *serveFlags) float(p *float64, name, env string, def float64, help string) {
	if v, ok := f.env(env); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("OPENECS_%s=%q: not a number", env, v))
		} else {
			def = n
		}
	}
	f.fs.Float64Var(p, name, def, help+" (OPENECS_"+env+")")
}

const serveUsage = `Usage: openecs serve [flags]

Runs OpenECS. With no flags it listens on 127.0.0.1:8686 (plain HTTP and TLS
on the one port), keeps its state in SQLite under ./openecs-data, and on first
start creates an account whose AccessKey pair is test / test.

On an address other than loopback it starts only with an admin token of your
own (--admin-token or OPENECS_ADMIN_TOKEN) and creates the test / test key only
with --bootstrap-key. docs/serving.md has the details.

Flags:
`

func runServe(args []string, stdout, stderr io.Writer) int {
	cfg := app.Defaults()
	fs := flag.NewFlagSet("openecs serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &serveFlags{fs: fs}
	var logLevel string
	var bootstrap bool
	f.str(&cfg.Addr, "addr", "ADDR", cfg.Addr, "listen address")
	f.str(&cfg.DataDir, "data", "DATA", cfg.DataDir, "directory of the embedded SQLite database and the self-signed TLS certificate")
	f.str(&cfg.Store, "store", "STORE", "", "store: empty for SQLite under --data, sqlite:PATH, or a postgres:// URL")
	f.str(&cfg.AdminToken, "admin-token", "ADMIN_TOKEN", cfg.AdminToken, "bearer token of the admin API")
	f.dur(&cfg.TransitionDelay, "transition-delay", "TRANSITION_DELAY", cfg.TransitionDelay, "how long Pending, Starting and Stopping last in clock time (0s allowed)")
	f.dur(&cfg.OverdueGrace, "overdue-grace", "OVERDUE_GRACE", cfg.OverdueGrace, "delay between an account falling into arrears and its pay-as-you-go instances being suspended (the real service: 360h)")
	f.str(&cfg.CatalogPath, "catalog", "CATALOG", "", "YAML file replacing the built-in catalogue of regions, zones, types and images")
	f.float(&cfg.ThrottleRate, "throttle", "THROTTLE", 0, "per-AccessKey limit in calls per second (0: off); over it calls answer Throttling")
	f.num(&cfg.ThrottleBurst, "throttle-burst", "THROTTLE_BURST", 0, "burst of the per-AccessKey limit (0: the rate)")
	f.str(&cfg.Synchronous, "sqlite-synchronous", "SQLITE_SYNCHRONOUS", cfg.Synchronous, "SQLite synchronous mode: FULL (durable against power loss) or NORMAL (against process crashes)")
	f.num(&cfg.PGMaxConns, "pg-max-conns", "PG_MAX_CONNS", cfg.PGMaxConns, "PostgreSQL connection pool size")
	f.dur(&cfg.PGConnectTimeout, "pg-connect-timeout", "PG_CONNECT_TIMEOUT", cfg.PGConnectTimeout, "PostgreSQL connect timeout")
	f.dur(&cfg.PGQueryTimeout, "pg-query-timeout", "PG_QUERY_TIMEOUT", cfg.PGQueryTimeout, "PostgreSQL statement timeout")
	f.str(&logLevel, "log-level", "LOG_LEVEL", "info", "log level: debug, info, warn, error")
	f.boolean(&bootstrap, "bootstrap-key", "BOOTSTRAP_KEY", false, "create the account with the well-known AccessKey test / test on first start (unless given: yes on a loopback address, no elsewhere)")
	f.str(&cfg.TLSCert, "tls-cert", "TLS_CERT", "", "PEM certificate for TLS on the listen port (default: a self-signed one made in --data/tls)")
	f.str(&cfg.TLSKey, "tls-key", "TLS_KEY", "", "PEM private key of --tls-cert")
	f.dur(&cfg.ReadTimeout, "read-timeout", "READ_TIMEOUT", cfg.ReadTimeout, "longest a client may take to send one request, headers and body (the headers alone: at most 10s)")
	f.dur(&cfg.IdleTimeout, "idle-timeout", "IDLE_TIMEOUT", cfg.IdleTimeout, "how long a kept-alive connection may wait for its next request")
	f.num(&cfg.MaxConnsPerClient, "max-conns-per-client", "MAX_CONNS_PER_CLIENT", cfg.MaxConnsPerClient, "connections one client IP address may hold open at once (0: no cap); one more is answered 429")
	fs.Usage = func() {
		fmt.Fprint(stderr, serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "openecs serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if len(f.errs) > 0 {
		fmt.Fprintln(stderr, "openecs serve: "+strings.Join(f.errs, "; "))
		return 2
	}
	if cfg.TransitionDelay < 0 || cfg.OverdueGrace < 0 {
		fmt.Fprintln(stderr, "openecs serve: --transition-delay and --overdue-grace must not be negative")
		return 2
	}
	if cfg.ReadTimeout <= 0 || cfg.IdleTimeout <= 0 || cfg.MaxConnsPerClient < 0 {
		fmt.Fprintln(stderr, "openecs serve: --read-timeout and --idle-timeout must be positive, --max-conns-per-client not negative")
		return 2
	}
	if cfg.AdminToken == "" {
		fmt.Fprintln(stderr, "openecs serve: the admin token is empty (--admin-token or OPENECS_ADMIN_TOKEN): the admin API would accept anyone; give it a token")
		return 2
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		fmt.Fprintln(stderr, "openecs serve: give --tls-cert and --tls-key together")
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		fmt.Fprintf(stderr, "openecs serve: --log-level %q: %v\n", logLevel, err)
		return 2
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	// Listen first: a start that cannot bind creates nothing.
	ln, err := app.Bind(cfg.Addr)
	if err != nil {
		hint := ""
		if be := (*app.BindError)(nil); errors.As(err, &be) && be.InUse() {
			hint = "; choose another with --addr"
		}
		fmt.Fprintf(stderr, "openecs serve: %v%s\n", err, hint)
		return 1
	}
	exposed := !app.Loopback(ln.Addr())
	if exposed {
		if msg := exposedRefusal(cfg, f.given("admin-token", "ADMIN_TOKEN")); msg != "" {
			ln.Close()
			fmt.Fprintln(stderr, "openecs serve: "+msg)
			return 2
		}
	}
	askedBootstrap := f.given("bootstrap-key", "BOOTSTRAP_KEY")
	if !askedBootstrap {
		bootstrap = !exposed
	}
	cfg.NoBootstrap = !bootstrap

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.Open(ctx, cfg, ln)
	if err != nil {
		fmt.Fprintf(stderr, "openecs serve: %v\n", err)
		return 1
	}
	if exposed && !bootstrap {
		if msg := wellKnownKeyRefusal(ctx, a, askedBootstrap); msg != "" {
			a.Shutdown(context.Background()) //nolint:errcheck
			fmt.Fprintln(stderr, "openecs serve: "+msg)
			return 2
		}
	}
	if err := a.Start(); err != nil {
		fmt.Fprintf(stderr, "openecs serve: %v\n", err)
		a.Shutdown(context.Background()) //nolint:errcheck
		return 1
	}
	printBanner(stdout, a, bootstrap)
	select {
	case <-ctx.Done():
	case err := <-a.Served():
		fmt.Fprintf(stderr, "openecs serve: %v\n", err)
		return 1
	}
	cfg.Logger.Info("shutting down: finishing in-flight calls")
	sctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	if err := a.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "openecs serve: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// exposedRefusal says why a server bound beyond loopback may not start, or
// "" if it may: it needs an admin token of its own, given explicitly.
func exposedRefusal(cfg app.Config, tokenGiven bool) string {
	where := fmt.Sprintf("--addr %s reaches beyond this machine", cfg.Addr)
	switch {
	case !tokenGiven:
		return where + ": give an admin token of your own with --admin-token or OPENECS_ADMIN_TOKEN (the default, " +
			app.Defaults().AdminToken + ", is public); the test / test key is then created only with --bootstrap-key"
	case cfg.AdminToken == app.Defaults().AdminToken:
		return where + ": the admin token " + cfg.AdminToken + " is the well-known default; choose another with --admin-token or OPENECS_ADMIN_TOKEN"
	}
	return ""
}

// wellKnownKeyRefusal says why a server beyond loopback may not serve this
// data, or "" if it may: the data holds the test / test key (made by an
// earlier start on loopback), which only --bootstrap-key lets it serve.
func wellKnownKeyRefusal(ctx context.Context, a *app.App, asked bool) string {
	const id = "test"
	err := a.Store.View(ctx, func(r openecs.Reader) error {
		_, err := r.AccessKey(id)
		return err
	})
	switch {
	case errors.Is(err, openecs.ErrNotFound):
		return ""
	case err != nil:
		return fmt.Sprintf("checking the store for the AccessKey %s: %v", id, err)
	}
	how := "pass --bootstrap-key to serve it anyway, or use a data directory (--data) without it"
	if asked {
		how = "--bootstrap-key=false does not remove it: use a data directory (--data) without it, or --bootstrap-key to serve it"
	}
	return "this data has the well-known AccessKey test / test (made by an earlier start on loopback), and this address reaches beyond this machine: " + how
}

func printBanner(w io.Writer, a *app.App, bootstrap bool) {
	store := a.Cfg.Store
	if store == "" {
		store = "sqlite " + filepath.Join(a.Cfg.DataDir, "openecs.db")
	} else if i := strings.Index(store, "@"); i > 0 && strings.HasPrefix(store, "postgres") {
		store = "postgres://…" + store[i:] // keep the password out of the log
	}
	token := "the --admin-token you set"
	if a.Cfg.AdminToken == app.Defaults().AdminToken {
		token = a.Cfg.AdminToken + ", the default: set --admin-token on a shared host"
	}
	listening := a.Endpoint()
	if bound := a.Addr(); bound != a.ClientAddr() {
		host, port, _ := net.SplitHostPort(bound)
		listening = fmt.Sprintf("every address of this machine (%s), port %s; from here: %s", host, port, a.Endpoint())
	}
	fmt.Fprintf(w, `OpenECS %s listening on %s
  store:            %s
  transition delay: %s   overdue grace: %s
  admin API:        %s/admin/v1/… (Authorization: Bearer <token>; token: %s)
`, version, listening, store, a.Cfg.TransitionDelay, a.Cfg.OverdueGrace, a.Endpoint(), token)
	if a.TLSEndpoint() != "" {
		cert := a.CertFile()
		switch {
		case cert == "":
			fmt.Fprintf(w, "  TLS:              %s too, with a certificate of this run only (it could not be saved; see the log)\n", a.TLSEndpoint())
		case a.Cfg.TLSCert != "":
			fmt.Fprintf(w, "  TLS:              %s too, with the certificate %s\n", a.TLSEndpoint(), cert)
		default:
			made := ""
			if a.CertMade() {
				made = ", made now"
			}
			fmt.Fprintf(w, "  TLS:              %s too, self-signed certificate %s%s\n", a.TLSEndpoint(), cert, made)
			fmt.Fprintf(w, "                    trust it with SSL_CERT_FILE=%s (Go clients: the SDKs, the aliyun CLI, Terraform)\n", cert)
		}
	}
	keyID, secret := "test", "test"
	switch {
	case a.Bootstrap != nil:
		fmt.Fprintf(w, "  created account %s with AccessKey test / test and balance %s CNY\n", a.Bootstrap.ID, a.Bootstrap.Balance)
	case !bootstrap:
		keyID, secret = "<AccessKeyId>", "<AccessKeySecret>"
		fmt.Fprintf(w, "  no test / test AccessKey (--bootstrap-key makes it): create an account and its key with\n    openecs admin --endpoint %s --admin-token <token> accounts create --name dev --balance 100\n", a.Endpoint())
	}
	// openecs call and openecs admin talk to 127.0.0.1:8686 with test / test
	// unless told.
	callFlags := ""
	if a.Endpoint() != client.DefaultEndpoint {
		callFlags = "--endpoint " + a.Endpoint() + " "
	}
	if !bootstrap {
		callFlags += "--access-key-id " + keyID + " --access-key-secret " + secret + " "
	}
	fmt.Fprintf(w, `
Point the official Go SDK at it:
  client, _ := ecs.NewClientWithAccessKey("cn-hangzhou", %q, %q)
  client.Domain = %q   // plain http is the SDK's default scheme
Or try it from the shell:
  openecs call %sDescribeRegions
`, keyID, secret, a.ClientAddr(), callFlags)
	if a.Endpoint() != client.DefaultEndpoint {
		fmt.Fprintf(w, "  (or export OPENECS_ENDPOINT=%s for every openecs call and openecs admin)\n", a.Endpoint())
	}
}
