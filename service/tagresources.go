package service

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/openecs/openecs"
)

// Tags through the ECS tag actions (docs/disks.md, "Tags"): TagResources,
// UntagResources, ListTagResources and DescribeTags, for instances (their
// tags live in the instance row and its tag index) and disks (in the disk
// row and its index). Each type that carries tags has a tagStore in
// tagStores; a type ECS names but OpenECS keeps no tags for answers as if
// the resource did not exist (images, whose catalogue copies carry no tags,
// list none).

// TagTarget is a resource type as the ECS tag actions name it.
type TagTarget string

// The resource types the ECS tag actions accept.
const (
	TagTargetInstance         TagTarget = "instance"
	TagTargetDisk             TagTarget = "disk"
	TagTargetImage            TagTarget = "image"
	TagTargetSnapshot         TagTarget = "snapshot"
	TagTargetSecurityGroup    TagTarget = "securitygroup"
	TagTargetVolume           TagTarget = "volume"
	TagTargetENI              TagTarget = "eni"
	TagTargetDDH              TagTarget = "ddh"
	TagTargetDDHCluster       TagTarget = "ddhcluster"
	TagTargetKeyPair          TagTarget = "keypair"
	TagTargetLaunchTemplate   TagTarget = "launchtemplate"
	TagTargetReservedInstance TagTarget = "reservedinstance"
	TagTargetSnapshotPolicy   TagTarget = "snapshotpolicy"
)

// TagTargets lists them.
var TagTargets = []TagTarget{TagTargetInstance, TagTargetDisk, TagTargetImage, TagTargetSnapshot, TagTargetSecurityGroup,
	TagTargetVolume, TagTargetENI, TagTargetDDH, TagTargetDDHCluster, TagTargetKeyPair, TagTargetLaunchTemplate,
	TagTargetReservedInstance, TagTargetSnapshotPolicy}

// MaxResourceTags is how many tags one resource may carry.
const MaxResourceTags = 20

// tagged is one resource with its tags.
type tagged struct {
	id   string
	seq  int64
	tags []openecs.Tag
}

// tagStore reads and writes the tags of one resource type, for one caller.
type tagStore struct {
	// get returns the caller's resource in the region; ErrResourceIDNotFound
	// if there is none.
	get func(s *Service, tx openecs.Tx, c Caller, region, id string) (tagged, error)
	// set writes a resource's new tags.
	set func(s *Service, tx openecs.Tx, c Caller, region, id string, tags []openecs.Tag) error
	// list returns the caller's resources in the region among ids (all of
	// them when ids is nil) that carry every tag of filter, in creation order.
	list func(s *Service, r openecs.Reader, c Caller, region string, ids []string, filter []openecs.Tag) ([]tagged, error)
}

// tagStores is the table of the types whose tags OpenECS keeps.
func tagStores() map[TagTarget]tagStore {
	return map[TagTarget]tagStore{
		TagTargetInstance:         {get: instanceTags, set: setInstanceTags, list: listInstanceTags},
		TagTargetDisk:             {get: diskTags, set: setDiskTags, list: listDiskTags},
		TagTargetReservedInstance: {get: reservedTags, set: setReservedTags, list: listReservedTags},
		TagTargetSecurityGroup:    {get: groupTags, set: setGroupTags, list: listGroupTags},
		TagTargetKeyPair:          {get: keyPairTags, set: setKeyPairTags, list: listKeyPairTags},
	}
}

// Key pairs are named by their name (the ResourceId of the tag actions is a
// KeyPairName) and keep their tags in the shared tag store by key pair id.

func keyPairTags(s *Service, tx openecs.Tx, c Caller, region, name string) (tagged, error) {
	k, err := tx.KeyPair(c.AccountID, region, name)
	if errors.Is(err, openecs.ErrNotFound) {
		return tagged{}, openecs.ErrResourceIDNotFound
	}
	if err != nil {
		return tagged{}, err
	}
	tags, err := tx.ResourceTags(openecs.TagKeyPair, k.ID)
	return tagged{id: k.Name, seq: k.Seq, tags: tags}, err
}

func setKeyPairTags(s *Service, tx openecs.Tx, c Caller, region, name string, tags []openecs.Tag) error {
	k, err := tx.KeyPair(c.AccountID, region, name)
	if err != nil {
		return err
	}
	if err := tx.DeleteResourceTags(openecs.TagKeyPair, k.ID, nil); err != nil {
		return err
	}
	return putTags(tx, c.AccountID, k.RegionID, openecs.TagKeyPair, k.ID, tags)
}

func listKeyPairTags(s *Service, r openecs.Reader, c Caller, region string, names []string, filter []openecs.Tag) ([]tagged, error) {
	ks, err := r.KeyPairs(openecs.KeyPairFilter{AccountID: c.AccountID, RegionID: region, Names: names, Tags: filter})
	if err != nil {
		return nil, err
	}
	out := make([]tagged, 0, len(ks))
	for _, k := range ks {
		tags, err := r.ResourceTags(openecs.TagKeyPair, k.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tagged{id: k.Name, seq: k.Seq, tags: tags})
	}
	return out, nil
}

// Security groups keep their tags in the shared tag store (nettags.go), as
// the VPC API's resources do.

func groupTags(s *Service, tx openecs.Tx, c Caller, region, id string) (tagged, error) {
	g, err := ownGroup(tx, c.AccountID, region, id)
	if errors.Is(err, openecs.ErrSecurityGroupNotFound) {
		return tagged{}, openecs.ErrResourceIDNotFound
	}
	if err != nil {
		return tagged{}, err
	}
	tags, err := tx.ResourceTags(openecs.TagSecurityGroup, g.ID)
	return tagged{id: g.ID, seq: g.Seq, tags: tags}, err
}

func setGroupTags(s *Service, tx openecs.Tx, c Caller, region, id string, tags []openecs.Tag) error {
	g, err := ownGroup(tx, c.AccountID, region, id)
	if err != nil {
		return err
	}
	if err := tx.DeleteResourceTags(openecs.TagSecurityGroup, g.ID, nil); err != nil {
		return err
	}
	return putTags(tx, c.AccountID, g.RegionID, openecs.TagSecurityGroup, g.ID, tags)
}

func listGroupTags(s *Service, r openecs.Reader, c Caller, region string, ids []string, filter []openecs.Tag) ([]tagged, error) {
	groups, err := r.SecurityGroups(openecs.SecurityGroupFilter{AccountID: c.AccountID, RegionID: region, IDs: ids, Tags: filter})
	if err != nil {
		return nil, err
	}
	out := make([]tagged, 0, len(groups))
	for _, g := range groups {
		tags, err := r.ResourceTags(openecs.TagSecurityGroup, g.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tagged{id: g.ID, seq: g.Seq, tags: tags})
	}
	return out, nil
}

func instanceTags(s *Service, tx openecs.Tx, c Caller, region, id string) (tagged, error) {
	in, err := s.ownInstance(tx, c, id, region)
	if errors.Is(err, openecs.ErrInstanceNotFound) {
		return tagged{}, openecs.ErrResourceIDNotFound
	}
	if err != nil {
		return tagged{}, err
	}
	return tagged{id: in.ID, seq: in.Seq, tags: in.Tags}, nil
}

func setInstanceTags(s *Service, tx openecs.Tx, c Caller, region, id string, tags []openecs.Tag) error {
	in, err := s.ownInstance(tx, c, id, region)
	if err != nil {
		return err
	}
	in.Tags = tags
	return tx.UpdateInstance(in)
}

// tagListPage bounds how many rows a tag listing reads at a time.
const tagListPage = 1000

func listInstanceTags(s *Service, r openecs.Reader, c Caller, region string, ids []string, filter []openecs.Tag) ([]tagged, error) {
	f := openecs.InstanceFilter{AccountID: c.AccountID, RegionID: region, IDs: ids, Tags: filter, Limit: tagListPage}
	var out []tagged
	for {
		page, err := r.Instances(f)
		if err != nil {
			return nil, err
		}
		for _, in := range page {
			out = append(out, tagged{id: in.ID, seq: in.Seq, tags: in.Tags})
		}
		if len(page) < tagListPage {
			return out, nil
		}
		f.AfterSeq = page[len(page)-1].Seq
	}
}

func diskTags(s *Service, tx openecs.Tx, c Caller, region, id string) (tagged, error) {
	d, err := ownDisk(tx, c, id, region)
	if errors.Is(err, openecs.ErrDiskNotFound) {
		return tagged{}, openecs.ErrResourceIDNotFound
	}
	if err != nil {
		return tagged{}, err
	}
	return tagged{id: d.ID, seq: d.Seq, tags: d.Tags}, nil
}

func setDiskTags(s *Service, tx openecs.Tx, c Caller, region, id string, tags []openecs.Tag) error {
	d, err := ownDisk(tx, c, id, region)
	if err != nil {
		return err
	}
	d.Tags = tags
	return tx.UpdateDisk(d)
}

func listDiskTags(s *Service, r openecs.Reader, c Caller, region string, ids []string, filter []openecs.Tag) ([]tagged, error) {
	f := openecs.DiskFilter{AccountID: c.AccountID, RegionID: region, IDs: ids, Tags: filter, Limit: tagListPage}
	var out []tagged
	for {
		page, err := r.ListDisks(f)
		if err != nil {
			return nil, err
		}
		for _, d := range page {
			out = append(out, tagged{id: d.ID, seq: d.Seq, tags: d.Tags})
		}
		if len(page) < tagListPage {
			return out, nil
		}
		f.AfterSeq = page[len(page)-1].Seq
	}
}

func reservedTags(s *Service, tx openecs.Tx, c Caller, region, id string) (tagged, error) {
	ri, err := ownReserved(tx, c, id, region)
	if errors.Is(err, openecs.ErrReservedNotFound) {
		return tagged{}, openecs.ErrResourceIDNotFound
	}
	if err != nil {
		return tagged{}, err
	}
	return tagged{id: ri.ID, seq: ri.Seq, tags: ri.Tags}, nil
}

func setReservedTags(s *Service, tx openecs.Tx, c Caller, region, id string, tags []openecs.Tag) error {
	ri, err := ownReserved(tx, c, id, region)
	if err != nil {
		return err
	}
	ri.Tags = tags
	return tx.UpdateReservedInstance(ri)
}

func listReservedTags(s *Service, r openecs.Reader, c Caller, region string, ids []string, filter []openecs.Tag) ([]tagged, error) {
	ris, err := r.ReservedInstances(openecs.ReservedFilter{AccountID: c.AccountID, RegionID: region, IDs: ids, Tags: filter})
	if err != nil {
		return nil, err
	}
	out := make([]tagged, 0, len(ris))
	for _, ri := range ris {
		out = append(out, tagged{id: ri.ID, seq: ri.Seq, tags: ri.Tags})
	}
	return out, nil
}

// TagResources adds tags to resources of one type (a key they already carry
// takes the new value).
//
// Errors: InvalidResourceId.NotFound (a resource that is not the caller's, or
// of a type OpenECS keeps no tags for), OperationDenied.QuotaExceed (more
// than 20 tags on a resource).
func (s *Service) TagResources(ctx context.Context, c Caller, region string, typ TagTarget, ids []string, tags []openecs.Tag) error {
	return s.retag(ctx, c, region, typ, ids, func(old []openecs.Tag) ([]openecs.Tag, error) {
		out := slices.Clone(old)
		for _, t := range tags {
			if i := slices.IndexFunc(out, func(o openecs.Tag) bool { return o.Key == t.Key }); i >= 0 {
				out[i].Value = t.Value
			} else {
				out = append(out, t)
			}
		}
		if len(out) > MaxResourceTags {
			return nil, openecs.ErrTagQuota
		}
		return out, nil
	})
}

// UntagResources removes the tags of the keys (every tag with all) from
// resources of one type; a key a resource does not carry is ignored.
//
// Errors: InvalidResourceId.NotFound.
func (s *Service) UntagResources(ctx context.Context, c Caller, region string, typ TagTarget, ids, keys []string, all bool) error {
	return s.retag(ctx, c, region, typ, ids, func(old []openecs.Tag) ([]openecs.Tag, error) {
		if all {
			return nil, nil
		}
		return slices.DeleteFunc(slices.Clone(old), func(t openecs.Tag) bool { return slices.Contains(keys, t.Key) }), nil
	})
}

// retag rewrites the tags of every resource (all of them must exist before
// any is written) in one transaction.
func (s *Service) retag(ctx context.Context, c Caller, region string, typ TagTarget, ids []string, change func([]openecs.Tag) ([]openecs.Tag, error)) error {
	store, ok := tagStores()[typ]
	_, err := idempotentCall(s, ctx, c, Idem{}, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		if !ok {
			return struct{}{}, openecs.ErrResourceIDNotFound
		}
		type write struct {
			id   string
			tags []openecs.Tag
		}
		var writes []write
		for _, id := range dedupe(ids) {
			res, err := store.get(s, tx, c, region, id)
			if err != nil {
				return struct{}{}, err
			}
			tags, err := change(res.tags)
			if err != nil {
				return struct{}{}, err
			}
			if !slices.Equal(tags, res.tags) {
				writes = append(writes, write{id: id, tags: tags})
			}
		}
		now := tx.Now()
		for _, w := range writes {
			if err := store.set(s, tx, c, region, w.id, w.tags); err != nil {
				return struct{}{}, err
			}
			if err := event(tx, now, c.AccountID, openecs.EventTagsChanged, w.id, c.Action,
				map[string]any{"resource_type": string(typ), "tags": w.tags}); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}

// TagResource is one tag of one resource (ListTagResources).
type TagResource struct {
	ResourceID string
	Type       TagTarget
	Tag        openecs.Tag
}

// TagFilter is ListTagResources' TagFilter.N: a key and any of its values
// (none: any value).
type TagFilter struct {
	Key    string
	Values []string
}

// TagListing is ListTagResources.
type TagListing struct {
	RegionID string
	Type     TagTarget
	IDs      []string      // nil: every resource of the type
	Tags     []openecs.Tag // resources carrying all of these (an empty value: any)
	Filters  []TagFilter   // resources carrying a tag that each filter matches
	Offset   int           // from NextToken
	Limit    int
}

// ListTagResources lists the tags of the caller's resources of one type, a
// page at a time (next is the offset of the next page, 0 after the last).
func (s *Service) ListTagResources(ctx context.Context, c Caller, q TagListing) (out []TagResource, next int, err error) {
	store, ok := tagStores()[q.Type]
	if !ok {
		return []TagResource{}, 0, nil
	}
	var all []TagResource
	err = s.store.View(ctx, func(r openecs.Reader) error {
		res, err := store.list(s, r, c, q.RegionID, q.IDs, q.Tags)
		if err != nil {
			return err
		}
		for _, x := range res {
			if !matchesFilters(x.tags, q.Filters) {
				continue
			}
			for _, t := range x.tags {
				all = append(all, TagResource{ResourceID: x.id, Type: q.Type, Tag: t})
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	from := min(q.Offset, len(all))
	to := min(from+q.Limit, len(all))
	if to < len(all) {
		next = to
	}
	return all[from:to], next, nil
}

// matchesFilters reports whether tags carry a tag matching each
// TagFilter.N.
func matchesFilters(tags []openecs.Tag, filters []TagFilter) bool {
	for _, f := range filters {
		if !slices.ContainsFunc(tags, func(t openecs.Tag) bool {
			return t.Key == f.Key && (len(f.Values) == 0 || slices.Contains(f.Values, t.Value))
		}) {
			return false
		}
	}
	return true
}

// TagTally is one tag (key and value) with how many of the caller's
// resources of each type carry it (DescribeTags).
type TagTally struct {
	Tag    openecs.Tag
	Counts map[TagTarget]int
}

// TagTallyQuery is DescribeTags.
type TagTallyQuery struct {
	RegionID   string
	Type       TagTarget // "": every type
	ResourceID string    // "": every resource of the type
	// Tags keeps the resources that carry every one of these tags (a tag with
	// an empty Value matches any value of its key), and the answer to the
	// pairs that match one of them.
	Tags       []openecs.Tag
	PageNumber int
	PageSize   int
}

// TallyTags counts the tags of the caller's resources in a region, by
// key and value. An id that names no resource of the caller's finds nothing
// (an empty list, not an error), as a public image, which carries no tags,
// always does.
func (s *Service) TallyTags(ctx context.Context, c Caller, q TagTallyQuery) ([]TagTally, int, error) {
	stores := tagStores()
	types := []TagTarget{q.Type}
	if q.Type == "" {
		types = TagTargets
	}
	counts := map[openecs.Tag]map[TagTarget]int{}
	err := s.store.View(ctx, func(r openecs.Reader) error {
		for _, typ := range types {
			store, ok := stores[typ]
			if !ok {
				continue
			}
			var ids []string
			if q.ResourceID != "" {
				ids = []string{q.ResourceID}
			}
			res, err := store.list(s, r, c, q.RegionID, ids, q.Tags)
			if err != nil {
				return err
			}
			for _, x := range res {
				for _, t := range x.tags {
					if len(q.Tags) > 0 && !slices.ContainsFunc(q.Tags, func(f openecs.Tag) bool { return f.Key == t.Key && (f.Value == "" || f.Value == t.Value) }) {
						continue
					}
					if counts[t] == nil {
						counts[t] = map[TagTarget]int{}
					}
					counts[t][typ]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	all := make([]TagTally, 0, len(counts))
	for t, n := range counts {
		all = append(all, TagTally{Tag: t, Counts: n})
	}
	slices.SortFunc(all, func(a, b TagTally) int {
		return cmp.Or(cmp.Compare(a.Tag.Key, b.Tag.Key), cmp.Compare(a.Tag.Value, b.Tag.Value))
	})
	from := min((q.PageNumber-1)*q.PageSize, len(all))
	return all[from:min(from+q.PageSize, len(all))], len(all), nil
}
