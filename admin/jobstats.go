package admin

import (
	"net/http"
	"time"

	"github.com/openecs/openecs"
)

// GET /admin/v1/debug/jobs shows the job queue and how late the scheduler
// has run due jobs since the server started:
//
//	{"queued": N, "next_due": "…", "lateness": {"count", "max_ms",
//	 "counts_ms": [jobs 0–1 ms late, 1–2 ms, …, 999–1000 ms], "over"}}
//
// `openecs bench` reads it before and after a run to report the lateness
// quantiles of that run.
func init() {
	register(func(h *Handler) {
		h.route("GET /admin/v1/debug/jobs", h.jobStats)
	})
}

func (h *Handler) jobStats(r *http.Request) (int, any, error) {
	var queued int
	var next time.Time
	var hasNext bool
	if err := h.svc.Store().View(r.Context(), func(rd openecs.Reader) error {
		var err error
		if queued, err = rd.JobCount(); err != nil {
			return err
		}
		next, hasNext, err = rd.NextJobDue()
		return err
	}); err != nil {
		return 0, nil, err
	}
	out := map[string]any{"queued": queued, "lateness": h.svc.JobLateness().Snapshot()}
	if hasNext {
		out["next_due"] = rfc3339(next)
	}
	return http.StatusOK, out, nil
}
