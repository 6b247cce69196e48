-- The router consults the entity_version ledger for every source. An event the hydrator or the poll already
-- recorded is not checked again: the router finds it by its inbox event id.
CREATE INDEX ix_entity_version_event ON entity_version (inbox_event_id);
