package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// The self-signed certificate OpenECS makes for the TLS side of its port
// lives in <data>/tls: cert.pem (what a client trusts, e.g. through
// SSL_CERT_FILE) and key.pem. It is made on the first start and reused
// after, and made again (keeping every name of the old one) when it lacks a
// name this start needs, expires within 30 days, or does not match its key.
const (
	tlsDirName     = "tls"
	certFileName   = "cert.pem"
	keyFileName    = "key.pem"
	certLifetime   = 10 * 365 * 24 * time.Hour
	certRenewAhead = 30 * 24 * time.Hour
	certOrg        = "OpenECS"
)

// serverTLS is the TLS side of the listener.
type serverTLS struct {
	config   *tls.Config
	certFile string // the certificate to trust; "" when it could not be saved
	made     bool   // the certificate was made on this start
}

// loadTLS returns the TLS configuration Start serves with: the certificate
// and key given in cfg, else the self-signed one in the data directory
// (made if needed, for the names a client may use to reach bound). With no
// data directory and no certificate given it returns nil: plain HTTP only.
func loadTLS(cfg Config, bound net.Addr) (*serverTLS, error) {
	if cfg.TLSCert != "" || cfg.TLSKey != "" {
		if cfg.TLSCert == "" || cfg.TLSKey == "" {
			return nil, errors.New("TLS: give both a certificate and its key (--tls-cert and --tls-key), or neither")
		}
		pair, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("TLS: %w", err)
		}
		return &serverTLS{config: tlsConfig(pair), certFile: cfg.TLSCert}, nil
	}
	if cfg.DataDir == "" {
		return nil, nil
	}
	// Absolute: clients are told to trust it from anywhere.
	dir, err := filepath.Abs(filepath.Join(cfg.DataDir, tlsDirName))
	if err != nil {
		return nil, fmt.Errorf("TLS: %w", err)
	}
	names := certNames(cfg.Addr, bound)
	st, err := selfSigned(dir, names)
	if err == nil {
		return st, nil
	}
	// The data directory is not writable (a PostgreSQL replica in a
	// read-only container, say): serve TLS with a certificate of this run
	// only, which no client can be told to trust.
	cert, key, gerr := makeCert(names)
	if gerr != nil {
		return nil, fmt.Errorf("TLS: %w", gerr)
	}
	pair, perr := tls.X509KeyPair(cert, key)
	if perr != nil {
		return nil, fmt.Errorf("TLS: %w", perr)
	}
	cfg.Logger.Warn("TLS certificate not saved; serving TLS with one of this run only (give --tls-cert and --tls-key to choose one)",
		"dir", dir, "error", err)
	return &serverTLS{config: tlsConfig(pair), made: true}, nil
}

func tlsConfig(pair tls.Certificate) *tls.Config {
	// HTTP/1.1 only: the server hands plain and TLS connections alike to
	// one HTTP/1 server.
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}}
}

// certNames are the names the certificate must hold: the loopback names,
// the host of --addr, and for a wildcard bind this machine's host name and
// interface addresses (clients elsewhere reach it by those).
func certNames(addr string, bound net.Addr) []string {
	names := []string{"localhost", "127.0.0.1", "::1"}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		names = append(names, host)
	}
	if t, ok := bound.(*net.TCPAddr); ok {
		if t.IP.IsUnspecified() {
			if h, err := os.Hostname(); err == nil && h != "" {
				names = append(names, h)
			}
			if addrs, err := net.InterfaceAddrs(); err == nil {
				for _, a := range addrs {
					if n, ok := a.(*net.IPNet); ok && !n.IP.IsLinkLocalUnicast() {
						names = append(names, n.IP.String())
					}
				}
			}
		} else {
			names = append(names, t.IP.String())
		}
	}
	var out []string
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			if ip.IsUnspecified() {
				continue
			}
			n = ip.String()
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// selfSigned loads the certificate kept in dir, or makes (and saves) one
// holding names. A lock on the directory keeps two servers sharing it (two
// PostgreSQL replicas on one host) from writing it at once.
func selfSigned(dir string, names []string) (*serverTLS, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var lock *os.File
	for waited := time.Duration(0); ; waited += 20 * time.Millisecond {
		f, err := tryLock(filepath.Join(dir, ".lock"))
		if err == nil {
			lock = f
			break
		}
		if !errors.Is(err, errLocked) {
			return nil, err
		}
		if waited > 10*time.Second {
			return nil, fmt.Errorf("%s stays locked by another server", dir)
		}
		time.Sleep(20 * time.Millisecond) // another server is writing it: a moment
	}
	defer lock.Close()

	certPath, keyPath := filepath.Join(dir, certFileName), filepath.Join(dir, keyFileName)
	var keep []string // names of the current certificate, kept in a new one
	if cert, key, err := readPair(certPath, keyPath); err == nil {
		pair, perr := tls.X509KeyPair(cert, key)
		if perr == nil && pair.Leaf != nil {
			keep = leafNames(pair.Leaf)
			if covers(keep, names) && time.Until(pair.Leaf.NotAfter) > certRenewAhead {
				return &serverTLS{config: tlsConfig(pair), certFile: certPath}, nil
			}
		}
	}
	for _, n := range keep {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	cert, key, err := makeCert(names)
	if err != nil {
		return nil, err
	}
	// The key first: a client never sees a certificate whose key is not there.
	if err := writeAtomic(keyPath, key, 0o600); err != nil {
		return nil, err
	}
	if err := writeAtomic(certPath, cert, 0o644); err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		return nil, err
	}
	return &serverTLS{config: tlsConfig(pair), certFile: certPath, made: true}, nil
}

func readPair(certPath, keyPath string) (cert, key []byte, err error) {
	if cert, err = os.ReadFile(certPath); err != nil {
		return nil, nil, err
	}
	if key, err = os.ReadFile(keyPath); err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func leafNames(c *x509.Certificate) []string {
	names := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

func covers(have, want []string) bool {
	for _, n := range want {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}

// makeCert makes a self-signed ECDSA P-256 certificate for names (IP
// addresses become IP SANs, the rest DNS SANs), valid for ten years. It is
// its own CA, so that clients which want a trust anchor (OpenSSL, Node's
// NODE_EXTRA_CA_CERTS) take it as well as Go's SSL_CERT_FILE does. The wall
// clock is right here: clients check validity against theirs.
func makeCert(names []string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{certOrg}, CommonName: "OpenECS local server"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
}

// writeAtomic writes data to path through a temporary file and a rename.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
