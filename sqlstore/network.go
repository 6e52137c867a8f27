package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/openecs/openecs"
)

// The network model: vpcs (each with its route table and vRouter ids),
// vswitches, security_groups and security_group_rules, network_interfaces
// and the shared resource_tags (migration 0005).

// page appends ORDER BY, LIMIT and OFFSET to a listing query.
func page(q, order string, limit, offset int) string {
	q += " ORDER BY " + order
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

// casDone turns a compare-and-set that changed nothing into ErrNotFound when
// the row is gone and ErrConflict when it moved on.
func (t *txn) casDone(err error, table, id string) error {
	if !errors.Is(err, openecs.ErrConflict) {
		return err
	}
	var n int
	if err := t.scan(`SELECT COUNT(*) FROM `+table+` WHERE id = $1`, []any{id}, &n); err != nil {
		return err
	}
	if n == 0 {
		return openecs.ErrNotFound
	}
	return openecs.ErrConflict
}

func isDefault(w *where, b *bool) {
	if b != nil {
		w.add("is_default = ?", b2i(*b))
	}
}

func count(t *txn, table string, w where) (int, error) {
	cond, args := w.sql()
	var n int
	err := t.scan(`SELECT COUNT(*) FROM `+table+cond, args, &n)
	return n, err
}

// --- VPCs ---

const vpcCols = `seq, id, account_id, region_id, name, description, cidr_block, is_default, status, vrouter_id, route_table_id, resource_group_id, created_at, version`

func scanVpc(sc scanner) (*openecs.Vpc, error) {
	var v openecs.Vpc
	var def int
	var status string
	var created int64
	if err := sc.Scan(&v.Seq, &v.ID, &v.AccountID, &v.RegionID, &v.Name, &v.Description, &v.CidrBlock, &def, &status,
		&v.VRouterID, &v.RouteTableID, &v.ResourceGroupID, &created, &v.Version); err != nil {
		return nil, err
	}
	v.IsDefault, v.Status, v.CreatedAt = def != 0, openecs.NetStatus(status), openecs.FromMillis(created)
	return &v, nil
}

func (t *txn) Vpc(id string) (*openecs.Vpc, error) {
	v, err := scanVpc(t.row(`SELECT `+vpcCols+` FROM vpcs WHERE id = $1`, id))
	return v, t.s.translate(err)
}

func (t *txn) VpcByRouteTable(id string) (*openecs.Vpc, error) {
	v, err := scanVpc(t.row(`SELECT `+vpcCols+` FROM vpcs WHERE route_table_id = $1`, id))
	return v, t.s.translate(err)
}

func (t *txn) DefaultVpc(accountID, regionID string) (*openecs.Vpc, error) {
	v, err := scanVpc(t.row(`SELECT `+vpcCols+` FROM vpcs WHERE account_id = $1 AND region_id = $2 AND is_default = 1`, accountID, regionID))
	return v, t.s.translate(err)
}

func vpcWhere(f openecs.VpcFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	w.eq("name", f.Name)
	isDefault(&w, f.IsDefault)
	w.eq("vrouter_id", f.VRouterID)
	w.eq("route_table_id", f.RouteTableID)
	w.eq("resource_group_id", f.ResourceGroupID)
	w.tags("resource_tags", "resource_id", "vpcs", f.Tags)
	return w
}

func (t *txn) Vpcs(f openecs.VpcFilter) ([]*openecs.Vpc, error) {
	w := vpcWhere(f)
	cond, args := w.sql()
	return all(t, scanVpc, page(`SELECT `+vpcCols+` FROM vpcs`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountVpcs(f openecs.VpcFilter) (int, error) { return count(t, "vpcs", vpcWhere(f)) }

func (t *txn) InsertVpc(v *openecs.Vpc) error {
	v.Version = 1
	return t.scan(`INSERT INTO vpcs (id, account_id, region_id, name, description, cidr_block, is_default, status, vrouter_id, route_table_id, resource_group_id, created_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq`,
		[]any{v.ID, v.AccountID, v.RegionID, v.Name, v.Description, v.CidrBlock, b2i(v.IsDefault), string(v.Status), v.VRouterID,
			v.RouteTableID, v.ResourceGroupID, openecs.Millis(v.CreatedAt), v.Version}, &v.Seq)
}

func (t *txn) UpdateVpc(v *openecs.Vpc) error {
	err := affected(t.exec(`UPDATE vpcs SET name = $3, description = $4, cidr_block = $5, is_default = $6, status = $7, resource_group_id = $8,
		version = version + 1 WHERE id = $1 AND version = $2`,
		v.ID, v.Version, v.Name, v.Description, v.CidrBlock, b2i(v.IsDefault), string(v.Status), v.ResourceGroupID))
	if err := t.casDone(err, "vpcs", v.ID); err != nil {
		return err
	}
	v.Version++
	return nil
}

func (t *txn) DeleteVpc(id string) error {
	var table string
	if err := t.scan(`DELETE FROM vpcs WHERE id = $1 RETURNING route_table_id`, []any{id}, &table); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM resource_tags WHERE resource_id IN ($1, $2)`, id, table)
	return err
}

// --- vSwitches ---

const vswitchCols = `seq, id, account_id, region_id, zone_id, vpc_id, name, description, cidr_block, is_default, status, next_host, created_at, version`

func scanVSwitch(sc scanner) (*openecs.VSwitch, error) {
	var v openecs.VSwitch
	var def int
	var status string
	var created int64
	if err := sc.Scan(&v.Seq, &v.ID, &v.AccountID, &v.RegionID, &v.ZoneID, &v.VpcID, &v.Name, &v.Description, &v.CidrBlock, &def, &status,
		&v.NextHost, &created, &v.Version); err != nil {
		return nil, err
	}
	v.IsDefault, v.Status, v.CreatedAt = def != 0, openecs.NetStatus(status), openecs.FromMillis(created)
	return &v, nil
}

func (t *txn) VSwitch(id string) (*openecs.VSwitch, error) {
	v, err := scanVSwitch(t.row(`SELECT `+vswitchCols+` FROM vswitches WHERE id = $1`, id))
	return v, t.s.translate(err)
}

func (t *txn) DefaultVSwitch(accountID, zoneID string) (*openecs.VSwitch, error) {
	v, err := scanVSwitch(t.row(`SELECT `+vswitchCols+` FROM vswitches WHERE account_id = $1 AND zone_id = $2 AND is_default = 1`, accountID, zoneID))
	return v, t.s.translate(err)
}

func vswitchWhere(f openecs.VSwitchFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	w.eq("vpc_id", f.VpcID)
	w.eq("zone_id", f.ZoneID)
	w.eq("name", f.Name)
	isDefault(&w, f.IsDefault)
	w.tags("resource_tags", "resource_id", "vswitches", f.Tags)
	return w
}

func (t *txn) VSwitches(f openecs.VSwitchFilter) ([]*openecs.VSwitch, error) {
	w := vswitchWhere(f)
	cond, args := w.sql()
	return all(t, scanVSwitch, page(`SELECT `+vswitchCols+` FROM vswitches`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountVSwitches(f openecs.VSwitchFilter) (int, error) {
	return count(t, "vswitches", vswitchWhere(f))
}

func (t *txn) InsertVSwitch(v *openecs.VSwitch) error {
	v.Version = 1
	return t.scan(`INSERT INTO vswitches (id, account_id, region_id, zone_id, vpc_id, name, description, cidr_block, is_default, status, next_host, created_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq`,
		[]any{v.ID, v.AccountID, v.RegionID, v.ZoneID, v.VpcID, v.Name, v.Description, v.CidrBlock, b2i(v.IsDefault), string(v.Status),
			v.NextHost, openecs.Millis(v.CreatedAt), v.Version}, &v.Seq)
}

func (t *txn) UpdateVSwitch(v *openecs.VSwitch) error {
	err := affected(t.exec(`UPDATE vswitches SET name = $3, description = $4, is_default = $5, status = $6, version = version + 1
		WHERE id = $1 AND version = $2`, v.ID, v.Version, v.Name, v.Description, b2i(v.IsDefault), string(v.Status)))
	if err := t.casDone(err, "vswitches", v.ID); err != nil {
		return err
	}
	v.Version++
	return nil
}

func (t *txn) DeleteVSwitch(id string) error {
	if err := mustAffect(t.exec(`DELETE FROM vswitches WHERE id = $1`, id)); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM resource_tags WHERE resource_id = $1`, id)
	return err
}

func (t *txn) NextPrivateHost(vswitchID string) (int64, error) {
	var next int64
	err := t.scan(`UPDATE vswitches SET next_host = next_host + 1 WHERE id = $1 RETURNING next_host`, []any{vswitchID}, &next)
	return next - 1, err
}

// --- security groups ---

const sgCols = `seq, id, account_id, region_id, vpc_id, name, description, type, is_default, resource_group_id, created_at, version, inner_access_policy`

func scanSecurityGroup(sc scanner) (*openecs.SecurityGroup, error) {
	var g openecs.SecurityGroup
	var def int
	var typ string
	var created int64
	if err := sc.Scan(&g.Seq, &g.ID, &g.AccountID, &g.RegionID, &g.VpcID, &g.Name, &g.Description, &typ, &def, &g.ResourceGroupID,
		&created, &g.Version, &g.InnerAccessPolicy); err != nil {
		return nil, err
	}
	g.Type, g.IsDefault, g.CreatedAt = openecs.SecurityGroupType(typ), def != 0, openecs.FromMillis(created)
	return &g, nil
}

func (t *txn) SecurityGroup(id string) (*openecs.SecurityGroup, error) {
	g, err := scanSecurityGroup(t.row(`SELECT `+sgCols+` FROM security_groups WHERE id = $1`, id))
	return g, t.s.translate(err)
}

func (t *txn) DefaultSecurityGroup(accountID, regionID string) (*openecs.SecurityGroup, error) {
	g, err := scanSecurityGroup(t.row(`SELECT `+sgCols+` FROM security_groups WHERE account_id = $1 AND region_id = $2 AND is_default = 1`, accountID, regionID))
	return g, t.s.translate(err)
}

func securityGroupWhere(f openecs.SecurityGroupFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	w.eq("vpc_id", f.VpcID)
	w.eq("name", f.Name)
	w.eq("type", string(f.Type))
	isDefault(&w, f.IsDefault)
	w.eq("resource_group_id", f.ResourceGroupID)
	w.tags("resource_tags", "resource_id", "security_groups", f.Tags)
	if f.AfterSeq > 0 {
		w.add("seq > ?", f.AfterSeq)
	}
	return w
}

func (t *txn) SecurityGroups(f openecs.SecurityGroupFilter) ([]*openecs.SecurityGroup, error) {
	w := securityGroupWhere(f)
	cond, args := w.sql()
	return all(t, scanSecurityGroup, page(`SELECT `+sgCols+` FROM security_groups`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountSecurityGroups(f openecs.SecurityGroupFilter) (int, error) {
	f.AfterSeq = 0
	return count(t, "security_groups", securityGroupWhere(f))
}

func (t *txn) InsertSecurityGroup(g *openecs.SecurityGroup) error {
	g.Version = 1
	return t.scan(`INSERT INTO security_groups (id, account_id, region_id, vpc_id, name, description, type, is_default, resource_group_id, created_at, version, inner_access_policy)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq`,
		[]any{g.ID, g.AccountID, g.RegionID, g.VpcID, g.Name, g.Description, string(g.Type), b2i(g.IsDefault), g.ResourceGroupID,
			openecs.Millis(g.CreatedAt), g.Version, g.InnerAccessPolicy}, &g.Seq)
}

func (t *txn) UpdateSecurityGroup(g *openecs.SecurityGroup) error {
	err := affected(t.exec(`UPDATE security_groups SET name = $3, description = $4, type = $5, is_default = $6, resource_group_id = $7,
		inner_access_policy = $8, version = version + 1 WHERE id = $1 AND version = $2`,
		g.ID, g.Version, g.Name, g.Description, string(g.Type), b2i(g.IsDefault), g.ResourceGroupID, g.InnerAccessPolicy))
	if err := t.casDone(err, "security_groups", g.ID); err != nil {
		return err
	}
	g.Version++
	return nil
}

func (t *txn) DeleteSecurityGroup(id string) error {
	if err := mustAffect(t.exec(`DELETE FROM security_groups WHERE id = $1`, id)); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM security_group_rules WHERE group_id = $1`, id); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM resource_tags WHERE resource_id = $1`, id)
	return err
}

const ruleCols = `id, group_id, account_id, direction, ip_protocol, port_range, source_port_range, source_cidr_ip, ipv6_source_cidr_ip,
	source_group_id, source_prefix_list_id, dest_cidr_ip, ipv6_dest_cidr_ip, dest_group_id, dest_prefix_list_id, policy, priority, nic_type,
	description, created_at`

func scanRule(sc scanner) (openecs.SecurityGroupRule, error) {
	var r openecs.SecurityGroupRule
	var dir string
	var created int64
	err := sc.Scan(&r.ID, &r.GroupID, &r.AccountID, &dir, &r.IpProtocol, &r.PortRange, &r.SourcePortRange, &r.SourceCidrIp, &r.Ipv6SourceCidrIp,
		&r.SourceGroupID, &r.SourcePrefixListID, &r.DestCidrIp, &r.Ipv6DestCidrIp, &r.DestGroupID, &r.DestPrefixListID, &r.Policy, &r.Priority,
		&r.NicType, &r.Description, &created)
	r.Direction, r.CreatedAt = openecs.RuleDirection(dir), openecs.FromMillis(created)
	return r, err
}

func (t *txn) SecurityGroupRules(groupID string) ([]openecs.SecurityGroupRule, error) {
	return all(t, scanRule, `SELECT `+ruleCols+` FROM security_group_rules WHERE group_id = $1 ORDER BY seq`, groupID)
}

func (t *txn) CountRulesReferencing(groupID string) (int, error) {
	var n int
	err := t.scan(`SELECT COUNT(*) FROM security_group_rules WHERE (source_group_id = $1 OR dest_group_id = $1) AND group_id <> $1`, []any{groupID}, &n)
	return n, err
}

func (t *txn) InsertSecurityGroupRule(r *openecs.SecurityGroupRule) error {
	_, err := t.exec(`INSERT INTO security_group_rules (`+ruleCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
		r.ID, r.GroupID, r.AccountID, string(r.Direction), r.IpProtocol, r.PortRange, r.SourcePortRange, r.SourceCidrIp, r.Ipv6SourceCidrIp,
		r.SourceGroupID, r.SourcePrefixListID, r.DestCidrIp, r.Ipv6DestCidrIp, r.DestGroupID, r.DestPrefixListID, r.Policy, r.Priority, r.NicType,
		r.Description, openecs.Millis(r.CreatedAt))
	return err
}

func (t *txn) UpdateSecurityGroupRule(r *openecs.SecurityGroupRule) error {
	return mustAffect(t.exec(`UPDATE security_group_rules SET direction = $2, ip_protocol = $3, port_range = $4, source_port_range = $5,
		source_cidr_ip = $6, ipv6_source_cidr_ip = $7, source_group_id = $8, source_prefix_list_id = $9, dest_cidr_ip = $10, ipv6_dest_cidr_ip = $11,
		dest_group_id = $12, dest_prefix_list_id = $13, policy = $14, priority = $15, nic_type = $16, description = $17 WHERE id = $1`,
		r.ID, string(r.Direction), r.IpProtocol, r.PortRange, r.SourcePortRange, r.SourceCidrIp, r.Ipv6SourceCidrIp, r.SourceGroupID,
		r.SourcePrefixListID, r.DestCidrIp, r.Ipv6DestCidrIp, r.DestGroupID, r.DestPrefixListID, r.Policy, r.Priority, r.NicType, r.Description))
}

func (t *txn) DeleteSecurityGroupRule(id string) error {
	return mustAffect(t.exec(`DELETE FROM security_group_rules WHERE id = $1`, id))
}

// --- network interfaces ---

const eniCols = `seq, id, account_id, region_id, zone_id, vpc_id, vswitch_id, instance_id, type, private_ip, mac_address, security_group_ids, created_at`

func scanENI(sc scanner) (*openecs.NetworkInterface, error) {
	var n openecs.NetworkInterface
	var typ, sgs string
	var created int64
	if err := sc.Scan(&n.Seq, &n.ID, &n.AccountID, &n.RegionID, &n.ZoneID, &n.VpcID, &n.VSwitchID, &n.InstanceID, &typ, &n.PrivateIP,
		&n.MacAddress, &sgs, &created); err != nil {
		return nil, err
	}
	n.Type, n.CreatedAt = openecs.ENIType(typ), openecs.FromMillis(created)
	if sgs != "" {
		n.SecurityGroupIDs = strings.Split(sgs, ",")
	}
	return &n, nil
}

func (t *txn) NetworkInterface(id string) (*openecs.NetworkInterface, error) {
	n, err := scanENI(t.row(`SELECT `+eniCols+` FROM network_interfaces WHERE id = $1`, id))
	return n, t.s.translate(err)
}

func eniWhere(f openecs.NetworkInterfaceFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	w.eq("instance_id", f.InstanceID)
	w.eq("vpc_id", f.VpcID)
	w.eq("vswitch_id", f.VSwitchID)
	w.listed("security_group_ids", f.SecurityGroupID)
	w.eq("private_ip", f.PrivateIP)
	w.eq("type", string(f.Type))
	if f.AfterSeq > 0 {
		w.add("seq > ?", f.AfterSeq)
	}
	return w
}

func (t *txn) NetworkInterfaces(f openecs.NetworkInterfaceFilter) ([]*openecs.NetworkInterface, error) {
	w := eniWhere(f)
	cond, args := w.sql()
	return all(t, scanENI, page(`SELECT `+eniCols+` FROM network_interfaces`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountNetworkInterfaces(f openecs.NetworkInterfaceFilter) (int, error) {
	f.AfterSeq = 0
	return count(t, "network_interfaces", eniWhere(f))
}

func (t *txn) InsertNetworkInterface(n *openecs.NetworkInterface) error {
	return t.scan(`INSERT INTO network_interfaces (id, account_id, region_id, zone_id, vpc_id, vswitch_id, instance_id, type, private_ip, mac_address, security_group_ids, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING seq`,
		[]any{n.ID, n.AccountID, n.RegionID, n.ZoneID, n.VpcID, n.VSwitchID, n.InstanceID, string(n.Type), n.PrivateIP, n.MacAddress,
			strings.Join(n.SecurityGroupIDs, ","), openecs.Millis(n.CreatedAt)}, &n.Seq)
}

func (t *txn) DeleteNetworkInterface(id string) error {
	return mustAffect(t.exec(`DELETE FROM network_interfaces WHERE id = $1`, id))
}

// --- the shared tag store ---

func (t *txn) ResourceTags(rt openecs.TagResourceType, resourceID string) ([]openecs.Tag, error) {
	return all(t, func(sc scanner) (openecs.Tag, error) {
		var tag openecs.Tag
		err := sc.Scan(&tag.Key, &tag.Value)
		return tag, err
	}, `SELECT key, value FROM resource_tags WHERE resource_type = $1 AND resource_id = $2 ORDER BY key`, string(rt), resourceID)
}

func (t *txn) ListResourceTags(f openecs.ResourceTagFilter) ([]openecs.ResourceTag, error) {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.eq("resource_type", string(f.ResourceType))
	w.ids("resource_id", f.ResourceIDs)
	for _, tag := range f.Tags {
		q := "EXISTS (SELECT 1 FROM resource_tags g WHERE g.resource_type = resource_tags.resource_type AND g.resource_id = resource_tags.resource_id AND g.key = ?"
		if tag.Value == "" {
			w.add(q+")", tag.Key)
		} else {
			w.add(q+" AND g.value = ?)", tag.Key, tag.Value)
		}
	}
	if f.AfterResource != "" || f.AfterKey != "" {
		w.add("(resource_id > ? OR (resource_id = ? AND key > ?))", f.AfterResource, f.AfterResource, f.AfterKey)
	}
	cond, args := w.sql()
	return all(t, func(sc scanner) (openecs.ResourceTag, error) {
		var tag openecs.ResourceTag
		var rt string
		err := sc.Scan(&rt, &tag.ResourceID, &tag.AccountID, &tag.RegionID, &tag.Key, &tag.Value)
		tag.ResourceType = openecs.TagResourceType(rt)
		return tag, err
	}, page(`SELECT resource_type, resource_id, account_id, region_id, key, value FROM resource_tags`+cond, "resource_id, key", f.Limit, 0), args...)
}

func (t *txn) PutResourceTag(tag openecs.ResourceTag) error {
	_, err := t.exec(`INSERT INTO resource_tags (resource_type, resource_id, account_id, region_id, key, value) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (resource_type, resource_id, key) DO UPDATE SET value = excluded.value`,
		string(tag.ResourceType), tag.ResourceID, tag.AccountID, tag.RegionID, tag.Key, tag.Value)
	return err
}

func (t *txn) DeleteResourceTags(rt openecs.TagResourceType, resourceID string, keys []string) error {
	if keys == nil {
		_, err := t.exec(`DELETE FROM resource_tags WHERE resource_type = $1 AND resource_id = $2`, string(rt), resourceID)
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	args := []any{string(rt), resourceID}
	for _, k := range keys {
		args = append(args, k)
	}
	_, err := t.exec(`DELETE FROM resource_tags WHERE resource_type = $1 AND resource_id = $2 AND key IN (`+placeholders(3, len(keys))+`)`, args...)
	return err
}
