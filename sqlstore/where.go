package sqlstore

import (
	"strconv"
	"strings"

	"github.com/openecs/openecs"
)

// where builds the WHERE clause of a filter with $N placeholders; every
// listing filter (instances, reserved instances) is written with it.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose ? marks take vals in order.
func (w *where) add(cond string, vals ...any) {
	for _, v := range vals {
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)+1), 1)
		w.args = append(w.args, v)
	}
	w.conds = append(w.conds, cond)
}

// eq matches col = val, unless val is empty (no filter).
func (w *where) eq(col, val string) {
	if val != "" {
		w.add(col+" = ?", val)
	}
}

// in matches col against a list, unless the list is empty (no filter).
func in[T ~string](w *where, col string, vals []T) {
	if len(vals) == 0 {
		return
	}
	w.conds = append(w.conds, col+" IN ("+placeholders(len(w.args)+1, len(vals))+")")
	for _, v := range vals {
		w.args = append(w.args, string(v))
	}
}

// ids matches an id list: nil does not filter, an empty non-nil list matches
// nothing.
func (w *where) ids(col string, ids []string) {
	if ids != nil && len(ids) == 0 {
		w.conds = append(w.conds, "1 = 0")
		return
	}
	in(w, col, ids)
}

// listed matches a comma-separated list column containing val.
func (w *where) listed(col, val string) {
	if val != "" {
		w.add(`(',' || `+col+` || ',') LIKE ? ESCAPE '\'`, "%,"+likeEscaper.Replace(val)+",%")
	}
}

// tags matches rows having every tag (a tag without a value matches any
// value of its key), through the tag table (table, fk) of the rows in owner.
func (w *where) tags(table, fk, owner string, tags []openecs.Tag) {
	for _, tag := range tags {
		q := "EXISTS (SELECT 1 FROM " + table + " g WHERE g." + fk + " = " + owner + ".id AND g.key = ?"
		if tag.Value == "" {
			w.add(q+")", tag.Key)
		} else {
			w.add(q+" AND g.value = ?)", tag.Key, tag.Value)
		}
	}
}

// sql returns " WHERE …" (or "") and the arguments.
func (w *where) sql() (string, []any) {
	if len(w.conds) == 0 {
		return "", w.args
	}
	return " WHERE " + strings.Join(w.conds, " AND "), w.args
}
