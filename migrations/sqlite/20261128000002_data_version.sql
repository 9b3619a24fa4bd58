-- One number that changes whenever the public records do, whoever changes them (this server, an
-- import from the command line, another instance): servers compare it to know when to rebuild
-- their catalogue, and it is cheap to ask for every second.
CREATE TABLE data_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER people_insert_bumps_version AFTER INSERT ON people
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER people_update_bumps_version AFTER UPDATE ON people
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER people_delete_bumps_version AFTER DELETE ON people
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_insert_bumps_version AFTER INSERT ON organisations
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_update_bumps_version AFTER UPDATE ON organisations
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_delete_bumps_version AFTER DELETE ON organisations
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER honours_insert_bumps_version AFTER INSERT ON honours
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER honours_update_bumps_version AFTER UPDATE ON honours
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER honours_delete_bumps_version AFTER DELETE ON honours
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER media_insert_bumps_version AFTER INSERT ON media
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER media_update_bumps_version AFTER UPDATE ON media
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER media_delete_bumps_version AFTER DELETE ON media
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER batches_insert_bumps_version AFTER INSERT ON batches
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER batches_update_bumps_version AFTER UPDATE ON batches
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER batches_delete_bumps_version AFTER DELETE ON batches
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER wall_slots_insert_bumps_version AFTER INSERT ON wall_slots
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER wall_slots_update_bumps_version AFTER UPDATE ON wall_slots
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER wall_slots_delete_bumps_version AFTER DELETE ON wall_slots
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
