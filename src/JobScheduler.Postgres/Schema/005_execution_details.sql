-- Execution history detail (the first 4 KB of an HTTP response body) and a lookup by key. Idempotent.
ALTER TABLE js_executions ADD COLUMN IF NOT EXISTS response_body text;

-- Finds whether an instant already ran, when a shard re-activated after a crash reloads its overdue rows.
CREATE INDEX IF NOT EXISTS js_executions_by_key ON js_executions (idempotency_key);
