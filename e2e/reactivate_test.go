package e2e

import (
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// reactivateAs calls the action under either spelling through a
// CommonRequest (the typed SDK only knows ReActivateInstances).
func (e *env) reactivateAs(c *ecs.Client, action, id, regionID string) error {
	req := requests.NewCommonRequest()
	req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = "POST", "http", e.addr(), "2014-05-26", action
	req.QueryParams["InstanceId"] = id
	if regionID != "" {
		req.QueryParams["RegionId"] = regionID
	}
	_, err := c.ProcessCommonRequest(req)
	return err
}

// Every error of both ReActivateInstances pages comes from its real
// condition, under both spellings, with each page's code and status.
func TestReActivateInstancesErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDelay(time.Hour))
	a := e.newAccount("400.00")
	sub := run(t, a.ECS, 1, func(r *ecs.RunInstancesRequest) { r.InstanceChargeType, r.Period = "PrePaid", "1" })[0]
	ids := run(t, a.ECS, 2) // one suspended, one suspended and security-locked
	e.advance("2h")         // Pending → Starting → Running (an hour each)
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h") // a billing point: arrears and suspension (Stopping, for an hour)
	e.advance("1h")
	wantStatus(t, a.ECS, ids[0], "Stopped")
	e.admin("POST", "/admin/v1/instances/"+ids[1]+"/locks", map[string]any{"reason": "security"}, 200)

	type tc struct {
		name   string
		id     string
		region string
		code   map[string]string // by spelling
		status map[string]int
	}
	both := func(code string, status int) (map[string]string, map[string]int) {
		return map[string]string{"ReActivateInstances": code, "ReactivateInstances": code},
			map[string]int{"ReActivateInstances": status, "ReactivateInstances": status}
	}
	var cases []tc
	add := func(name, id, region, code string, status int) {
		c, s := both(code, status)
		cases = append(cases, tc{name, id, region, c, s})
	}
	add("unknown instance", "i-bpnosuchinstance000", "", "InvalidInstanceId.NotFound", 404)
	add("another region", ids[0], "cn-shanghai", "InvalidInstanceId.NotFound", 404)
	add("subscription", sub, "", "InvalidPayType.NotSupport", 404)
	add("security lock", ids[1], "", "InstanceLockedForSecurity", 403)
	add("unpaid", ids[0], region, "InsufficientBalance", 403)
	for _, c := range cases {
		for _, spelling := range []string{"ReActivateInstances", "ReactivateInstances"} {
			err := e.reactivateAs(a.ECS, spelling, c.id, c.region)
			t.Run(c.name+"/"+spelling, func(t *testing.T) { apiError(t, err, c.code[spelling], c.status[spelling]) })
		}
	}

	// A healthy pay-as-you-go instance is in no suspended billing state: each
	// spelling answers its own page's code and status.
	b := e.newAccount("100.00")
	healthy := run(t, b.ECS, 1)[0]
	apiError(t, e.reactivateAs(b.ECS, "ReActivateInstances", healthy, ""), "ReopenInstance.InstanceStatusNotValid", 400)
	apiError(t, e.reactivateAs(b.ECS, "ReactivateInstances", healthy, ""), "ReactivateInstances.InstanceStatusNotValid", 403)

	// IncorrectInstanceStatus: suspended but not yet Stopped.
	e.topUp(a.ID, "100.00")
	fresh := run(t, a.ECS, 1)[0]
	e.advance("2h")
	e.admin("POST", "/admin/v1/accounts/"+a.ID+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h")
	wantStatus(t, a.ECS, fresh, "Stopping")
	e.topUp(a.ID, "100.00")
	for _, spelling := range []string{"ReActivateInstances", "ReactivateInstances"} {
		apiError(t, e.reactivateAs(a.ECS, spelling, fresh, ""), "IncorrectInstanceStatus", 403)
	}

	// InternalError only through fault injection, with the seed's status.
	e.admin("POST", "/admin/v1/faults", map[string]any{"action": "ReActivateInstances", "code": "InternalError", "count": 1}, 201)
	apiError(t, reactivate(a.ECS, ids[0]), "InternalError", 500)
	ok(t, reactivate(a.ECS, ids[0])) // the rule is used up; the call now succeeds
	wantStatus(t, a.ECS, ids[0], "Starting")
	e.advance("1h")
	wantStatus(t, a.ECS, ids[0], "Running")
	e.admin("POST", "/admin/v1/faults", map[string]any{"action": "ReactivateInstances", "code": "InternalError", "count": 1}, 201)
	apiError(t, e.reactivateAs(a.ECS, "ReactivateInstances", ids[0], ""), "InternalError", 500)
}

// A fault rule that repeats one of a seed's messages for a code answers that
// variant's status: StartInstance's InstanceNotReady is 500 or 403.
func TestFaultPicksTheSeedVariantByMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := run(t, e.ecs, 1)[0]
	ok(t, stop(e.ecs, id, ""))
	e.admin("POST", "/admin/v1/faults", map[string]any{"action": "StartInstance", "code": "InstanceNotReady", "count": 1}, 201)
	apiError(t, start(e.ecs, id), "InstanceNotReady", 500)
	e.admin("POST", "/admin/v1/faults", map[string]any{"action": "StartInstance", "code": "InstanceNotReady", "count": 1,
		"message": "The specified instance is not ready for use."}, 201)
	apiError(t, start(e.ecs, id), "InstanceNotReady", 403)
}
