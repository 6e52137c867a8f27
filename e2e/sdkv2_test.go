package e2e

// End-to-end through the V2.0 Go SDK (github.com/alibabacloud-go/ecs-20140526/v7
// on darabonba-openapi/v2) with its default configuration: it signs every
// call with ACS3-HMAC-SHA256 (signature V3) in an Authorization header.

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ecsv2 "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// v2Client is a V2.0 SDK client for an AccessKey pair: the default
// configuration, plain HTTP, the server as endpoint.
func (e *env) v2Client(keyID, secret string, mutate ...func(*openapiutil.Config)) *ecsv2.Client {
	e.t.Helper()
	cfg := &openapiutil.Config{AccessKeyId: tea.String(keyID), AccessKeySecret: tea.String(secret),
		Endpoint: tea.String(e.addr()), Protocol: tea.String("HTTP")}
	for _, m := range mutate {
		m(cfg)
	}
	c, err := ecsv2.NewClient(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// v2Error asserts err is the SDK's error for the ECS code with the HTTP
// status.
func v2Error(t *testing.T, err error, code string, status int) *tea.SDKError {
	t.Helper()
	if err == nil {
		t.Fatalf("call succeeded; want %s (%d)", code, status)
	}
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not an SDK error; want %s (%d)", err, err, code, status)
	}
	if tea.StringValue(se.Code) != code || tea.IntValue(se.StatusCode) != status {
		t.Fatalf("got %s (%d) %q; want %s (%d)", tea.StringValue(se.Code), tea.IntValue(se.StatusCode), tea.StringValue(se.Message), code, status)
	}
	return se
}

func v2Run(t *testing.T, c *ecsv2.Client, amount int32, mutate ...func(*ecsv2.RunInstancesRequest)) []string {
	t.Helper()
	req := &ecsv2.RunInstancesRequest{RegionId: tea.String(region), ImageId: tea.String(image), InstanceType: tea.String(itype),
		Amount: tea.Int32(amount)}
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.RunInstances(req)
	ok(t, err)
	if tea.Int32Value(resp.StatusCode) != 200 || resp.Body == nil || resp.Body.InstanceIdSets == nil {
		t.Fatalf("RunInstances answered %v", resp)
	}
	ids := tea.StringSliceValue(resp.Body.InstanceIdSets.InstanceIdSet)
	if len(ids) != int(amount) {
		t.Fatalf("RunInstances made %d instances, want %d", len(ids), amount)
	}
	return ids
}

func v2Describe(t *testing.T, c *ecsv2.Client, id string) *ecsv2.DescribeInstancesResponseBodyInstancesInstance {
	t.Helper()
	resp, err := c.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region), InstanceIds: tea.String(`["` + id + `"]`)})
	ok(t, err)
	if resp.Body == nil || resp.Body.Instances == nil || len(resp.Body.Instances.Instance) != 1 || tea.Int32Value(resp.Body.TotalCount) != 1 {
		t.Fatalf("DescribeInstances(%s): %v", id, resp)
	}
	return resp.Body.Instances.Instance[0]
}

func v2WantStatus(t *testing.T, c *ecsv2.Client, id, want string) {
	t.Helper()
	if got := tea.StringValue(v2Describe(t, c, id).Status); got != want {
		t.Fatalf("%s is %s, want %s", id, got, want)
	}
}

func v2Start(c *ecsv2.Client, id string) error {
	_, err := c.StartInstance(&ecsv2.StartInstanceRequest{InstanceId: tea.String(id)})
	return err
}

func v2Stop(c *ecsv2.Client, id string) error {
	_, err := c.StopInstance(&ecsv2.StopInstanceRequest{InstanceId: tea.String(id)})
	return err
}

func v2Reboot(c *ecsv2.Client, id string) error {
	_, err := c.RebootInstance(&ecsv2.RebootInstanceRequest{InstanceId: tea.String(id)})
	return err
}

func v2Reactivate(c *ecsv2.Client, id, regionID string) error {
	req := &ecsv2.ReActivateInstancesRequest{InstanceId: tea.String(id)}
	if regionID != "" {
		req.RegionId = tea.String(regionID)
	}
	_, err := c.ReActivateInstances(req)
	return err
}

func TestV2SDKLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.v2Client("test", "test")

	regions, err := c.DescribeRegions(&ecsv2.DescribeRegionsRequest{})
	ok(t, err)
	if regions.Body == nil || regions.Body.Regions == nil || len(regions.Body.Regions.Region) == 0 || tea.StringValue(regions.Body.RequestId) == "" {
		t.Fatalf("DescribeRegions: %v", regions)
	}
	zones, err := c.DescribeZones(&ecsv2.DescribeZonesRequest{RegionId: tea.String(region)})
	ok(t, err)
	if zones.Body == nil || zones.Body.Zones == nil || len(zones.Body.Zones.Zone) == 0 {
		t.Fatalf("DescribeZones: %v", zones)
	}

	ids := v2Run(t, c, 2, func(r *ecsv2.RunInstancesRequest) {
		r.InstanceName = tea.String("v2-sdk:1")
		r.Description = tea.String("a+b=c&d/é sdk*(1)~")
		r.Tag = []*ecsv2.RunInstancesRequestTag{{Key: tea.String("env"), Value: tea.String("dev test")}}
	})
	id := ids[0]
	in := v2Describe(t, c, id)
	if tea.StringValue(in.Status) != "Running" || tea.StringValue(in.InstanceType) != itype || tea.Int32Value(in.Cpu) != 2 ||
		tea.Int32Value(in.Memory) != 8192 || tea.StringValue(in.InstanceChargeType) != "PostPaid" {
		t.Fatalf("new instance: %v", in)
	}
	if tea.StringValue(in.InstanceName) != "v2-sdk:1" || tea.StringValue(in.Description) != "a+b=c&d/é sdk*(1)~" {
		t.Fatalf("name %q, description %q", tea.StringValue(in.InstanceName), tea.StringValue(in.Description))
	}
	if in.Tags == nil || len(in.Tags.Tag) != 1 || tea.StringValue(in.Tags.Tag[0].TagValue) != "dev test" {
		t.Fatalf("tags %v", in.Tags)
	}
	if in.VpcAttributes == nil || tea.StringValue(in.VpcAttributes.VpcId) == "" {
		t.Fatalf("network %v", in.VpcAttributes)
	}
	// What the legacy SDK sees of the same instance.
	wantStatus(t, e.ecs, id, "Running")

	v2Error(t, v2Start(c, id), "IncorrectInstanceStatus", 403)
	ok(t, v2Stop(c, id))
	v2WantStatus(t, c, id, "Stopped")
	v2Error(t, v2Stop(c, id), "IncorrectInstanceStatus", 403)
	v2Error(t, v2Reboot(c, id), "IncorrectInstanceStatus", 403)
	ok(t, v2Start(c, id))
	v2WantStatus(t, c, id, "Running")
	ok(t, v2Reboot(c, id))
	v2WantStatus(t, c, id, "Running")
	v2Error(t, v2Start(c, "i-doesnotexist"), "InvalidInstanceId.NotFound", 404)

	// DescribeInstances pages with the typed request's integers.
	page, err := c.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region), PageSize: tea.Int32(1), PageNumber: tea.Int32(2)})
	ok(t, err)
	if tea.Int32Value(page.Body.TotalCount) != 2 || tea.Int32Value(page.Body.PageSize) != 1 || len(page.Body.Instances.Instance) != 1 {
		t.Fatalf("page: %v", page.Body)
	}
	// A parameter the server checks, sent by the typed request.
	_, err = c.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region), PageSize: tea.Int32(101)})
	v2Error(t, err, "InvalidParameter", 400)
}

func TestV2SDKReActivateInstancesErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	a := e.newAccount("400.00")
	c := e.v2Client(a.Key, a.Secret)
	sub := v2Run(t, c, 1, func(r *ecsv2.RunInstancesRequest) {
		r.InstanceChargeType, r.Period, r.PeriodUnit = tea.String("PrePaid"), tea.Int32(1), tea.String("Month")
	})[0]
	ids := v2Run(t, c, 2) // one suspended, one suspended and security-locked
	e.advance("2h")       // Pending → Starting → Running
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h") // a billing point: arrears and suspension
	e.advance("1h")
	v2WantStatus(t, c, ids[0], "Stopped")
	e.admin("POST", "/admin/v1/instances/"+ids[1]+"/locks", map[string]any{"reason": "security"}, 200)

	v2Error(t, v2Reactivate(c, "i-bpnosuchinstance000", ""), "InvalidInstanceId.NotFound", 404)
	v2Error(t, v2Reactivate(c, ids[0], "cn-shanghai"), "InvalidInstanceId.NotFound", 404)
	v2Error(t, v2Reactivate(c, sub, ""), "InvalidPayType.NotSupport", 404)
	v2Error(t, v2Reactivate(c, ids[1], ""), "InstanceLockedForSecurity", 403)
	v2Error(t, v2Reactivate(c, ids[0], region), "InsufficientBalance", 403)

	b := e.newAccount("100.00")
	cb := e.v2Client(b.Key, b.Secret)
	healthy := v2Run(t, cb, 1)[0]
	v2Error(t, v2Reactivate(cb, healthy, ""), "ReopenInstance.InstanceStatusNotValid", 400)

	// Paid up, the suspended instance comes back.
	e.topUp(a.ID, "100.00")
	ok(t, v2Reactivate(c, ids[0], ""))
	v2WantStatus(t, c, ids[0], "Starting")
}

func TestV2SDKReservedInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100000.00")
	c := e.v2Client(a.Key, a.Secret)

	buy, err := c.PurchaseReservedInstancesOffering(&ecsv2.PurchaseReservedInstancesOfferingRequest{
		RegionId: tea.String(region), InstanceType: tea.String(itype), Scope: tea.String("Zone"), ZoneId: tea.String(riZone),
		OfferingType: tea.String("All Upfront"), Period: tea.Int32(1), PeriodUnit: tea.String("Year"), InstanceAmount: tea.Int32(2),
		ReservedInstanceName: tea.String("ri v2"),
	})
	ok(t, err)
	if buy.Body == nil || buy.Body.ReservedInstanceIdSets == nil || len(buy.Body.ReservedInstanceIdSets.ReservedInstanceId) != 1 ||
		tea.StringValue(buy.Body.OrderId) == "" {
		t.Fatalf("purchase answered %v", buy)
	}
	id := tea.StringValue(buy.Body.ReservedInstanceIdSets.ReservedInstanceId[0])
	e.riWantBalance(a.ID, "94460.00") // 2 × 2770

	get := func() *ecsv2.DescribeReservedInstancesResponseBodyReservedInstancesReservedInstance {
		t.Helper()
		resp, err := c.DescribeReservedInstances(&ecsv2.DescribeReservedInstancesRequest{RegionId: tea.String(region),
			ReservedInstanceId: []*string{tea.String(id)}})
		ok(t, err)
		if resp.Body == nil || resp.Body.ReservedInstances == nil || len(resp.Body.ReservedInstances.ReservedInstance) != 1 {
			t.Fatalf("DescribeReservedInstances: %v", resp)
		}
		return resp.Body.ReservedInstances.ReservedInstance[0]
	}
	ri := get()
	if tea.StringValue(ri.Status) != "Active" || tea.Int32Value(ri.InstanceAmount) != 2 || tea.StringValue(ri.OfferingType) != "All Upfront" ||
		tea.StringValue(ri.ReservedInstanceName) != "ri v2" || tea.StringValue(ri.ExpiredTime) != riAddYears(t, tea.StringValue(ri.StartTime), 1) {
		t.Fatalf("described: %v", ri)
	}

	renew, err := c.RenewReservedInstances(&ecsv2.RenewReservedInstancesRequest{RegionId: tea.String(region),
		ReservedInstanceId: []*string{tea.String(id)}, Period: tea.Int32(1), PeriodUnit: tea.String("Year")})
	ok(t, err)
	if renew.Body == nil || tea.StringValue(renew.Body.OrderId) == "" || tea.StringValue(renew.Body.OrderId) == tea.StringValue(buy.Body.OrderId) {
		t.Fatalf("renewal answered %v", renew)
	}
	if got := tea.StringValue(get().ExpiredTime); got != riAddYears(t, tea.StringValue(ri.ExpiredTime), 1) {
		t.Fatalf("after renewal: %s → %s", tea.StringValue(ri.ExpiredTime), got)
	}
	e.riWantBalance(a.ID, "88920.00")

	_, err = c.RenewReservedInstances(&ecsv2.RenewReservedInstancesRequest{RegionId: tea.String(region),
		ReservedInstanceId: []*string{tea.String("ecsri-bpnosuchreserved0")}, Period: tea.Int32(1), PeriodUnit: tea.String("Year")})
	v2Error(t, err, "InvalidReservedInstanceId.NotFound", 404)
	_, err = c.PurchaseReservedInstancesOffering(&ecsv2.PurchaseReservedInstancesOfferingRequest{
		RegionId: tea.String(region), InstanceType: tea.String(itype), Scope: tea.String("Region"),
		OfferingType: tea.String("All Upfront"), Period: tea.Int32(2), PeriodUnit: tea.String("Year")})
	v2Error(t, err, "InvalidPeriod.ValueNotSupported", 400)
}

func TestV2SDKCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount("100.00")

	t.Run("wrong secret", func(t *testing.T) {
		_, err := e.v2Client(a.Key, "wrong").DescribeRegions(&ecsv2.DescribeRegionsRequest{})
		se := v2Error(t, err, "SignatureDoesNotMatch", 400)
		if !strings.Contains(tea.StringValue(se.Message), "server string to sign is:ACS3-HMAC-SHA256") {
			t.Errorf("message %q", tea.StringValue(se.Message))
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		_, err := e.v2Client("LTAInope", "x").DescribeRegions(&ecsv2.DescribeRegionsRequest{})
		v2Error(t, err, "InvalidAccessKeyId.NotFound", 404)
	})

	t.Run("STS", func(t *testing.T) {
		s := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/sts", map[string]any{"duration": "1h"}, 201)
		key, secret, token := s["access_key_id"].(string), s["access_key_secret"].(string), s["security_token"].(string)
		c := e.v2Client(key, secret, func(cfg *openapiutil.Config) { cfg.SecurityToken = tea.String(token) })
		id := v2Run(t, c, 1)[0]
		wantStatus(t, a.ECS, id, "Running") // in the STS credentials' account
		ok(t, v2Stop(c, id))
		wrong := e.v2Client(key, secret, func(cfg *openapiutil.Config) { cfg.SecurityToken = tea.String("CAISforged") })
		_, err := wrong.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region)})
		v2Error(t, err, "InvalidSecurityToken.Malformed", 400)
		_, err = e.v2Client(key, secret).DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region)})
		v2Error(t, err, "MissingParameter", 400)
	})

	t.Run("bearer", func(t *testing.T) {
		out := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/bearer-tokens", map[string]any{"duration": "1h"}, 201)
		tok := out["bearer_token"].(string)
		// The default mode: the token in x-acs-bearer-token, nothing signed.
		c := e.v2Client("", "", func(cfg *openapiutil.Config) { cfg.BearerToken = tea.String(tok) })
		id := v2Run(t, c, 1)[0]
		wantStatus(t, a.ECS, id, "Running")
		// The "v2" mode: the token in the query, unsigned.
		c2 := e.v2Client("", "", func(cfg *openapiutil.Config) {
			cfg.BearerToken = tea.String(tok)
			cfg.SignatureAlgorithm = tea.String("v2")
		})
		v2WantStatus(t, c2, id, "Running")
		forged := e.v2Client("", "", func(cfg *openapiutil.Config) { cfg.BearerToken = tea.String("bt-forged") })
		_, err := forged.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region)})
		v2Error(t, err, "InvalidAccessKeyId.NotFound", 404)
		// The legacy SDK's form of the same token still works.
		wantStatus(t, bearerClient(t, e, tok), id, "Running")
	})

	t.Run("v1.0 from the V2.0 SDK", func(t *testing.T) {
		c := e.v2Client(a.Key, a.Secret, func(cfg *openapiutil.Config) { cfg.SignatureAlgorithm = tea.String("v2") })
		id := v2Run(t, c, 1)[0]
		v2WantStatus(t, c, id, "Running")
		bad := e.v2Client(a.Key, "wrong", func(cfg *openapiutil.Config) { cfg.SignatureAlgorithm = tea.String("v2") })
		_, err := bad.DescribeRegions(&ecsv2.DescribeRegionsRequest{})
		v2Error(t, err, "SignatureDoesNotMatch", 400)
	})

	t.Run("allow-list", func(t *testing.T) {
		k := e.admin("POST", "/admin/v1/accounts/"+a.ID+"/keys", map[string]any{"allowed_actions": []string{"DescribeInstances"}}, 201)
		c := e.v2Client(k["access_key_id"].(string), k["access_key_secret"].(string))
		_, err := c.DescribeInstances(&ecsv2.DescribeInstancesRequest{RegionId: tea.String(region)})
		ok(t, err)
		_, err = c.DescribeRegions(&ecsv2.DescribeRegionsRequest{})
		v2Error(t, err, "Forbidden.RAM", 403)
	})
}

func TestV2SDKThrottling(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withThrottle(0.01))
	c := e.v2Client("test", "test")
	_, err := c.DescribeRegions(&ecsv2.DescribeRegionsRequest{})
	ok(t, err)
	_, err = c.DescribeRegions(&ecsv2.DescribeRegionsRequest{})
	v2Error(t, err, "Throttling", 400)
}

// CallApi, the generic call, with the parameters in a form body and in a
// JSON body: each body is covered by x-acs-content-sha256 and read as
// parameters.
func TestV2SDKCallApiBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 3)
	cfg := &openapiutil.Config{AccessKeyId: tea.String("test"), AccessKeySecret: tea.String("test"),
		Endpoint: tea.String(e.addr()), Protocol: tea.String("HTTP")}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	params := func(action, body string) *openapiutil.Params {
		return &openapiutil.Params{Action: tea.String(action), Version: tea.String("2014-05-26"), Protocol: tea.String("HTTP"),
			Pathname: tea.String("/"), Method: tea.String("POST"), AuthType: tea.String("AK"), Style: tea.String("RPC"),
			ReqBodyType: tea.String(body), BodyType: tea.String("json")}
	}
	for _, body := range []string{"formData", "json"} {
		t.Run(body, func(t *testing.T) {
			req := &openapiutil.OpenApiRequest{Query: map[string]*string{"RegionId": tea.String(region)},
				Body: map[string]any{"PageSize": 2, "InstanceIds": `["` + strings.Join(ids, `","`) + `"]`}}
			out, err := c.CallApi(params("DescribeInstances", body), req, &dara.RuntimeOptions{})
			ok(t, err)
			b, _ := out["body"].(map[string]any)
			if b == nil {
				t.Fatalf("answer %v", out)
			}
			if ps := fmt.Sprint(b["PageSize"]); ps != "2" {
				t.Fatalf("PageSize %s: the body was not read", ps)
			}
			insts := b["Instances"].(map[string]any)["Instance"].([]any)
			if len(insts) != 2 {
				t.Fatalf("%d instances on the page", len(insts))
			}

			// A write with a JSON body of lists and objects: Tag.N.Key.
			run := &openapiutil.OpenApiRequest{Body: map[string]any{"RegionId": region, "ImageId": image, "InstanceType": itype,
				"InstanceName": "generic-" + body, "Tag": []map[string]any{{"Key": "via", "Value": body}}}}
			out, err = c.CallApi(params("RunInstances", body), run, &dara.RuntimeOptions{})
			ok(t, err)
			set := out["body"].(map[string]any)["InstanceIdSets"].(map[string]any)["InstanceIdSet"].([]any)
			in := describe(t, e.ecs, set[0].(string))
			if in.InstanceName != "generic-"+body || len(in.Tags.Tag) != 1 || in.Tags.Tag[0].TagValue != body {
				t.Fatalf("made %+v", in)
			}
		})
	}

	// A wrong secret through CallApi.
	bad, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: tea.String("test"), AccessKeySecret: tea.String("nope"),
		Endpoint: tea.String(e.addr()), Protocol: tea.String("HTTP")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.CallApi(params("DescribeInstances", "json"), &openapiutil.OpenApiRequest{Body: map[string]any{"RegionId": region}}, &dara.RuntimeOptions{})
	v2Error(t, err, "SignatureDoesNotMatch", 400)
}
