//! Lists uploaded by administrators: checked, imported, or sent back as the rows to fix; and
//! imports undone.

use app::import::service as imports;
use app::nominations::service::ServiceError;
use app::state::AppState;
use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::forms::{Caller, Outcome};

/// What an upload asks for.
#[derive(Clone, Copy, PartialEq)]
enum Action {
    Check,
    Import,
    BadRows,
}

/// `POST /admin/imports` (multipart: `file`, `action` = check | import | bad_rows). Answered
/// with the report page (or the workbook of rows to fix), rendered for this request.
pub async fn upload(
    State(state): State<AppState>,
    axum::Extension(options): axum::Extension<leptos::prelude::LeptosOptions>,
    caller: Caller,
    req: Request,
) -> Response {
    let back = Outcome::back_to(caller.owner(), "/admin/imports");
    // Who may import is checked before a byte of the file is read.
    if let Err(e) = imports::authorize_upload(&state, &caller.user, &caller.address).await {
        return back.refuse(&state, e).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(multipart) =
        Multipart::from_request(Request::from_parts(parts.clone(), body), &()).await
    else {
        return (StatusCode::BAD_REQUEST, "multipart/form-data expected").into_response();
    };
    let (file_name, bytes, action) = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message) => return back.refuse(&state, ServiceError::Refused(message)).await,
    };
    if action == Action::BadRows {
        return match imports::bad_rows_of_upload(
            &state,
            &caller.user,
            &file_name,
            &bytes,
            &caller.address,
        )
        .await
        {
            Ok(Some(workbook)) => workbook_download(workbook),
            // Nothing to fix (or nothing readable): the report says which.
            Ok(None) => report(&state, options, &caller, parts, &file_name, &bytes, true).await,
            Err(e) => back.refuse(&state, e).await,
        };
    }
    let check_only = action == Action::Check;
    report(
        &state, options, &caller, parts, &file_name, &bytes, check_only,
    )
    .await
}

/// The report page, as the answer to this upload.
async fn report(
    state: &AppState,
    options: leptos::prelude::LeptosOptions,
    caller: &Caller,
    parts: axum::http::request::Parts,
    file_name: &str,
    bytes: &[u8],
    check_only: bool,
) -> Response {
    let result = imports::upload(
        state,
        &caller.user,
        file_name,
        bytes,
        check_only,
        &caller.address,
    )
    .await;
    match result {
        Ok(report) => {
            let shown = app::import::server::ShownReport(report);
            crate::forms::render_answer_page(
                options,
                state.clone(),
                "/admin/imports/report",
                parts,
                move || leptos::prelude::provide_context(shown.clone()),
            )
            .await
        }
        Err(e) => {
            Outcome::back_to(caller.owner(), "/admin/imports")
                .refuse(state, e)
                .await
        }
    }
}

/// The file and the action of the form; the file at most the upload limit.
async fn read_upload(mut multipart: Multipart) -> Result<(String, Vec<u8>, Action), String> {
    let too_large = || {
        format!(
            "文件超过 {} MB / the file is larger than {} MB",
            imports::MAX_UPLOAD_BYTES >> 20,
            imports::MAX_UPLOAD_BYTES >> 20
        )
    };
    // A body over the route's limit, or one that broke off (a connection lost midway).
    let failed = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            "上传未完成，请重试 / the upload did not complete: try again".to_string()
        }
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut action = Action::Check;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| too_large())? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("list").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(failed)? {
                    if bytes.len() + chunk.len() > imports::MAX_UPLOAD_BYTES {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some((name, bytes));
            }
            Some("action") => {
                action = match field.text().await.unwrap_or_default().as_str() {
                    "import" => Action::Import,
                    "bad_rows" => Action::BadRows,
                    _ => Action::Check,
                };
            }
            _ => {}
        }
    }
    match file {
        Some((name, bytes)) if !bytes.is_empty() => Ok((name, bytes, action)),
        _ => Err("请选择要上传的名单文件 / choose the list to upload".into()),
    }
}

fn workbook_download(workbook: Vec<u8>) -> Response {
    crate::forms::download(workbook, crate::forms::XLSX, "rows-to-fix.xlsx")
}

/// `POST /admin/imports/{id}/undo`
pub async fn undo(State(state): State<AppState>, Path(id): Path<i64>, caller: Caller) -> Response {
    let result = imports::undo_upload(&state, &caller.user, id, &caller.address).await;
    Outcome::back_to(caller.owner(), "/admin/imports")
        .respond(&state, result, |()| "/admin/imports?done=undone".into())
        .await
}

/// `GET /admin/records.xlsx`
pub async fn export_xlsx(State(state): State<AppState>, caller: Caller) -> Response {
    export(state, caller, true).await
}

/// `GET /admin/records.csv`
pub async fn export_csv(State(state): State<AppState>, caller: Caller) -> Response {
    export(state, caller, false).await
}

/// Every person with all their fields, in the import's columns (administrators only).
async fn export(state: AppState, caller: Caller, excel: bool) -> Response {
    match imports::export_records(&state, &caller.user, excel, &caller.address).await {
        Ok(bytes) if excel => crate::forms::download(bytes, crate::forms::XLSX, "records.xlsx"),
        Ok(bytes) => crate::forms::download(bytes, crate::forms::CSV, "records.csv"),
        Err(e) => crate::forms::error_response(&app::error::AppError::from(e)),
    }
}
