//! Administrators' use cases: creating accounts for the other roles, settings (notice lengths,
//! the holiday calendar, quota rules) and publishing batches. Role checked here, for every call.

use serde_json::json;

use crate::auth::accounts::{self, AccountError, FirstSecrets};
use crate::auth::session::{audit_refusal, timestamp, SessionUser};
use crate::db::AuditEntry;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::honours::HONOUR_CATEGORIES;
use crate::domain::notice_periods as periods;
use crate::domain::packet::{FieldErrors, FormFields};
use crate::domain::procedure::Role;
use crate::domain::review;
use crate::nominations::service::{Result, ServiceError};
use crate::state::AppState;

async fn administrator_only(
    state: &AppState,
    user: &SessionUser,
    what: &str,
    address: &str,
) -> Result<()> {
    if user.role == Role::Administrator {
        Ok(())
    } else {
        audit_refusal(state, Some(user), what, address).await;
        Err(ServiceError::Forbidden)
    }
}

fn entry(
    state: &AppState,
    user: &SessionUser,
    action: &str,
    object_type: &str,
    address: &str,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(user.id),
        address: Some(address.to_string()),
        ..AuditEntry::new(
            timestamp(state.clock.now()),
            &user.username,
            action,
            object_type,
        )
    }
}

/// Creates an account of any role; its second factor is returned to be shown once.
#[tracing::instrument(name = "account.create", skip_all, fields(user = %user.username))]
pub async fn create_account(
    state: &AppState,
    user: &SessionUser,
    fields: &FormFields,
    address: &str,
) -> Result<(String, FirstSecrets)> {
    administrator_only(state, user, "create account", address).await?;
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = FieldErrors::new();
    let role = Role::parse(&get("role"));
    if role.is_none() {
        errors.insert("role".into(), "请选择角色 / choose a role".into());
    }
    let username = get("username");
    if state.db.accounts.username_taken(&username).await? {
        errors.insert(
            "username".into(),
            "此用户名已被使用 / this user name is taken".into(),
        );
    }
    let password = fields.get("password").cloned().unwrap_or_default();
    if password != fields.get("password_again").cloned().unwrap_or_default() {
        errors.insert(
            "password_again".into(),
            "两次输入的密码不一致 / the passwords differ".into(),
        );
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let role = role.unwrap_or(Role::Reviewer);
    let unit = get("unit_name");
    let display_name = get("display_name");
    let prepared = crate::auth::password::off_thread(move || {
        accounts::prepare(
            &username,
            &display_name,
            role,
            Some(unit.as_str()).filter(|u| !u.is_empty() && role == Role::NominatingUnit),
            &password,
        )
    })
    .await;
    let (new_user, secrets) = prepared.map_err(|e| {
        let (field, message) = match &e {
            AccountError::BadUsername => ("username", "用户名为 3 至 32 个小写字母、数字或 . _ - / 3–32 lower-case letters, digits, . _ -".to_string()),
            AccountError::BadDisplayName => ("display_name", "请填写姓名（不超过 64 字）/ 1–64 characters".to_string()),
            AccountError::UnitMissing => ("unit_name", "推荐单位账号须填写单位名称 / a nominating unit's account needs the unit".to_string()),
            AccountError::Password(p) => ("password", format!("密码不符合要求：{p} / the password is too weak")),
        };
        let mut errors = FieldErrors::new();
        errors.insert(field.into(), message);
        ServiceError::Invalid(errors)
    })?;
    let audit = AuditEntry {
        after_json: Some(json!({ "username": new_user.username, "role": new_user.role, "unit_name": new_user.unit_name }).to_string()),
        ..entry(state, user, "account.create", "user", address)
    };
    state.db.accounts.create_user(&new_user, &audit).await?;
    Ok((new_user.username, secrets))
}

/// What the settings page shows (and re-shows after a failed save).
pub async fn settings_fields(state: &AppState) -> Result<FormFields> {
    let stored = state.db.settings.settings().await?;
    let mut fields = FormFields::new();
    for stage in periods::NOTICE_STAGES {
        fields.insert(
            stage.code().to_string(),
            periods::days_for(&stored, stage).to_string(),
        );
    }
    fields.insert(
        "holidays".into(),
        stored
            .get(periods::HOLIDAYS_KEY)
            .cloned()
            .unwrap_or_default(),
    );
    fields.insert(
        "quotas".into(),
        review::format_rules(&state.db.nominations.quota_rules().await?),
    );
    Ok(fields)
}

/// Saves notice lengths, the holiday calendar and the quota rules: all or nothing.
#[tracing::instrument(name = "settings.save", skip_all, fields(user = %user.username))]
pub async fn save_settings(
    state: &AppState,
    user: &SessionUser,
    fields: &FormFields,
    address: &str,
) -> Result<()> {
    administrator_only(state, user, "settings", address).await?;
    let mut errors = FieldErrors::new();
    let mut values = Vec::new();
    for stage in periods::NOTICE_STAGES {
        let key = stage.code();
        match periods::parse_days(fields.get(key).map(String::as_str).unwrap_or("")) {
            Ok(days) => values.push((periods::setting_key(stage), days.to_string())),
            Err(e) => {
                errors.insert(key.to_string(), e);
            }
        }
    }
    let holidays = fields
        .get("holidays")
        .cloned()
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if let Err(e) = HolidayCalendar::parse(&holidays) {
        errors.insert(
            "holidays".into(),
            format!("节假日日历有误 / the calendar has an error: {e}"),
        );
    }
    values.push((periods::HOLIDAYS_KEY.to_string(), holidays));
    let codes: Vec<&str> = HONOUR_CATEGORIES.iter().map(|c| c.code).collect();
    let rules = match review::parse_rules(
        fields.get("quotas").map(String::as_str).unwrap_or(""),
        &codes,
    ) {
        Ok(r) => r,
        Err(e) => {
            errors.insert("quotas".into(), e.join("；"));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let before = settings_fields(state).await?;
    let audit = AuditEntry {
        before_json: Some(json!(before).to_string()),
        after_json: Some(json!(fields).to_string()),
        ..entry(state, user, "settings.save", "settings", address)
    };
    state
        .db
        .settings
        .save_settings(&values, &rules, &audit)
        .await?;
    Ok(())
}

/// Publishes (or withdraws) a batch: its honours appear on the wall and in the open data.
#[tracing::instrument(name = "batch.publish", skip_all, fields(user = %user.username, batch = batch_id))]
pub async fn publish_batch(
    state: &AppState,
    user: &SessionUser,
    batch_id: i64,
    publish: bool,
    address: &str,
) -> Result<()> {
    administrator_only(state, user, &format!("batch {batch_id}"), address).await?;
    let audit = AuditEntry {
        object_id: Some(batch_id.to_string()),
        before_json: Some(json!({ "published": !publish }).to_string()),
        after_json: Some(json!({ "published": publish }).to_string()),
        ..entry(
            state,
            user,
            if publish {
                "batch.publish"
            } else {
                "batch.unpublish"
            },
            "batch",
            address,
        )
    };
    if !state
        .db
        .catalogue
        .set_batch_published(batch_id, publish, &audit)
        .await?
    {
        return Err(ServiceError::NotFound);
    }
    state.reload().await?;
    Ok(())
}

/// Records that a monument's stones were cut (again) with every name up to `through` (a year,
/// as typed): those names count as engraved from now on, later ones keep waiting. Audited.
#[tracing::instrument(name = "stones.cut", skip_all, fields(user = %user.username, monument = code))]
pub async fn record_cutting(
    state: &AppState,
    user: &SessionUser,
    code: &str,
    through: &str,
    confirm: bool,
    address: &str,
) -> Result<()> {
    administrator_only(state, user, &format!("monument {code}"), address).await?;
    let this_year = i64::from(chrono::Datelike::year(&state.clock.now()));
    let section = state
        .catalog()
        .outline
        .sections
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.engraved_through)
        .ok_or(ServiceError::NotFound)?;
    let year = through
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1949..=this_year).contains(y))
        .ok_or_else(|| {
            ServiceError::Refused(format!(
                "刻制年份须为 1949 至 {this_year} 之间的年份 / the year cut must be between 1949 and {this_year}"
            ))
        })?;
    // Not a later year is confirmed: the same year again says the names added late to it were
    // cut too, and a lower one (a typing slip) takes names off the stones.
    if section.is_some_and(|before| year <= i64::from(before)) && !confirm {
        return Err(ServiceError::Refused(format!(
            "{year} 不晚于已记录的刻制年份：同一年再记录表示补刻了之后加入的名字，改小则这些年之后的名字将显示为尚未镌刻；确要如此，请勾选“确认” / {year} is not after the year recorded: the same year again says the names added to it since were cut too, a lower one shows the names after it as not yet engraved; to do so, tick the confirmation"
        )));
    }
    let audit = AuditEntry {
        object_id: Some(code.to_string()),
        before_json: Some(json!({ "engraved_through": section }).to_string()),
        after_json: Some(json!({ "engraved_through": year }).to_string()),
        ..entry(state, user, "stones.cut", "wall_section", address)
    };
    if !state
        .db
        .catalogue
        .set_engraved_through(code, year, &audit)
        .await?
    {
        return Err(ServiceError::NotFound);
    }
    // Recorded either way: a failed rebuild here is logged, and the change feed retries.
    if let Err(e) = state.reload().await {
        tracing::error!("catalogue reload after a cutting: {e}");
    }
    Ok(())
}

/// What an administrator does to another account from the users table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountChange {
    Disable,
    Enable,
    EndSessions,
}

/// Disables or enables an account (disabling ends its sessions at once), or ends its sessions;
/// audited with before → after. An administrator cannot disable their own account.
#[tracing::instrument(name = "account.change", skip_all, fields(user = %user.username, account = account_id))]
pub async fn change_account(
    state: &AppState,
    user: &SessionUser,
    account_id: i64,
    change: AccountChange,
    address: &str,
) -> Result<()> {
    administrator_only(state, user, &format!("account {account_id}"), address).await?;
    if user.id == account_id && change == AccountChange::Disable {
        return Err(ServiceError::Refused(
            "不能停用自己的账号 / you cannot disable your own account".into(),
        ));
    }
    let (action, before, after) = match change {
        AccountChange::Disable => ("account.disable", Some(false), Some(true)),
        AccountChange::Enable => ("account.enable", Some(true), Some(false)),
        AccountChange::EndSessions => ("account.end_sessions", None, None),
    };
    let audit = AuditEntry {
        object_id: Some(account_id.to_string()),
        before_json: before.map(|d| json!({ "disabled": d }).to_string()),
        after_json: after.map(|d| json!({ "disabled": d }).to_string()),
        ..entry(state, user, action, "user", address)
    };
    let found = match change {
        AccountChange::Disable => {
            state
                .db
                .accounts
                .set_user_disabled(account_id, true, &audit)
                .await?
        }
        AccountChange::Enable => {
            state
                .db
                .accounts
                .set_user_disabled(account_id, false, &audit)
                .await?
        }
        AccountChange::EndSessions => {
            state.db.accounts.end_sessions(account_id, &audit).await?;
            true
        }
    };
    found.then_some(()).ok_or(ServiceError::NotFound)
}
