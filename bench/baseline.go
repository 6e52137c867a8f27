package bench

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// baseline is a bare net/http server in this process: it reads no
// parameter but Action, checks nothing and answers with the body the real
// server gave to that action, so that both targets move the same bytes and
// the difference is the server's own work (parameters, signature, nonce,
// store, encoding).
type baseline struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

func startBaseline(canned map[string][]byte, contentType string) (*baseline, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := actionOf(r.URL.RawQuery)
		if action == "" { // signature V3: the action travels in a header
			action = r.Header.Get("X-Acs-Action")
		}
		body := canned[action]
		hd := w.Header()
		hd.Set("Content-Type", contentType)
		hd.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body) //nolint:errcheck
	})
	b := &baseline{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, ln: ln, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		b.srv.Serve(ln) //nolint:errcheck
	}()
	return b, nil
}

// target is the baseline as a target whose requests are signed with
// scheme, like the server's.
func (b *baseline) target(scheme string) target {
	addr := b.ln.Addr().String()
	return target{name: "baseline", addr: addr, host: addr, scheme: scheme}
}

func (b *baseline) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	b.srv.Shutdown(ctx) //nolint:errcheck
	<-b.done
}

// actionOf finds the Action parameter of a raw query without decoding the
// rest.
func actionOf(q string) string {
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		if v, ok := strings.CutPrefix(kv, "Action="); ok {
			return v
		}
	}
	return ""
}

// cannedAnswers makes one call of each operation of the mix against the
// server (not counted) and keeps the answers, for the baseline to send.
func cannedAnswers(w *worker, srv target) (map[string][]byte, error) {
	w.reset(srv)
	out := map[string][]byte{}
	ctx := context.Background()
	for _, m := range w.cfg.Mix {
		rounds := 1
		if m.Op == OpStartStop {
			rounds = 2 // one StopInstance and one StartInstance
		}
		for range rounds {
			if ok, _ := w.call(ctx, m.Op); !ok {
				st := w.stats[m.Op]
				for code := range st.codes {
					return nil, errors.New("a first " + string(m.Op) + " call failed: " + code)
				}
				return nil, errors.New("a first " + string(m.Op) + " call failed")
			}
			out[w.lastAction] = append([]byte(nil), w.c.body...)
		}
	}
	return out, nil
}
