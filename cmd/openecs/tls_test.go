package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"

	"github.com/openecs/openecs/internal/testbin"
)

var (
	bannerCertFile = regexp.MustCompile(`SSL_CERT_FILE=(\S+)`)
	sdkMu          sync.Mutex
)

// sdkClient is a legacy Go SDK client for addr over scheme ("http" or
// "https"), trusting roots over TLS (nil: the system's).
func sdkClient(t *testing.T, addr, scheme string, roots *x509.CertPool) *ecs.Client {
	t.Helper()
	// The SDK fills a package-level endpoint table unguarded on a client's
	// first use: tests in parallel make clients one at a time.
	sdkMu.Lock()
	defer sdkMu.Unlock()
	c, err := ecs.NewClientWithAccessKey("cn-hangzhou", "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	c.Domain = addr
	c.SetTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})
	c.GetConfig().Scheme = strings.ToUpper(scheme)
	return c
}

func pool(t *testing.T, certFile string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no PEM certificate", certFile)
	}
	return p
}

func parseCert(t *testing.T, certFile string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s is not PEM", certFile)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The port answers TLS and plain HTTP alike. The self-signed certificate is
// made in the data directory on the first start (ECDSA, for the loopback
// names) and kept after; the banner says how to trust it, and a Go client
// told SSL_CERT_FILE=<it> trusts it. The legacy SDK works with scheme HTTPS
// and with its default, plain HTTP, on the one port.
func TestServeTLSOnTheSamePort(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir, nil, "--addr", testbin.FreeAddr(t))
	m := bannerCertFile.FindStringSubmatch(s.stdout.String())
	if m == nil || !strings.Contains(s.stdout.String(), "made now") {
		t.Fatalf("the banner does not say how to trust a new certificate:\n%s", s.stdout)
	}
	certFile := m[1]
	if want := filepath.Join(dir, "openecs-data", "tls", "cert.pem"); certFile != want {
		t.Errorf("the certificate is %s, want %s", certFile, want)
	}
	cert := parseCert(t, certFile)
	if _, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok {
		t.Errorf("the certificate's key is %T, want ECDSA", cert.PublicKey)
	}
	var ips []string
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	if !slices.Contains(cert.DNSNames, "localhost") || !slices.Contains(ips, "127.0.0.1") || !slices.Contains(ips, "::1") {
		t.Errorf("the certificate names %v %v, want localhost, 127.0.0.1 and ::1", cert.DNSNames, ips)
	}
	if fi, err := os.Stat(filepath.Join(filepath.Dir(certFile), "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key.pem: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}

	// The legacy SDK over HTTPS, trusting the certificate.
	roots := pool(t, certFile)
	sc := sdkClient(t, s.addr(), "https", roots)
	run := ecs.CreateRunInstancesRequest()
	run.ImageId, run.InstanceType = "aliyun_3_x64_20G_alibase_20240819.vhd", "ecs.g7.large"
	resp, err := sc.RunInstances(run)
	if err != nil {
		t.Fatalf("RunInstances over HTTPS: %v", err)
	}
	id := resp.InstanceIdSets.InstanceIdSet[0]
	// The same server over plain HTTP, the SDK's default scheme.
	st := ecs.CreateDescribeInstanceStatusRequest()
	st.InstanceId = &[]string{id}
	if got, err := sdkClient(t, s.addr(), "http", nil).DescribeInstanceStatus(st); err != nil || len(got.InstanceStatuses.InstanceStatus) != 1 {
		t.Errorf("DescribeInstanceStatus over plain HTTP on the same port: %v %v", got, err)
	}
	// Not trusting it, the SDK refuses the server: TLS is real.
	if _, err := sdkClient(t, s.addr(), "https", x509.NewCertPool()).DescribeRegions(ecs.CreateDescribeRegionsRequest()); err == nil ||
		!strings.Contains(err.Error(), "certificate") {
		t.Errorf("an SDK that does not trust the certificate: %v, want a certificate error", err)
	}

	// A Go client given SSL_CERT_FILE, as the banner says.
	https := "https://" + s.addr()
	if out, stderr, err := openecsCmd(t, []string{"SSL_CERT_FILE=" + certFile}, "call", "--endpoint", https, "DescribeRegions"); err != nil || !strings.Contains(out, "cn-hangzhou") {
		t.Errorf("openecs call over HTTPS with SSL_CERT_FILE: %v\n%s%s", err, out, stderr)
	}
	if _, stderr, err := openecsCmd(t, []string{"SSL_CERT_FILE=/dev/null"}, "call", "--endpoint", https, "DescribeRegions"); err == nil || !strings.Contains(stderr, "certificate") {
		t.Errorf("openecs call over HTTPS without the certificate: %v %s, want a certificate error", err, stderr)
	}

	// A restart keeps the certificate.
	before, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	s.stop()
	s = startServer(t, dir, nil, "--addr", testbin.FreeAddr(t))
	after, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) || strings.Contains(s.stdout.String(), "made now") {
		t.Errorf("a restart made a new certificate:\n%s", s.stdout)
	}
	if _, err := sdkClient(t, s.addr(), "https", roots).DescribeRegions(ecs.CreateDescribeRegionsRequest()); err != nil {
		t.Errorf("after a restart, the kept certificate: %v", err)
	}
	s.stop()

	// A bind host the certificate lacks: it is made again with that name
	// too, keeping the old ones.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Logf("not checked: cannot listen on 127.0.0.2: %v", err)
		return
	}
	addr := ln.Addr().String()
	ln.Close()
	s = startServer(t, dir, nil, "--addr", addr)
	if !strings.Contains(s.stdout.String(), "made now") {
		t.Errorf("binding 127.0.0.2 kept a certificate without that name:\n%s", s.stdout)
	}
	cert = parseCert(t, certFile)
	ips = ips[:0]
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	if !slices.Contains(ips, "127.0.0.2") || !slices.Contains(ips, "127.0.0.1") || !slices.Contains(cert.DNSNames, "localhost") {
		t.Errorf("the new certificate names %v %v", cert.DNSNames, ips)
	}
	if _, err := sdkClient(t, addr, "https", pool(t, certFile)).DescribeRegions(ecs.CreateDescribeRegionsRequest()); err != nil {
		t.Errorf("HTTPS to %s: %v", addr, err)
	}
}

// --tls-cert and --tls-key (or OPENECS_TLS_CERT and OPENECS_TLS_KEY) bring a
// certificate of one's own: it is served, and none is made.
func TestServeTLSWithACertificateOfOnesOwn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "mine.pem"), filepath.Join(dir, "mine.key")
	writeTestCert(t, certFile, keyFile, "127.0.0.1")

	code, _, stderr := serveFails(t, dir, nil, "--addr", testbin.FreeAddr(t), "--tls-cert", certFile)
	if code != 2 || !strings.Contains(stderr, "--tls-key") {
		t.Errorf("--tls-cert alone: exit %d\n%s", code, stderr)
	}
	s := startServer(t, dir, []string{"OPENECS_TLS_CERT=" + certFile, "OPENECS_TLS_KEY=" + keyFile}, "--addr", testbin.FreeAddr(t))
	if !strings.Contains(s.stdout.String(), "with the certificate "+certFile) {
		t.Errorf("the banner does not name the certificate given:\n%s", s.stdout)
	}
	if exists(filepath.Join(dir, "openecs-data", "tls")) {
		t.Errorf("a certificate was made although one was given")
	}
	if _, err := sdkClient(t, s.addr(), "https", pool(t, certFile)).DescribeRegions(ecs.CreateDescribeRegionsRequest()); err != nil {
		t.Errorf("HTTPS with the certificate given: %v", err)
	}
}

// writeTestCert writes a self-signed certificate for host and its key.
func writeTestCert(t *testing.T, certFile, keyFile, host string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP(host)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
}
