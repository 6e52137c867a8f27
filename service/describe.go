package service

import (
	"context"

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
}

// DescribeInstances returns one page of the caller's instances in a region,
// oldest first.
func (s *Service) DescribeInstances(ctx context.Context, c Caller, r DescribeRequest) (*DescribeResult, error) {
	f := r.Filter
	f.AccountID = c.AccountID
	res := &DescribeResult{PageNumber: r.PageNumber, PageSize: r.PageSize}
	err := s.store.View(ctx, func(rd openecs.Reader) error {
		total, err := rd.CountInstances(f)
		if err != nil {
			return err
		}
		res.TotalCount = total
		if r.ByToken {
			f.Limit = r.PageSize + 1
		} else {
			f.AfterSeq = 0
			f.Limit, f.Offset = r.PageSize, (r.PageNumber-1)*r.PageSize
		}
		ins, err := rd.Instances(f)
		if err != nil {
			return err
		}
		if r.ByToken && len(ins) > r.PageSize {
			ins = ins[:r.PageSize]
			res.NextSeq = ins[len(ins)-1].Seq
		}
		res.Instances = ins
		return nil
	})
	return res, err
}
