-- Checkpoints of the ingest stages that keep state across batches (correlation windows,
-- open rollup buckets, ...): one row per key, replaced by each batch that advances it, in
-- that batch's transaction. `value` is the stage's own encoding.
CREATE TABLE ingest_state (
    key        TEXT    NOT NULL PRIMARY KEY,
    value      BLOB    NOT NULL,
    updated_us INTEGER NOT NULL
);
