package service

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/openecs/openecs"
)

// SSH key pairs (docs/keypairs.md).

// MaxKeyPairsPerRegion is how many key pairs an account may hold in one
// region (QuotaExceed.KeyPair beyond).
const MaxKeyPairsPerRegion = 500

// CreateKeyPairBits is the size of the RSA keys CreateKeyPair makes.
const CreateKeyPairBits = 2048

// KeyPairRequest is CreateKeyPair (PublicKey empty) or ImportKeyPair.
type KeyPairRequest struct {
	RegionID        string
	Name            string // checked by the transport
	PublicKey       string // ImportKeyPair's PublicKeyBody
	ResourceGroupID string
	Tags            []openecs.Tag
}

// NewKeyPair is what CreateKeyPair and ImportKeyPair answer: the stored key
// pair and, for CreateKeyPair only, the private key in PEM (never stored).
type NewKeyPair struct {
	*openecs.KeyPair
	PrivateKeyPEM string
}

// CreateKeyPair makes a 2048-bit RSA key pair, stores its public half and
// answers the private key once.
//
// Errors: InvalidRegionId.NotFound, KeyPair.AlreadyExist,
// QuotaExceed.KeyPair.
func (s *Service) CreateKeyPair(ctx context.Context, c Caller, r KeyPairRequest) (*NewKeyPair, error) {
	if _, ok := s.cat.Region(r.RegionID); !ok {
		return nil, openecs.ErrRegionNotFound
	}
	// Generating the key costs about 0.1 s of CPU (BENCHMARKS.md, "SSH key
	// pairs"): it is done before the write transaction, never inside it.
	key, err := rsa.GenerateKey(rand.Reader, CreateKeyPairBits)
	if err != nil {
		return nil, err
	}
	pub, err := ssh.NewPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	kp, err := s.storeKeyPair(ctx, c, r, pub)
	if err != nil {
		return nil, err
	}
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return &NewKeyPair{KeyPair: kp, PrivateKeyPEM: string(priv)}, nil
}

// ParsePublicKey reads an OpenSSH public key line (ssh-rsa, ssh-ed25519,
// ecdsa-sha2-nistp256/384/521; an optional comment after the key).
// Anything else is InvalidPublicKeyBody.Malformed.
func ParsePublicKey(body string) (ssh.PublicKey, error) {
	body = strings.TrimSpace(body)
	if body == "" || strings.ContainsAny(body, "\r\n") {
		return nil, openecs.ErrPublicKeyMalformed
	}
	pub, _, options, rest, err := ssh.ParseAuthorizedKey([]byte(body))
	if err != nil || len(options) > 0 || len(rest) > 0 {
		return nil, openecs.ErrPublicKeyMalformed
	}
	switch pub.Type() {
	case ssh.KeyAlgoRSA, ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521:
		return pub, nil
	}
	return nil, openecs.ErrPublicKeyMalformed
}

// ImportKeyPair stores a public key the caller made.
//
// Errors: InvalidRegionId.NotFound, InvalidPublicKeyBody.Malformed,
// KeyPair.AlreadyExist, QuotaExceed.KeyPair.
func (s *Service) ImportKeyPair(ctx context.Context, c Caller, r KeyPairRequest) (*NewKeyPair, error) {
	if _, ok := s.cat.Region(r.RegionID); !ok {
		return nil, openecs.ErrRegionNotFound
	}
	pub, err := ParsePublicKey(r.PublicKey)
	if err != nil {
		return nil, err
	}
	kp, err := s.storeKeyPair(ctx, c, r, pub)
	if err != nil {
		return nil, err
	}
	return &NewKeyPair{KeyPair: kp}, nil
}

// storeKeyPair writes a new key pair with its tags.
func (s *Service) storeKeyPair(ctx context.Context, c Caller, r KeyPairRequest, pub ssh.PublicKey) (*openecs.KeyPair, error) {
	region, ok := s.cat.Region(r.RegionID)
	if !ok {
		return nil, openecs.ErrRegionNotFound
	}
	var out *openecs.KeyPair
	err := s.update(ctx, func(tx openecs.Tx) error {
		if _, err := tx.KeyPair(c.AccountID, region.ID, r.Name); err == nil {
			return openecs.ErrKeyPairExists
		} else if !errors.Is(err, openecs.ErrNotFound) {
			return err
		}
		n, err := tx.CountKeyPairs(openecs.KeyPairFilter{AccountID: c.AccountID, RegionID: region.ID})
		if err != nil {
			return err
		}
		if n >= MaxKeyPairsPerRegion {
			return openecs.ErrKeyPairQuota
		}
		now := tx.Now()
		k := &openecs.KeyPair{ID: openecs.NewResourceID("skp", region.Code), AccountID: c.AccountID, RegionID: region.ID, Name: r.Name,
			FingerPrint: ssh.FingerprintLegacyMD5(pub), PublicKey: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))),
			ResourceGroupID: r.ResourceGroupID, CreatedAt: now}
		if err := tx.InsertKeyPair(k); err != nil {
			if errors.Is(err, openecs.ErrConflict) {
				return openecs.ErrKeyPairExists // a concurrent call took the name first
			}
			return err
		}
		if err := putTags(tx, c.AccountID, region.ID, openecs.TagKeyPair, k.ID, r.Tags); err != nil {
			return err
		}
		out = k
		return event(tx, now, c.AccountID, openecs.EventKeyPairCreated, k.ID, c.Action, map[string]any{"name": k.Name, "fingerprint": k.FingerPrint})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// KeyPairView is a key pair as DescribeKeyPairs shows it.
type KeyPairView struct {
	*openecs.KeyPair
	Tags []openecs.Tag
}

// KeyPairQuery is DescribeKeyPairs.
type KeyPairQuery struct {
	Filter openecs.KeyPairFilter // the caller's account is set here
	Page   Page
}

// KeyPairPage is one page of DescribeKeyPairs.
type KeyPairPage struct {
	KeyPairs []KeyPairView
	Total    int
}

// DescribeKeyPairs lists the caller's key pairs in a region, oldest first.
func (s *Service) DescribeKeyPairs(ctx context.Context, c Caller, q KeyPairQuery) (*KeyPairPage, error) {
	if _, ok := s.cat.Region(q.Filter.RegionID); !ok {
		return nil, openecs.ErrRegionNotFound
	}
	f := q.Filter
	f.AccountID, f.Limit, f.Offset = c.AccountID, q.Page.Size, q.Page.offset()
	out := &KeyPairPage{KeyPairs: []KeyPairView{}}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.KeyPairs = out.KeyPairs[:0]
		var err error
		if out.Total, err = r.CountKeyPairs(f); err != nil {
			return err
		}
		ks, err := r.KeyPairs(f)
		if err != nil {
			return err
		}
		for _, k := range ks {
			tags, err := r.ResourceTags(openecs.TagKeyPair, k.ID)
			if err != nil {
				return err
			}
			out.KeyPairs = append(out.KeyPairs, KeyPairView{KeyPair: k, Tags: tags})
		}
		return nil
	})
	return out, err
}

// MaxKeyPairNames is how many names DeleteKeyPairs takes at once.
const MaxKeyPairNames = 100

// DeleteKeyPairs deletes the caller's key pairs of these names in a region,
// all or none. A name the caller has no key pair of is passed over.
//
// Errors: InvalidRegionId.NotFound,
// InvalidParameter.KeypairAlreadyAttachedInstance (an instance uses one of
// them).
func (s *Service) DeleteKeyPairs(ctx context.Context, c Caller, region string, names []string) error {
	if _, ok := s.cat.Region(region); !ok {
		return openecs.ErrRegionNotFound
	}
	return s.update(ctx, func(tx openecs.Tx) error {
		ks, err := tx.KeyPairs(openecs.KeyPairFilter{AccountID: c.AccountID, RegionID: region, Names: dedupe(names)})
		if err != nil {
			return err
		}
		for _, k := range ks {
			n, err := tx.CountInstances(openecs.InstanceFilter{AccountID: c.AccountID, RegionID: region, KeyPairName: k.Name})
			if err != nil {
				return err
			}
			if n > 0 {
				return openecs.ErrKeyPairInUse
			}
		}
		now := tx.Now()
		for _, k := range ks {
			if err := tx.DeleteKeyPair(k.ID); err != nil {
				return err
			}
			if err := event(tx, now, c.AccountID, openecs.EventKeyPairDeleted, k.ID, c.Action, map[string]any{"name": k.Name}); err != nil {
				return err
			}
		}
		return nil
	})
}

// MaxKeyPairInstances is how many instances AttachKeyPair and DetachKeyPair
// take at once.
const MaxKeyPairInstances = 50

// KeyPairResult is one instance's outcome of AttachKeyPair or
// DetachKeyPair: Err is nil on success.
type KeyPairResult struct {
	InstanceID string
	Err        *openecs.Error
}

// AttachKeyPair makes the key pair the one each instance uses (replacing
// any other); it takes effect at the instance's next start or reboot, which
// OpenECS does not model beyond recording it. Each instance succeeds or
// fails on its own (not the caller's, Windows, not Running or Stopped).
//
// Errors: InvalidRegionId.NotFound, InvalidKeyPairName.NotFound.
func (s *Service) AttachKeyPair(ctx context.Context, c Caller, region, name string, ids []string) ([]KeyPairResult, error) {
	return s.keyPairInstances(ctx, c, region, name, ids, true)
}

// DetachKeyPair takes the key pair off each instance that uses it; an
// instance that does not use it is left as it is (and succeeds).
//
// Errors: InvalidRegionId.NotFound, InvalidKeyPairName.NotFound.
func (s *Service) DetachKeyPair(ctx context.Context, c Caller, region, name string, ids []string) ([]KeyPairResult, error) {
	return s.keyPairInstances(ctx, c, region, name, ids, false)
}

func (s *Service) keyPairInstances(ctx context.Context, c Caller, region, name string, ids []string, attach bool) ([]KeyPairResult, error) {
	if _, ok := s.cat.Region(region); !ok {
		return nil, openecs.ErrRegionNotFound
	}
	var out []KeyPairResult
	err := s.update(ctx, func(tx openecs.Tx) error {
		out = out[:0]
		k, err := tx.KeyPair(c.AccountID, region, name)
		if errors.Is(err, openecs.ErrNotFound) {
			return openecs.ErrKeyPairNotFoundAttach
		}
		if err != nil {
			return err
		}
		now := tx.Now()
		for _, id := range dedupe(ids) {
			res := KeyPairResult{InstanceID: id}
			in, err := s.ownInstance(tx, c, id, region)
			var apiErr *openecs.Error
			switch {
			case errors.As(err, &apiErr):
				res.Err = apiErr
			case err != nil:
				return err
			case isWindows(in.OSType):
				res.Err = openecs.ErrKeyPairWindows
			case in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped:
				res.Err = openecs.ErrIncorrectInstanceStatus
			default:
				kind, want := openecs.EventKeyPairAttached, k.Name
				if !attach {
					kind, want = openecs.EventKeyPairDetached, ""
				}
				if (attach || in.KeyPairName == k.Name) && in.KeyPairName != want {
					in.KeyPairName = want
					if err := tx.UpdateInstance(in); err != nil {
						return err
					}
					if err := event(tx, now, c.AccountID, kind, in.ID, c.Action, map[string]any{"key_pair": k.Name}); err != nil {
						return err
					}
				}
			}
			out = append(out, res)
		}
		return nil
	})
	return out, err
}

// isWindows reports whether an image's OS type is Windows (which takes no
// key pair).
func isWindows(osType string) bool { return strings.EqualFold(osType, "windows") }

// checkKeyPair is RunInstances' and CreateInstance's check of KeyPairName:
// a Windows image takes none, and the key pair must be the caller's in the
// region.
func checkKeyPair(tx openecs.Tx, c Caller, region, osType, name string) error {
	if name == "" {
		return nil
	}
	if isWindows(osType) {
		return openecs.ErrKeyPairWindows
	}
	if _, err := tx.KeyPair(c.AccountID, region, name); errors.Is(err, openecs.ErrNotFound) {
		return openecs.ErrKeyPairNotFound
	} else if err != nil {
		return err
	}
	return nil
}
