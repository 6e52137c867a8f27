package service

import (
	"context"
	"time"

	"github.com/openecs/openecs"
)

// DescribeRequest is DescribeInstances or DescribeInstanceStatus: a filter
// (the caller's account and region are added) and paging, either by page
// number or by keyset token (AfterSeq).
type DescribeRequest struct {
	Filter     openecs.InstanceFilter
	PageNumber int // from 1
	PageSize   int
	ByToken    bool // NextToken/MaxResults paging
}

// DescribeResult is one page.
type DescribeResult struct {
	Instances  []*openecs.Instance
	TotalCount int
	PageNumber int
	PageSize   int
	// NextSeq is the keyset position of the next page (0 on the last page).
	NextSeq int64
	// Eips maps each instance of the page that has an EIP to it.
	Eips map[string]*openecs.Eip
}

// DescribeInstances returns one page of the caller's instances in a region,
// oldest first.
func (s *Service) DescribeInstances(ctx context.Context, c Caller, r DescribeRequest) (*DescribeResult, error) {
	res := &DescribeResult{PageNumber: r.PageNumber, PageSize: r.PageSize}
	err := s.store.View(ctx, func(rd openecs.Reader) error {
		var err error
		res.Instances, res.TotalCount, res.NextSeq, err = describePage(rd, c, r, rd.Instances,
			func(in *openecs.Instance) int64 { return in.Seq })
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(res.Instances))
		for _, in := range res.Instances {
			ids = append(ids, in.ID)
		}
		res.Eips, err = instanceEips(rd, c.AccountID, ids)
		return err
	})
	return res, err
}

// StatusResult is one page of DescribeInstanceStatus.
type StatusResult struct {
	Statuses   []openecs.InstanceStatus
	TotalCount int
	PageNumber int
	PageSize   int
}

// DescribeInstanceStatus returns one page of the statuses of the caller's
// instances in a region, oldest first. It reads only ids and statuses.
func (s *Service) DescribeInstanceStatus(ctx context.Context, c Caller, r DescribeRequest) (*StatusResult, error) {
	res := &StatusResult{PageNumber: r.PageNumber, PageSize: r.PageSize}
	err := s.store.View(ctx, func(rd openecs.Reader) error {
		var err error
		res.Statuses, res.TotalCount, _, err = describePage(rd, c, r, rd.InstanceStatuses,
			func(st openecs.InstanceStatus) int64 { return st.Seq })
		return err
	})
	return res, err
}

// describePage reads one page with fetch and the total behind it. The total
// is counted only when the page cannot tell it: a first page that is not
// full, or any page that is neither full nor empty, holds every remaining
// row.
func describePage[T any](rd openecs.Reader, c Caller, r DescribeRequest, fetch func(openecs.InstanceFilter) ([]T, error),
	seq func(T) int64) (page []T, total int, next int64, err error) {
	f := r.Filter
	f.AccountID = c.AccountID
	if r.ByToken {
		f.Limit = r.PageSize + 1
	} else {
		f.AfterSeq = 0
		f.Limit, f.Offset = r.PageSize, (r.PageNumber-1)*r.PageSize
	}
	if page, err = fetch(f); err != nil {
		return nil, 0, 0, err
	}
	more := false
	if r.ByToken && len(page) > r.PageSize {
		page, more = page[:r.PageSize], true
		next = seq(page[len(page)-1])
	}
	switch {
	case !r.ByToken && len(page) > 0 && len(page) < r.PageSize:
		total = f.Offset + len(page)
	case !r.ByToken && len(page) == 0 && f.Offset == 0:
		total = 0
	case r.ByToken && f.AfterSeq == 0 && !more:
		total = len(page)
	default:
		total, err = rd.CountInstances(f) // ignores the paging fields
	}
	return page, total, next, err
}

// InstanceStatusCounts counts every instance by API status (for metrics).
func (s *Service) InstanceStatusCounts(ctx context.Context) (map[openecs.Status]int, error) {
	var counts map[openecs.Status]int
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		counts, err = r.InstanceStatusCounts()
		return err
	})
	return counts, err
}

// JobQueue is the state of the due-work queue.
type JobQueue struct {
	Queued  int
	NextDue time.Time // zero when the queue is empty
}

// JobQueue reads the queue's length and its earliest due time.
func (s *Service) JobQueue(ctx context.Context) (JobQueue, error) {
	var q JobQueue
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		if q.Queued, err = r.JobCount(); err != nil {
			return err
		}
		next, ok, err := r.NextJobDue()
		if ok {
			q.NextDue = next
		}
		return err
	})
	return q, err
}
