-- Up Migration
-- Fast nodes (DESIGN §11): a step whose node ran as a Temporal local activity ("local": true).
-- Set from the workflow's first batch (the graph says which nodes are local), never unset.
ALTER TABLE execution_steps ADD COLUMN local boolean NOT NULL DEFAULT false;
