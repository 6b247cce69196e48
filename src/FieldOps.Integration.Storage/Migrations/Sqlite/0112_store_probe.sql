-- One row that readiness rewrites: the store is ready only while it can commit a write (a full disk, a read-only
-- file or a read-only replica make it not ready).
CREATE TABLE store_probe (
    id INTEGER PRIMARY KEY,
    probed_at INTEGER NOT NULL
);
