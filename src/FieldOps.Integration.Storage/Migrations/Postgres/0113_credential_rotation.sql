-- Token rotation that survives a lost answer: the refresh token before the current one (tried when the issuer refuses
-- the current one), and when a refresh began that has not ended (its answer may have been lost to a crash or a
-- timeout; the reason a connection breaks then says so).
ALTER TABLE credential ADD COLUMN previous_refresh_token TEXT;
ALTER TABLE credential ADD COLUMN refresh_started_at BIGINT;
