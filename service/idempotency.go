package service

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// Idem is a call's ClientToken and a hash of its other parameters, computed
// by the transport.
type Idem struct {
	Token string
	Hash  string
}

// idempotent runs fn once per (account, action, ClientToken): a repeat with
// the same parameters returns the first answer without acting again; a repeat
// with different parameters answers mismatch. Errors are not remembered, so a
// failed call may be retried with the same token. It runs inside the caller's
// transaction, so the answer is recorded in the same commit as the effect.
func idempotent[T any](tx openecs.Tx, c Caller, idem Idem, now time.Time, mismatch *openecs.Error, fn func() (T, error)) (T, error) {
	var zero T
	if idem.Token == "" {
		return fn()
	}
	action := canonicalAction(c.Action)
	rec, err := tx.Idempotency(c.AccountID, action, idem.Token)
	switch {
	case err == nil:
		if rec.ParamsHash != idem.Hash {
			return zero, mismatch
		}
		var out T
		if err := json.Unmarshal(rec.Response, &out); err != nil {
			return zero, err
		}
		return out, nil
	case !errors.Is(err, openecs.ErrNotFound):
		return zero, err
	}
	out, err := fn()
	if err != nil {
		return zero, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return zero, err
	}
	if err := tx.PutIdempotency(&openecs.IdempotencyRecord{AccountID: c.AccountID, Action: action, Token: idem.Token, ParamsHash: idem.Hash, Response: b, CreatedAt: now}); err != nil {
		return zero, err
	}
	return out, nil
}

// idempotentCall runs fn as one call: in a write transaction, under the
// call's ClientToken (mismatch is the action's mismatch error), and wakes the
// scheduler once it has committed, since fn may have scheduled work.
func idempotentCall[T any](s *Service, ctx context.Context, c Caller, idem Idem, mismatch *openecs.Error, fn func(tx openecs.Tx) (T, error)) (T, error) {
	var out T
	err := s.update(ctx, func(tx openecs.Tx) error {
		res, err := idempotent(tx, c, idem, tx.Now(), mismatch, func() (T, error) { return fn(tx) })
		out = res
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	s.wake()
	return out, nil
}

// canonicalAction folds the two spellings of ReActivateInstances together.
func canonicalAction(a string) string {
	if a == "ReactivateInstances" {
		return "ReActivateInstances"
	}
	return a
}
