-- SQL Server twin of 0075: events older versions left 'unmatched' while awaiting hydration get their own state.
UPDATE inbox SET state = 'awaiting_hydration'
WHERE state = 'unmatched' AND LEFT(state_reason, 18) = 'awaiting hydration';
