-- Every import is a batch: who ran it, from which file, what it added and changed, so that an
-- administrator can undo it as a whole. An undone batch stays listed, marked with when and by whom.
CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (length(source) <= 300),
    added       INTEGER NOT NULL CHECK (added >= 0),
    updated     INTEGER NOT NULL CHECK (updated >= 0),
    unchanged   INTEGER NOT NULL CHECK (unchanged >= 0),
    undone_at   TEXT,
    undone_by   TEXT
);

-- What one batch did, row by row: a person or a batch of honours added (removed again by an
-- undo), or a person's fields updated (`before` and `after` as JSON: an undo puts `before` back,
-- and only if the person still reads `after`, so a later change is never overwritten).
CREATE TABLE import_changes (
    import_id  INTEGER NOT NULL REFERENCES import_batches (id),
    kind       TEXT NOT NULL CHECK (kind IN ('person_added', 'person_updated', 'batch_added')),
    row_id     INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    PRIMARY KEY (import_id, kind, row_id)
);
