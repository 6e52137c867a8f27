package postgres

// The shared clock. The virtual clock's offset lives in the meta table; every
// transaction stamps its time from the offset in its own snapshot, and no
// replica keeps a copy. Write transactions read it in their first statement
// (beginWriteSQL), so a replica never acts on an offset older than what its
// transaction can see.
//
// That alone leaves one race: a transaction that read the offset just before
// another replica advanced the clock could commit after the billing point
// the advance crossed, with a time before it (an instance created at 10:59
// that the 11:00 billing point never saw). The clock fence closes it (see
// migrations/0001_init.sql): write transactions hold the fence shared, an
// advance takes it exclusively, so the advance commits only once every
// transaction that read the old offset has committed, and none can start
// with the old offset until it has.
//
// What the fence cannot cover is the wall clock: replicas on different hosts
// take time from their own clocks, so keep them synchronised (NTP); a call
// that straddles a whole hour by less than the skew plus one commit may be
// billed from the next hour.

// beginWriteSQL is the first statement of every write transaction.
const beginWriteSQL = `SELECT COALESCE(openecs_begin_write(), '')`
