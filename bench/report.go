package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// actionNames maps operations to the API actions they call.
var actionNames = map[string]string{
	string(OpDescribeStatus): "DescribeInstanceStatus",
	string(OpDescribePage):   "DescribeInstances",
	string(OpStartStop):      "StartInstance/StopInstance",
}

// WriteText prints the report as tables.
func (r *Report) WriteText(w io.Writer) {
	sig := r.Signature
	if r.Other != nil {
		sig += " and " + strings.TrimPrefix(r.Other.Target, "openecs ")
	}
	fmt.Fprintf(w, "openecs bench: %s, %d workers, %.0fs per target in %d round(s), mix %s, page size %d, %d instances, transition delay %s, signature %s\n\n",
		r.Endpoint, r.Workers, r.Seconds, r.Rounds, r.Mix, r.PageSize, r.Instances, r.TransitionDelay, sig)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\taction\tcalls/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\tcalls\terrors\t")
	for _, res := range []*Result{r.Baseline, r.OpenECS, r.Other} {
		if res == nil {
			continue
		}
		row(tw, res.Target, "all", &res.Stats)
		ops := make([]string, 0, len(res.Actions))
		for op := range res.Actions {
			ops = append(ops, op)
		}
		slices.Sort(ops)
		for _, op := range ops {
			row(tw, "", actionNames[op], res.Actions[op])
		}
	}
	tw.Flush()
	if r.Baseline != nil {
		fmt.Fprintf(w, "\nratio %s / baseline (calls/s): %.2f\n", r.OpenECS.Target, r.Ratio)
	}
	if r.Other != nil {
		fmt.Fprintf(w, "ratio %s / %s (calls/s): %.2f\n", r.Other.Target, r.OpenECS.Target, r.OtherRatio)
	}
	for _, res := range []*Result{r.Baseline, r.OpenECS, r.Other} {
		if res == nil || len(res.ErrorCodes) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nerrors (%s):\n", res.Target)
		codes := make([]string, 0, len(res.ErrorCodes))
		for c := range res.ErrorCodes {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "  %-40s %d\n", c, res.ErrorCodes[c])
		}
	}
	if l := r.Lateness; l != nil {
		fmt.Fprintf(w, "\nscheduler: %d jobs ran during the run; lateness p50 ≤ %.0f ms, p90 ≤ %.0f ms, p99 ≤ %.0f ms (max since start %.1f ms)\n",
			l.Jobs, l.P50, l.P90, l.P99, l.Max)
	}
	if r.ServerRSS > 0 {
		fmt.Fprintf(w, "\nserver resident memory after the run: %.1f MiB\n", float64(r.ServerRSS)/(1<<20))
	}
}

func row(w io.Writer, target, action string, s *Stats) {
	fmt.Fprintf(w, "%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\t\n", target, action, thousands(s.CallsPerSec),
		float64(s.P50), float64(s.P90), float64(s.P99), float64(s.Max), s.Calls, s.Errors)
}

// thousands formats a rate with thousands separators.
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
