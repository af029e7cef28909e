-- Up Migration
-- A map step's progress (DESIGN §11): {"total", "completed", "failed"} while its items run.
ALTER TABLE execution_steps ADD COLUMN progress jsonb;
