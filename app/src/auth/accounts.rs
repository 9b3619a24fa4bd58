//! Creating admin accounts: checked names, roles, passwords and a fresh second factor.

use sha2::{Digest, Sha256};

use super::{password, second_factor};
use crate::db::NewUser;
use crate::domain::procedure::Role;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error(
        "the user name must be 3 to 32 characters: lower-case letters, digits, '.', '_' or '-'"
    )]
    BadUsername,
    #[error("the display name must be 1 to 64 characters")]
    BadDisplayName,
    #[error("an account of a nominating unit needs the unit's name")]
    UnitMissing,
    #[error(transparent)]
    Password(#[from] password::PasswordError),
}

/// What the new account's holder must be shown once, then never again.
#[derive(Clone, Debug)]
pub struct FirstSecrets {
    pub totp_secret: String,
    pub provisioning_url: String,
    pub recovery_codes: Vec<String>,
}

pub fn validate_username(username: &str) -> Result<(), AccountError> {
    let ok = (3..=32).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(AccountError::BadUsername)
    }
}

pub fn hash_recovery_code(code: &str) -> String {
    let digest = Sha256::digest(second_factor::normalise_recovery_code(code).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks everything and prepares the account; the caller stores it.
pub fn prepare(
    username: &str,
    display_name: &str,
    role: Role,
    unit_name: Option<&str>,
    password: &str,
) -> Result<(NewUser, FirstSecrets), AccountError> {
    validate_username(username)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 64 {
        return Err(AccountError::BadDisplayName);
    }
    let unit_name = unit_name.map(str::trim).filter(|u| !u.is_empty());
    if role == Role::NominatingUnit && unit_name.is_none() {
        return Err(AccountError::UnitMissing);
    }
    let password_hash = password::hash_new(password, &[username, display_name])?;
    let totp_secret = second_factor::new_secret();
    let provisioning_url = second_factor::provisioning_url(&totp_secret, username)
        .expect("a freshly generated secret is valid");
    let recovery_codes = second_factor::new_recovery_codes();
    let user = NewUser {
        username: username.to_string(),
        display_name: display_name.to_string(),
        role,
        unit_name: unit_name.map(str::to_string),
        password_hash,
        totp_secret: totp_secret.clone(),
        recovery_code_hashes: recovery_codes
            .iter()
            .map(|c| hash_recovery_code(c))
            .collect(),
    };
    Ok((
        user,
        FirstSecrets {
            totp_secret,
            provisioning_url,
            recovery_codes,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(validate_username("admin").is_ok());
        assert!(validate_username("li.ming_2").is_ok());
        for bad in ["ab", "Admin", "张三", "a b", &"x".repeat(33)] {
            assert_eq!(
                validate_username(bad),
                Err(AccountError::BadUsername),
                "{bad}"
            );
        }
    }

    #[test]
    fn prepared_accounts() {
        let (user, secrets) = prepare(
            "plaza-admin",
            "系统管理员",
            Role::Administrator,
            None,
            "granite-lantern-47-plaza",
        )
        .unwrap();
        assert_eq!(user.role, Role::Administrator);
        assert!(password::verify(
            "granite-lantern-47-plaza",
            &user.password_hash
        ));
        assert_eq!(
            user.recovery_code_hashes.len(),
            secrets.recovery_codes.len()
        );
        assert_eq!(
            user.recovery_code_hashes[0],
            hash_recovery_code(&secrets.recovery_codes[0].to_uppercase())
        );
        assert!(secrets.provisioning_url.contains("plaza-admin"));
        assert_eq!(
            prepare(
                "unit-a",
                "单位",
                Role::NominatingUnit,
                None,
                "granite-lantern-47-plaza"
            )
            .unwrap_err(),
            AccountError::UnitMissing
        );
        assert!(matches!(
            prepare("plaza-admin", "x", Role::Reviewer, None, "plaza-admin-1"),
            Err(AccountError::Password(_))
        ));
    }
}
