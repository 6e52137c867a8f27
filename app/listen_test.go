package app

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// listenerUnderTest serves "ok" through a serveListener with TLS and a cap.
func listenerUnderTest(t *testing.T, perClient int) (sl *serveListener, addr string, roots *x509.CertPool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := makeCert([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	sl = newServeListener(ln, tlsConfig(pair), perClient, slog.New(slog.DiscardHandler))
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck
		w.Write([]byte("ok"))       //nolint:errcheck
	})}
	go srv.Serve(sl) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	return sl, ln.Addr().String(), roots
}

func get(c *http.Client, url string) (int, string, error) {
	resp, err := c.Post(url, "application/x-www-form-urlencoded", strings.NewReader("a=b"))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// Plain and TLS clients at once on one port, each on kept-alive
// connections, within the cap: every call is served, and every slot is
// given back when the connections close.
func TestServeListenerPlainAndTLSTogether(t *testing.T) {
	sl, addr, roots := listenerUnderTest(t, 8)
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, MaxConnsPerHost: 1}
			defer tr.CloseIdleConnections()
			c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
			url := "http://" + addr
			if i%2 == 1 {
				url = "https://" + addr
			}
			for range 20 {
				code, body, err := get(c, url)
				if err == nil && (code != 200 || body != "ok") {
					err = &unexpected{code, body}
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		sl.mu.Lock()
		open := len(sl.open)
		sl.mu.Unlock()
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slots still held after every client closed: %v", sl.open)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type unexpected struct {
	code int
	body string
}

func (u *unexpected) Error() string { return "answered " + http.StatusText(u.code) + ": " + u.body }

// Over the cap, a TLS client is answered 429 over TLS, and a plain one over
// plain HTTP.
func TestServeListenerRefusesOverTheCap(t *testing.T) {
	_, addr, roots := listenerUnderTest(t, 2)
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	for _, scheme := range []string{"https", "http"} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
		code, body, err := get(&http.Client{Transport: tr, Timeout: 10 * time.Second}, scheme+"://"+addr)
		tr.CloseIdleConnections()
		if err != nil || code != http.StatusTooManyRequests || !strings.Contains(body, "--max-conns-per-client") {
			t.Errorf("%s over the cap: %d %q %v, want 429", scheme, code, body, err)
		}
	}
}

// dialable never offers a wildcard.
func TestDialable(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:8686":     "127.0.0.1:8686",
		"[::]:8686":        "127.0.0.1:8686",
		"127.0.0.1:9":      "127.0.0.1:9",
		"[::1]:9":          "[::1]:9",
		"192.168.1.10:443": "192.168.1.10:443",
	} {
		a, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := dialable(a); got != want {
			t.Errorf("dialable(%s) = %s, want %s", in, got, want)
		}
	}
}
