-- SQL Server twin of 0112: one row that readiness rewrites (ready only while the store can commit a write).
CREATE TABLE store_probe (
    id         INT     NOT NULL CONSTRAINT pk_store_probe PRIMARY KEY,
    probed_at  BIGINT  NOT NULL
);
