-- SQL Server twin of 0070: the router finds the versions recorded under an inbox event by its id.
CREATE INDEX ix_entity_version_event ON entity_version (inbox_event_id);
