-- Every import is a batch: who ran it, from which file, what it added and changed, so that an
-- administrator can undo it as a whole. An undone batch stays listed, marked with when and by whom.
CREATE TABLE import_batches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    imported_at timestamptz NOT NULL,
    actor       text NOT NULL,
    source      text NOT NULL CHECK (length(source) <= 300),
    added       bigint NOT NULL CHECK (added >= 0),
    updated     bigint NOT NULL CHECK (updated >= 0),
    unchanged   bigint NOT NULL CHECK (unchanged >= 0),
    undone_at   timestamptz,
    undone_by   text
);

-- What one batch did, row by row: a person or a batch of honours added (removed again by an
-- undo), or a person's fields updated (`before` and `after` as JSON: an undo puts `before` back,
-- and only if the person still reads `after`, so a later change is never overwritten).
CREATE TABLE import_changes (
    import_id  bigint NOT NULL REFERENCES import_batches (id),
    kind       text NOT NULL CHECK (kind IN ('person_added', 'person_updated', 'batch_added')),
    row_id     bigint NOT NULL,
    before     text,
    after      text,
    PRIMARY KEY (import_id, kind, row_id)
);
