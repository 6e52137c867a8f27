package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// adminStub answers admin calls from a table keyed by "METHOD /path?query"
// and records the last request.
type adminStub struct {
	*httptest.Server
	mu      sync.Mutex
	answers map[string]string
	method  string
	uri     string
	auth    string
	body    []byte
}

func newAdminStub(t *testing.T, answers map[string]string) *adminStub {
	s := &adminStub{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.method, s.uri, s.auth, s.body = r.Method, r.URL.RequestURI(), r.Header.Get("Authorization"), b
		answer, ok := s.answers[r.Method+" "+r.URL.RequestURI()]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"no such admin call"}`)
			return
		}
		io.WriteString(w, answer)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *adminStub) lastAuth() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth
}

func admin(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runAdmin(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAdminCommandsSendTheRightCalls(t *testing.T) {
	cliEnv(t)
	answers := map[string]string{
		"POST /admin/v1/accounts":                       `{"account_id":"a1","access_key_id":"AK","access_key_secret":"SK","balance":"100.00"}`,
		"GET /admin/v1/accounts/a1":                     `{"account_id":"a1","balance":"1.00","in_arrears":false}`,
		"PATCH /admin/v1/accounts/a1":                   `{"account_id":"a1","balance":"1.00","economical_mode":true}`,
		"POST /admin/v1/accounts/a1/balance":            `{"account_id":"a1","balance":"-5.00","in_arrears":false}`,
		"POST /admin/v1/accounts/a1/keys":               `{"access_key_id":"AK2","access_key_secret":"SK2","allowed_actions":["StartInstance"]}`,
		"POST /admin/v1/accounts/a1/sts":                `{"access_key_id":"STS.1","access_key_secret":"s","security_token":"t","expiration":"2026-01-01T01:00:00Z"}`,
		"GET /admin/v1/clock":                           `{"now":"2026-01-01T00:00:00Z"}`,
		"POST /admin/v1/clock/advance":                  `{"now":"2026-01-16T00:00:00Z"}`,
		"POST /admin/v1/instances/i-1/locks":            `{"instance_id":"i-1","locks":["security"]}`,
		"DELETE /admin/v1/instances/i-1/locks/security": `{"instance_id":"i-1","locks":[]}`,
		"GET /admin/v1/instances/i-1":                   `{"instance_id":"i-1","status":"Running"}`,
		"PUT /admin/v1/capacity":                        `{"zone_id":"z","instance_type":"t","available":3}`,
		"POST /admin/v1/faults":                         `{"id":4,"action":"StartInstance","code":"C","count":1}`,
		"GET /admin/v1/faults":                          `{"faults":[]}`,
		"DELETE /admin/v1/faults/4":                     `{"id":4,"deleted":true}`,
		"GET /admin/v1/events?after=0":                  `{"events":[]}`,
		"GET /admin/v1/events?after=17":                 `{"events":[{"id":18,"kind":"charge"}]}`,
		"PUT /admin/v1/images/m-1":                      `{"image_id":"m-1","expired":true}`,
	}
	srv := newAdminStub(t, answers)
	t.Setenv("OPENECS_ENDPOINT", srv.URL)
	t.Setenv("OPENECS_ADMIN_TOKEN", "tok-env")

	cases := []struct {
		args   []string
		method string
		uri    string
		body   string // "" for none
		out    string // a fragment expected on stdout
	}{
		{[]string{"accounts", "create", "--name", "dev", "--balance", "100.00"}, "POST", "/admin/v1/accounts",
			`{"name":"dev","balance":"100.00"}`, `"access_key_secret": "SK"`},
		{[]string{"accounts", "create", "--economical", "--name=dev", "--balance=1"}, "POST", "/admin/v1/accounts",
			`{"name":"dev","balance":"1.00","economical_mode":true}`, `"account_id": "a1"`},
		{[]string{"accounts", "show", "a1"}, "GET", "/admin/v1/accounts/a1", "", `"in_arrears": false`},
		{[]string{"accounts", "patch", "a1", "--economical=true"}, "PATCH", "/admin/v1/accounts/a1",
			`{"economical_mode":true}`, `"economical_mode": true`},
		{[]string{"accounts", "patch", "--economical=false", "a1", "--unauthorized-types", "ecs.g7.large, ecs.c7.large", "--unauthorized-regions="},
			"PATCH", "/admin/v1/accounts/a1",
			`{"economical_mode":false,"unauthorized_instance_types":["ecs.g7.large","ecs.c7.large"],"unauthorized_regions":[]}`, ""},
		{[]string{"balance", "set", "a1", "-5.00"}, "POST", "/admin/v1/accounts/a1/balance", `{"set":"-5.00"}`, `"balance": "-5.00"`},
		{[]string{"balance", "add", "a1", "20.00"}, "POST", "/admin/v1/accounts/a1/balance", `{"add":"20.00"}`, ""},
		{[]string{"keys", "create", "a1", "--allow", "StartInstance,StopInstance"}, "POST", "/admin/v1/accounts/a1/keys",
			`{"allowed_actions":["StartInstance","StopInstance"]}`, `"access_key_id": "AK2"`},
		{[]string{"keys", "create", "a1"}, "POST", "/admin/v1/accounts/a1/keys", `{}`, ""},
		{[]string{"sts", "create", "a1", "--duration", "1h"}, "POST", "/admin/v1/accounts/a1/sts", `{"duration":"1h"}`, `"security_token": "t"`},
		{[]string{"clock", "show"}, "GET", "/admin/v1/clock", "", `"now": "2026-01-01T00:00:00Z"`},
		{[]string{"clock", "advance", "360h"}, "POST", "/admin/v1/clock/advance", `{"duration":"360h"}`, `2026-01-16`},
		{[]string{"locks", "add", "i-1", "security"}, "POST", "/admin/v1/instances/i-1/locks", `{"reason":"security"}`, `"security"`},
		{[]string{"locks", "remove", "i-1", "security"}, "DELETE", "/admin/v1/instances/i-1/locks/security", "", `"locks": []`},
		{[]string{"instances", "show", "i-1"}, "GET", "/admin/v1/instances/i-1", "", `"status": "Running"`},
		{[]string{"capacity", "set", "z", "t", "3"}, "PUT", "/admin/v1/capacity",
			`{"zone_id":"z","instance_type":"t","available":3}`, `"available": 3`},
		{[]string{"capacity", "set", "z", "t", "unlimited"}, "PUT", "/admin/v1/capacity",
			`{"zone_id":"z","instance_type":"t","available":null}`, ""},
		{[]string{"faults", "add", "--action", "StartInstance", "--code", "C"}, "POST", "/admin/v1/faults",
			`{"action":"StartInstance","code":"C","count":1,"probability":1}`, `"id": 4`},
		{[]string{"faults", "add", "--action", "A", "--code", "C", "--count", "3", "--account", "a1", "--probability", "0.5",
			"--latency-ms", "20", "--http-status", "503"}, "POST", "/admin/v1/faults",
			`{"action":"A","code":"C","count":3,"account_id":"a1","probability":0.5,"latency_ms":20,"http_status":503}`, ""},
		{[]string{"faults", "list"}, "GET", "/admin/v1/faults", "", `"faults": []`},
		{[]string{"faults", "rm", "4"}, "DELETE", "/admin/v1/faults/4", "", `"deleted": true`},
		{[]string{"events"}, "GET", "/admin/v1/events?after=0", "", `"events": []`},
		{[]string{"events", "--after", "17"}, "GET", "/admin/v1/events?after=17", "", `"id": 18`},
		{[]string{"images", "expire", "m-1"}, "PUT", "/admin/v1/images/m-1", `{"expired":true}`, `"expired": true`},
		{[]string{"images", "expire", "--undo", "m-1"}, "PUT", "/admin/v1/images/m-1", `{"expired":false}`, ""},
	}
	for _, c := range cases {
		code, out, errs := admin(c.args...)
		if code != 0 {
			t.Errorf("%q: exit %d, stderr %s", c.args, code, errs)
			continue
		}
		srv.mu.Lock()
		method, uri, auth, body := srv.method, srv.uri, srv.auth, srv.body
		srv.mu.Unlock()
		if method != c.method || uri != c.uri {
			t.Errorf("%q: sent %s %s, want %s %s", c.args, method, uri, c.method, c.uri)
		}
		if auth != "Bearer tok-env" {
			t.Errorf("%q: Authorization %q", c.args, auth)
		}
		if c.body == "" && len(body) != 0 {
			t.Errorf("%q: unexpected body %s", c.args, body)
		}
		if c.body != "" {
			var got, want any
			json.Unmarshal(body, &got)
			json.Unmarshal([]byte(c.body), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q: body %s, want %s", c.args, body, c.body)
			}
		}
		if !json.Valid([]byte(out)) || !strings.Contains(out, c.out) {
			t.Errorf("%q: stdout %q lacks %q", c.args, out, c.out)
		}
	}
}

func TestAdminConnectionFlags(t *testing.T) {
	cliEnv(t)
	srv := newAdminStub(t, map[string]string{"GET /admin/v1/clock": `{"now":"2026-01-01T00:00:00Z"}`})
	// Before the command.
	if code, _, errs := admin("--endpoint", srv.URL, "--admin-token", "before", "clock", "show"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if a := srv.lastAuth(); a != "Bearer before" {
		t.Errorf("Authorization %q", a)
	}
	// After it, overriding the environment.
	t.Setenv("OPENECS_ADMIN_TOKEN", "env")
	if code, _, errs := admin("clock", "show", "--endpoint", srv.URL, "--admin-token=after"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if a := srv.lastAuth(); a != "Bearer after" {
		t.Errorf("Authorization %q", a)
	}
	// The default token.
	t.Setenv("OPENECS_ADMIN_TOKEN", "")
	if code, _, errs := admin("--endpoint", srv.URL, "clock", "show"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if a := srv.lastAuth(); a != "Bearer openecs-admin" {
		t.Errorf("Authorization %q", a)
	}
}

func TestAdminBill(t *testing.T) {
	cliEnv(t)
	srv := newAdminStub(t, map[string]string{
		"GET /admin/v1/accounts/a1/charges?limit=10000": `{"account_id":"a1","balance":"-0.25","in_arrears":true,"account_total":"1.126",
			"charges":[{"id":2,"account_id":"a1","kind":"charge","resource_id":"i-1","hour":"2026-01-01T01:00:00Z","amount":"0.626"}],
			"next":2,"total":"0.626"}`,
		"GET /admin/v1/accounts/a1/charges?after=2&limit=10000": `{"account_id":"a1","balance":"-0.50","in_arrears":true,"account_total":"1.126",
			"charges":[{"id":4,"account_id":"a1","kind":"charge","amount":"0.5"}],"total":"0.50"}`,
		"GET /admin/v1/accounts/a1/orders": `{"orders":[{"order_id":"o-1","amount":"10.00"}]}`,
	})
	code, out, errs := admin("--endpoint", srv.URL, "bill", "a1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		AccountID    string `json:"account_id"`
		Balance      string `json:"balance"`
		InArrears    bool   `json:"in_arrears"`
		ChargesTotal string `json:"charges_total"`
		Charges      []struct {
			ID int64 `json:"id"`
		} `json:"charges"`
		Orders []map[string]any `json:"orders"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.AccountID != "a1" || got.Balance != "-0.25" || !got.InArrears || got.ChargesTotal != "1.126" ||
		len(got.Charges) != 2 || got.Charges[0].ID != 2 || got.Charges[1].ID != 4 || len(got.Orders) != 1 {
		t.Errorf("bill %+v", got)
	}
}

func TestAdminErrorsAndUsage(t *testing.T) {
	cliEnv(t)
	srv := newAdminStub(t, map[string]string{})
	t.Setenv("OPENECS_ENDPOINT", srv.URL)

	// An error answer: exit 1, the error as JSON on stdout.
	code, out, errs := admin("accounts", "show", "nope")
	if code != 1 || !strings.Contains(out, `"error": "no such admin call"`) || !strings.Contains(out, `"status": 404`) ||
		!strings.Contains(errs, "HTTP 404") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}

	usage := []struct {
		args []string
		msg  string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"accounts"}, "needs a subcommand"},
		{[]string{"accounts", "delete"}, `unknown command "accounts delete"`},
		{[]string{"accounts", "show"}, "want ID, got 0"},
		{[]string{"accounts", "show", "a", "b"}, "want ID, got 2"},
		{[]string{"accounts", "create", "--name", "x"}, "--name and --balance are required"},
		{[]string{"accounts", "patch", "a1"}, "nothing to change"},
		{[]string{"clock", "show", "extra"}, "unexpected arguments"},
		{[]string{"clock", "advance", "soon"}, "positive Go duration"},
		{[]string{"clock", "advance", "-1h"}, "positive Go duration"},
		{[]string{"sts", "create", "a1", "--duration", "x"}, "positive Go duration"},
		{[]string{"capacity", "set", "z", "t", "lots"}, "unlimited"},
		{[]string{"faults", "add", "--action", "A"}, "--action and --code are required"},
		{[]string{"faults", "rm", "x"}, "not a number"},
		{[]string{"events", "--after", "x"}, "invalid value"},
		{[]string{"clock", "show", "--bogus"}, "flag provided but not defined"},
		{[]string{"--bogus"}, "flag provided but not defined"},
	}
	for _, c := range usage {
		code, out, errs := admin(c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.msg) || !strings.Contains(errs, "Usage: openecs admin") {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s", c.args, code, out, errs)
		}
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.uri != "/admin/v1/accounts/nope" {
		t.Errorf("a usage error sent a request: %s %s", srv.method, srv.uri)
	}
}

func TestAdminUnreachable(t *testing.T) {
	cliEnv(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	code, out, errs := admin("--endpoint", addr, "clock", "show")
	if code != 1 || out != "" || !strings.Contains(errs, "openecs admin clock show:") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestAdminHelp(t *testing.T) {
	cliEnv(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errs := admin(args...)
		if code != 0 || errs != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range adminCommands {
			if !strings.Contains(out, "\n  "+c.name) {
				t.Errorf("%q: help lacks %q", args, c.name)
			}
		}
		for _, want := range []string{"OPENECS_ADMIN_TOKEN", `(default "openecs-admin")`, "openecs admin clock advance 360h"} {
			if !strings.Contains(out, want) {
				t.Errorf("%q: help lacks %q", args, want)
			}
		}
	}

	code, out, _ := admin("faults", "--help")
	if code != 0 || !strings.Contains(out, "faults add") || !strings.Contains(out, "faults rm") || strings.Contains(out, "\n  accounts create") {
		t.Errorf("group help: exit %d\n%s", code, out)
	}

	// Every command has its own help, listing its flags.
	for _, c := range adminCommands {
		args := append(strings.Fields(c.name), "--help")
		code, out, errs := admin(args...)
		if code != 0 || errs != "" || !strings.Contains(out, "Usage: openecs admin "+c.name) || !strings.Contains(out, "-endpoint") {
			t.Errorf("%q: exit %d, stderr %q\n%s", args, code, errs, out)
		}
	}
	_, out, _ = admin("faults", "add", "-h")
	for _, f := range []string{"-action", "-code", "-count", "-account", "-probability", "-latency-ms", "-http-status"} {
		if !strings.Contains(out, f) {
			t.Errorf("faults add help lacks %s", f)
		}
	}
}
