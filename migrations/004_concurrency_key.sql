-- Up Migration
-- The concurrency key an execution was queued under (settings.concurrency), for queue metrics.
ALTER TABLE executions ADD COLUMN concurrency_key text;
CREATE INDEX executions_concurrency ON executions (organization_id, concurrency_key, status) WHERE concurrency_key IS NOT NULL;
