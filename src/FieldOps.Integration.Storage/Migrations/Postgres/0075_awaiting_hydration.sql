-- Hydration is an inbox state now ('awaiting_hydration'), set by the router; nothing reads the reason text any more.
-- One-time conversion of the events older versions left 'unmatched' with the shipped Jobber profile's reason.
UPDATE inbox SET state = 'awaiting_hydration'
WHERE state = 'unmatched' AND substr(state_reason, 1, 18) = 'awaiting hydration';
