-- Up Migration
-- One counter row per execution numbers its context snapshots. A mirror write used to take a
-- per-execution advisory lock in its own statement, then insert the snapshot, inside a
-- transaction: five statements per node activity's carried write. With the counter, the step
-- upsert, the number and the snapshot are one statement: the counter row's lock (held until
-- commit) makes racing writers take 1..n in turn, and the number is only taken when a
-- snapshot is written, so there are no gaps.
CREATE TABLE execution_context_counters (
  execution_id   text PRIMARY KEY REFERENCES executions (id) ON DELETE CASCADE,
  last_sequence  integer NOT NULL CHECK (last_sequence > 0)
);

INSERT INTO execution_context_counters (execution_id, last_sequence)
SELECT execution_id, max(sequence) FROM execution_context_snapshots GROUP BY execution_id;
