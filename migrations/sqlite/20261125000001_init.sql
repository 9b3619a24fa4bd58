-- Labor Plaza schema. Portable SQL: the same statements (with identity columns spelled per backend)
-- serve PostgreSQL; booleans are stored as 0/1 integers, times as ISO-8601 text.

CREATE TABLE honour_categories (
    code        TEXT PRIMARY KEY,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('national', 'municipal')),
    recipient   TEXT NOT NULL CHECK (recipient IN ('person', 'organisation', 'team')),
    engraved    INTEGER NOT NULL CHECK (engraved IN (0, 1)),
    awarded_by  TEXT NOT NULL,
    frequency   TEXT NOT NULL,
    sort_order  INTEGER NOT NULL
);

-- One commendation event (全国 or 北京市 劳模表彰大会); a year may hold two (1978, 1979).
CREATE TABLE batches (
    id          INTEGER PRIMARY KEY,
    level       TEXT NOT NULL CHECK (level IN ('national', 'municipal')),
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 1,
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    UNIQUE (level, year, seq)
);

CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    name_engraved  TEXT NOT NULL,
    name_correct   TEXT NOT NULL,
    surname        TEXT NOT NULL,
    sex            TEXT CHECK (sex IN ('M', 'F')),
    ethnicity      TEXT,
    birth_year     INTEGER,
    native_place   TEXT,
    political      TEXT,
    work_unit      TEXT,
    post           TEXT,
    industry       TEXT,
    district       TEXT,
    frontline      INTEGER NOT NULL DEFAULT 0 CHECK (frontline IN (0, 1)),
    scitech        INTEGER NOT NULL DEFAULT 0 CHECK (scitech IN (0, 1)),
    manager        INTEGER NOT NULL DEFAULT 0 CHECK (manager IN (0, 1)),
    deeds_short    TEXT,
    deeds_full     TEXT,
    demo           INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX people_name ON people (name_engraved);

-- Organisations (法人) and teams (非法人) for collective honours; never engraved.
CREATE TABLE organisations (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('organisation', 'team')),
    parent_name  TEXT,
    industry     TEXT,
    district     TEXT,
    deeds_short  TEXT,
    demo         INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);

CREATE TABLE honours (
    id               INTEGER PRIMARY KEY,
    category         TEXT NOT NULL REFERENCES honour_categories (code),
    person_id        INTEGER REFERENCES people (id) ON DELETE CASCADE,
    organisation_id  INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    year             INTEGER NOT NULL,
    batch_id         INTEGER REFERENCES batches (id),
    CHECK ((person_id IS NULL AND organisation_id IS NOT NULL)
        OR (person_id IS NOT NULL AND organisation_id IS NULL))
);
CREATE INDEX honours_person ON honours (person_id);
CREATE INDEX honours_organisation ON honours (organisation_id);

CREATE TABLE media (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('portrait', 'video')),
    url        TEXT NOT NULL,
    title      TEXT,
    demo       INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
);
CREATE INDEX media_person ON media (person_id);

CREATE TABLE wall_sections (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    level           TEXT NOT NULL CHECK (level IN ('national', 'municipal')),
    location_zh     TEXT NOT NULL,
    location_en     TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('per_batch', 'continuous')),
    rows_per_stone  INTEGER NOT NULL CHECK (rows_per_stone > 0),
    names_per_row   INTEGER NOT NULL CHECK (names_per_row > 0),
    sort_order      INTEGER NOT NULL
);

-- A slot, once given, is never recomputed: adding a name never moves one already engraved.
CREATE TABLE wall_slots (
    id          INTEGER PRIMARY KEY,
    section_id  INTEGER NOT NULL REFERENCES wall_sections (id),
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    honour_id   INTEGER NOT NULL REFERENCES honours (id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    stone       INTEGER NOT NULL CHECK (stone > 0),
    row_no      INTEGER NOT NULL CHECK (row_no > 0),
    position    INTEGER NOT NULL CHECK (position > 0),
    UNIQUE (section_id, stone, row_no, position),
    UNIQUE (section_id, person_id)
);
