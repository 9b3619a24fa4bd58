//! The nomination use cases: who may do what to which nomination, checked on the server for every
//! call, then the domain (packet, workflow, calendar, quotas) applied and the result stored with
//! its audit entry in one transaction. Form handlers and server functions are thin layers over
//! these functions.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::json;

use super::model::*;
use crate::auth::session::{timestamp, SessionUser};
use crate::clock::beijing_today;
use crate::db::{
    AuditEntry, CheckDecision, DbError, NominationChange, NominationRow, ObjectionRow,
    OrganisationRow, PersonRow, Resolution,
};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::honours::{honour_category, HONOUR_CATEGORIES};
use crate::domain::packet::{self, FieldErrors, FormFields, Packet};
use crate::domain::procedure::{self as workflow, Action, Guards, Role, Stage, TransitionError};
use crate::domain::quotas::{self, Candidate};
use crate::domain::review;
use crate::domain::{notice_periods as periods, objection};
use crate::state::AppState;

/// Why a use case did not happen. Each maps to a clear message; `Unavailable` is logged and its
/// detail never leaves the server.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("您没有权限进行此操作 / you may not do this")]
    Forbidden,
    #[error("没有这条记录 / not found")]
    NotFound,
    #[error("请修改标出的内容 / please correct the fields marked")]
    Invalid(FieldErrors),
    #[error("此提名已被他人修改，您的修改未保存；请查看最新内容后再试 / someone else changed this nomination first: your change was not saved")]
    Conflict,
    #[error("{0}")]
    Refused(String),
    #[error("提交过于频繁，请稍后再试 / too many submissions, try again later")]
    RateLimited,
    #[error("服务暂时不可用 / the service is unavailable")]
    Unavailable,
}

impl From<DbError> for ServiceError {
    fn from(e: DbError) -> Self {
        tracing::error!("nominations: {e}");
        ServiceError::Unavailable
    }
}

impl From<ServiceError> for crate::error::AppError {
    fn from(e: ServiceError) -> Self {
        use crate::error::AppError;
        match e {
            ServiceError::NotFound => AppError::NotFound(e.to_string()),
            ServiceError::Unavailable => AppError::Unavailable,
            ServiceError::Forbidden => AppError::Forbidden(e.to_string()),
            ServiceError::Conflict | ServiceError::Refused(_) => AppError::Conflict(e.to_string()),
            ServiceError::RateLimited => AppError::TooManyRequests(e.to_string()),
            ServiceError::Invalid(_) => AppError::BadRequest(e.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// The snake_case name serde gives a unit enum variant (the stored and posted form).
fn snake_code<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn stage_code(stage: Stage) -> String {
    snake_code(stage)
}

pub fn parse_stage(code: &str) -> Option<Stage> {
    Stage::ALL.into_iter().find(|s| stage_code(*s) == code)
}

pub fn action_code(action: Action) -> String {
    snake_code(action)
}

pub fn parse_action(code: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|a| action_code(*a) == code)
}

pub fn action_label(action: Action) -> &'static str {
    match action {
        Action::Submit => "提交推荐",
        Action::OpenNotice => "开始基层公示",
        Action::CloseNotice => "结束公示",
        Action::Pass => "审核通过",
        Action::Approve => "批准",
        Action::Return => "退回修改",
        Action::Reject => "不予通过",
        Action::Withdraw => "撤回",
    }
}

fn stage_of(row: &NominationRow) -> Result<Stage> {
    parse_stage(&row.stage)
        .ok_or_else(|| DbError::Inconsistent(format!("stage {:?}", row.stage)).into())
}

/// Whether `user` may see this nomination: a unit sees its own; everyone else sees what has been
/// submitted (a draft is the unit's own business).
pub fn may_see(user: &SessionUser, row: &NominationRow) -> bool {
    match user.role {
        Role::NominatingUnit => user.unit_name.as_deref() == Some(row.unit_name.as_str()),
        _ => row.stage != stage_code(Stage::Draft),
    }
}

fn is_owner(user: &SessionUser, row: &NominationRow) -> bool {
    user.role == Role::NominatingUnit && user.unit_name.as_deref() == Some(row.unit_name.as_str())
}

async fn refuse(state: &AppState, user: &SessionUser, what: &str, address: &str) -> ServiceError {
    crate::auth::session::audit_refusal(state, Some(user), what, address).await;
    ServiceError::Forbidden
}

fn audit(state: &AppState, user: &SessionUser, action: &str, id: i64, address: &str) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user.id),
        object_id: Some(id.to_string()),
        address: Some(address.to_string()),
        ..AuditEntry::new(
            timestamp(state.clock.now()),
            &user.username,
            action,
            "nomination",
        )
    }
}

/// The packet fields that differ, as (before, after) JSON objects.
fn packet_diff(before: &Packet, after: &Packet) -> (String, String) {
    let b = before.to_fields();
    let a = after.to_fields();
    let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let mut bj = serde_json::Map::new();
    let mut aj = serde_json::Map::new();
    for k in keys {
        if b.get(k) != a.get(k) {
            bj.insert(k.clone(), json!(b.get(k).cloned().unwrap_or_default()));
            aj.insert(k.clone(), json!(a.get(k).cloned().unwrap_or_default()));
        }
    }
    (
        serde_json::Value::Object(bj).to_string(),
        serde_json::Value::Object(aj).to_string(),
    )
}

fn this_year(state: &AppState) -> i32 {
    use chrono::Datelike;
    beijing_today(state.clock.now()).year()
}

async fn load(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    address: &str,
) -> Result<NominationRow> {
    let row = state
        .db
        .nomination(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_see(user, &row) {
        // Someone else's nomination is reported as missing, but the attempt is audited.
        crate::auth::session::audit_refusal(
            state,
            Some(user),
            &format!("nomination {id}"),
            address,
        )
        .await;
        return Err(ServiceError::NotFound);
    }
    Ok(row)
}

/// A new draft by a nominating unit.
pub async fn create(
    state: &AppState,
    user: &SessionUser,
    fields: &FormFields,
    address: &str,
) -> Result<i64> {
    let Some(unit) = user
        .unit_name
        .clone()
        .filter(|_| user.role == Role::NominatingUnit)
    else {
        return Err(refuse(state, user, "create nomination", address).await);
    };
    let packet = packet::parse(fields, this_year(state)).map_err(ServiceError::Invalid)?;
    let now = timestamp(state.clock.now());
    let row = NominationRow {
        unit_name: unit,
        created_by: user.id,
        packet: packet.clone(),
        stage: stage_code(Stage::Draft),
        version: 1,
        created_at: now.clone(),
        updated_at: now,
        ..NominationRow::default()
    };
    let entry = AuditEntry {
        after_json: Some(json!(packet.to_fields()).to_string()),
        ..audit(state, user, "nomination.create", 0, address)
    };
    Ok(state.db.create_nomination(&row, &entry).await?)
}

/// Saves the unit's changes to its draft (or returned) nomination, if nobody saved since
/// `version` was read.
pub async fn update(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    version: i64,
    fields: &FormFields,
    address: &str,
) -> Result<()> {
    let row = load(state, user, id, address).await?;
    if !is_owner(user, &row) {
        return Err(refuse(state, user, &format!("edit nomination {id}"), address).await);
    }
    if !stage_of(&row)?.is_editable() {
        return Err(ServiceError::Refused(
            "只有草稿或退回的提名可以修改 / only drafts and returned nominations can be changed"
                .into(),
        ));
    }
    if row.version != version {
        return Err(ServiceError::Conflict);
    }
    let packet = packet::parse(fields, this_year(state)).map_err(ServiceError::Invalid)?;
    let (before, after) = packet_diff(&row.packet, &packet);
    let changed = NominationRow {
        packet,
        updated_at: timestamp(state.clock.now()),
        ..row
    };
    let change = NominationChange {
        audit: AuditEntry {
            before_json: Some(before),
            after_json: Some(after),
            ..audit(state, user, "nomination.edit", id, address)
        },
        open_checks: Vec::new(),
        approval: None,
    };
    if state.db.save_nomination(&changed, &change).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict)
    }
}

/// Notice lengths and the holiday calendar, as configured.
pub struct NoticeConfig {
    pub settings: BTreeMap<String, String>,
    pub calendar: HolidayCalendar,
}

pub async fn notice_config(state: &AppState) -> Result<NoticeConfig> {
    let settings = state.db.settings().await?;
    let calendar = match settings.get(periods::HOLIDAYS_KEY) {
        Some(text) => HolidayCalendar::parse(text).unwrap_or_else(|e| {
            // Saved calendars are validated; a broken one is logged and treated as empty.
            tracing::error!("stored holiday calendar: {e}");
            HolidayCalendar::default()
        }),
        None => HolidayCalendar::default(),
    };
    Ok(NoticeConfig { settings, calendar })
}

fn notice_over(row: &NominationRow, today: NaiveDate) -> bool {
    // The end date was fixed when the notice opened; it ends after that day.
    row.notice_end
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|end| today > end)
}

async fn guards(state: &AppState, row: &NominationRow, stage: Stage) -> Result<Guards> {
    let objections = state.db.objections(row.id).await?;
    let checks = state.db.checks(row.id).await?;
    Ok(guards_from(
        row,
        stage,
        &objections,
        &checks,
        beijing_today(state.clock.now()),
    ))
}

/// The guards of a nomination from its objections and departmental checks.
fn guards_from(
    row: &NominationRow,
    stage: Stage,
    objections: &[ObjectionRow],
    checks: &[crate::db::CheckRow],
    today: NaiveDate,
) -> Guards {
    Guards {
        packet_complete: row.packet.is_complete(),
        notice_period_over: notice_over(row, today),
        unresolved_objections: objections.iter().filter(|o| o.resolution.is_none()).count() as u32,
        open_checks: if stage == Stage::SecondReview {
            checks.iter().filter(|c| c.verdict.is_none()).count() as u32
        } else {
            0
        },
        failed_checks: if stage == Stage::SecondReview {
            checks
                .iter()
                .filter(|c| c.verdict.as_deref() == Some("fail"))
                .count() as u32
        } else {
            0
        },
    }
}

/// Messages for what blocks a transition, in Chinese with English.
pub fn explain(e: &TransitionError) -> String {
    match e {
        TransitionError::NotAllowedHere { stage, action } => format!(
            "当前阶段（{}）不能“{}” / not possible at this stage",
            stage.name_zh(),
            action_label(*action)
        ),
        TransitionError::WrongRole { needed, .. } => {
            format!("此操作须由{}进行 / needs the role {needed:?}", needed.name_zh())
        }
        TransitionError::PacketIncomplete => {
            "推荐报告、简要事迹和详细事迹都须填写后才能提交 / the report and both deeds texts are required".into()
        }
        TransitionError::NoticeRunning => "公示期尚未结束 / the notice period has not ended".into(),
        TransitionError::UnresolvedObjections(n) => {
            format!("还有 {n} 件异议未处理 / {n} objection(s) unresolved")
        }
        TransitionError::ChecksOpen(n) => {
            format!("还有 {n} 项部门意见未给出 / {n} departmental check(s) open")
        }
        TransitionError::ChecksFailed(n) => {
            format!("{n} 项部门意见为不通过 / {n} departmental check(s) failed")
        }
    }
}

/// What quota decisions on one nomination are measured against: its honour and year's rules and
/// the round (that honour and year's candidates who passed the first review), loaded once.
#[derive(Default)]
struct QuotaRound {
    rules: Vec<quotas::QuotaRule>,
    round: Vec<(i64, Candidate)>,
}

async fn quota_round(state: &AppState, row: &NominationRow) -> Result<QuotaRound> {
    if row.packet.candidate_kind != "person" {
        return Ok(QuotaRound::default());
    }
    let rules: Vec<_> = state
        .db
        .quota_rules()
        .await?
        .into_iter()
        .filter(|r| r.category == row.packet.category && r.year == row.packet.year)
        .map(|r| r.rule)
        .collect();
    if rules.is_empty() {
        return Ok(QuotaRound::default());
    }
    let round = state
        .db
        .nominations()
        .await?
        .into_iter()
        .filter(|n| {
            n.packet.category == row.packet.category
                && n.packet.year == row.packet.year
                && n.packet.candidate_kind == "person"
                && matches!(
                    parse_stage(&n.stage),
                    Some(
                        Stage::CityNotice
                            | Stage::SecondReview
                            | Stage::PublicNotice
                            | Stage::Approved
                    )
                )
        })
        .map(|n| (n.id, candidate(&n)))
        .collect();
    Ok(QuotaRound { rules, round })
}

fn candidate(n: &NominationRow) -> Candidate {
    Candidate {
        frontline: n.packet.frontline,
        scitech: n.packet.scitech,
        manager: n.packet.manager,
        female: n.packet.sex.as_deref() == Some("F"),
    }
}

fn quota_message(s: &quotas::QuotaStatus) -> String {
    format!(
        "{}占比将为 {:.1}%（{}/{}），要求 {} / {} share would be {:.1}%",
        review::attribute_name_zh(s.rule.attribute),
        s.share,
        s.count,
        s.total,
        review::bound_text(s.rule.bound),
        review::attribute_code(s.rule.attribute),
        s.share
    )
}

/// Quotas `action` would break for this nomination.
fn quota_warnings(
    q: &QuotaRound,
    row: &NominationRow,
    stage: Stage,
    action: Action,
) -> Vec<String> {
    if q.rules.is_empty() {
        return Vec::new();
    }
    let others: Vec<Candidate> = q
        .round
        .iter()
        .filter(|(id, _)| *id != row.id)
        .map(|(_, c)| *c)
        .collect();
    let me = candidate(row);
    let in_round = matches!(
        stage,
        Stage::CityNotice | Stage::SecondReview | Stage::PublicNotice
    );
    let broken = match (action, in_round) {
        // Passing the first review brings the candidate into the round.
        (Action::Pass, false) if stage == Stage::FirstReview => {
            quotas::newly_broken(&q.rules, &others, me, true)
        }
        // Removing a candidate already in the round.
        (Action::Reject | Action::Return | Action::Withdraw, true) => {
            let mut with_me = others;
            with_me.push(me);
            quotas::newly_broken(&q.rules, &with_me, me, false)
        }
        _ => Vec::new(),
    };
    broken.iter().map(quota_message).collect()
}

/// Takes a step of the procedure. `note` is the reason for returning or rejecting;
/// `confirm_quota` is the reviewer's confirmation after a quota warning.
#[allow(clippy::too_many_arguments)]
pub async fn act(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    version: i64,
    action: Action,
    note: &str,
    confirm_quota: bool,
    address: &str,
) -> Result<Stage> {
    let row = load(state, user, id, address).await?;
    if action.role() != user.role || (user.role == Role::NominatingUnit && !is_owner(user, &row)) {
        return Err(refuse(
            state,
            user,
            &format!("{} nomination {id}", action_code(action)),
            address,
        )
        .await);
    }
    if row.version != version {
        return Err(ServiceError::Conflict);
    }
    let stage = stage_of(&row)?;
    let g = guards(state, &row, stage).await?;
    let next = workflow::transition(stage, action, user.role, g)
        .map_err(|e| ServiceError::Refused(explain(&e)))?;
    let note = packet::clean_text(note);
    if matches!(action, Action::Return | Action::Reject) && note.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("note".into(), "请写明理由 / give the reasons".into());
        return Err(ServiceError::Invalid(errors));
    }
    if note.chars().count() > 1000 {
        let mut errors = FieldErrors::new();
        errors.insert(
            "note".into(),
            "理由不超过 1000 字 / at most 1,000 characters".into(),
        );
        return Err(ServiceError::Invalid(errors));
    }
    let warnings = quota_warnings(&quota_round(state, &row).await?, &row, stage, action);
    if !warnings.is_empty() && !confirm_quota {
        return Err(ServiceError::Refused(format!(
            "此决定将突破名额比例：{}。如确认，请勾选确认后再提交 / this decision would break a quota: confirm to proceed",
            warnings.join("；")
        )));
    }

    let now = state.clock.now();
    let mut changed = NominationRow {
        stage: stage_code(next),
        updated_at: timestamp(now),
        ..row.clone()
    };
    if matches!(action, Action::Return | Action::Reject) {
        changed.decision_note = Some(note.clone());
    }
    if next.is_notice() {
        let config = notice_config(state).await?;
        let start = beijing_today(now);
        let end = config
            .calendar
            .notice_end(start, periods::days_for(&config.settings, next));
        changed.notice_start = Some(start.to_string());
        changed.notice_end = Some(end.to_string());
    }
    let open_checks = if next == Stage::SecondReview {
        review::departments_for(row.packet.manager)
            .into_iter()
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    };
    let approval = (next == Stage::Approved).then(|| approval_plan(&row));
    let mut after = json!({ "stage": stage_code(next) });
    if !note.is_empty() {
        after["note"] = json!(note);
    }
    if let Some(end) = changed.notice_end.as_ref().filter(|_| next.is_notice()) {
        after["notice"] = json!(format!(
            "{} – {}",
            changed.notice_start.clone().unwrap_or_default(),
            end
        ));
    }
    if !warnings.is_empty() {
        after["quota_warnings_confirmed"] = json!(warnings);
    }
    let change = NominationChange {
        audit: AuditEntry {
            before_json: Some(json!({ "stage": stage_code(stage) }).to_string()),
            after_json: Some(after.to_string()),
            ..audit(
                state,
                user,
                &format!("nomination.{}", action_code(action)),
                id,
                address,
            )
        },
        open_checks,
        approval,
    };
    if !state.db.save_nomination(&changed, &change).await? {
        return Err(ServiceError::Conflict);
    }
    if next == Stage::Approved {
        // The new records belong to an unpublished batch unless the batch is already public.
        if let Err(e) = state.reload().await {
            tracing::error!("catalogue reload after approval: {e}");
        }
    }
    Ok(next)
}

/// The laureate an approval creates: the person (or organisation), to get the honour in the batch
/// of its level and year (a new batch is created unpublished) and, for engraved honours, a wall
/// slot after the names already engraved. The store plans the records inside its transaction.
fn approval_plan(row: &NominationRow) -> crate::db::ApprovalPlan {
    let p = &row.packet;
    let mut people = Vec::new();
    let mut organisations = Vec::new();
    if p.candidate_kind == "person" {
        let surname: String = p
            .candidate_name
            .chars()
            .take(crate::search::pinyin::surname_len(&p.candidate_name))
            .collect();
        let person = PersonRow {
            name_engraved: p.candidate_name.clone(),
            name_correct: p.candidate_name.clone(),
            surname,
            sex: p.sex.clone(),
            ethnicity: p.ethnicity.clone(),
            birth_year: p.birth_year,
            work_unit: p.work_unit.clone(),
            post: p.post.clone(),
            industry: p.industry.clone(),
            district: p.district.clone(),
            frontline: p.frontline,
            scitech: p.scitech,
            manager: p.manager,
            deeds_short: Some(p.deeds_short.clone()).filter(|d| !d.is_empty()),
            deeds_full: Some(p.deeds_full.clone()).filter(|d| !d.is_empty()),
            ..PersonRow::default()
        };
        people.push((person, p.category.clone(), p.year));
    } else {
        let organisation = OrganisationRow {
            id: 0,
            name: p.candidate_name.clone(),
            kind: if p.candidate_kind == "team" {
                "team"
            } else {
                "organisation"
            }
            .into(),
            parent_name: p.work_unit.clone(),
            industry: p.industry.clone(),
            district: p.district.clone(),
            deeds_short: Some(p.deeds_short.clone()).filter(|d| !d.is_empty()),
            demo: false,
        };
        organisations.push((organisation, p.category.clone(), p.year));
    }
    crate::db::ApprovalPlan {
        people,
        organisations,
        plan: crate::import::csv::plan_additions,
    }
}

/// The public's objection during a running notice.
pub async fn file_objection(
    state: &AppState,
    id: i64,
    fields: &FormFields,
    address: &str,
) -> Result<i64> {
    let row = state
        .db
        .nomination(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let stage = stage_of(&row)?;
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
        stage: stage_code(stage),
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
        after_json: Some(json!({ "objection": "filed", "stage": stage_code(stage) }).to_string()),
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
        .file_objection(&row, &entry, &limit)
        .await?
        .ok_or(ServiceError::RateLimited)
}

/// A notice manager's finding on an objection.
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
        .objection(objection_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if objection.resolution.is_some() {
        return Err(ServiceError::Refused(
            "此异议已处理 / already resolved".into(),
        ));
    }
    let finding = packet::clean_text(fields.get("finding").map(String::as_str).unwrap_or(""));
    let outcome = fields.get("outcome").map(String::as_str).unwrap_or("");
    let mut errors = FieldErrors::new();
    let n = finding.chars().count();
    if !(5..=2000).contains(&n) {
        errors.insert(
            "finding".into(),
            "请写明核查情况（5 至 2000 字）/ the finding, 5–2,000 characters".into(),
        );
    }
    if !matches!(outcome, "upheld" | "dismissed") {
        errors.insert(
            "outcome".into(),
            "请选择处理结果 / choose the outcome".into(),
        );
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = timestamp(state.clock.now());
    let resolution = Resolution {
        resolved_at: now,
        resolved_by: user.id,
        resolver_name: user.display_name.clone(),
        finding: finding.clone(),
        outcome: outcome.to_string(),
    };
    let entry = AuditEntry {
        before_json: Some(json!({ "objection": objection_id, "resolved": false }).to_string()),
        after_json: Some(json!({ "objection": objection_id, "resolved": true, "outcome": outcome, "finding": finding }).to_string()),
        ..audit(state, user, "objection.resolve", objection.nomination_id, address)
    };
    if !state
        .db
        .resolve_objection(objection_id, &resolution, &entry)
        .await?
    {
        return Err(ServiceError::Refused(
            "此异议已处理 / already resolved".into(),
        ));
    }
    Ok(objection.nomination_id)
}

/// A reviewer records a department's verdict during the second review.
pub async fn decide_check(
    state: &AppState,
    user: &SessionUser,
    check_id: i64,
    nomination_id: i64,
    fields: &FormFields,
    address: &str,
) -> Result<()> {
    if user.role != Role::Reviewer {
        return Err(refuse(state, user, &format!("check {check_id}"), address).await);
    }
    let row = load(state, user, nomination_id, address).await?;
    if stage_of(&row)? != Stage::SecondReview {
        return Err(ServiceError::Refused(
            "部门意见只在复审阶段填写 / only during the second review".into(),
        ));
    }
    let checks = state.db.checks(nomination_id).await?;
    let Some(check) = checks.iter().find(|c| c.id == check_id) else {
        return Err(ServiceError::NotFound);
    };
    let verdict = fields.get("verdict").map(String::as_str).unwrap_or("");
    let note = packet::clean_text(fields.get("note").map(String::as_str).unwrap_or(""));
    let mut errors = FieldErrors::new();
    if !matches!(verdict, "pass" | "fail") {
        errors.insert(
            "verdict".into(),
            "请选择通过或不通过 / choose pass or fail".into(),
        );
    }
    if note.chars().count() > 1000 || (verdict == "fail" && note.is_empty()) {
        errors.insert(
            "note".into(),
            "不通过须写明理由，不超过 1000 字 / a failed check needs reasons".into(),
        );
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let decision = CheckDecision {
        verdict: verdict.into(),
        note: note.clone(),
        decided_at: timestamp(state.clock.now()),
        decided_by: user.id,
        decider_name: user.display_name.clone(),
    };
    let entry = AuditEntry {
        before_json: Some(
            json!({ "department": check.department, "verdict": check.verdict }).to_string(),
        ),
        after_json: Some(
            json!({ "department": check.department, "verdict": verdict, "note": note }).to_string(),
        ),
        ..audit(state, user, "check.decide", nomination_id, address)
    };
    state.db.decide_check(check_id, &decision, &entry).await?;
    Ok(())
}

fn category_name(code: &str) -> String {
    honour_category(code).map_or(code.to_string(), |c| c.name_zh.to_string())
}

fn categories_for_form() -> Vec<Choice> {
    HONOUR_CATEGORIES
        .iter()
        .map(|c| Choice {
            name: c.name_zh.to_string(),
            code: c.code.to_string(),
        })
        .collect()
}

/// The filterable list, with counts per stage.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    stage_filter: Option<&str>,
    category: Option<&str>,
    query: Option<&str>,
) -> Result<NominationList> {
    let all = state.db.nominations().await?;
    let visible: Vec<NominationRow> = all.into_iter().filter(|n| may_see(user, n)).collect();
    let filtered_ex_stage: Vec<&NominationRow> = visible
        .iter()
        .filter(|n| category.is_none_or(|c| c.is_empty() || n.packet.category == c))
        .filter(|n| {
            query.map(str::trim).is_none_or(|q| {
                q.is_empty() || n.packet.candidate_name.contains(q) || n.unit_name.contains(q)
            })
        })
        .collect();
    let counts = stage_counts(filtered_ex_stage.iter().copied(), &Stage::ALL);
    let unresolved = state.db.unresolved_objection_counts().await?;
    let mut rows = Vec::new();
    for n in filtered_ex_stage
        .iter()
        .filter(|n| stage_filter.is_none_or(|s| s.is_empty() || n.stage == s))
    {
        rows.push(NominationSummary {
            id: n.id,
            candidate_name: n.packet.candidate_name.clone(),
            unit_name: n.unit_name.clone(),
            category_name: category_name(&n.packet.category),
            year: n.packet.year,
            stage_name: parse_stage(&n.stage).map_or(n.stage.clone(), |s| s.name_zh().into()),
            stage_code: n.stage.clone(),
            updated_at: n.updated_at.clone(),
            unresolved_objections: unresolved.get(&n.id).copied().unwrap_or(0) as usize,
        });
    }
    rows.reverse();
    Ok(NominationList {
        total: filtered_ex_stage.len(),
        counts,
        rows,
        can_create: user.role == Role::NominatingUnit,
        categories: categories_for_form(),
    })
}

/// How many of `rows` stand at each of `stages`.
fn stage_counts<'a>(
    rows: impl Iterator<Item = &'a NominationRow>,
    stages: &[Stage],
) -> Vec<StageCount> {
    let mut counts: Vec<StageCount> = stages
        .iter()
        .map(|s| StageCount {
            stage: *s,
            code: stage_code(*s),
            name: s.name_zh().into(),
            count: 0,
        })
        .collect();
    for row in rows {
        if let Some(c) = counts.iter_mut().find(|c| c.code == row.stage) {
            c.count += 1;
        }
    }
    counts
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1048576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

const FIELD_LABELS: [(&str, &str); 16] = [
    ("candidate_name", "候选人"),
    ("year", "年度"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("birth_year", "出生年份"),
    ("work_unit", "工作单位"),
    ("post", "职务"),
    ("industry", "行业"),
    ("district", "区"),
    ("frontline", "一线职工"),
    ("scitech", "科技人员"),
    ("manager", "企业负责人"),
    ("report", "推荐报告（一报告）"),
    ("deeds_short", "简要事迹"),
    ("deeds_full", "详细事迹"),
    ("category", "荣誉类别"),
];

/// Everything the nomination page shows to this user.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    flash: Option<FormState>,
    address: &str,
) -> Result<NominationDetail> {
    let row = load(state, user, id, address).await?;
    let stage = stage_of(&row)?;
    let owner = is_owner(user, &row);
    let fields_map = row.packet.to_fields();
    let fields = FIELD_LABELS
        .iter()
        .filter(|(k, _)| *k != "category")
        .filter_map(|(k, label)| {
            let v = fields_map.get(*k)?.clone();
            if v.is_empty() {
                return None;
            }
            let v = match *k {
                "sex" => {
                    if v == "F" {
                        "女".into()
                    } else {
                        "男".into()
                    }
                }
                "frontline" | "scitech" | "manager" => "是".into(),
                _ => v,
            };
            Some((label.to_string(), v))
        })
        .collect();

    let objection_rows = state.db.objections(id).await?;
    let check_rows = state.db.checks(id).await?;
    let quota_round = quota_round(state, &row).await?;
    let g = guards_from(
        &row,
        stage,
        &objection_rows,
        &check_rows,
        beijing_today(state.clock.now()),
    );
    let mut actions = Vec::new();
    for action in Action::ALL {
        if action.role() != user.role || (user.role == Role::NominatingUnit && !owner) {
            continue;
        }
        // Only the actions this stage allows at all; guards become a "blocked" reason.
        let open = Guards {
            packet_complete: true,
            notice_period_over: true,
            ..Guards::default()
        };
        if workflow::transition(stage, action, user.role, open).is_err() {
            continue;
        }
        let blocked = workflow::transition(stage, action, user.role, g)
            .err()
            .map(|e| explain(&e));
        actions.push(ActionView {
            code: action_code(action),
            label: if action == Action::CloseNotice && stage == Stage::PublicNotice {
                "结束公示".into()
            } else {
                action_label(action).into()
            },
            needs_note: matches!(action, Action::Return | Action::Reject),
            blocked,
            quota_warnings: quota_warnings(&quota_round, &row, stage, action),
        });
    }

    let attachments = state
        .db
        .attachments(id)
        .await?
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            kind_name: crate::domain::attachments::AttachmentKind::parse(&a.kind)
                .map_or(a.kind.clone(), |k| k.name_zh().into()),
            file_name: a.file_name,
            size_text: size_text(a.size_bytes),
            uploaded_at: a.uploaded_at,
        })
        .collect();
    let sees_objectors = matches!(
        user.role,
        Role::NoticeManager | Role::Reviewer | Role::Administrator
    );
    let objections = objection_rows
        .into_iter()
        .map(|o| ObjectionView {
            id: o.id,
            stage_name: parse_stage(&o.stage).map_or(o.stage.clone(), |s| s.name_zh().into()),
            filed_at: o.filed_at,
            name: sees_objectors.then(|| o.name.clone()),
            contact: sees_objectors.then(|| o.contact.clone()),
            body: sees_objectors.then(|| o.body.clone()),
            resolved: o.resolution.map(|r| {
                format!(
                    "{} · {}：{}（{}）",
                    if r.outcome == "upheld" {
                        "异议成立"
                    } else {
                        "异议不成立"
                    },
                    r.resolver_name,
                    r.finding,
                    r.resolved_at
                )
            }),
        })
        .collect();
    let checks = check_rows
        .into_iter()
        .map(|c| CheckView {
            id: c.id,
            department: c.department,
            verdict: c.verdict.map(|v| {
                if v == "pass" {
                    "通过".into()
                } else {
                    "不通过".into()
                }
            }),
            note: c.note.filter(|n| !n.is_empty()),
            decided: c
                .decided_at
                .map(|at| format!("{} · {at}", c.decider_name.unwrap_or_default())),
        })
        .collect();

    let reviewing = matches!(
        user.role,
        Role::Reviewer | Role::Administrator | Role::NoticeManager
    );
    let quota = if reviewing && !quota_round.rules.is_empty() {
        let set: Vec<Candidate> = quota_round.round.iter().map(|(_, c)| *c).collect();
        quotas::evaluate(&quota_round.rules, &set)
            .into_iter()
            .map(|s| QuotaView {
                label: format!(
                    "{} {}",
                    review::attribute_name_zh(s.rule.attribute),
                    review::bound_text(s.rule.bound)
                ),
                share_text: format!("{:.1}%（{}/{}）", s.share, s.count, s.total),
                met: s.met,
            })
            .collect()
    } else {
        Vec::new()
    };
    let history = state
        .db
        .audit_for("nomination", &id.to_string())
        .await?
        .into_iter()
        .map(|e| HistoryView {
            at: e.at,
            actor: e.actor_name,
            action: e.action,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    let notice = match (&row.notice_start, &row.notice_end) {
        (Some(s), Some(e)) => Some(format!(
            "{s} 至 {e}{}",
            if stage.is_notice() {
                if notice_over(&row, beijing_today(state.clock.now())) {
                    "（已期满）"
                } else {
                    "（公示中）"
                }
            } else {
                ""
            }
        )),
        _ => None,
    };
    Ok(NominationDetail {
        id,
        version: row.version,
        stage_code: row.stage.clone(),
        stage_name: stage.name_zh().into(),
        unit_name: row.unit_name.clone(),
        category_name: category_name(&row.packet.category),
        candidate_kind: row.packet.candidate_kind.clone(),
        fields,
        notice,
        decision_note: row.decision_note.clone(),
        can_edit: owner && stage.is_editable(),
        can_upload: (owner && stage.is_editable())
            || (user.role == Role::Reviewer && stage == Stage::SecondReview),
        opinions_only: user.role == Role::Reviewer,
        can_resolve_objections: user.role == Role::NoticeManager,
        can_decide_checks: user.role == Role::Reviewer && stage == Stage::SecondReview,
        actions,
        attachments,
        objections,
        checks,
        quota,
        quota_scope: format!(
            "{} {} 年已通过初审的候选人",
            category_name(&row.packet.category),
            row.packet.year
        ),
        history,
        laureate_id: row.person_id,
        flash,
    })
}

/// The form to create (no id) or edit a nomination.
pub async fn form(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    flash: Option<FormState>,
    address: &str,
) -> Result<NominationFormData> {
    if user.role != Role::NominatingUnit {
        return Err(ServiceError::Forbidden);
    }
    let (version, stored) = match id {
        Some(id) => {
            let row = load(state, user, id, address).await?;
            if !is_owner(user, &row) || !stage_of(&row)?.is_editable() {
                return Err(ServiceError::Forbidden);
            }
            (row.version, row.packet.to_fields())
        }
        None => {
            let mut f = FormFields::new();
            f.insert("year".into(), this_year(state).to_string());
            f.insert("category".into(), "beijing_model".into());
            (0, f)
        }
    };
    // After a failed save the typed input wins over what is stored.
    let form = flash.unwrap_or(FormState {
        fields: stored,
        ..FormState::default()
    });
    Ok(NominationFormData {
        id,
        version,
        categories: categories_for_form(),
        form,
    })
}

/// Nominees whose notice is open today: what `/notices` lists.
pub async fn public_notices(state: &AppState) -> Result<Vec<PublicNominee>> {
    let today = beijing_today(state.clock.now());
    let mut out = Vec::new();
    for n in state.db.nominations().await? {
        let Some(stage) = parse_stage(&n.stage) else {
            continue;
        };
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
        stage_name: stage.name_zh().into(),
        period: format!(
            "{} 至 {}",
            n.notice_start.clone().unwrap_or_default(),
            n.notice_end.clone().unwrap_or_default()
        ),
    }
}

/// One nominee on public notice, or NotFound when its notice is not open.
pub async fn public_notice(state: &AppState, id: i64) -> Result<PublicNominee> {
    let n = state
        .db
        .nomination(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let stage = stage_of(&n)?;
    if !stage.is_notice() || notice_over(&n, beijing_today(state.clock.now())) {
        return Err(ServiceError::NotFound);
    }
    Ok(public_nominee(&n, stage))
}

/// Who may add files: the owning unit while it may edit the nomination, and reviewers during the
/// second review (the departments' written opinions, 部门意见).
pub async fn authorize_attachment_change(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    address: &str,
) -> Result<NominationRow> {
    let row = load(state, user, id, address).await?;
    let stage = stage_of(&row)?;
    if user.role == Role::Reviewer && stage == Stage::SecondReview {
        return Ok(row);
    }
    authorize_unit_edit(state, user, row, address).await
}

/// The owning unit, while the nomination is a draft or returned.
async fn authorize_unit_edit(
    state: &AppState,
    user: &SessionUser,
    row: NominationRow,
    address: &str,
) -> Result<NominationRow> {
    if !is_owner(user, &row) {
        return Err(refuse(
            state,
            user,
            &format!("attachments of nomination {}", row.id),
            address,
        )
        .await);
    }
    if !stage_of(&row)?.is_editable() {
        return Err(ServiceError::Refused(
            "提交后不能再更改材料 / files cannot change after submission".into(),
        ));
    }
    Ok(row)
}

/// Records a file already stored under its hash.
#[allow(clippy::too_many_arguments)]
pub async fn record_attachment(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    kind: crate::domain::attachments::AttachmentKind,
    file_name: &str,
    file_type: crate::domain::attachments::FileType,
    size: u64,
    sha256: &str,
    address: &str,
) -> Result<i64> {
    authorize_attachment_change(state, user, id, address).await?;
    if user.role == Role::Reviewer && kind != crate::domain::attachments::AttachmentKind::Opinion {
        return Err(ServiceError::Refused(
            "复审阶段审核员只上传部门意见 / reviewers add departmental opinions only".into(),
        ));
    }
    let now = timestamp(state.clock.now());
    let row = crate::db::AttachmentRow {
        id: 0,
        nomination_id: id,
        kind: kind.code().into(),
        file_name: file_name.into(),
        content_type: file_type.content_type().into(),
        size_bytes: size as i64,
        sha256: sha256.into(),
        uploaded_at: now,
        uploaded_by: user.id,
    };
    let entry = AuditEntry {
        after_json: Some(json!({ "attachment": file_name, "kind": kind.code(), "bytes": size, "sha256": sha256 }).to_string()),
        ..audit(state, user, "attachment.add", id, address)
    };
    Ok(state.db.add_attachment(&row, &entry).await?)
}

/// Removes a file from a nomination the unit may still edit. Returns (nomination, sha256).
pub async fn delete_attachment(
    state: &AppState,
    user: &SessionUser,
    attachment_id: i64,
    address: &str,
) -> Result<(i64, String)> {
    let a = state
        .db
        .attachment(attachment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let row = load(state, user, a.nomination_id, address).await?;
    authorize_unit_edit(state, user, row, address).await?;
    let entry = AuditEntry {
        before_json: Some(
            json!({ "attachment": a.file_name, "kind": a.kind, "sha256": a.sha256 }).to_string(),
        ),
        ..audit(state, user, "attachment.delete", a.nomination_id, address)
    };
    if !state.db.delete_attachment(attachment_id, &entry).await? {
        return Err(ServiceError::NotFound);
    }
    Ok((a.nomination_id, a.sha256))
}

/// An attachment, for those who may see its nomination.
pub async fn attachment_for(
    state: &AppState,
    user: &SessionUser,
    attachment_id: i64,
    address: &str,
) -> Result<crate::db::AttachmentRow> {
    let a = state
        .db
        .attachment(attachment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    load(state, user, a.nomination_id, address).await?;
    Ok(a)
}

/// The stages where nominations wait for this role, with how many wait there (for the overview).
pub async fn waiting_for(state: &AppState, user: &SessionUser) -> Result<Vec<StageCount>> {
    let stages: &[Stage] = match user.role {
        Role::NominatingUnit => &[Stage::Draft, Stage::Returned],
        Role::NoticeManager => &[Stage::Recommended, Stage::UnitNotice, Stage::CityNotice],
        Role::Reviewer => &[Stage::FirstReview, Stage::SecondReview, Stage::PublicNotice],
        Role::Administrator => &[],
    };
    let all = state.db.nominations().await?;
    Ok(stage_counts(
        all.iter().filter(|n| may_see(user, n)),
        stages,
    ))
}
