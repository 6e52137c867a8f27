package admin

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// The failure-case controls: quotas, spot prices, disks and KMS keys
// (docs/admin-api.md).
func quotaJSON(q service.QuotaUsage) map[string]any {
	m := map[string]any{"account_id": q.AccountID, "region_id": q.RegionID, "used": q.Used, "updated_at": rfc3339(q.UpdatedAt)}
	if q.Kind == openecs.QuotaVCPUs {
		m["zone_id"], m["vcpus"] = q.Scope, q.Limit
	} else {
		m["instance_type"], m["instances"] = q.Scope, q.Limit
	}
	return m
}

// putQuota is PUT /admin/v1/quotas with {"account_id", "region_id",
// "zone_id", "vcpus": N} or {"account_id", "region_id", "instance_type",
// "instances": N}; a null limit removes the quota.
func (h *Handler) putQuota(r *http.Request) (int, any, error) {
	var in struct {
		AccountID    string          `json:"account_id"`
		RegionID     string          `json:"region_id"`
		ZoneID       string          `json:"zone_id"`
		InstanceType string          `json:"instance_type"`
		VCPUs        json.RawMessage `json:"vcpus"`
		Instances    json.RawMessage `json:"instances"`
	}
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
		out := map[string]any{"account_id": in.AccountID, "region_id": in.RegionID, "deleted": true}
		if in.ZoneID != "" {
			out["zone_id"] = in.ZoneID
		} else {
			out["instance_type"] = in.InstanceType
		}
		return http.StatusOK, out, nil
	}
	return http.StatusOK, quotaJSON(*q), nil
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
	out := make([]map[string]any, 0, len(qs))
	for _, x := range qs {
		out = append(out, quotaJSON(x))
	}
	return http.StatusOK, map[string]any{"quotas": out}, nil
}

func spotJSON(p openecs.SpotPrice) map[string]any {
	return map[string]any{"zone_id": p.ZoneID, "instance_type": p.InstanceType, "price": p.Price, "at": rfc3339(p.At)}
}

// putSpotPrice is PUT /admin/v1/spot-prices {"zone_id", "instance_type",
// "price": "0.050"} ("price": null restores the default). It answers the
// price with the instances the change locked for recycling.
func (h *Handler) putSpotPrice(r *http.Request) (int, any, error) {
	var in struct {
		ZoneID       string         `json:"zone_id"`
		InstanceType string         `json:"instance_type"`
		Price        *openecs.Money `json:"price"`
	}
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
	out := spotJSON(c.SpotPrice)
	out["reclaimed"] = append([]string{}, c.Reclaimed...)
	return http.StatusOK, out, nil
}

func (h *Handler) listSpotPrices(r *http.Request) (int, any, error) {
	ps, err := h.svc.SpotPrices(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]map[string]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, spotJSON(p))
	}
	return http.StatusOK, map[string]any{"spot_prices": out}, nil
}

// spotPriceHistory is GET /admin/v1/spot-prices/{zone_id}/{instance_type}
// [?since=RFC3339&limit=N]: the current price (with "default": true if it
// was never set) and the history of prices set.
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
	list := make([]map[string]any, 0, len(hist))
	for _, p := range hist {
		list = append(list, spotJSON(p))
	}
	out := spotJSON(cur.SpotPrice)
	out["default"] = cur.Default
	out["history"] = list
	return http.StatusOK, out, nil
}

func diskJSON(d *openecs.Disk) map[string]any {
	return map[string]any{"disk_id": d.ID, "instance_id": d.InstanceID, "account_id": d.AccountID, "type": d.Type, "category": d.Category,
		"size_gib": d.SizeGiB, "status": d.Status, "encrypted": d.Encrypted, "kms_key_id": d.KMSKeyID, "in_arrears": d.InArrears,
		"failed": d.Failed, "created_at": rfc3339(d.CreatedAt)}
}

func (h *Handler) getDisk(r *http.Request) (int, any, error) {
	d, err := h.svc.Disk(r.Context(), r.PathValue("disk_id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, diskJSON(d), nil
}

// patchDisk is PATCH /admin/v1/disks/{disk_id} with any of {"status",
// "in_arrears", "failed"} ("failed" on local disks only).
func (h *Handler) patchDisk(r *http.Request) (int, any, error) {
	var in struct {
		Status    *openecs.DiskStatus `json:"status"`
		InArrears *bool               `json:"in_arrears"`
		Failed    *bool               `json:"failed"`
	}
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	d, err := h.svc.PatchDisk(r.Context(), r.PathValue("disk_id"), service.DiskPatch{Status: in.Status, InArrears: in.InArrears, Failed: in.Failed})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, diskJSON(d), nil
}

func kmsJSON(k *openecs.KMSKey) map[string]any {
	return map[string]any{"key_id": k.ID, "state": k.State, "ecs_authorized": k.ECSAuthorized, "account_id": k.AccountID,
		"created_at": rfc3339(k.CreatedAt), "updated_at": rfc3339(k.UpdatedAt)}
}

func (h *Handler) listKMSKeys(r *http.Request) (int, any, error) {
	ks, err := h.svc.KMSKeys(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := make([]map[string]any, 0, len(ks))
	for i := range ks {
		out = append(out, kmsJSON(&ks[i]))
	}
	return http.StatusOK, map[string]any{"kms_keys": out}, nil
}

func (h *Handler) getKMSKey(r *http.Request) (int, any, error) {
	k, err := h.svc.KMSKey(r.Context(), r.PathValue("key_id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, kmsJSON(k), nil
}

// putKMSKey is PUT /admin/v1/kms-keys/{key_id} with any of {"state":
// "Enabled"/"Disabled"/"PendingDeletion", "ecs_authorized": bool,
// "account_id": "..." ("" lifts the restriction)}. A new key is Enabled,
// authorised and unrestricted unless the body says otherwise.
func (h *Handler) putKMSKey(r *http.Request) (int, any, error) {
	var in struct {
		State         *openecs.KMSKeyState `json:"state"`
		ECSAuthorized *bool                `json:"ecs_authorized"`
		AccountID     *string              `json:"account_id"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
	}
	k, err := h.svc.PutKMSKey(r.Context(), r.PathValue("key_id"), service.KMSKeyPatch{State: in.State, ECSAuthorized: in.ECSAuthorized, AccountID: in.AccountID})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, kmsJSON(k), nil
}

func (h *Handler) deleteKMSKey(r *http.Request) (int, any, error) {
	id := r.PathValue("key_id")
	if err := h.svc.DeleteKMSKey(r.Context(), id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"key_id": id, "deleted": true}, nil
}
