// Package openecs is the domain of OpenECS, an Alibaba Cloud ECS-compatible
// compute control plane.
//
// It owns the model (accounts, instances, their statuses and the transition
// table, billing states, reserved instances, orders, events), exact money, the
// clock abstraction, the error type that carries ECS error codes with their HTTP
// statuses, and the Store interface that the drivers (sqlite, postgres)
// implement. It imports neither net/http nor database/sql.
//
// A request travels one way: rpc (decode, authenticate) → service (decide) →
// store (commit) → rpc (encode). Time-driven work travels: scheduler (claim a
// due job) → service → store.
package openecs
