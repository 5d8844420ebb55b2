-- Alerts, the entities they are about, and silences.
--
-- An alert's JSON columns (group_fields, entities, evidence, tags, muted_by, details, updated)
-- hold JSON text; the absent optional ones hold 'null'. Times are microseconds since the
-- epoch. The id is derived from (fingerprint, generation), so the primary key keeps one row
-- per pair: two processes raising the same alert agree on its id and store one row (one
-- unique key only, so a concurrent insert always takes the ON CONFLICT path).
CREATE TABLE alerts (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    fingerprint   TEXT COLLATE "C" NOT NULL,
    generation    BIGINT NOT NULL,
    rule_id       TEXT COLLATE "C" NOT NULL,
    title         TEXT NOT NULL,
    severity      TEXT NOT NULL,
    source        TEXT NOT NULL,
    status        TEXT NOT NULL,
    group_fields  TEXT NOT NULL,
    entities      TEXT NOT NULL,
    first_seen_us BIGINT NOT NULL,
    last_seen_us  BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    evidence      TEXT NOT NULL,
    tags          TEXT NOT NULL,
    muted_by      TEXT NOT NULL,
    details       TEXT NOT NULL,
    updated       TEXT NOT NULL
);

-- The latest generation of a fingerprint is found through this index.
CREATE INDEX alerts_fingerprint ON alerts (fingerprint, generation);

-- Newest-first pages walk this index.
CREATE INDEX alerts_first_seen ON alerts (first_seen_us, id);
CREATE INDEX alerts_status ON alerts (status, severity);

-- One row per (entity, alert): the entity as kind:value (ip:203.0.113.9).
CREATE TABLE alert_entities (
    entity   TEXT COLLATE "C" NOT NULL,
    alert_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity, alert_id)
);

-- Silences: matchers (a JSON array), a time range, who and why.
CREATE TABLE silences (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    matchers   TEXT NOT NULL,
    starts_us  BIGINT NOT NULL,
    ends_us    BIGINT NOT NULL,
    author     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_us BIGINT NOT NULL
);
