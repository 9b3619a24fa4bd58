-- Kiosks at the plaza (see db/kiosks.rs): registered by an administrator; each row also keeps the
-- kiosk's latest heartbeat, overwritten by the next.
CREATE TABLE kiosks (
    id             text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40),
    name           text NOT NULL,
    monument       text NOT NULL,
    x              double precision,
    y              double precision,
    facing         integer CHECK (facing BETWEEN 0 AND 359),
    idle_seconds   integer NOT NULL CHECK (idle_seconds BETWEEN 30 AND 600),
    secret_hash    text NOT NULL,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz,
    data_version   text,
    page_version   text,
    offline_since  timestamptz,
    last_error     text
);
