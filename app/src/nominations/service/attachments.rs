//! Who may add, remove and read a nomination's files (the bytes themselves are the upload
//! store's business at the HTTP edge).

use super::*;

/// Who may add files: the owning unit while it may edit the nomination, and reviewers during the
/// second review (the departments' written opinions, 部门意见).
pub async fn authorize_attachment_change(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    address: &str,
) -> Result<NominationRow> {
    let row = load(state, user, id, address).await?;
    let stage = row.stage;
    if user.role == Role::Reviewer && stage == Stage::SecondReview {
        return Ok(row);
    }
    authorize_unit_edit(state, user, row, address).await
}

/// Records a file already stored under its hash.
#[allow(clippy::too_many_arguments)]
pub async fn record_attachment(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    kind: crate::domain::attachments::AttachmentKind,
    file_name: &str,
    file_type: crate::domain::attachments::FileType,
    size: u64,
    sha256: &str,
    address: &str,
) -> Result<i64> {
    authorize_attachment_change(state, user, id, address).await?;
    if user.role == Role::Reviewer && kind != crate::domain::attachments::AttachmentKind::Opinion {
        return Err(ServiceError::Refused(
            "复审阶段审核员只上传部门意见 / reviewers add departmental opinions only".into(),
        ));
    }
    let now = timestamp(state.clock.now());
    let row = crate::db::AttachmentRow {
        id: 0,
        nomination_id: id,
        kind,
        file_name: file_name.into(),
        content_type: file_type.content_type().into(),
        size_bytes: size as i64,
        sha256: sha256.into(),
        uploaded_at: now,
        uploaded_by: user.id,
    };
    let entry = AuditEntry {
        after_json: Some(json!({ "attachment": file_name, "kind": kind.code(), "bytes": size, "sha256": sha256 }).to_string()),
        ..audit(state, user, "attachment.add", id, address)
    };
    Ok(state.db.nominations.add_attachment(&row, &entry).await?)
}

/// Removes a file from a nomination the unit may still edit. Returns (nomination, sha256).
pub async fn delete_attachment(
    state: &AppState,
    user: &SessionUser,
    attachment_id: i64,
    address: &str,
) -> Result<(i64, String)> {
    let a = state
        .db
        .nominations
        .attachment(attachment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let row = load(state, user, a.nomination_id, address).await?;
    authorize_unit_edit(state, user, row, address).await?;
    let entry = AuditEntry {
        before_json: Some(
            json!({ "attachment": a.file_name, "kind": a.kind.code(), "sha256": a.sha256 })
                .to_string(),
        ),
        ..audit(state, user, "attachment.delete", a.nomination_id, address)
    };
    if !state
        .db
        .nominations
        .delete_attachment(attachment_id, &entry)
        .await?
    {
        return Err(ServiceError::NotFound);
    }
    Ok((a.nomination_id, a.sha256))
}

/// An attachment, for those who may see its nomination.
pub async fn attachment_for(
    state: &AppState,
    user: &SessionUser,
    attachment_id: i64,
    address: &str,
) -> Result<crate::db::AttachmentRow> {
    let a = state
        .db
        .nominations
        .attachment(attachment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    load(state, user, a.nomination_id, address).await?;
    Ok(a)
}
