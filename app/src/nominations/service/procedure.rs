//! A step of the procedure: the caller's role and the nomination's state checked against the
//! domain's transition table and guards, notice periods fixed in working days, departmental checks
//! opened, an approval's records planned, all written with the audit entry.

use super::*;

/// Notice lengths and the holiday calendar, as configured.
pub struct NoticeConfig {
    pub settings: BTreeMap<String, String>,
    pub calendar: HolidayCalendar,
}

pub async fn notice_config(state: &AppState) -> Result<NoticeConfig> {
    let settings = state.db.settings.settings().await?;
    let calendar = match settings.get(periods::HOLIDAYS_KEY) {
        Some(text) => HolidayCalendar::parse(text).unwrap_or_else(|e| {
            // Saved calendars are validated; a broken one is logged and treated as empty.
            tracing::error!("stored holiday calendar: {e}");
            HolidayCalendar::default()
        }),
        None => HolidayCalendar::default(),
    };
    Ok(NoticeConfig { settings, calendar })
}

pub(crate) fn notice_over(row: &NominationRow, today: NaiveDate) -> bool {
    // The end date was fixed when the notice opened; it ends after that day.
    row.notice_end
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .is_some_and(|end| today > end)
}

pub(crate) async fn guards(state: &AppState, row: &NominationRow, stage: Stage) -> Result<Guards> {
    let objections = state.db.objections.objections(row.id).await?;
    let checks = state.db.nominations.checks(row.id).await?;
    Ok(guards_from(
        row,
        stage,
        &objections,
        &checks,
        beijing_today(state.clock.now()),
    ))
}

/// The guards of a nomination from its objections and departmental checks.
pub(crate) fn guards_from(
    row: &NominationRow,
    stage: Stage,
    objections: &[ObjectionRow],
    checks: &[crate::db::CheckRow],
    today: NaiveDate,
) -> Guards {
    Guards {
        packet_complete: row.packet.is_complete(),
        notice_period_over: notice_over(row, today),
        unresolved_objections: objections.iter().filter(|o| o.resolution.is_none()).count() as u32,
        open_checks: if stage == Stage::SecondReview {
            checks.iter().filter(|c| c.verdict.is_none()).count() as u32
        } else {
            0
        },
        failed_checks: if stage == Stage::SecondReview {
            checks
                .iter()
                .filter(|c| c.verdict == Some(Verdict::Fail))
                .count() as u32
        } else {
            0
        },
    }
}

/// Messages for what blocks a transition, in Chinese with English.
pub fn explain(e: &TransitionError) -> String {
    match e {
        TransitionError::NotAllowedHere { stage, action } => format!(
            "当前阶段（{}）不能“{}” / not possible at this stage",
            stage.name_zh(),
            action_label(*action)
        ),
        TransitionError::WrongRole { needed, .. } => {
            format!("此操作须由{}进行 / needs the role {needed:?}", needed.name_zh())
        }
        TransitionError::PacketIncomplete => {
            "推荐报告、简要事迹和详细事迹都须填写后才能提交 / the report and both deeds texts are required".into()
        }
        TransitionError::NoticeRunning => "公示期尚未结束 / the notice period has not ended".into(),
        TransitionError::UnresolvedObjections(n) => {
            format!("还有 {n} 件异议未处理 / {n} objection(s) unresolved")
        }
        TransitionError::ChecksOpen(n) => {
            format!("还有 {n} 项部门意见未给出 / {n} departmental check(s) open")
        }
        TransitionError::ChecksFailed(n) => {
            format!("{n} 项部门意见为不通过 / {n} departmental check(s) failed")
        }
    }
}

/// Takes a step of the procedure. `note` is the reason for returning or rejecting;
/// `confirm_quota` is the reviewer's confirmation after a quota warning.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(name = "nomination.act", skip_all, fields(user = %user.username, nomination = id, action = ?action))]
pub async fn act(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    version: i64,
    action: Action,
    note: &str,
    confirm_quota: bool,
    address: &str,
) -> Result<Stage> {
    let row = load(state, user, id, address).await?;
    if action.role() != user.role || (user.role == Role::NominatingUnit && !is_owner(user, &row)) {
        return Err(refuse(
            state,
            user,
            &format!("{} nomination {id}", action_code(action)),
            address,
        )
        .await);
    }
    if row.version != version {
        return Err(ServiceError::Conflict);
    }
    let stage = row.stage;
    let g = guards(state, &row, stage).await?;
    let next = workflow::transition(stage, action, user.role, g)
        .map_err(|e| ServiceError::Refused(explain(&e)))?;
    let note = packet::clean_text(note);
    if matches!(action, Action::Return | Action::Reject) && note.is_empty() {
        let mut errors = FieldErrors::new();
        errors.insert("note".into(), "请写明理由 / give the reasons".into());
        return Err(ServiceError::Invalid(errors));
    }
    if note.chars().count() > 1000 {
        let mut errors = FieldErrors::new();
        errors.insert(
            "note".into(),
            "理由不超过 1000 字 / at most 1,000 characters".into(),
        );
        return Err(ServiceError::Invalid(errors));
    }
    let warnings = quota_warnings(&quota_round(state, &row).await?, &row, stage, action);
    if !warnings.is_empty() && !confirm_quota {
        return Err(ServiceError::Refused(format!(
            "此决定将突破名额比例：{}。如确认，请勾选确认后再提交 / this decision would break a quota: confirm to proceed",
            warnings.join("；")
        )));
    }

    let now = state.clock.now();
    let mut changed = NominationRow {
        stage: next,
        updated_at: timestamp(now),
        ..row.clone()
    };
    if matches!(action, Action::Return | Action::Reject) {
        changed.decision_note = Some(note.clone());
    }
    if next.is_notice() {
        let config = notice_config(state).await?;
        let start = beijing_today(now);
        let end = config
            .calendar
            .notice_end(start, periods::days_for(&config.settings, next));
        changed.notice_start = Some(start.to_string());
        changed.notice_end = Some(end.to_string());
    }
    let open_checks = if next == Stage::SecondReview {
        review::departments_for(row.packet.manager)
            .into_iter()
            .map(str::to_string)
            .collect()
    } else {
        Vec::new()
    };
    let approval = (next == Stage::Approved).then(|| approval_plan(&row));
    let mut after = json!({ "stage": next.code() });
    if !note.is_empty() {
        after["note"] = json!(note);
    }
    if let Some(end) = changed.notice_end.as_ref().filter(|_| next.is_notice()) {
        after["notice"] = json!(format!(
            "{} – {}",
            changed.notice_start.clone().unwrap_or_default(),
            end
        ));
    }
    if !warnings.is_empty() {
        after["quota_warnings_confirmed"] = json!(warnings);
    }
    let change = NominationChange {
        audit: AuditEntry {
            before_json: Some(json!({ "stage": stage.code() }).to_string()),
            after_json: Some(after.to_string()),
            ..audit(
                state,
                user,
                &format!("nomination.{}", action_code(action)),
                id,
                address,
            )
        },
        open_checks,
        approval,
    };
    if !state
        .db
        .nominations
        .save_nomination(&changed, &change)
        .await?
    {
        return Err(ServiceError::Conflict);
    }
    if next == Stage::Approved {
        // The new records belong to an unpublished batch unless the batch is already public.
        if let Err(e) = state.reload().await {
            tracing::error!("catalogue reload after approval: {e}");
        }
    }
    Ok(next)
}
