//! A nomination's files: upload (checked by content, stored by hash), removal and download.

use app::admin::flash::FlashOwner;
use app::components::layout::encode_component;
use app::error::AppError;
use app::nominations::service::{self as nominations, ServiceError};
use app::state::AppState;
use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use crate::forms::{error_response, Caller, Outcome};
use crate::uploads::{self, UploadFailure};

/// `POST /admin/nominations/{id}/attachments` (multipart: `kind`, `file`).
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    req: Request,
) -> Response {
    let back = Outcome::back_to(caller.owner(), format!("/admin/nominations/{id}"));
    // Who may add files is checked before a byte is stored.
    if let Err(e) =
        nominations::authorize_attachment_change(&state, &caller.user, id, &caller.address).await
    {
        return back.refuse(&state, e).await;
    }
    let Ok(multipart) = Multipart::from_request(req, &()).await else {
        return (StatusCode::BAD_REQUEST, "multipart/form-data expected").into_response();
    };
    let received = match uploads::receive(&state, multipart).await {
        Ok(r) => r,
        Err(UploadFailure::Refused(message)) => {
            return back.refuse(&state, ServiceError::Refused(message)).await
        }
        Err(UploadFailure::Internal(e)) => return unavailable("upload", e),
    };
    if let Err(e) = uploads::place(&state, &received).await {
        return unavailable("upload: placing file", e);
    }
    let result = nominations::record_attachment(
        &state,
        &caller.user,
        id,
        received.kind,
        &received.file_name,
        received.file_type,
        received.size,
        &received.sha256,
        &caller.address,
    )
    .await;
    // A file no record names (this one, if recording failed) is collected later, by the
    // scheduled work (see `uploads`).
    back.respond(&state, result, |_| {
        format!("/admin/nominations/{id}?done=uploaded")
    })
    .await
}

/// `POST /admin/attachments/{id}/delete`
pub async fn delete_attachment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Response {
    // Only the record goes now; the file, once no record names it, goes with the scheduled
    // collection (see `uploads`).
    let result = nominations::delete_attachment(&state, &caller.user, id, &caller.address).await;
    Outcome::back_to(caller.owner(), "/admin/nominations")
        .respond(&state, result, |(nomination, _)| {
            format!("/admin/nominations/{nomination}?done=deleted")
        })
        .await
}

/// `GET /admin/attachments/{id}`: the file, to those who may see its nomination.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Response {
    let attachment =
        match nominations::attachment_for(&state, &caller.user, id, &caller.address).await {
            Ok(a) => a,
            Err(e) => {
                return Outcome::back_to(FlashOwner::Account(caller.user.id), "/admin/nominations")
                    .refuse(&state, e)
                    .await
            }
        };
    match tokio::fs::read(uploads::stored_path(&state, &attachment.sha256)).await {
        Ok(bytes) => {
            let disposition = format!(
                "attachment; filename=\"attachment-{}\"; filename*=UTF-8''{}",
                attachment.id,
                encode_component(&attachment.file_name)
            );
            (
                [
                    (header::CONTENT_TYPE, attachment.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "private, no-store".into()),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => unavailable(&format!("attachment {id}"), e),
    }
}

fn unavailable(context: &str, error: impl std::fmt::Display) -> Response {
    error_response(&AppError::internal(context, error))
}
