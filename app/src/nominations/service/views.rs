//! What the admin pages show: the list with counts per stage, a nomination with the actions the
//! caller may take, the form, and what waits for each role.

use super::*;

pub(crate) fn category_name(code: &str) -> String {
    honour_category(code).map_or(code.to_string(), |c| c.name_zh.to_string())
}

pub(crate) fn categories_for_form() -> Vec<Choice> {
    HONOUR_CATEGORIES
        .iter()
        .map(|c| Choice {
            name: c.name_zh.to_string(),
            code: c.code.to_string(),
        })
        .collect()
}

/// The filterable list, with counts per stage.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    stage_filter: Option<&str>,
    category: Option<&str>,
    query: Option<&str>,
) -> Result<NominationList> {
    let all = state.db.nominations.nominations().await?;
    let visible: Vec<NominationRow> = all.into_iter().filter(|n| may_see(user, n)).collect();
    let filtered_ex_stage: Vec<&NominationRow> = visible
        .iter()
        .filter(|n| category.is_none_or(|c| c.is_empty() || n.packet.category == c))
        .filter(|n| {
            query.map(str::trim).is_none_or(|q| {
                q.is_empty() || n.packet.candidate_name.contains(q) || n.unit_name.contains(q)
            })
        })
        .collect();
    let counts = stage_counts(filtered_ex_stage.iter().copied(), &Stage::ALL);
    let unresolved = state.db.objections.unresolved_objection_counts().await?;
    let mut rows = Vec::new();
    for n in filtered_ex_stage
        .iter()
        .filter(|n| stage_filter.is_none_or(|s| s.is_empty() || n.stage.code() == s))
    {
        rows.push(NominationSummary {
            id: n.id,
            candidate_name: n.packet.candidate_name.clone(),
            unit_name: n.unit_name.clone(),
            category_name: category_name(&n.packet.category),
            year: n.packet.year,
            stage: Some(n.stage),
            stage_code: n.stage.code().to_string(),
            updated_at: n.updated_at.clone(),
            unresolved_objections: unresolved.get(&n.id).copied().unwrap_or(0) as usize,
        });
    }
    rows.reverse();
    Ok(NominationList {
        total: filtered_ex_stage.len(),
        counts,
        rows,
        can_create: user.role == Role::NominatingUnit,
        categories: categories_for_form(),
    })
}

/// How many of `rows` stand at each of `stages`.
pub(crate) fn stage_counts<'a>(
    rows: impl Iterator<Item = &'a NominationRow>,
    stages: &[Stage],
) -> Vec<StageCount> {
    let mut counts: Vec<StageCount> = stages
        .iter()
        .map(|s| StageCount {
            stage: *s,
            code: s.code().to_string(),
            count: 0,
        })
        .collect();
    for row in rows {
        if let Some(c) = counts.iter_mut().find(|c| c.stage == row.stage) {
            c.count += 1;
        }
    }
    counts
}

pub(crate) fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1048576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub(crate) const FIELD_LABELS: [(&str, &str); 16] = [
    ("candidate_name", "候选人"),
    ("year", "年度"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("birth_year", "出生年份"),
    ("work_unit", "工作单位"),
    ("post", "职务"),
    ("industry", "行业"),
    ("district", "区"),
    ("frontline", "一线职工"),
    ("scitech", "科技人员"),
    ("manager", "企业负责人"),
    ("report", "推荐报告（一报告）"),
    ("deeds_short", "简要事迹"),
    ("deeds_full", "详细事迹"),
    ("category", "荣誉类别"),
];

/// Everything the nomination page shows to this user.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    flash: Option<FormState>,
    address: &str,
) -> Result<NominationDetail> {
    let row = load(state, user, id, address).await?;
    let stage = row.stage;
    let owner = is_owner(user, &row);
    let fields_map = row.packet.to_fields();
    let fields = FIELD_LABELS
        .iter()
        .filter(|(k, _)| *k != "category")
        .filter_map(|(k, label)| {
            let v = fields_map.get(*k)?.clone();
            if v.is_empty() {
                return None;
            }
            let v = match *k {
                "sex" => {
                    if v == "F" {
                        "女".into()
                    } else {
                        "男".into()
                    }
                }
                "frontline" | "scitech" | "manager" => "是".into(),
                _ => v,
            };
            Some((label.to_string(), v))
        })
        .collect();

    let objection_rows = state.db.objections.objections(id).await?;
    let check_rows = state.db.nominations.checks(id).await?;
    let quota_round = quota_round(state, &row).await?;
    let g = guards_from(
        &row,
        stage,
        &objection_rows,
        &check_rows,
        beijing_today(state.clock.now()),
    );
    let mut actions = Vec::new();
    for action in Action::ALL {
        if action.role() != user.role || (user.role == Role::NominatingUnit && !owner) {
            continue;
        }
        // Only the actions this stage allows at all; guards become a "blocked" reason.
        let open = Guards {
            packet_complete: true,
            notice_period_over: true,
            ..Guards::default()
        };
        if workflow::transition(stage, action, user.role, open).is_err() {
            continue;
        }
        let blocked = workflow::transition(stage, action, user.role, g)
            .err()
            .map(|e| explain(&e));
        actions.push(ActionView {
            code: action_code(action),
            label: if action == Action::CloseNotice && stage == Stage::PublicNotice {
                "结束公示".into()
            } else {
                action_label(action).into()
            },
            needs_note: matches!(action, Action::Return | Action::Reject),
            blocked,
            quota_warnings: quota_warnings(&quota_round, &row, stage, action),
        });
    }

    let attachments = state
        .db
        .nominations
        .attachments(id)
        .await?
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            kind_name: a.kind.name_zh().into(),
            file_name: a.file_name,
            size_text: size_text(a.size_bytes),
            uploaded_at: a.uploaded_at,
        })
        .collect();
    let sees_objectors = matches!(
        user.role,
        Role::NoticeManager | Role::Reviewer | Role::Administrator
    );
    let objections = objection_rows
        .into_iter()
        .map(|o| ObjectionView {
            id: o.id,
            stage: Some(o.stage),
            filed_at: o.filed_at,
            name: sees_objectors.then(|| o.name.clone()),
            contact: sees_objectors.then(|| o.contact.clone()),
            body: sees_objectors.then(|| o.body.clone()),
            resolved: o.resolution.map(|r| {
                format!(
                    "{} · {}：{}（{}）",
                    if r.outcome == Outcome::Upheld {
                        "异议成立"
                    } else {
                        "异议不成立"
                    },
                    r.resolver_name,
                    r.finding,
                    r.resolved_at
                )
            }),
        })
        .collect();
    let checks = check_rows
        .into_iter()
        .map(|c| CheckView {
            id: c.id,
            department: c.department,
            verdict: c.verdict.map(|v| {
                if v == Verdict::Pass {
                    "通过".into()
                } else {
                    "不通过".into()
                }
            }),
            note: c.note.filter(|n| !n.is_empty()),
            decided: c
                .decided_at
                .map(|at| format!("{} · {at}", c.decider_name.unwrap_or_default())),
        })
        .collect();

    let reviewing = matches!(
        user.role,
        Role::Reviewer | Role::Administrator | Role::NoticeManager
    );
    let quota = if reviewing && !quota_round.rules.is_empty() {
        let set: Vec<Candidate> = quota_round.round.iter().map(|(_, c)| *c).collect();
        quotas::evaluate(&quota_round.rules, &set)
            .into_iter()
            .map(|s| QuotaView {
                label: format!(
                    "{} {}",
                    review::attribute_name_zh(s.rule.attribute),
                    review::bound_text(s.rule.bound)
                ),
                share_text: format!("{:.1}%（{}/{}）", s.share, s.count, s.total),
                met: s.met,
            })
            .collect()
    } else {
        Vec::new()
    };
    let history = state
        .db
        .audit
        .audit_for("nomination", &id.to_string())
        .await?
        .into_iter()
        .map(|e| HistoryView {
            at: e.at,
            actor: e.actor_name,
            action: e.action,
            before: e.before_json.unwrap_or_default(),
            after: e.after_json.unwrap_or_default(),
        })
        .collect();
    let notice = match (&row.notice_start, &row.notice_end) {
        (Some(s), Some(e)) => Some(format!(
            "{s} 至 {e}{}",
            if stage.is_notice() {
                if notice_over(&row, beijing_today(state.clock.now())) {
                    "（已期满）"
                } else {
                    "（公示中）"
                }
            } else {
                ""
            }
        )),
        _ => None,
    };
    Ok(NominationDetail {
        id,
        version: row.version,
        stage_code: row.stage.code().to_string(),
        stage: Some(stage),
        unit_name: row.unit_name.clone(),
        category_name: category_name(&row.packet.category),
        candidate_kind: row.packet.candidate_kind.clone(),
        candidate_name: row.packet.candidate_name.clone(),
        fields,
        notice,
        decision_note: row.decision_note.clone(),
        can_edit: owner && stage.is_editable(),
        can_upload: (owner && stage.is_editable())
            || (user.role == Role::Reviewer && stage == Stage::SecondReview),
        opinions_only: user.role == Role::Reviewer,
        can_resolve_objections: user.role == Role::NoticeManager,
        can_decide_checks: user.role == Role::Reviewer && stage == Stage::SecondReview,
        actions,
        attachments,
        objections,
        checks,
        quota,
        quota_scope: format!(
            "{} {} 年已通过初审的候选人",
            category_name(&row.packet.category),
            row.packet.year
        ),
        history,
        laureate_id: row.person_id,
        flash,
    })
}

/// The form to create (no id) or edit a nomination.
pub async fn form(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    flash: Option<FormState>,
    address: &str,
) -> Result<NominationFormData> {
    if user.role != Role::NominatingUnit {
        return Err(ServiceError::Forbidden);
    }
    let (version, stored) = match id {
        Some(id) => {
            let row = load(state, user, id, address).await?;
            if !is_owner(user, &row) || !row.stage.is_editable() {
                return Err(ServiceError::Forbidden);
            }
            (row.version, row.packet.to_fields())
        }
        None => {
            let mut f = FormFields::new();
            f.insert("year".into(), this_year(state).to_string());
            f.insert("category".into(), "beijing_model".into());
            (0, f)
        }
    };
    // After a failed save the typed input wins over what is stored.
    let form = flash.unwrap_or(FormState {
        fields: stored,
        ..FormState::default()
    });
    Ok(NominationFormData {
        id,
        version,
        categories: categories_for_form(),
        form,
    })
}

/// The stages where nominations wait for this role, with how many wait there (for the overview).
pub async fn waiting_for(state: &AppState, user: &SessionUser) -> Result<Vec<StageCount>> {
    let stages: &[Stage] = match user.role {
        Role::NominatingUnit => &[Stage::Draft, Stage::Returned],
        Role::NoticeManager => &[Stage::Recommended, Stage::UnitNotice, Stage::CityNotice],
        Role::Reviewer => &[Stage::FirstReview, Stage::SecondReview, Stage::PublicNotice],
        Role::Administrator => &[],
    };
    let all = state.db.nominations.nominations().await?;
    Ok(stage_counts(
        all.iter().filter(|n| may_see(user, n)),
        stages,
    ))
}
