package app

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Bind listens on addr (host:port; port 0 picks a free one). A server binds
// before it creates or opens anything, so that a start that cannot listen
// leaves nothing behind; Open takes the listener.
func Bind(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	var ae *net.AddrError
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, &BindError{Addr: addr, Reason: "the address is already in use (another OpenECS?)", Err: err}
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, &BindError{Addr: addr, Reason: "no interface of this machine has that address", Err: err}
	case errors.As(err, &ae):
		return nil, &BindError{Addr: addr, Reason: ae.Err + " (write HOST:PORT, e.g. 127.0.0.1:8686)", Err: err}
	}
	return nil, &BindError{Addr: addr, Reason: err.Error(), Err: err}
}

// BindError is an address Bind could not listen on.
type BindError struct {
	Addr   string
	Reason string
	Err    error // from net.Listen
}

func (e *BindError) Error() string { return fmt.Sprintf("cannot listen on %q: %s", e.Addr, e.Reason) }
func (e *BindError) Unwrap() error { return e.Err }

// InUse reports whether the address is taken by another listener.
func (e *BindError) InUse() bool { return errors.Is(e.Err, syscall.EADDRINUSE) }

// Loopback reports whether a bound address is reachable from this machine
// only. A wildcard (0.0.0.0, [::]) is not.
func Loopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// dialable is the address a client on this machine uses to reach a bound
// one: 127.0.0.1 with the port for a wildcard bind, else the address itself.
func dialable(a net.Addr) string {
	t, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if t.IP == nil || t.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(t.Port))
	}
	return t.String()
}

// tlsRecordHandshake is the first byte of every TLS connection (a handshake
// record); no HTTP/1 request starts with it.
const tlsRecordHandshake = 0x16

// serveListener is the server's listener: plain HTTP and TLS on one port,
// told apart by each connection's first byte, and at most perClient open
// connections from one remote IP.
type serveListener struct {
	net.Listener
	tls       *tls.Config // nil: plain HTTP only
	perClient int         // 0: no cap
	log       *slog.Logger

	mu   sync.Mutex
	open map[string]int // remote IP → open connections
	peak int            // the most one IP has held (reported at debug level)

	refusing   chan struct{} // bounds the goroutines answering refused connections
	lastWarned atomic.Int64  // unix seconds of the last refusal logged
}

func newServeListener(ln net.Listener, tlsCfg *tls.Config, perClient int, log *slog.Logger) *serveListener {
	return &serveListener{Listener: ln, tls: tlsCfg, perClient: perClient, log: log,
		open: map[string]int{}, refusing: make(chan struct{}, 64)}
}

// Accept returns the next connection within its client's cap. One over the
// cap is answered 429 in the background and closed.
func (l *serveListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := remoteIP(c)
		if !l.acquire(ip) {
			l.refuse(c, ip)
			continue
		}
		return &conn{Conn: c, tls: l.tls, release: func() { l.releaseIP(ip) }}, nil
	}
}

func remoteIP(c net.Conn) string {
	if t, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return t.IP.String()
	}
	return c.RemoteAddr().String()
}

func (l *serveListener) acquire(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.open[ip]
	if l.perClient > 0 && n >= l.perClient {
		return false
	}
	l.open[ip] = n + 1
	l.peak = max(l.peak, n+1)
	return true
}

func (l *serveListener) releaseIP(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[ip] <= 1 {
		delete(l.open, ip)
	} else {
		l.open[ip]--
	}
}

// peakPerClient is the most connections one client has held at once.
func (l *serveListener) peakPerClient() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

// refuse answers a connection over its client's cap with 429 and closes
// it: it reads the request first (a response sent before the request is one
// an HTTP client may discard) and gives up after two seconds. Past 64
// refusals in flight it just closes the connection.
func (l *serveListener) refuse(c net.Conn, ip string) {
	if now := time.Now().Unix(); l.lastWarned.Load() < now-10 {
		l.lastWarned.Store(now)
		l.log.Warn("refusing connections over the per-client cap", "client", ip, "open", l.perClient,
			"flag", "--max-conns-per-client")
	}
	select {
	case l.refusing <- struct{}{}:
	default:
		c.Close()
		return
	}
	go func() {
		defer func() { <-l.refusing }()
		cc := &conn{Conn: c, tls: l.tls}
		defer cc.Close()
		cc.SetDeadline(time.Now().Add(2 * time.Second)) //nolint:errcheck // a failed deadline only shortens the wait
		req, err := http.ReadRequest(bufio.NewReader(cc))
		if err != nil {
			return
		}
		io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20)) //nolint:errcheck // the answer is the same either way
		body := fmt.Sprintf("openecs: too many connections from %s: it already has %d open, the most one client may hold (openecs serve --max-conns-per-client)\n", ip, l.perClient)
		fmt.Fprintf(cc, "HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s", len(body), body)
	}()
}

// conn is one accepted connection. Its first Read (or Write) waits for the
// client's first byte, under whatever read deadline the HTTP server has set
// for the request's headers: a TLS handshake makes it a TLS connection,
// anything else plain HTTP. The server then reads and writes through it as
// through any net.Conn.
type conn struct {
	net.Conn             // the TCP connection
	tls      *tls.Config // nil: never TLS
	release  func()      // gives the client's slot back; nil for a refused one

	once   sync.Once
	rw     net.Conn // after the first byte: the plain stream or the TLS one
	rwErr  error    // why the first byte could not be read
	closed sync.Once
}

func (c *conn) classify() {
	c.once.Do(func() {
		var b [1]byte
		n, err := io.ReadFull(c.Conn, b[:])
		if n == 0 {
			c.rwErr = err
			return
		}
		p := &prefixConn{Conn: c.Conn, prefix: b[:1]}
		if b[0] == tlsRecordHandshake && c.tls != nil {
			c.rw = tls.Server(p, c.tls)
			return
		}
		c.rw = p
	})
}

func (c *conn) Read(b []byte) (int, error) {
	if c.classify(); c.rwErr != nil {
		return 0, c.rwErr
	}
	return c.rw.Read(b)
}

func (c *conn) Write(b []byte) (int, error) {
	if c.classify(); c.rwErr != nil {
		return 0, c.rwErr
	}
	return c.rw.Write(b)
}

// Close closes the TCP connection (not waiting for a first byte that may
// never come) and gives the client's slot back, once.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.closed.Do(func() {
		if c.release != nil {
			c.release()
		}
	})
	return err
}

// CloseWrite half-closes the connection (the HTTP server does it before a
// graceful close): a TLS close_notify, or a TCP FIN.
func (c *conn) CloseWrite() error {
	if t, ok := c.rw.(*tls.Conn); ok {
		return t.CloseWrite()
	}
	if t, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return t.CloseWrite()
	}
	return nil
}

// prefixConn reads prefix before the rest of the connection.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (p *prefixConn) Read(b []byte) (int, error) {
	if len(p.prefix) > 0 {
		n := copy(b, p.prefix)
		p.prefix = p.prefix[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}
