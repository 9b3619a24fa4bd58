-- Kiosks at the plaza (see db/kiosks.rs): registered by an administrator; each row also keeps the
-- kiosk's latest heartbeat, overwritten by the next.
CREATE TABLE kiosks (
    id             TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40),
    name           TEXT NOT NULL,
    monument       TEXT NOT NULL,
    x              REAL,
    y              REAL,
    facing         INTEGER CHECK (facing BETWEEN 0 AND 359),
    idle_seconds   INTEGER NOT NULL CHECK (idle_seconds BETWEEN 30 AND 600),
    secret_hash    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    last_seen_at   TEXT,
    data_version   TEXT,
    page_version   TEXT,
    offline_since  TEXT,
    last_error     TEXT
);
