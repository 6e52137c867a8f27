package app

import (
	"context"
	"net/http"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres"
	"github.com/openecs/openecs/rpc"
	"github.com/openecs/openecs/service"
)

// The PostgreSQL store, for postgres:// URLs: any number of replicas may
// serve from one database.
func init() {
	openPostgres = func(ctx context.Context, cfg Config) (openecs.Store, error) {
		return postgres.Open(ctx, postgres.Options{
			URL:            cfg.Store,
			MaxConns:       cfg.PGMaxConns,
			ConnectTimeout: cfg.PGConnectTimeout,
			QueryTimeout:   cfg.PGQueryTimeout,
			Logger:         cfg.Logger,
		})
	}
}

// followSharedClock keeps the replica's clock on the offset stored in the
// database, at the start of every write transaction (PostgreSQL; a no-op
// otherwise, where this process is the only one to move it).
func followSharedClock(store openecs.Store, clock *openecs.VirtualClock) {
	if pg, ok := store.(*postgres.Store); ok {
		pg.FollowClock(clock)
	}
}

// sharedNonces returns the nonce store for the RPC transport: on PostgreSQL
// the one all replicas share (it also keeps this replica's clock on the
// shared offset before each call, see postgres.Nonces); nil otherwise, which
// is the transport's in-process store.
func sharedNonces(store openecs.Store, clock *openecs.VirtualClock) rpc.NonceStore {
	if pg, ok := store.(*postgres.Store); ok {
		return pg.Nonces(clock)
	}
	return nil
}

// syncedAdmin makes the admin API load the shared clock offset before each
// call when other replicas may have moved it (PostgreSQL), so that what an
// admin call records is stamped with the service's time.
func syncedAdmin(store openecs.Store, svc *service.Service, h http.Handler) http.Handler {
	if _, ok := store.(*postgres.Store); !ok {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := svc.SyncClock(r.Context()); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"error":"store unavailable"}` + "\n")) //nolint:errcheck
			return
		}
		h.ServeHTTP(w, r)
	})
}
