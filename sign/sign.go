// Package sign implements Alibaba Cloud RPC signature version 1.0
// (HMAC-SHA1), the scheme the legacy SDKs, the aliyun CLI and Terraform use
// for every ECS call, and signature V3 (ACS3-HMAC-SHA256, acs3.go), the
// V2.0 SDKs' default.
//
// The server uses Verify on the decoded union of query and form parameters;
// clients use StringToSign and Sign (or Signature) to produce the value of the
// Signature parameter.
//
// The canonical form is built the way the official Go SDK builds it
// (sdk/auth/rpc_signature_composer.go): parameters are ordered by their raw
// (decoded) names in byte order, as url.Values.Encode orders them, and every
// name and value is then percent-encoded with RFC 3986 rules. For the names
// ECS uses (letters, digits and dots) ordering by raw name and by encoded name
// give the same result; for names with other characters only the raw order
// matches what the SDKs sign, so that is the order used here.
package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

const upperHex = "0123456789ABCDEF"

// safe[b] is true for the bytes RFC 3986 calls unreserved: A-Z a-z 0-9 - _ . ~
var safe = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'], t['~'] = true, true, true, true
	return t
}()

// PercentEncode encodes s with RFC 3986 rules on its bytes: unreserved
// characters stay as they are and every other byte becomes %XX with upper-case
// hex digits. A space becomes %20, '*' becomes %2A and '~' is kept.
func PercentEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !safe[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safe[c] {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// appendTwice appends s percent-encoded twice.
// Runs of unreserved bytes are copied in one go.
func appendTwice(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safe[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '%', '2', '5', upperHex[c>>4], upperHex[c&15])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// param is one parameter name with its values.
type param struct {
	name   string
	values []string
}

// sortedParams returns the parameters that take part in the signature (all
// but Signature) ordered by name in byte order. scratch is room the caller
// may supply to avoid an allocation.
func sortedParams(params url.Values, scratch []param) []param {
	ps := scratch[:0]
	for k, vs := range params {
		if k != "Signature" {
			ps = append(ps, param{k, vs})
		}
	}
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
	return ps
}

// appendStringToSign appends the string to sign to dst. Callers pass a stack
// buffer large enough for typical requests, so nothing is allocated here.
//
// The canonical query "k1=v1&k2=v2" is percent-encoded a second time in the
// final string, so this writes the doubly encoded form directly: unreserved
// bytes as is, other bytes of names and values as %25XX, '=' as %3D and '&'
// as %26.
func appendStringToSign(dst []byte, method string, params url.Values) []byte {
	var scratch [32]param
	ps := sortedParams(params, scratch[:0])

	dst = append(dst, method...)
	dst = append(dst, "&%2F&"...)
	first := true
	for _, p := range ps {
		for _, v := range p.values {
			if !first {
				dst = append(dst, "%26"...)
			}
			first = false
			dst = appendTwice(dst, p.name)
			dst = append(dst, "%3D"...)
			dst = appendTwice(dst, v)
		}
	}
	return dst
}

// StringToSign returns the text that signature version 1.0 signs for a request
// made with method and carrying params (the union of query and form
// parameters, decoded). The Signature parameter is left out; parameters with
// empty values take part. A name with several values gives one pair per
// value, in the order given.
func StringToSign(method string, params url.Values) string {
	var stack [1024]byte
	return string(appendStringToSign(stack[:0], method, params))
}

// mac computes HMAC-SHA1 keyed with secret + "&" over msg.
func mac(secret string, msg []byte) [sha1.Size]byte {
	h := hmac.New(sha1.New, append([]byte(secret), '&'))
	h.Write(msg)
	var out [sha1.Size]byte
	h.Sum(out[:0])
	return out
}

// encodedLen is the length of a signature: base64 of a SHA-1 digest.
const encodedLen = 28

// Sign returns the signature of stringToSign: standard padded base64 of
// HMAC-SHA1 keyed with secret + "&". For bearer-token requests the secret is
// empty and the key is just "&".
func Sign(secret, stringToSign string) string {
	sum := mac(secret, []byte(stringToSign))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// computeSignature writes the signature for method and params into out.
func computeSignature(secret, method string, params url.Values, out *[encodedLen]byte) {
	var stack [1024]byte
	sum := mac(secret, appendStringToSign(stack[:0], method, params))
	base64.StdEncoding.Encode(out[:], sum[:])
}

// Signature returns Sign(secret, StringToSign(method, params)) without
// building the intermediate string.
func Signature(secret, method string, params url.Values) string {
	var out [encodedLen]byte
	computeSignature(secret, method, params, &out)
	return string(out[:])
}

// Verify reports whether signature is the correct signature of params (the
// decoded union of query and form parameters, Signature itself ignored) for a
// request made with method and signed with secret. The comparison takes
// constant time for signatures of the right length.
func Verify(secret, method string, params url.Values, signature string) bool {
	if len(signature) != encodedLen {
		return false
	}
	var want [encodedLen]byte
	computeSignature(secret, method, params, &want)
	var got [encodedLen]byte
	copy(got[:], signature)
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1
}
