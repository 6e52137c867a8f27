package admin

import (
	"net/http"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// POST /admin/v1/seed creates many instances at once (see service.Seed):
//
//	{"instances": N, "accounts": A, "account_ids": [...], "regions": [...],
//	 "statuses": {"Running": 0.6, "Stopped": 0.4}, "balance": "1000000"}
//
// and answers {"instances", "accounts": [{"account_id", "access_key_id",
// "access_key_secret"}], "account_ids", "seconds"} once every chunk has
// committed. One call creates at most service.MaxSeedPerCall instances;
// `openecs admin seed` sends bigger requests in several calls, seeding the
// accounts the first call made.
func (h *Handler) seed(r *http.Request) (int, any, error) {
	var in struct {
		Instances  int                        `json:"instances"`
		Accounts   int                        `json:"accounts"`
		AccountIDs []string                   `json:"account_ids"`
		Regions    []string                   `json:"regions"`
		Statuses   map[openecs.Status]float64 `json:"statuses"`
		Balance    *openecs.Money             `json:"balance"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	res, err := h.svc.Seed(r.Context(), service.SeedRequest{Instances: in.Instances, Accounts: in.Accounts, AccountIDs: in.AccountIDs,
		Regions: in.Regions, Statuses: in.Statuses, Balance: in.Balance}, nil)
	if err != nil {
		return 0, nil, err
	}
	accounts := make([]map[string]string, 0, len(res.Accounts))
	for _, a := range res.Accounts {
		accounts = append(accounts, map[string]string{"account_id": a.AccountID, "access_key_id": a.AccessKeyID, "access_key_secret": a.AccessKeySecret})
	}
	return http.StatusCreated, map[string]any{"instances": res.Instances, "accounts": accounts, "account_ids": res.AccountIDs,
		"seconds": res.Elapsed.Seconds()}, nil
}
