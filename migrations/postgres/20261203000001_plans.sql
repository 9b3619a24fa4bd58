-- The plan of each monument's grounds (JSON, checked by domain::plaza before it is stored), for
-- the kiosks' "you are here" maps; and the data version now also follows the wall sections, which
-- the public catalogue is built from too. (Not the honour categories: they follow the list in the
-- code, written at every start, and change only with a release, which rebuilds the catalogue.)
ALTER TABLE wall_sections ADD COLUMN plan text;

CREATE TRIGGER wall_sections_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wall_sections
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- What visitors looked for at the kiosks, per day and query, without anything about who: the
-- union learns what people look for and what they do not find. Bounded per day by the server.
CREATE TABLE kiosk_searches (
    day       text NOT NULL CHECK (length(day) = 10),
    query     text NOT NULL CHECK (char_length(query) BETWEEN 1 AND 40),
    searched  bigint NOT NULL CHECK (searched > 0),
    found     bigint NOT NULL CHECK (found >= 0 AND found <= searched),
    PRIMARY KEY (day, query)
);
