package service

import (
	"context"
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// ErrBadRequest marks admin-API input errors (answered 400 by the admin API).
type ErrBadRequest struct{ Msg string }

func (e *ErrBadRequest) Error() string { return e.Msg }

func badRequest(msg string) error { return &ErrBadRequest{Msg: msg} }

// NewAccount is what POST /admin/v1/accounts creates.
type NewAccount struct {
	Name                      string
	Balance                   openecs.Money
	EconomicalMode            bool
	UnauthorizedInstanceTypes []string
	UnauthorizedRegions       []string
}

// CreateAccount creates an account with one permanent AccessKey pair.
func (s *Service) CreateAccount(ctx context.Context, n NewAccount) (*openecs.Account, *openecs.AccessKey, error) {
	var a *openecs.Account
	var k *openecs.AccessKey
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		a, k, err = s.createAccount(tx, n.Name, n.Balance, n.EconomicalMode, tx.Now(), "", "")
		if err != nil {
			return err
		}
		if len(n.UnauthorizedInstanceTypes) > 0 || len(n.UnauthorizedRegions) > 0 {
			a.UnauthorizedInstanceTypes, a.UnauthorizedRegions = n.UnauthorizedInstanceTypes, n.UnauthorizedRegions
			return tx.UpdateAccount(a)
		}
		return nil
	})
	return a, k, err
}

func (s *Service) createAccount(tx openecs.Tx, name string, balance openecs.Money, econ bool, now time.Time, keyID, secret string) (*openecs.Account, *openecs.AccessKey, error) {
	if name == "" {
		name = "account"
	}
	a := &openecs.Account{ID: openecs.NewNumericID(16), Name: name, Balance: balance, EconomicalMode: econ, CreatedAt: now}
	if err := tx.InsertAccount(a); err != nil {
		return nil, nil, err
	}
	if keyID == "" {
		keyID, secret = openecs.NewAccessKeyID(), openecs.NewSecret(30)
	}
	k := &openecs.AccessKey{ID: keyID, AccountID: a.ID, Secret: secret, CreatedAt: now}
	if err := tx.InsertAccessKey(k); err != nil {
		return nil, nil, err
	}
	if err := event(tx, now, a.ID, openecs.EventAccountCreated, a.ID, "admin", map[string]any{"name": name, "balance": balance.String()}); err != nil {
		return nil, nil, err
	}
	return a, k, nil
}

// Account returns an account.
func (s *Service) Account(ctx context.Context, id string) (*openecs.Account, error) {
	var a *openecs.Account
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		a, err = r.Account(id)
		return err
	})
	return a, err
}

// Accounts lists every account.
func (s *Service) Accounts(ctx context.Context) ([]*openecs.Account, error) {
	var out []*openecs.Account
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.Accounts()
		return err
	})
	return out, err
}

// ChangeBalance sets (set != nil) or tops up (add != nil, a positive amount)
// an account's balance. The account leaves arrears as soon as its balance is
// ≥ 0. A top-up past Money's range is refused (ErrMoneyOverflow), the
// balance unchanged; to take money away, set the balance lower.
func (s *Service) ChangeBalance(ctx context.Context, id string, set, add *openecs.Money) (*openecs.Account, error) {
	if (set == nil) == (add == nil) {
		return nil, badRequest(`give exactly one of "set" and "add"`)
	}
	if add != nil && *add <= 0 {
		return nil, badRequest(`"add" must be positive (a top-up); to take money away, use "set"`)
	}
	var a *openecs.Account
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		a, err = tx.Account(id)
		if err != nil {
			return err
		}
		now := tx.Now()
		before := a.Balance
		if set != nil {
			a.Balance = *set
		} else if a.Balance, err = a.Balance.Add(*add); err != nil {
			return err
		}
		change, err := a.Balance.Sub(before)
		if err != nil {
			return err
		}
		settled := a.InArrears && a.Balance >= 0
		if settled {
			a.InArrears, a.ArrearsAt = false, time.Time{}
		}
		if err := tx.UpdateAccount(a); err != nil {
			return err
		}
		if err := tx.AppendEvent(&openecs.Event{At: now, AccountID: id, Kind: openecs.EventAccountBalance, ResourceID: id, Amount: change,
			Cause: "admin", Data: map[string]any{"balance": a.Balance.String()}}); err != nil {
			return err
		}
		if settled {
			return event(tx, now, id, openecs.EventAccountSettled, id, "admin", map[string]any{"balance": a.Balance.String()})
		}
		return nil
	})
	return a, err
}

// AccountPatch is PATCH /admin/v1/accounts/{id}; nil fields are unchanged.
type AccountPatch struct {
	Name                      *string
	EconomicalMode            *bool
	UnauthorizedInstanceTypes *[]string
	UnauthorizedRegions       *[]string
}

// PatchAccount changes account settings.
func (s *Service) PatchAccount(ctx context.Context, id string, p AccountPatch) (*openecs.Account, error) {
	var a *openecs.Account
	err := s.update(ctx, func(tx openecs.Tx) error {
		var err error
		if a, err = tx.Account(id); err != nil {
			return err
		}
		if p.Name != nil {
			a.Name = *p.Name
		}
		if p.EconomicalMode != nil {
			a.EconomicalMode = *p.EconomicalMode
		}
		if p.UnauthorizedInstanceTypes != nil {
			a.UnauthorizedInstanceTypes = *p.UnauthorizedInstanceTypes
		}
		if p.UnauthorizedRegions != nil {
			a.UnauthorizedRegions = *p.UnauthorizedRegions
		}
		return tx.UpdateAccount(a)
	})
	return a, err
}

// CreateKey makes another permanent AccessKey pair for an account, optionally
// limited to a list of actions.
func (s *Service) CreateKey(ctx context.Context, accountID string, allowed []string) (*openecs.AccessKey, error) {
	k := &openecs.AccessKey{ID: openecs.NewAccessKeyID(), AccountID: accountID, Secret: openecs.NewSecret(30), AllowedActions: allowed}
	err := s.update(ctx, func(tx openecs.Tx) error {
		if _, err := tx.Account(accountID); err != nil {
			return err
		}
		k.CreatedAt = tx.Now()
		return tx.InsertAccessKey(k)
	})
	return k, err
}

// CreateSTS issues temporary credentials for an account: an STS. key id, a
// secret and a security token, valid for ttl of wall time (default 1h, at most
// 12h; expiry is checked against the wall clock, like request timestamps).
func (s *Service) CreateSTS(ctx context.Context, accountID string, ttl time.Duration, allowed []string) (*openecs.AccessKey, error) {
	k := &openecs.AccessKey{ID: openecs.NewSTSKeyID(), AccountID: accountID, Secret: openecs.NewSecret(40),
		SecurityToken: "CAIS" + openecs.NewSecret(96), AllowedActions: allowed}
	return k, s.issueTemporaryKey(ctx, k, ttl)
}

// CreateBearerToken issues a bearer token for an account, valid for ttl of
// wall time (default 1h, at most 12h). Requests carry it as BearerToken with
// SignatureType=BEARERTOKEN and an empty AccessKeyId, and sign with the key
// "&", as the SDK's bearer credentials do.
func (s *Service) CreateBearerToken(ctx context.Context, accountID string, ttl time.Duration, allowed []string) (string, *openecs.AccessKey, error) {
	token := "bt-" + openecs.NewSecret(48)
	k := &openecs.AccessKey{ID: openecs.BearerKeyPrefix + token, AccountID: accountID, AllowedActions: allowed}
	return token, k, s.issueTemporaryKey(ctx, k, ttl)
}

// issueTemporaryKey stores a key that expires ttl of wall time from now.
func (s *Service) issueTemporaryKey(ctx context.Context, k *openecs.AccessKey, ttl time.Duration) error {
	if ttl <= 0 {
		ttl = time.Hour
	}
	if ttl > 12*time.Hour {
		return badRequest("duration must be at most 12h")
	}
	return s.update(ctx, func(tx openecs.Tx) error {
		if _, err := tx.Account(k.AccountID); err != nil {
			return err
		}
		k.CreatedAt = tx.Now()
		k.ExpiresAt = s.Wall().Add(ttl)
		return tx.InsertAccessKey(k)
	})
}

// AccessKey looks a key up (for signature checks).
func (s *Service) AccessKey(ctx context.Context, id string) (*openecs.AccessKey, error) {
	var k *openecs.AccessKey
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		k, err = r.AccessKey(id)
		return err
	})
	return k, err
}

// IsNotFound reports whether err means a missing row.
func IsNotFound(err error) bool { return errors.Is(err, openecs.ErrNotFound) }

// NonceFloors returns each AccessKey's latest request signing time recorded
// within the timestamp window, and forgets older ones (they cannot be
// replayed: their requests are out of the window).
func (s *Service) NonceFloors(ctx context.Context) (map[string]time.Time, error) {
	since := s.Wall().Add(-openecs.TimestampWindow)
	if err := s.store.Update(ctx, func(tx openecs.Tx) error { return tx.PruneNonceFloors(since) }); err != nil {
		return nil, err
	}
	var out map[string]time.Time
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.NonceFloors(since)
		return err
	})
	return out, err
}

// RaiseNonceFloor records, durably, that the key signed a request at t.
func (s *Service) RaiseNonceFloor(ctx context.Context, keyID string, t time.Time) error {
	return s.store.Update(ctx, func(tx openecs.Tx) error { return tx.RaiseNonceFloor(keyID, t) })
}
