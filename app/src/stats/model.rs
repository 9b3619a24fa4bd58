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
    pub people: u32,
    pub women: u32,
    pub minority: u32,
    pub frontline: u32,
    pub scitech: u32,
    pub organisations: u32,
    pub with_media: u32,
    pub demo: bool,
}
