package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openecs/openecs/app"
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

Runs OpenECS. With no flags it listens on 127.0.0.1:8686, keeps its state in
SQLite under ./openecs-data, and on first start creates an account whose
AccessKey pair is test / test.

Flags:
`

func runServe(args []string, stdout, stderr io.Writer) int {
	cfg := app.Defaults()
	fs := flag.NewFlagSet("openecs serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &serveFlags{fs: fs}
	var logLevel string
	f.str(&cfg.Addr, "addr", "ADDR", cfg.Addr, "listen address")
	f.str(&cfg.DataDir, "data", "DATA", cfg.DataDir, "directory of the embedded SQLite database")
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
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		fmt.Fprintf(stderr, "openecs serve: --log-level %q: %v\n", logLevel, err)
		return 2
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "openecs serve: %v\n", err)
		return 1
	}
	if err := a.Start(); err != nil {
		fmt.Fprintf(stderr, "openecs serve: %v\n", err)
		a.Shutdown(context.Background()) //nolint:errcheck
		return 1
	}
	printBanner(stdout, a)
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

func printBanner(w io.Writer, a *app.App) {
	store := a.Cfg.Store
	if store == "" {
		store = "sqlite " + a.Cfg.DataDir + "/openecs.db"
	} else if i := strings.Index(store, "@"); i > 0 && strings.HasPrefix(store, "postgres") {
		store = "postgres://…" + store[i:] // keep the password out of the log
	}
	token := "the --admin-token you set"
	if a.Cfg.AdminToken == app.Defaults().AdminToken {
		token = a.Cfg.AdminToken + ", the default: set --admin-token on a shared host"
	}
	fmt.Fprintf(w, `OpenECS %s listening on %s
  store:            %s
  transition delay: %s   overdue grace: %s
  admin API:        %s/admin/v1/… (Authorization: Bearer <token>; token: %s)
`, version, a.Endpoint(), store, a.Cfg.TransitionDelay, a.Cfg.OverdueGrace, a.Endpoint(), token)
	if a.Bootstrap != nil {
		fmt.Fprintf(w, "  created account %s with AccessKey test / test and balance %s CNY\n", a.Bootstrap.ID, a.Bootstrap.Balance)
	}
	fmt.Fprintf(w, `
Point the official Go SDK at it:
  client, _ := ecs.NewClientWithAccessKey("cn-hangzhou", "test", "test")
  client.Domain = %q   // plain http is the SDK's default scheme
Or try it from the shell:
  openecs call DescribeRegions
`, a.Addr())
}
