use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EngravedCounts {
    pub national: u32,
    pub municipal: u32,
    pub total: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchCount {
    pub level: String,
    pub year: i32,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonourCount {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub recipients: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareCount {
    pub label: String,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub engraved: EngravedCounts,
    pub by_batch: Vec<BatchCount>,
    pub by_honour: Vec<HonourCount>,
    pub by_industry: Vec<ShareCount>,
    /// People by the district of their work unit ("—" where it is not recorded).
    pub by_district: Vec<ShareCount>,
    /// For each batch on the wall, how many of its engraved people are women, of an ethnic
    /// minority, frontline workers, and from science and technology.
    pub shares_by_batch: Vec<BatchShares>,
    pub people: u32,
    pub women: u32,
    pub minority: u32,
    pub frontline: u32,
    pub scitech: u32,
    pub organisations: u32,
    pub with_media: u32,
    pub demo: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchShares {
    pub level: String,
    pub year: i32,
    pub people: u32,
    pub women: u32,
    pub minority: u32,
    pub frontline: u32,
    pub scitech: u32,
}

impl BatchShares {
    /// A count as a percentage of the batch (0 for an empty batch).
    pub fn percent(&self, count: u32) -> f64 {
        if self.people == 0 {
            0.0
        } else {
            count as f64 * 100.0 / self.people as f64
        }
    }
}
