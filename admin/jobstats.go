package admin

import "net/http"

// GET /admin/v1/debug/jobs shows the job queue and how late the scheduler
// has run due jobs since the server started:
//
//	{"queued": N, "next_due": "…", "lateness": {"count", "max_ms",
//	 "counts_ms": [jobs 0–1 ms late, 1–2 ms, …, 999–1000 ms], "over"}}
//
// `openecs bench` reads it before and after a run to report the lateness
// quantiles of that run.
func (h *Handler) jobStats(r *http.Request) (int, any, error) {
	q, err := h.svc.JobQueue(r.Context())
	if err != nil {
		return 0, nil, err
	}
	out := map[string]any{"queued": q.Queued, "lateness": h.svc.JobLateness().Snapshot(), "unknown_kind_runs": h.svc.UnknownJobs()}
	if !q.NextDue.IsZero() {
		out["next_due"] = rfc3339(q.NextDue)
	}
	return http.StatusOK, out, nil
}
