-- Webhook events accepted for delivery and not yet finished, each leased to the silo delivering it.
-- Idempotent: safe to apply again.
CREATE TABLE IF NOT EXISTS js_webhook_outbox (
    event_id     text PRIMARY KEY,
    owner        text NOT NULL,
    lease_until  timestamptz NOT NULL,
    event        jsonb NOT NULL
);

-- Silos claim the events whose lease has ended, oldest lease first.
CREATE INDEX IF NOT EXISTS js_webhook_outbox_by_lease ON js_webhook_outbox (lease_until);

-- A stopping silo ends the leases of its own events.
CREATE INDEX IF NOT EXISTS js_webhook_outbox_by_owner ON js_webhook_outbox (owner);
