use leptos::prelude::*;

use crate::error::AppError;
use crate::nominations::model::{FormState, PublicNominee};

/// Nominees whose notice is open today.
#[server(prefix = "/fn", endpoint = "open_notices")]
pub async fn open_notices() -> Result<Vec<PublicNominee>, AppError> {
    let state = crate::state::app_state()?;
    Ok(crate::notices::service::public_notices(&state).await?)
}

/// One nominee on notice, with the objection form's kept input after a failed post.
#[server(prefix = "/fn", endpoint = "open_notice")]
pub async fn open_notice(
    id: i64,
    flash: Option<String>,
) -> Result<(PublicNominee, Option<FormState>), AppError> {
    let state = crate::state::app_state()?;
    let nominee = crate::notices::service::public_notice(&state, id).await?;
    // A visitor's failed objection is kept for that visitor's own cookie only: a link with the
    // key shows nothing to anyone else.
    let visitor = use_context::<axum::http::request::Parts>().and_then(|p| {
        let cookies = p.headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
        crate::admin::flash::visitor_from_cookies(cookies).map(str::to_string)
    });
    let form = match visitor {
        Some(v) => {
            crate::admin::server::take_form_flash(
                &state,
                crate::admin::flash::FlashOwner::Visitor(v),
                flash,
            )
            .await?
        }
        None => None,
    };
    Ok((nominee, form))
}
