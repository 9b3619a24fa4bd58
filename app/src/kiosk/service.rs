//! Kiosk use cases: registering one (its heartbeat secret returned once), taking a heartbeat
//! (authenticated by that secret), and the fleet as administrators see it.

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::auth::session::{timestamp, SessionUser};
use crate::db::{AuditEntry, HeartbeatRow, KioskRow, Stores};
use crate::domain::kiosk::{self, Heartbeat, KioskError, KioskId, Placement};
use crate::domain::procedure::Role;
use crate::kiosk::model::KioskStatus;
use crate::nominations::service::{Result, ServiceError};
use crate::state::AppState;

/// A kiosk to register, as an operator gives it.
pub struct Registration<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub monument: &'a str,
    pub placement: Option<(f64, f64, i64)>,
    pub idle_seconds: u32,
}

/// Why a kiosk was not registered.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    #[error("{0}")]
    Invalid(#[from] KioskError),
    #[error("no monument {0:?}: it must be one of {1}")]
    UnknownMonument(String, String),
    #[error("a kiosk {0:?} is registered already")]
    Taken(String),
    #[error("the database: {0}")]
    Database(#[from] crate::db::DbError),
}

fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Registers a kiosk (from the command line: `actor` names who ran it). Returns the heartbeat
/// secret, to be shown once: only its hash is stored.
pub async fn register(
    db: &Stores,
    r: &Registration<'_>,
    now: chrono::DateTime<chrono::Utc>,
    actor: &str,
) -> std::result::Result<String, RegistrationError> {
    let id = KioskId::parse(r.id)?;
    let name = kiosk::parse_name(r.name)?;
    let idle = kiosk::parse_idle_seconds(r.idle_seconds)?;
    let placement = r
        .placement
        .map(|(x, y, facing)| Placement::parse(x, y, facing))
        .transpose()?;
    let sections = db.catalogue.load().await?.sections;
    if !sections.iter().any(|s| s.code == r.monument) {
        let known: Vec<_> = sections.iter().map(|s| s.code.as_str()).collect();
        return Err(RegistrationError::UnknownMonument(
            r.monument.to_string(),
            known.join(", "),
        ));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let at = timestamp(now);
    let row = KioskRow {
        id: id.as_str().to_string(),
        name,
        monument: r.monument.to_string(),
        x: placement.map(|p| p.x),
        y: placement.map(|p| p.y),
        facing: placement.map(|p| p.facing as i32),
        idle_seconds: idle as i32,
        secret_hash: secret_hash(&secret),
        created_at: at.clone(),
        last_seen_at: None,
        data_version: None,
        page_version: None,
        offline_since: None,
        last_error: None,
    };
    let audit = AuditEntry {
        object_id: Some(row.id.clone()),
        after_json: Some(
            serde_json::json!({"name": row.name, "monument": row.monument, "idle_seconds": row.idle_seconds})
                .to_string(),
        ),
        ..AuditEntry::new(at, actor, "kiosk.register", "kiosk")
    };
    if !db.kiosks.add_kiosk(&row, &audit).await? {
        return Err(RegistrationError::Taken(row.id));
    }
    Ok(secret)
}

/// Why a heartbeat was not taken.
#[derive(Debug, thiserror::Error)]
pub enum HeartbeatError {
    /// No such kiosk, or not its secret: the same answer for both, so ids cannot be probed.
    #[error("unknown kiosk or wrong secret")]
    Unauthorized,
    #[error("{0}")]
    Invalid(#[from] KioskError),
    #[error("the body is not a heartbeat report (JSON with data_version and page_version)")]
    Unreadable,
    #[error("the service is unavailable")]
    Unavailable,
}

impl From<crate::db::DbError> for HeartbeatError {
    fn from(e: crate::db::DbError) -> Self {
        tracing::error!("kiosk heartbeat: {e}");
        HeartbeatError::Unavailable
    }
}

/// What a kiosk posts every 30–60 s.
#[derive(Debug, serde::Deserialize)]
pub struct HeartbeatReport {
    pub data_version: String,
    pub page_version: String,
    #[serde(default)]
    pub offline_since: Option<String>,
    #[serde(default)]
    pub last_error: Option<String>,
}

impl HeartbeatReport {
    /// A report that says nothing (to check a secret when the body was unreadable).
    pub fn empty() -> Self {
        HeartbeatReport {
            data_version: String::new(),
            page_version: String::new(),
            offline_since: None,
            last_error: None,
        }
    }
}

/// Takes a kiosk's heartbeat if `secret` is the one issued to it.
pub async fn heartbeat(
    state: &AppState,
    id: &str,
    secret: &str,
    report: &HeartbeatReport,
) -> std::result::Result<(), HeartbeatError> {
    let Ok(id) = KioskId::parse(id) else {
        return Err(HeartbeatError::Unauthorized);
    };
    let Some(kiosk) = state.db.kiosks.kiosk(id.as_str()).await? else {
        return Err(HeartbeatError::Unauthorized);
    };
    // Hashes of equal length compared in full: the time taken says nothing of how much matched.
    let given = secret_hash(secret);
    let same = given.len() == kiosk.secret_hash.len()
        && given
            .bytes()
            .zip(kiosk.secret_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(HeartbeatError::Unauthorized);
    }
    let beat = Heartbeat::parse(
        &report.data_version,
        &report.page_version,
        report.offline_since.as_deref(),
        report.last_error.as_deref(),
    )?;
    let row = HeartbeatRow {
        at: timestamp(state.clock.now()),
        data_version: beat.data_version,
        page_version: beat.page_version,
        offline_since: beat.offline_since,
        last_error: beat.last_error,
    };
    state.db.kiosks.record_heartbeat(id.as_str(), &row).await?;
    Ok(())
}

/// Every kiosk as the fleet page shows it (administrators only).
pub async fn fleet(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<Vec<KioskStatus>> {
    if user.role != Role::Administrator {
        crate::auth::session::audit_refusal(state, Some(user), "kiosk fleet", address).await;
        return Err(ServiceError::Forbidden);
    }
    let now = state.clock.now();
    let current = state.catalog().version.clone();
    Ok(state
        .db
        .kiosks
        .kiosks()
        .await?
        .into_iter()
        .map(|k| {
            let silent_for = k
                .last_seen_at
                .as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| (now - t.with_timezone(&chrono::Utc)).num_seconds().max(0));
            KioskStatus {
                health: kiosk::health(silent_for),
                silent_for,
                data_current: k.data_version.as_ref().map(|v| *v == current),
                id: k.id,
                name: k.name,
                monument: k.monument,
                last_seen_at: k.last_seen_at,
                data_version: k.data_version,
                page_version: k.page_version,
                offline_since: k.offline_since,
                last_error: k.last_error,
            }
        })
        .collect())
}
