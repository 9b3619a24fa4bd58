//! The second factor of every admin account: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of
//! clock drift either way) from an authenticator app, and one-time recovery codes, stored hashed.

use rand::{rngs::OsRng, Rng, RngCore};
use totp_rs::{Algorithm, Secret, TOTP};

pub const ISSUER: &str = "LaborPlaza";
pub const RECOVERY_CODES: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecondFactorError {
    #[error("the stored TOTP secret is not valid")]
    BadSecret,
}

/// A new random secret (160 bits), base32 as authenticator apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_base32: &str, account: &str) -> Result<TOTP, SecondFactorError> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|_| SecondFactorError::BadSecret)?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some(ISSUER.to_string()),
        account.to_string(),
    )
    .map_err(|_| SecondFactorError::BadSecret)
}

/// The `otpauth://` address to show as a QR code when the account is set up.
pub fn provisioning_url(secret_base32: &str, account: &str) -> Result<String, SecondFactorError> {
    Ok(totp(secret_base32, account)?.get_url())
}

/// The code an authenticator shows at `unix_time` (for tests and set-up checks).
pub fn code_at(secret_base32: &str, unix_time: u64) -> Result<String, SecondFactorError> {
    Ok(totp(secret_base32, "check")?.generate(unix_time))
}

pub const STEP_SECONDS: u64 = 30;

/// The time step `code` belongs to, if it is valid at `unix_time` (the current step or one
/// either side). The caller accepts each step once per account (RFC 6238 §5.2: no replay).
pub fn matching_step(secret_base32: &str, code: &str, unix_time: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let t = totp(secret_base32, "check").ok()?;
    let now = unix_time / STEP_SECONDS;
    let mut found = None;
    // Every candidate is compared, in constant time, whatever matched before.
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = t.generate(step * STEP_SECONDS);
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Whether `code` is valid at `unix_time` (the current step or one either side).
pub fn verify_code(secret_base32: &str, code: &str, unix_time: u64) -> bool {
    matching_step(secret_base32, code, unix_time).is_some()
}

/// New recovery codes to show once: ten groups like `k7m2-9xqp-4hdt`.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = OsRng;
    (0..RECOVERY_CODES)
        .map(|_| {
            (0..3)
                .map(|_| {
                    (0..4)
                        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// Recovery codes are compared in a normal form (case and separators do not matter).
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step() {
        let secret = new_secret();
        let now = 1_764_000_000;
        let code = code_at(&secret, now).unwrap();
        assert!(verify_code(&secret, &code, now));
        assert!(verify_code(&secret, &code, now + 30), "one step of drift");
        assert!(!verify_code(&secret, &code, now + 90));
        assert!(!verify_code(&secret, "12345", now));
        assert!(!verify_code("not base32!", &code, now));
        // RFC 6238 test vector (SHA-1, secret "12345678901234567890", T = 59 s → 94287082, 6 digits: 287082).
        let rfc = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&rfc, 59).unwrap(), "287082");
    }

    #[test]
    fn steps_are_reported() {
        let secret = new_secret();
        let now = 1_764_000_015; // step 58_800_000
        let step = now / STEP_SECONDS;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 30), Some(step));
        let next = code_at(&secret, now + 30).unwrap();
        assert_eq!(matching_step(&secret, &next, now), Some(step + 1));
        assert_eq!(matching_step(&secret, "000000x", now), None);
    }

    #[test]
    fn provisioning_and_recovery_codes() {
        let secret = new_secret();
        let url = provisioning_url(&secret, "admin").unwrap();
        assert!(url.starts_with("otpauth://totp/LaborPlaza:admin?"), "{url}");
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| c.len() == 14));
        assert_eq!(normalise_recovery_code("K7M2 9XQP-4hdt"), "k7m29xqp4hdt");
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
    }
}
