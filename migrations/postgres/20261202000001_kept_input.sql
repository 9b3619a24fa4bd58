-- Form input kept between a failed post and the page that shows it again (see db/kept_input.rs).
-- In the database, not in one process's memory, so any instance may answer the page.
CREATE TABLE kept_input (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key      text NOT NULL UNIQUE,
    class    text NOT NULL CHECK (class IN ('account', 'visitor')),
    owner    text NOT NULL,
    -- Where an anonymous visitor posted from: failed anonymous posts are limited per address.
    address  text,
    kept_at  timestamptz NOT NULL,
    bytes    integer NOT NULL CHECK (bytes > 0),
    body     text NOT NULL
);

CREATE INDEX kept_input_class ON kept_input (class, seq);
CREATE INDEX kept_input_kept_at ON kept_input (kept_at);
CREATE INDEX kept_input_address ON kept_input (class, address, kept_at);
