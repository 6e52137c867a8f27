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
			func() (any, error) { return a.CreateAccount(ctx, "dev", "100.00", true) },
			"POST", "/admin/v1/accounts", `{"name":"dev","balance":"100.00","economical_mode":true}`,
			`{"account_id":"acc-1","access_key_id":"AK1","access_key_secret":"SK1","balance":"100.00"}`,
			&NewAccount{AccountID: "acc-1", AccessKeyID: "AK1", AccessKeySecret: "SK1", Balance: "100.00"}},
		{"create account, not economical",
			func() (any, error) { return a.CreateAccount(ctx, "dev", "1", false) },
			"POST", "/admin/v1/accounts", `{"name":"dev","balance":"1"}`, `{}`, &NewAccount{}},
		{"account",
			func() (any, error) { return a.Account(ctx, "acc/1") },
			"GET", "/admin/v1/accounts/acc%2F1", "",
			`{"account_id":"acc/1","balance":"-5.00","in_arrears":true,"economical_mode":true}`,
			&Account{AccountID: "acc/1", Balance: "-5.00", InArrears: true, EconomicalMode: true}},
		{"set balance",
			func() (any, error) { return a.SetBalance(ctx, "acc-1", "-5.00") },
			"POST", "/admin/v1/accounts/acc-1/balance", `{"set":"-5.00"}`,
			`{"account_id":"acc-1","balance":"-5.00","in_arrears":false}`,
			&Account{AccountID: "acc-1", Balance: "-5.00"}},
		{"add balance",
			func() (any, error) { return a.AddBalance(ctx, "acc-1", "20.00") },
			"POST", "/admin/v1/accounts/acc-1/balance", `{"add":"20.00"}`,
			`{"account_id":"acc-1","balance":"15.00"}`,
			&Account{AccountID: "acc-1", Balance: "15.00"}},
		{"patch account",
			func() (any, error) {
				return a.PatchAccount(ctx, "acc-1", map[string]any{"economical_mode": false, "unauthorized_regions": []string{"cn-beijing"}})
			},
			"PATCH", "/admin/v1/accounts/acc-1", `{"economical_mode":false,"unauthorized_regions":["cn-beijing"]}`,
			`{"account_id":"acc-1","balance":"1","unauthorized_regions":["cn-beijing"]}`,
			&Account{AccountID: "acc-1", Balance: "1", UnauthorizedRegions: []string{"cn-beijing"}}},
		{"create key",
			func() (any, error) { return a.CreateKey(ctx, "acc-1", []string{"DescribeInstances", "StartInstance"}) },
			"POST", "/admin/v1/accounts/acc-1/keys", `{"allowed_actions":["DescribeInstances","StartInstance"]}`,
			`{"access_key_id":"AK2","access_key_secret":"SK2","allowed_actions":["DescribeInstances","StartInstance"]}`,
			&AccessKey{AccessKeyID: "AK2", AccessKeySecret: "SK2", AllowedActions: []string{"DescribeInstances", "StartInstance"}}},
		{"create key, any action",
			func() (any, error) { return a.CreateKey(ctx, "acc-1", nil) },
			"POST", "/admin/v1/accounts/acc-1/keys", `{}`,
			`{"access_key_id":"AK3","access_key_secret":"SK3","allowed_actions":null}`,
			&AccessKey{AccessKeyID: "AK3", AccessKeySecret: "SK3"}},
		{"create sts",
			func() (any, error) { return a.CreateSTS(ctx, "acc-1", "1h") },
			"POST", "/admin/v1/accounts/acc-1/sts", `{"duration":"1h"}`,
			`{"access_key_id":"STS.x","access_key_secret":"s","security_token":"t","expiration":"2026-01-01T01:00:00Z"}`,
			&STSCredentials{AccessKeyID: "STS.x", AccessKeySecret: "s", SecurityToken: "t", Expiration: "2026-01-01T01:00:00Z"}},
		{"clock",
			func() (any, error) { return a.Clock(ctx) },
			"GET", "/admin/v1/clock", "", `{"now":"2026-01-01T00:00:00Z"}`, nil},
		{"advance",
			func() (any, error) { return a.Advance(ctx, "360h") },
			"POST", "/admin/v1/clock/advance", `{"duration":"360h"}`, `{"now":"2026-01-16T00:00:00Z"}`, nil},
		{"lock",
			func() (any, error) { return a.Lock(ctx, "i-1", "security") },
			"POST", "/admin/v1/instances/i-1/locks", `{"reason":"security"}`,
			`{"instance_id":"i-1","locks":["security"]}`, &Locks{InstanceID: "i-1", Locks: []string{"security"}}},
		{"unlock",
			func() (any, error) { return a.Unlock(ctx, "i-1", "security") },
			"DELETE", "/admin/v1/instances/i-1/locks/security", "",
			`{"instance_id":"i-1","locks":[]}`, &Locks{InstanceID: "i-1", Locks: []string{}}},
		{"instance",
			func() (any, error) { return a.Instance(ctx, "i-1") },
			"GET", "/admin/v1/instances/i-1", "",
			`{"instance_id":"i-1","disks":[{"disk_id":"d-1","type":"system"}]}`,
			map[string]any{"instance_id": "i-1", "disks": []any{map[string]any{"disk_id": "d-1", "type": "system"}}}},
		{"capacity",
			func() (any, error) { return a.SetCapacity(ctx, "cn-hangzhou-h", "ecs.g7.large", intp(0)) },
			"PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":0}`,
			`{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":0}`,
			&Capacity{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large", Available: intp(0)}},
		{"capacity unlimited",
			func() (any, error) { return a.SetCapacity(ctx, "cn-hangzhou-h", "ecs.g7.large", nil) },
			"PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":null}`,
			`{"zone_id":"cn-hangzhou-h","instance_type":"ecs.g7.large","available":null}`,
			&Capacity{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large"}},
		{"add fault",
			func() (any, error) {
				return a.AddFault(ctx, map[string]any{"action": "StartInstance", "code": "NodeControllerUnavailable", "count": 2})
			},
			"POST", "/admin/v1/faults", `{"action":"StartInstance","code":"NodeControllerUnavailable","count":2}`,
			`{"id":7,"action":"StartInstance","code":"NodeControllerUnavailable","count":2,"account_id":"","probability":1,"latency_ms":0,"http_status":0}`,
			&Fault{ID: 7, Action: "StartInstance", Code: "NodeControllerUnavailable", Count: 2, Probability: 1}},
		{"faults",
			func() (any, error) { return a.Faults(ctx) },
			"GET", "/admin/v1/faults", "",
			`{"faults":[{"id":7,"action":"A","code":"C","count":1,"account_id":"acc-1","probability":0.5,"latency_ms":10,"http_status":503}]}`,
			[]Fault{{ID: 7, Action: "A", Code: "C", Count: 1, AccountID: "acc-1", Probability: 0.5, LatencyMS: 10, HTTPStatus: 503}}},
		{"delete fault",
			func() (any, error) { return nil, a.DeleteFault(ctx, 7) },
			"DELETE", "/admin/v1/faults/7", "", `{"id":7,"deleted":true}`, nil},
		{"events",
			func() (any, error) { return a.Events(ctx, 42) },
			"GET", "/admin/v1/events?after=42", "",
			`{"events":[{"id":43,"at":"2026-01-01T01:00:00Z","account_id":"acc-1","kind":"charge","resource_id":"i-1","hour":"2026-01-01T01:00:00Z","amount":"0.50","cause":"billing","data":{"price":"0.50"}}]}`,
			[]Event{{ID: 43, At: "2026-01-01T01:00:00Z", AccountID: "acc-1", Kind: "charge", ResourceID: "i-1", Hour: "2026-01-01T01:00:00Z",
				Amount: "0.50", Cause: "billing", Data: map[string]any{"price": "0.50"}}}},
		{"orders",
			func() (any, error) { return a.Orders(ctx, "acc-1") },
			"GET", "/admin/v1/accounts/acc-1/orders", "",
			`{"orders":[{"order_id":"o-1","amount":"10.00"}]}`,
			[]map[string]any{{"order_id": "o-1", "amount": "10.00"}}},
		{"image",
			func() (any, error) { return a.SetImageExpired(ctx, "m-1", true) },
			"PUT", "/admin/v1/images/m-1", `{"expired":true}`,
			`{"image_id":"m-1","expired":true}`, map[string]any{"image_id": "m-1", "expired": true}},
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
	if c.Now.Format("2006-01-02T15:04:05Z07:00") != "2026-11-22T10:04:05Z" || c.Offset != "360h0m0s" {
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
		if ae.Status != tc.status || ae.Message != tc.msg {
			t.Errorf("got %+v, want %d %q", ae, tc.status, tc.msg)
		}
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
