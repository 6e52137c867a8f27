package admin

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/service"
)

// The failure-case controls: quotas, spot prices, disks and KMS keys
// (docs/admin-api.md).

// putQuota is PUT /admin/v1/quotas; a null limit removes the quota.
func (h *Handler) putQuota(r *http.Request) (int, any, error) {
	var in adminapi.SetQuota
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	spec := service.QuotaSpec{AccountID: in.AccountID, RegionID: in.RegionID, ZoneID: in.ZoneID, InstanceType: in.InstanceType,
		SetVCPUs: in.VCPUs != nil, SetInstances: in.Instances != nil}
	var err error
	if spec.VCPUs, err = optionalInt(in.VCPUs, "vcpus"); err != nil {
		return 0, nil, err
	}
	if spec.Instances, err = optionalInt(in.Instances, "instances"); err != nil {
		return 0, nil, err
	}
	q, err := h.svc.SetQuota(r.Context(), spec)
	if err != nil {
		return 0, nil, err
	}
	if q == nil {
		out := adminapi.QuotaDeleted{AccountID: in.AccountID, Deleted: true, RegionID: in.RegionID}
		if in.ZoneID != "" {
			out.ZoneID = in.ZoneID
		} else {
			out.InstanceType = in.InstanceType
		}
		return http.StatusOK, out, nil
	}
	return http.StatusOK, adminapi.QuotaFrom(q.Quota, q.Used), nil
}

// optionalInt decodes a JSON integer or null (nil).
func optionalInt(raw json.RawMessage, name string) (*int, error) {
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, badRequest("%q must be an integer or null", name)
	}
	return &n, nil
}

func (h *Handler) listQuotas(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	qs, err := h.svc.Quotas(r.Context(), q.Get("account_id"), q.Get("region_id"))
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.Quotas{Quotas: make([]adminapi.Quota, 0, len(qs))}
	for _, x := range qs {
		out.Quotas = append(out.Quotas, adminapi.QuotaFrom(x.Quota, x.Used))
	}
	return http.StatusOK, out, nil
}

// putSpotPrice is PUT /admin/v1/spot-prices ("price": null restores the
// default). It answers the price with the instances the change locked for
// recycling.
func (h *Handler) putSpotPrice(r *http.Request) (int, any, error) {
	var in adminapi.SetSpotPrice
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.ZoneID == "" || in.InstanceType == "" {
		return 0, nil, badRequest(`"zone_id" and "instance_type" are required`)
	}
	c, err := h.svc.SetSpotPrice(r.Context(), in.ZoneID, in.InstanceType, in.Price)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.SpotPriceChange{At: adminapi.At(c.At), InstanceType: c.InstanceType, Price: c.Price,
		Reclaimed: append([]string{}, c.Reclaimed...), ZoneID: c.ZoneID}, nil
}

func (h *Handler) listSpotPrices(r *http.Request) (int, any, error) {
	ps, err := h.svc.SpotPrices(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.SpotPrices{SpotPrices: make([]adminapi.SpotPrice, 0, len(ps))}
	for _, p := range ps {
		out.SpotPrices = append(out.SpotPrices, adminapi.SpotPriceFrom(p))
	}
	return http.StatusOK, out, nil
}

// spotPriceHistory is GET /admin/v1/spot-prices/{zone_id}/{instance_type}
// [?since=RFC3339&limit=N].
func (h *Handler) spotPriceHistory(r *http.Request) (int, any, error) {
	var since time.Time
	if s := r.URL.Query().Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return 0, nil, badRequest("since must be an RFC 3339 time")
		}
		since = t
	}
	limit, err := intQuery(r, "limit", 0)
	if err != nil {
		return 0, nil, err
	}
	zone, itype := r.PathValue("zone_id"), r.PathValue("instance_type")
	if _, ok := h.svc.Catalog().Zone(zone); !ok {
		return 0, nil, badRequest("unknown zone_id %s", zone)
	}
	if _, ok := h.svc.Catalog().InstanceType(itype); !ok {
		return 0, nil, badRequest("unknown instance_type %s", itype)
	}
	cur, hist, err := h.svc.SpotPriceHistory(r.Context(), zone, itype, since, limit)
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.SpotPriceHistory{At: adminapi.At(cur.At), Default: cur.Default, History: make([]adminapi.SpotPrice, 0, len(hist)),
		InstanceType: cur.InstanceType, Price: cur.Price, ZoneID: cur.ZoneID}
	for _, p := range hist {
		out.History = append(out.History, adminapi.SpotPriceFrom(p))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) getDisk(r *http.Request) (int, any, error) {
	d, err := h.svc.Disk(r.Context(), r.PathValue("disk_id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.DiskFrom(d), nil
}

// patchDisk is PATCH /admin/v1/disks/{disk_id}.
func (h *Handler) patchDisk(r *http.Request) (int, any, error) {
	var in adminapi.DiskPatch
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	d, err := h.svc.PatchDisk(r.Context(), r.PathValue("disk_id"), service.DiskPatch{Status: in.Status, InArrears: in.InArrears, Failed: in.Failed})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.DiskFrom(d), nil
}

func (h *Handler) listKMSKeys(r *http.Request) (int, any, error) {
	ks, err := h.svc.KMSKeys(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := adminapi.KMSKeys{KMSKeys: make([]adminapi.KMSKey, 0, len(ks))}
	for i := range ks {
		out.KMSKeys = append(out.KMSKeys, adminapi.KMSKeyFrom(&ks[i]))
	}
	return http.StatusOK, out, nil
}

func (h *Handler) getKMSKey(r *http.Request) (int, any, error) {
	k, err := h.svc.KMSKey(r.Context(), r.PathValue("key_id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.KMSKeyFrom(k), nil
}

// putKMSKey is PUT /admin/v1/kms-keys/{key_id}, with an optional body.
func (h *Handler) putKMSKey(r *http.Request) (int, any, error) {
	var in adminapi.KMSKeyPatch
	if err := decodeOptional(r, &in); err != nil {
		return 0, nil, err
	}
	k, err := h.svc.PutKMSKey(r.Context(), r.PathValue("key_id"), service.KMSKeyPatch{State: in.State, ECSAuthorized: in.ECSAuthorized, AccountID: in.AccountID})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.KMSKeyFrom(k), nil
}

func (h *Handler) deleteKMSKey(r *http.Request) (int, any, error) {
	id := r.PathValue("key_id")
	if err := h.svc.DeleteKMSKey(r.Context(), id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, adminapi.KMSKeyDeleted{Deleted: true, KeyID: id}, nil
}
