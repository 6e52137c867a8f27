package service

import "github.com/openecs/openecs"

// The checks of the failure-case controls, registered in the order of
// PRODUCT.md "Order of checks" (after the core's status, money and capacity
// checks): the spot recycling lock (a status check), quota, spot price,
// disks, KMS keys, then host readiness.
func init() {
	RegisterCreateCheck(quotaCreateCheck)
	RegisterCreateCheck(spotCreateCheck)
	RegisterCreateCheck(kmsCreateCheck)
	RegisterCreatedHook(quotaCreatedHook)

	RegisterStartCheck(recyclingStartCheck)
	RegisterStartCheck(quotaStartCheck)
	RegisterStartCheck(spotStartCheck)
	RegisterStartCheck(diskStartCheck)
	RegisterStartCheck(kmsStartCheck)
	RegisterStartCheck(hostReadyStartCheck)

	RegisterStartEffect(quotaStartEffect)
	RegisterStartEffect(initLocalDiskEffect)

	RegisterRebootCheck(recyclingRebootCheck)
	RegisterRebootCheck(diskRebootCheck)
	RegisterRebootCheck(kmsRebootCheck)

	RegisterJob(openecs.JobSpotReclaim, spotReclaimJob)
}
