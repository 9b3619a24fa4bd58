//! The fleet page's server function.
use leptos::prelude::*;

use super::model::KioskStatus;
use crate::error::AppError;

/// Every kiosk and how it is (administrators only); `None` when nobody is signed in.
#[server(prefix = "/fn", endpoint = "load_fleet")]
pub async fn load_fleet() -> Result<Option<Vec<KioskStatus>>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(Some(super::service::fleet(&state, &user, &address).await?))
}
