-- Readiness per source: a source whose records cannot be fetched back (hydration) is failing even while its webhooks
-- are accepted. The last hydration error and the last success are kept beside the poll's, so /health/ready and
-- `fieldops sources` (another process) see them.
ALTER TABLE source_watermark ADD COLUMN hydration_last_error TEXT;
ALTER TABLE source_watermark ADD COLUMN hydration_last_error_at BIGINT;
ALTER TABLE source_watermark ADD COLUMN hydration_last_success_at BIGINT;
