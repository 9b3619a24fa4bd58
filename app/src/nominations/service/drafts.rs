//! A unit's drafts: creating and editing the packet (only the unit that owns it, only while it
//! may still change), with the changed fields in the audit entry.

use super::*;

/// The packet fields that differ, as (before, after) JSON objects.
pub(crate) fn packet_diff(before: &Packet, after: &Packet) -> (String, String) {
    let b = before.to_fields();
    let a = after.to_fields();
    let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let mut bj = serde_json::Map::new();
    let mut aj = serde_json::Map::new();
    for k in keys {
        if b.get(k) != a.get(k) {
            bj.insert(k.clone(), json!(b.get(k).cloned().unwrap_or_default()));
            aj.insert(k.clone(), json!(a.get(k).cloned().unwrap_or_default()));
        }
    }
    (
        serde_json::Value::Object(bj).to_string(),
        serde_json::Value::Object(aj).to_string(),
    )
}

/// A new draft by a nominating unit.
#[tracing::instrument(name = "nomination.create", skip_all, fields(user = %user.username))]
pub async fn create(
    state: &AppState,
    user: &SessionUser,
    fields: &FormFields,
    address: &str,
) -> Result<i64> {
    let Some(unit) = user
        .unit_name
        .clone()
        .filter(|_| user.role == Role::NominatingUnit)
    else {
        return Err(refuse(state, user, "create nomination", address).await);
    };
    let packet = packet::parse(fields, this_year(state)).map_err(ServiceError::Invalid)?;
    let now = timestamp(state.clock.now());
    let row = NominationRow {
        unit_name: unit,
        created_by: user.id,
        packet: packet.clone(),
        stage: Stage::Draft,
        version: 1,
        created_at: now.clone(),
        updated_at: now,
        ..NominationRow::default()
    };
    let entry = AuditEntry {
        after_json: Some(json!(packet.to_fields()).to_string()),
        ..audit(state, user, "nomination.create", 0, address)
    };
    Ok(state.db.nominations.create_nomination(&row, &entry).await?)
}

/// Saves the unit's changes to its draft (or returned) nomination, if nobody saved since
/// `version` was read.
#[tracing::instrument(name = "nomination.update", skip_all, fields(user = %user.username, nomination = id))]
pub async fn update(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    version: i64,
    fields: &FormFields,
    address: &str,
) -> Result<()> {
    let row = load(state, user, id, address).await?;
    if !is_owner(user, &row) {
        return Err(refuse(state, user, &format!("edit nomination {id}"), address).await);
    }
    if !row.stage.is_editable() {
        return Err(ServiceError::Refused(
            "只有草稿或退回的提名可以修改 / only drafts and returned nominations can be changed"
                .into(),
        ));
    }
    if row.version != version {
        return Err(ServiceError::Conflict);
    }
    let packet = packet::parse(fields, this_year(state)).map_err(ServiceError::Invalid)?;
    let (before, after) = packet_diff(&row.packet, &packet);
    let changed = NominationRow {
        packet,
        updated_at: timestamp(state.clock.now()),
        ..row
    };
    let change = NominationChange {
        audit: AuditEntry {
            before_json: Some(before),
            after_json: Some(after),
            ..audit(state, user, "nomination.edit", id, address)
        },
        open_checks: Vec::new(),
        approval: None,
    };
    if state
        .db
        .nominations
        .save_nomination(&changed, &change)
        .await?
    {
        Ok(())
    } else {
        Err(ServiceError::Conflict)
    }
}

/// The owning unit, while the nomination is a draft or returned.
pub(crate) async fn authorize_unit_edit(
    state: &AppState,
    user: &SessionUser,
    row: NominationRow,
    address: &str,
) -> Result<NominationRow> {
    if !is_owner(user, &row) {
        return Err(refuse(
            state,
            user,
            &format!("attachments of nomination {}", row.id),
            address,
        )
        .await);
    }
    if !row.stage.is_editable() {
        return Err(ServiceError::Refused(
            "提交后不能再更改材料 / files cannot change after submission".into(),
        ));
    }
    Ok(row)
}
