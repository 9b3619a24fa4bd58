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
    /// What visitors looked for since the last beat: [query, searched, found].
    #[serde(default)]
    pub searches: Vec<(String, u32, u32)>,
}

impl HeartbeatReport {
    /// A report that says nothing (to check a secret when the body was unreadable).
    pub fn empty() -> Self {
        HeartbeatReport {
            data_version: String::new(),
            page_version: String::new(),
            offline_since: None,
            last_error: None,
            searches: Vec::new(),
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
    let searches = crate::domain::kiosk::SearchCount::parse_all(&report.searches)?;
    let row = HeartbeatRow {
        at: timestamp(state.clock.now()),
        data_version: beat.data_version,
        page_version: beat.page_version,
        offline_since: beat.offline_since,
        last_error: beat.last_error,
    };
    state.db.kiosks.record_heartbeat(id.as_str(), &row).await?;
    if !searches.is_empty() {
        let day = crate::clock::beijing_today(state.clock.now()).to_string();
        let rows: Vec<crate::db::SearchCountRow> = searches
            .into_iter()
            .map(|c| crate::db::SearchCountRow {
                query: c.query,
                searched: c.searched.into(),
                found: c.found.into(),
            })
            .collect();
        state
            .db
            .kiosks
            .add_search_counts(&day, &rows, crate::domain::kiosk::MAX_QUERIES_PER_DAY)
            .await?;
    }
    Ok(())
}

/// What visitors looked for at the kiosks in the last 30 days: the most searched, and those
/// that most often found nobody (administrators only).
pub async fn searches(
    state: &AppState,
    user: &SessionUser,
    address: &str,
) -> Result<crate::kiosk::model::KioskSearches> {
    if user.role != Role::Administrator {
        crate::auth::session::audit_refusal(state, Some(user), "kiosk searches", address).await;
        return Err(ServiceError::Forbidden);
    }
    let since =
        (crate::clock::beijing_today(state.clock.now()) - chrono::Duration::days(29)).to_string();
    let read = |rows: Vec<crate::db::SearchCountRow>| {
        rows.into_iter()
            .map(|r| (r.query, r.searched, r.found))
            .collect()
    };
    Ok(crate::kiosk::model::KioskSearches {
        most: read(state.db.kiosks.top_searches(&since, false, 20).await?),
        not_found: read(state.db.kiosks.top_searches(&since, true, 20).await?),
    })
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

/// Why a plan was not set.
#[derive(Debug, thiserror::Error)]
pub enum PlanSetError {
    #[error("{0}")]
    Invalid(#[from] crate::domain::plaza::PlanError),
    #[error("no monument {0:?}: it must be one of {1}")]
    UnknownMonument(String, String),
    #[error("the plan file is over {0} bytes")]
    TooLarge(usize),
    #[error("the database: {0}")]
    Database(#[from] crate::db::DbError),
}

/// The largest plan file taken (a plan travels in every kiosk's snapshot).
pub const MAX_PLAN_BYTES: usize = 512 * 1024;

async fn known_monuments(
    db: &Stores,
    monument: &str,
) -> std::result::Result<crate::db::SectionRow, PlanSetError> {
    let sections = db.catalogue.load().await?.sections;
    let known: Vec<String> = sections.iter().map(|s| s.code.clone()).collect();
    sections
        .into_iter()
        .find(|s| s.code == monument)
        .ok_or_else(|| PlanSetError::UnknownMonument(monument.to_string(), known.join(", ")))
}

/// Sets a monument's grounds plan (checked first), with an audit entry; the kiosks' maps show it
/// once the servers rebuild their catalogue (the data version changes with it).
pub async fn set_plan(
    db: &Stores,
    monument: &str,
    json: &str,
    now: chrono::DateTime<chrono::Utc>,
    actor: &str,
) -> std::result::Result<crate::domain::plaza::PlazaPlan, PlanSetError> {
    if json.len() > MAX_PLAN_BYTES {
        return Err(PlanSetError::TooLarge(MAX_PLAN_BYTES));
    }
    let plan = crate::domain::plaza::PlazaPlan::parse(json)?;
    known_monuments(db, monument).await?;
    let stored = serde_json::to_string(&plan).expect("a plan serialises");
    let audit = AuditEntry {
        object_id: Some(monument.to_string()),
        after_json: Some(
            serde_json::json!({"points": plan.points.len(), "segments": plan.segments.len(),
                "stones": plan.stones.len(), "landmarks": plan.landmarks.len()})
            .to_string(),
        ),
        ..AuditEntry::new(timestamp(now), actor, "plan.set", "wall_section")
    };
    if !db
        .catalogue
        .set_section_plan(monument, Some(&stored), &audit)
        .await?
    {
        return Err(PlanSetError::UnknownMonument(
            monument.to_string(),
            String::new(),
        ));
    }
    Ok(plan)
}

/// A schematic plan for a monument's stones as they stand now: where to start drawing the real one.
pub async fn example_plan(
    db: &Stores,
    monument: &str,
) -> std::result::Result<String, PlanSetError> {
    let section = known_monuments(db, monument).await?;
    let data = db.catalogue.load().await?;
    let plan = crate::import::plan::schematic_for(&data, &section);
    Ok(serde_json::to_string_pretty(&plan).expect("a plan serialises"))
}

/// A kiosk registered by an administrator through the admin UI (`POST /admin/kiosks`): the
/// form's fields checked, the refusal audited. Returns the id and the heartbeat secret, which the
/// answer to that post shows once.
pub async fn register_from_form(
    state: &AppState,
    user: &SessionUser,
    fields: &crate::domain::packet::FormFields,
    address: &str,
) -> Result<(String, String)> {
    if user.role != Role::Administrator {
        crate::auth::session::audit_refusal(state, Some(user), "kiosk register", address).await;
        return Err(ServiceError::Forbidden);
    }
    let get = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or("");
    let mut errors = crate::domain::packet::FieldErrors::new();
    let number = |k: &str, errors: &mut crate::domain::packet::FieldErrors| -> Option<f64> {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        let n = v.parse::<f64>().ok().filter(|n| n.is_finite());
        if n.is_none() {
            errors.insert(k.into(), "请填写数字 / a number, please".into());
        }
        n
    };
    let (x, y) = (number("x", &mut errors), number("y", &mut errors));
    // Whole degrees: "-0.9" is not quietly 0.
    let facing = match get("facing") {
        "" => None,
        v => {
            let f = v.parse::<i64>().ok();
            if f.is_none() {
                errors.insert("facing".into(), KioskError::Position.to_string());
            }
            f.map(|f| f as f64)
        }
    };
    let placement = match (x, y, facing) {
        (Some(x), Some(y), Some(f)) => Some((x, y, f as i64)),
        (None, None, None) => None,
        _ => {
            errors.insert(
                "x".into(),
                "位置要同时填写 x、y 和朝向 / give x, y and facing together".into(),
            );
            None
        }
    };
    let idle = match get("idle_seconds") {
        "" => Some(kiosk::DEFAULT_IDLE_SECONDS),
        v => v.parse::<u32>().ok(),
    };
    if idle.is_none() {
        errors.insert("idle_seconds".into(), KioskError::IdleSeconds.to_string());
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let registration = Registration {
        id: get("id"),
        name: get("name"),
        monument: get("monument"),
        placement,
        idle_seconds: idle.unwrap_or(kiosk::DEFAULT_IDLE_SECONDS),
    };
    let actor = format!("{} (admin UI)", user.username);
    match register(&state.db, &registration, state.clock.now(), &actor).await {
        Ok(secret) => Ok((registration.id.to_string(), secret)),
        Err(RegistrationError::Database(e)) => Err(e.into()),
        Err(e) => {
            let field = match &e {
                RegistrationError::Invalid(KioskError::Id) | RegistrationError::Taken(_) => "id",
                RegistrationError::Invalid(KioskError::Name) => "name",
                RegistrationError::Invalid(KioskError::IdleSeconds) => "idle_seconds",
                RegistrationError::UnknownMonument(..) => "monument",
                _ => "x",
            };
            errors.insert(field.into(), e.to_string());
            Err(ServiceError::Invalid(errors))
        }
    }
}
