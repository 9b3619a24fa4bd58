//! Quotas per honour and year (e.g. Beijing 2015: ≥ 45 % frontline workers, ≥ 25 % science and
//! technology staff, ≤ 8 % managers). The rules are data; this module only evaluates them on the
//! candidates of a round and says whether a decision would break one.

use serde::{Deserialize, Serialize};

/// What a share is counted of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Frontline,
    SciTech,
    Manager,
    Female,
}

impl Attribute {
    pub const ALL: [Attribute; 4] = [
        Attribute::Frontline,
        Attribute::SciTech,
        Attribute::Manager,
        Attribute::Female,
    ];

    /// How the attribute is stored and written in the settings' rule text.
    pub fn code(self) -> &'static str {
        match self {
            Attribute::Frontline => "frontline",
            Attribute::SciTech => "scitech",
            Attribute::Manager => "manager",
            Attribute::Female => "female",
        }
    }

    pub fn parse(code: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// At least this share (percent).
    AtLeast(f64),
    /// At most this share (percent).
    AtMost(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaRule {
    pub attribute: Attribute,
    pub bound: Bound,
}

/// The traits of one candidate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    pub frontline: bool,
    pub scitech: bool,
    pub manager: bool,
    pub female: bool,
}

impl Candidate {
    fn has(&self, attribute: Attribute) -> bool {
        match attribute {
            Attribute::Frontline => self.frontline,
            Attribute::SciTech => self.scitech,
            Attribute::Manager => self.manager,
            Attribute::Female => self.female,
        }
    }
}

/// A rule measured on a set of candidates.
#[derive(Clone, Debug, PartialEq)]
pub struct QuotaStatus {
    pub rule: QuotaRule,
    pub count: usize,
    pub total: usize,
    /// Percent, 0 when there are no candidates.
    pub share: f64,
    pub met: bool,
}

pub fn evaluate(rules: &[QuotaRule], candidates: &[Candidate]) -> Vec<QuotaStatus> {
    let total = candidates.len();
    rules
        .iter()
        .map(|rule| {
            let count = candidates.iter().filter(|c| c.has(rule.attribute)).count();
            let share = if total == 0 {
                0.0
            } else {
                count as f64 * 100.0 / total as f64
            };
            // An empty round breaks no rule.
            let met = total == 0
                || match rule.bound {
                    Bound::AtLeast(min) => share + 1e-9 >= min,
                    Bound::AtMost(max) => share <= max + 1e-9,
                };
            QuotaStatus {
                rule: *rule,
                count,
                total,
                share,
                met,
            }
        })
        .collect()
}

/// The rules that hold now and would no longer hold if `candidate` were added to (`adding`) or
/// taken from the approved set: what the review screen warns about before the decision.
pub fn newly_broken(
    rules: &[QuotaRule],
    approved: &[Candidate],
    candidate: Candidate,
    adding: bool,
) -> Vec<QuotaStatus> {
    let before = evaluate(rules, approved);
    let mut after_set = approved.to_vec();
    if adding {
        after_set.push(candidate);
    } else if let Some(i) = after_set.iter().position(|c| *c == candidate) {
        after_set.remove(i);
    }
    let after = evaluate(rules, &after_set);
    before
        .into_iter()
        .zip(after)
        .filter(|(b, a)| b.met && !a.met)
        .map(|(_, a)| a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEIJING_2015: [QuotaRule; 3] = [
        QuotaRule {
            attribute: Attribute::Frontline,
            bound: Bound::AtLeast(45.0),
        },
        QuotaRule {
            attribute: Attribute::SciTech,
            bound: Bound::AtLeast(25.0),
        },
        QuotaRule {
            attribute: Attribute::Manager,
            bound: Bound::AtMost(8.0),
        },
    ];

    fn people(frontline: usize, scitech: usize, managers: usize, others: usize) -> Vec<Candidate> {
        let mut v = Vec::new();
        v.extend((0..frontline).map(|_| Candidate {
            frontline: true,
            ..Default::default()
        }));
        v.extend((0..scitech).map(|_| Candidate {
            scitech: true,
            ..Default::default()
        }));
        v.extend((0..managers).map(|_| Candidate {
            manager: true,
            ..Default::default()
        }));
        v.extend((0..others).map(|_| Candidate::default()));
        v
    }

    #[test]
    fn shares_and_bounds() {
        let round = people(45, 25, 8, 22);
        let status = evaluate(&BEIJING_2015, &round);
        assert!(
            status.iter().all(|s| s.met),
            "exactly on every bound: {status:?}"
        );
        assert_eq!(status[0].share, 45.0);
        let round = people(44, 25, 9, 22);
        let status = evaluate(&BEIJING_2015, &round);
        assert!(!status[0].met && status[1].met && !status[2].met);
        assert!(evaluate(&BEIJING_2015, &[])
            .iter()
            .all(|s| s.met && s.share == 0.0));
    }

    #[test]
    fn warns_before_a_decision_breaks_a_quota() {
        let approved = people(45, 25, 8, 22); // 100, all quotas exactly met
        let manager = Candidate {
            manager: true,
            ..Default::default()
        };
        let broken = newly_broken(&BEIJING_2015, &approved, manager, true);
        // 101 candidates: frontline 44.6 % < 45, scitech 24.8 % < 25, managers 8.9 % > 8.
        let attributes: Vec<Attribute> = broken.iter().map(|s| s.rule.attribute).collect();
        assert_eq!(
            attributes,
            vec![Attribute::Frontline, Attribute::SciTech, Attribute::Manager]
        );
        // Adding a frontline worker breaks nothing; taking one away breaks the frontline share.
        let worker = Candidate {
            frontline: true,
            ..Default::default()
        };
        assert!(newly_broken(&BEIJING_2015, &approved, worker, true)
            .iter()
            .all(|s| s.rule.attribute != Attribute::Frontline));
        assert_eq!(
            newly_broken(&BEIJING_2015, &approved, worker, false)[0]
                .rule
                .attribute,
            Attribute::Frontline
        );
        // A rule already broken is not reported again.
        let short = people(40, 30, 8, 22);
        assert!(newly_broken(&BEIJING_2015, &short, manager, true)
            .iter()
            .all(|s| s.rule.attribute != Attribute::Frontline));
    }
}
