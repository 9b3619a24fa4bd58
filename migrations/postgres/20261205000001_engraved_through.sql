-- What is cut into the stones. Each monument records the last commendation year cut into its
-- stones; each slot whether its name is cut. A slot given after a cutting (a later batch, or a
-- name added late to a year already cut) is planned: it keeps its place (a slot, once given,
-- never moves) and is "not yet engraved" until the union records the next cutting.
ALTER TABLE wall_sections ADD COLUMN engraved_through bigint CHECK (engraved_through BETWEEN 1949 AND 2200);
ALTER TABLE wall_slots ADD COLUMN engraved boolean NOT NULL DEFAULT false;
-- Both monuments were cut with the batches up to 2015. Only where there are records: the
-- data-version triggers fire once per statement, and an empty database stays at version 1.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM wall_sections WHERE code IN ('plaza-municipal', 'national')) THEN
        UPDATE wall_sections SET engraved_through = 2015 WHERE code IN ('plaza-municipal', 'national');
    END IF;
    IF EXISTS (SELECT 1 FROM wall_slots) THEN
        -- The places there are: cut up to their monument's year (a monument without one: all cut).
        UPDATE wall_slots SET engraved = true
         WHERE year <= COALESCE((SELECT s.engraved_through FROM wall_sections s WHERE s.id = wall_slots.section_id), year);
    END IF;
END $$;
