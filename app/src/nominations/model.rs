//! What the nomination pages show: plain data, sent from server functions to the pages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::procedure::Stage;

/// Input kept after a failed save, with a message per field at fault.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub fields: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
    /// A message about the whole form (a conflict, a refused action).
    pub message: Option<String>,
}

impl FormState {
    pub fn value(&self, key: &str) -> String {
        self.fields.get(key).cloned().unwrap_or_default()
    }
    pub fn error(&self, key: &str) -> Option<String> {
        self.errors.get(key).cloned()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageCount {
    pub stage: Stage,
    pub code: String,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationSummary {
    pub id: i64,
    pub candidate_name: String,
    pub unit_name: String,
    pub category_name: String,
    pub year: i32,
    /// Pages name it in the reader's language.
    pub stage: Option<Stage>,
    pub stage_code: String,
    pub updated_at: String,
    pub unresolved_objections: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationList {
    pub counts: Vec<StageCount>,
    pub total: usize,
    pub rows: Vec<NominationSummary>,
    pub can_create: bool,
    pub categories: Vec<Choice>,
}

/// A button on the nomination page: an action the caller's role may take at this stage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionView {
    pub code: String,
    pub label: String,
    /// Returning and rejecting need reasons.
    pub needs_note: bool,
    /// Why it cannot be taken now (a notice still running, an objection open …).
    pub blocked: Option<String>,
    /// Quotas this decision would break: the page warns and asks for confirmation.
    pub quota_warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i64,
    pub kind_name: String,
    pub file_name: String,
    pub size_text: String,
    pub uploaded_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectionView {
    pub id: i64,
    /// Pages name it in the reader's language.
    pub stage: Option<Stage>,
    pub filed_at: String,
    /// The objector's name and contact: for reviewers and notice managers, never for the unit.
    pub name: Option<String>,
    pub contact: Option<String>,
    pub body: Option<String>,
    pub resolved: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckView {
    pub id: i64,
    pub department: String,
    pub verdict: Option<String>,
    pub note: Option<String>,
    pub decided: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaView {
    pub label: String,
    pub share_text: String,
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationDetail {
    pub id: i64,
    pub version: i64,
    pub stage_code: String,
    /// Pages name it in the reader's language.
    pub stage: Option<Stage>,
    pub unit_name: String,
    pub category_name: String,
    pub candidate_kind: String,
    pub candidate_name: String,
    /// The packet as labelled fields, in form order.
    pub fields: Vec<(String, String)>,
    pub notice: Option<String>,
    pub decision_note: Option<String>,
    pub can_edit: bool,
    pub can_upload: bool,
    /// A reviewer's upload: departmental opinions only.
    pub opinions_only: bool,
    pub can_resolve_objections: bool,
    pub can_decide_checks: bool,
    pub actions: Vec<ActionView>,
    pub attachments: Vec<AttachmentView>,
    pub objections: Vec<ObjectionView>,
    pub checks: Vec<CheckView>,
    /// Quota shares among this honour and year's candidates who passed the first review.
    pub quota: Vec<QuotaView>,
    pub quota_scope: String,
    pub history: Vec<HistoryView>,
    pub laureate_id: Option<i64>,
    pub flash: Option<FormState>,
}

/// What the nomination form needs: choices, and the values to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationFormData {
    pub id: Option<i64>,
    pub version: i64,
    pub categories: Vec<Choice>,
    pub form: FormState,
}

/// A nominee as the public notice shows them: no private data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicNominee {
    pub id: i64,
    pub candidate_name: String,
    pub work_unit: String,
    pub unit_name: String,
    pub category_name: String,
    pub year: i32,
    pub deeds_short: String,
    /// Pages name it in the reader's language.
    pub stage: Option<Stage>,
    pub period: String,
}
