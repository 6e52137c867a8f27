package service

import (
	"context"
	"slices"

	"github.com/openecs/openecs"
)

// KMS keys (docs/errors.md, "KMS keys"). Keys are global to the service and set
// through PUT /admin/v1/kms-keys/{key_id}. A disk encrypted with a key
// (SystemDisk.KMSKeyId, DataDisk.N.KMSKeyId) needs it usable; one encrypted
// without a key id uses the service's default key, always usable. For each
// such disk, in disk order, the first that applies:
//
//   - the key does not exist (never created, or deleted):
//     InvalidParameter.KMSKeyId.NotFound 404;
//   - the key has ecs_authorized false (the ECS service role may not use
//     KMS at all): InvalidParameter.KMSKeyId.KMSUnauthorized 403;
//   - the key is restricted to another account (its "account_id"; the key
//     policy does not grant it to the disk's account):
//     InvalidParameter.KMSKeyId.CMKUnauthorized 403;
//   - the key is Disabled or PendingDeletion:
//     InvalidParameter.KMSKeyId.CMKNotEnabled 403.
//
// RebootInstance checks all four. StartInstance checks them too (its seed
// names KMSUnauthorized only; the others are the codes ECS documents for the
// same conditions). RunInstances and CreateInstance refuse a key that is not
// usable with the same codes, so an instance can only be created with a
// usable key.

// KMSKeyPatch is PUT /admin/v1/kms-keys/{key_id}; nil fields keep the key's
// value (a new key is Enabled, authorised and unrestricted).
type KMSKeyPatch struct {
	State         *openecs.KMSKeyState
	ECSAuthorized *bool
	AccountID     *string
}

// PutKMSKey creates or changes a KMS key.
func (s *Service) PutKMSKey(ctx context.Context, id string, p KMSKeyPatch) (*openecs.KMSKey, error) {
	if id == "" {
		return nil, badRequest("a key id is required")
	}
	if p.State != nil && !slices.Contains(openecs.KMSKeyStates, *p.State) {
		return nil, badRequest("state must be Enabled, Disabled or PendingDeletion")
	}
	var k *openecs.KMSKey
	err := s.update(ctx, func(tx openecs.Tx) error {
		now := tx.Now()
		var err error
		k, err = tx.KMSKey(id)
		switch {
		case err == openecs.ErrNotFound:
			k = &openecs.KMSKey{ID: id, State: openecs.KMSEnabled, ECSAuthorized: true, CreatedAt: now}
		case err != nil:
			return err
		}
		if p.AccountID != nil && *p.AccountID != "" {
			if _, err := tx.Account(*p.AccountID); err == openecs.ErrNotFound {
				return badRequest("unknown account_id " + *p.AccountID)
			} else if err != nil {
				return err
			}
		}
		if p.State != nil {
			k.State = *p.State
		}
		if p.ECSAuthorized != nil {
			k.ECSAuthorized = *p.ECSAuthorized
		}
		if p.AccountID != nil {
			k.AccountID = *p.AccountID
		}
		k.UpdatedAt = now
		if err := tx.PutKMSKey(k); err != nil {
			return err
		}
		return event(tx, now, k.AccountID, openecs.EventKMSKey, k.ID, "admin",
			map[string]any{"state": string(k.State), "ecs_authorized": k.ECSAuthorized, "account_id": k.AccountID})
	})
	return k, err
}

// DeleteKMSKey removes a key: disks encrypted with it answer NotFound.
func (s *Service) DeleteKMSKey(ctx context.Context, id string) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		if err := tx.DeleteKMSKey(id); err != nil {
			return err
		}
		return event(tx, tx.Now(), "", openecs.EventKMSKey, id, "admin", map[string]any{"deleted": true})
	})
}

// KMSKeys lists the keys.
func (s *Service) KMSKeys(ctx context.Context) ([]openecs.KMSKey, error) {
	var out []openecs.KMSKey
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.KMSKeys()
		return err
	})
	return out, err
}

// KMSKey returns one key.
func (s *Service) KMSKey(ctx context.Context, id string) (*openecs.KMSKey, error) {
	var k *openecs.KMSKey
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		k, err = r.KMSKey(id)
		return err
	})
	return k, err
}

// kmsCheck answers the KMS error of the first disk whose key is not usable
// by the account.
func kmsCheck(r openecs.Reader, accountID string, disks []openecs.Disk) error {
	for _, d := range disks {
		if d.KMSKeyID == "" {
			continue
		}
		k, err := r.KMSKey(d.KMSKeyID)
		if err == openecs.ErrNotFound {
			return openecs.ErrKMSKeyNotFound.With("The specified KMSKeyId %s does not exist.", d.KMSKeyID)
		}
		if err != nil {
			return err
		}
		if !k.ECSAuthorized {
			return openecs.ErrKMSUnauthorized
		}
		if k.AccountID != "" && k.AccountID != accountID {
			return openecs.ErrCMKUnauthorized.With("The CMK %s is not authorized for this account: its key policy does not let ECS use it for your disks.", k.ID)
		}
		if k.State != openecs.KMSEnabled {
			return openecs.ErrCMKNotEnabled.With("The CMK %s is %s; it needs to be Enabled.", k.ID, k.State)
		}
	}
	return nil
}

func checkCreateKMS(s *Service, tx openecs.Tx, c CreateSpec) error {
	return kmsCheck(tx, c.AccountID, c.Disks)
}

// checkKMS is StartInstance's and RebootInstance's: the keys of the
// instance's disks.
func checkKMS(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	return kmsCheck(tx, in.AccountID, disks)
}
