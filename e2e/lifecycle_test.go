package e2e

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func TestLifecycleThroughTheSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := run(t, e.ecs, 1)
	id := ids[0]
	in := describe(t, e.ecs, id)
	if in.Status != "Running" || in.InstanceType != itype || in.RegionId != region || in.Cpu != 2 || in.Memory != 8192 {
		t.Fatalf("new instance: %+v", in)
	}
	if in.InstanceChargeType != "PostPaid" || in.ExpiredTime != "2099-12-31T15:59Z" || len(in.OperationLocks.LockReason) != 0 {
		t.Fatalf("new instance billing fields: charge %s expired %s locks %v", in.InstanceChargeType, in.ExpiredTime, in.OperationLocks.LockReason)
	}
	if in.VpcAttributes.VpcId == "" || in.VpcAttributes.VSwitchId == "" || len(in.SecurityGroupIds.SecurityGroupId) != 1 {
		t.Fatalf("default network not attached: %+v %+v", in.VpcAttributes, in.SecurityGroupIds)
	}

	apiError(t, start(e.ecs, id), "IncorrectInstanceStatus", 403)
	ok(t, stop(e.ecs, id, ""))
	wantStatus(t, e.ecs, id, "Stopped")
	apiError(t, stop(e.ecs, id, ""), "IncorrectInstanceStatus", 403)
	apiError(t, reboot(e.ecs, id), "IncorrectInstanceStatus", 403)
	ok(t, start(e.ecs, id))
	wantStatus(t, e.ecs, id, "Running")
	ok(t, reboot(e.ecs, id))
	wantStatus(t, e.ecs, id, "Running")

	del := ecs.CreateDeleteInstanceRequest()
	del.InstanceId = id
	_, err := e.ecs.DeleteInstance(del)
	apiError(t, err, "IncorrectInstanceStatus", 403)
	del.Force = "true"
	_, err = e.ecs.DeleteInstance(del)
	ok(t, err)
	apiError(t, start(e.ecs, id), "InvalidInstanceId.NotFound", 404)
}
