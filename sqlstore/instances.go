package sqlstore

import (
	"cmp"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/openecs/openecs"
)

// instanceDoc holds the instance fields that no query filters on; they are
// stored as one JSON column.
type instanceDoc struct {
	CPU                      int                  `json:"cpu"`
	MemoryMiB                int                  `json:"mem"`
	GPUAmount                int                  `json:"gpu,omitempty"`
	LocalStorage             openecs.LocalStorage `json:"local"`
	OSName                   string               `json:"os_name"`
	OSNameEn                 string               `json:"os_name_en"`
	OSType                   string               `json:"os_type"`
	Description              string               `json:"desc,omitempty"`
	HostName                 string               `json:"host"`
	SpotStrategy             openecs.SpotStrategy `json:"spot"`
	SpotPriceLimit           openecs.Money        `json:"spot_limit"`
	SpotInterruptionBehavior string               `json:"spot_ib,omitempty"`
	SpotDuration             int                  `json:"spot_dur,omitempty"`
	InternetChargeType       string               `json:"inet_charge,omitempty"`
	BandwidthIn              int                  `json:"bw_in,omitempty"`
	BandwidthOut             int                  `json:"bw_out,omitempty"`
	SecurityGroupIDs         []string             `json:"sgs"`
	PrivateIP                string               `json:"ip"`
	PublicIP                 string               `json:"public_ip,omitempty"`
	NetworkInterfaceID       string               `json:"eni"`
	MacAddress               string               `json:"mac"`
	SerialNumber             string               `json:"serial"`
	KeyPairName              string               `json:"key_pair,omitempty"`
	ResourceGroupID          string               `json:"rg,omitempty"`
	DeletionProtection       bool                 `json:"del_prot,omitempty"`
	IoOptimized              bool                 `json:"io_opt"`
	CreditSpecification      string               `json:"credit,omitempty"`
	Period                   int                  `json:"period,omitempty"`
	PeriodUnit               string               `json:"period_unit,omitempty"`
	AutoRenew                bool                 `json:"auto_renew,omitempty"`
	AutoRenewPeriod          int                  `json:"auto_renew_period,omitempty"`
	StartedAt                int64                `json:"started_at,omitempty"`
	AutoReleaseAt            int64                `json:"auto_release_at,omitempty"`
	SuspendedAt              int64                `json:"suspended_at,omitempty"`
	HoldsCapacity            bool                 `json:"holds_cap,omitempty"`
	HostNotReady             bool                 `json:"host_not_ready,omitempty"`
	TransitionJob            int64                `json:"transition_job,omitempty"`
	Tags                     []openecs.Tag        `json:"tags,omitempty"`

	// Set through ModifyInstanceAttribute and ModifyInstanceMaintenanceAttributes.
	JumboFrame   bool                        `json:"jumbo,omitempty"`
	MaintWindows []openecs.MaintenanceWindow `json:"maint_windows,omitempty"`
	MaintAction  string                      `json:"maint_action,omitempty"`
	MaintNotify  bool                        `json:"maint_notify,omitempty"`

	// Set through ModifyInstanceAutoRenewAttribute (RenewalStatus=NotRenewal).
	NotRenewal bool `json:"not_renewal,omitempty"`
}

const instanceCols = `seq, id, account_id, region_id, zone_id, instance_type, family, image_id, name, status, charge_type, stopped_mode, billing_state, locks, vpc_id, vswitch_id, security_group_id, hourly_price, created_at, expired_at, version, doc`

func scanInstance(sc scanner) (*openecs.Instance, error) {
	var in openecs.Instance
	var status, charge, stopped, billing, locks, doc string
	var created, expired int64
	if err := sc.Scan(&in.Seq, &in.ID, &in.AccountID, &in.RegionID, &in.ZoneID, &in.InstanceType, &in.Family, &in.ImageID,
		&in.Name, &status, &charge, &stopped, &billing, &locks, &in.VpcID, &in.VSwitchID, new(string),
		&in.HourlyPrice, &created, &expired, &in.Version, &doc); err != nil {
		return nil, err
	}
	in.Status, in.ChargeType = openecs.Status(status), openecs.ChargeType(charge)
	in.StoppedMode, in.BillingState = openecs.StoppedMode(stopped), openecs.BillingState(billing)
	if locks != "" {
		for _, l := range strings.Split(locks, ",") {
			in.Locks = append(in.Locks, openecs.LockReason(l))
		}
	}
	in.CreatedAt, in.ExpiredAt = openecs.FromMillis(created), openecs.FromMillis(expired)
	var d instanceDoc
	if err := decodeDoc(doc, &d); err != nil {
		return nil, err
	}
	in.CPU, in.MemoryMiB, in.GPUAmount, in.LocalStorage = d.CPU, d.MemoryMiB, d.GPUAmount, d.LocalStorage
	in.OSName, in.OSNameEn, in.OSType = d.OSName, d.OSNameEn, d.OSType
	in.Description, in.HostName = d.Description, d.HostName
	in.SpotStrategy, in.SpotPriceLimit, in.SpotInterruptionBehavior, in.SpotDuration = d.SpotStrategy, d.SpotPriceLimit, d.SpotInterruptionBehavior, d.SpotDuration
	in.InternetChargeType, in.InternetMaxBandwidthIn, in.InternetMaxBandwidthOut = d.InternetChargeType, d.BandwidthIn, d.BandwidthOut
	in.SecurityGroupIDs, in.PrivateIP, in.PublicIP = d.SecurityGroupIDs, d.PrivateIP, d.PublicIP
	in.NetworkInterfaceID, in.MacAddress, in.SerialNumber = d.NetworkInterfaceID, d.MacAddress, d.SerialNumber
	in.KeyPairName, in.ResourceGroupID, in.DeletionProtection = d.KeyPairName, d.ResourceGroupID, d.DeletionProtection
	in.IoOptimized, in.CreditSpecification = d.IoOptimized, d.CreditSpecification
	in.Period, in.PeriodUnit, in.AutoRenew, in.AutoRenewPeriod = d.Period, d.PeriodUnit, d.AutoRenew, d.AutoRenewPeriod
	in.StartedAt, in.AutoReleaseAt, in.SuspendedAt = openecs.FromMillis(d.StartedAt), openecs.FromMillis(d.AutoReleaseAt), openecs.FromMillis(d.SuspendedAt)
	in.HoldsCapacity, in.HostReady, in.TransitionJob, in.Tags = d.HoldsCapacity, !d.HostNotReady, d.TransitionJob, d.Tags
	in.EnableJumboFrame = d.JumboFrame
	in.Maintenance = openecs.Maintenance{Windows: d.MaintWindows, Action: d.MaintAction, Notify: d.MaintNotify}
	in.NotRenewal = d.NotRenewal
	return &in, nil
}

func docOf(in *openecs.Instance) string {
	return string(appendDoc(make([]byte, 0, 640), &instanceDoc{
		CPU: in.CPU, MemoryMiB: in.MemoryMiB, GPUAmount: in.GPUAmount, LocalStorage: in.LocalStorage,
		OSName: in.OSName, OSNameEn: in.OSNameEn, OSType: in.OSType, Description: in.Description, HostName: in.HostName,
		SpotStrategy: in.SpotStrategy, SpotPriceLimit: in.SpotPriceLimit, SpotInterruptionBehavior: in.SpotInterruptionBehavior, SpotDuration: in.SpotDuration,
		InternetChargeType: in.InternetChargeType, BandwidthIn: in.InternetMaxBandwidthIn, BandwidthOut: in.InternetMaxBandwidthOut,
		SecurityGroupIDs: in.SecurityGroupIDs, PrivateIP: in.PrivateIP, PublicIP: in.PublicIP,
		NetworkInterfaceID: in.NetworkInterfaceID, MacAddress: in.MacAddress, SerialNumber: in.SerialNumber,
		KeyPairName: in.KeyPairName, ResourceGroupID: in.ResourceGroupID, DeletionProtection: in.DeletionProtection,
		IoOptimized: in.IoOptimized, CreditSpecification: in.CreditSpecification,
		Period: in.Period, PeriodUnit: in.PeriodUnit, AutoRenew: in.AutoRenew, AutoRenewPeriod: in.AutoRenewPeriod,
		StartedAt: openecs.Millis(in.StartedAt), AutoReleaseAt: openecs.Millis(in.AutoReleaseAt), SuspendedAt: openecs.Millis(in.SuspendedAt),
		HoldsCapacity: in.HoldsCapacity, HostNotReady: !in.HostReady, TransitionJob: in.TransitionJob, Tags: in.Tags,
		JumboFrame: in.EnableJumboFrame, MaintWindows: in.Maintenance.Windows, MaintAction: in.Maintenance.Action, MaintNotify: in.Maintenance.Notify,
		NotRenewal: in.NotRenewal,
	}))
}

func lockText(in *openecs.Instance) string {
	parts := make([]string, len(in.Locks))
	for i, l := range in.Locks {
		parts[i] = string(l)
	}
	return strings.Join(parts, ",")
}

// sgText is the security_group_id column: every group of the instance,
// comma-separated, so that the SecurityGroup filter matches any of them.
func sgText(in *openecs.Instance) string { return strings.Join(in.SecurityGroupIDs, ",") }

func (t *txn) Instance(id string) (*openecs.Instance, error) {
	in, err := scanInstance(t.row(`SELECT `+instanceCols+` FROM instances WHERE id = $1`, id))
	if err != nil {
		return nil, t.s.translate(err)
	}
	t.rememberTags(in.ID, in.Version, in.Tags)
	return in, nil
}

// tagMemo is what a write transaction knows of an instance's tags.
type tagMemo struct {
	version int64
	tags    []openecs.Tag
}

// rememberTags records that the instance had these tags at this version (in
// this transaction). A memo left by an update that was rolled back to its
// savepoint is harmless: no instance is at that version any more (a later
// write reaches it only after reading the row again, which records afresh).
func (t *txn) rememberTags(id string, version int64, tags []openecs.Tag) {
	if t.tags != nil {
		t.tags[id] = tagMemo{version: version, tags: slices.Clone(tags)}
	}
}

// tagsUnchanged reports whether the stored tags of in are known to be in.Tags.
func (t *txn) tagsUnchanged(in *openecs.Instance) bool {
	m, ok := t.tags[in.ID]
	return ok && m.version == in.Version && slices.Equal(m.tags, in.Tags)
}

func (t *txn) InsertInstance(in *openecs.Instance) error {
	in.Version = 1
	err := t.scan(`INSERT INTO instances (id, account_id, region_id, zone_id, instance_type, family, image_id, name, status, charge_type, stopped_mode, billing_state, locks, vpc_id, vswitch_id, security_group_id, hourly_price, created_at, expired_at, version, doc, public_ip, resource_group_id, key_pair_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING seq`,
		[]any{in.ID, in.AccountID, in.RegionID, in.ZoneID, in.InstanceType, in.Family, in.ImageID, in.Name, string(in.Status), string(in.ChargeType),
			string(in.StoppedMode), string(in.BillingState), lockText(in), in.VpcID, in.VSwitchID, sgText(in), in.HourlyPrice,
			openecs.Millis(in.CreatedAt), openecs.Millis(in.ExpiredAt), in.Version, docOf(in), in.PublicIP, in.ResourceGroupID, in.KeyPairName}, &in.Seq)
	if err != nil {
		return err
	}
	if err := t.insertTags(in); err != nil {
		return err
	}
	if t.s.d.KeepsCounts() {
		if _, err := t.exec(`INSERT INTO instance_counts (account_id, region_id, n) VALUES ($1, $2, 1)
			ON CONFLICT (account_id, region_id) DO UPDATE SET n = instance_counts.n + 1`, in.AccountID, in.RegionID); err != nil {
			return err
		}
	}
	t.rememberTags(in.ID, in.Version, in.Tags)
	return nil
}

// insertTags indexes the instance's tags for the Tags filter.
func (t *txn) insertTags(in *openecs.Instance) error {
	for _, tag := range in.Tags {
		if _, err := t.exec(`INSERT INTO instance_tags (instance_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (instance_id, key) DO UPDATE SET value = excluded.value`, in.ID, tag.Key, tag.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) UpdateInstance(in *openecs.Instance) error {
	err := affected(t.exec(`UPDATE instances SET zone_id = $3, instance_type = $4, family = $5, image_id = $6, name = $7, status = $8, charge_type = $9, stopped_mode = $10,
		billing_state = $11, locks = $12, vpc_id = $13, vswitch_id = $14, security_group_id = $15, hourly_price = $16, expired_at = $17, doc = $18,
		public_ip = $19, resource_group_id = $20, key_pair_name = $21, version = version + 1
		WHERE id = $1 AND version = $2`,
		in.ID, in.Version, in.ZoneID, in.InstanceType, in.Family, in.ImageID, in.Name, string(in.Status), string(in.ChargeType), string(in.StoppedMode),
		string(in.BillingState), lockText(in), in.VpcID, in.VSwitchID, sgText(in), in.HourlyPrice, openecs.Millis(in.ExpiredAt), docOf(in),
		in.PublicIP, in.ResourceGroupID, in.KeyPairName))
	if err != nil {
		return err
	}
	// The tag index follows the instance's tags (rewritten only when they
	// may have changed).
	if !t.tagsUnchanged(in) {
		if _, err := t.exec(`DELETE FROM instance_tags WHERE instance_id = $1`, in.ID); err != nil {
			return err
		}
		if err := t.insertTags(in); err != nil {
			return err
		}
	}
	in.Version++
	t.rememberTags(in.ID, in.Version, in.Tags)
	return nil
}

func (t *txn) DeleteInstance(id string) error {
	if t.s.d.KeepsCounts() {
		var account, region string
		if err := t.scan(`DELETE FROM instances WHERE id = $1 RETURNING account_id, region_id`, []any{id}, &account, &region); err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE instance_counts SET n = n - 1 WHERE account_id = $1 AND region_id = $2`, account, region); err != nil {
			return err
		}
	} else if err := mustAffect(t.exec(`DELETE FROM instances WHERE id = $1`, id)); err != nil {
		return err
	}
	delete(t.tags, id)
	t.disks.wrote()
	if _, err := t.exec(`DELETE FROM instance_tags WHERE instance_id = $1`, id); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM network_interfaces WHERE instance_id = $1`, id); err != nil {
		return err
	}
	if err := t.unassociateEips(id); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM disk_tags WHERE disk_id IN (SELECT id FROM disks WHERE instance_id = $1)`, id); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM disks WHERE instance_id = $1`, id); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM instance_user_data WHERE instance_id = $1`, id)
	return err
}

// likeEscaper makes text literal inside a LIKE pattern with ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// instanceWhere builds the WHERE clause of an instance filter.
func instanceWhere(f openecs.InstanceFilter) (string, []any) {
	var w where
	// With an id list the id index finds at most a hundred rows; the account
	// and region then only check them. Written as expressions, they keep the
	// planner from walking the account's index instead (to save sorting a
	// hundred rows by seq), which reads every instance of the account.
	acctCol, regionCol := "account_id", "region_id"
	if len(f.IDs) > 0 {
		acctCol, regionCol = "(account_id || '')", "(region_id || '')"
	}
	w.eq(acctCol, f.AccountID)
	w.eq(regionCol, f.RegionID)
	w.ids("id", f.IDs)
	in(&w, "status", f.Statuses)
	in(&w, "billing_state", f.BillingStates)
	w.eq("zone_id", f.ZoneID)
	w.eq("instance_type", f.InstanceType)
	w.eq("family", f.Family)
	w.eq("charge_type", string(f.ChargeType))
	w.eq("image_id", f.ImageID)
	w.eq("vpc_id", f.VpcID)
	w.eq("vswitch_id", f.VSwitchID)
	w.listed("security_group_id", f.SecurityGroup)
	w.eq("key_pair_name", f.KeyPairName)
	w.listed("locks", string(f.LockReason))
	if strings.Contains(f.Name, "*") {
		w.add(`name LIKE ? ESCAPE '\'`, strings.ReplaceAll(likeEscaper.Replace(f.Name), "*", "%"))
	} else {
		w.eq("name", f.Name)
	}
	w.tags("instance_tags", "instance_id", "instances", f.Tags)
	if f.PrivateIPs != nil {
		// The primary interface holds the instance's private address.
		q := "EXISTS (SELECT 1 FROM network_interfaces n WHERE n.instance_id = instances.id AND n.private_ip IN (" +
			placeholders(len(w.args)+1, len(f.PrivateIPs)) + "))"
		if len(f.PrivateIPs) == 0 {
			q = "1 = 0"
		}
		w.conds = append(w.conds, q)
		for _, ip := range f.PrivateIPs {
			w.args = append(w.args, ip)
		}
	}
	if f.EipAddresses != nil {
		// The instance's EIP holds the address (migration 0016).
		q := "EXISTS (SELECT 1 FROM eips e WHERE e.instance_id = instances.id AND e.ip_address IN (" +
			placeholders(len(w.args)+1, len(f.EipAddresses)) + "))"
		if len(f.EipAddresses) == 0 {
			q = "1 = 0"
		}
		w.conds = append(w.conds, q)
		for _, ip := range f.EipAddresses {
			w.args = append(w.args, ip)
		}
	}
	w.ids("public_ip", f.PublicIPs)
	w.eq("resource_group_id", f.ResourceGroupID)
	if !f.CreatedFrom.IsZero() {
		w.add("created_at >= ?", openecs.Millis(f.CreatedFrom))
	}
	if !f.CreatedTo.IsZero() {
		w.add("created_at <= ?", openecs.Millis(f.CreatedTo))
	}
	if !f.ExpiresFrom.IsZero() {
		w.add("(expired_at = 0 OR expired_at >= ?)", openecs.Millis(f.ExpiresFrom))
	}
	if !f.ExpiresTo.IsZero() {
		w.add("(expired_at <> 0 AND expired_at <= ?)", openecs.Millis(f.ExpiresTo))
	}
	if f.AfterSeq > 0 {
		w.add("seq > ?", f.AfterSeq)
	}
	return w.sql()
}

// onlyAccountAndRegion reports whether f selects by nothing but account and
// region (paging aside), so that instance_counts holds its count.
func onlyAccountAndRegion(f openecs.InstanceFilter) bool {
	f.AccountID, f.RegionID, f.AfterSeq, f.Offset, f.Limit = "", "", 0, 0, 0
	return f.IDs == nil && len(f.Statuses) == 0 && len(f.BillingStates) == 0 && len(f.Tags) == 0 &&
		reflect.ValueOf(f).IsZero()
}

// instanceQuery is the SELECT of cols for an instance filter, in Seq order.
// With an id list the rows are few (DescribeInstances takes at most a
// hundred ids) and are sorted and paged by pageBySeq instead: SQLite would
// build a temporary b-tree to sort them, which costs more than the lookups.
func instanceQuery(cols string, f openecs.InstanceFilter) (string, []any) {
	where, args := instanceWhere(f)
	if len(f.IDs) > 0 {
		return `SELECT ` + cols + ` FROM instances` + where, args
	}
	q := `SELECT ` + cols + ` FROM instances` + where + ` ORDER BY seq`
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	} else if f.Offset > 0 {
		q += " LIMIT 9223372036854775807" // SQLite takes OFFSET only after a LIMIT
	}
	if f.Offset > 0 {
		q += " OFFSET " + strconv.Itoa(f.Offset)
	}
	return q, args
}

// pageBySeq sorts rows read for an id list by Seq and applies the filter's
// Offset and Limit (see instanceQuery).
func pageBySeq[T any](rows []T, seq func(T) int64, f openecs.InstanceFilter) []T {
	if len(f.IDs) == 0 {
		return rows
	}
	slices.SortFunc(rows, func(a, b T) int { return cmp.Compare(seq(a), seq(b)) })
	rows = rows[min(f.Offset, len(rows)):]
	if f.Limit > 0 && len(rows) > f.Limit {
		rows = rows[:f.Limit]
	}
	return rows
}

func (t *txn) InstanceStatuses(f openecs.InstanceFilter) ([]openecs.InstanceStatus, error) {
	q, args := instanceQuery(`seq, id, status`, f)
	out, err := all(t, func(sc scanner) (openecs.InstanceStatus, error) {
		var st openecs.InstanceStatus
		var status string
		err := sc.Scan(&st.Seq, &st.ID, &status)
		st.Status = openecs.Status(status)
		return st, err
	}, q, args...)
	if err != nil {
		return nil, err
	}
	return pageBySeq(out, func(st openecs.InstanceStatus) int64 { return st.Seq }, f), nil
}

func (t *txn) Instances(f openecs.InstanceFilter) ([]*openecs.Instance, error) {
	q, args := instanceQuery(instanceCols, f)
	out, err := all(t, scanInstance, q, args...)
	if err != nil {
		return nil, err
	}
	return pageBySeq(out, func(in *openecs.Instance) int64 { return in.Seq }, f), nil
}

func (t *txn) CountInstances(f openecs.InstanceFilter) (int, error) {
	f.AfterSeq = 0
	if t.s.d.KeepsCounts() && onlyAccountAndRegion(f) {
		q, args := `SELECT COALESCE(SUM(n), 0) FROM instance_counts`, []any{}
		switch {
		case f.AccountID != "" && f.RegionID != "":
			q, args = q+` WHERE account_id = $1 AND region_id = $2`, []any{f.AccountID, f.RegionID}
		case f.AccountID != "":
			q, args = q+` WHERE account_id = $1`, []any{f.AccountID}
		case f.RegionID != "":
			q, args = q+` WHERE region_id = $1`, []any{f.RegionID}
		}
		var n int
		err := t.scan(q, args, &n)
		return n, err
	}
	where, args := instanceWhere(f)
	var n int
	err := t.scan(`SELECT COUNT(*) FROM instances`+where, args, &n)
	return n, err
}

func (t *txn) InstanceStatusCounts() (map[openecs.Status]int, error) {
	rows, err := t.query(`SELECT status, COUNT(*) FROM instances GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[openecs.Status]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, t.s.translate(err)
		}
		out[openecs.Status(s)] = n
	}
	return out, t.s.translate(rows.Err())
}
