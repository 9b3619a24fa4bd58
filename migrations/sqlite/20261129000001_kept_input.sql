-- Form input kept between a failed post and the page that shows it again (see db/kept_input.rs).
-- In the database, not in one process's memory, so any instance may answer the page.
CREATE TABLE kept_input (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    key      TEXT NOT NULL UNIQUE,
    class    TEXT NOT NULL CHECK (class IN ('account', 'visitor')),
    owner    TEXT NOT NULL,
    -- Where an anonymous visitor posted from: failed anonymous posts are limited per address.
    address  TEXT,
    kept_at  TEXT NOT NULL,
    bytes    INTEGER NOT NULL CHECK (bytes > 0),
    body     TEXT NOT NULL
);

CREATE INDEX kept_input_class ON kept_input (class, seq);
CREATE INDEX kept_input_kept_at ON kept_input (kept_at);
CREATE INDEX kept_input_address ON kept_input (class, address, kept_at);
