package service

import (
	"context"

	"github.com/openecs/openecs"
)

// An instance's public network after it runs: ModifyInstanceNetworkSpec
// (bandwidth and its charge type) and AllocatePublicIpAddress
// (docs/instance-changes.md). Public bandwidth is not billed here.

// NetworkSpecChange is ModifyInstanceNetworkSpec; nil fields stay as they
// are.
type NetworkSpecChange struct {
	RegionID     string
	InstanceID   string
	BandwidthOut *int
	BandwidthIn  *int
	ChargeType   string // PayByBandwidth, PayByTraffic or "" (unchanged)
	// AllocatePublicIP gives the instance a public address with the new
	// bandwidth if it has none; otherwise that is AllocatePublicIpAddress's
	// job.
	AllocatePublicIP bool
	Idem             Idem
}

// ModifyInstanceNetworkSpec changes a Running or Stopped instance's public
// bandwidth and its charge type, of either charge type of instance.
//
// Errors, in check order: InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, Account.Arrearage,
// InvalidStatus.ValueNotSupported, IdempotentParameterMismatch.
func (s *Service) ModifyInstanceNetworkSpec(ctx context.Context, c Caller, r NetworkSpecChange) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		acct, err := tx.Account(c.AccountID)
		if err != nil {
			return struct{}{}, err
		}
		if err := checkSecurityLock(s, tx, acct, in, PowerRequest{}); err != nil {
			return struct{}{}, err
		}
		if err := checkSpecArrears(s, tx, acct, in, PowerRequest{}); err != nil {
			return struct{}{}, err
		}
		if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
			return struct{}{}, openecs.ErrSpecStatus
		}
		data := map[string]any{}
		if r.BandwidthOut != nil {
			data["bandwidth_out"] = map[string]int{"from": in.InternetMaxBandwidthOut, "to": *r.BandwidthOut}
			in.InternetMaxBandwidthOut = *r.BandwidthOut
		}
		if r.BandwidthIn != nil {
			data["bandwidth_in"] = map[string]int{"from": in.InternetMaxBandwidthIn, "to": *r.BandwidthIn}
			in.InternetMaxBandwidthIn = *r.BandwidthIn
		}
		if r.ChargeType != "" {
			data["internet_charge_type"] = map[string]string{"from": in.InternetChargeType, "to": r.ChargeType}
			in.InternetChargeType = r.ChargeType
		}
		if r.AllocatePublicIP && in.InternetMaxBandwidthOut > 0 && in.PublicIP == "" {
			in.PublicIP = publicIP()
			data["public_ip"] = in.PublicIP
		}
		if err := tx.UpdateInstance(in); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, tx.Now(), in.AccountID, openecs.EventInstanceSpec, in.ID, c.Action, data)
	})
	return err
}

// PublicIPRequest is AllocatePublicIpAddress.
type PublicIPRequest struct {
	RegionID   string
	InstanceID string
	Address    string // "" : any
	Idem       Idem
}

// AllocatePublicIpAddress gives a Running or Stopped instance with public
// bandwidth its public address, and returns it.
//
// Errors, in check order: InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, IncorrectInstanceStatus, AllocatedAlready,
// OperationDenied (no public bandwidth), IdempotentParameterMismatch.
func (s *Service) AllocatePublicIpAddress(ctx context.Context, c Caller, r PublicIPRequest) (string, error) {
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (string, error) {
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return "", err
		}
		if in.HasLock(openecs.LockSecurity) {
			return "", openecs.ErrInstanceLockedForSecurity
		}
		if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
			return "", openecs.ErrIncorrectInstanceStatus
		}
		if in.PublicIP != "" {
			return "", openecs.ErrPublicIPAllocated
		}
		if in.InternetMaxBandwidthOut == 0 {
			return "", openecs.ErrPublicIPNoBandwidth
		}
		in.PublicIP = r.Address
		if in.PublicIP == "" {
			in.PublicIP = publicIP()
		}
		if err := tx.UpdateInstance(in); err != nil {
			return "", err
		}
		return in.PublicIP, event(tx, tx.Now(), in.AccountID, openecs.EventInstanceModified, in.ID, c.Action,
			map[string]any{"changed": []string{"PublicIpAddress"}, "public_ip": in.PublicIP})
	})
}
