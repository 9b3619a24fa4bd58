-- The last commendation year cut into each monument's stones. Names from later batches keep the
-- place planned for them (a slot, once given, never moves) but are "not yet engraved" until the
-- union records that the stones were cut again. NULL: every placed name is engraved.
ALTER TABLE wall_sections ADD COLUMN engraved_through INTEGER CHECK (engraved_through BETWEEN 1949 AND 2200);
-- Both monuments were cut with the batches up to 2015.
UPDATE wall_sections SET engraved_through = 2015 WHERE code IN ('plaza-municipal', 'national');
