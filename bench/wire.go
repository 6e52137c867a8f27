package bench

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/openecs/openecs/sign"
)

// The load generator talks HTTP/1.1 itself over one keep-alive connection
// per worker, and signs with the sign package directly. Both ends share two
// cores, so every microsecond the client spends is taken from the server
// under test; net/http's client costs several times more per call than
// writing one request and reading one response here. The bytes on the wire
// are what the official SDK sends: POST (or GET) to "/" with every parameter
// in the query, an empty form body, and signature version 1.0.

// conn is one keep-alive connection to a server.
type conn struct {
	addr    string // host:port to dial
	host    string // Host header
	timeout time.Duration
	nc      net.Conn
	br      *bufio.Reader
	bw      *bufio.Writer
	body    []byte // the last answer's body; reused
}

func newConn(addr, host string, timeout time.Duration) *conn {
	return &conn{addr: addr, host: host, timeout: timeout}
}

func (c *conn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// do sends one v1.0 request with an empty body and reads the answer. The
// body is valid until the next call. On any error the connection is dropped
// and the next call dials again.
func (c *conn) do(method, target string) (status int, body []byte, err error) {
	return c.doHeaders(method, target, formHeader)
}

// doHeaders is do with the request's own header lines ("Name: value\r\n"
// each) after Host, User-Agent and Accept-Encoding.
func (c *conn) doHeaders(method, target, headers string) (status int, body []byte, err error) {
	if c.nc == nil {
		nc, err := net.DialTimeout("tcp", c.addr, c.timeout)
		if err != nil {
			return 0, nil, err
		}
		if tc, ok := nc.(*net.TCPConn); ok {
			tc.SetNoDelay(true) //nolint:errcheck
		}
		c.nc = nc
		c.br = bufio.NewReaderSize(nc, 64<<10)
		c.bw = bufio.NewWriterSize(nc, 8<<10)
	}
	c.nc.SetDeadline(time.Now().Add(c.timeout)) //nolint:errcheck
	w := c.bw
	w.WriteString(method)
	w.WriteByte(' ')
	w.WriteString(target)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(c.host)
	w.WriteString("\r\nUser-Agent: openecs-bench\r\nAccept-Encoding: identity\r\n")
	w.WriteString(headers)
	if method == "POST" {
		w.WriteString("Content-Length: 0\r\n")
	}
	w.WriteString("\r\n")
	if err := w.Flush(); err != nil {
		c.close()
		return 0, nil, err
	}
	status, keep, err := c.readResponse()
	if err != nil {
		c.close()
		return 0, nil, err
	}
	if !keep {
		c.close()
	}
	return status, c.body, nil
}

var errMalformed = errors.New("malformed HTTP response")

// readResponse reads a status line, the headers and a body framed by
// Content-Length, chunked encoding or the end of the connection.
func (c *conn) readResponse() (status int, keep bool, err error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errMalformed
	}
	keep = line[7] == '1' // HTTP/1.1 keeps the connection unless told not to
	length, chunked := -1, false
	for {
		line, err = c.br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				keep = false
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				keep = true
			}
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		err = c.readChunked()
	case length >= 0:
		c.body = grow(c.body, length)
		_, err = io.ReadFull(c.br, c.body)
	default:
		keep = false
		var buf bytes.Buffer
		_, err = buf.ReadFrom(c.br)
		c.body = append(c.body, buf.Bytes()...)
	}
	return status, keep, err
}

func (c *conn) readChunked() error {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 31)
		if err != nil {
			return errMalformed
		}
		if n == 0 {
			for { // trailers, then the blank line
				line, err := c.br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		start := len(c.body)
		c.body = grow(c.body, start+int(n))
		if _, err := io.ReadFull(c.br, c.body[start:]); err != nil {
			return err
		}
		if _, err := c.br.Discard(2); err != nil {
			return err
		}
	}
}

// grow returns b resized to n bytes, reusing its array when it is big enough.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	nb := make([]byte, n, max(n, 2*cap(b)))
	copy(nb, b)
	return nb
}

// signer builds signed request targets ("/?Action=…&Signature=…") the way
// the SDK signs them: every common parameter, a fresh SignatureNonce and the
// current Timestamp. Each worker has its own; it is not safe for concurrent
// use.
type signer struct {
	keyID, secret, region, format, method string

	nonceBase string
	count     uint64
	tsUnix    int64
	ts        string
	vals      url.Values
	buf       []byte
}

func newSigner(keyID, secret, region, format, method string) *signer {
	var b [8]byte
	rand.Read(b[:])
	return &signer{keyID: keyID, secret: secret, region: region, format: format, method: method,
		nonceBase: hex.EncodeToString(b[:]) + "-", vals: url.Values{}}
}

// set stores one value, reusing the slice already there.
func (s *signer) set(k, v string) {
	if vs, ok := s.vals[k]; ok && len(vs) == 1 {
		vs[0] = v
		return
	}
	s.vals[k] = []string{v}
}

// target returns the signed request target for action with params (pairs
// of name and value).
func (s *signer) target(action string, params ...string) string {
	clear(s.vals)
	s.set("Action", action)
	s.set("Version", "2014-05-26")
	s.set("Format", s.format)
	s.set("AccessKeyId", s.keyID)
	s.set("SignatureMethod", "HMAC-SHA1")
	s.set("SignatureVersion", "1.0")
	s.set("SignatureType", "")
	s.count++
	s.set("SignatureNonce", s.nonceBase+strconv.FormatUint(s.count, 36))
	if now := time.Now().Unix(); now != s.tsUnix {
		s.tsUnix, s.ts = now, time.Unix(now, 0).UTC().Format("2006-01-02T15:04:05Z")
	}
	s.set("Timestamp", s.ts)
	s.set("RegionId", s.region)
	for i := 0; i+1 < len(params); i += 2 {
		s.set(params[i], params[i+1])
	}
	sig := sign.Signature(s.secret, s.method, s.vals)
	b := append(s.buf[:0], "/?"...)
	for k, vs := range s.vals {
		b = append(b, sign.PercentEncode(k)...)
		b = append(b, '=')
		b = append(b, sign.PercentEncode(vs[0])...)
		b = append(b, '&')
	}
	b = append(b, "Signature="...)
	b = append(b, sign.PercentEncode(sig)...)
	s.buf = b
	return string(b)
}

// field returns the text of a top-level string field of a JSON or XML
// answer, looking only at the first bytes (RequestId, NextToken, Code … come
// before any list).
func field(body []byte, name string) string {
	head := body[:min(len(body), 600)]
	if len(head) > 0 && head[0] == '<' || bytes.HasPrefix(head, []byte("<?xml")) {
		open := []byte("<" + name + ">")
		i := bytes.Index(head, open)
		if i < 0 {
			return ""
		}
		rest := head[i+len(open):]
		j := bytes.IndexByte(rest, '<')
		if j < 0 {
			return ""
		}
		return string(rest[:j])
	}
	key := []byte(`"` + name + `":"`)
	i := bytes.Index(head, key)
	if i < 0 {
		return ""
	}
	rest := head[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// splitEndpoint turns an endpoint URL into the address to dial and the Host
// header.
func splitEndpoint(endpoint string) (addr, host string, err error) {
	if endpoint == "" {
		return "", "", errors.New("no endpoint")
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		u, err = url.Parse("http://" + endpoint)
		if err != nil || u.Host == "" {
			return "", "", fmt.Errorf("endpoint %q: give http://host:port", endpoint)
		}
	}
	if u.Scheme != "http" {
		return "", "", fmt.Errorf("endpoint %q: the load generator speaks plain http only", endpoint)
	}
	addr = u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return addr, u.Host, nil
}
