use leptos::prelude::*;

use super::model::{StonePage, WallOutline};
use crate::error::AppError;

/// The wall's sections and stones (names are server-rendered into the stones).
#[server(prefix = "/fn", endpoint = "wall_outline")]
pub async fn get_wall_outline() -> Result<WallOutline, AppError> {
    let state = crate::state::app_state()?;
    Ok(state.catalog().outline.clone())
}

/// One stone's page: its names in stone order and its neighbours.
#[server(prefix = "/fn", endpoint = "stone")]
pub async fn get_stone(section: String, number: u16) -> Result<StonePage, AppError> {
    let state = crate::state::app_state()?;
    state
        .catalog()
        .stone_page(&section, number)
        .ok_or_else(|| AppError::NotFound(format!("stone {number} of {section}")))
}
