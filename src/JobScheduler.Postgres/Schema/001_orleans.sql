-- migrator: rerunnable revision=1
--
-- Tables and query texts for the Orleans ADO.NET providers (clustering, grain
-- persistence, reminders) with the invariant "Npgsql", written for
-- Microsoft.Orleans.*.AdoNet 10.4.2.
--
-- The providers read their SQL from OrleansQuery at start and reject a missing
-- required key. They bind parameters by name (@Name) and read result columns by
-- name, so every result column below carries the name the provider reads.
--
-- Re-runnable: tables and indexes are created only when missing, and query
-- texts are upserted. The migrator re-applies this script when its text changes
-- and the revision above is higher than the recorded one. Changing a column of
-- an existing table needs a new numbered script, because CREATE TABLE IF NOT
-- EXISTS leaves an existing table as it is.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-------------------------------------------------------------------------------
-- Clustering (membership protocol)
-------------------------------------------------------------------------------

-- One row per cluster. Orleans passes the cluster id as @DeploymentId. The
-- version is the membership table's ETag: every insert or update of a silo row
-- must name the current version and increments it in the same statement.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    cluster_id text        NOT NULL PRIMARY KEY,
    version    integer     NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). Deleting a
-- cluster's version row deletes its silo rows.
CREATE TABLE IF NOT EXISTS orleans_membership
(
    cluster_id      text        NOT NULL
        REFERENCES orleans_membership_version (cluster_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- "silo,date|silo,date" votes as Orleans formats them, or NULL when there are none.
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-------------------------------------------------------------------------------
-- Grain persistence
-------------------------------------------------------------------------------

-- Orleans passes the state name (the name in [PersistentState]) as
-- @GrainTypeString, and neither the grain type nor the provider name. Two grain
-- types that use the same state name and key therefore share a row.
-- A long key is stored in key_n1, a Guid key in key_n0 and key_n1, and a string
-- key or a key extension in key_string ('' when there is none).
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    key_n0      bigint      NOT NULL,
    key_n1      bigint      NOT NULL,
    key_string  text        NOT NULL,
    -- The serialized state. NULL after ClearStateAsync, which keeps the row so
    -- that a stale activation cannot write over the cleared state.
    payload     bytea       NULL,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, key_n0, key_n1, key_string)
);

-------------------------------------------------------------------------------
-- Reminders
-------------------------------------------------------------------------------

-- grain_hash is GrainId.GetUniformHashCode() as a signed integer. Each silo
-- reads the reminders of its hash range of the ring.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminder_service_hash
    ON orleans_reminder (service_id, grain_hash);

-------------------------------------------------------------------------------
-- Query texts
-------------------------------------------------------------------------------

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES

-- Clustering. Result: one boolean, true when the version row was created.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleans_membership_version (cluster_id)
    VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING cluster_id
)
SELECT count(*) > 0 AS "Created" FROM created;
$sql$),

-- Inserts a silo row and increments the version, both or neither: the row is
-- inserted only while the version still equals @Version (locked here), and the
-- version moves only when the row was inserted. Result: one boolean.
('InsertMembershipKey', $sql$
WITH expected_version AS (
    SELECT cluster_id
    FROM orleans_membership_version
    WHERE cluster_id = @DeploymentId AND version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO orleans_membership
        (cluster_id, address, port, generation, silo_name, host_name, status,
         proxy_port, start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, @StartTime, @IAmAliveTime
    FROM expected_version
    ON CONFLICT (cluster_id, address, port, generation) DO NOTHING
    RETURNING cluster_id
), incremented AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1, changed_at = now()
    FROM inserted
    WHERE v.cluster_id = inserted.cluster_id
    RETURNING v.cluster_id
)
SELECT count(*) = 1 AS "Inserted" FROM incremented;
$sql$),

-- Same all-or-nothing rule as InsertMembershipKey, for an existing silo row.
('UpdateMembershipKey', $sql$
WITH expected_version AS (
    SELECT cluster_id
    FROM orleans_membership_version
    WHERE cluster_id = @DeploymentId AND version = @Version
    FOR UPDATE
), updated AS (
    UPDATE orleans_membership AS m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = @IAmAliveTime
    FROM expected_version
    WHERE m.cluster_id = expected_version.cluster_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING m.cluster_id
), incremented AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1, changed_at = now()
    FROM updated
    WHERE v.cluster_id = updated.cluster_id
    RETURNING v.cluster_id
)
SELECT count(*) = 1 AS "Updated" FROM incremented;
$sql$),

-- The heartbeat does not change the version.
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation;
$sql$),

-- The version row comes first in the join, so the result contains the version
-- even when no silo row matches. The provider then returns no entries.
('MembershipReadRowKey', $sql$
SELECT m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.cluster_id = v.cluster_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.cluster_id = @DeploymentId;
$sql$),

('MembershipReadAllKey', $sql$
SELECT m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime",
       v.version         AS "Version"
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId;
$sql$),

-- Clients read this list. Orleans passes @Status = 3 (Active).
('GatewaysQueryKey', $sql$
SELECT address    AS "Address",
       proxy_port AS "ProxyPort",
       generation AS "Generation"
FROM orleans_membership
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$sql$),

-- Deletes the version row, and the foreign key deletes the cluster's silo rows.
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleans_membership_version WHERE cluster_id = @DeploymentId;
$sql$),

-- Required by the provider, but used only when CleanupDefunctSiloEntryKey
-- (below) is missing. Deletes dead silos (status 6) whose start and last
-- heartbeat are both older than the cutoff @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleans_membership
WHERE cluster_id = @DeploymentId
  AND status = 6
  AND start_time < @IAmAliveTime
  AND i_am_alive_time < @IAmAliveTime;
$sql$),

-- Optional key that the 10.4.2 provider prefers when present. The provider
-- picks the dead rows older than the cutoff itself and passes each row's values
-- as it read them. The row is deleted only if those values are unchanged, so
-- a row that another silo updated in the meantime stays.
('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM orleans_membership
WHERE cluster_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$sql$),

-- Grain persistence. Every statement also receives @GrainIdHash and
-- @GrainTypeHash, which are not used because the primary key finds the row.
--
-- Result: one row with "PayloadBinary" and "Version", or no row.
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString, '');
$sql$),

-- With @GrainStateVersion NULL (the grain has no row yet), inserts version 1.
-- Otherwise replaces the payload only when the stored version equals
-- @GrainStateVersion. Result: "NewGrainStateVersion", or no row when the
-- version did not match, which the provider raises as InconsistentStateException.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state
        (service_id, state_name, key_n0, key_n1, key_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
           coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (service_id, state_name, key_n0, key_n1, key_string) DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$),

-- Sets the payload to NULL and increments the version, under the same version
-- rule as WriteToStorageKey. Result: the new version in the first column.
('ClearStorageKey', $sql$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state
        (service_id, state_name, key_n0, key_n1, key_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
           coalesce(@GrainIdExtensionString, ''), NULL, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (service_id, state_name, key_n0, key_n1, key_string) DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted;
$sql$),

-- Used in place of ClearStorageKey when a provider sets DeleteStateOnClear.
-- The provider treats a result equal to the old version as a conflict. So a
-- successful delete returns the old version plus one, and a version mismatch
-- returns no row.
('DeleteStorageKey', $sql$
DELETE FROM orleans_grain_state
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0 AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1 AS "NewGrainStateVersion";
$sql$),

-- Reminders. @Period arrives as int4 or int8 (milliseconds), depending on its
-- size. Result: the row's new "Version".
('UpsertReminderRowKey', $sql$
INSERT INTO orleans_reminder
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time,
    period_ms  = excluded.period_ms,
    grain_hash = excluded.grain_hash,
    version    = orleans_reminder.version + 1
RETURNING version AS "Version";
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId;
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$sql$),

-- The range (@BeginHash, @EndHash] when it does not wrap around the ring
-- (the provider compares the hashes as signed integers).
('ReadRangeRows1Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$sql$),

-- The range (@BeginHash, @EndHash] when it wraps around the ring. With
-- @BeginHash = @EndHash it is the whole ring.
('ReadRangeRows2Key', $sql$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$sql$),

-- Result: one boolean, true when the row existed with version @Version.
('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId
      AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS "Deleted" FROM deleted;
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleans_reminder WHERE service_id = @ServiceId;
$sql$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
