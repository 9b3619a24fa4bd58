//! The errata page's server function.
use leptos::prelude::*;

use super::model::ErrataData;
use crate::error::AppError;

/// The errata list for an administrator (`None`: not signed in).
#[server(prefix = "/fn", endpoint = "load_errata")]
pub async fn load_errata() -> Result<Option<ErrataData>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    let errata = super::service::errata(&state, &user, &address).await?;
    Ok(Some(ErrataData { errata }))
}
