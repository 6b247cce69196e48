-- The W3C traceparent of an inbox event's trace (its intake span) and of the routing span each outbox row came from:
-- every later stage (routing, hydration, each delivery attempt) continues the stored trace. NULL with tracing off.
ALTER TABLE inbox ADD trace_parent NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL;
ALTER TABLE outbox ADD trace_parent NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL;
