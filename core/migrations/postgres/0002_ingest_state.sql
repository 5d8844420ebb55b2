-- Checkpoints of the ingest stages that keep state across batches (correlation windows,
-- open rollup buckets, ...): one row per key, replaced by each batch that advances it, in
-- that batch's transaction. `value` is the stage's own encoding. A batch loading a key takes
-- a transaction-level advisory lock on it first (also when the row does not exist yet), so
-- two processes never advance the same state at once.
CREATE TABLE ingest_state (
    key        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value      BYTEA            NOT NULL,
    updated_us BIGINT           NOT NULL
);
