-- The W3C traceparent of an inbox event's trace (its intake span) and of the routing span each outbox row came from:
-- every later stage (routing, hydration, each delivery attempt) continues the stored trace. NULL with tracing off.
ALTER TABLE inbox ADD COLUMN trace_parent TEXT;
ALTER TABLE outbox ADD COLUMN trace_parent TEXT;
