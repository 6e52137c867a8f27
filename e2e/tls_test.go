package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// An in-process server answers TLS on its port too, with the certificate
// App.CertFile names (what a test hands a TLS client: Terraform, say,
// through SSL_CERT_FILE). It is made under the data directory, which is
// created for it on PostgreSQL too (OPENECS_E2E_STORE=postgres), where no
// database lives there.
func TestTLSCertFileOfAnInProcessServer(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "not-yet")
	e := newEnv(t, withDataDir(data))
	certFile := e.app.CertFile()
	if certFile != filepath.Join(data, "tls", "cert.pem") || e.app.TLSEndpoint() != "https://"+e.addr() {
		t.Fatalf("CertFile %q, TLSEndpoint %q", certFile, e.app.TLSEndpoint())
	}
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", certFile)
	}
	c := e.client("test", "test")
	c.SetTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}})
	c.GetConfig().Scheme = "HTTPS"
	resp, err := c.DescribeRegions(ecs.CreateDescribeRegionsRequest())
	if err != nil || len(resp.Regions.Region) == 0 {
		t.Fatalf("DescribeRegions over HTTPS: %v %v", resp, err)
	}
	// And plain HTTP on the same port, the SDK's default.
	if _, err := e.ecs.DescribeRegions(ecs.CreateDescribeRegionsRequest()); err != nil {
		t.Fatalf("DescribeRegions over HTTP: %v", err)
	}
	if !strings.HasPrefix(e.app.Endpoint(), "http://127.0.0.1:") {
		t.Errorf("Endpoint %q", e.app.Endpoint())
	}
}
