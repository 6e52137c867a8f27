package service

import (
	"context"

	"github.com/openecs/openecs"
)

// MaxChargesPage is the most charges one page of Charges holds; the admin
// API's default page is DefaultChargesPage.
const (
	MaxChargesPage     = 10_000
	DefaultChargesPage = 1_000
)

// ChargePage is one page of an account's charge events, read in one
// snapshot with the account and its all-time charged total.
type ChargePage struct {
	Account *openecs.Account
	Charges []openecs.Event // oldest first, ids above the page's "after"
	Total   openecs.Money   // the sum of Charges
	// AccountTotal is the sum of every charge of the account, summed by the
	// store.
	AccountTotal openecs.Money
	// More reports that charges follow this page: the next one starts after
	// the last of Charges.
	More bool
}

// Charges reads the account's charges with ids above after, at most limit
// of them: DefaultChargesPage for 0, MaxChargesPage for anything above it
// (as /admin/v1/events does).
func (s *Service) Charges(ctx context.Context, accountID string, after int64, limit int) (*ChargePage, error) {
	if limit < 0 {
		return nil, badRequest("limit must be a non-negative integer")
	}
	if limit == 0 {
		limit = DefaultChargesPage
	}
	limit = min(limit, MaxChargesPage)
	var p ChargePage
	err := s.store.View(ctx, func(r openecs.Reader) error {
		p = ChargePage{}
		var err error
		if p.Account, err = r.Account(accountID); err != nil {
			return err
		}
		// One more than the page tells whether another page follows.
		evs, err := r.Events(openecs.EventFilter{After: after, AccountID: accountID, Kind: openecs.EventCharge, Limit: limit + 1})
		if err != nil {
			return err
		}
		if len(evs) > limit {
			evs, p.More = evs[:limit], true
		}
		p.Charges = evs
		for _, e := range evs {
			if p.Total, err = p.Total.Add(e.Amount); err != nil {
				return err
			}
		}
		p.AccountTotal, err = r.ChargedTotal(accountID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}
