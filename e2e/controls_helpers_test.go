package e2e

// Helpers of the failure-case tests (capacity, quotas, spot, disks, KMS,
// faults). Names carry a "ctl" prefix so they stay clear of other files'.

import (
	"errors"
	"sync"
	"testing"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

const ctlZone = "cn-hangzhou-h"

// ctlRun runs one pay-as-you-go instance of the type in ctlZone and returns
// its id.
func ctlRun(t *testing.T, c *ecs.Client, instanceType string, mutate ...func(*ecs.RunInstancesRequest)) string {
	t.Helper()
	m := append([]func(*ecs.RunInstancesRequest){func(r *ecs.RunInstancesRequest) {
		r.ZoneId, r.InstanceType = ctlZone, instanceType
	}}, mutate...)
	return run(t, c, 1, m...)[0]
}

// ctlRunErr is RunInstances of one instance that returns the error.
func ctlRunErr(c *ecs.Client, instanceType string, mutate ...func(*ecs.RunInstancesRequest)) ([]string, error) {
	req := ecs.CreateRunInstancesRequest()
	req.RegionId, req.ImageId, req.InstanceType, req.ZoneId = region, image, instanceType, ctlZone
	for _, m := range mutate {
		m(req)
	}
	resp, err := c.RunInstances(req)
	if err != nil {
		return nil, err
	}
	return resp.InstanceIdSets.InstanceIdSet, nil
}

// ctlCreate makes a Stopped, never-started instance with CreateInstance.
func ctlCreate(t *testing.T, c *ecs.Client, instanceType string) string {
	t.Helper()
	req := ecs.CreateCreateInstanceRequest()
	req.RegionId, req.ImageId, req.InstanceType, req.ZoneId = region, image, instanceType, ctlZone
	resp, err := c.CreateInstance(req)
	ok(t, err)
	return resp.InstanceId
}

// spot makes RunInstances ask for a spot instance.
func ctlSpot(strategy, limit, behavior string) func(*ecs.RunInstancesRequest) {
	return func(r *ecs.RunInstancesRequest) {
		r.SpotStrategy, r.SpotInterruptionBehavior = strategy, behavior
		if limit != "" {
			r.SpotPriceLimit = requests.Float(limit)
		}
	}
}

// ctlKMS encrypts the system disk with a KMS key.
func ctlKMS(key string) func(*ecs.RunInstancesRequest) {
	return func(r *ecs.RunInstancesRequest) {
		r.SystemDisk.Encrypted, r.SystemDisk.KMSKeyId = "true", key
	}
}

func ctlStartWith(c *ecs.Client, id string, initLocalDisk, dryRun bool) error {
	req := ecs.CreateStartInstanceRequest()
	req.InstanceId = id
	if initLocalDisk {
		req.InitLocalDisk = requests.NewBoolean(true)
	}
	if dryRun {
		req.DryRun = requests.NewBoolean(true)
	}
	_, err := c.StartInstance(req)
	return err
}

func ctlDelete(c *ecs.Client, id string) error {
	req := ecs.CreateDeleteInstanceRequest()
	req.InstanceId, req.Force = id, requests.NewBoolean(true)
	_, err := c.DeleteInstance(req)
	return err
}

// ctlSetCapacity sets the free slots of ctlZone for a type.
func (e *env) ctlSetCapacity(instanceType string, n int) {
	e.t.Helper()
	e.admin("PUT", "/admin/v1/capacity", map[string]any{"zone_id": ctlZone, "instance_type": instanceType, "available": n}, 200)
}

// ctlFree reads the free slots of ctlZone for a type; -1 means unlimited.
func (e *env) ctlFree(instanceType string) int {
	e.t.Helper()
	out := e.admin("GET", "/admin/v1/capacity", nil, 200)
	for _, r := range out["capacity"].([]any) {
		row := r.(map[string]any)
		if row["zone_id"] == ctlZone && row["instance_type"] == instanceType {
			return int(row["available"].(float64))
		}
	}
	return -1
}

// ctlInstance is GET /admin/v1/instances/{id}.
func (e *env) ctlInstance(id string) map[string]any {
	e.t.Helper()
	return e.admin("GET", "/admin/v1/instances/"+id, nil, 200)
}

// ctlDisk returns the id of the instance's first disk of a type (system,
// data, local).
func (e *env) ctlDisk(id, typ string) string {
	e.t.Helper()
	for _, d := range e.ctlInstance(id)["disks"].([]any) {
		m := d.(map[string]any)
		if m["type"] == typ {
			return m["disk_id"].(string)
		}
	}
	e.t.Fatalf("%s has no %s disk", id, typ)
	return ""
}

func (e *env) ctlPatchDisk(diskID string, body map[string]any) map[string]any {
	e.t.Helper()
	return e.admin("PATCH", "/admin/v1/disks/"+diskID, body, 200)
}

func (e *env) ctlKey(key string, body map[string]any) {
	e.t.Helper()
	e.admin("PUT", "/admin/v1/kms-keys/"+key, body, 200)
}

func (e *env) ctlSpotPrice(instanceType, price string) map[string]any {
	e.t.Helper()
	return e.admin("PUT", "/admin/v1/spot-prices", map[string]any{"zone_id": ctlZone, "instance_type": instanceType, "price": price}, 200)
}

func (e *env) ctlFault(body map[string]any) map[string]any {
	e.t.Helper()
	return e.admin("POST", "/admin/v1/faults", body, 201)
}

// ctlEvents returns the events of one resource, optionally of one kind.
func (e *env) ctlEvents(resource, kind string) []map[string]any {
	e.t.Helper()
	path := "/admin/v1/events?resource_id=" + resource
	if kind != "" {
		path += "&kind=" + kind
	}
	var out []map[string]any
	for _, ev := range e.admin("GET", path, nil, 200)["events"].([]any) {
		out = append(out, ev.(map[string]any))
	}
	return out
}

// ctlLocks returns an instance's lock reasons through DescribeInstances.
func ctlLocks(t *testing.T, c *ecs.Client, id string) []string {
	t.Helper()
	var out []string
	for _, l := range describe(t, c, id).OperationLocks.LockReason {
		out = append(out, l.LockReason)
	}
	return out
}

// ctlGone asserts the instance no longer exists.
func ctlGone(t *testing.T, c *ecs.Client, id string) {
	t.Helper()
	apiError(t, start(c, id), "InvalidInstanceId.NotFound", 404)
}

// ctlParallel runs n calls at once and returns their errors in order.
func ctlParallel(n int, call func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			errs[i] = call(i)
		}()
	}
	close(gate)
	wg.Wait()
	return errs
}

// ctlCount splits errors into successes and failures with the code; any
// other error fails the test.
func ctlCount(t *testing.T, errs []error, code string, status int) (okN, failN int) {
	t.Helper()
	for _, err := range errs {
		if err == nil {
			okN++
			continue
		}
		apiError(t, err, code, status)
		failN++
	}
	return okN, failN
}

// ctlServerError returns err as the SDK's server error.
func ctlServerError(err error) (*sdkerrors.ServerError, bool) {
	var se *sdkerrors.ServerError
	return se, errors.As(err, &se)
}
