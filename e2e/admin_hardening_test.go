package e2e

// Issue 12, items 2, 8 and 10, where a user meets them: through the openecs
// binary, the Go client of the admin API and the official SDK.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/app"
	"github.com/openecs/openecs/client"
)

// adminCLI runs `openecs admin ARGS` against e and returns its exit status,
// stdout and stderr.
func adminCLI(t *testing.T, e *env, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(openecsBinary(t), append([]string{"admin", "--endpoint", e.endpoint(), "--admin-token", adminToken}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("openecs admin %s: %v", strings.Join(args, " "), err)
	}
	return 0, stdout.String(), stderr.String()
}

// adminBody sends a raw body to the admin API and returns the status and the
// answer.
func adminBody(t *testing.T, e *env, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.endpoint()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// Issue 12.2: `balance set 999999999999`, then `balance add 999999999999`
// nine times, answered 200 with a negative balance. The ninth add would
// pass int64's range: it is refused (400, InvalidParameter) and the balance
// stays where the eighth left it.
func TestAdminBalanceNeverWraps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, out, errs := adminCLI(t, e, "accounts", "create", "--name", "rich", "--balance", "1")
	if code != 0 {
		t.Fatalf("accounts create: exit %d: %s %s", code, out, errs)
	}
	var acct adminapi.NewAccount
	if err := json.Unmarshal([]byte(out), &acct); err != nil {
		t.Fatal(err)
	}
	id := acct.AccountID
	if code, out, errs := adminCLI(t, e, "balance", "set", id, "999999999999"); code != 0 {
		t.Fatalf("balance set: exit %d: %s %s", code, out, errs)
	}
	for i := 1; i <= 8; i++ {
		if code, out, errs := adminCLI(t, e, "balance", "add", id, "999999999999"); code != 0 {
			t.Fatalf("add %d: exit %d: %s %s", i, code, out, errs)
		}
	}
	code, out, errs = adminCLI(t, e, "balance", "add", id, "999999999999")
	var failure struct {
		Code   string `json:"code"`
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &failure); err != nil || code != 1 || failure.Status != 400 || failure.Code != "InvalidParameter" ||
		failure.Error != openecs.ErrMoneyOverflow.Message || !strings.Contains(errs, "HTTP 400") {
		t.Fatalf("the ninth add: exit %d, stdout %s, stderr %s; want exit 1 and a 400 InvalidParameter saying the amount is out of range", code, out, errs)
	}
	if code, out, _ := adminCLI(t, e, "accounts", "show", id); code != 0 || !strings.Contains(out, `"balance": "8999999999991.00"`) {
		t.Fatalf("after the refused add: exit %d, %s; want the balance of eight adds, 8999999999991.00", code, out)
	}

	// A set is never wrapped either: moving the balance by more than the
	// range (the change the event log records) is refused too.
	if status, body := adminBody(t, e, "POST", "/admin/v1/accounts/"+id+"/balance", `{"set":"-999999999999"}`); status != 400 ||
		!strings.Contains(body, "out of range") {
		t.Fatalf("a set whose change is out of range: %d %s", status, body)
	}

	// Too many integer digits: the parse error names the rule broken, not
	// the fractional one. An amount typed on the command line has at most
	// 12 integer digits (a usage error); JSON holds any amount Money can,
	// since answers show balances past 10^12.
	code, _, errs = adminCLI(t, e, "balance", "add", id, "9999999999999")
	if code != 2 || !strings.Contains(errs, "at most 12 integer digits") || strings.Contains(errs, "fractional") {
		t.Fatalf("a 13-digit amount in the CLI: exit %d, stderr %s", code, errs)
	}
	status, body := adminBody(t, e, "POST", "/admin/v1/accounts/"+id+"/balance", `{"add":"9999999999999"}`)
	if status != 400 || !strings.Contains(body, "within ±9223372036854.775807") || strings.Contains(body, "fractional") {
		t.Fatalf("an amount past Money's range in the API: %d %s", status, body)
	}
}

// moneyCatalog writes the built-in catalogue with ecs.g7.large priced at
// 999,999,999,999 CNY a month and a year: any price times an amount or a
// period of 10 or more is out of Money's range.
func moneyCatalog(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "catalog", "builtin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const cheap = `monthly_price: "292.00",  reserved_yearly_price: "2770.00"`
	if !bytes.Contains(b, []byte(cheap)) {
		t.Fatal("the built-in catalogue no longer prices ecs.g7.large as this test expects")
	}
	b = bytes.Replace(b, []byte(cheap), []byte(`monthly_price: "999999999999.00", reserved_yearly_price: "999999999999.00"`), 1)
	path := filepath.Join(t.TempDir(), "catalog.yaml")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Issue 12.2, through the SDK: a purchase whose price overflows is a clean
// InvalidParameter (400), never a 5xx and never a wrapped (negative) price
// that would credit the account.
func TestAPIMoneyOverflowIsAClientError(t *testing.T) {
	t.Parallel()
	cat := moneyCatalog(t)
	e := newEnv(t, func(c *app.Config) { c.CatalogPath = cat })
	before := e.balance(e.app.Bootstrap.ID)

	create := ecs.CreateCreateInstanceRequest()
	create.RegionId, create.ImageId, create.InstanceType, create.ZoneId = region, image, itype, "cn-hangzhou-h"
	create.InstanceChargeType, create.Period, create.PeriodUnit = "PrePaid", requestsInt(12), "Month"
	_, err := e.ecs.CreateInstance(create)
	if se := apiError(t, err, "InvalidParameter", 400); se.Message() != openecs.ErrMoneyOverflow.Message {
		t.Fatalf("CreateInstance for 12 months: message %q", se.Message())
	}

	runReq := ecs.CreateRunInstancesRequest()
	runReq.RegionId, runReq.ImageId, runReq.InstanceType, runReq.ZoneId = region, image, itype, "cn-hangzhou-h"
	runReq.InstanceChargeType, runReq.Period, runReq.PeriodUnit, runReq.Amount = "PrePaid", requestsInt(1), "Month", requestsInt(10)
	_, err = e.ecs.RunInstances(runReq)
	apiError(t, err, "InvalidParameter", 400)

	_, err = riBuyErr(e.ecs, func(r *ecs.PurchaseReservedInstancesOfferingRequest) { r.InstanceAmount = requestsInt(10) })
	apiError(t, err, "InvalidParameter", 400)

	if after := e.balance(e.app.Bootstrap.ID); after != before {
		t.Fatalf("balance %s after refused purchases, want %s", after, before)
	}
	list := ecs.CreateDescribeInstancesRequest()
	list.RegionId = region
	resp, err := e.ecs.DescribeInstances(list)
	ok(t, err)
	if resp.TotalCount != 0 {
		t.Fatalf("%d instances after refused purchases", resp.TotalCount)
	}
}

// Issue 12.8: GET …/charges was unbounded. A page holds at most 10,000
// charges whatever the limit, "next" leads to the following page, "total"
// is the page's and "account_total" the account's.
func TestAdminChargesArePaged(t *testing.T) {
	// Not parallel: it bills 12,500 instance-hours, which is better done
	// while the parallel tests wait than against their load on the store.
	e := newEnv(t)
	ctx := context.Background()
	a := &client.Admin{Endpoint: e.endpoint(), Token: adminToken}
	seeded, err := a.Seed(ctx, adminapi.Seed{Instances: 2_500, Accounts: 1, Regions: []string{region},
		Statuses: map[openecs.Status]float64{openecs.StatusRunning: 1}})
	ok(t, err)
	id := seeded.AccountIDs[0]
	if _, err := a.Advance(ctx, "5h"); err != nil {
		t.Fatal(err)
	}
	const charges = 5 * 2_500

	// Asked for a hundred million, the server answers one bounded page.
	status, body := adminBody(t, e, "GET", "/admin/v1/accounts/"+id+"/charges?limit=100000000", "")
	var page adminapi.Charges
	if err := json.Unmarshal([]byte(body), &page); err != nil || status != 200 {
		t.Fatalf("%d %.300s: %v", status, body, err)
	}
	if len(page.Charges) != 10_000 || page.Next != page.Charges[len(page.Charges)-1].ID {
		t.Fatalf("a page of %d charges with next %d; want 10000 and the last id", len(page.Charges), page.Next)
	}
	if len(body) > 10_000*400 {
		t.Fatalf("the page is %d bytes; a charge takes about 250", len(body))
	}
	if page.AccountTotal <= page.Total {
		t.Fatalf("account_total %s is not above the page's total %s", page.AccountTotal, page.Total)
	}

	// The default page, then every page through the client.
	first, err := a.Charges(ctx, id, 0, 0)
	ok(t, err)
	if len(first.Charges) != 1_000 || first.Next == 0 {
		t.Fatalf("the default page has %d charges, next %d", len(first.Charges), first.Next)
	}
	var n int
	var sum openecs.Money
	for after := int64(0); ; {
		p, err := a.Charges(ctx, id, after, 3_000)
		ok(t, err)
		var pageSum openecs.Money
		for _, c := range p.Charges {
			if c.ID <= after || c.Kind != openecs.EventCharge || c.AccountID != id {
				t.Fatalf("charge %+v on the page after %d", c, after)
			}
			pageSum += c.Amount
			after = c.ID
		}
		if pageSum != p.Total || p.AccountTotal != page.AccountTotal {
			t.Fatalf("page after %d: total %s, its charges sum to %s; account_total %s, was %s", after, p.Total, pageSum, p.AccountTotal, page.AccountTotal)
		}
		n += len(p.Charges)
		sum += p.Total
		if p.Next == 0 {
			break
		}
		if p.Next != after {
			t.Fatalf("next %d, want the last id %d", p.Next, after)
		}
	}
	if n != charges || sum != page.AccountTotal {
		t.Fatalf("%d charges summing to %s over all pages; want %d summing to account_total %s", n, sum, charges, page.AccountTotal)
	}
	if status, body := adminBody(t, e, "GET", "/admin/v1/accounts/"+id+"/charges?limit=-1", ""); status != 400 {
		t.Fatalf("limit=-1: %d %s", status, body)
	}
}

// Issue 12.10: a fault rule for an action that does not exist, a body with
// data after its JSON object and a negative top-up are refused.
func TestAdminInputIsChecked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.app.Bootstrap.ID

	// Fault rules name a real action.
	code, out, _ := adminCLI(t, e, "faults", "add", "--action", "StartInstanse", "--code", "Throttling")
	if code != 1 || !strings.Contains(out, `"status": 400`) || !strings.Contains(out, `unknown action \"StartInstanse\"`) ||
		!strings.Contains(out, "StartInstance") || !strings.Contains(out, "RunInstances") {
		t.Fatalf("a fault for a misspelt action: exit %d, %s", code, out)
	}
	code, out, _ = adminCLI(t, e, "faults", "add", "--action", "startinstance", "--code", "Throttling")
	if code != 1 || !strings.Contains(out, `did you mean \"StartInstance\"`) {
		t.Fatalf("a fault for a wrongly cased action: exit %d, %s", code, out)
	}
	if code, out, _ := adminCLI(t, e, "faults", "list"); code != 0 || !strings.Contains(out, `"faults": []`) {
		t.Fatalf("refused rules were stored: %s", out)
	}
	if code, out, errs := adminCLI(t, e, "faults", "add", "--action", "ReActivateInstances", "--code", "Throttling"); code != 0 {
		t.Fatalf("a fault for a real action: exit %d, %s %s", code, out, errs)
	}

	// One JSON value per body: white space after it is fine, data is not.
	for _, body := range []string{`{"add":"1"} {"add":"1"}`, `{"add":"1"}x`, `{"add":"1"}]`, `{"add":"1"}{}`} {
		if status, answer := adminBody(t, e, "POST", "/admin/v1/accounts/"+id+"/balance", body); status != 400 ||
			!strings.Contains(answer, "data after the JSON value") {
			t.Errorf("body %q: %d %s", body, status, answer)
		}
	}
	if status, answer := adminBody(t, e, "POST", "/admin/v1/faults", `{"action":"StopInstance","code":"Throttling"}`+"\n"+`{"action":"x"}`); status != 400 {
		t.Errorf("two fault rules in one body: %d %s", status, answer)
	}
	if b := e.balance(id); b != "10000.00" {
		t.Fatalf("balance %s after refused bodies, want 10000.00", b)
	}
	if status, answer := adminBody(t, e, "POST", "/admin/v1/accounts/"+id+"/balance", "{\"add\":\"1\"}\r\n\t "); status != 200 {
		t.Fatalf("a body ending in white space: %d %s", status, answer)
	}

	// A top-up is positive; taking money away is a set.
	for _, amount := range []string{"-5.00", "0"} {
		code, out, _ := adminCLI(t, e, "balance", "add", id, amount)
		if code != 1 || !strings.Contains(out, `"status": 400`) || !strings.Contains(out, `to take money away, use \"set\"`) {
			t.Errorf("balance add %s: exit %d, %s", amount, code, out)
		}
	}
	if b := e.balance(id); b != "10001.00" {
		t.Fatalf("balance %s after refused top-ups, want 10001.00", b)
	}
	if code, out, _ := adminCLI(t, e, "balance", "set", id, "-5.00"); code != 0 || !strings.Contains(out, `"balance": "-5.00"`) {
		t.Fatalf("balance set -5.00: exit %d, %s", code, out)
	}
}

// A renewal whose price is out of Money's range can never be paid: at the
// end of the term the instance and the reserved instance expire (as when
// the balance is short) instead of their expiry jobs failing at every retry.
func TestAutoRenewalOutOfRangeExpires(t *testing.T) {
	t.Parallel()
	cat := moneyCatalog(t)
	e := newEnv(t, func(c *app.Config) { c.CatalogPath = cat })
	ctx := context.Background()
	a := &client.Admin{Endpoint: e.endpoint(), Token: adminToken}
	id := e.app.Bootstrap.ID
	_, err := a.SetBalance(ctx, id, openecs.Yuan(999_999_999_999))
	ok(t, err)
	for range 4 {
		_, err = a.AddBalance(ctx, id, openecs.Yuan(999_999_999_999))
		ok(t, err)
	}

	// A month of the instance fits; twelve, the auto-renewal, do not.
	create := ecs.CreateCreateInstanceRequest()
	create.RegionId, create.ImageId, create.InstanceType, create.ZoneId = region, image, itype, "cn-hangzhou-h"
	create.InstanceChargeType, create.Period, create.PeriodUnit = "PrePaid", requestsInt(1), "Month"
	create.AutoRenew, create.AutoRenewPeriod = "true", requestsInt(12)
	inst, err := e.ecs.CreateInstance(create)
	ok(t, err)
	// A year of four reserved instances fits; three years, the
	// auto-renewal, do not.
	ri, _ := riBuy(t, e.ecs, func(r *ecs.PurchaseReservedInstancesOfferingRequest) {
		r.InstanceAmount, r.AutoRenew, r.AutoRenewPeriod = requestsInt(4), "true", requestsInt(36)
	})

	_, err = a.Advance(ctx, "8800h") // past both terms
	ok(t, err)
	// The instance expired at the end of its month (and was released 15
	// days later).
	expired, err := a.ListEvents(ctx, client.EventQuery{ResourceID: inst.InstanceId, Kind: openecs.EventInstanceExpired})
	ok(t, err)
	renewed, err := a.ListEvents(ctx, client.EventQuery{ResourceID: inst.InstanceId, Kind: openecs.EventInstanceRenewed})
	ok(t, err)
	if len(expired) != 1 || len(renewed) != 0 {
		t.Errorf("the instance expired %d times and renewed %d times; want once and never", len(expired), len(renewed))
	}
	r, err := a.ReservedInstance(ctx, ri)
	ok(t, err)
	if r.Status != openecs.ReservedExpired {
		t.Errorf("the reserved instance is %s after its term; want Expired", r.Status)
	}
	evs, err := a.ListEvents(ctx, client.EventQuery{ResourceID: ri, Kind: openecs.EventReservedExpired})
	ok(t, err)
	if len(evs) != 1 || evs[0].Data["auto_renew_failed"] != "the renewal price is out of range" {
		t.Errorf("expiry events of the reserved instance: %+v", evs)
	}
	stats, err := a.JobStats(ctx)
	ok(t, err)
	if stats.UnknownKindRuns != 0 {
		t.Errorf("job stats %+v", stats)
	}
}
