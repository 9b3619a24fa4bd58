//! Logging in and server-side sessions. The cookie holds a random token; the database holds only
//! its SHA-256. A session ends at logout, after 30 idle minutes, after 12 hours, and at once when
//! the account is disabled. Failed logins are limited per account and per address (offices and
//! kiosks share addresses, so that limit is higher); the error never says whether the account
//! exists, and an unknown name costs the same password check as a known one.

use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{accounts, password, second_factor};
use crate::db::{AuditEntry, LoginLimits, UserRecord};
use crate::domain::procedure::Role;
use crate::state::AppState;

pub const COOKIE: &str = "session";
pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;
pub const ATTEMPT_WINDOW_MINUTES: i64 = 15;
/// Failures for one account from one address: the limit a guesser meets.
pub const MAX_FAILS_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Failures from one address for any accounts (offices and kiosks share addresses).
pub const MAX_FAILS_PER_ADDRESS: i64 = 30;
/// Failures for one account from everywhere: a ceiling on guessing spread over many addresses.
/// It does not apply where the owner signed in within `KNOWN_ADDRESS_DAYS`, so someone guessing
/// elsewhere cannot lock the owner out at their usual places.
pub const MAX_FAILS_PER_ACCOUNT: i64 = 100;
pub const KNOWN_ADDRESS_DAYS: i64 = 30;
pub const MAX_USERNAME_CHARS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// Deliberately the same for an unknown name, a wrong password and a wrong code.
    #[error("用户名、密码或验证码不正确 / wrong user name, password or code")]
    Invalid,
    #[error(
        "尝试次数过多，请 {minutes} 分钟后再试 / too many attempts, try again in {minutes} minutes"
    )]
    RateLimited { minutes: i64 },
    #[error("服务暂时不可用 / the service is unavailable")]
    Unavailable,
}

/// The signed-in account, as pages and server functions see it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
}

/// Who sent a request, as the server's first layer worked it out (the TCP peer, or the address a
/// trusted proxy forwarded) and put into the request's extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress {
    pub ip: String,
    /// Served over TLS according to a trusted proxy.
    pub tls: bool,
}

/// The caller's address for rate limits and the audit log.
pub fn client_address(extensions: &axum::http::Extensions) -> String {
    if let Some(c) = extensions.get::<ClientAddress>() {
        return c.ip.clone();
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(a)| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn session_user(record: UserRecord) -> Option<SessionUser> {
    Some(SessionUser {
        role: record.role,
        id: record.id,
        username: record.username,
        display_name: record.display_name,
        unit_name: record.unit_name,
    })
}

/// The session token in a Cookie header, if any.
pub fn token_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("session="))
        .find(|t| !t.is_empty())
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        ABSOLUTE_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clearing_cookie(secure: bool) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

fn audit(
    at: DateTime<Utc>,
    user: Option<&UserRecord>,
    name: &str,
    action: &str,
    address: &str,
) -> AuditEntry {
    AuditEntry {
        actor_id: user.map(|u| u.id),
        address: Some(address.to_string()),
        ..AuditEntry::new(timestamp(at), name, action, "session")
    }
}

/// Checks name, password and second factor (a TOTP code or an unused recovery code); on success
/// returns a new session token (a new id at every login) and the account.
#[tracing::instrument(name = "auth.login", skip_all)]
pub async fn login(
    state: &AppState,
    username: &str,
    password_given: &str,
    code: &str,
    address: &str,
) -> Result<(String, SessionUser), LoginError> {
    let db = &state.db;
    let now = state.clock.now();
    let username = username.trim();
    let unavailable = |e: crate::db::DbError| {
        tracing::error!("login: {e}");
        LoginError::Unavailable
    };
    // No account name is longer; a longer one is cut before it is counted or logged.
    let username = crate::domain::text::bounded(username, MAX_USERNAME_CHARS);
    let username = username.as_str();
    let limits = LoginLimits {
        since: timestamp(now - Duration::minutes(ATTEMPT_WINDOW_MINUTES)),
        per_account_and_address: MAX_FAILS_PER_ACCOUNT_AND_ADDRESS,
        per_address: MAX_FAILS_PER_ADDRESS,
        per_account: MAX_FAILS_PER_ACCOUNT,
        known_since: timestamp(now - Duration::days(KNOWN_ADDRESS_DAYS)),
    };
    let Some(attempt) = db
        .accounts
        .begin_login_attempt(username, address, &timestamp(now), &limits)
        .await
        .map_err(unavailable)?
    else {
        refusal(state, now, username, "auth.login_rate_limited", address).await;
        return Err(LoginError::RateLimited {
            minutes: ATTEMPT_WINDOW_MINUTES,
        });
    };
    let user = db
        .accounts
        .user_by_name(username)
        .await
        .map_err(unavailable)?;
    let password_ok = password::verify_off_thread(
        password_given.to_string(),
        user.as_ref().map_or_else(
            || password::dummy_hash().to_string(),
            |u| u.password_hash.clone(),
        ),
    )
    .await;
    let mut ok = password_ok && user.as_ref().is_some_and(|u| !u.disabled);
    if ok {
        let u = user.as_ref().expect("checked above");
        let unix = now.timestamp().max(0) as u64;
        ok = match second_factor::matching_step(&u.totp_secret, code, unix) {
            // A code is good once: a replay within its window is refused.
            Some(step) => db
                .accounts
                .accept_totp_step(u.id, step as i64)
                .await
                .map_err(unavailable)?,
            None => {
                !code.trim().is_empty()
                    && db
                        .accounts
                        .use_recovery_code(
                            u.id,
                            &accounts::hash_recovery_code(code),
                            &timestamp(now),
                        )
                        .await
                        .map_err(unavailable)?
            }
        };
    }
    let Some(user) = user.filter(|_| ok) else {
        refusal(state, now, username, "auth.login_failed", address).await;
        return Err(LoginError::Invalid);
    };
    db.accounts
        .mark_login_succeeded(attempt)
        .await
        .map_err(unavailable)?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires = now + Duration::hours(ABSOLUTE_HOURS);
    db.accounts
        .create_session(
            &token_hash(&token),
            user.id,
            &timestamp(now),
            &timestamp(expires),
            address,
        )
        .await
        .map_err(unavailable)?;
    db.audit
        .append_audit(&audit(
            now,
            Some(&user),
            &user.username,
            "auth.login",
            address,
        ))
        .await
        .map_err(unavailable)?;
    let user = session_user(user).ok_or(LoginError::Unavailable)?;
    Ok((token, user))
}

/// The account signed in with this Cookie header, if its session is alive. A database that does
/// not answer is `Unavailable`, not "signed out": nobody is shown a sign-in form for an outage.
pub async fn current_user(
    state: &AppState,
    cookie_header: &str,
) -> Result<Option<SessionUser>, crate::error::AppError> {
    let Some(token) = token_from_cookies(cookie_header) else {
        return Ok(None);
    };
    let now = state.clock.now();
    let idle_cutoff = timestamp(now - Duration::minutes(IDLE_MINUTES));
    match state
        .db
        .accounts
        .session_user(&token_hash(token), &timestamp(now), &idle_cutoff)
        .await
    {
        Ok(user) => Ok(user.and_then(session_user)),
        Err(e) => {
            tracing::error!("session check: {e}");
            Err(crate::error::AppError::Unavailable)
        }
    }
}

/// Ends the session of this Cookie header.
pub async fn logout(state: &AppState, cookie_header: &str, address: &str) {
    let Some(token) = token_from_cookies(cookie_header) else {
        return;
    };
    let user = current_user(state, cookie_header).await.ok().flatten();
    if let Err(e) = state.db.accounts.delete_session(&token_hash(token)).await {
        tracing::error!("logout: {e}");
    }
    if let Some(user) = user {
        let entry = AuditEntry {
            actor_id: Some(user.id),
            ..audit(
                state.clock.now(),
                None,
                &user.username,
                "auth.logout",
                address,
            )
        };
        let _ = state.db.audit.append_audit(&entry).await;
    }
}

/// Records a refused access (a signed-in account without the role, or no session at all).
pub async fn audit_refusal(
    state: &AppState,
    user: Option<&SessionUser>,
    what: &str,
    address: &str,
) {
    let actor = user.map_or("anonymous".to_string(), |u| u.username.clone());
    let entry = AuditEntry {
        actor_id: user.map(|u| u.id),
        object_id: Some(what.to_string()),
        address: Some(address.to_string()),
        ..AuditEntry::new(
            timestamp(state.clock.now()),
            &actor,
            "access.refused",
            "route",
        )
    };
    append_refusal(state, &entry).await;
}

/// Repeated refusals from one source within this window are one audit entry with a count.
pub const REFUSAL_WINDOW_MINUTES: i64 = 15;

async fn append_refusal(state: &AppState, entry: &AuditEntry) {
    let since = timestamp(state.clock.now() - Duration::minutes(REFUSAL_WINDOW_MINUTES));
    if let Err(e) = state.db.audit.append_refusal(entry, &since).await {
        tracing::error!("audit: {e}");
    }
}

/// A refused sign-in, counted into the source's entry.
async fn refusal(state: &AppState, at: DateTime<Utc>, name: &str, action: &str, address: &str) {
    append_refusal(state, &audit(at, None, name, action, address)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies() {
        assert_eq!(token_from_cookies("lang=en; session=abc"), Some("abc"));
        assert_eq!(token_from_cookies("session="), None);
        assert_eq!(token_from_cookies("lang=en"), None);
        let c = session_cookie("abc", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && !c.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        assert!(clearing_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = Utc::now();
        let b = a + Duration::milliseconds(1500);
        assert!(timestamp(a) < timestamp(b));
        assert!(timestamp(a).ends_with('Z'));
    }
}

/// The scheduled clean-up: sessions that can no longer be used (expired, or idle too long) and
/// sign-in attempts older than any limit looks back (`KNOWN_ADDRESS_DAYS`). Returns how many of
/// each went.
pub async fn forget_the_dead(state: &AppState) -> Result<(u64, u64), crate::db::DbError> {
    let now = state.clock.now();
    let sessions = state
        .db
        .accounts
        .forget_dead_sessions(
            &timestamp(now),
            &timestamp(now - Duration::minutes(IDLE_MINUTES)),
        )
        .await?;
    let attempts = state
        .db
        .accounts
        .forget_login_attempts_before(&timestamp(now - Duration::days(KNOWN_ADDRESS_DAYS)))
        .await?;
    Ok((sessions, attempts))
}
