package service

import (
	"cmp"
	"context"
	"slices"

	"github.com/openecs/openecs"
)

// TagResourceType is a kind of resource that carries tags, as DescribeTags'
// ResourceType names it.
type TagResourceType string

// The resource types DescribeTags accepts. Those without a tag source below
// hold no tags in OpenECS yet, so they answer an empty list.
const (
	TagInstance         TagResourceType = "instance"
	TagDisk             TagResourceType = "disk"
	TagImage            TagResourceType = "image"
	TagSecurityGroup    TagResourceType = "securitygroup"
	TagSnapshot         TagResourceType = "snapshot"
	TagReservedInstance TagResourceType = "reservedinstance"
	TagENI              TagResourceType = "eni"
	TagKeyPair          TagResourceType = "keypair"
	TagLaunchTemplate   TagResourceType = "launchtemplate"
	TagDedicatedHost    TagResourceType = "ddh"
	TagSnapshotPolicy   TagResourceType = "snapshotpolicy"
	TagVolume           TagResourceType = "volume"
)

// TagResourceTypes lists the valid resource types.
var TagResourceTypes = []TagResourceType{TagInstance, TagDisk, TagImage, TagSecurityGroup, TagSnapshot, TagReservedInstance,
	TagENI, TagKeyPair, TagLaunchTemplate, TagDedicatedHost, TagSnapshotPolicy, TagVolume}

// TagQuery is a DescribeTags request.
type TagQuery struct {
	RegionID   string
	Type       TagResourceType // "": every type
	ResourceID string          // "": every resource of the type
	// Tags keeps the resources that carry every one of these tags (a tag with
	// an empty Value matches any value of its key), and the answer to the
	// pairs that match one of them.
	Tags       []openecs.Tag
	PageNumber int // from 1
	PageSize   int
}

// TagCount is one tag (key and value) with how many of the caller's
// resources of each type carry it.
type TagCount struct {
	Tag    openecs.Tag
	Counts map[TagResourceType]int
}

// TagPage is one page of DescribeTags, ordered by key and value.
type TagPage struct {
	Tags       []TagCount
	TotalCount int
	PageNumber int
	PageSize   int
}

// tagSource lists the tag sets of the caller's resources of one type in a
// region that match the query's resource id and tag filters.
type tagSource func(r openecs.Reader, c Caller, q TagQuery) ([][]openecs.Tag, error)

// tagSources is the table of the resource types whose tags OpenECS stores.
// A resource that gains tags adds its row here.
var tagSources = map[TagResourceType]tagSource{
	TagInstance:         instanceTagSets,
	TagImage:            imageTagSets,
	TagReservedInstance: reservedTagSets,
}

// DescribeTags counts the tags of the caller's resources in a region. An id
// that names no resource of the caller's finds nothing (an empty list, not an
// error), as public images, which carry no tags, always do.
func (s *Service) DescribeTags(ctx context.Context, c Caller, q TagQuery) (*TagPage, error) {
	types := []TagResourceType{q.Type}
	if q.Type == "" {
		types = TagResourceTypes
	}
	counts := map[openecs.Tag]map[TagResourceType]int{}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		for _, typ := range types {
			src, ok := tagSources[typ]
			if !ok {
				continue
			}
			sets, err := src(r, c, q)
			if err != nil {
				return err
			}
			for _, tags := range sets {
				for _, t := range tags {
					if !tagWanted(t, q.Tags) {
						continue
					}
					if counts[t] == nil {
						counts[t] = map[TagResourceType]int{}
					}
					counts[t][typ]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := make([]TagCount, 0, len(counts))
	for t, n := range counts {
		all = append(all, TagCount{Tag: t, Counts: n})
	}
	slices.SortFunc(all, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(a.Tag.Key, b.Tag.Key), cmp.Compare(a.Tag.Value, b.Tag.Value))
	})
	page := &TagPage{TotalCount: len(all), PageNumber: q.PageNumber, PageSize: q.PageSize}
	from := min((q.PageNumber-1)*q.PageSize, len(all))
	page.Tags = all[from:min(from+q.PageSize, len(all))]
	return page, nil
}

// tagWanted reports whether a tag matches one of the filters (any tag when
// there are none).
func tagWanted(t openecs.Tag, filters []openecs.Tag) bool {
	if len(filters) == 0 {
		return true
	}
	return slices.ContainsFunc(filters, func(f openecs.Tag) bool {
		return f.Key == t.Key && (f.Value == "" || f.Value == t.Value)
	})
}

// tagPage bounds how many instances are read at a time.
const tagPage = 1000

func instanceTagSets(r openecs.Reader, c Caller, q TagQuery) ([][]openecs.Tag, error) {
	f := openecs.InstanceFilter{AccountID: c.AccountID, RegionID: q.RegionID, Tags: q.Tags, Limit: tagPage}
	if q.ResourceID != "" {
		f.IDs = []string{q.ResourceID}
	}
	var out [][]openecs.Tag
	for {
		page, err := r.Instances(f)
		if err != nil {
			return nil, err
		}
		for _, in := range page {
			out = append(out, in.Tags)
		}
		if len(page) < tagPage {
			return out, nil
		}
		f.AfterSeq = page[len(page)-1].Seq
	}
}

// imageTagSets: the catalogue's public images carry no tags.
func imageTagSets(openecs.Reader, Caller, TagQuery) ([][]openecs.Tag, error) { return nil, nil }

func reservedTagSets(r openecs.Reader, c Caller, q TagQuery) ([][]openecs.Tag, error) {
	f := openecs.ReservedFilter{AccountID: c.AccountID, RegionID: q.RegionID, Tags: q.Tags}
	if q.ResourceID != "" {
		f.IDs = []string{q.ResourceID}
	}
	ris, err := r.ReservedInstances(f)
	if err != nil {
		return nil, err
	}
	out := make([][]openecs.Tag, 0, len(ris))
	for _, ri := range ris {
		out = append(out, ri.Tags)
	}
	return out, nil
}
