package rpc

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// Metrics are the Prometheus metrics of the API.
type Metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the API metrics, and a collector of instances by
// status, on reg.
func NewMetrics(reg prometheus.Registerer, svc *service.Service) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "openecs_rpc_requests_total", Help: "ECS API calls by action and answer code (200 for success).",
		}, []string{"action", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "openecs_rpc_request_duration_seconds", Help: "ECS API call latency by action.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"action"}),
	}
	unknownJobs := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "openecs_jobs_unknown_kind_total",
		Help: "Runs of due jobs whose kind this binary does not know (each kept and deferred with a backoff, never dropped).",
	}, func() float64 { return float64(svc.UnknownJobs()) })
	reg.MustRegister(m.requests, m.latency, unknownJobs, &instanceCollector{svc: svc,
		desc: prometheus.NewDesc("openecs_instances", "Instances by API status.", []string{"status"}, nil)},
		&latenessCollector{svc: svc, desc: prometheus.NewDesc("openecs_job_lateness_seconds",
			"How late the scheduler ran due jobs (from the due time to the commit), since the start.", nil, nil)})
	return m
}

// latenessCollector exposes the service's job lateness as a histogram.
type latenessCollector struct {
	svc  *service.Service
	desc *prometheus.Desc
}

// latenessBounds are the histogram's upper bounds, in milliseconds.
var latenessBounds = []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}

func (c *latenessCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *latenessCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.svc.JobLateness().Snapshot()
	buckets := make(map[float64]uint64, len(latenessBounds))
	var cum uint64
	next := 0
	for _, b := range latenessBounds {
		for ; next < b && next < len(s.CountsMS); next++ {
			cum += s.CountsMS[next]
		}
		buckets[float64(b)/1000] = cum
	}
	ch <- prometheus.MustNewConstHistogram(c.desc, s.Count, s.SumMS/1000, buckets)
}

func (m *Metrics) observe(known bool, action, code string, d time.Duration) {
	if !known {
		action = "unknown" // bounded label values
	}
	m.requests.WithLabelValues(action, code).Inc()
	m.latency.WithLabelValues(action).Observe(d.Seconds())
}

type instanceCollector struct {
	svc  *service.Service
	desc *prometheus.Desc
}

func (c *instanceCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *instanceCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.svc.InstanceStatusCounts(ctx)
	if err != nil {
		return
	}
	for _, st := range openecs.Statuses {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
