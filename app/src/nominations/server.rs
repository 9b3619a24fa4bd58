//! Server functions behind the nomination pages: each finds the caller (`None` means "show the
//! login page"), lets the service check role and object, and maps its errors to `AppError`.
use leptos::prelude::*;

use super::model::{NominationDetail, NominationFormData, NominationList};
use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "load_nominations")]
pub async fn load_nominations(
    stage: Option<String>,
    category: Option<String>,
    q: Option<String>,
) -> Result<Option<NominationList>, AppError> {
    let Some((user, _)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(Some(
        super::service::list(
            &state,
            &user,
            stage.as_deref(),
            category.as_deref(),
            q.as_deref(),
        )
        .await?,
    ))
}

#[server(prefix = "/fn", endpoint = "load_nomination")]
pub async fn load_nomination(
    id: i64,
    flash: Option<String>,
) -> Result<Option<NominationDetail>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    let flash = crate::admin::server::take_form_flash(
        &state,
        crate::admin::flash::FlashOwner::Account(user.id),
        flash,
    )
    .await?;
    Ok(Some(
        super::service::detail(&state, &user, id, flash, &address).await?,
    ))
}

#[server(prefix = "/fn", endpoint = "load_nomination_form")]
pub async fn load_nomination_form(
    id: Option<i64>,
    flash: Option<String>,
) -> Result<Option<NominationFormData>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    let flash = crate::admin::server::take_form_flash(
        &state,
        crate::admin::flash::FlashOwner::Account(user.id),
        flash,
    )
    .await?;
    Ok(Some(
        super::service::form(&state, &user, id, flash, &address).await?,
    ))
}
