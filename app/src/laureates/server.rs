use leptos::prelude::*;

use super::model::LaureateProfile;
use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "laureate")]
pub async fn get_laureate(id: i64) -> Result<LaureateProfile, AppError> {
    let state = crate::state::app_state()?;
    state
        .catalog()
        .profile(id)
        .ok_or_else(|| AppError::NotFound(format!("laureate {id}")))
}
