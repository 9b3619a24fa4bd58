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
    OrganisationRow, PersonRow,
};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::honours::{honour_category, HONOUR_CATEGORIES};
use crate::domain::notice_periods as periods;
use crate::domain::objection::Outcome;
use crate::domain::packet::{self, FieldErrors, FormFields, Packet};
use crate::domain::procedure::{self as workflow, Action, Guards, Role, Stage, TransitionError};
use crate::domain::quotas::{self, Candidate};
use crate::domain::review::{self, Verdict};
use crate::state::AppState;

mod approval;
mod attachments;
mod checks;
mod drafts;
mod procedure;
mod quota_check;
mod views;

pub(crate) use approval::*;
pub use attachments::*;
pub use checks::*;
pub use drafts::*;
pub use procedure::*;
pub(crate) use quota_check::*;
pub use views::*;

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
pub(crate) fn snake_code<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
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

/// Whether `user` may see this nomination: a unit sees its own; everyone else sees what has been
/// submitted (a draft is the unit's own business).
pub fn may_see(user: &SessionUser, row: &NominationRow) -> bool {
    match user.role {
        Role::NominatingUnit => user.unit_name.as_deref() == Some(row.unit_name.as_str()),
        _ => row.stage != Stage::Draft,
    }
}

pub(crate) fn is_owner(user: &SessionUser, row: &NominationRow) -> bool {
    user.role == Role::NominatingUnit && user.unit_name.as_deref() == Some(row.unit_name.as_str())
}

pub(crate) async fn refuse(
    state: &AppState,
    user: &SessionUser,
    what: &str,
    address: &str,
) -> ServiceError {
    crate::auth::session::audit_refusal(state, Some(user), what, address).await;
    ServiceError::Forbidden
}

pub(crate) fn audit(
    state: &AppState,
    user: &SessionUser,
    action: &str,
    id: i64,
    address: &str,
) -> AuditEntry {
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

pub(crate) fn this_year(state: &AppState) -> i32 {
    use chrono::Datelike;
    beijing_today(state.clock.now()).year()
}

/// The stored nomination, or `NotFound`.
pub(crate) async fn nomination_or_missing(state: &AppState, id: i64) -> Result<NominationRow> {
    state
        .db
        .nominations
        .nomination(id)
        .await?
        .ok_or(ServiceError::NotFound)
}

pub(crate) async fn load(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    address: &str,
) -> Result<NominationRow> {
    let row = nomination_or_missing(state, id).await?;
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
