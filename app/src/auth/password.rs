//! Admin passwords: at least 12 characters, not guessable (zxcvbn's frequency lists of common
//! passwords, names and words, plus the account's own name), hashed with Argon2id (t = 2,
//! m = 19 MiB, p = 1: OWASP's minimum).

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password needs at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("the password may have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("the password is too easy to guess (a common password, word or pattern)")]
    TooCommon,
    #[error("the password hash could not be made")]
    Hashing,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the policy.
pub fn check_policy(password: &str, user_inputs: &[&str]) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if (estimate.score() as u8) < 3 {
        return Err(PasswordError::TooCommon);
    }
    Ok(())
}

/// Checks the policy and returns the PHC string to store.
pub fn hash_new(password: &str, user_inputs: &[&str]) -> Result<String, PasswordError> {
    check_policy(password, user_inputs)?;
    hash(password)
}

fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

/// Verifies a password against a stored hash; a malformed hash never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// How many password hashes run at once. Each takes ~19 MiB and tens of milliseconds of CPU; on
/// the async workers they would stall every other request, so they run on the blocking pool, a
/// bounded number at a time (the rest wait their turn without holding a thread).
pub const CONCURRENT_HASHES: usize = 2;

fn hashing_permits() -> std::sync::Arc<tokio::sync::Semaphore> {
    static PERMITS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::LazyLock::new(|| {
            std::sync::Arc::new(tokio::sync::Semaphore::new(CONCURRENT_HASHES))
        });
    PERMITS.clone()
}

/// Runs `work` on the blocking pool, at most `CONCURRENT_HASHES` at a time. The permit travels
/// with the work: a caller that hangs up does not free it while the hash still runs.
pub async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let permit = hashing_permits()
        .acquire_owned()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(permit);
        result
    })
    .await
    .expect("password hashing does not panic")
}

/// [`verify`] off the async workers.
pub async fn verify_off_thread(password: String, stored: String) -> bool {
    off_thread(move || verify(&password, &stored)).await
}

/// A hash to verify against when the account does not exist, so that a login for an unknown
/// name costs the same time as one for a known name.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not a real password, only for timing").expect("hashing works"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(check_policy("short", &[]), Err(PasswordError::TooShort));
        assert_eq!(
            check_policy("password1234", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_policy("qwertyuiop123", &[]),
            Err(PasswordError::TooCommon)
        );
        assert_eq!(
            check_policy("zhangweiming2025", &["zhangweiming"]),
            Err(PasswordError::TooCommon)
        );
        assert!(check_policy("granite-lantern-47-plaza", &[]).is_ok());
        assert_eq!(
            check_policy(&"x".repeat(300), &[]),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn argon2id_with_the_required_cost() {
        let stored = hash_new("granite-lantern-47-plaza", &[]).unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("granite-lantern-47-plaza", &stored));
        assert!(!verify("granite-lantern-47-plazA", &stored));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(
            hash_new("granite-lantern-47-plaza", &[]).unwrap(),
            stored,
            "salted"
        );
        assert!(!verify("", dummy_hash()));
    }
}
