package sqlstore

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/openecs/openecs"
)

// diskDoc holds the disk fields that no query filters on, as one JSON column.
type diskDoc struct {
	Description      string             `json:"desc,omitempty"`
	PerformanceLevel string             `json:"pl,omitempty"`
	ChargeType       openecs.ChargeType `json:"charge,omitempty"`
	Device           string             `json:"device,omitempty"`
	ImageID          string             `json:"image,omitempty"`
	ResourceGroupID  string             `json:"rg,omitempty"`
	AttachedAt       int64              `json:"attached_at,omitempty"`
	DetachedAt       int64              `json:"detached_at,omitempty"`
	TransitionJob    int64              `json:"transition_job,omitempty"`
	Tags             []openecs.Tag      `json:"tags,omitempty"`
	DeleteSnapshots  bool               `json:"del_snap,omitempty"`
	AutoSnapshotOff  bool               `json:"auto_snap_off,omitempty"`
	Bursting         bool               `json:"bursting,omitempty"`
}

const diskCols = `seq, id, instance_id, account_id, region_id, zone_id, type, category, size_gib, status, encrypted, kms_key_id, in_arrears, failed, created_at,
	name, portable, delete_with_instance, version, doc`

func scanDisk(sc scanner) (*openecs.Disk, error) {
	var d openecs.Disk
	var enc, arrears, failed, portable, dwi int
	var created int64
	var doc string
	if err := sc.Scan(&d.Seq, &d.ID, &d.InstanceID, &d.AccountID, &d.RegionID, &d.ZoneID, &d.Type, &d.Category, &d.SizeGiB, &d.Status,
		&enc, &d.KMSKeyID, &arrears, &failed, &created, &d.Name, &portable, &dwi, &d.Version, &doc); err != nil {
		return nil, err
	}
	d.Encrypted, d.InArrears, d.Failed, d.CreatedAt = enc != 0, arrears != 0, failed != 0, openecs.FromMillis(created)
	d.Portable, d.DeleteWithInstance = portable != 0, dwi != 0
	var x diskDoc
	if err := json.Unmarshal([]byte(doc), &x); err != nil {
		return nil, err
	}
	d.Description, d.PerformanceLevel, d.ChargeType, d.Device = x.Description, x.PerformanceLevel, x.ChargeType, x.Device
	d.ImageID, d.ResourceGroupID, d.TransitionJob, d.Tags = x.ImageID, x.ResourceGroupID, x.TransitionJob, x.Tags
	d.AttachedAt, d.DetachedAt = openecs.FromMillis(x.AttachedAt), openecs.FromMillis(x.DetachedAt)
	d.DeleteAutoSnapshot, d.AutoSnapshotOff, d.BurstingEnabled = x.DeleteSnapshots, x.AutoSnapshotOff, x.Bursting
	return &d, nil
}

func diskDocOf(d *openecs.Disk) string {
	return jsonText(diskDoc{Description: d.Description, PerformanceLevel: d.PerformanceLevel, ChargeType: d.ChargeType, Device: d.Device,
		ImageID: d.ImageID, ResourceGroupID: d.ResourceGroupID, AttachedAt: openecs.Millis(d.AttachedAt), DetachedAt: openecs.Millis(d.DetachedAt),
		TransitionJob: d.TransitionJob, Tags: d.Tags, DeleteSnapshots: d.DeleteAutoSnapshot, AutoSnapshotOff: d.AutoSnapshotOff, Bursting: d.BurstingEnabled})
}

func scanDiskValue(sc scanner) (openecs.Disk, error) {
	d, err := scanDisk(sc)
	if err != nil {
		return openecs.Disk{}, err
	}
	return *d, nil
}

// diskMemo remembers the disks of each instance a write transaction read,
// until its first disk write: StartInstance and RebootInstance read them
// twice (the disk checks, then the KMS checks), and a group commit runs many
// of those in one transaction. After a disk write nothing is remembered any
// more, so that a write rolled back to its savepoint can never leave a
// remembered list behind it.
type diskMemo struct {
	off  bool
	byID map[string][]openecs.Disk
}

// wrote records a disk write: the memo is off for the rest of the transaction.
func (m *diskMemo) wrote() { m.off, m.byID = true, nil }

func (t *txn) Disks(instanceID string) ([]openecs.Disk, error) {
	if ds, ok := t.disks.byID[instanceID]; ok {
		return cloneDisks(ds), nil
	}
	ds, err := all(t, scanDiskValue, `SELECT `+diskCols+` FROM disks WHERE instance_id = $1 ORDER BY created_at, seq`, instanceID)
	if err != nil {
		return nil, err
	}
	if t.tags != nil && !t.disks.off { // a write transaction
		if t.disks.byID == nil {
			t.disks.byID = map[string][]openecs.Disk{}
		}
		t.disks.byID[instanceID] = cloneDisks(ds)
	}
	return ds, nil
}

// cloneDisks copies a list of disks with their tags.
func cloneDisks(ds []openecs.Disk) []openecs.Disk {
	out := slices.Clone(ds)
	for i := range out {
		out[i].Tags = slices.Clone(out[i].Tags)
	}
	return out
}

func (t *txn) Disk(id string) (*openecs.Disk, error) {
	d, err := scanDisk(t.row(`SELECT `+diskCols+` FROM disks WHERE id = $1`, id))
	return d, t.s.translate(err)
}

func (t *txn) InsertDisk(d *openecs.Disk) error {
	t.disks.wrote()
	d.Version = 1
	err := t.scan(`INSERT INTO disks (id, instance_id, account_id, region_id, zone_id, type, category, size_gib, status, encrypted, kms_key_id, in_arrears, failed, created_at,
		name, portable, delete_with_instance, version, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING seq`,
		[]any{d.ID, d.InstanceID, d.AccountID, d.RegionID, d.ZoneID, d.Type, d.Category, d.SizeGiB, d.Status, b2i(d.Encrypted), d.KMSKeyID,
			b2i(d.InArrears), b2i(d.Failed), openecs.Millis(d.CreatedAt), d.Name, b2i(d.Portable), b2i(d.DeleteWithInstance), d.Version, diskDocOf(d)}, &d.Seq)
	if err != nil {
		return err
	}
	return t.insertDiskTags(d)
}

// insertDiskTags indexes the disk's tags for the Tags filter.
func (t *txn) insertDiskTags(d *openecs.Disk) error {
	for _, tag := range d.Tags {
		if _, err := t.exec(`INSERT INTO disk_tags (disk_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (disk_id, key) DO UPDATE SET value = excluded.value`,
			d.ID, tag.Key, tag.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) UpdateDisk(d *openecs.Disk) error {
	t.disks.wrote()
	err := affected(t.exec(`UPDATE disks SET instance_id = $3, zone_id = $4, category = $5, size_gib = $6, status = $7, encrypted = $8, kms_key_id = $9,
		in_arrears = $10, failed = $11, name = $12, portable = $13, delete_with_instance = $14, doc = $15, version = version + 1
		WHERE id = $1 AND version = $2`,
		d.ID, d.Version, d.InstanceID, d.ZoneID, d.Category, d.SizeGiB, d.Status, b2i(d.Encrypted), d.KMSKeyID,
		b2i(d.InArrears), b2i(d.Failed), d.Name, b2i(d.Portable), b2i(d.DeleteWithInstance), diskDocOf(d)))
	if err == openecs.ErrConflict {
		var n int
		if serr := t.scan(`SELECT COUNT(*) FROM disks WHERE id = $1`, []any{d.ID}, &n); serr != nil {
			return serr
		}
		if n == 0 {
			return openecs.ErrNotFound
		}
	}
	if err != nil {
		return err
	}
	// Disks change rarely: the tag index is rewritten on every update.
	if _, err := t.exec(`DELETE FROM disk_tags WHERE disk_id = $1`, d.ID); err != nil {
		return err
	}
	if err := t.insertDiskTags(d); err != nil {
		return err
	}
	d.Version++
	return nil
}

func (t *txn) DeleteDisk(id string) error {
	t.disks.wrote()
	if err := mustAffect(t.exec(`DELETE FROM disks WHERE id = $1`, id)); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM disk_tags WHERE disk_id = $1`, id)
	return err
}

// diskWhere builds the WHERE clause of a disk filter.
func diskWhere(f openecs.DiskFilter) (string, []any) {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.eq("zone_id", f.ZoneID)
	w.ids("id", f.IDs)
	w.eq("instance_id", f.InstanceID)
	in(&w, "type", f.Types)
	w.eq("category", f.Category)
	in(&w, "status", f.Statuses)
	w.eq("name", f.Name)
	boolEq(&w, "portable", f.Portable)
	boolEq(&w, "delete_with_instance", f.DeleteWithInstance)
	boolEq(&w, "encrypted", f.Encrypted)
	w.eq("kms_key_id", f.KMSKeyID)
	w.tags("disk_tags", "disk_id", "disks", f.Tags)
	if f.AfterSeq > 0 {
		w.add("seq > ?", f.AfterSeq)
	}
	return w.sql()
}

// limitOffset is the LIMIT/OFFSET tail of a paged query (0: none).
func limitOffset(limit, offset int) string {
	q := ""
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	} else if offset > 0 {
		q += " LIMIT 9223372036854775807" // SQLite takes OFFSET only after a LIMIT
	}
	if offset > 0 {
		q += " OFFSET " + strconv.Itoa(offset)
	}
	return q
}

// boolEq matches a 0/1 column, unless v is nil (no filter).
func boolEq(w *where, col string, v *bool) {
	if v != nil {
		w.add(col+" = ?", b2i(*v))
	}
}

func (t *txn) ListDisks(f openecs.DiskFilter) ([]openecs.Disk, error) {
	where, args := diskWhere(f)
	q := `SELECT ` + diskCols + ` FROM disks` + where + ` ORDER BY seq` + limitOffset(f.Limit, f.Offset)
	out, err := all(t, scanDiskValue, q, args...)
	if err != nil {
		return nil, err
	}
	return slices.Clip(out), nil
}

func (t *txn) CountDisks(f openecs.DiskFilter) (int, error) {
	f.AfterSeq = 0
	where, args := diskWhere(f)
	var n int
	err := t.scan(`SELECT COUNT(*) FROM disks`+where, args, &n)
	return n, err
}

// --- user data ---

func (t *txn) UserData(instanceID string) (string, error) {
	var s string
	err := t.scan(`SELECT user_data FROM instance_user_data WHERE instance_id = $1`, []any{instanceID}, &s)
	if err == openecs.ErrNotFound {
		return "", nil
	}
	return s, err
}

func (t *txn) PutUserData(instanceID, data string) error {
	if data == "" {
		_, err := t.exec(`DELETE FROM instance_user_data WHERE instance_id = $1`, instanceID)
		return err
	}
	_, err := t.exec(`INSERT INTO instance_user_data (instance_id, user_data) VALUES ($1, $2)
		ON CONFLICT (instance_id) DO UPDATE SET user_data = excluded.user_data`, instanceID, data)
	return err
}
