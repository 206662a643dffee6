-- The scheduler's own tables. Idempotent: safe to apply again.

-- Settings fixed at the first start, such as the shard count.
CREATE TABLE IF NOT EXISTS js_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per shard. An activation takes the next epoch; every write of the shard carries it and is
-- rejected by the SQL when a newer activation took over (fencing against a silo that wakes up late).
CREATE TABLE IF NOT EXISTS js_shard_epochs (
    shard      integer PRIMARY KEY,
    epoch      bigint NOT NULL,
    owner      text NOT NULL,
    claimed_at timestamptz NOT NULL
);

-- The due-index: each scheduled job's next instant, read by shard and time range.
CREATE TABLE IF NOT EXISTS js_due_index (
    shard    integer NOT NULL,
    job_id   text NOT NULL,
    due_at   timestamptz NOT NULL,
    version  bigint NOT NULL,
    snapshot jsonb NOT NULL,
    PRIMARY KEY (shard, job_id)
);
CREATE INDEX IF NOT EXISTS js_due_index_by_due ON js_due_index (shard, due_at);

-- Execution history, partitioned by day of the execution id's timestamp (a ULID), so a lookup by id
-- prunes to one partition and retention drops whole partitions.
CREATE TABLE IF NOT EXISTS js_executions (
    execution_id    text NOT NULL,
    created_at      timestamptz NOT NULL,
    job_id          text NOT NULL,
    user_id         text NOT NULL,
    status          text NOT NULL,
    status_rank     smallint NOT NULL,
    trigger         text NOT NULL,
    scheduled_at    timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    attempt         integer NOT NULL,
    error           text,
    idempotency_key text NOT NULL,
    response_status integer,
    PRIMARY KEY (execution_id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX IF NOT EXISTS js_executions_by_job ON js_executions (job_id, execution_id DESC);
CREATE TABLE IF NOT EXISTS js_executions_default PARTITION OF js_executions DEFAULT;

-- The job index that listings read, so they never activate job grains.
CREATE TABLE IF NOT EXISTS js_jobs (
    job_id     text PRIMARY KEY,
    user_id    text NOT NULL,
    name       text NOT NULL,
    status     text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS js_jobs_by_user ON js_jobs (user_id, job_id);
