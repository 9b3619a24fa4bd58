-- Which instance runs the scheduled work (see db/jobs.rs): one row per kind of work.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- The scheduled clean-up finds dead sessions by time.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX login_attempts_at ON login_attempts (at);
