-- Up Migration
-- Subgraph child executions (DESIGN §11) carry parent_execution_id (a column since 001);
-- `wf status` and the API list an execution's children by it.
CREATE INDEX executions_parent ON executions (parent_execution_id) WHERE parent_execution_id IS NOT NULL;
