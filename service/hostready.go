package service

import "github.com/openecs/openecs"

// Host readiness. PATCH /admin/v1/instances/{id} {"host_ready": false} says
// the instance's host is not ready; StartInstance then answers
// InstanceNotReady until it is true again:
//
//   - 403 "The specified instance is not ready for use." when the instance
//     has never run (created by CreateInstance, its host still being
//     prepared): the operation is not supported in the resource's current
//     state, try again later;
//   - 500 "The specified instance is not ready for use" when it has run
//     before (its host is being migrated or repaired and cannot be reached
//     for the moment).
//
// It is the last start check, after the disks and KMS keys.
func checkHostReady(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HostReady {
		return nil
	}
	if in.StartedAt.IsZero() {
		return openecs.ErrInstanceNotReady403
	}
	return openecs.ErrInstanceNotReady500
}
