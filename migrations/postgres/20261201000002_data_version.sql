-- One number that changes whenever the public records do, whoever changes them (this server, an
-- import from the command line, another instance), and a notice on the channel labor_plaza_data
-- with the new number, delivered when the change commits: servers listening there rebuild their
-- catalogue within a second; servers that cannot listen ask for the number instead.
CREATE TABLE data_version (
    id       smallint PRIMARY KEY CHECK (id = 1),
    version  bigint NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    next_version bigint;
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version INTO next_version;
    PERFORM pg_notify('labor_plaza_data', next_version::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER people_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER organisations_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER honours_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON honours
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER media_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER batches_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON batches
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER wall_slots_bumps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wall_slots
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
