use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUser {
    pub username: String,
    pub display_name: String,
    pub role: Option<crate::domain::procedure::Role>,
    pub unit_name: Option<String>,
    pub is_administrator: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub address: String,
    /// How often it happened (refusals from one source are counted in one entry).
    pub count: i64,
    pub last_at: Option<String>,
}

/// One page of the audit log, newest first, and where the next older page starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Entries older than this id are on the next page.
    pub older: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Option<crate::domain::procedure::Role>,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub live_sessions: i64,
    pub is_self: bool,
}

/// What `/admin` shows: nothing but `None` to an anonymous caller; the audit log only to
/// administrators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminHome {
    pub user: AdminUser,
    pub recent_audit: Option<AuditPage>,
    /// All accounts, for administrators.
    pub accounts: Option<Vec<AccountRow>>,
    /// Nominations waiting for this role, per stage (links into the filtered list).
    pub waiting: Vec<crate::nominations::model::StageCount>,
}

/// The signed-in account and the caller's address, for server functions.
#[cfg(feature = "ssr")]
pub async fn signed_in() -> Result<Option<(crate::auth::session::SessionUser, String)>, AppError> {
    let state = crate::state::app_state()?;
    let parts = use_context::<axum::http::request::Parts>();
    let cookies = parts
        .as_ref()
        .and_then(|p| p.headers.get(axum::http::header::COOKIE))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let address = parts
        .as_ref()
        .map(|p| crate::auth::session::client_address(&p.extensions))
        .unwrap_or_else(|| "unknown".into());
    Ok(crate::auth::session::current_user(&state, &cookies)
        .await?
        .map(|u| (u, address)))
}

/// Form input kept for `owner` after a failed post, if `key` names some.
#[cfg(feature = "ssr")]
pub async fn take_form_flash(
    state: &crate::state::AppState,
    owner: crate::admin::flash::FlashOwner,
    key: Option<String>,
) -> Result<Option<crate::nominations::model::FormState>, AppError> {
    let Some(key) = key else { return Ok(None) };
    crate::admin::flash::take(state, &owner, &key)
        .await
        .map_err(|e| AppError::internal("kept input", e))
}

/// Audit entries per page of the overview.
pub const AUDIT_PAGE: i64 = 100;

#[server(prefix = "/fn", endpoint = "admin_overview")]
pub async fn admin_overview(audit_before: Option<i64>) -> Result<Option<AdminHome>, AppError> {
    use crate::domain::procedure::Role;
    let state = crate::state::app_state()?;
    let cookies = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let Some(user) = crate::auth::session::current_user(&state, &cookies).await? else {
        return Ok(None);
    };
    let is_administrator = user.role == Role::Administrator;
    let recent_audit = if is_administrator {
        let page = state
            .db
            .audit
            .audit_page(audit_before, AUDIT_PAGE + 1)
            .await
            .map_err(|e| AppError::internal("audit log", e))?;
        let older = (page.len() as i64 > AUDIT_PAGE).then(|| page[AUDIT_PAGE as usize - 1].0);
        let rows = page
            .into_iter()
            .take(AUDIT_PAGE as usize)
            .map(|(_, e)| AuditRow {
                at: e.at,
                actor: e.actor_name,
                action: e.action,
                object: format!("{} {}", e.object_type, e.object_id.unwrap_or_default())
                    .trim()
                    .to_string(),
                address: e.address.unwrap_or_default(),
                count: e.repeat_count,
                last_at: e.last_at,
            })
            .collect();
        Some(AuditPage { rows, older })
    } else {
        None
    };
    let accounts = if is_administrator {
        let users = state
            .db
            .accounts
            .list_users()
            .await
            .map_err(|e| AppError::internal("accounts", e))?;
        Some(
            users
                .into_iter()
                .map(|u| AccountRow {
                    is_self: u.id == user.id,
                    id: u.id,
                    username: u.username,
                    display_name: u.display_name,
                    role: Some(u.role),
                    unit_name: u.unit_name,
                    disabled: u.disabled,
                    live_sessions: u.live_sessions,
                })
                .collect(),
        )
    } else {
        None
    };
    let waiting = crate::nominations::service::waiting_for(&state, &user).await?;
    Ok(Some(AdminHome {
        waiting,
        accounts,
        user: AdminUser {
            username: user.username,
            display_name: user.display_name,
            role: Some(user.role),
            unit_name: user.unit_name,
            is_administrator,
        },
        recent_audit,
    }))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchView {
    pub id: i64,
    pub label: String,
    pub published: bool,
    pub honours: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsData {
    pub form: crate::nominations::model::FormState,
    pub batches: Vec<BatchView>,
    /// Each monument: the last year cut into its stones, and the names waiting for the next.
    #[serde(default)]
    pub monuments: Vec<crate::wall::model::SectionOutline>,
}

#[server(prefix = "/fn", endpoint = "load_settings")]
pub async fn load_settings(flash: Option<String>) -> Result<Option<SettingsData>, AppError> {
    use crate::domain::procedure::Role;
    let Some((user, _)) = signed_in().await? else {
        return Ok(None);
    };
    if user.role != Role::Administrator {
        return Err(AppError::Forbidden(
            "只有系统管理员可以修改设置 / administrators only".into(),
        ));
    }
    let state = crate::state::app_state()?;
    let mut form = take_form_flash(
        &state,
        crate::admin::flash::FlashOwner::Account(user.id),
        flash,
    )
    .await?
    .unwrap_or_default();
    // A refused cutting or publication keeps no fields of its own: the settings show as stored.
    if form.fields.is_empty() {
        form.fields = crate::admin::service::settings_fields(&state).await?;
    }
    let data = state
        .db
        .catalogue
        .load()
        .await
        .map_err(|e| AppError::internal("settings", e))?;
    let mut batches: Vec<BatchView> = data
        .batches
        .iter()
        .map(|b| BatchView {
            id: b.id,
            label: format!(
                "{} {} 年{}",
                if b.level == "national" {
                    "全国"
                } else {
                    "北京市"
                },
                b.year,
                if b.seq > 1 {
                    format!("（第 {} 批）", b.seq)
                } else {
                    String::new()
                }
            ),
            published: b.published,
            honours: data
                .honours
                .iter()
                .filter(|h| h.batch_id == Some(b.id))
                .count(),
        })
        .collect();
    // Unpublished batches (awaiting publication) first, then the newest.
    batches.sort_by_key(|b| (b.published, -b.id));
    let monuments = state
        .catalog()
        .outline
        .sections
        .iter()
        .map(|s| crate::wall::model::SectionOutline {
            stones: Vec::new(),
            ..s.clone()
        })
        .collect();
    Ok(Some(SettingsData {
        form,
        batches,
        monuments,
    }))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedAccount {
    pub username: String,
    pub totp_secret: String,
    pub provisioning_url: String,
    pub recovery_codes: Vec<String>,
}

/// The new-account form (administrators only), with kept input after a failed post.
#[server(prefix = "/fn", endpoint = "load_account_form")]
pub async fn load_account_form(
    flash: Option<String>,
) -> Result<Option<crate::nominations::model::FormState>, AppError> {
    use crate::domain::procedure::Role;
    let Some((user, _)) = signed_in().await? else {
        return Ok(None);
    };
    if user.role != Role::Administrator {
        return Err(AppError::Forbidden(
            "只有系统管理员可以创建账号 / administrators only".into(),
        ));
    }
    let state = crate::state::app_state()?;
    Ok(Some(
        take_form_flash(
            &state,
            crate::admin::flash::FlashOwner::Account(user.id),
            flash,
        )
        .await?
        .unwrap_or_default(),
    ))
}

/// The new account's second factor, shown once: only in the answer to the post that created the
/// account (its handler renders this page with the secrets in the context). They are never
/// stored to be fetched again, so any other request for them finds nothing.
#[server(prefix = "/fn", endpoint = "load_created_account")]
pub async fn load_created_account() -> Result<Option<CreatedAccount>, AppError> {
    // Put there by the handler that created the account for the administrator it authenticated:
    // no second look at the session, so a database hiccup now cannot lose secrets that exist
    // nowhere else.
    if let Some(ShownOnce(account)) = use_context::<ShownOnce>() {
        return Ok(Some(account));
    }
    let Some(_) = signed_in().await? else {
        return Ok(None);
    };
    Err(AppError::NotFound(
        "这些信息只显示一次，已不可再查看 / shown once only".into(),
    ))
}

/// A new account's secrets, put in the context of the one answer that shows them (only the
/// handler that created the account, for the administrator it authenticated, provides it).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ShownOnce(pub CreatedAccount);
