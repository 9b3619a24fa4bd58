use leptos::prelude::*;

use crate::error::AppError;
use crate::nominations::model::{FormState, PublicNominee};

/// Nominees whose notice is open today.
#[server(prefix = "/fn", endpoint = "open_notices")]
pub async fn open_notices() -> Result<Vec<PublicNominee>, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::nominations::service::public_notices(&state).await?)
}

/// One nominee on notice, with the objection form's kept input after a failed post.
#[server(prefix = "/fn", endpoint = "open_notice")]
pub async fn open_notice(
    id: i64,
    flash: Option<String>,
) -> Result<(PublicNominee, Option<FormState>), AppError> {
    let state = crate::state::app_state()?;
    let nominee = crate::nominations::service::public_notice(&state, id).await?;
    Ok((
        nominee,
        crate::admin::server::take_form_flash(&state, 0, flash),
    ))
}
