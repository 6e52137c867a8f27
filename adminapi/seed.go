package adminapi

import (
	"github.com/openecs/openecs"
)

// Seed is the body of POST /admin/v1/seed.
type Seed struct {
	Instances  int                        `json:"instances"`
	Accounts   int                        `json:"accounts,omitempty"`    // new accounts to create and seed into
	AccountIDs []string                   `json:"account_ids,omitempty"` // existing accounts to seed into
	Regions    []string                   `json:"regions,omitempty"`     // absent: every region
	Statuses   map[openecs.Status]float64 `json:"statuses,omitempty"`    // shares, e.g. {"Running": 0.7, "Stopped": 0.3}
	Balance    *openecs.Money             `json:"balance,omitempty"`     // the opening balance of new accounts
}

// Seeded answers POST /admin/v1/seed (201).
type Seeded struct {
	AccountIDs []string        `json:"account_ids"` // every account seeded into
	Accounts   []SeededAccount `json:"accounts"`    // the accounts this call created
	Instances  int             `json:"instances"`
	Seconds    float64         `json:"seconds"`
}

// SeededAccount is an account a seed call created, with its AccessKey pair.
type SeededAccount struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	AccountID       string `json:"account_id"`
}

// JobStats answers GET /admin/v1/debug/jobs: the job queue and how late the
// background scheduler has run due jobs since the server started.
type JobStats struct {
	Lateness        JobLateness `json:"lateness"`
	NextDue         Time        `json:"next_due,omitzero"` // absent when the queue is empty
	Queued          int         `json:"queued"`
	UnknownKindRuns uint64      `json:"unknown_kind_runs"` // runs of jobs whose kind this binary does not know
}

// JobLateness counts how late due jobs ran, from their due time to the
// commit that ran them.
type JobLateness struct {
	Count    uint64   `json:"count"`
	SumMS    float64  `json:"sum_ms"`
	MaxMS    float64  `json:"max_ms"`
	CountsMS []uint64 `json:"counts_ms"` // [i]: jobs i to i+1 ms late
	Over     uint64   `json:"over"`      // jobs a second or more late
}
