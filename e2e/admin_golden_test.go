package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/app"
)

// TestAdminGoldenBodies pins the exact bytes of every admin API answer (go
// test ./e2e -run AdminGolden -update rewrites them): every route once, the
// empty and the filled form of each optional field, and the error bodies. The
// wall clock is fixed, so times are stable; ids, keys, secrets, tokens and
// timings are normalised. The files are the contract of docs/admin-api.md:
// a change to the admin types that moves a key, drops an empty one or
// changes a format shows here.
func TestAdminGoldenBodies(t *testing.T) {
	e := newEnv(t, withWall(func() time.Time { return goldenWall }))
	g := &adminGolden{e: e}

	// Errors: no token, unknown call, bad JSON, unknown field, not found.
	g.callToken("error.unauthorized", "", "GET", "/admin/v1/clock", "", 401)
	g.call("error.no-such-call", "GET", "/admin/v1/nothing-here", "", 404)
	g.call("error.bad-json", "POST", "/admin/v1/accounts", `{"name":`, 400)
	g.call("error.unknown-field", "POST", "/admin/v1/accounts", `{"name":"x","balanse":"1"}`, 400)
	g.call("error.empty-body", "POST", "/admin/v1/clock/advance", ``, 400)
	g.call("error.not-found", "GET", "/admin/v1/accounts/0000000000000000", "", 404)

	// Accounts, keys, credentials, balance.
	g.call("clock.show", "GET", "/admin/v1/clock", "", 200)
	acc := g.call("accounts.create", "POST", "/admin/v1/accounts", `{"name":"golden","balance":"100.00"}`, 201)
	id := acc["account_id"].(string)
	key, secret := acc["access_key_id"].(string), acc["access_key_secret"].(string)
	econ := g.call("accounts.create.full", "POST", "/admin/v1/accounts", `{"name":"golden-econ","balance":"0.5","economical_mode":true,
		"unauthorized_instance_types":["ecs.c7.large"],"unauthorized_regions":["cn-beijing"]}`, 201)
	econID := econ["account_id"].(string)
	g.call("accounts.create.no-name", "POST", "/admin/v1/accounts", `{"balance":"1"}`, 201)
	g.call("accounts.show", "GET", "/admin/v1/accounts/"+id, "", 200)
	g.call("accounts.show.full", "GET", "/admin/v1/accounts/"+econID, "", 200)
	g.call("accounts.patch", "PATCH", "/admin/v1/accounts/"+econID, `{"name":"renamed","economical_mode":false,"unauthorized_regions":[]}`, 200)
	g.call("balance.set", "POST", "/admin/v1/accounts/"+id+"/balance", `{"set":"-5.00"}`, 200)
	g.call("balance.add", "POST", "/admin/v1/accounts/"+id+"/balance", `{"add":"1005.125"}`, 200)
	g.call("balance.both", "POST", "/admin/v1/accounts/"+id+"/balance", `{"set":"1","add":"1"}`, 400)
	g.call("balance.format", "POST", "/admin/v1/accounts/"+id+"/balance", `{"add":"1.0000001"}`, 400)
	g.call("keys.create", "POST", "/admin/v1/accounts/"+id+"/keys", `{"allowed_actions":["DescribeInstances","StartInstance"]}`, 201)
	g.call("keys.create.any", "POST", "/admin/v1/accounts/"+id+"/keys", ``, 201)
	g.call("sts.create", "POST", "/admin/v1/accounts/"+id+"/sts", `{"duration":"2h","allowed_actions":["DescribeInstances"]}`, 201)
	g.call("sts.create.default", "POST", "/admin/v1/accounts/"+id+"/sts", ``, 201)
	g.call("sts.create.bad-duration", "POST", "/admin/v1/accounts/"+id+"/sts", `{"duration":"-1h"}`, 400)
	g.call("bearer.create", "POST", "/admin/v1/accounts/"+id+"/bearer-tokens", `{"duration":"30m"}`, 201)
	g.call("bearer.create.allowed", "POST", "/admin/v1/accounts/"+id+"/bearer-tokens", `{"allowed_actions":["DescribeRegions"]}`, 201)

	// An instance of each kind, a reserved instance, through the API.
	rpc := func(action string, params map[string]string) []byte {
		t.Helper()
		r := e.raw(action, rawCall{Params: params, Time: goldenWall, KeyID: key, Secret: secret})
		if r.Status != 200 {
			t.Fatalf("%s: status %d: %s", action, r.Status, r.Body)
		}
		return r.Body
	}
	idRe := regexp.MustCompile(`i-[0-9a-z]{20}`)
	// One disk each: the store lists disks in the order of their random ids.
	inst := idRe.FindString(string(rpc("RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "ZoneId": "cn-hangzhou-h"})))
	spot := idRe.FindString(string(rpc("RunInstances", map[string]string{"ImageId": image, "InstanceType": itype, "ZoneId": "cn-hangzhou-h",
		"SpotStrategy": "SpotWithPriceLimit", "SpotPriceLimit": "0.9"})))
	prepaid := idRe.FindString(string(rpc("CreateInstance", map[string]string{"ImageId": image, "InstanceType": "ecs.c7.large", "ZoneId": "cn-hangzhou-i",
		"InstanceChargeType": "PrePaid", "Period": "1", "PeriodUnit": "Month", "AutoRenew": "true"})))
	// Orders list newest first; the second comes an hour later so their
	// order does not depend on their random ids.
	g.call("clock.advance.first", "POST", "/admin/v1/clock/advance", `{"duration":"1h"}`, 200)
	ri := regexp.MustCompile(`ecsri-[0-9a-z]{20}`).FindString(string(rpc("PurchaseReservedInstancesOffering", map[string]string{
		"InstanceType": itype, "Scope": "Zone", "ZoneId": riZone, "OfferingType": "No Upfront", "ReservedInstanceName": "golden-ri",
		"Description": "pinned", "Tag.1.Key": "env", "Tag.1.Value": "golden"})))

	// Instances and locks.
	detail := g.call("instances.show", "GET", "/admin/v1/instances/"+inst, "", 200)
	g.call("instances.show.spot", "GET", "/admin/v1/instances/"+spot, "", 200)
	g.call("instances.show.prepaid", "GET", "/admin/v1/instances/"+prepaid, "", 200)
	g.call("instances.patch", "PATCH", "/admin/v1/instances/"+inst, `{"host_ready":false}`, 200)
	g.call("instances.patch.back", "PATCH", "/admin/v1/instances/"+inst, `{"host_ready":true}`, 200)
	g.call("instances.show.missing", "GET", "/admin/v1/instances/i-bpnosuchinstance000", "", 404)
	g.call("locks.add", "POST", "/admin/v1/instances/"+inst+"/locks", `{"reason":"security"}`, 200)
	g.call("locks.remove", "DELETE", "/admin/v1/instances/"+inst+"/locks/security", "", 200)
	g.call("locks.add.bad-reason", "POST", "/admin/v1/instances/"+inst+"/locks", `{"reason":"whim"}`, 400)

	// Capacity.
	g.call("capacity.list.empty", "GET", "/admin/v1/capacity", "", 200)
	g.call("capacity.set", "PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.c7.large","available":3}`, 200)
	g.call("capacity.set.unlimited", "PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-i","instance_type":"ecs.c7.large","available":null}`, 200)
	g.call("capacity.list", "GET", "/admin/v1/capacity", "", 200)
	g.call("capacity.delete", "DELETE", "/admin/v1/capacity/cn-hangzhou-h/ecs.c7.large", "", 200)
	g.call("capacity.set.missing", "PUT", "/admin/v1/capacity", `{"zone_id":"cn-hangzhou-h"}`, 400)

	// Faults.
	g.call("faults.list.empty", "GET", "/admin/v1/faults", "", 200)
	g.call("faults.add", "POST", "/admin/v1/faults", `{"action":"StartInstance","code":"NodeControllerUnavailable"}`, 201)
	g.call("faults.add.full", "POST", "/admin/v1/faults", `{"action":"StopInstance","code":"Throttling","count":2,"account_id":"`+id+`",
		"probability":0.5,"latency_ms":20,"http_status":503,"message":"slow down","duration":"90m"}`, 201)
	g.call("faults.list", "GET", "/admin/v1/faults", "", 200)
	g.call("faults.delete", "DELETE", "/admin/v1/faults/1", "", 200)
	g.call("faults.delete.missing", "DELETE", "/admin/v1/faults/999", "", 404)
	g.call("faults.delete.bad-id", "DELETE", "/admin/v1/faults/one", "", 400)
	g.call("faults.add.missing", "POST", "/admin/v1/faults", `{"action":"StartInstance"}`, 400)

	// Images.
	const unused = "ubuntu_22_04_x64_20G_alibase_20240926.vhd"
	g.call("images.expire", "PUT", "/admin/v1/images/"+unused, `{"expired":true}`, 200)
	g.call("images.unexpire", "PUT", "/admin/v1/images/"+unused, `{"expired":false}`, 200)
	g.call("images.missing", "PUT", "/admin/v1/images/no-such-image", `{"expired":true}`, 404)

	// Quotas.
	g.call("quotas.list.empty", "GET", "/admin/v1/quotas", "", 200)
	g.call("quotas.set.vcpus", "PUT", "/admin/v1/quotas", `{"account_id":"`+id+`","region_id":"cn-hangzhou","zone_id":"cn-hangzhou-h","vcpus":64}`, 200)
	g.call("quotas.set.instances", "PUT", "/admin/v1/quotas", `{"account_id":"`+id+`","region_id":"cn-hangzhou","instance_type":"ecs.g7.large","instances":5}`, 200)
	g.call("quotas.list", "GET", "/admin/v1/quotas?account_id="+id, "", 200)
	g.call("quotas.delete.vcpus", "PUT", "/admin/v1/quotas", `{"account_id":"`+id+`","region_id":"cn-hangzhou","zone_id":"cn-hangzhou-h","vcpus":null}`, 200)
	g.call("quotas.delete.instances", "PUT", "/admin/v1/quotas", `{"account_id":"`+id+`","region_id":"cn-hangzhou","instance_type":"ecs.g7.large","instances":null}`, 200)
	g.call("quotas.set.bad", "PUT", "/admin/v1/quotas", `{"account_id":"`+id+`","region_id":"cn-hangzhou","zone_id":"cn-hangzhou-h","vcpus":"many"}`, 400)

	// Spot prices.
	g.call("spot.list.empty", "GET", "/admin/v1/spot-prices", "", 200)
	g.call("spot.history.default", "GET", "/admin/v1/spot-prices/cn-hangzhou-h/"+itype, "", 200)
	g.call("spot.set", "PUT", "/admin/v1/spot-prices", `{"zone_id":"cn-hangzhou-h","instance_type":"`+itype+`","price":"0.95"}`, 200)
	g.call("spot.set.default", "PUT", "/admin/v1/spot-prices", `{"zone_id":"cn-hangzhou-h","instance_type":"ecs.c7.large","price":null}`, 200)
	g.call("spot.list", "GET", "/admin/v1/spot-prices", "", 200)
	g.call("spot.history", "GET", "/admin/v1/spot-prices/cn-hangzhou-h/"+itype+"?limit=5", "", 200)
	g.call("spot.history.bad-zone", "GET", "/admin/v1/spot-prices/nowhere/"+itype, "", 400)

	// Disks.
	disk := detail["disks"].([]any)[0].(map[string]any)["disk_id"].(string)
	g.call("disks.show", "GET", "/admin/v1/disks/"+disk, "", 200)
	g.call("disks.patch", "PATCH", "/admin/v1/disks/"+disk, `{"status":"Error","in_arrears":true}`, 200)
	g.call("disks.patch.back", "PATCH", "/admin/v1/disks/"+disk, `{"status":"In_use","in_arrears":false}`, 200)
	g.call("disks.show.missing", "GET", "/admin/v1/disks/d-nosuchdisk0000000", "", 404)

	// KMS keys.
	g.call("kms.list.empty", "GET", "/admin/v1/kms-keys", "", 200)
	g.call("kms.put", "PUT", "/admin/v1/kms-keys/key-golden-1", ``, 200)
	g.call("kms.put.full", "PUT", "/admin/v1/kms-keys/key-golden-2", `{"state":"Disabled","ecs_authorized":false,"account_id":"`+id+`"}`, 200)
	g.call("kms.show", "GET", "/admin/v1/kms-keys/key-golden-2", "", 200)
	g.call("kms.list", "GET", "/admin/v1/kms-keys", "", 200)
	g.call("kms.delete", "DELETE", "/admin/v1/kms-keys/key-golden-1", "", 200)

	// Sales and reserved instances.
	g.call("sales.list.empty", "GET", "/admin/v1/sales", "", 200)
	g.call("sales.set.zone", "PUT", "/admin/v1/sales", `{"region_id":"cn-hangzhou","zone_id":"cn-hangzhou-i","state":"suspended"}`, 200)
	g.call("sales.set.region", "PUT", "/admin/v1/sales", `{"region_id":"cn-beijing","state":"not_on_sale"}`, 200)
	g.call("sales.list", "GET", "/admin/v1/sales", "", 200)
	g.call("sales.set.missing", "PUT", "/admin/v1/sales", `{"zone_id":"cn-hangzhou-i"}`, 400)
	g.call("reserved.show", "GET", "/admin/v1/reserved-instances/"+ri, "", 200)
	g.call("reserved.lock", "POST", "/admin/v1/reserved-instances/"+ri+"/locks", `{"reason":"financial"}`, 200)
	g.call("reserved.unlock", "DELETE", "/admin/v1/reserved-instances/"+ri+"/locks/financial", "", 200)

	// Time passes: charges, orders, arrears, the event log.
	g.call("clock.advance", "POST", "/admin/v1/clock/advance", `{"duration":"2h"}`, 200)
	g.call("clock.show.advanced", "GET", "/admin/v1/clock", "", 200)
	g.call("clock.advance.bad", "POST", "/admin/v1/clock/advance", `{"duration":"soon"}`, 400)
	g.call("charges", "GET", "/admin/v1/accounts/"+id+"/charges", "", 200)
	g.call("charges.page", "GET", "/admin/v1/accounts/"+id+"/charges?limit=1", "", 200)
	g.call("charges.none", "GET", "/admin/v1/accounts/"+econID+"/charges", "", 200)
	g.call("orders", "GET", "/admin/v1/accounts/"+id+"/orders", "", 200)
	g.call("orders.none", "GET", "/admin/v1/accounts/"+econID+"/orders?limit=5", "", 200)
	g.call("balance.set.arrears", "POST", "/admin/v1/accounts/"+id+"/balance", `{"set":"-1"}`, 200)
	g.call("clock.advance.arrears", "POST", "/admin/v1/clock/advance", `{"duration":"1h"}`, 200)
	g.call("accounts.show.arrears", "GET", "/admin/v1/accounts/"+id, "", 200)
	g.call("events", "GET", "/admin/v1/events?account_id="+id+"&limit=40", "", 200)
	g.call("events.charges", "GET", "/admin/v1/events?kind=charge&resource_id="+inst, "", 200)
	g.call("events.after", "GET", "/admin/v1/events?after=100000", "", 200)
	g.call("events.bad", "GET", "/admin/v1/events?limit=-1", "", 400)

	// Seeding and the job queue.
	g.call("seed", "POST", "/admin/v1/seed", `{"instances":3,"accounts":1,"regions":["cn-hangzhou"],"statuses":{"Running":1},"balance":"50"}`, 201)
	g.call("seed.bad", "POST", "/admin/v1/seed", `{"instances":1,"regions":["nowhere-1"]}`, 400)
	g.call("debug.jobs", "GET", "/admin/v1/debug/jobs", "", 200)

	// Accounts list in the order of their random ids: a server of its own
	// with one account keeps the list stable.
	// Its own test, so that on PostgreSQL it has a database of its own.
	t.Run("solo", func(t *testing.T) {
		solo := &adminGolden{e: newEnv(t, withWall(func() time.Time { return goldenWall }), func(c *app.Config) { c.NoBootstrap = true })}
		solo.call("accounts.list.empty", "GET", "/admin/v1/accounts", "", 200)
		solo.call("accounts.create.solo", "POST", "/admin/v1/accounts", `{"name":"solo","balance":"-2","unauthorized_regions":["cn-beijing"]}`, 201)
		solo.call("clock.advance.solo", "POST", "/admin/v1/clock/advance", `{"duration":"1h"}`, 200)
		solo.call("accounts.list", "GET", "/admin/v1/accounts", "", 200)
	})
}

// adminGolden makes admin calls and compares their answers with the files in
// testdata/admin/.
type adminGolden struct {
	e *env
	n normaliser
}

// adminSecrets are the random values of the admin answers, normalised by key.
var adminSecrets = regexp.MustCompile(`"(access_key_id|access_key_secret|security_token|bearer_token|order_id|seconds)": ("[^"]*"|[0-9.e+-]+)`)

// orderIDs are the 15-digit order ids.
var orderIDs = regexp.MustCompile(`"\d{15}"`)

func (g *adminGolden) call(name, method, path, body string, want int) map[string]any {
	g.e.t.Helper()
	return g.callToken(name, adminToken, method, path, body, want)
}

func (g *adminGolden) callToken(name, token, method, path, body string, want int) map[string]any {
	t := g.e.t
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, g.e.endpoint()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("%s: %s %s: status %d, want %d: %s", name, method, path, resp.StatusCode, want, got)
	}
	var out map[string]any
	if err := json.Unmarshal(got, &out); err != nil {
		t.Fatalf("%s: %s %s: the answer is not a JSON object: %v: %s", name, method, path, err, got)
	}
	stable := adminSecrets.ReplaceAllFunc(got, func(m []byte) []byte {
		sub := adminSecrets.FindSubmatch(m)
		k, v := string(sub[1]), string(sub[2])
		if k == "seconds" {
			return []byte(`"seconds": "<seconds>"`)
		}
		return []byte(fmt.Sprintf(`"%s": "<%s-%s>"`, k, k, g.secretNumber(v)))
	})
	// Order ids also appear as the resource of an order event.
	stable = orderIDs.ReplaceAllFunc(stable, func(m []byte) []byte {
		return []byte(fmt.Sprintf(`"<order_id-%s>"`, g.secretNumber(string(m))))
	})
	transcript := fmt.Sprintf("%s %s\n%s\n\n%d %s\n%s", method, path, body, resp.StatusCode, resp.Header.Get("Content-Type"), stable)
	adminGoldenFile(t, name, g.n.apply([]byte(transcript)))
	return out
}

// secretNumber numbers each random value by first appearance across the
// whole test.
func (g *adminGolden) secretNumber(key string) string {
	if g.n.seen == nil {
		g.n.seen, g.n.n = map[string]string{}, map[string]int{}
	}
	if r, ok := g.n.seen["secret:"+key]; ok {
		return r
	}
	g.n.n["secret"]++
	r := fmt.Sprint(g.n.n["secret"])
	g.n.seen["secret:"+key] = r
	return r
}

func adminGoldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "admin", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./e2e -run AdminGolden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// TestAdminGoldenDecodes reads every pinned answer back into its adminapi
// type, refusing unknown fields, and writes it again: the bytes must come
// out the same. So the client, which decodes these types, loses nothing the
// server sends, and the types alone produce the wire.
func TestAdminGoldenDecodes(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "admin", "*.golden"))
	if err != nil || len(files) < 100 {
		t.Fatalf("%d golden files (%v)", len(files), err)
	}
	transcript := regexp.MustCompile(`(?s)^(.*?)\n\n(\d{3}) [^\n]*\n(.*)$`)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".golden")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := transcript.FindSubmatch(b)
		if m == nil {
			t.Fatalf("%s: not a transcript", f)
		}
		body := bytes.ReplaceAll(m[3], []byte(`"<seconds>"`), []byte(`0.25`))
		v := adminAnswerType(name, string(m[2]))
		if v == nil {
			t.Errorf("%s: no adminapi type for this answer", name)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Errorf("%s: decoding into %T: %v", name, v, err)
			continue
		}
		// As the server writes, but leaving the placeholders' < and > alone.
		var again bytes.Buffer
		enc := json.NewEncoder(&again)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		want := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(body))
		if again.String() != want {
			t.Errorf("%s: %T written again differs:\n%s\nwant\n%s", name, v, again.Bytes(), want)
		}
	}
}

// adminAnswerType is a new value of the adminapi type of a pinned answer.
func adminAnswerType(name, status string) any {
	if status[0] != '2' {
		return new(adminapi.Error)
	}
	types := []struct {
		prefix string
		v      func() any
	}{
		{"accounts.create", func() any { return new(adminapi.NewAccount) }},
		{"accounts.list", func() any { return new(adminapi.Accounts) }},
		{"accounts.", func() any { return new(adminapi.Account) }},
		{"balance.", func() any { return new(adminapi.Account) }},
		{"keys.create", func() any { return new(adminapi.AccessKey) }},
		{"sts.create", func() any { return new(adminapi.STSCredentials) }},
		{"bearer.create", func() any { return new(adminapi.BearerToken) }},
		{"instances.", func() any { return new(adminapi.Instance) }},
		{"locks.", func() any { return new(adminapi.Locks) }},
		{"capacity.list", func() any { return new(adminapi.CapacityList) }},
		{"capacity.", func() any { return new(adminapi.Capacity) }},
		{"faults.list", func() any { return new(adminapi.Faults) }},
		{"faults.add", func() any { return new(adminapi.Fault) }},
		{"faults.delete", func() any { return new(adminapi.FaultDeleted) }},
		{"images.", func() any { return new(adminapi.Image) }},
		{"quotas.list", func() any { return new(adminapi.Quotas) }},
		{"quotas.set", func() any { return new(adminapi.Quota) }},
		{"quotas.delete", func() any { return new(adminapi.QuotaDeleted) }},
		{"spot.list", func() any { return new(adminapi.SpotPrices) }},
		{"spot.history", func() any { return new(adminapi.SpotPriceHistory) }},
		{"spot.set", func() any { return new(adminapi.SpotPriceChange) }},
		{"disks.", func() any { return new(adminapi.Disk) }},
		{"kms.list", func() any { return new(adminapi.KMSKeys) }},
		{"kms.delete", func() any { return new(adminapi.KMSKeyDeleted) }},
		{"kms.", func() any { return new(adminapi.KMSKey) }},
		{"sales.list", func() any { return new(adminapi.Sales) }},
		{"sales.set", func() any { return new(adminapi.SalesState) }},
		{"reserved.", func() any { return new(adminapi.ReservedInstance) }},
		{"clock.", func() any { return new(adminapi.Clock) }},
		{"charges", func() any { return new(adminapi.Charges) }},
		{"orders", func() any { return new(adminapi.Orders) }},
		{"events", func() any { return new(adminapi.Events) }},
		{"seed", func() any { return new(adminapi.Seeded) }},
		{"debug.jobs", func() any { return new(adminapi.JobStats) }},
	}
	for _, ty := range types {
		if strings.HasPrefix(name, ty.prefix) {
			return ty.v()
		}
	}
	return nil
}
