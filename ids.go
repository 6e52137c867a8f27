package openecs

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"strings"

	"github.com/google/uuid"
)

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// RandomString returns n characters from [0-9a-z], from crypto/rand.
func RandomString(n int) string {
	var b strings.Builder
	b.Grow(n)
	max := big.NewInt(int64(len(idAlphabet)))
	for range n {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err)
		}
		b.WriteByte(idAlphabet[v.Int64()])
	}
	return b.String()
}

// NewResourceID returns an id in the real service's shape: a kind prefix, the
// region's short code and random characters, 20 characters after the dash for
// instances (i-bp67acfmxazb4ph1xxxx).
func NewResourceID(kind, regionCode string) string {
	const body = 20
	n := body - len(regionCode)
	if n < 8 {
		n = 8
	}
	return kind + "-" + regionCode + RandomString(n)
}

// NewRequestID returns a fresh request id: a UUID in upper case.
func NewRequestID() string { return strings.ToUpper(uuid.NewString()) }

// NewNumericID returns n random decimal digits not starting with 0; used for
// account ids and order ids.
func NewNumericID(n int) string {
	b := make([]byte, n)
	for i := range b {
		v, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			panic(err)
		}
		b[i] = byte('0' + v.Int64())
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b)
}

// NewSecret returns a random secret of n hex-ish characters.
func NewSecret(n int) string {
	b := make([]byte, (n+1)/2)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)[:n]
}

// NewAccessKeyID returns a permanent AccessKey id ("LTAI" + 20 characters).
func NewAccessKeyID() string { return "LTAI" + strings.ToUpper(RandomString(4)) + RandomString(16) }

// NewSTSKeyID returns an STS AccessKey id ("STS." + 24 characters).
func NewSTSKeyID() string { return "STS.N" + RandomString(23) }
