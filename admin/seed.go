package admin

import (
	"net/http"

	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/service"
)

// POST /admin/v1/seed creates many instances at once (see service.Seed) and
// answers once every chunk has committed. One call creates at most
// service.MaxSeedPerCall instances; `openecs admin seed` sends bigger
// requests in several calls, seeding the accounts the first call made.
func (h *Handler) seed(r *http.Request) (int, any, error) {
	var in adminapi.Seed
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	res, err := h.svc.Seed(r.Context(), service.SeedRequest{Instances: in.Instances, Accounts: in.Accounts, AccountIDs: in.AccountIDs,
		Regions: in.Regions, Statuses: in.Statuses, Balance: in.Balance}, nil)
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Seeded{AccountIDs: res.AccountIDs, Accounts: make([]adminapi.SeededAccount, 0, len(res.Accounts)),
		Instances: res.Instances, Seconds: res.Elapsed.Seconds()}
	for _, a := range res.Accounts {
		out.Accounts = append(out.Accounts, adminapi.SeededAccount{AccessKeyID: a.AccessKeyID, AccessKeySecret: a.AccessKeySecret, AccountID: a.AccountID})
	}
	return http.StatusCreated, out, nil
}
