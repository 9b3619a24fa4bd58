use leptos::prelude::*;

use crate::error::AppError;
use crate::laureates::model::LaureateSummary;

/// Longest query accepted: names are short, anything longer is not a name.
pub const MAX_QUERY_CHARS: usize = 64;

/// Server-side search, for pages rendered without JavaScript (the browser searches its own index).
#[server(prefix = "/fn", endpoint = "search")]
pub async fn search_laureates(q: String) -> Result<(usize, Vec<LaureateSummary>), AppError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest(format!(
            "query longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let state = crate::state::app_state()?;
    let query = crate::catalog::ListQuery {
        q: Some(q),
        ..Default::default()
    };
    Ok(state.catalog().list(&query, 1, 50))
}
