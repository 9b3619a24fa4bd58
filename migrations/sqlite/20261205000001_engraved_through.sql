-- What is cut into the stones. Each monument records the last commendation year cut into its
-- stones; each slot whether its name is cut. A slot given after a cutting (a later batch, or a
-- name added late to a year already cut) is planned: it keeps its place (a slot, once given,
-- never moves) and is "not yet engraved" until the union records the next cutting.
ALTER TABLE wall_sections ADD COLUMN engraved_through INTEGER CHECK (engraved_through BETWEEN 1949 AND 2200);
ALTER TABLE wall_slots ADD COLUMN engraved INTEGER NOT NULL DEFAULT 0 CHECK (engraved IN (0, 1));
-- Both monuments were cut with the batches up to 2015.
UPDATE wall_sections SET engraved_through = 2015 WHERE code IN ('plaza-municipal', 'national');
-- The places there are: cut up to their monument's year (a monument without one: all cut).
UPDATE wall_slots SET engraved = 1
 WHERE year <= COALESCE((SELECT s.engraved_through FROM wall_sections s WHERE s.id = wall_slots.section_id), year);
