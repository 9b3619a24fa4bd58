//! The public's part in the notices (公示): the open notices, one nominee on notice, objections
//! under the objector's real name (limited per address), and the notice managers' findings.

use serde_json::json;

use crate::auth::session::{timestamp, SessionUser};
use crate::clock::beijing_today;
use crate::db::{AuditEntry, NominationRow, ObjectionRow, Resolution};
use crate::domain::objection::{self, Outcome};
use crate::domain::packet::{self, FieldErrors, FormFields};
use crate::domain::procedure::{Role, Stage};
use crate::nominations::model::PublicNominee;
use crate::nominations::service::*;
use crate::state::AppState;

/// The public's objection during a running notice.
#[tracing::instrument(name = "objection.file", skip_all, fields(nomination = id))]
pub async fn file_objection(
    state: &AppState,
    id: i64,
    fields: &FormFields,
    address: &str,
) -> Result<i64> {
    let row = nomination_or_missing(state, id).await?;
    let stage = row.stage;
    if !stage.is_notice() || notice_over(&row, beijing_today(state.clock.now())) {
        return Err(ServiceError::Refused(
            "该公示已结束或尚未开始，不能再提出异议 / this notice is not open".into(),
        ));
    }
    let objection = objection::parse(fields).map_err(ServiceError::Invalid)?;
    let now = state.clock.now();
    let limit = crate::db::Window {
        since: timestamp(now - chrono::Duration::hours(1)),
        max: objection::MAX_PER_ADDRESS_PER_HOUR,
    };
    let row = ObjectionRow {
        id: 0,
        nomination_id: id,
        stage,
        filed_at: timestamp(now),
        name: objection.name.clone(),
        contact: objection.contact,
        body: objection.body,
        address: address.to_string(),
        resolution: None,
    };
    // The nomination's history (which its unit reads) says an objection came, not from whom;
    // the objection record keeps the name and contact for the notice managers.
    let entry = AuditEntry {
        object_id: Some(id.to_string()),
        after_json: Some(json!({ "objection": "filed", "stage": stage.code() }).to_string()),
        address: Some(address.to_string()),
        ..AuditEntry::new(
            timestamp(now),
            "公众 / public",
            "objection.file",
            "nomination",
        )
    };
    state
        .db
        .objections
        .file_objection(&row, &entry, &limit)
        .await?
        .ok_or(ServiceError::RateLimited)
}

/// A notice manager's finding on an objection.
#[tracing::instrument(name = "objection.resolve", skip_all, fields(user = %user.username, objection = objection_id))]
pub async fn resolve_objection(
    state: &AppState,
    user: &SessionUser,
    objection_id: i64,
    fields: &FormFields,
    address: &str,
) -> Result<i64> {
    if user.role != Role::NoticeManager {
        return Err(refuse(
            state,
            user,
            &format!("resolve objection {objection_id}"),
            address,
        )
        .await);
    }
    let objection = state
        .db
        .objections
        .objection(objection_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if objection.resolution.is_some() {
        return Err(ServiceError::Refused(
            "此异议已处理 / already resolved".into(),
        ));
    }
    let finding = packet::clean_text(fields.get("finding").map(String::as_str).unwrap_or(""));
    let outcome = Outcome::parse(fields.get("outcome").map(String::as_str).unwrap_or(""));
    let mut errors = FieldErrors::new();
    let n = finding.chars().count();
    if !(5..=2000).contains(&n) {
        errors.insert(
            "finding".into(),
            "请写明核查情况（5 至 2000 字）/ the finding, 5–2,000 characters".into(),
        );
    }
    if outcome.is_none() {
        errors.insert(
            "outcome".into(),
            "请选择处理结果 / choose the outcome".into(),
        );
    }
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = timestamp(state.clock.now());
    let resolution = Resolution {
        resolved_at: now,
        resolved_by: user.id,
        resolver_name: user.display_name.clone(),
        finding: finding.clone(),
        outcome,
    };
    let entry = AuditEntry {
        before_json: Some(json!({ "objection": objection_id, "resolved": false }).to_string()),
        after_json: Some(json!({ "objection": objection_id, "resolved": true, "outcome": outcome.code(), "finding": finding }).to_string()),
        ..audit(state, user, "objection.resolve", objection.nomination_id, address)
    };
    if !state
        .db
        .objections
        .resolve_objection(objection_id, &resolution, &entry)
        .await?
    {
        return Err(ServiceError::Refused(
            "此异议已处理 / already resolved".into(),
        ));
    }
    Ok(objection.nomination_id)
}

/// Nominees whose notice is open today: what `/notices` lists.
pub async fn public_notices(state: &AppState) -> Result<Vec<PublicNominee>> {
    let today = beijing_today(state.clock.now());
    let mut out = Vec::new();
    for n in state.db.nominations.nominations().await? {
        let stage = n.stage;
        if !stage.is_notice() || notice_over(&n, today) {
            continue;
        }
        out.push(public_nominee(&n, stage));
    }
    Ok(out)
}

fn public_nominee(n: &NominationRow, stage: Stage) -> PublicNominee {
    PublicNominee {
        id: n.id,
        candidate_name: n.packet.candidate_name.clone(),
        work_unit: n.packet.work_unit.clone().unwrap_or_default(),
        unit_name: n.unit_name.clone(),
        category_name: category_name(&n.packet.category),
        year: n.packet.year,
        deeds_short: n.packet.deeds_short.clone(),
        stage: Some(stage),
        period: format!(
            "{} 至 {}",
            n.notice_start.clone().unwrap_or_default(),
            n.notice_end.clone().unwrap_or_default()
        ),
    }
}

/// One nominee on public notice, or NotFound when its notice is not open.
pub async fn public_notice(state: &AppState, id: i64) -> Result<PublicNominee> {
    let n = nomination_or_missing(state, id).await?;
    let stage = n.stage;
    if !stage.is_notice() || notice_over(&n, beijing_today(state.clock.now())) {
        return Err(ServiceError::NotFound);
    }
    Ok(public_nominee(&n, stage))
}
