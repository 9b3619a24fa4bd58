//! The public records (categories, batches, wall sections, people, organisations, honours, media
//! and wall slots) and the store that keeps them.

use async_trait::async_trait;

use super::{audit::AuditEntry, error::DbError};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct HonourCategoryRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub recipient: String,
    pub engraved: bool,
    pub awarded_by: String,
    pub frequency: String,
    pub sort_order: i64,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub level: String,
    pub year: i32,
    pub seq: i32,
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Default, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name_engraved: String,
    pub name_correct: String,
    pub surname: String,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_year: Option<i32>,
    pub native_place: Option<String>,
    pub political: Option<String>,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub frontline: bool,
    pub scitech: bool,
    pub manager: bool,
    pub deeds_short: Option<String>,
    pub deeds_full: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_name: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub deeds_short: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct HonourRow {
    pub id: i64,
    pub category: String,
    pub person_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub year: i32,
    pub batch_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MediaRow {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub url: String,
    pub title: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SectionRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub location_zh: String,
    pub location_en: String,
    pub mode: String,
    pub rows_per_stone: i64,
    pub names_per_row: i64,
    pub sort_order: i64,
    /// The grounds' plan as JSON (`domain::plaza::PlazaPlan`), checked when it was set.
    pub plan: Option<String>,
    /// The last commendation year cut into this monument's stones (`None`: every placed name
    /// is engraved). Later names keep their planned place but are not yet engraved.
    pub engraved_through: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SlotRow {
    pub id: i64,
    pub section_id: i64,
    pub person_id: i64,
    pub honour_id: i64,
    pub year: i32,
    pub stone: i64,
    pub row_no: i64,
    pub position: i64,
    /// Cut into the stone; otherwise a planned place (a later batch, or a name added late to a
    /// year already cut), "not yet engraved".
    pub engraved: bool,
}

/// The whole public record set, as loaded at start-up and written by the demo generator.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub categories: Vec<HonourCategoryRow>,
    pub batches: Vec<BatchRow>,
    pub sections: Vec<SectionRow>,
    pub people: Vec<PersonRow>,
    pub organisations: Vec<OrganisationRow>,
    pub honours: Vec<HonourRow>,
    pub media: Vec<MediaRow>,
    pub slots: Vec<SlotRow>,
}

impl Dataset {
    /// Batches whose honours are public (an unpublished batch is still under review).
    pub fn published_batch_ids(&self) -> std::collections::HashSet<i64> {
        self.batches
            .iter()
            .filter(|b| b.published)
            .map(|b| b.id)
            .collect()
    }

    /// What the public may see: the one definition every public answer (wall, search index,
    /// profiles, statistics, open data) is built from. An honour is public when it belongs to no
    /// batch or to a published one; a person or organisation when they hold a public honour; a
    /// wall slot or medium when its honour or person is public. A nominee approved into a batch
    /// still under review is therefore nowhere in it.
    pub fn public(&self) -> Dataset {
        use std::collections::HashSet;
        let published = self.published_batch_ids();
        let honours: Vec<HonourRow> = self
            .honours
            .iter()
            .filter(|h| h.batch_id.is_none_or(|b| published.contains(&b)))
            .cloned()
            .collect();
        let honour_ids: HashSet<i64> = honours.iter().map(|h| h.id).collect();
        let people_ids: HashSet<i64> = honours.iter().filter_map(|h| h.person_id).collect();
        let organisation_ids: HashSet<i64> =
            honours.iter().filter_map(|h| h.organisation_id).collect();
        Dataset {
            categories: self.categories.clone(),
            batches: self
                .batches
                .iter()
                .filter(|b| b.published)
                .cloned()
                .collect(),
            sections: self.sections.clone(),
            people: self
                .people
                .iter()
                .filter(|p| people_ids.contains(&p.id))
                .cloned()
                .collect(),
            organisations: self
                .organisations
                .iter()
                .filter(|o| organisation_ids.contains(&o.id))
                .cloned()
                .collect(),
            media: self
                .media
                .iter()
                .filter(|m| people_ids.contains(&m.person_id))
                .cloned()
                .collect(),
            slots: self
                .slots
                .iter()
                .filter(|s| honour_ids.contains(&s.honour_id))
                .cloned()
                .collect(),
            honours,
        }
    }
}

/// The columns of `people` in the order of `PersonRow`, for every backend's SELECT of a person.
pub const PERSON_COLUMNS: &str = "id, name_engraved, name_correct, surname, sex, ethnicity, birth_year, native_place, political, work_unit, post, industry, district, frontline, scitech, manager, deeds_short, deeds_full, demo";

/// New records to add to what is stored (the import path). Ids are assigned by the caller from
/// `next_ids`, inside the same transaction as the insert.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Additions {
    pub batches: Vec<BatchRow>,
    pub organisations: Vec<OrganisationRow>,
    pub people: Vec<PersonRow>,
    pub honours: Vec<HonourRow>,
    pub media: Vec<MediaRow>,
    pub slots: Vec<SlotRow>,
}

/// Where the public records are kept.
#[async_trait]
pub trait CatalogueStore: Send + Sync + 'static {
    /// Number of people stored (0 means the database is empty).
    async fn count_people(&self) -> Result<i64, DbError>;
    /// Everything, for the in-memory catalogue.
    async fn load(&self) -> Result<Dataset, DbError>;
    /// Replaces all records with `dataset`, in one transaction.
    async fn replace_all(&self, dataset: &Dataset) -> Result<(), DbError>;
    /// Adds records in one transaction; nothing is written if any insert fails.
    async fn add(&self, additions: &Additions) -> Result<(), DbError>;
    /// Adds records planned from the data at `data_stamp`, in one transaction, only if no change
    /// to the public records was committed since (else nothing is written and it returns false:
    /// plan again). Ids and wall slots planned outside the transaction thus never collide.
    async fn add_if_unchanged(
        &self,
        additions: &Additions,
        data_stamp: &str,
    ) -> Result<bool, DbError>;
    /// A short text that changes whenever the public records do (another process may write them:
    /// the import command), so the server knows when to rebuild its catalogue.
    async fn data_stamp(&self) -> Result<String, DbError>;
    /// Publishes or withdraws a batch, with the audit entry; false if there is none with this id.
    async fn set_batch_published(
        &self,
        batch_id: i64,
        published: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
    /// Records the last year cut into a wall section's stones (every slot of it up to that year
    /// is engraved from now on, later ones planned), with the audit entry, in one transaction;
    /// false if there is no section with this code.
    async fn set_engraved_through(
        &self,
        code: &str,
        through: i64,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
    /// Sets (or with `None` removes) a wall section's plan, with the audit entry; false if there
    /// is no section with this code.
    async fn set_section_plan(
        &self,
        code: &str,
        plan: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
}
