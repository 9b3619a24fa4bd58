//! The upload store. Stored files live under `UPLOADS_DIR/<first two hex digits>/<sha256>`; an
//! upload is streamed to `UPLOADS_DIR/tmp` (hashed, cut at the size limit, flushed), checked by
//! content, renamed into place, and only then recorded. Several instances may share the
//! directory: nothing here assumes it is the only writer.
//!
//! Files are never deleted by a request. Deleting an attachment deletes its record; files no
//! record names any more, and temporary files of uploads that never finished, are collected by
//! the scheduled work (on one instance) once they are [`SETTLED`] old. An upload of the same
//! content meanwhile simply renames its copy over the old one (same bytes). The age keeps the
//! collection away from uploads under way: a file is placed before it is recorded, but an hour
//! never passes between the two.

use std::time::{Duration, SystemTime};

use app::domain::attachments::{self, AttachmentKind, UploadError, MAX_UPLOAD_BYTES};
use app::state::AppState;
use axum::extract::Multipart;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Files younger than this are never collected.
pub const SETTLED: Duration = Duration::from_secs(3600);

/// Where the file of `sha256` is stored.
pub fn stored_path(state: &AppState, sha256: &str) -> std::path::PathBuf {
    state.uploads_dir.join(&sha256[..2]).join(sha256)
}

fn settled(path: &std::path::Path, now: SystemTime) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| now.duration_since(modified).is_ok_and(|age| age >= SETTLED))
}

/// Removes temporary files left by uploads that never finished (only settled ones: another
/// instance may be writing the rest). Returns how many.
pub fn clean_unfinished_uploads(dir: &std::path::Path) -> usize {
    let now = SystemTime::now();
    let mut removed = 0;
    if let Ok(entries) = std::fs::read_dir(dir.join("tmp")) {
        for path in entries.flatten().map(|e| e.path()) {
            if settled(&path, now) && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// The scheduled collection: settled stored files that no record names, and settled temporary
/// files. Returns how many files went.
pub async fn collect_garbage(state: &AppState) -> usize {
    let mut removed = clean_unfinished_uploads(&state.uploads_dir);
    let now = SystemTime::now();
    let Ok(shards) = std::fs::read_dir(&*state.uploads_dir) else {
        return removed;
    };
    for shard in shards.flatten().map(|e| e.path()) {
        let is_shard = shard
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_hexdigit()));
        let Ok(files) = std::fs::read_dir(&shard) else {
            continue;
        };
        if !is_shard {
            continue;
        }
        for path in files.flatten().map(|e| e.path()) {
            let Some(sha256) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if !settled(&path, now) {
                continue;
            }
            match state.db.nominations.attachments_with_hash(&sha256).await {
                Ok(0) => {
                    if std::fs::remove_file(&path).is_ok() {
                        removed += 1;
                    }
                }
                Ok(_) => {}
                // Unknown: keep it.
                Err(e) => tracing::warn!("upload collection: {e}"),
            }
        }
    }
    removed
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
