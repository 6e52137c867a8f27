package admin

import (
	"net/http"

	"github.com/openecs/openecs/adminapi"
)

// GET /admin/v1/debug/jobs shows the job queue and how late the scheduler
// has run due jobs since the server started. `openecs bench` reads it before
// and after a run to report the lateness quantiles of that run.
func (h *Handler) jobStats(r *http.Request) (int, any, error) {
	q, err := h.svc.JobQueue(r.Context())
	if err != nil {
		return 0, nil, err
	}
	l := h.svc.JobLateness().Snapshot()
	return http.StatusOK, adminapi.JobStats{
		Lateness: adminapi.JobLateness{Count: l.Count, SumMS: l.SumMS, MaxMS: l.MaxMS, CountsMS: l.CountsMS, Over: l.Over},
		NextDue:  adminapi.At(q.NextDue), Queued: q.Queued, UnknownKindRuns: h.svc.UnknownJobs(),
	}, nil
}
