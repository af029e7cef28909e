-- Up Migration
-- The executions list (API, CLI, console) pages newest first on (created_at, id) within an
-- organization: without a status or graph filter no index had that order, so every page
-- sorted all of the organization's executions.
CREATE INDEX executions_org_created ON executions (organization_id, created_at DESC, id DESC);
