//! The nomination procedure 一报告两审核三公示 as a state machine: pure domain code, no storage,
//! no clock. A transition needs the right stage, the right role and its guards (a notice closed
//! with no unresolved objection, the departmental checks done); anything else is refused with a
//! reason a person can act on.
//!
//! Over 500 lines only by its tests, which walk every transition and guard.

use serde::{Deserialize, Serialize};

/// Where a nomination stands.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 草稿: the nominating unit is writing it (where every nomination starts).
    #[default]
    Draft,
    /// 已推荐: the recommendation report (一报告) is submitted.
    Recommended,
    /// 基层公示: public notice at the nominating unit.
    UnitNotice,
    /// 初审: first review.
    FirstReview,
    /// 市级公示: municipal public notice.
    CityNotice,
    /// 复审: second review, with the departmental checks.
    SecondReview,
    /// 社会公示: final public notice.
    PublicNotice,
    /// 已批准: approved; the name goes on the wall.
    Approved,
    /// 退回: returned to the unit for changes, with reasons.
    Returned,
    /// 未通过: rejected.
    Rejected,
    /// 撤回: withdrawn by the unit.
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 11] = [
        Stage::Draft,
        Stage::Recommended,
        Stage::UnitNotice,
        Stage::FirstReview,
        Stage::CityNotice,
        Stage::SecondReview,
        Stage::PublicNotice,
        Stage::Approved,
        Stage::Returned,
        Stage::Rejected,
        Stage::Withdrawn,
    ];

    /// The stage's code: how it is stored, and named in URLs and forms.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Recommended => "recommended",
            Stage::UnitNotice => "unit_notice",
            Stage::FirstReview => "first_review",
            Stage::CityNotice => "city_notice",
            Stage::SecondReview => "second_review",
            Stage::PublicNotice => "public_notice",
            Stage::Approved => "approved",
            Stage::Returned => "returned",
            Stage::Rejected => "rejected",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Draft => "草稿",
            Stage::Recommended => "已推荐",
            Stage::UnitNotice => "基层公示",
            Stage::FirstReview => "初审",
            Stage::CityNotice => "市级公示",
            Stage::SecondReview => "复审",
            Stage::PublicNotice => "社会公示",
            Stage::Approved => "已批准",
            Stage::Returned => "退回",
            Stage::Rejected => "未通过",
            Stage::Withdrawn => "撤回",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::Recommended => "Recommended",
            Stage::UnitNotice => "Notice at the unit",
            Stage::FirstReview => "First review",
            Stage::CityNotice => "City notice",
            Stage::SecondReview => "Second review",
            Stage::PublicNotice => "Public notice",
            Stage::Approved => "Approved",
            Stage::Returned => "Returned",
            Stage::Rejected => "Not approved",
            Stage::Withdrawn => "Withdrawn",
        }
    }

    /// The three public notices.
    pub fn is_notice(self) -> bool {
        matches!(
            self,
            Stage::UnitNotice | Stage::CityNotice | Stage::PublicNotice
        )
    }

    /// No action leaves these.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Approved | Stage::Rejected | Stage::Withdrawn)
    }

    /// The unit may still edit the nomination.
    pub fn is_editable(self) -> bool {
        matches!(self, Stage::Draft | Stage::Returned)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: users and settings, not decisions.
    Administrator,
    /// 推荐单位: drafts and submits its own nominations.
    NominatingUnit,
    /// 审核员: reviews.
    Reviewer,
    /// 公示管理员: opens and closes public notices.
    NoticeManager,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Administrator,
        Role::NominatingUnit,
        Role::Reviewer,
        Role::NoticeManager,
    ];

    /// The role's code: how it is stored and posted by the account form.
    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::NominatingUnit => "nominating_unit",
            Role::Reviewer => "reviewer",
            Role::NoticeManager => "notice_manager",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Administrator => "系统管理员",
            Role::NominatingUnit => "推荐单位",
            Role::Reviewer => "审核员",
            Role::NoticeManager => "公示管理员",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::NominatingUnit => "Nominating unit",
            Role::Reviewer => "Reviewer",
            Role::NoticeManager => "Notice manager",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Submit the report (from a draft, or again after being returned).
    Submit,
    /// Open the next public notice.
    OpenNotice,
    /// Close the running notice and move to the next review (or approval).
    CloseNotice,
    /// Pass the running review.
    Pass,
    /// Approve after the final notice.
    Approve,
    /// Return to the unit for changes.
    Return,
    Reject,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Submit,
        Action::OpenNotice,
        Action::CloseNotice,
        Action::Pass,
        Action::Approve,
        Action::Return,
        Action::Reject,
        Action::Withdraw,
    ];

    /// Who may take this action.
    pub fn role(self) -> Role {
        match self {
            Action::Submit | Action::Withdraw => Role::NominatingUnit,
            Action::OpenNotice | Action::CloseNotice => Role::NoticeManager,
            Action::Pass | Action::Approve | Action::Return | Action::Reject => Role::Reviewer,
        }
    }
}

/// Facts about the nomination that some transitions depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Guards {
    /// The recommendation report and both deeds texts are present.
    pub packet_complete: bool,
    /// The running notice period has ended (working days counted by the notice calendar).
    pub notice_period_over: bool,
    /// Objections filed during the notice and not yet resolved.
    pub unresolved_objections: u32,
    /// Departmental checks still without a verdict (second review).
    pub open_checks: u32,
    /// Departmental checks with a negative verdict.
    pub failed_checks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{action:?} is not possible at stage {}", stage.name_zh())]
    NotAllowedHere { stage: Stage, action: Action },
    #[error("{action:?} needs the role {needed:?}")]
    WrongRole { action: Action, needed: Role },
    #[error("the nomination packet is incomplete: the report and both deeds texts are required")]
    PacketIncomplete,
    #[error("the notice period has not ended yet")]
    NoticeRunning,
    #[error("{0} objection(s) are not resolved yet")]
    UnresolvedObjections(u32),
    #[error("{0} departmental check(s) have no verdict yet")]
    ChecksOpen(u32),
    #[error("{0} departmental check(s) failed: the nomination cannot pass")]
    ChecksFailed(u32),
}

/// The stage after `action`, or why not.
pub fn transition(
    stage: Stage,
    action: Action,
    role: Role,
    guards: Guards,
) -> Result<Stage, TransitionError> {
    use Action as A;
    use Stage as S;
    let next = match (stage, action) {
        (S::Draft | S::Returned, A::Submit) => S::Recommended,
        (S::Recommended, A::OpenNotice) => S::UnitNotice,
        (S::FirstReview, A::Pass) => S::CityNotice,
        (S::SecondReview, A::Pass) => S::PublicNotice,
        (S::UnitNotice, A::CloseNotice) => S::FirstReview,
        (S::CityNotice, A::CloseNotice) => S::SecondReview,
        (S::PublicNotice, A::Approve) => S::Approved,
        (S::Recommended | S::FirstReview | S::SecondReview, A::Return) => S::Returned,
        (
            S::FirstReview | S::SecondReview | S::UnitNotice | S::CityNotice | S::PublicNotice,
            A::Reject,
        ) => S::Rejected,
        (S::Draft | S::Returned | S::Recommended | S::UnitNotice, A::Withdraw) => S::Withdrawn,
        _ => return Err(TransitionError::NotAllowedHere { stage, action }),
    };
    if role != action.role() {
        return Err(TransitionError::WrongRole {
            action,
            needed: action.role(),
        });
    }
    match action {
        A::Submit if !guards.packet_complete => return Err(TransitionError::PacketIncomplete),
        // Leaving a notice forward needs the period over and every objection resolved; a
        // rejection (an objection upheld) may come at any time.
        A::CloseNotice | A::Approve => {
            if !guards.notice_period_over {
                return Err(TransitionError::NoticeRunning);
            }
            if guards.unresolved_objections > 0 {
                return Err(TransitionError::UnresolvedObjections(
                    guards.unresolved_objections,
                ));
            }
        }
        A::Pass if stage == S::SecondReview => {
            if guards.open_checks > 0 {
                return Err(TransitionError::ChecksOpen(guards.open_checks));
            }
            if guards.failed_checks > 0 {
                return Err(TransitionError::ChecksFailed(guards.failed_checks));
            }
        }
        _ => {}
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Stage as S;

    /// Every legal (stage, action) pair and where it leads: the whole procedure in one table.
    const LEGAL: &[(Stage, Action, Stage)] = &[
        (S::Draft, A::Submit, S::Recommended),
        (S::Returned, A::Submit, S::Recommended),
        (S::Recommended, A::OpenNotice, S::UnitNotice),
        (S::UnitNotice, A::CloseNotice, S::FirstReview),
        (S::FirstReview, A::Pass, S::CityNotice),
        (S::CityNotice, A::CloseNotice, S::SecondReview),
        (S::SecondReview, A::Pass, S::PublicNotice),
        (S::PublicNotice, A::Approve, S::Approved),
        (S::Recommended, A::Return, S::Returned),
        (S::FirstReview, A::Return, S::Returned),
        (S::SecondReview, A::Return, S::Returned),
        (S::UnitNotice, A::Reject, S::Rejected),
        (S::FirstReview, A::Reject, S::Rejected),
        (S::CityNotice, A::Reject, S::Rejected),
        (S::SecondReview, A::Reject, S::Rejected),
        (S::PublicNotice, A::Reject, S::Rejected),
        (S::Draft, A::Withdraw, S::Withdrawn),
        (S::Returned, A::Withdraw, S::Withdrawn),
        (S::Recommended, A::Withdraw, S::Withdrawn),
        (S::UnitNotice, A::Withdraw, S::Withdrawn),
    ];

    fn clear() -> Guards {
        Guards {
            packet_complete: true,
            notice_period_over: true,
            ..Guards::default()
        }
    }

    #[test]
    fn every_pair_is_legal_exactly_as_the_table_says() {
        for stage in Stage::ALL {
            for action in Action::ALL {
                let expected = LEGAL
                    .iter()
                    .find(|(s, a, _)| *s == stage && *a == action)
                    .map(|t| t.2);
                let got = transition(stage, action, action.role(), clear());
                match expected {
                    Some(next) => assert_eq!(got, Ok(next), "{stage:?} {action:?}"),
                    None => assert_eq!(
                        got,
                        Err(TransitionError::NotAllowedHere { stage, action }),
                        "{stage:?} {action:?} must be refused"
                    ),
                }
            }
        }
    }

    #[test]
    fn only_the_actions_role_may_take_it() {
        let roles = [
            Role::Administrator,
            Role::NominatingUnit,
            Role::Reviewer,
            Role::NoticeManager,
        ];
        for (stage, action, _) in LEGAL {
            for role in roles {
                let got = transition(*stage, *action, role, clear());
                if role == action.role() {
                    assert!(got.is_ok(), "{stage:?} {action:?} {role:?}");
                } else {
                    assert_eq!(
                        got,
                        Err(TransitionError::WrongRole {
                            action: *action,
                            needed: action.role()
                        })
                    );
                }
            }
        }
    }

    #[test]
    fn final_stages_have_no_way_out() {
        for stage in Stage::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(LEGAL.iter().all(|(s, ..)| *s != stage));
        }
    }

    #[test]
    fn the_happy_path_has_two_reviews_and_three_notices() {
        let path = [
            A::Submit,
            A::OpenNotice,
            A::CloseNotice,
            A::Pass,
            A::CloseNotice,
            A::Pass,
            A::Approve,
        ];
        let mut stage = S::Draft;
        let mut visited = vec![stage];
        for action in path {
            stage = transition(stage, action, action.role(), clear()).unwrap();
            visited.push(stage);
        }
        assert_eq!(stage, S::Approved);
        assert_eq!(visited.iter().filter(|s| s.is_notice()).count(), 3);
        assert_eq!(
            visited
                .iter()
                .filter(|s| matches!(s, S::FirstReview | S::SecondReview))
                .count(),
            2
        );
    }

    #[test]
    fn guards() {
        let incomplete = Guards {
            packet_complete: false,
            ..clear()
        };
        assert_eq!(
            transition(S::Draft, A::Submit, Role::NominatingUnit, incomplete),
            Err(TransitionError::PacketIncomplete)
        );
        let running = Guards {
            notice_period_over: false,
            ..clear()
        };
        assert_eq!(
            transition(S::UnitNotice, A::CloseNotice, Role::NoticeManager, running),
            Err(TransitionError::NoticeRunning)
        );
        let objection = Guards {
            unresolved_objections: 2,
            ..clear()
        };
        assert_eq!(
            transition(
                S::CityNotice,
                A::CloseNotice,
                Role::NoticeManager,
                objection
            ),
            Err(TransitionError::UnresolvedObjections(2))
        );
        assert_eq!(
            transition(S::PublicNotice, A::Approve, Role::Reviewer, objection),
            Err(TransitionError::UnresolvedObjections(2))
        );
        // An objection upheld can end a nomination while its notice runs.
        assert_eq!(
            transition(
                S::PublicNotice,
                A::Reject,
                Role::Reviewer,
                Guards {
                    notice_period_over: false,
                    ..objection
                }
            ),
            Ok(S::Rejected)
        );
        let open = Guards {
            open_checks: 1,
            ..clear()
        };
        assert_eq!(
            transition(S::SecondReview, A::Pass, Role::Reviewer, open),
            Err(TransitionError::ChecksOpen(1))
        );
        let failed = Guards {
            failed_checks: 1,
            ..clear()
        };
        assert_eq!(
            transition(S::SecondReview, A::Pass, Role::Reviewer, failed),
            Err(TransitionError::ChecksFailed(1))
        );
        // The first review does not depend on the departmental checks.
        assert_eq!(
            transition(S::FirstReview, A::Pass, Role::Reviewer, open),
            Ok(S::CityNotice)
        );
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn stage_codes_are_the_serde_names_and_parse_back() {
        for stage in Stage::ALL {
            let serde_name = serde_json::to_value(stage).unwrap();
            assert_eq!(serde_name.as_str(), Some(stage.code()));
            assert_eq!(Stage::parse(stage.code()), Some(stage));
        }
        assert_eq!(Stage::parse("Draft"), None);
    }

    #[test]
    fn role_codes_are_the_serde_names_and_parse_back() {
        for role in Role::ALL {
            let serde_name = serde_json::to_value(role).unwrap();
            assert_eq!(serde_name.as_str(), Some(role.code()));
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse(""), None);
    }
}
