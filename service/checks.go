package service

import "github.com/openecs/openecs"

// Check hooks. The core actions run their own checks in the documented order
// (existence → charge type → security lock → billing state and status → money
// → capacity) and then these, which later capabilities register (quota, spot
// price, host readiness, disks, KMS). A check returns an *openecs.Error to
// refuse the call. Hooks run inside the call's transaction; what they write is
// rolled back if the call fails or is a DryRun.

// StartOptions are the StartInstance parameters the checks may need.
type StartOptions struct {
	InitLocalDisk bool
	DryRun        bool
}

// CreateSpec describes instances about to be created, for the create checks.
type CreateSpec struct {
	AccountID      string
	RegionID       string
	ZoneID         string
	InstanceType   string
	CPU            int
	Count          int
	SpotStrategy   openecs.SpotStrategy
	SpotPriceLimit openecs.Money
	Disks          []openecs.Disk // the disks each instance would get (ids empty)
}

var (
	startChecks  []func(s *Service, tx openecs.Tx, in *openecs.Instance, o StartOptions) error
	startEffects []func(s *Service, tx openecs.Tx, in *openecs.Instance, o StartOptions) error
	rebootChecks []func(s *Service, tx openecs.Tx, in *openecs.Instance) error
	createChecks []func(s *Service, tx openecs.Tx, c CreateSpec) error
	createdHooks []func(s *Service, tx openecs.Tx, in *openecs.Instance) error
)

// RegisterStartCheck adds a StartInstance precondition (after capacity).
func RegisterStartCheck(f func(s *Service, tx openecs.Tx, in *openecs.Instance, o StartOptions) error) {
	startChecks = append(startChecks, f)
}

// RegisterStartEffect adds work done when a start goes ahead (not on DryRun),
// before the instance is written.
func RegisterStartEffect(f func(s *Service, tx openecs.Tx, in *openecs.Instance, o StartOptions) error) {
	startEffects = append(startEffects, f)
}

// RegisterRebootCheck adds a RebootInstance precondition (after status).
func RegisterRebootCheck(f func(s *Service, tx openecs.Tx, in *openecs.Instance) error) {
	rebootChecks = append(rebootChecks, f)
}

// RegisterCreateCheck adds a RunInstances/CreateInstance precondition (after
// money and capacity).
func RegisterCreateCheck(f func(s *Service, tx openecs.Tx, c CreateSpec) error) {
	createChecks = append(createChecks, f)
}

// RegisterCreatedHook adds work done for each instance just created, after it
// is inserted.
func RegisterCreatedHook(f func(s *Service, tx openecs.Tx, in *openecs.Instance) error) {
	createdHooks = append(createdHooks, f)
}
