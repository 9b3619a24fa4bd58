//! Departmental checks during the second review: a reviewer records each department's verdict.

use super::*;

/// A reviewer records a department's verdict during the second review.
pub async fn decide_check(
    state: &AppState,
    user: &SessionUser,
    check_id: i64,
    nomination_id: i64,
    fields: &FormFields,
    address: &str,
) -> Result<()> {
    if user.role != Role::Reviewer {
        return Err(refuse(state, user, &format!("check {check_id}"), address).await);
    }
    let row = load(state, user, nomination_id, address).await?;
    if row.stage != Stage::SecondReview {
        return Err(ServiceError::Refused(
            "部门意见只在复审阶段填写 / only during the second review".into(),
        ));
    }
    let checks = state.db.nominations.checks(nomination_id).await?;
    let Some(check) = checks.iter().find(|c| c.id == check_id) else {
        return Err(ServiceError::NotFound);
    };
    let verdict = Verdict::parse(fields.get("verdict").map(String::as_str).unwrap_or(""));
    let note = packet::clean_text(fields.get("note").map(String::as_str).unwrap_or(""));
    let mut errors = FieldErrors::new();
    if verdict.is_none() {
        errors.insert(
            "verdict".into(),
            "请选择通过或不通过 / choose pass or fail".into(),
        );
    }
    if note.chars().count() > 1000 || (verdict == Some(Verdict::Fail) && note.is_empty()) {
        errors.insert(
            "note".into(),
            "不通过须写明理由，不超过 1000 字 / a failed check needs reasons".into(),
        );
    }
    let Some(verdict) = verdict.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let decision = CheckDecision {
        verdict,
        note: note.clone(),
        decided_at: timestamp(state.clock.now()),
        decided_by: user.id,
        decider_name: user.display_name.clone(),
    };
    let entry = AuditEntry {
        before_json: Some(
            json!({ "department": check.department, "verdict": check.verdict.map(Verdict::code) })
                .to_string(),
        ),
        after_json: Some(
            json!({ "department": check.department, "verdict": verdict.code(), "note": note })
                .to_string(),
        ),
        ..audit(state, user, "check.decide", nomination_id, address)
    };
    state
        .db
        .nominations
        .decide_check(check_id, &decision, &entry)
        .await?;
    Ok(())
}
