package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"
)

// SQLite in WAL mode copies the log back into the database (a checkpoint)
// when the log passes 1000 pages, inside the COMMIT that crossed the line:
// the group-commit writer then stalls for the copy and its fsync, and every
// caller in the next batches with it (the tail of write latency, and of how
// late the scheduler's jobs run). Instead, a background goroutine runs a
// PASSIVE checkpoint on a reader connection shortly after commits, which
// never blocks the writer; the writer's own automatic checkpoint stays as a
// safety net, at a much larger log size. Commits are as durable as before:
// this moves only when committed pages are copied into the main file.

const (
	checkpointEvery = 250 * time.Millisecond
	// writerCheckpointPages is the writer's automatic checkpoint threshold
	// (about 80 MiB of log), reached only if the background checkpoints
	// cannot keep up.
	writerCheckpointPages = 20_000
)

// checkpointer is the background checkpoint loop of a SQLite store.
type checkpointer struct {
	commits atomic.Uint64 // commits since the store opened
	stop    chan struct{}
	done    chan struct{}
}

// startCheckpointer raises the writer's automatic checkpoint threshold and
// starts the background loop on the read pool. It returns nil (and leaves
// the writer's checkpoints as they are) if the threshold cannot be set.
func startCheckpointer(write, read *sql.DB, log *slog.Logger) *checkpointer {
	ctx := context.Background()
	if _, err := write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = "+strconv.Itoa(writerCheckpointPages)); err != nil {
		log.Warn("sqlite: keeping the automatic checkpoint in the writer", "err", err)
		return nil
	}
	c := &checkpointer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		var seen uint64
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
			}
			if n := c.commits.Load(); n != seen {
				seen = n
				if _, err := read.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
					log.Warn("sqlite: background checkpoint", "err", err)
				}
			}
		}
	}()
	return c
}

// committed notes a commit (the store's AfterCommit hook).
func (c *checkpointer) committed() { c.commits.Add(1) }

// close stops the loop (the store's BeforeClose hook, before the pools close).
func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
}
