//! The HTTP side of nominations, notices and settings: plain form posts (POST, then redirect, so
//! they work without JavaScript), each a thin layer over `app::nominations::service` or
//! `app::admin::service`, which check the caller's role and the object. A failed save keeps what
//! was typed (the flash store) and shows each message next to its field.

use std::collections::BTreeMap;

use app::admin::flash::Flash;
use app::auth::session::{self, SessionUser};
use app::nominations::attachments::{self, AttachmentKind, UploadError, MAX_UPLOAD_BYTES};
use app::nominations::model::FormState;
use app::nominations::service::{self as nominations, ServiceError};
use app::state::AppState;
use axum::{
    extract::{Multipart, Path, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::admin::address;

type Fields = BTreeMap<String, String>;

/// What identifies the caller, taken from the request before anything is awaited (a borrowed
/// request cannot be held across an await: its body is not `Sync`).
struct CallerInfo {
    cookies: String,
    address: String,
    path: String,
}

fn caller_info(req: &Request) -> CallerInfo {
    CallerInfo {
        cookies: req
            .headers()
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        address: address(req.extensions()),
        path: req.uri().path().to_string(),
    }
}

/// The signed-in caller, or the response for an anonymous one.
async fn caller(state: &AppState, info: CallerInfo) -> Result<(SessionUser, String), Response> {
    match session::current_user(state, &info.cookies).await {
        Some(user) => Ok((user, info.address)),
        None => {
            session::audit_refusal(state, None, &info.path, &info.address).await;
            Err((StatusCode::UNAUTHORIZED, "请先登录 / sign in first").into_response())
        }
    }
}

async fn form_fields(req: Request) -> Fields {
    // Repeated keys keep the last value; a malformed body is an empty form (every field then
    // reports what it needs).
    match Form::<Vec<(String, String)>>::from_request(req, &()).await {
        Ok(Form(pairs)) => pairs.into_iter().collect(),
        Err(_) => Fields::new(),
    }
}

use axum::extract::FromRequest;

/// Where to go after a use case: `done` on success; back to `back` with the input and messages
/// kept on failure.
fn respond<T>(
    state: &AppState,
    owner: i64,
    result: Result<T, ServiceError>,
    fields: Fields,
    done: impl FnOnce(T) -> String,
    back: &str,
) -> Response {
    let (errors, message) = match result {
        Ok(value) => return Redirect::to(&done(value)).into_response(),
        Err(ServiceError::Forbidden) => {
            return (StatusCode::FORBIDDEN, ServiceError::Forbidden.to_string()).into_response()
        }
        Err(ServiceError::NotFound) => {
            return (StatusCode::NOT_FOUND, ServiceError::NotFound.to_string()).into_response()
        }
        Err(ServiceError::Unavailable) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                ServiceError::Unavailable.to_string(),
            )
                .into_response()
        }
        Err(ServiceError::Invalid(errors)) => (errors, None),
        Err(other) => (BTreeMap::new(), Some(other.to_string())),
    };
    let mut fields = fields;
    // Secrets are never kept.
    fields.retain(|k, _| !k.starts_with("password"));
    let key = state.flash.put(
        owner,
        Flash::Form(FormState {
            fields,
            errors,
            message,
        }),
    );
    let sep = if back.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{back}{sep}flash={key}")).into_response()
}

fn version_of(fields: &Fields) -> i64 {
    fields
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1)
}

/// `POST /admin/nominations`: a new draft.
pub async fn create(State(state): State<AppState>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let result = nominations::create(&state, &user, &fields, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |id| format!("/admin/nominations/{id}?done=saved"),
        "/admin/nominations/new",
    )
}

/// `POST /admin/nominations/{id}`: saves the unit's changes.
pub async fn update(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let result =
        nominations::update(&state, &user, id, version_of(&fields), &fields, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |_| format!("/admin/nominations/{id}?done=saved"),
        &format!("/admin/nominations/{id}/edit"),
    )
}

/// `POST /admin/nominations/{id}/actions`: a step of the procedure.
pub async fn act(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let Some(action) = fields
        .get("action")
        .and_then(|a| nominations::parse_action(a))
    else {
        return (StatusCode::BAD_REQUEST, "unknown action").into_response();
    };
    let result = nominations::act(
        &state,
        &user,
        id,
        version_of(&fields),
        action,
        fields.get("note").map(String::as_str).unwrap_or(""),
        fields.contains_key("confirm_quota"),
        &address,
    )
    .await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |_| format!("/admin/nominations/{id}?done=action"),
        &format!("/admin/nominations/{id}"),
    )
}

/// `POST /admin/objections/{id}/resolve`
pub async fn resolve_objection(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let back = format!(
        "/admin/nominations/{}",
        fields.get("nomination").cloned().unwrap_or_default()
    );
    let result = nominations::resolve_objection(&state, &user, id, &fields, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |nomination| format!("/admin/nominations/{nomination}?done=resolved"),
        &back,
    )
}

/// `POST /admin/checks/{id}`: a department's verdict.
pub async fn decide_check(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let nomination: i64 = fields
        .get("nomination")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let result = nominations::decide_check(&state, &user, id, nomination, &fields, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |_| format!("/admin/nominations/{nomination}?done=check"),
        &format!("/admin/nominations/{nomination}"),
    )
}

/// `POST /notices/{id}/objections`: anyone may object while the notice is open.
pub async fn file_objection(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let address = address(req.extensions());
    let fields = form_fields(req).await;
    let result = nominations::file_objection(&state, id, &fields, &address).await;
    // Anonymous input is kept under owner 0; its key is random and read once.
    respond(
        &state,
        0,
        result,
        fields,
        |_| format!("/notices/{id}?filed=1"),
        &format!("/notices/{id}"),
    )
}

/// `POST /admin/settings`
pub async fn save_settings(State(state): State<AppState>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let result = app::admin::service::save_settings(&state, &user, &fields, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |_| "/admin/settings?done=saved".into(),
        "/admin/settings",
    )
}

/// `POST /admin/batches/{id}/publish` with `publish=1` or `0`.
pub async fn publish_batch(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    let publish = fields.get("publish").map(String::as_str) != Some("0");
    let result = app::admin::service::publish_batch(&state, &user, id, publish, &address).await;
    respond(
        &state,
        user.id,
        result,
        fields,
        |_| "/admin/settings?done=published".into(),
        "/admin/settings",
    )
}

/// `POST /admin/users`: an account for another role; its second factor is shown once.
pub async fn create_account(State(state): State<AppState>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = form_fields(req).await;
    match app::admin::service::create_account(&state, &user, &fields, &address).await {
        Ok((username, secrets)) => {
            let key = state.flash.put(
                user.id,
                Flash::Secrets {
                    username,
                    totp_secret: secrets.totp_secret,
                    provisioning_url: secrets.provisioning_url,
                    recovery_codes: secrets.recovery_codes,
                },
            );
            Redirect::to(&format!("/admin/users/created?flash={key}")).into_response()
        }
        Err(e) => respond(
            &state,
            user.id,
            Err::<(), _>(e),
            fields,
            |_| String::new(),
            "/admin/users/new",
        ),
    }
}

// ---- Attachments -------------------------------------------------------------------------

/// Stored files live under `uploads/<first two hex digits>/<sha256>`; an upload is written to
/// `uploads/tmp` first, flushed to disk, then renamed into place, and only then recorded. A
/// restart mid-upload leaves a temporary file (removed at start-up) and no record.
fn stored_path(state: &AppState, sha256: &str) -> std::path::PathBuf {
    state.uploads_dir.join(&sha256[..2]).join(sha256)
}

/// Removes temporary files left by uploads that never finished.
pub fn clean_unfinished_uploads(dir: &std::path::Path) {
    let tmp = dir.join("tmp");
    if let Ok(entries) = std::fs::read_dir(&tmp) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

enum UploadFailure {
    Refused(String),
    Internal(String),
}

struct Received {
    temp: std::path::PathBuf,
    file_name: String,
    kind: AttachmentKind,
    file_type: attachments::FileType,
    size: u64,
    sha256: String,
}

async fn receive(state: &AppState, mut multipart: Multipart) -> Result<Received, UploadFailure> {
    let mut kind = None;
    let mut received = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // Includes a body over the limit: the stream is cut off there.
            Err(_) => return Err(UploadFailure::Refused(UploadError::TooLarge.to_string())),
        };
        match field.name() {
            Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = AttachmentKind::parse(text.trim());
            }
            Some("file") => {
                let file_name = attachments::safe_file_name(field.file_name().unwrap_or(""));
                received = Some(store_temp(state, field, file_name).await?);
            }
            _ => {}
        }
    }
    let Some((temp, file_name, head, size, sha256)) = received else {
        return Err(UploadFailure::Refused(UploadError::Empty.to_string()));
    };
    let outcome = (|| {
        let kind = kind.ok_or(UploadError::UnknownKind)?;
        let file_type = attachments::check(&file_name, kind, &head)?;
        Ok::<_, UploadError>((kind, file_type))
    })();
    match outcome {
        Ok((kind, file_type)) => Ok(Received {
            temp,
            file_name,
            kind,
            file_type,
            size,
            sha256,
        }),
        Err(e) => {
            let _ = tokio::fs::remove_file(&temp).await;
            Err(UploadFailure::Refused(e.to_string()))
        }
    }
}

/// Streams one file part to a temporary file, hashing it and stopping at the size limit.
async fn store_temp(
    state: &AppState,
    mut field: axum::extract::multipart::Field<'_>,
    file_name: String,
) -> Result<(std::path::PathBuf, String, Vec<u8>, u64, String), UploadFailure> {
    let tmp_dir = state.uploads_dir.join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(|e| UploadFailure::Internal(format!("create {}: {e}", tmp_dir.display())))?;
    let mut random = [0u8; 12];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut random);
    let temp = tmp_dir.join(
        random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    );
    let mut file = tokio::fs::File::create(&temp)
        .await
        .map_err(|e| UploadFailure::Internal(format!("create temp: {e}")))?;
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(16);
    let mut size: u64 = 0;
    let failure = loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len() as u64;
                if size > MAX_UPLOAD_BYTES {
                    break Some(UploadFailure::Refused(UploadError::TooLarge.to_string()));
                }
                if head.len() < 16 {
                    head.extend(chunk.iter().take(16 - head.len()));
                }
                hasher.update(&chunk);
                if let Err(e) = file.write_all(&chunk).await {
                    break Some(UploadFailure::Internal(format!("write temp: {e}")));
                }
            }
            Ok(None) => break None,
            Err(_) => break Some(UploadFailure::Refused(UploadError::TooLarge.to_string())),
        }
    };
    if let Some(f) = failure {
        drop(file);
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(f);
    }
    if let Err(e) = file.sync_all().await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(UploadFailure::Internal(format!("sync temp: {e}")));
    }
    let sha256: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((temp, file_name, head, size, sha256))
}

/// `POST /admin/nominations/{id}/attachments` (multipart: `kind`, `file`).
pub async fn upload(State(state): State<AppState>, Path(id): Path<i64>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let back = format!("/admin/nominations/{id}");
    // Who may add files is checked before a byte is stored.
    if let Err(e) = nominations::authorize_attachment_change(&state, &user, id, &address).await {
        return respond(
            &state,
            user.id,
            Err::<(), _>(e),
            Fields::new(),
            |_| String::new(),
            &back,
        );
    }
    let multipart = match Multipart::from_request(req, &()).await {
        Ok(m) => m,
        Err(_) => return (StatusCode::BAD_REQUEST, "multipart/form-data expected").into_response(),
    };
    let received = match receive(&state, multipart).await {
        Ok(r) => r,
        Err(UploadFailure::Refused(message)) => {
            return respond(
                &state,
                user.id,
                Err::<(), _>(ServiceError::Refused(message)),
                Fields::new(),
                |_| String::new(),
                &back,
            )
        }
        Err(UploadFailure::Internal(e)) => {
            tracing::error!("upload: {e}");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                ServiceError::Unavailable.to_string(),
            )
                .into_response();
        }
    };
    let final_path = stored_path(&state, &received.sha256);
    let placed = async {
        if let Some(parent) = final_path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(&received.temp, &final_path).await?;
        // The rename is durable once the directory is flushed.
        if let Some(parent) = final_path.parent() {
            tokio::fs::File::open(parent).await?.sync_all().await?;
        }
        Ok::<_, std::io::Error>(())
    }
    .await;
    if let Err(e) = placed {
        let _ = tokio::fs::remove_file(&received.temp).await;
        tracing::error!("upload: placing file: {e}");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            ServiceError::Unavailable.to_string(),
        )
            .into_response();
    }
    let result = nominations::record_attachment(
        &state,
        &user,
        id,
        received.kind,
        &received.file_name,
        received.file_type,
        received.size,
        &received.sha256,
        &address,
    )
    .await;
    if result.is_err()
        && state
            .db
            .attachments_with_hash(&received.sha256)
            .await
            .unwrap_or(1)
            == 0
    {
        let _ = tokio::fs::remove_file(&final_path).await;
    }
    respond(
        &state,
        user.id,
        result,
        Fields::new(),
        |_| format!("{back}?done=uploaded"),
        &back,
    )
}

/// `POST /admin/attachments/{id}/delete`
pub async fn delete_attachment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let result = nominations::delete_attachment(&state, &user, id, &address).await;
    if let Ok((_, sha256)) = &result {
        if state.db.attachments_with_hash(sha256).await.unwrap_or(1) == 0 {
            let _ = tokio::fs::remove_file(stored_path(&state, sha256)).await;
        }
    }
    respond(
        &state,
        user.id,
        result,
        Fields::new(),
        |(nomination, _)| format!("/admin/nominations/{nomination}?done=deleted"),
        "/admin/nominations",
    )
}

/// `GET /admin/attachments/{id}`: the file, to those who may see its nomination.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let attachment = match nominations::attachment_for(&state, &user, id, &address).await {
        Ok(a) => a,
        Err(e) => {
            return respond(
                &state,
                user.id,
                Err::<(), _>(e),
                Fields::new(),
                |_| String::new(),
                "/admin/nominations",
            )
        }
    };
    match tokio::fs::read(stored_path(&state, &attachment.sha256)).await {
        Ok(bytes) => {
            let disposition = format!(
                "attachment; filename=\"attachment-{}\"; filename*=UTF-8''{}",
                attachment.id,
                app::components::layout::encode_component(&attachment.file_name)
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
        Err(e) => {
            tracing::error!("attachment {id}: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                ServiceError::Unavailable.to_string(),
            )
                .into_response()
        }
    }
}
