//! The upload store. Stored files live under `UPLOADS_DIR/<first two hex digits>/<sha256>`; an
//! upload is streamed to `UPLOADS_DIR/tmp` (hashed, cut at the size limit, flushed), checked by
//! content, renamed into place, and only then recorded. A restart mid-upload leaves a temporary
//! file (removed at start-up) and no record. Whether a stored file is still referenced is decided
//! under one lock, so an upload and a deletion of the same content never interleave.

use app::domain::attachments::{self, AttachmentKind, UploadError, MAX_UPLOAD_BYTES};
use app::state::AppState;
use axum::extract::Multipart;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Held while a stored file's fate depends on whether a record refers to it: (rename, record)
/// and (delete record, count references, remove file) never interleave.
pub static FILES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Stored files live under `uploads/<first two hex digits>/<sha256>`; an upload is written to
/// `uploads/tmp` first, flushed to disk, then renamed into place, and only then recorded. A
/// restart mid-upload leaves a temporary file (removed at start-up) and no record.
pub fn stored_path(state: &AppState, sha256: &str) -> std::path::PathBuf {
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

pub enum UploadFailure {
    Refused(String),
    Internal(String),
}

pub struct Received {
    pub temp: std::path::PathBuf,
    pub file_name: String,
    pub kind: AttachmentKind,
    pub file_type: attachments::FileType,
    pub size: u64,
    pub sha256: String,
}

pub async fn receive(state: &AppState, multipart: Multipart) -> Result<Received, UploadFailure> {
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

/// Moves a received file into place, durably (the directory is flushed after the rename).
pub async fn place(state: &AppState, received: &Received) -> std::io::Result<std::path::PathBuf> {
    let final_path = stored_path(state, &received.sha256);
    let placed = async {
        if let Some(parent) = final_path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(&received.temp, &final_path).await?;
        if let Some(parent) = final_path.parent() {
            tokio::fs::File::open(parent).await?.sync_all().await?;
        }
        Ok::<_, std::io::Error>(())
    }
    .await;
    if let Err(e) = placed {
        let _ = tokio::fs::remove_file(&received.temp).await;
        return Err(e);
    }
    Ok(final_path)
}

/// Removes the stored file of `sha256` if no record refers to it any more (call under [`FILES`]).
pub async fn remove_if_unreferenced(state: &AppState, sha256: &str) {
    if state
        .db
        .nominations
        .attachments_with_hash(sha256)
        .await
        .unwrap_or(1)
        == 0
    {
        let _ = tokio::fs::remove_file(stored_path(state, sha256)).await;
    }
}
