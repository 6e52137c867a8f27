package sqlstore

import (
	"database/sql"
	"time"

	"github.com/openecs/openecs"
)

func (t *txn) InsertJob(j *openecs.Job) error {
	return t.scan(`INSERT INTO jobs (kind, ref, due_at, payload, attempts) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[]any{j.Kind, j.Ref, openecs.Millis(j.DueAt), string(j.Payload), j.Attempts}, &j.ID)
}

func (t *txn) DeleteJob(id int64) error {
	_, err := t.exec(`DELETE FROM jobs WHERE id = $1`, id)
	return err
}

func (t *txn) RescheduleJob(id int64, due time.Time, attempts int) error {
	return mustAffect(t.exec(`UPDATE jobs SET due_at = $2, attempts = $3 WHERE id = $1`, id, openecs.Millis(due), attempts))
}

func (t *txn) ClaimDueJobs(now time.Time, limit int) ([]openecs.Job, error) {
	rows, err := t.query(`SELECT id, kind, ref, due_at, payload, attempts FROM jobs WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2`+t.s.d.ClaimSuffix(),
		openecs.Millis(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Job
	for rows.Next() {
		var j openecs.Job
		var due int64
		var payload string
		if err := rows.Scan(&j.ID, &j.Kind, &j.Ref, &due, &payload, &j.Attempts); err != nil {
			return nil, t.s.translate(err)
		}
		j.DueAt, j.Payload = openecs.FromMillis(due), []byte(payload)
		out = append(out, j)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) NextJobDue() (time.Time, bool, error) {
	var due sql.NullInt64
	if err := t.scan(`SELECT MIN(due_at) FROM jobs`, nil, &due); err != nil {
		return time.Time{}, false, err
	}
	if !due.Valid {
		return time.Time{}, false, nil
	}
	return openecs.FromMillis(due.Int64), true, nil
}

func (t *txn) JobCount() (int, error) {
	var n int
	err := t.scan(`SELECT COUNT(*) FROM jobs`, nil, &n)
	return n, err
}
