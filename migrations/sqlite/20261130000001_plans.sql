-- The plan of each monument's grounds (JSON, checked by domain::plaza before it is stored), for
-- the kiosks' "you are here" maps; and the data version now also follows the wall sections, which
-- the public catalogue is built from too. (Not the honour categories: they follow the list in the
-- code, written at every start, and change only with a release, which rebuilds the catalogue.)
ALTER TABLE wall_sections ADD COLUMN plan TEXT;

CREATE TRIGGER wall_sections_insert_bumps_version AFTER INSERT ON wall_sections
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER wall_sections_update_bumps_version AFTER UPDATE ON wall_sections
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER wall_sections_delete_bumps_version AFTER DELETE ON wall_sections
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;

-- What visitors looked for at the kiosks, per day and query, without anything about who: the
-- union learns what people look for and what they do not find. Bounded per day by the server.
CREATE TABLE kiosk_searches (
    day       TEXT NOT NULL CHECK (length(day) = 10),
    query     TEXT NOT NULL CHECK (length(query) BETWEEN 1 AND 40),
    searched  INTEGER NOT NULL CHECK (searched > 0),
    found     INTEGER NOT NULL CHECK (found >= 0 AND found <= searched),
    PRIMARY KEY (day, query)
);
