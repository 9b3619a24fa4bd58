use leptos::prelude::*;

use super::model::{StonePage, WallOutline};
use crate::error::AppError;

/// The wall's sections and stones (names are server-rendered into the stones).
#[server(prefix = "/fn", endpoint = "wall_outline")]
pub async fn get_wall_outline() -> Result<WallOutline, AppError> {
    let state = crate::state::app_state()?;
    Ok(state.catalog().outline.clone())
}

/// One stone's page (its names in stone order and its neighbours), read from the catalogue in
/// memory. Only the server renders stone pages; the browser build has nothing to read.
pub fn read_stone(section: &str, number: u16) -> Result<StonePage, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::state::app_state()?
            .catalog()
            .stone_page(section, number)
            .ok_or_else(|| AppError::NotFound(format!("stone {number} of {section}")))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::NotFound(format!("stone {number} of {section}")))
    }
}
