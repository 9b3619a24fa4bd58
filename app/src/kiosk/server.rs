//! The fleet page's server function.
use leptos::prelude::*;

use super::model::KioskStatus;
use crate::error::AppError;

/// Every kiosk and how it is (administrators only); `None` when nobody is signed in.
#[server(prefix = "/fn", endpoint = "load_fleet")]
pub async fn load_fleet() -> Result<Option<Vec<KioskStatus>>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    Ok(Some(super::service::fleet(&state, &user, &address).await?))
}

/// What a kiosk's screen shows for its address and query (`q`: a search; `year`, `strokes`,
/// `surname`: the stones' order, step by step; `person`: the answer). Public, read-only; an
/// unknown kiosk is "not found".
#[server(prefix = "/fn", endpoint = "load_kiosk")]
pub async fn load_kiosk(
    id: String,
    q: Option<String>,
    year: Option<i32>,
    strokes: Option<u8>,
    surname: Option<String>,
    person: Option<i64>,
) -> Result<super::model::KioskView, AppError> {
    use super::model::KioskStep;
    let state = crate::state::app_state()?;
    let not_found = || AppError::NotFound(format!("kiosk {id}"));
    crate::domain::kiosk::KioskId::parse(&id).map_err(|_| not_found())?;
    let kiosk = state
        .db
        .kiosks
        .kiosk(&id)
        .await
        .map_err(|e| AppError::internal("kiosk", e))?
        .ok_or_else(not_found)?;
    let catalog = state.catalog();
    let directory = &catalog.kiosk().directory;
    let monument = kiosk.monument.as_str();
    let step = KioskStep::from_query(q, year, strokes, surname, person);
    let screen = directory
        .screen(monument, &step)
        .ok_or_else(|| AppError::NotFound(format!("{step:?}")))?;
    let section = catalog.outline.sections.iter().find(|s| s.code == monument);
    Ok(super::model::KioskView {
        monument_zh: section.map_or(String::new(), |s| s.name_zh.clone()),
        monument_en: section.map_or(String::new(), |s| s.name_en.clone()),
        id: kiosk.id,
        name: kiosk.name,
        idle_seconds: kiosk.idle_seconds,
        screen,
        monument: kiosk.monument.clone(),
        data_version: catalog.version.clone(),
        as_of: directory.snapshot().as_of.clone(),
        page_version: state.page_version.to_string(),
    })
}
