-- Up Migration
-- Execution context snapshots (DESIGN §12). After every mirror batch that decides nodes, one
-- row holds what that batch decided: node id -> {status, nodeType, output?, error?}, outputs as
-- the steps hold them (a large one stays its {"$payload": ...} reference). The context at
-- sequence N is the fold of rows 1..N, so no write re-reads an execution's other steps.
-- `sequence` runs 1..n per execution without gaps: writers take a per-execution lock first.
CREATE TABLE execution_context_snapshots (
  execution_id     text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  organization_id  text NOT NULL,
  sequence         integer NOT NULL CHECK (sequence > 0),
  taken_at         timestamptz NOT NULL DEFAULT now(),
  decided          jsonb NOT NULL,
  -- Also the index for reading one execution's snapshots in order.
  PRIMARY KEY (execution_id, sequence)
);
