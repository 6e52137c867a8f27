package rpc

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
	"github.com/openecs/openecs/sign"
)

// authenticate checks the common signature parameters, the timestamp window
// (against the wall clock, never the virtual one), the AccessKey (and STS
// token), the signature and the nonce, and returns the key. A bearer token
// (SignatureType=BEARERTOKEN) comes either signed with an empty secret (the
// legacy SDK) or unsigned (the V2.0 SDKs' "v2" mode).
func (s *Server) authenticate(ctx context.Context, method string, vals url.Values) (*openecs.AccessKey, error) {
	keyID := vals.Get("AccessKeyId")
	bearer := vals.Get("SignatureType") == "BEARERTOKEN"
	if bearer {
		// Bearer credentials sign with an empty secret and name themselves by
		// the token; the store keeps them as keys with the id "bearer:<token>".
		tok := vals.Get("BearerToken")
		if tok == "" {
			return nil, openecs.Missing("BearerToken")
		}
		keyID = openecs.BearerKeyPrefix + tok
	} else if keyID == "" {
		return nil, openecs.Missing("AccessKeyId")
	}
	sig := vals.Get("Signature")
	// The V2.0 SDKs send a bearer token unsigned, without Signature,
	// SignatureMethod or SignatureVersion: the token is the credential.
	unsigned := bearer && sig == "" && !vals.Has("SignatureMethod") && !vals.Has("SignatureVersion")
	if sig == "" && !unsigned {
		return nil, openecs.ErrIncompleteSignature
	}
	if m := vals.Get("SignatureMethod"); m != "HMAC-SHA1" && !unsigned {
		return nil, openecs.ErrInvalidParamaterSig.With("The specified parameter SignatureMethod is not valid: it must be HMAC-SHA1.")
	}
	if v := vals.Get("SignatureVersion"); v != "1.0" && !unsigned {
		return nil, openecs.ErrInvalidParamaterSig.With("The specified parameter SignatureVersion is not valid: it must be 1.0.")
	}
	nonce := vals.Get("SignatureNonce")
	if nonce == "" {
		return nil, openecs.Missing("SignatureNonce")
	}
	tsText := vals.Get("Timestamp")
	ts, ok := parseTimestamp(tsText)
	if !ok {
		return nil, timestampError("the parameter \"Timestamp\"", tsText)
	}
	wall := s.svc.Wall()
	if d := wall.Sub(ts); d > TimestampWindow || d < -TimestampWindow {
		return nil, openecs.ErrTimestampExpired
	}
	key, err := s.keys.get(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if bearer && !key.ExpiresAt.IsZero() && wall.After(key.ExpiresAt) {
		return nil, openecs.ErrBearerTokenExpired
	}
	if key.SecurityToken != "" {
		tok := vals.Get("SecurityToken")
		if tok == "" {
			return nil, openecs.Missing("SecurityToken")
		}
		if tok != key.SecurityToken {
			return nil, openecs.ErrSecurityTokenInvalid
		}
		if !key.ExpiresAt.IsZero() && wall.After(key.ExpiresAt) {
			return nil, openecs.ErrSecurityTokenExpired
		}
	}
	if !unsigned && !sign.Verify(key.Secret, method, vals, sig) {
		return nil, openecs.ErrSignatureDoesNotMatch.With("Specified signature is not matched with our calculation. server string to sign is:%s", sign.StringToSign(method, vals))
	}
	fresh, err := s.nonces.Use(ctx, keyID, nonce, ts)
	if err != nil {
		return nil, err
	}
	if !fresh {
		return nil, openecs.ErrSignatureNonceUsed
	}
	return key, nil
}

// timestampError is IllegalTimestamp saying which of the two it is: the
// time is missing, or it is there and malformed.
func timestampError(what, text string) error {
	if text == "" {
		return openecs.ErrIllegalTimestamp.With("The input %s that is mandatory for processing this request is not supplied.", what)
	}
	return openecs.ErrIllegalTimestamp.With("The input %s is malformed: %q is not a UTC time of the form 2006-01-02T15:04:05Z.", what, text)
}

// parseTimestamp accepts the SDK's layout and other RFC 3339 forms in UTC.
func parseTimestamp(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse("2006-01-02T15:04:05Z", s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

// keyCache keeps AccessKeys for a short TTL so that signature checks do not
// hit the store on every call; a key made on another replica is found on the
// first miss.
type keyCache struct {
	svc *service.Service
	ttl time.Duration
	mu  sync.RWMutex
	m   map[string]cachedKey
}

type cachedKey struct {
	key *openecs.AccessKey
	at  time.Time
}

func newKeyCache(svc *service.Service, ttl time.Duration) *keyCache {
	return &keyCache{svc: svc, ttl: ttl, m: map[string]cachedKey{}}
}

func (c *keyCache) get(ctx context.Context, id string) (*openecs.AccessKey, error) {
	now := c.svc.Wall()
	c.mu.RLock()
	e, ok := c.m[id]
	c.mu.RUnlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.key, nil
	}
	k, err := c.svc.AccessKey(ctx, id)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil, openecs.ErrAccessKeyNotFound
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) > 100_000 {
		c.m = map[string]cachedKey{}
	}
	c.m[id] = cachedKey{key: k, at: now}
	c.mu.Unlock()
	return k, nil
}
