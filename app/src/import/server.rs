//! The import page's server functions: the list of imports (administrators only) and the report
//! of the upload this answer is for.
use leptos::prelude::*;

use super::model::{ImportReportView, ImportsData};
use crate::error::AppError;

/// The imports, newest first, for an administrator (`None`: not signed in), with the message of
/// a refused post (`flash`, kept for this account only).
#[server(prefix = "/fn", endpoint = "load_imports")]
pub async fn load_imports(flash: Option<String>) -> Result<Option<ImportsData>, AppError> {
    let Some((user, address)) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    let state = crate::state::app_state()?;
    let batches = super::service::list_uploads(&state, &user, &address).await?;
    let message = crate::admin::server::take_form_flash(
        &state,
        crate::admin::flash::FlashOwner::Account(user.id),
        flash,
    )
    .await?
    .and_then(|form| form.message);
    Ok(Some(ImportsData { batches, message }))
}

/// The report on the list just uploaded: only in the answer to the upload itself (its handler
/// renders this page with the report in the context), never stored to be fetched again.
#[server(prefix = "/fn", endpoint = "load_import_report")]
pub async fn load_import_report() -> Result<Option<ImportReportView>, AppError> {
    if let Some(ShownReport(report)) = use_context::<ShownReport>() {
        return Ok(Some(report));
    }
    let Some(_) = crate::admin::server::signed_in().await? else {
        return Ok(None);
    };
    Err(AppError::NotFound(
        "导入报告只在上传后显示一次 / the report is shown once, after the upload".into(),
    ))
}

/// The report of an upload, put in the context of the one answer that shows it.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ShownReport(pub ImportReportView);
