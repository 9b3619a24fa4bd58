//! Quota shares of a round (the candidates past the first review) and whether a decision would
//! break a rule.

use super::*;

/// What quota decisions on one nomination are measured against: its honour and year's rules and
/// the round (that honour and year's candidates who passed the first review), loaded once.
#[derive(Default)]
pub(crate) struct QuotaRound {
    pub(crate) rules: Vec<quotas::QuotaRule>,
    pub(crate) round: Vec<(i64, Candidate)>,
}

pub(crate) async fn quota_round(state: &AppState, row: &NominationRow) -> Result<QuotaRound> {
    if row.packet.candidate_kind != "person" {
        return Ok(QuotaRound::default());
    }
    let rules: Vec<_> = state
        .db
        .nominations
        .quota_rules()
        .await?
        .into_iter()
        .filter(|r| r.category == row.packet.category && r.year == row.packet.year)
        .map(|r| r.rule)
        .collect();
    if rules.is_empty() {
        return Ok(QuotaRound::default());
    }
    let round = state
        .db
        .nominations
        .nominations()
        .await?
        .into_iter()
        .filter(|n| {
            n.packet.category == row.packet.category
                && n.packet.year == row.packet.year
                && n.packet.candidate_kind == "person"
                && matches!(
                    n.stage,
                    Stage::CityNotice | Stage::SecondReview | Stage::PublicNotice | Stage::Approved
                )
        })
        .map(|n| (n.id, candidate(&n)))
        .collect();
    Ok(QuotaRound { rules, round })
}

pub(crate) fn candidate(n: &NominationRow) -> Candidate {
    Candidate {
        frontline: n.packet.frontline,
        scitech: n.packet.scitech,
        manager: n.packet.manager,
        female: n.packet.sex.as_deref() == Some("F"),
    }
}

pub(crate) fn quota_message(s: &quotas::QuotaStatus) -> String {
    format!(
        "{}占比将为 {:.1}%（{}/{}），要求 {} / {} share would be {:.1}%",
        review::attribute_name_zh(s.rule.attribute),
        s.share,
        s.count,
        s.total,
        review::bound_text(s.rule.bound),
        s.rule.attribute.code(),
        s.share
    )
}

/// Quotas `action` would break for this nomination.
pub(crate) fn quota_warnings(
    q: &QuotaRound,
    row: &NominationRow,
    stage: Stage,
    action: Action,
) -> Vec<String> {
    if q.rules.is_empty() {
        return Vec::new();
    }
    let others: Vec<Candidate> = q
        .round
        .iter()
        .filter(|(id, _)| *id != row.id)
        .map(|(_, c)| *c)
        .collect();
    let me = candidate(row);
    let in_round = matches!(
        stage,
        Stage::CityNotice | Stage::SecondReview | Stage::PublicNotice
    );
    let broken = match (action, in_round) {
        // Passing the first review brings the candidate into the round.
        (Action::Pass, false) if stage == Stage::FirstReview => {
            quotas::newly_broken(&q.rules, &others, me, true)
        }
        // Removing a candidate already in the round.
        (Action::Reject | Action::Return | Action::Withdraw, true) => {
            let mut with_me = others;
            with_me.push(me);
            quotas::newly_broken(&q.rules, &with_me, me, false)
        }
        _ => Vec::new(),
    };
    broken.iter().map(quota_message).collect()
}
