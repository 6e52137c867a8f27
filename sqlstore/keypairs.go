package sqlstore

import (
	"strings"

	"github.com/openecs/openecs"
)

// SSH key pairs (migration 0014): key_pairs, with their tags in the shared
// resource_tags by key pair id.

const keyPairCols = `seq, id, account_id, region_id, name, fingerprint, public_key, resource_group_id, created_at`

func scanKeyPair(sc scanner) (*openecs.KeyPair, error) {
	var k openecs.KeyPair
	var created int64
	if err := sc.Scan(&k.Seq, &k.ID, &k.AccountID, &k.RegionID, &k.Name, &k.FingerPrint, &k.PublicKey, &k.ResourceGroupID, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = openecs.FromMillis(created)
	return &k, nil
}

func (t *txn) KeyPair(accountID, regionID, name string) (*openecs.KeyPair, error) {
	k, err := scanKeyPair(t.row(`SELECT `+keyPairCols+` FROM key_pairs WHERE account_id = $1 AND region_id = $2 AND name = $3`, accountID, regionID, name))
	return k, t.s.translate(err)
}

func keyPairWhere(f openecs.KeyPairFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("name", f.Names)
	if strings.Contains(f.NamePattern, "*") {
		w.add(`name LIKE ? ESCAPE '\'`, strings.ReplaceAll(likeEscaper.Replace(f.NamePattern), "*", "%"))
	} else {
		w.eq("name", f.NamePattern)
	}
	w.eq("fingerprint", f.FingerPrint)
	w.eq("resource_group_id", f.ResourceGroupID)
	for _, tag := range f.Tags {
		q := "EXISTS (SELECT 1 FROM resource_tags g WHERE g.resource_type = '" + string(openecs.TagKeyPair) + "' AND g.resource_id = key_pairs.id AND g.key = ?"
		if tag.Value == "" {
			w.add(q+")", tag.Key)
		} else {
			w.add(q+" AND g.value = ?)", tag.Key, tag.Value)
		}
	}
	return w
}

func (t *txn) KeyPairs(f openecs.KeyPairFilter) ([]*openecs.KeyPair, error) {
	w := keyPairWhere(f)
	cond, args := w.sql()
	return all(t, scanKeyPair, page(`SELECT `+keyPairCols+` FROM key_pairs`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountKeyPairs(f openecs.KeyPairFilter) (int, error) {
	return count(t, "key_pairs", keyPairWhere(f))
}

func (t *txn) InsertKeyPair(k *openecs.KeyPair) error {
	return t.scan(`INSERT INTO key_pairs (id, account_id, region_id, name, fingerprint, public_key, resource_group_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
		[]any{k.ID, k.AccountID, k.RegionID, k.Name, k.FingerPrint, k.PublicKey, k.ResourceGroupID, openecs.Millis(k.CreatedAt)}, &k.Seq)
}

func (t *txn) DeleteKeyPair(id string) error {
	if err := mustAffect(t.exec(`DELETE FROM key_pairs WHERE id = $1`, id)); err != nil {
		return err
	}
	return t.DeleteResourceTags(openecs.TagKeyPair, id, nil)
}
