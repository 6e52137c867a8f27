package bench

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs/adminapi"
	"github.com/openecs/openecs/client"
)

// Lateness is how late the server's scheduler ran due jobs: the time from a
// job's due time to the commit that ran it, for jobs the background
// scheduler ran (a clock advance replays history on purpose and is not
// counted).
type Lateness struct {
	Jobs uint64  `json:"jobs"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"` // the largest since the server started
}

// latenessSnapshot is the lateness part of GET /admin/v1/debug/jobs.
type latenessSnapshot struct {
	Lateness adminapi.JobLateness
}

func readLateness(ctx context.Context, cfg *Config) *latenessSnapshot {
	if cfg.AdminToken == "" {
		return nil
	}
	a := &client.Admin{Endpoint: cfg.Endpoint, Token: cfg.AdminToken, HTTP: &http.Client{Timeout: 10 * time.Second}}
	s, err := a.JobStats(ctx)
	if err != nil {
		return nil
	}
	return &latenessSnapshot{Lateness: s.Lateness}
}

// since is the lateness of the jobs run between two snapshots.
func (s *latenessSnapshot) since(before *latenessSnapshot) *Lateness {
	a, b := s.Lateness, before.Lateness
	delta := make([]uint64, len(a.CountsMS))
	var n uint64
	for i := range delta {
		delta[i] = a.CountsMS[i]
		if i < len(b.CountsMS) {
			delta[i] -= b.CountsMS[i]
		}
		n += delta[i]
	}
	over := a.Over - b.Over
	n += over
	out := &Lateness{Jobs: n, Max: a.MaxMS}
	q := func(p float64) float64 {
		rank := uint64(p*float64(n) + 0.5)
		rank = min(max(rank, 1), n)
		var seen uint64
		for i, c := range delta {
			seen += c
			if seen >= rank {
				return float64(i + 1) // the bucket's upper bound
			}
		}
		return a.MaxMS
	}
	if n > 0 {
		out.P50, out.P90, out.P99 = q(0.50), q(0.90), q(0.99)
	}
	return out
}

// serverRSS reads process_resident_memory_bytes from the server's /metrics.
func serverRSS(ctx context.Context, cfg *Config) int64 {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	u := strings.TrimSuffix(cfg.Endpoint, "/")
	if !strings.Contains(u, "://") {
		u = "http://" + u
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"/metrics", nil)
	if err != nil {
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0
			}
			return int64(f)
		}
	}
	return 0
}
