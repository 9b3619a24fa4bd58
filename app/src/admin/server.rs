use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUser {
    pub username: String,
    pub display_name: String,
    pub role_name: String,
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role_name: String,
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
    pub recent_audit: Option<Vec<AuditRow>>,
    /// All accounts, for administrators.
    pub accounts: Option<Vec<AccountRow>>,
}

#[server(prefix = "/fn", endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<Option<AdminHome>, AppError> {
    use crate::nominations::workflow::Role;
    let state = crate::state::app_state()?;
    let cookies = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default();
    let Some(user) = crate::auth::session::current_user(&state, &cookies).await else {
        return Ok(None);
    };
    let is_administrator = user.role == Role::Administrator;
    let recent_audit = if is_administrator {
        let log = state
            .db
            .audit_log()
            .await
            .map_err(|e| AppError::internal("audit log", e))?;
        Some(
            log.into_iter()
                .rev()
                .take(100)
                .map(|e| AuditRow {
                    at: e.at,
                    actor: e.actor_name,
                    action: e.action,
                    object: format!("{} {}", e.object_type, e.object_id.unwrap_or_default())
                        .trim()
                        .to_string(),
                    address: e.address.unwrap_or_default(),
                })
                .collect(),
        )
    } else {
        None
    };
    let accounts = if is_administrator {
        let users = state
            .db
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
                    role_name: crate::auth::accounts::parse_role(&u.role)
                        .map_or(u.role.clone(), |r| r.name_zh().to_string()),
                    unit_name: u.unit_name,
                    disabled: u.disabled,
                    live_sessions: u.live_sessions,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Some(AdminHome {
        accounts,
        user: AdminUser {
            username: user.username,
            display_name: user.display_name,
            role_name: user.role.name_zh().to_string(),
            unit_name: user.unit_name,
            is_administrator,
        },
        recent_audit,
    }))
}
