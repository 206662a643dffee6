-- The job index keeps the definition version it was written at, so a shard can mark a job COMPLETED
-- in a batch only when the job has not changed since the instant that exhausted it. Rows written before
-- this script have version 0. Idempotent.
ALTER TABLE js_jobs ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;
