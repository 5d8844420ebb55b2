-- Events and the detections made in them.
--
-- Migrations are numbered 0001, 0002, ...; later ones (alerts, incidents, audit, rollups) add
-- their own tables and never edit an applied file (sqlx checks their checksums).

-- One row per event id. `fields` is the event's flat JSON object (dotted field names);
-- `time_us` is the event time in microseconds since the epoch. A rowid table: the backend
-- tells the rows a batch inserted by their rowids, above the largest one before the batch.
CREATE TABLE events (
    id      TEXT    NOT NULL PRIMARY KEY,
    time_us INTEGER NOT NULL,
    fields  TEXT    NOT NULL
);

-- Newest-first pages, time ranges and retention purges walk this index.
CREATE INDEX events_time ON events (time_us, id);

-- One row per rule matching an event. `tags` is a JSON array of strings, `fields` a JSON
-- array of {"field", "value"} objects; `event_time_us` copies the event's time so detections
-- can be queried and purged by time alone.
CREATE TABLE detections (
    event_id      TEXT    NOT NULL,
    rule_id       TEXT    NOT NULL,
    event_time_us INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    level         TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    tags          TEXT    NOT NULL,
    fields        TEXT    NOT NULL,
    event_index   INTEGER NOT NULL,
    PRIMARY KEY (event_id, rule_id)
);

CREATE INDEX detections_time ON detections (event_time_us);
