use leptos::prelude::*;

use super::model::Stats;
use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "stats")]
pub async fn get_stats() -> Result<Stats, AppError> {
    let state = crate::state::app_state()?;
    Ok(state.catalog().stats.clone())
}
