use super::model::LaureateProfile;
use crate::error::AppError;

/// A public profile, read from the catalogue in memory. Only the server renders profile pages;
/// in the browser build (where the page is compiled for the router but never rendered) there is
/// nothing to read.
pub fn read_profile(id: i64) -> Result<LaureateProfile, AppError> {
    #[cfg(feature = "ssr")]
    {
        crate::state::app_state()?
            .catalog()
            .profile(id)
            .ok_or_else(|| AppError::NotFound(format!("laureate {id}")))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Err(AppError::NotFound(format!("laureate {id}")))
    }
}
