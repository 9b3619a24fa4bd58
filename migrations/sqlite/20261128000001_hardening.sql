-- Hardening after the security review (issue 7).

-- RFC 6238 §5.2: a TOTP code is accepted once. The time step of the last accepted code; a code
-- of that step or an earlier one is refused.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- Repeated refusals from one source are one entry with a count, not thousands of rows.
ALTER TABLE audit_log ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at TEXT;

-- Still append-only: the only change allowed is raising a refusal's repeat count (and its last
-- time, never before the entry's own); everything an entry says stays as written.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_only_counts BEFORE UPDATE ON audit_log
WHEN NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.actor_name IS NOT OLD.actor_name OR NEW.action IS NOT OLD.action
  OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
  OR NEW.before_json IS NOT OLD.before_json OR NEW.after_json IS NOT OLD.after_json
  OR NEW.address IS NOT OLD.address OR NEW.repeat_count <= OLD.repeat_count
  OR OLD.action NOT IN ('auth.login_failed', 'auth.login_rate_limited', 'access.refused')
  OR NEW.last_at IS NULL OR NEW.last_at < OLD.at
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE INDEX audit_log_repeats ON audit_log (action, address, at);

-- Login attempts are counted per account and source too (the per-account lock no longer locks
-- the owner out when someone else guesses).
CREATE INDEX login_attempts_user_address ON login_attempts (username, address, at);
