-- Idempotency keys of API requests: the claim, and once the request completed, its response for replay.
-- Idempotent: safe to apply again.
CREATE TABLE IF NOT EXISTS js_idempotency_keys (
    user_id          text NOT NULL,
    idempotency_key  text NOT NULL,
    fingerprint      text NOT NULL,
    created_at       timestamptz NOT NULL,
    status_code      integer,
    location         text,
    etag             text,
    body             text,
    PRIMARY KEY (user_id, idempotency_key)
);

-- Retention deletes by creation time.
CREATE INDEX IF NOT EXISTS js_idempotency_keys_by_created ON js_idempotency_keys (created_at);
