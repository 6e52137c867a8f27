package e2e

// The seed error table: every error row of the StartInstance and
// RebootInstance seed pages, the condition of the model that produces it and
// how to provoke it. TestSeedErrors provokes each one through the official
// SDK and checks its exact code, message and HTTP status; docs/errors.md
// shows the same table, generated from this one (go test ./e2e -run
// TestSeedErrorDocs -update-docs) and checked against it on every run.

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs"
)

var updateDocs = flag.Bool("update-docs", false, "regenerate the seed error tables of docs/errors.md")

// seedError is one row of a seed page's error table.
type seedError struct {
	Action string
	Status int
	Code   string
	// Seed is the page's message; "%s" where the page leaves it open.
	Seed string
	// Message is the exact message answered; <instance_id> and <key_id>
	// stand for the ids of the case.
	Message   string
	Condition string
	Provoke   string

	opts    []option
	provoke func(t *testing.T, e *env, v *seedVars) error
}

// seedVars are the ids a case fills in for its message.
type seedVars struct{ Instance, Key string }

const seedKey = "key-seed-errors"

// seedStopped runs a pay-as-you-go instance and stops it (KeepCharging).
func seedStopped(t *testing.T, e *env, mutate ...func(*ecs.RunInstancesRequest)) string {
	t.Helper()
	id := ctlRun(t, e.ecs, itype, mutate...)
	ok(t, stop(e.ecs, id, "KeepCharging"))
	return id
}

// seedEconomical runs n instances and stops the last with StopCharging: it
// no longer holds capacity and counts for no quota.
func seedEconomical(t *testing.T, e *env, n int) string {
	t.Helper()
	ids := run(t, e.ecs, n, func(r *ecs.RunInstancesRequest) { r.ZoneId = ctlZone })
	last := ids[n-1]
	ok(t, stop(e.ecs, last, "StopCharging"))
	return last
}

// seedAccountID is the bootstrap account's id.
func seedAccountID(e *env) string { return e.app.Bootstrap.ID }

func seedQuota(e *env, body map[string]any) {
	e.t.Helper()
	body["account_id"], body["region_id"] = seedAccountID(e), region
	e.admin("PUT", "/admin/v1/quotas", body, 200)
}

// seedSuspend puts the bootstrap account in arrears and lets the billing
// point suspend its pay-as-you-go instances (overdue grace 0s).
func seedSuspend(e *env) {
	e.t.Helper()
	e.admin("POST", "/admin/v1/accounts/"+seedAccountID(e)+"/balance", map[string]any{"set": "-1.00"}, 200)
	e.advance("1h")
}

// seedRecycling runs a spot instance (limit 0.10) and raises the spot price
// to 0.20: it is locked for recycling, released five minutes later.
func seedRecycling(t *testing.T, e *env) string {
	t.Helper()
	id := ctlRun(t, e.ecs, itype, ctlSpot("SpotWithPriceLimit", "0.10", ""))
	e.ctlSpotPrice(itype, "0.20")
	return id
}

// seedEncrypted runs an instance whose system disk is encrypted with seedKey.
func seedEncrypted(t *testing.T, e *env, v *seedVars) string {
	t.Helper()
	v.Key = seedKey
	e.ctlKey(seedKey, nil)
	return ctlRun(t, e.ecs, itype, ctlKMS(seedKey))
}

func seedFault(e *env, action, message string) {
	e.t.Helper()
	body := map[string]any{"action": action, "code": "InternalError", "count": 1}
	if message != "" {
		body["message"] = message
	}
	e.ctlFault(body)
}

const (
	msgNotFound       = "The specified InstanceId does not exist."
	msgBadStatus      = "The current status of the resource does not support this operation."
	msgLocked         = "The specified operation is denied as your instance is locked for security reasons."
	msgRecycling      = "The spot instance <instance_id> is locked for recycling (its price limit is below the spot price) and is about to be reclaimed."
	msgDiskError      = "IncorrectDiskStatus."
	msgKMSUnauthorize = "ECS service have no right to access your KMS."
)

// seedErrors is the table, in the seed pages' order.
var seedErrors = []seedError{
	// StartInstance (seed 002): 20 rows.
	{Action: "StartInstance", Status: 404, Code: "InvalidInstanceId.NotFound", Seed: msgNotFound, Message: msgNotFound,
		Condition: "No such instance in the caller's account (another account's instance, or one in another region than `RegionId`, does not exist for the caller).",
		Provoke:   "StartInstance of another account's instance, or of an unknown id.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			other := e.newAccount("100.00")
			id := ctlRun(t, other.ECS, itype)
			ok(t, stop(other.ECS, id, ""))
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "IncorrectInstanceStatus", Seed: msgBadStatus, Message: msgBadStatus,
		Condition: "The instance is not `Stopped`.",
		Provoke:   "RunInstances, then StartInstance while it is Running.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			return start(e.ecs, ctlRun(t, e.ecs, itype))
		}},
	{Action: "StartInstance", Status: 403, Code: "InstanceLockedForSecurity", Seed: msgLocked, Message: msgLocked,
		Condition: "The instance carries a `security` lock.",
		Provoke:   "Stop it; `POST /admin/v1/instances/{id}/locks {\"reason\": \"security\"}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "InsufficientBalance", Seed: "Your account does not have enough balance.", Message: "Your account does not have enough balance.",
		Condition: "A pay-as-you-go instance whose account is in arrears but which is not suspended yet (inside `--overdue-grace`).",
		Provoke:   "Server with `--overdue-grace 24h`; stop the instance; `POST /admin/v1/accounts/{id}/balance {\"set\": \"-5.00\"}`; advance the clock 1h (the billing point puts the account in arrears); StartInstance.",
		opts:      []option{withGrace(24 * time.Hour)},
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			e.admin("POST", "/admin/v1/accounts/"+seedAccountID(e)+"/balance", map[string]any{"set": "-5.00"}, 200)
			e.advance("1h")
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 500, Code: "InstanceNotReady", Seed: "The specified instance is not ready for use", Message: "The specified instance is not ready for use",
		Condition: "`host_ready` is false on an instance that has run before: its host is being migrated or repaired and cannot be reached for the moment.",
		Provoke:   "RunInstances; StopInstance; `PATCH /admin/v1/instances/{id} {\"host_ready\": false}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			e.admin("PATCH", "/admin/v1/instances/"+id, map[string]any{"host_ready": false}, 200)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 500, Code: "InternalError", Seed: msgInternal, Message: msgInternal,
		Condition: "Outside the model: an injected fault.",
		Provoke:   "`POST /admin/v1/faults {\"action\": \"StartInstance\", \"code\": \"InternalError\", \"count\": 1}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			seedFault(e, "StartInstance", "")
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "DiskError", Seed: msgDiskError, Message: msgDiskError,
		Condition: "A disk of the instance is not `In_use`, or a local disk failed and `InitLocalDisk` is not true.",
		Provoke:   "Stop it; `PATCH /admin/v1/disks/{system disk id} {\"status\": \"Error\"}` (or `{\"failed\": true}` on a local disk of d1/d1ne/i1/i2); StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			e.ctlPatchDisk(e.ctlDisk(id, "system"), map[string]any{"status": "Error"})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "InstanceExpired", Seed: "The postPaid instance has been expired.Please ensure your account have enough balance.",
		Message:   "The postPaid instance has been expired.Please ensure your account have enough balance.",
		Condition: "A pay-as-you-go instance suspended by billing (billing state Expired, ImageExpired or EcsAndImageExpired; `financial` lock).",
		Provoke:   "`POST /admin/v1/accounts/{id}/balance {\"set\": \"-1.00\"}`; advance the clock 1h (the billing point suspends it); StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			seedSuspend(e)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "InstanceExpired", Seed: "The prePaid instance has been expired.", Message: "The prePaid instance has been expired.",
		Condition: "A subscription instance past its `ExpiredTime` (stopped with a `financial` lock, not yet released).",
		Provoke:   "RunInstances `InstanceChargeType=PrePaid Period=1 PeriodUnit=Month`; advance the clock 800h; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype, func(r *ecs.RunInstancesRequest) {
				r.InstanceChargeType, r.Period, r.PeriodUnit = "PrePaid", requestsInt(1), "Month"
			})
			e.advance("800h")
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "InstanceNotReady", Seed: "The specified instance is not ready for use.", Message: "The specified instance is not ready for use.",
		Condition: "`host_ready` is false on an instance that has never run (created by CreateInstance, its host still being prepared).",
		Provoke:   "CreateInstance; `PATCH /admin/v1/instances/{id} {\"host_ready\": false}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlCreate(t, e.ecs, itype)
			e.admin("PATCH", "/admin/v1/instances/"+id, map[string]any{"host_ready": false}, 200)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "DiskInArrears", Seed: "The specified operation is denied as your disk has expired.", Message: "The specified operation is denied as your disk has expired.",
		Condition: "A disk of the instance is in arrears.",
		Provoke:   "Stop it; `PATCH /admin/v1/disks/{disk id} {\"in_arrears\": true}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			e.ctlPatchDisk(e.ctlDisk(id, "system"), map[string]any{"in_arrears": true})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "OperationDenied.NoStock",
		Seed:      "The requested resource is sold out in the specified zone; try other types of resources or other regions and zones.",
		Message:   "The requested resource is sold out in the specified zone; try other types of resources or other regions and zones.",
		Condition: "The instance holds no capacity (stopped with StopCharging) and its zone has no free slot of its type.",
		Provoke:   "StopInstance `StoppedMode=StopCharging` (or economical mode); `PUT /admin/v1/capacity {\"zone_id\", \"instance_type\", \"available\": 0}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEconomical(t, e, 1)
			e.ctlSetCapacity(itype, 0)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "OperationDenied.SpotPriceLowerThanPublicPrice",
		Seed: "The spot instance price is lower than public price.", Message: "The spot instance price is lower than public price.",
		Condition: "A SpotWithPriceLimit instance whose `SpotPriceLimit` is below the current spot price of its zone and type (for SpotAsPriceGo: the pay-as-you-go price is below it).",
		Provoke:   "RunInstances `SpotStrategy=SpotWithPriceLimit SpotPriceLimit=0.10`; stop it; `PUT /admin/v1/spot-prices {\"zone_id\", \"instance_type\", \"price\": \"0.20\"}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e, ctlSpot("SpotWithPriceLimit", "0.10", ""))
			e.ctlSpotPrice(itype, "0.20")
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "IncorrectInstanceStatus", Seed: "%s", Message: msgRecycling,
		Condition: "The instance carries a `recycling` lock: a spot reclaim is pending.",
		Provoke:   "A running SpotWithPriceLimit instance (limit 0.10); `PUT /admin/v1/spot-prices` with 0.20 (recycling lock, released 5 clock minutes later); StopInstance; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			v.Instance = seedRecycling(t, e)
			ok(t, stop(e.ecs, v.Instance, ""))
			return start(e.ecs, v.Instance)
		}},
	{Action: "StartInstance", Status: 403, Code: "InvalidParameter.KMSKeyId.KMSUnauthorized", Seed: msgKMSUnauthorize, Message: msgKMSUnauthorize,
		Condition: "A disk is encrypted with a KMS key whose `ecs_authorized` is false.",
		Provoke:   "`PUT /admin/v1/kms-keys/{key_id}`; RunInstances `SystemDisk.Encrypted=true SystemDisk.KMSKeyId={key_id}`; stop it; `PUT /admin/v1/kms-keys/{key_id} {\"ecs_authorized\": false}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEncrypted(t, e, v)
			ok(t, stop(e.ecs, id, ""))
			e.ctlKey(seedKey, map[string]any{"ecs_authorized": false})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 500, Code: "InternalError", Seed: msgInternalException, Message: msgInternalException,
		Condition: "Outside the model: an injected fault naming this message.",
		Provoke:   "`POST /admin/v1/faults {\"action\": \"StartInstance\", \"code\": \"InternalError\", \"message\": \"" + msgInternalException + "\", \"count\": 1}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedStopped(t, e)
			seedFault(e, "StartInstance", msgInternalException)
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "QuotaExceed.ElasticQuota", Seed: msgQuotaNone, Message: msgQuotaNone,
		Condition: "The account's instance quota for the type in the region is 0 (the type is not granted).",
		Provoke:   "StopInstance `StoppedMode=StopCharging`; `PUT /admin/v1/quotas {\"account_id\", \"region_id\", \"instance_type\", \"instances\": 0}`; StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEconomical(t, e, 1)
			seedQuota(e, map[string]any{"instance_type": itype, "instances": 0})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "QuotaExceed.ElasticQuota", Seed: msgQuotaCount, Message: msgQuotaCount,
		Condition: "The instance would exceed the account's (non-zero) instance quota for the type in the region; instances holding capacity count.",
		Provoke:   "Two instances, one stopped with StopCharging; `PUT /admin/v1/quotas {\"account_id\", \"region_id\", \"instance_type\", \"instances\": 1}`; StartInstance of the stopped one.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEconomical(t, e, 2)
			seedQuota(e, map[string]any{"instance_type": itype, "instances": 1})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "QuotaExceed.ElasticQuota", Seed: msgQuotaVCPU, Message: msgQuotaVCPU,
		Condition: "The instance would exceed the account's vCPU quota in its zone (and no instance quota).",
		Provoke:   "Two 2-vCPU instances, one stopped with StopCharging; `PUT /admin/v1/quotas {\"account_id\", \"region_id\", \"zone_id\", \"vcpus\": 2}`; StartInstance of the stopped one.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEconomical(t, e, 2)
			seedQuota(e, map[string]any{"zone_id": ctlZone, "vcpus": 2})
			return start(e.ecs, id)
		}},
	{Action: "StartInstance", Status: 403, Code: "QuotaExceed.ElasticQuota", Seed: msgQuotaBoth, Message: msgQuotaBoth,
		Condition: "The instance would exceed both the type's (non-zero) instance quota and the zone's vCPU quota.",
		Provoke:   "As the two rows above, with both quotas set (`\"instances\": 1` and `\"vcpus\": 2`); StartInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEconomical(t, e, 2)
			seedQuota(e, map[string]any{"instance_type": itype, "instances": 1})
			seedQuota(e, map[string]any{"zone_id": ctlZone, "vcpus": 2})
			return start(e.ecs, id)
		}},

	// RebootInstance (seed 003): 12 rows.
	{Action: "RebootInstance", Status: 403, Code: "IncorrectInstanceStatus", Seed: msgBadStatus, Message: msgBadStatus,
		Condition: "The instance is not `Running`.",
		Provoke:   "StopInstance; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			return reboot(e.ecs, seedStopped(t, e))
		}},
	{Action: "RebootInstance", Status: 403, Code: "InstanceLockedForSecurity", Seed: msgLocked, Message: msgLocked,
		Condition: "The instance carries a `security` lock.",
		Provoke:   "`POST /admin/v1/instances/{id}/locks {\"reason\": \"security\"}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			e.admin("POST", "/admin/v1/instances/"+id+"/locks", map[string]any{"reason": "security"}, 200)
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 403, Code: "DiskError", Seed: msgDiskError, Message: msgDiskError,
		Condition: "A disk of the instance is not `In_use`, or one of its local disks failed.",
		Provoke:   "`PATCH /admin/v1/disks/{disk id} {\"status\": \"Error\"}` (or `{\"failed\": true}` on a local disk); RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, "ecs.i2.xlarge")
			e.ctlPatchDisk(e.ctlDisk(id, "local"), map[string]any{"failed": true})
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 403, Code: "InstanceExpiredOrInArrears",
		Seed:      "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).",
		Message:   "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).",
		Condition: "The instance is suspended by billing: pay-as-you-go in arrears, or a subscription past its `ExpiredTime` (checked before the status).",
		Provoke:   "`POST /admin/v1/accounts/{id}/balance {\"set\": \"-1.00\"}`; advance the clock 1h; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			seedSuspend(e)
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 403, Code: "IncorrectInstanceStatus", Seed: "%s", Message: msgRecycling,
		Condition: "The instance carries a `recycling` lock: a spot reclaim is pending.",
		Provoke:   "A running SpotWithPriceLimit instance (limit 0.10); `PUT /admin/v1/spot-prices` with 0.20; RebootInstance within the next 5 clock minutes.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			v.Instance = seedRecycling(t, e)
			return reboot(e.ecs, v.Instance)
		}},
	{Action: "RebootInstance", Status: 403, Code: "InvalidParameter.KMSKeyId.CMKUnauthorized", Seed: "%s",
		Message:   "The CMK <key_id> is not authorized for this account: its key policy does not let ECS use it for your disks.",
		Condition: "A disk's KMS key is restricted (its `account_id`) to another account.",
		Provoke:   "An instance encrypted with `{key_id}`; `PUT /admin/v1/kms-keys/{key_id} {\"account_id\": \"<another account>\"}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEncrypted(t, e, v)
			e.ctlKey(seedKey, map[string]any{"account_id": e.newAccount("1.00").ID})
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 403, Code: "InvalidParameter.KMSKeyId.CMKNotEnabled", Seed: "%s",
		Message:   "The CMK <key_id> is Disabled; it needs to be Enabled.",
		Condition: "A disk's KMS key is `Disabled` or `PendingDeletion`.",
		Provoke:   "An instance encrypted with `{key_id}`; `PUT /admin/v1/kms-keys/{key_id} {\"state\": \"Disabled\"}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEncrypted(t, e, v)
			e.ctlKey(seedKey, map[string]any{"state": "Disabled"})
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 403, Code: "InvalidParameter.KMSKeyId.KMSUnauthorized", Seed: "%s", Message: msgKMSUnauthorize,
		Condition: "A disk's KMS key has `ecs_authorized` false: the ECS service may not use KMS.",
		Provoke:   "An instance encrypted with `{key_id}`; `PUT /admin/v1/kms-keys/{key_id} {\"ecs_authorized\": false}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEncrypted(t, e, v)
			e.ctlKey(seedKey, map[string]any{"ecs_authorized": false})
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 404, Code: "InvalidParameter.KMSKeyId.NotFound", Seed: "%s",
		Message:   "The specified KMSKeyId <key_id> does not exist.",
		Condition: "A disk's KMS key no longer exists.",
		Provoke:   "An instance encrypted with `{key_id}`; `DELETE /admin/v1/kms-keys/{key_id}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := seedEncrypted(t, e, v)
			e.admin("DELETE", "/admin/v1/kms-keys/"+seedKey, nil, 200)
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 404, Code: "InvalidInstanceId.NotFound", Seed: msgNotFound, Message: msgNotFound,
		Condition: "No such instance in the caller's account (or it was released).",
		Provoke:   "DeleteInstance `Force=true`; RebootInstance of that id.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			ok(t, ctlDelete(e.ecs, id))
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 500, Code: "InternalError", Seed: msgInternal, Message: msgInternal,
		Condition: "Outside the model: an injected fault.",
		Provoke:   "`POST /admin/v1/faults {\"action\": \"RebootInstance\", \"code\": \"InternalError\", \"count\": 1}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			seedFault(e, "RebootInstance", "")
			return reboot(e.ecs, id)
		}},
	{Action: "RebootInstance", Status: 500, Code: "InternalError", Seed: msgInternalException, Message: msgInternalException,
		Condition: "Outside the model: an injected fault naming this message.",
		Provoke:   "`POST /admin/v1/faults {\"action\": \"RebootInstance\", \"code\": \"InternalError\", \"message\": \"" + msgInternalException + "\", \"count\": 1}`; RebootInstance.",
		provoke: func(t *testing.T, e *env, v *seedVars) error {
			id := ctlRun(t, e.ecs, itype)
			seedFault(e, "RebootInstance", msgInternalException)
			return reboot(e.ecs, id)
		}},
}

// seedRows is the number of error rows of each seed page.
var seedRows = map[string]int{"StartInstance": 20, "RebootInstance": 12}

// TestSeedErrors provokes every seed error through the SDK.
func TestSeedErrors(t *testing.T) {
	t.Parallel()
	n := map[string]int{}
	for _, c := range seedErrors {
		n[c.Action]++
		name := fmt.Sprintf("%s/%02d_%s_%d", c.Action, n[c.Action], c.Code, c.Status)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, c.opts...)
			var v seedVars
			err := c.provoke(t, e, &v)
			se := apiError(t, err, c.Code, c.Status)
			want := strings.NewReplacer("<instance_id>", v.Instance, "<key_id>", v.Key).Replace(c.Message)
			if se.Message() != want {
				t.Fatalf("message %q, want %q", se.Message(), want)
			}
			if se.RequestId() == "" {
				t.Fatal("no RequestId")
			}
		})
	}
}

// TestSeedErrorTableCoversSeeds checks the table against the seed pages: as
// many rows as each page has, every documented error of the page (its code,
// status and, where the page gives one, message) present, and fixed messages
// answered exactly.
func TestSeedErrorTableCoversSeeds(t *testing.T) {
	t.Parallel()
	rows := map[string]int{}
	for _, c := range seedErrors {
		rows[c.Action]++
		if c.Seed != "%s" && c.Message != c.Seed {
			t.Errorf("%s %s: answers %q, the seed says %q", c.Action, c.Code, c.Message, c.Seed)
		}
		if c.Condition == "" || c.Provoke == "" || c.provoke == nil {
			t.Errorf("%s %s %q: condition, provocation or test missing", c.Action, c.Code, c.Message)
		}
	}
	for action, n := range seedRows {
		if rows[action] != n {
			t.Errorf("%s: %d rows in the table, the seed has %d", action, rows[action], n)
		}
		for _, want := range openecs.SeedErrors[action] {
			found := false
			for _, c := range seedErrors {
				if c.Action == action && c.Code == want.Code && c.Status == want.Status && (c.Seed == want.Message || c.Seed == "%s") {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s: no row for %s %d %q", action, want.Code, want.Status, want.Message)
			}
		}
	}
}

const (
	docsPath   = "../docs/errors.md"
	docsBegin  = "<!-- BEGIN seed error tables: generated by `go test ./e2e -run TestSeedErrorDocs -update-docs` -->"
	docsEnd    = "<!-- END seed error tables -->"
	docsHeader = "| HTTP | Code | Message | Condition | How to provoke it |\n|---|---|---|---|---|\n"
)

// seedDocs renders the table as the generated part of docs/errors.md.
func seedDocs() string {
	var b strings.Builder
	b.WriteString(docsBegin + "\n")
	for _, action := range []string{"StartInstance", "RebootInstance"} {
		fmt.Fprintf(&b, "\n### %s\n\n", action)
		b.WriteString(docsHeader)
		for _, c := range seedErrors {
			if c.Action != action {
				continue
			}
			msg := "`" + c.Message + "`"
			if c.Seed == "%s" {
				msg = "(seed: `%s`) `" + c.Message + "`"
			}
			fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s |\n", c.Status, c.Code, msg, c.Condition, c.Provoke)
		}
	}
	b.WriteString("\n" + docsEnd)
	return b.String()
}

// TestSeedErrorDocs keeps docs/errors.md in step with the table.
func TestSeedErrorDocs(t *testing.T) {
	b, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated section (%q … %q)", docsPath, docsBegin, docsEnd)
	}
	gen := seedDocs()
	if current := doc[i : j+len(docsEnd)]; current != gen {
		if !*updateDocs {
			t.Fatalf("%s is out of date with the seed error table: run go test ./e2e -run TestSeedErrorDocs -update-docs", docsPath)
		}
		doc = doc[:i] + gen + doc[j+len(docsEnd):]
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
