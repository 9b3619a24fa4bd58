//! The fleet page's server function.
use leptos::prelude::*;

use super::model::KioskStatus;
use crate::error::AppError;

/// Every kiosk and how it is, and what visitors looked for (administrators only); `None` when
/// nobody is signed in.
#[server(prefix = "/fn", endpoint = "load_fleet")]
pub async fn load_fleet(
) -> Result<Option<(Vec<KioskStatus>, super::model::KioskSearches)>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    let kiosks = super::service::fleet(&state, &user, &address).await?;
    let searches = super::service::searches(&state, &user, &address).await?;
    Ok(Some((kiosks, searches)))
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
    let catalog = state.catalog_with_kiosk().await;
    let directory = &catalog.kiosk().directory;
    let monument = kiosk.monument.as_str();
    let step = KioskStep::from_query(q, year, strokes, surname, person);
    let here = kiosk.x.zip(kiosk.y);
    let screen = directory
        .screen(monument, here, &step)
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
        here,
    })
}

/// The monuments a kiosk may stand by: (code, name in Chinese, in English).
pub type MonumentChoice = (String, String, String);

/// The kiosk registration form (administrators only), with kept input after a failed post.
#[server(prefix = "/fn", endpoint = "load_kiosk_form")]
pub async fn load_kiosk_form(
    flash: Option<String>,
) -> Result<Option<(Vec<MonumentChoice>, crate::nominations::model::FormState)>, AppError> {
    use crate::domain::procedure::Role;
    let Some((user, _)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    if user.role != Role::Administrator {
        return Err(AppError::Forbidden(
            "只有系统管理员可以登记信息亭 / administrators only".into(),
        ));
    }
    let state = crate::state::app_state()?;
    let monuments = state
        .catalog()
        .outline
        .sections
        .iter()
        .map(|s| (s.code.clone(), s.name_zh.clone(), s.name_en.clone()))
        .collect();
    let form = crate::admin::server::take_form_flash(
        &state,
        crate::admin::flash::FlashOwner::Account(user.id),
        flash,
    )
    .await?
    .unwrap_or_default();
    Ok(Some((monuments, form)))
}

/// A kiosk just registered and its heartbeat secret, shown once.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CreatedKiosk {
    pub id: String,
    pub secret: String,
}

/// Put in the context of the one answer that shows a new kiosk's secret (only the handler that
/// registered it, for the administrator it authenticated, provides it).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ShownKiosk(pub CreatedKiosk);

/// The new kiosk's secret: only in the answer to the post that registered it; never stored to be
/// fetched again (only its hash is kept), so any other request finds nothing.
#[server(prefix = "/fn", endpoint = "load_created_kiosk")]
pub async fn load_created_kiosk() -> Result<Option<CreatedKiosk>, AppError> {
    if let Some(ShownKiosk(kiosk)) = use_context::<ShownKiosk>() {
        return Ok(Some(kiosk));
    }
    let Some(_) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    Err(AppError::NotFound(
        "这些信息只显示一次，已不可再查看 / shown once only".into(),
    ))
}
