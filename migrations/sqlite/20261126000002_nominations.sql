-- Nominations through 一报告两审核三公示: the nomination packet, its attachments, public
-- objections, the departmental checks of the second review, quotas and settings. Every change to
-- a nomination is also an audit_log entry (object_type 'nomination'): that is its history.
-- References to the public records are checked at commit, so `demo-data --replace` (delete, then
-- insert again) works, and is refused if it would orphan an approved nomination.

CREATE TABLE nominations (
    id              INTEGER PRIMARY KEY,
    -- The nominating unit that owns it (accounts of that unit share it).
    unit_name       TEXT NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES users (id),
    category        TEXT NOT NULL REFERENCES honour_categories (code) DEFERRABLE INITIALLY DEFERRED,
    year            INTEGER NOT NULL,
    candidate_kind  TEXT NOT NULL CHECK (candidate_kind IN ('person', 'organisation', 'team')),
    candidate_name  TEXT NOT NULL,
    sex             TEXT CHECK (sex IN ('M', 'F')),
    ethnicity       TEXT,
    birth_year      INTEGER,
    work_unit       TEXT,
    post            TEXT,
    industry        TEXT,
    district        TEXT,
    frontline       INTEGER NOT NULL DEFAULT 0 CHECK (frontline IN (0, 1)),
    scitech         INTEGER NOT NULL DEFAULT 0 CHECK (scitech IN (0, 1)),
    manager         INTEGER NOT NULL DEFAULT 0 CHECK (manager IN (0, 1)),
    report          TEXT NOT NULL DEFAULT '',
    deeds_short     TEXT NOT NULL DEFAULT '',
    deeds_full      TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL,
    -- Optimistic locking: every write names the version it read and bumps it.
    version         INTEGER NOT NULL DEFAULT 1,
    notice_start    TEXT,
    notice_end      TEXT,
    -- Why it was returned or rejected (the latest decision).
    decision_note   TEXT,
    person_id       INTEGER REFERENCES people (id) DEFERRABLE INITIALLY DEFERRED,
    organisation_id INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY DEFERRED,
    honour_id       INTEGER REFERENCES honours (id) DEFERRABLE INITIALLY DEFERRED,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX nominations_stage ON nominations (stage);
CREATE INDEX nominations_unit ON nominations (unit_name);

-- Files are stored under the uploads directory by content hash; a row exists only once the file
-- is completely on disk.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    nomination_id  INTEGER NOT NULL REFERENCES nominations (id),
    kind           TEXT NOT NULL CHECK (kind IN ('form', 'evaluation', 'opinion', 'photo', 'other')),
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    uploaded_at    TEXT NOT NULL,
    uploaded_by    INTEGER NOT NULL REFERENCES users (id)
);
CREATE INDEX attachments_nomination ON attachments (nomination_id);

-- Objections (异议) filed by the public during a notice; 实名: name and contact are required.
CREATE TABLE objections (
    id             INTEGER PRIMARY KEY,
    nomination_id  INTEGER NOT NULL REFERENCES nominations (id),
    stage          TEXT NOT NULL,
    filed_at       TEXT NOT NULL,
    name           TEXT NOT NULL,
    contact        TEXT NOT NULL,
    body           TEXT NOT NULL,
    address        TEXT NOT NULL,
    resolved_at    TEXT,
    resolved_by    INTEGER REFERENCES users (id),
    resolver_name  TEXT,
    finding        TEXT,
    outcome        TEXT CHECK (outcome IN ('upheld', 'dismissed')),
    CHECK ((resolved_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX objections_nomination ON objections (nomination_id);
CREATE INDEX objections_address ON objections (address, filed_at);

-- The departmental checks of the second review (工商、税务、审计、纪检监察 …), each with a verdict.
CREATE TABLE departmental_checks (
    id             INTEGER PRIMARY KEY,
    nomination_id  INTEGER NOT NULL REFERENCES nominations (id),
    department     TEXT NOT NULL,
    verdict        TEXT CHECK (verdict IN ('pass', 'fail')),
    note           TEXT,
    decided_at     TEXT,
    decided_by     INTEGER REFERENCES users (id),
    decider_name   TEXT,
    UNIQUE (nomination_id, department)
);

-- Quotas per honour and year: data, not code.
CREATE TABLE quota_rules (
    id         INTEGER PRIMARY KEY,
    category   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    attribute  TEXT NOT NULL CHECK (attribute IN ('frontline', 'scitech', 'manager', 'female')),
    bound      TEXT NOT NULL CHECK (bound IN ('at_least', 'at_most')),
    percent    REAL NOT NULL CHECK (percent >= 0 AND percent <= 100),
    UNIQUE (category, year, attribute, bound)
);

-- Beijing 2015 (DOMAIN.md); 2025 assumed to carry the same rules until the administrators change them.
INSERT INTO quota_rules (category, year, attribute, bound, percent) VALUES
    ('beijing_model', 2015, 'frontline', 'at_least', 45),
    ('beijing_model', 2015, 'scitech', 'at_least', 25),
    ('beijing_model', 2015, 'manager', 'at_most', 8),
    ('beijing_model', 2025, 'frontline', 'at_least', 45),
    ('beijing_model', 2025, 'scitech', 'at_least', 25),
    ('beijing_model', 2025, 'manager', 'at_most', 8);

-- Simple settings: notice lengths per stage, the holiday calendar.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
