//! The HTTP side of nominations, notices and settings: plain form posts (POST, then redirect, so
//! they work without JavaScript), each a thin layer over `app::nominations::service` or
//! `app::admin::service`, which check the caller's role and the object. A failed save keeps what
//! was typed (the flash store) and shows each message next to its field.

use std::collections::BTreeMap;

use app::admin::flash::{Flash, FlashOwner};
use app::auth::session::{self, SessionUser};
use app::domain::attachments::{self, AttachmentKind, UploadError, MAX_UPLOAD_BYTES};
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

/// The posted fields. Repeated keys keep the last value; a malformed body is an empty form (every
/// field then reports what it needs); a body over the route's limit is refused with 413 and
/// nothing of it is kept.
async fn form_fields(req: Request) -> Result<Fields, Response> {
    match Form::<Vec<(String, String)>>::from_request(req, &()).await {
        Ok(Form(pairs)) => Ok(pairs.into_iter().collect()),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(rejection.into_response())
        }
        Err(_) => Ok(Fields::new()),
    }
}

use axum::extract::FromRequest;

/// Where to go after a use case: `done` on success; back to `back` with the input and messages
/// kept on failure.
fn respond<T>(
    state: &AppState,
    owner: impl Into<FlashOwner>,
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
        owner.into(),
        Flash::Form(FormState {
            fields,
            errors,
            message,
        }),
    );
    match key {
        Some(key) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}flash={key}")).into_response()
        }
        // Too large to keep (the body limit makes this rare): the form comes back empty.
        None => Redirect::to(back).into_response(),
    }
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let back = format!(
        "/admin/nominations/{}",
        fields.get("nomination").cloned().unwrap_or_default()
    );
    let result =
        app::notices::service::resolve_objection(&state, &user, id, &fields, &address).await;
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let secure = crate::admin::served_over_tls(req.extensions());
    let known = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(app::admin::flash::visitor_from_cookies)
        .map(str::to_string);
    let visitor = known
        .clone()
        .unwrap_or_else(app::admin::flash::new_visitor_token);
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let result = app::notices::service::file_objection(&state, id, &fields, &address).await;
    // Anonymous input is kept for this visitor's own cookie: the key in the address is useless
    // to anyone else, so a failed post cannot be turned into a link that shows planted text.
    let mut response = respond(
        &state,
        FlashOwner::Visitor(visitor.clone()),
        result,
        fields,
        |_| format!("/notices/{id}?filed=1"),
        &format!("/notices/{id}"),
    );
    if known.is_none() {
        if let Ok(cookie) =
            header::HeaderValue::from_str(&app::admin::flash::visitor_cookie(&visitor, secure))
        {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// `POST /admin/settings`
pub async fn save_settings(State(state): State<AppState>, req: Request) -> Response {
    let (user, address) = match caller(&state, caller_info(&req)).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
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
    let fields = match form_fields(req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    match app::admin::service::create_account(&state, &user, &fields, &address).await {
        Ok((username, secrets)) => {
            let key = state.flash.put(
                FlashOwner::Account(user.id),
                Flash::Secrets {
                    username,
                    totp_secret: secrets.totp_secret,
                    provisioning_url: secrets.provisioning_url,
                    recovery_codes: secrets.recovery_codes,
                },
            );
            match key {
                Some(key) => {
                    Redirect::to(&format!("/admin/users/created?flash={key}")).into_response()
                }
                None => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    ServiceError::Unavailable.to_string(),
                )
                    .into_response(),
            }
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

/// Held while a stored file's fate depends on whether a record refers to it: (rename, record)
/// and (delete record, count references, remove file) never interleave.
static FILES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

async fn receive(state: &AppState, multipart: Multipart) -> Result<Received, UploadFailure> {
    let mut received = None;
    let parts = read_parts(state, multipart, &mut received).await;
    // Whatever went wrong, no temporary file stays behind.
    let kind = match parts {
        Ok(kind) => kind,
        Err(e) => {
            if let Some((temp, ..)) = received {
                let _ = tokio::fs::remove_file(temp).await;
            }
            return Err(e);
        }
    };
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

type TempFile = (std::path::PathBuf, String, Vec<u8>, u64, String);

/// Reads the parts of an upload: its kind, and exactly one file, streamed to a temporary file
/// put in `received` as soon as it exists (so the caller can remove it on any failure).
async fn read_parts(
    state: &AppState,
    mut multipart: Multipart,
    received: &mut Option<TempFile>,
) -> Result<Option<AttachmentKind>, UploadFailure> {
    let mut kind = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(kind),
            // Includes a body over the limit: the stream is cut off there.
            Err(_) => return Err(UploadFailure::Refused(UploadError::TooLarge.to_string())),
        };
        match field.name() {
            Some("kind") => {
                let text = field.text().await.unwrap_or_default();
                kind = AttachmentKind::parse(text.trim());
            }
            Some("file") if received.is_some() => {
                return Err(UploadFailure::Refused(
                    "一次只能上传一个文件 / one file per upload".into(),
                ))
            }
            Some("file") => {
                let file_name = attachments::safe_file_name(field.file_name().unwrap_or(""));
                *received = Some(store_temp(state, field, file_name).await?);
            }
            _ => {}
        }
    }
}

/// Streams one file part to a temporary file, hashing it and stopping at the size limit.
async fn store_temp(
    state: &AppState,
    mut field: axum::extract::multipart::Field<'_>,
    file_name: String,
) -> Result<TempFile, UploadFailure> {
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
    // Placing, recording and the clean-up of an unrecorded file happen under the files lock, so
    // a deletion of another attachment with the same content cannot remove this file between
    // its rename and its record.
    let _files = FILES.lock().await;
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
    let _files = FILES.lock().await;
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
