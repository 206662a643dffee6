-- Retries waiting in the due-index, and dead letters. Idempotent: safe to apply again.

-- A retry is its own row, keyed by the retry attempt's execution id, so it never displaces the job's
-- regular next instant in js_due_index.
CREATE TABLE IF NOT EXISTS js_due_retries (
    shard        integer NOT NULL,
    execution_id text NOT NULL,
    due_at       timestamptz NOT NULL,
    attempt      jsonb NOT NULL,
    PRIMARY KEY (shard, execution_id)
);
CREATE INDEX IF NOT EXISTS js_due_retries_by_due ON js_due_retries (shard, due_at);

-- Executions that exhausted their retries, listed per user newest first.
CREATE TABLE IF NOT EXISTS js_dead_letters (
    dead_letter_id   text PRIMARY KEY,
    sort_key         text NOT NULL,
    job_id           text NOT NULL,
    user_id          text NOT NULL,
    dead_lettered_at timestamptz NOT NULL,
    record           jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS js_dead_letters_by_user ON js_dead_letters (user_id, sort_key DESC);
