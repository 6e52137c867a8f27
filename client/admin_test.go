package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
)

// adminServer records each request and answers with a fixed status and body.
type adminServer struct {
	*httptest.Server
	mu     sync.Mutex
	method string
	uri    string // escaped path and query
	auth   string
	ctype  string
	body   []byte
	status int
	answer string
}

func newAdminServer(t *testing.T) *adminServer {
	s := &adminServer{status: 200}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.method, s.uri, s.auth, s.ctype, s.body = r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), b
		status, answer := s.status, s.answer
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *adminServer) reply(status int, answer string) {
	s.mu.Lock()
	s.status, s.answer = status, answer
	s.mu.Unlock()
}

func intp(n int) *int { return &n }

func money(s string) *openecs.Money {
	m := openecs.MustMoney(s)
	return &m
}

func TestAdminCalls(t *testing.T) {
	srv := newAdminServer(t)
	a := &Admin{Endpoint: srv.URL, Token: "sekret"}
	ctx := context.Background()

	cases := []struct {
		name   string
		call   func() (any, error)
		method string
		uri    string
		body   string // expected JSON body; "" for none
		answer string
		want   any
	}{
		{"create account",
			func() (any, error) {
				return a.CreateAccount(ctx, adminapi.CreateAccount{Name: "dev", Balance: money("100.00"), EconomicalMode: true})
			},
			"POST", "/admin/v1/accounts", `{"name":"dev","balance":"100.00","economical_mode":true}`,
			`{"account_id":"acc-1","access_key_id":"AK1","access_key_secret":"SK1","balance":"100.00"}`,
			&adminapi.NewAccount{AccountID: "acc-1", AccessKeyID: "AK1", AccessKeySecret: "SK1", Balance: openecs.Yuan(100)}},
		{"create account, not economical",
			func() (any, error) {
				return a.CreateAccount(ctx, adminapi.CreateAccount{Name: "dev", Balance: money("1")})
			},
			"POST", "/admin/v1/accounts", `{"name":"dev","balance":"1.00"}`, `{}`, &adminapi.NewAccount{}},
		{"accounts",
			func() (any, error) { return a.Accounts(ctx) },
			"GET", "/admin/v1/accounts", "",
			`{"accounts":[{"account_id":"acc-1","name":"n","balance":"2.50","in_arrears":true,"arrears_since":"2026-01-01T01:00:00Z",
				"economical_mode":false,"unauthorized_instance_types":[],"unauthorized_regions":["cn-beijing"],"created_at":"2026-01-01T00:00:00Z"}]}`,
			[]adminapi.Account{{AccountID: "acc-1", Name: "n", Balance: openecs.MustMoney("2.5"), InArrears: true,
				ArrearsSince: adminapi.At(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)), UnauthorizedInstanceTypes: []string{},
				UnauthorizedRegions: []string{"cn-beijing"}, CreatedAt: adminapi.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}}},
		{"account",
			func() (any, error) { return a.Account(ctx, "acc/1") },
			"GET", "/admin/v1/accounts/acc%2F1", "",
			`{"account_id":"acc/1","balance":"-5.00","in_arrears":true,"economical_mode":true}`,
			&adminapi.Account{AccountID: "acc/1", Balance: -openecs.Yuan(5), InArrears: true, EconomicalMode: true}},
		{"set balance",
			func() (any, error) { return a.SetBalance(ctx, "acc-1", -openecs.Yuan(5)) },
			"POST", "/admin/v1/accounts/acc-1/balance", `{"set":"-5.00"}`,
			`{"account_id":"acc-1","balance":"-5.00","in_arrears":false}`,
			&adminapi.Account{AccountID: "acc-1", Balance: -openecs.Yuan(5)}},
		{"add balance",
			func() (any, error) { return a.AddBalance(ctx, "acc-1", openecs.Yuan(20)) },
			"POST", "/admin/v1/accounts/acc-1/balance", `{"add":"20.00"}`,
			`{"account_id":"acc-1","balance":"15.00"}`,
			&adminapi.Account{AccountID: "acc-1", Balance: openecs.Yuan(15)}},
		{"patch account",
			func() (any, error) {
				econ, regions := false, []string{"cn-beijing"}
				return a.PatchAccount(ctx, "acc-1", adminapi.AccountPatch{EconomicalMode: &econ, UnauthorizedRegions: &regions})
			},
			"PATCH", "/admin/v1/accounts/acc-1", `{"economical_mode":false,"unauthorized_regions":["cn-beijing"]}`,
			`{"account_id":"acc-1","balance":"1","unauthorized_regions":["cn-beijing"]}`,
			&adminapi.Account{AccountID: "acc-1", Balance: openecs.Yuan(1), UnauthorizedRegions: []string{"cn-beijing"}}},
		{"create key",
			func() (any, error) { return a.CreateKey(ctx, "acc-1", []string{"DescribeInstances", "StartInstance"}) },
			"POST", "/admin/v1/accounts/acc-1/keys", `{"allowed_actions":["DescribeInstances","StartInstance"]}`,
			`{"access_key_id":"AK2","access_key_secret":"SK2","allowed_actions":["DescribeInstances","StartInstance"]}`,
			&adminapi.AccessKey{AccessKeyID: "AK2", AccessKeySecret: "SK2", AllowedActions: []string{"DescribeInstances", "StartInstance"}}},
		{"create key, any action",
			func() (any, error) { return a.CreateKey(ctx, "acc-1", nil) },
			"POST", "/admin/v1/accounts/acc-1/keys", `{}`,
			`{"access_key_id":"AK3","access_key_secret":"SK3","allowed_actions":null}`,
			&adminapi.AccessKey{AccessKeyID: "AK3", AccessKeySecret: "SK3"}},
		{"create sts",
			func() (any, error) { return a.CreateSTS(ctx, "acc-1", adminapi.CreateCredentials{Duration: "1h"}) },
			"POST", "/admin/v1/accounts/acc-1/sts", `{"duration":"1h"}`,
			`{"access_key_id":"STS.x","access_key_secret":"s","security_token":"t","expiration":"2026-01-01T01:00:00Z"}`,
			&adminapi.STSCredentials{AccessKeyID: "STS.x", AccessKeySecret: "s", SecurityToken: "t",
				Expiration: adminapi.At(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC))}},
		{"create bearer token",
			func() (any, error) {
				return a.CreateBearerToken(ctx, "acc-1", adminapi.CreateCredentials{AllowedActions: []string{"DescribeRegions"}})
			},
			"POST", "/admin/v1/accounts/acc-1/bearer-tokens", `{"allowed_actions":["DescribeRegions"]}`,
			`{"account_id":"acc-1","bearer_token":"bt-1","expiration":"2026-01-01T01:00:00Z","allowed_actions":["DescribeRegions"]}`,
			&adminapi.BearerToken{AccountID: "acc-1", BearerToken: "bt-1", Expiration: adminapi.At(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)),
				AllowedActions: []string{"DescribeRegions"}}},
		{"clock",
			func() (any, error) { return a.Clock(ctx) },
			"GET", "/admin/v1/clock", "", `{"now":"2026-01-01T00:00:00Z"}`, nil},
		{"advance",
			func() (any, error) { return a.Advance(ctx, "360h") },
			"POST", "/admin/v1/clock/advance", `{"duration":"360h"}`, `{"now":"2026-01-16T00:00:00Z"}`, nil},
		{"lock",
			func() (any, error) { return a.Lock(ctx, "i-1", openecs.LockSecurity) },
			"POST", "/admin/v1/instances/i-1/locks", `{"reason":"security"}`,
			`{"instance_id":"i-1","locks":["security"]}`, &adminapi.Locks{InstanceID: "i-1", Locks: []openecs.LockReason{"security"}}},
		{"unlock",
			func() (any, error) { return a.Unlock(ctx, "i-1", openecs.LockSecurity) },
			"DELETE", "/admin/v1/instances/i-1/locks/security", "",
			`{"instance_id":"i-1","locks":[]}`, &adminapi.Locks{InstanceID: "i-1", Locks: []openecs.LockReason{}}},
		{"instance",
			func() (any, error) { return a.Instance(ctx, "i-1") },
			"GET", "/admin/v1/instances/i-1", "",
			`{"instance_id":"i-1","hourly_price":"0.626","started_at":"","disks":[{"disk_id":"d-1","type":"system"}]}`,
			&adminapi.Instance{InstanceID: "i-1", HourlyPrice: openecs.MustMoney("0.626"), Disks: []adminapi.InstanceDisk{{DiskID: "d-1", Type: openecs.DiskSystem}}}},
		{"patch instance",
			func() (any, error) {
				ready := false
				return a.PatchInstance(ctx, "i-1", adminapi.InstancePatch{HostReady: &ready})
			},
			"PATCH", "/admin/v1/instances/i-1", `{"host_ready":false}`,
			`{"instance_id":"i-1","host_ready":false}`, &adminapi.Instance{InstanceID: "i-1"}},
		{"capacity",
			func() (any, error) { return a.SetCapacity(ctx, "cn-hangzhou-h", "ecs.g7.large", intp(0)) },
			"PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":0}`,
			`{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":0}`,
			&adminapi.Capacity{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large", Available: intp(0)}},
		{"capacity unlimited",
			func() (any, error) { return a.SetCapacity(ctx, "cn-hangzhou-h", "ecs.g7.large", nil) },
			"PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":null}`,
			`{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":null}`,
			&adminapi.Capacity{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large"}},
		{"capacities",
			func() (any, error) { return a.Capacities(ctx) },
			"GET", "/admin/v1/capacity", "",
			`{"capacity":[{"zone_id":"z","instance_type":"t","available":2}]}`,
			[]adminapi.Capacity{{ZoneID: "z", InstanceType: "t", Available: intp(2)}}},
		{"add fault",
			func() (any, error) {
				return a.AddFault(ctx, adminapi.AddFault{Action: "StartInstance", Code: "NodeControllerUnavailable", Count: 2})
			},
			"POST", "/admin/v1/faults", `{"action":"StartInstance","code":"NodeControllerUnavailable","count":2}`,
			`{"id":7,"action":"StartInstance","code":"NodeControllerUnavailable","count":2,"account_id":"","probability":1,"latency_ms":0,"http_status":0}`,
			&adminapi.Fault{ID: 7, Action: "StartInstance", Code: "NodeControllerUnavailable", Count: 2, Probability: 1}},
		{"faults",
			func() (any, error) { return a.Faults(ctx) },
			"GET", "/admin/v1/faults", "",
			`{"faults":[{"id":7,"action":"A","code":"C","count":1,"account_id":"acc-1","probability":0.5,"latency_ms":10,"http_status":503,"until":"2026-01-01T00:30:00Z"}]}`,
			[]adminapi.Fault{{ID: 7, Action: "A", Code: "C", Count: 1, AccountID: "acc-1", Probability: 0.5, LatencyMS: 10, HTTPStatus: 503,
				Until: adminapi.At(time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC))}}},
		{"delete fault",
			func() (any, error) { return a.DeleteFault(ctx, 7) },
			"DELETE", "/admin/v1/faults/7", "", `{"id":7,"deleted":true}`, &adminapi.FaultDeleted{ID: 7, Deleted: true}},
		{"events",
			func() (any, error) { return a.Events(ctx, 42) },
			"GET", "/admin/v1/events?after=42", "",
			`{"events":[{"id":43,"at":"2026-01-01T01:00:00Z","account_id":"acc-1","kind":"charge","resource_id":"i-1","hour":"2026-01-01T01:00:00Z","amount":"0.50","cause":"billing","data":{"price":"0.50"}}]}`,
			[]adminapi.Event{{ID: 43, At: adminapi.At(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)), AccountID: "acc-1", Kind: openecs.EventCharge,
				ResourceID: "i-1", Hour: adminapi.At(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)), Amount: openecs.MustMoney("0.5"), Cause: "billing",
				Data: map[string]any{"price": "0.50"}}}},
		{"events by query",
			func() (any, error) {
				return a.ListEvents(ctx, EventQuery{AccountID: "acc 1", Kind: openecs.EventCharge, ResourceID: "i-1", Limit: 5})
			},
			"GET", "/admin/v1/events?account_id=acc+1&after=0&kind=charge&limit=5&resource_id=i-1", "", `{"events":[]}`, []adminapi.Event{}},
		{"orders",
			func() (any, error) { return a.Orders(ctx, "acc-1") },
			"GET", "/admin/v1/accounts/acc-1/orders", "",
			`{"orders":[{"order_id":"o-1","amount":"10.00","kind":"instance.buy"}]}`,
			[]adminapi.Order{{OrderID: "o-1", Amount: openecs.Yuan(10), Kind: openecs.OrderInstanceBuy}}},
		{"charges",
			func() (any, error) { return a.Charges(ctx, "acc-1", 16, 2) },
			"GET", "/admin/v1/accounts/acc-1/charges?after=16&limit=2", "",
			`{"account_id":"acc-1","account_total":"9.00","balance":"1.00","charges":[],"in_arrears":false,"next":20,"total":"0.00"}`,
			&adminapi.Charges{AccountID: "acc-1", AccountTotal: openecs.Yuan(9), Balance: openecs.Yuan(1), Charges: []adminapi.Event{}, Next: 20}},
		{"charges, first page",
			func() (any, error) { return a.Charges(ctx, "acc-1", 0, 0) },
			"GET", "/admin/v1/accounts/acc-1/charges", "", `{}`, &adminapi.Charges{}},
		{"image",
			func() (any, error) { return a.SetImageExpired(ctx, "m-1", true) },
			"PUT", "/admin/v1/images/m-1", `{"expired":true}`,
			`{"image_id":"m-1","expired":true,"instances_affected":2}`, &adminapi.Image{ImageID: "m-1", Expired: true, InstancesAffected: 2}},
		{"set quota",
			func() (any, error) {
				return a.SetQuota(ctx, adminapi.SetQuota{AccountID: "acc-1", RegionID: "r", ZoneID: "z", VCPUs: adminapi.QuotaLimit(intp(8))})
			},
			"PUT", "/admin/v1/quotas", `{"account_id":"acc-1","region_id":"r","zone_id":"z","vcpus":8}`,
			`{"account_id":"acc-1","region_id":"r","zone_id":"z","vcpus":8,"used":2,"updated_at":"2026-01-01T00:00:00Z"}`,
			&adminapi.Quota{AccountID: "acc-1", RegionID: "r", ZoneID: "z", VCPUs: intp(8), Used: 2, UpdatedAt: adminapi.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}},
		{"delete quota",
			func() (any, error) {
				return a.DeleteQuota(ctx, adminapi.SetQuota{AccountID: "acc-1", RegionID: "r", InstanceType: "t"})
			},
			"PUT", "/admin/v1/quotas", `{"account_id":"acc-1","region_id":"r","instance_type":"t","instances":null}`,
			`{"account_id":"acc-1","region_id":"r","instance_type":"t","deleted":true}`,
			&adminapi.QuotaDeleted{AccountID: "acc-1", RegionID: "r", InstanceType: "t", Deleted: true}},
		{"quotas",
			func() (any, error) { return a.Quotas(ctx, "acc-1", "") },
			"GET", "/admin/v1/quotas?account_id=acc-1", "", `{"quotas":[]}`, []adminapi.Quota{}},
		{"spot price",
			func() (any, error) {
				return a.SetSpotPrice(ctx, adminapi.SetSpotPrice{ZoneID: "z", InstanceType: "t", Price: money("0.05")})
			},
			"PUT", "/admin/v1/spot-prices", `{"zone_id":"z","instance_type":"t","price":"0.05"}`,
			`{"zone_id":"z","instance_type":"t","price":"0.05","at":"2026-01-01T00:00:00Z","reclaimed":["i-1"]}`,
			&adminapi.SpotPriceChange{ZoneID: "z", InstanceType: "t", Price: openecs.MustMoney("0.05"),
				At: adminapi.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), Reclaimed: []string{"i-1"}}},
		{"spot price default",
			func() (any, error) { return a.SetSpotPrice(ctx, adminapi.SetSpotPrice{ZoneID: "z", InstanceType: "t"}) },
			"PUT", "/admin/v1/spot-prices", `{"zone_id":"z","instance_type":"t","price":null}`, `{}`, &adminapi.SpotPriceChange{}},
		{"spot history",
			func() (any, error) { return a.SpotPriceHistory(ctx, "z", "t") },
			"GET", "/admin/v1/spot-prices/z/t", "", `{"default":true,"history":[]}`, &adminapi.SpotPriceHistory{Default: true, History: []adminapi.SpotPrice{}}},
		{"disk",
			func() (any, error) {
				st := openecs.DiskError
				return a.PatchDisk(ctx, "d-1", adminapi.DiskPatch{Status: &st})
			},
			"PATCH", "/admin/v1/disks/d-1", `{"status":"Error"}`, `{"disk_id":"d-1","status":"Error"}`,
			&adminapi.Disk{DiskID: "d-1", Status: openecs.DiskError}},
		{"kms key",
			func() (any, error) { return a.PutKMSKey(ctx, "k-1", adminapi.KMSKeyPatch{}) },
			"PUT", "/admin/v1/kms-keys/k-1", `{}`, `{"key_id":"k-1","state":"Enabled","ecs_authorized":true}`,
			&adminapi.KMSKey{KeyID: "k-1", State: openecs.KMSEnabled, ECSAuthorized: true}},
		{"delete kms key",
			func() (any, error) { return a.DeleteKMSKey(ctx, "k-1") },
			"DELETE", "/admin/v1/kms-keys/k-1", "", `{"key_id":"k-1","deleted":true}`, &adminapi.KMSKeyDeleted{KeyID: "k-1", Deleted: true}},
		{"sales",
			func() (any, error) { return a.SetSales(ctx, adminapi.SetSales{RegionID: "r", State: "suspended"}) },
			"PUT", "/admin/v1/sales", `{"region_id":"r","state":"suspended"}`, `{"region_id":"r","state":"suspended","zone_id":""}`,
			&adminapi.SalesState{RegionID: "r", State: "suspended"}},
		{"reserved lock",
			func() (any, error) { return a.LockReserved(ctx, "ecsri-1", openecs.LockFinancial) },
			"POST", "/admin/v1/reserved-instances/ecsri-1/locks", `{"reason":"financial"}`,
			`{"reserved_instance_id":"ecsri-1","locks":["financial"],"tags":{},"hourly_fee":"0.31621"}`,
			&adminapi.ReservedInstance{ReservedInstanceID: "ecsri-1", Locks: []openecs.LockReason{openecs.LockFinancial}, Tags: map[string]string{},
				HourlyFee: openecs.MustMoney("0.31621")}},
		{"seed",
			func() (any, error) { return a.Seed(ctx, adminapi.Seed{Instances: 3, Regions: []string{"r"}}) },
			"POST", "/admin/v1/seed", `{"instances":3,"regions":["r"]}`,
			`{"instances":3,"accounts":[],"account_ids":["a"],"seconds":0.5}`,
			&adminapi.Seeded{Instances: 3, Accounts: []adminapi.SeededAccount{}, AccountIDs: []string{"a"}, Seconds: 0.5}},
		{"job stats",
			func() (any, error) { return a.JobStats(ctx) },
			"GET", "/admin/v1/debug/jobs", "", `{"queued":2,"next_due":"2026-01-01T00:00:00Z","lateness":{"count":1,"counts_ms":[1]}}`,
			&adminapi.JobStats{Queued: 2, NextDue: adminapi.At(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
				Lateness: adminapi.JobLateness{Count: 1, CountsMS: []uint64{1}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.reply(200, tc.answer)
			got, err := tc.call()
			if err != nil {
				t.Fatal(err)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if srv.method != tc.method || srv.uri != tc.uri {
				t.Errorf("sent %s %s, want %s %s", srv.method, srv.uri, tc.method, tc.uri)
			}
			if srv.auth != "Bearer sekret" {
				t.Errorf("Authorization %q", srv.auth)
			}
			if tc.body == "" {
				if len(srv.body) != 0 {
					t.Errorf("unexpected body %s", srv.body)
				}
			} else {
				if srv.ctype != "application/json" {
					t.Errorf("Content-Type %q", srv.ctype)
				}
				var gotBody, wantBody any
				if err := json.Unmarshal(srv.body, &gotBody); err != nil {
					t.Fatalf("body %s: %v", srv.body, err)
				}
				json.Unmarshal([]byte(tc.body), &wantBody)
				if !reflect.DeepEqual(gotBody, wantBody) {
					t.Errorf("body %s, want %s", srv.body, tc.body)
				}
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestAdminClockDecodesTime(t *testing.T) {
	srv := newAdminServer(t)
	srv.reply(200, `{"now":"2026-11-22T10:04:05Z","offset":"360h0m0s"}`)
	c, err := (&Admin{Endpoint: srv.URL}).Clock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Now.String() != "2026-11-22T10:04:05Z" || c.Offset != "360h0m0s" {
		t.Errorf("clock %+v", c)
	}
}

func TestAdminErrors(t *testing.T) {
	srv := newAdminServer(t)
	a := &Admin{Endpoint: srv.URL, Token: "t"}
	ctx := context.Background()
	cases := []struct {
		status int
		body   string
		msg    string
	}{
		{404, `{"error":"no such account: acc-9"}`, "no such account: acc-9"},
		{401, `{"error":"missing or wrong admin token"}`, "missing or wrong admin token"},
		{502, "bad gateway\n", "bad gateway"},
		{500, "", "Internal Server Error"},
		{400, `{"other":"x"}`, `{"other":"x"}`},
	}
	for _, tc := range cases {
		srv.reply(tc.status, tc.body)
		_, err := a.Account(ctx, "acc-9")
		var ae *AdminError
		if !errors.As(err, &ae) {
			t.Fatalf("%d: err = %v", tc.status, err)
		}
		if ae.Status != tc.status || ae.Message != tc.msg || ae.Code != "" {
			t.Errorf("got %+v, want %d %q", ae, tc.status, tc.msg)
		}
	}
	// An ECS error code comes with the message.
	srv.reply(400, `{"code":"InvalidParameter","error":"out of range"}`)
	_, err := a.AddBalance(ctx, "acc-9", 1)
	var ae *AdminError
	if !errors.As(err, &ae) || ae.Code != "InvalidParameter" || ae.Message != "out of range" ||
		err.Error() != "admin API: HTTP 400: InvalidParameter: out of range" {
		t.Errorf("err = %v (%+v)", err, ae)
	}

	// A 2xx answer that does not decode is an error, not an AdminError.
	srv.reply(200, `{"account_id": 5}`)
	if _, err := a.Account(ctx, "x"); err == nil || errors.As(err, new(*AdminError)) {
		t.Errorf("undecodable answer: %v", err)
	}
	// Do with nil out ignores the answer; an empty 2xx answer is fine.
	srv.reply(204, "")
	if err := a.Do(ctx, "DELETE", "admin/v1/faults/1", nil, &struct{}{}); err != nil {
		t.Error(err)
	}
	srv.mu.Lock()
	if srv.uri != "/admin/v1/faults/1" {
		t.Errorf("path without a leading slash went to %s", srv.uri)
	}
	srv.mu.Unlock()
}

func TestAdminNoRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/admin/v1/clock" {
			t.Errorf("followed to %s", r.URL.Path)
		}
		http.Redirect(w, r, "/elsewhere", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	_, err := (&Admin{Endpoint: srv.URL}).Clock(context.Background())
	var ae *AdminError
	if !errors.As(err, &ae) || ae.Status != http.StatusMovedPermanently {
		t.Errorf("err = %v", err)
	}
}
