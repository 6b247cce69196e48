-- The router's claim on the new events it is routing (the outbox's lease pattern): among several processes each new
-- event is mapped by one at a time, not by every router that reads it; a claim whose holder died expires.
ALTER TABLE inbox ADD COLUMN route_lease_owner TEXT;
ALTER TABLE inbox ADD COLUMN route_lease_until BIGINT;
