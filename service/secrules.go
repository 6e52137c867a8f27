package service

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/openecs/openecs"
)

// Security group rules (docs/networks.md, "Rules"): authorized, revoked and
// modified by the rule's fields or by its id.

// MaxGroupRules is how many rules (both directions) a group may hold.
const MaxGroupRules = 200

// RuleSpec is one rule as a request gives it: the old top-level parameters
// or one Permissions.N, as sent.
type RuleSpec struct {
	IpProtocol         string
	PortRange          string
	SourcePortRange    string
	SourceCidrIp       string
	Ipv6SourceCidrIp   string
	SourceGroupID      string
	SourcePrefixListID string
	DestCidrIp         string
	Ipv6DestCidrIp     string
	DestGroupID        string
	DestPrefixListID   string
	Policy             string
	Priority           string
	NicType            string
	Description        string
}

// RuleRequest is AuthorizeSecurityGroup(Egress), RevokeSecurityGroup(Egress)
// or ModifySecurityGroup(Egress)Rule.
type RuleRequest struct {
	RegionID  string
	GroupID   string
	Direction openecs.RuleDirection
	Rules     []RuleSpec
	RuleIDs   []string // revoke or modify by rule id
	Idem      Idem
}

// ruleProtocols are the protocols a rule may name (any case on the wire).
var ruleProtocols = []string{"tcp", "udp", "icmp", "icmpv6", "gre", "all"}

// rule checks a spec and returns the rule it describes, in the stored form
// (lower-case protocol and policy, defaults filled in), and whether it gave
// a priority.
//
// Errors: MissingParameter (IpProtocol), InvalidIpProtocol.ValueNotSupported,
// InvalidPortRange.Malformed, InvalidIpPortRange.Malformed,
// InvalidSourcePortRange.Malformed, Invalid{Source,Dest}CidrIp.Malformed,
// InvalidParam.Ipv6{Source,Dest}CidrIp, InvalidParam.{Source,Dest}Ip,
// InvalidPolicy.Malformed, InvalidPriority.Malformed,
// InvalidPriority.ValueNotSupported, InvalidNicType.ValueNotSupported,
// MissingParameter.{Source,Dest},
// InvalidSecurityGroupDiscription.Malformed.
func (sp RuleSpec) rule(dir openecs.RuleDirection) (openecs.SecurityGroupRule, bool, error) {
	r := openecs.SecurityGroupRule{Direction: dir,
		SourceCidrIp: sp.SourceCidrIp, Ipv6SourceCidrIp: sp.Ipv6SourceCidrIp, SourceGroupID: sp.SourceGroupID, SourcePrefixListID: sp.SourcePrefixListID,
		DestCidrIp: sp.DestCidrIp, Ipv6DestCidrIp: sp.Ipv6DestCidrIp, DestGroupID: sp.DestGroupID, DestPrefixListID: sp.DestPrefixListID,
		Description: sp.Description}
	if sp.IpProtocol == "" {
		return r, false, openecs.Missing("IpProtocol")
	}
	r.IpProtocol = strings.ToLower(sp.IpProtocol)
	if !slices.Contains(ruleProtocols, r.IpProtocol) {
		return r, false, openecs.ErrIpProtocol
	}
	if sp.PortRange == "" {
		return r, false, openecs.ErrPortRangeMissing
	}
	if !validPortRange(r.IpProtocol, sp.PortRange) {
		return r, false, openecs.ErrPortRange
	}
	r.PortRange = sp.PortRange
	if sp.SourcePortRange != "" && !validPortRange(r.IpProtocol, sp.SourcePortRange) {
		return r, false, openecs.ErrSourcePortRange
	}
	r.SourcePortRange = sp.SourcePortRange
	if err := checkAddresses(sp); err != nil {
		return r, false, err
	}
	r.Policy = strings.ToLower(sp.Policy)
	switch r.Policy {
	case "":
		r.Policy = "accept"
	case "accept", "drop":
	default:
		return r, false, openecs.ErrPolicy
	}
	r.Priority = 1
	if sp.Priority != "" {
		n, err := strconv.Atoi(sp.Priority)
		if err != nil {
			return r, false, openecs.ErrPriorityMalformed
		}
		if n < 1 || n > 100 {
			return r, false, openecs.ErrPriorityValue
		}
		r.Priority = n
	}
	// A VPC group's rules are all on the internal NIC: "internet" is read
	// as intranet, as the real service does for VPC groups.
	switch strings.ToLower(sp.NicType) {
	case "", "intranet", "internet":
		r.NicType = "intranet"
	default:
		return r, false, openecs.ErrNicType
	}
	if dir == openecs.Ingress && sp.SourceCidrIp == "" && sp.Ipv6SourceCidrIp == "" && sp.SourceGroupID == "" && sp.SourcePrefixListID == "" {
		return r, false, openecs.ErrRuleSourceMissing
	}
	if dir == openecs.Egress && sp.DestCidrIp == "" && sp.Ipv6DestCidrIp == "" && sp.DestGroupID == "" && sp.DestPrefixListID == "" {
		return r, false, openecs.ErrRuleDestMissing
	}
	if n := utf8.RuneCountInString(sp.Description); n > 512 || !utf8.ValidString(sp.Description) ||
		strings.HasPrefix(sp.Description, "http://") || strings.HasPrefix(sp.Description, "https://") {
		return r, false, openecs.ErrRuleDescription
	}
	return r, sp.Priority != "", nil
}

// validPortRange checks "from/to": 1 ≤ from ≤ to ≤ 65535 for TCP and UDP,
// -1/-1 for the other protocols.
func validPortRange(protocol, s string) bool {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		return false
	}
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if protocol == "tcp" || protocol == "udp" {
		return from >= 1 && from <= to && to <= 65535
	}
	return from == -1 && to == -1
}

// checkAddresses checks the address fields: IPv4 and IPv6 blocks or
// addresses, never both of a side.
func checkAddresses(sp RuleSpec) error {
	if sp.SourceCidrIp != "" && sp.Ipv6SourceCidrIp != "" {
		return openecs.ErrSourceIPBoth
	}
	if sp.DestCidrIp != "" && sp.Ipv6DestCidrIp != "" {
		return openecs.ErrDestIPBoth
	}
	for _, c := range []struct {
		val string
		v6  bool
		err *openecs.Error
	}{
		{sp.SourceCidrIp, false, openecs.ErrSourceCidrIp}, {sp.DestCidrIp, false, openecs.ErrDestCidrIp},
		{sp.Ipv6SourceCidrIp, true, openecs.ErrIpv6SourceCidrIp}, {sp.Ipv6DestCidrIp, true, openecs.ErrIpv6DestCidrIp},
	} {
		if c.val != "" && !validAddress(c.val, c.v6) {
			return c.err
		}
	}
	return nil
}

// validAddress reports whether s is a block or an address of the family.
func validAddress(s string, v6 bool) bool {
	var a netip.Addr
	if p, err := netip.ParsePrefix(s); err == nil {
		a = p.Addr()
	} else if x, err := netip.ParseAddr(s); err == nil {
		a = x
	} else {
		return false
	}
	if v6 {
		return a.Is6() && !a.Is4In6()
	}
	return a.Is4()
}

// matches reports whether a stored rule is the one a revoke or modify by
// fields names: the same rule, at any priority when none was given.
func matches(stored, want openecs.SecurityGroupRule, priorityGiven bool) bool {
	if !priorityGiven {
		want.Priority = stored.Priority
	}
	return stored.SameRule(want)
}

// checkPeers checks the groups a rule names: the caller's, in the group's
// VPC, not the group itself; and what an enterprise group refuses.
func checkPeers(tx openecs.Tx, c Caller, g *openecs.SecurityGroup, r openecs.SecurityGroupRule) error {
	if g.Type == openecs.SecurityGroupEnterprise && (r.Policy == "drop" || r.SourceGroupID != "" || r.DestGroupID != "") {
		return openecs.ErrEnterpriseRule
	}
	for _, p := range []struct {
		id                 string
		notFound, mismatch *openecs.Error
	}{{r.SourceGroupID, openecs.ErrSourceGroupNotFound, openecs.ErrSourceGroupMismatch}, {r.DestGroupID, openecs.ErrDestGroupNotFound, openecs.ErrDestGroupMismatch}} {
		if p.id == "" {
			continue
		}
		if p.id == g.ID {
			return openecs.ErrRuleGroupItself
		}
		peer, err := ownGroup(tx, c.AccountID, g.RegionID, p.id)
		if err != nil {
			if _, ok := openecs.AsError(err); ok {
				return p.notFound
			}
			return err
		}
		if peer.VpcID != g.VpcID {
			return p.mismatch
		}
	}
	for _, id := range []string{r.SourcePrefixListID, r.DestPrefixListID} {
		if id != "" {
			return openecs.ErrPrefixListNotFound
		}
	}
	return nil
}

// AuthorizeSecurityGroup adds rules to a group of the caller (ingress or
// egress, by r.Direction). A rule the group already has is not added again
// and is no error; the same rule twice in one request is.
//
// Errors: InvalidSecurityGroupId.NotFound, the rule checks (RuleSpec.rule),
// InvalidSourceGroupId.NotFound / .Mismatch, InvalidDestGroupId.NotFound /
// .Mismatch, InvalidParamter.Conflict, InvalidPrefixListId.NotFound,
// InvalidGroupParameter.OperationDenied, InvalidParam.DuplicatePermissions,
// AuthorizationLimitExceed, IdempotentParameterMismatch.
func (s *Service) AuthorizeSecurityGroup(ctx context.Context, c Caller, r RuleRequest) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		g, err := ownGroup(tx, c.AccountID, r.RegionID, r.GroupID)
		if err != nil {
			return struct{}{}, err
		}
		var add []openecs.SecurityGroupRule
		for _, sp := range r.Rules {
			nr, _, err := sp.rule(r.Direction)
			if err != nil {
				return struct{}{}, err
			}
			if err := checkPeers(tx, c, g, nr); err != nil {
				return struct{}{}, err
			}
			if slices.ContainsFunc(add, nr.SameRule) {
				return struct{}{}, openecs.ErrRuleDuplicates
			}
			add = append(add, nr)
		}
		have, err := tx.SecurityGroupRules(g.ID)
		if err != nil {
			return struct{}{}, err
		}
		add = slices.DeleteFunc(add, func(nr openecs.SecurityGroupRule) bool { return slices.ContainsFunc(have, nr.SameRule) })
		if len(have)+len(add) > MaxGroupRules {
			return struct{}{}, openecs.ErrRuleLimit
		}
		region, _ := s.cat.Region(g.RegionID)
		code := ""
		if region != nil {
			code = region.Code
		}
		now := tx.Now()
		for _, nr := range add {
			nr.ID, nr.GroupID, nr.AccountID, nr.CreatedAt = openecs.NewResourceID("sgr", code), g.ID, g.AccountID, now
			if err := tx.InsertSecurityGroupRule(&nr); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}

// RevokeSecurityGroup removes rules of a group of the caller: by rule id
// (each must be a rule of the group in that direction) or by the rules'
// fields (a rule that is not there is no error, as on the real service).
//
// Errors: InvalidSecurityGroupId.NotFound, InvalidParam.Permissions (ids and
// fields together), InvalidParam.SecurityGroupRuleId,
// InvalidParam.SecurityGroupRuleIdRepeated, the rule checks.
func (s *Service) RevokeSecurityGroup(ctx context.Context, c Caller, r RuleRequest) error {
	if len(r.RuleIDs) > 0 && len(r.Rules) > 0 {
		return openecs.ErrRulePermissionsMix
	}
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		g, err := ownGroup(tx, c.AccountID, r.RegionID, r.GroupID)
		if err != nil {
			return struct{}{}, err
		}
		have, err := tx.SecurityGroupRules(g.ID)
		if err != nil {
			return struct{}{}, err
		}
		var drop []string
		for i, id := range r.RuleIDs {
			if slices.Contains(r.RuleIDs[:i], id) {
				return struct{}{}, openecs.ErrRuleIDRepeated
			}
			if !slices.ContainsFunc(have, func(ru openecs.SecurityGroupRule) bool { return ru.ID == id && ru.Direction == r.Direction }) {
				return struct{}{}, openecs.ErrRuleIDNotValid
			}
			drop = append(drop, id)
		}
		for _, sp := range r.Rules {
			want, prioritySet, err := sp.rule(r.Direction)
			if err != nil {
				return struct{}{}, err
			}
			for _, ru := range have {
				if matches(ru, want, prioritySet) && !slices.Contains(drop, ru.ID) {
					drop = append(drop, ru.ID)
				}
			}
		}
		for _, id := range drop {
			if err := tx.DeleteSecurityGroupRule(id); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}

// ModifySecurityGroupRule changes one rule of a group of the caller. Named
// by its id, any field given replaces the rule's; named by its fields, only
// its description changes.
//
// Errors: InvalidSecurityGroupId.NotFound, InvalidSecurityGroupRuleId.NotFound,
// SecurityGroupRule.NotFound, the rule and peer checks.
func (s *Service) ModifySecurityGroupRule(ctx context.Context, c Caller, r RuleRequest) error {
	if len(r.Rules) != 1 {
		return openecs.Missing("IpProtocol")
	}
	sp := r.Rules[0]
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		g, err := ownGroup(tx, c.AccountID, r.RegionID, r.GroupID)
		if err != nil {
			return struct{}{}, err
		}
		have, err := tx.SecurityGroupRules(g.ID)
		if err != nil {
			return struct{}{}, err
		}
		if len(r.RuleIDs) > 0 {
			i := slices.IndexFunc(have, func(ru openecs.SecurityGroupRule) bool { return ru.ID == r.RuleIDs[0] && ru.Direction == r.Direction })
			if i < 0 {
				return struct{}{}, openecs.ErrRuleIDNotFound
			}
			old := have[i]
			nr, _, err := mergeSpec(old, sp).rule(r.Direction)
			if err != nil {
				return struct{}{}, err
			}
			if err := checkPeers(tx, c, g, nr); err != nil {
				return struct{}{}, err
			}
			nr.ID, nr.GroupID, nr.AccountID, nr.CreatedAt = old.ID, old.GroupID, old.AccountID, old.CreatedAt
			return struct{}{}, tx.UpdateSecurityGroupRule(&nr)
		}
		want, prioritySet, err := sp.rule(r.Direction)
		if err != nil {
			return struct{}{}, err
		}
		i := slices.IndexFunc(have, func(ru openecs.SecurityGroupRule) bool { return matches(ru, want, prioritySet) })
		if i < 0 {
			return struct{}{}, openecs.ErrRuleNotFound
		}
		ru := have[i]
		ru.Description = sp.Description
		return struct{}{}, tx.UpdateSecurityGroupRule(&ru)
	})
	return err
}

// mergeSpec is a rule's fields with those a spec gives replacing them.
func mergeSpec(old openecs.SecurityGroupRule, sp RuleSpec) RuleSpec {
	pick := func(given, had string) string {
		if given != "" {
			return given
		}
		return had
	}
	out := RuleSpec{
		IpProtocol: pick(sp.IpProtocol, old.IpProtocol), PortRange: pick(sp.PortRange, old.PortRange),
		SourcePortRange: pick(sp.SourcePortRange, old.SourcePortRange), Policy: pick(sp.Policy, old.Policy),
		Priority: pick(sp.Priority, strconv.Itoa(old.Priority)), NicType: pick(sp.NicType, old.NicType),
		Description: pick(sp.Description, old.Description),
	}
	// A new peer replaces the old one whole.
	if sp.SourceCidrIp != "" || sp.Ipv6SourceCidrIp != "" || sp.SourceGroupID != "" || sp.SourcePrefixListID != "" {
		out.SourceCidrIp, out.Ipv6SourceCidrIp, out.SourceGroupID, out.SourcePrefixListID = sp.SourceCidrIp, sp.Ipv6SourceCidrIp, sp.SourceGroupID, sp.SourcePrefixListID
	} else {
		out.SourceCidrIp, out.Ipv6SourceCidrIp, out.SourceGroupID, out.SourcePrefixListID = old.SourceCidrIp, old.Ipv6SourceCidrIp, old.SourceGroupID, old.SourcePrefixListID
	}
	if sp.DestCidrIp != "" || sp.Ipv6DestCidrIp != "" || sp.DestGroupID != "" || sp.DestPrefixListID != "" {
		out.DestCidrIp, out.Ipv6DestCidrIp, out.DestGroupID, out.DestPrefixListID = sp.DestCidrIp, sp.Ipv6DestCidrIp, sp.DestGroupID, sp.DestPrefixListID
	} else {
		out.DestCidrIp, out.Ipv6DestCidrIp, out.DestGroupID, out.DestPrefixListID = old.DestCidrIp, old.Ipv6DestCidrIp, old.DestGroupID, old.DestPrefixListID
	}
	return out
}
