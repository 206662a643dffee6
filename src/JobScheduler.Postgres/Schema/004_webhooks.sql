-- The webhook delivery log: one row per delivery attempt. Idempotent: safe to apply again.

-- Delivery ids embed the job's ULID and a ULID of the attempt's start, so (job_id, delivery_id DESC) lists a
-- job's attempts newest first.
CREATE TABLE IF NOT EXISTS js_webhook_deliveries (
    delivery_id  text PRIMARY KEY,
    job_id       text NOT NULL,
    user_id      text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    execution_id text NOT NULL,
    url          text NOT NULL,
    attempt      integer NOT NULL,
    status_code  integer,
    error        text,
    succeeded    boolean NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    duration_ms  bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS js_webhook_deliveries_by_job ON js_webhook_deliveries (job_id, delivery_id DESC);

-- Retention deletes by start time.
CREATE INDEX IF NOT EXISTS js_webhook_deliveries_by_start ON js_webhook_deliveries (started_at);
