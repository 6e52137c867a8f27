package service

import (
	"context"
	"errors"

	"github.com/openecs/openecs"
)

// ENIView is a network interface as DescribeNetworkInterfaces shows it:
// for a primary interface, its instance's public address too.
type ENIView struct {
	*openecs.NetworkInterface
	PublicIP string
}

// ENIQuery is DescribeNetworkInterfaces: paged by number, or by token.
type ENIQuery struct {
	Filter  openecs.NetworkInterfaceFilter // the caller's account is set here
	Page    Page
	ByToken bool
}

// ENIPage is one page of DescribeNetworkInterfaces.
type ENIPage struct {
	Interfaces []ENIView
	Total      int
	NextSeq    int64 // the token of the next page; 0 on the last
}

// DescribeNetworkInterfaces lists the caller's network interfaces (each
// instance's primary interface), oldest first.
func (s *Service) DescribeNetworkInterfaces(ctx context.Context, c Caller, q ENIQuery) (*ENIPage, error) {
	out := &ENIPage{Interfaces: []ENIView{}}
	f := q.Filter
	f.AccountID, f.Limit = c.AccountID, q.Page.Size
	if q.ByToken {
		f.Limit++
	} else {
		f.Offset = q.Page.offset()
	}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out.Interfaces, out.NextSeq = out.Interfaces[:0], 0
		var err error
		if out.Total, err = r.CountNetworkInterfaces(f); err != nil {
			return err
		}
		ns, err := r.NetworkInterfaces(f)
		if err != nil {
			return err
		}
		if q.ByToken && len(ns) > q.Page.Size {
			ns = ns[:q.Page.Size]
			out.NextSeq = ns[len(ns)-1].Seq
		}
		for _, n := range ns {
			v := ENIView{NetworkInterface: n}
			if n.InstanceID != "" {
				in, err := r.Instance(n.InstanceID)
				if err != nil && !errors.Is(err, openecs.ErrNotFound) {
					return err
				}
				if err == nil {
					v.PublicIP = in.PublicIP
				}
			}
			out.Interfaces = append(out.Interfaces, v)
		}
		return nil
	})
	return out, err
}
